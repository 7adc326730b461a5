// The run diagnosis against runs whose behaviour is known by hand. On the
// parabola f(w) = (w − 3)² from w = 0 (f″ = 2), a step of gradient descent
// multiplies the distance to the bottom by 1 − 2η: it creeps for small η,
// lands in one step at η = 1/2, overshoots and converges for 1/2 < η < 1,
// bounces between 0 and 6 forever at η = 1 = 2/f″, and diverges beyond.
import { describe, expect, test } from 'vitest';
import { parseExpression } from '../src/expr/parse.ts';
import { gd } from '../src/train/optimizers.ts';
import { train } from '../src/train/train.ts';
import { continuation, diagnose, verdictLabel } from '../src/train/diagnose.ts';

const parabola = parseExpression('(w - 3)^2');
const descend = (lr: number, steps: number, loss = parabola, init = 0) => train({ loss, params: ['w'], init: [init], optimizer: gd(lr), steps });
const sigma = (z: number): number => 1 / (1 + Math.exp(-z));

describe('diagnose(run) on the parabola (w − 3)²', () => {
  test('η = 0.05: creeping, the loss shrinking by (1 − 2η)² = 0.81 per step; nothing said about the future without a continuation', () => {
    const d = diagnose(descend(0.05, 20));
    expect(d.kind).toBe('creeping');
    expect(d.wentDown).toBe(true);
    expect(d.reachedBottom).toBe(false);
    expect(d.rate).toBeCloseTo(0.81, 10);
    expect(d.summary).toContain('creeping');
    expect(d.future).toBeUndefined();
    expect(d.summary).not.toMatch(/more|about/);
  });

  test('η = 0.05, continued: the run itself says when it comes within the tolerance, as the closed form 9·0.81^k does', () => {
    const options = { loss: parabola, params: ['w'], init: [0], optimizer: gd(0.05), steps: 20 };
    const d = diagnose(train(options), { continued: continuation(options) });
    // The loss is 9·0.81^k exactly in real arithmetic; the default tolerance is 10⁻⁸·9: the first k with 0.81^k ≤ 10⁻⁸.
    let k = 0;
    while (9 * 0.81 ** k > 9e-8) k++;
    expect(d.future).toMatchObject({ reached: true, diverged: false, more: k - 20 });
    expect(d.summary).toContain(`it comes within $9 \\times 10^{-8}$ of the bottom after ${k - 20} more steps`);
  });

  test('η = 0.5: the bottom in one step', () => {
    const d = diagnose(descend(0.5, 5));
    expect(d.kind).toBe('converged');
    expect(d.reachedBottom).toBe(true);
    expect(d.summary).toMatch(/^reached the bottom/);
  });

  test('η = 0.8: overshoots (the update alternates in sign) and converges, the jumps shrinking by |1 − 2η| = 0.6', () => {
    const d = diagnose(descend(0.8, 10));
    expect(d.kind).toBe('overshooting');
    expect(d.rate).toBeCloseTo(0.6, 10);
    expect(d.wentDown).toBe(true);
  });

  test('η = 1 = 2/f″: a cycle of period 2 between w = 0 and w = 6, the loss stuck at 9', () => {
    const d = diagnose(descend(1, 12));
    expect(d.kind).toBe('cycle');
    expect(d.period).toBe(2);
    expect(d.wentDown).toBe(false);
    expect(d.summary).toContain('$6$, $0$');
    expect(d.summary).toContain('stays at $9$');
  });

  test('η = 1.1: the distance grows by 1.2 per step; diverged from the start, though training did not stop', () => {
    const run = descend(1.1, 10);
    expect(run.stop.reason).toBe('steps');
    const d = diagnose(run);
    expect(d.kind).toBe('diverged');
    expect(d.divergedFrom).toBe(0);
    expect(d.endLoss).toBeCloseTo(9 * 1.44 ** 10, 8);
  });

  test('η = 2: training stops on divergence, and the diagnosis says from which step', () => {
    const d = diagnose(descend(2, 50));
    expect(d.kind).toBe('diverged');
    expect(d.divergedFrom).toBe(0);
    expect(verdictLabel(d)).toBe('diverged from step 0');
  });

  test('a known minimum above zero: lesson 1\'s loss counts as converged at its own bottom, not at 0', () => {
    const loss = parseExpression('((1.5 - w)^2 + (2.9 - 2 w)^2 + (4.8 - 3 w)^2 + (6.1 - 4 w)^2) / 4');
    const wStar = 46.1 / 30;
    const minimum = ((1.5 - wStar) ** 2 + (2.9 - 2 * wStar) ** 2 + (4.8 - 3 * wStar) ** 2 + (6.1 - 4 * wStar) ** 2) / 4;
    const run = train({ loss, params: ['w'], init: [0], optimizer: gd(1 / 15), steps: 3 });
    expect(diagnose(run, { minimum }).kind).toBe('converged');
    expect(diagnose(run).kind).not.toBe('converged');
  });
});

describe('diagnose(run) where the gradient vanishes', () => {
  test('a sigmoid unit saturated at z = −40 is stuck, and named with its pre-activation', () => {
    const loss = parseExpression('(0.8 - sigmoid(w))^2');
    const run = descend(1, 20, loss, -40);
    const d = diagnose(run, { units: (p) => [{ name: 'h', preActivation: p[0]!, slope: sigma(p[0]!) * (1 - sigma(p[0]!)) }] });
    expect(d.kind).toBe('stuck');
    expect(d.saturated).toHaveLength(1);
    expect(d.saturated![0]!.preActivation).toBeCloseTo(-40, 6);
    expect(d.summary).toContain('$h$ (pre-activation $-40$');
    expect(d.endLoss).toBeCloseTo(0.64, 10);
  });

  test('(w² − 1)² started at its top w = 0: the gradient is exactly 0, a stationary point that is not a minimum', () => {
    const d = diagnose(descend(0.1, 10, parseExpression('(w^2 - 1)^2'), 0));
    expect(d.kind).toBe('stationary');
    expect(d.endGradient).toBe(0);
    expect(d.endLoss).toBe(1);
  });

  test('(w − 3)² + (v² − 1)² from v = 0 exactly: v never moves, the target v² > 1/2 is never met: stationary, verified by continuing', () => {
    const options = { loss: parseExpression('(w - 3)^2 + (v^2 - 1)^2'), params: ['w', 'v'], init: [0, 0], optimizer: gd(0.1), steps: 200 };
    const d = diagnose(train(options), { continued: continuation(options), target: (p) => p[1]! ** 2 > 0.5 });
    expect(d.kind).toBe('stationary');
    expect(d.summary).toContain('continued for 10,000 more steps it stays there');
  });

  test('the same from v = 10⁻¹²: the gradient looks vanished after 30 steps, but v grows by 1.4 a step and escapes: no stationary point claimed', () => {
    const options = { loss: parseExpression('(w - 3)^2 + (v^2 - 1)^2'), params: ['w', 'v'], init: [0, 1e-12], optimizer: gd(0.1), steps: 30 };
    const target = (p: ArrayLike<number>): boolean => p[1]! ** 2 > 0.5;
    const d = diagnose(train(options), { continued: continuation(options), target });
    expect(d.kind).not.toBe('stationary');
    // Independently, by a plain loop: the first step with the loss within 10⁻⁸ × (its start 10) of 0.
    let [w, v, k] = [0, 1e-12, 0];
    const f = (): number => (w - 3) ** 2 + (v * v - 1) ** 2;
    while (f() > 1e-7) {
      [w, v] = [w - 0.1 * 2 * (w - 3), v - 0.1 * 4 * v * (v * v - 1)];
      k++;
    }
    expect(d.future?.reached).toBe(true);
    expect(d.future!.more).toBe(k - 30);
    expect(diagnose(train(options), { target }).kind, 'without a continuation, no stationary claim either').not.toBe('stationary');
  });

  test('1 + 10⁻⁴ w²: the loss creeps down by 10⁻⁹ a step, far above 0: a plateau', () => {
    const d = diagnose(descend(0.1, 40, parseExpression('1 + 0.0001 * w^2'), 1));
    expect(d.kind).toBe('plateau');
    expect(d.wentDown).toBe(true);
  });
});

describe('diagnose(run): a tiny step is not a plateau', () => {
  test('η = 10⁻⁹ on (w − 3)²: the gradient stays at |f′(0)| = 6, the loss barely moves: creeping with the steps too small, not a plateau', () => {
    const d = diagnose(descend(1e-9, 40));
    expect(d.endGradient).toBeCloseTo(6, 6);
    expect(d.kind).toBe('creeping');
    expect(d.summary).toMatch(/steps too small/);
    expect(d.summary).not.toMatch(/plateau/);
  });

  test('η = 10⁻⁹ continued: not within 10,000 more steps, and the loss then is 9(1 − 2η)^(2k) at k = 10,040', () => {
    const options = { loss: parabola, params: ['w'], init: [0], optimizer: gd(1e-9), steps: 40 };
    const d = diagnose(train(options), { continued: continuation(options) });
    expect(d.future).toMatchObject({ reached: false, diverged: false, more: 10_000 });
    expect(d.future!.loss / (9 * (1 - 2e-9) ** (2 * 10_040))).toBeCloseTo(1, 9);
    expect(d.summary).toContain('continued for 10,000 more steps, it does not come within');
  });
});

describe('diagnose(run) when it neither settles nor blows up', () => {
  test('w ← 3w − 2w³ (descent on (w² − 1)²/4 with η = 2) stays in [−1.5, 1.5] with no period: chaotic', () => {
    const run = descend(2, 200, parseExpression('(w^2 - 1)^2 / 4'), 0.3);
    const ws = run.steps.map((r) => r.p[0]!);
    expect(Math.max(...ws.map(Math.abs))).toBeLessThan(1.5);
    // Independent check of "no period": no p ≤ 8 maps the last 50 values onto themselves.
    for (let p = 1; p <= 8; p++) expect(ws.slice(-50).every((w, i, a) => i < p || Math.abs(w - a[i - p]!) < 1e-9)).toBe(false);
    expect(diagnose(run).kind).toBe('chaotic');
  });
});

describe('diagnose(run) when the loss moves one way for good', () => {
  test('(w − 3)² + 100(v − 1)² with η = 0.01001: v is multiplied by 1 − 200η = −1.002 a step, so after w has settled the loss rises every step, below its start: growing, not chaotic', () => {
    const run = train({ loss: parseExpression('(w - 3)^2 + 100 * (v - 1)^2'), params: ['w', 'v'], init: [0, 1.001], optimizer: gd(0.01001), steps: 600 });
    const L = run.steps.map((r) => r.loss);
    // Independently: the last 50 losses rise step after step, and the end is below the start.
    for (let i = L.length - 50; i < L.length; i++) expect(L[i]!).toBeGreaterThan(L[i - 1]!);
    expect(L[L.length - 1]!).toBeLessThan(L[0]!);
    const d = diagnose(run);
    expect(d.kind).toBe('growing');
    // The v term dominates at the end: the loss grows by about (1 − 200η)² = 1.004 per step.
    expect(d.rate!).toBeGreaterThan(1.003);
    expect(d.rate!).toBeLessThan(1.0041);
    expect(d.summary).not.toMatch(/chaotic|bounces/);
    expect(verdictLabel(d)).toBe('growing: rising every step');
  });

  test('a loss that jumped above its start and then falls at every step is coming back down, not chaotic (it never went up in the recent steps)', () => {
    const base = descend(0.1, 12);
    const losses = [1, 5, 4.5, 4, 3.5, 3, 2.8, 2.6, 2.4, 2.2, 2, 1.9, 1.8];
    const run = { ...base, steps: losses.map((loss, step) => ({ step, loss, p: Float64Array.of(step), gradient: Float64Array.of(1), update: null })) };
    const d = diagnose(run);
    expect(d.kind).toBe('recovering');
    expect(d.summary).toContain('fell at every one of the last 11 steps');
    expect(d.summary).not.toMatch(/went up 0 times|chaotic/);
  });
});

describe('continuation(options)(steps, lossAtMost)', () => {
  // By hand: from w = 0 with η = 0.05 the distance to 3 shrinks by 0.9 a step, so the loss 9·0.81ⁿ is under 10⁻⁶ first at n = ⌈ln(10⁻⁶/9)/ln 0.81⌉ = ⌈75.99⌉ = 76.
  const options = (lr: number, init = 0) => ({ loss: parseExpression('(w - 3)^2'), params: ['w'], init: [init], optimizer: gd(lr), steps: 20 });
  test('the same options again (the loss built anew) give the run computed before, equal to a fresh one; other options another run', () => {
    const first = continuation(options(0.05))(1000, 1e-6);
    expect(first.steps[first.steps.length - 1]!.step).toBe(76);
    const again = continuation(options(0.05))(1000, 1e-6);
    expect(again).toBe(first);
    const fresh = train({ ...options(0.05), steps: 1000, tolerance: { loss: 1e-6 }, recordEvery: 250, maxRecords: 8 });
    expect(again.loss).toBe(fresh.loss);
    expect([...again.p]).toEqual([...fresh.p]);
    const faster = continuation(options(0.1))(1000, 1e-6);
    expect(faster).not.toBe(first);
    // η = 0.1: the distance shrinks by 0.8 a step: 9·0.64ⁿ < 10⁻⁶ first at n = ⌈35.9⌉ = 36.
    expect(faster.steps[faster.steps.length - 1]!.step).toBe(36);
    expect(continuation(options(0.05, 1))(1000, 1e-6)).not.toBe(first);
    expect(continuation(options(0.05))(1000, 1e-7)).not.toBe(first);
  });

  test('a parameter named loss: its start is part of what is remembered (only the options\' own loss is left out)', () => {
    // (loss − 3)² + (w − 1)², gradient descent with η = 0.25 halves each distance a step: from (0, 0) after n steps
    // loss = 3 − 3/2ⁿ; from (100, 0), loss = 3 + 97/2ⁿ.
    const named = (start: number) => ({ loss: parseExpression('(loss - 3)^2 + (w - 1)^2'), params: ['loss', 'w'], init: { loss: start, w: 0 }, optimizer: gd(0.25), steps: 3 });
    const low = continuation(named(0))(4, -1);
    const high = continuation(named(100))(4, -1);
    expect(high).not.toBe(low);
    expect(low.p[0]).toBe(3 - 3 / 16);
    expect(high.p[0]).toBe(3 + 97 / 16);
  });
});
