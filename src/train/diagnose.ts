/**
 * What happened in a training run, read from its records, with the numbers
 * that show it. Lessons say what a run did only through this (or the run's
 * own numbers), so no sentence can contradict the table beside it.
 *
 *   const run = train({ ... })
 *   const d = diagnose(run, { minimum: 0 })
 *   d.kind        // 'converged' | 'creeping' | 'overshooting' | 'cycle' | 'diverged' | 'stuck' | 'plateau' | 'stationary' | 'growing' | 'recovering' | 'chaotic'
 *   d.summary     // 'reached the bottom: after 21 steps the loss 5.73 × 10⁻¹¹ is within 10⁻⁸ of its minimum 0'
 *   d.wentDown    // the loss ended below where it started
 *
 * The verdicts, in the order they are tried:
 *   diverged      the loss (or gradient) stopped being finite, or grows step after step past its start;
 *   converged     the loss is within `tolerance` of its minimum (or training stopped on a tolerance);
 *   cycle         the parameters come back to the same values every p ≥ 2 steps (η = 2/L″ on a parabola);
 *   stuck         the gradient vanished (under 10⁻³ of where it started) and the loss stopped moving,
 *                 far from the minimum, with saturated units: their pre-activations named;
 *   stationary    the same without saturated units, or a loss flattening out (under 10⁻³ of itself
 *                 over the recent steps, or more than 10× the steps done still to go) while the
 *                 training target is not met (XOR with 2 of 4 right): a stationary point that is
 *                 not a minimum of the training target;
 *   overshooting  the update changes sign every step while its size and the loss shrink;
 *   creeping      the loss falls step after step, still far from the minimum: steps to go projected
 *                 from the recent rate;
 *   plateau       the loss falls, but by less than 10⁻³ of itself over the recent steps, on flat ground: a small
 *                 gradient (a large one with tiny progress is creeping: the steps are too small);
 *                 (or the loss goes up and down, but its peaks shrink by half or more);
 *   growing       rising at every recent step, though still below its start (a slow divergence);
 *   recovering    falling at every recent step, but still above its start after an earlier rise;
 *   chaotic       bounded, going up and down with no period (both ups and downs in the recent steps);
 *   too-short     fewer than 4 steps, none of the above: too few to tell.
 */
import type { TrainResult } from './train.ts';
import { proseNumber as num, roundedNumber } from '../expr/number.ts';

export type RunKind = 'converged' | 'creeping' | 'overshooting' | 'cycle' | 'diverged' | 'stuck' | 'plateau' | 'stationary' | 'growing' | 'recovering' | 'chaotic' | 'too-short';

/** A unit's state at the end of a run: its pre-activation z and the slope f′(z) of its activation there. */
export interface UnitState {
  /** How the lesson names it: 'h', 'a_{1}' (TeX allowed). */
  readonly name: string;
  readonly preActivation: number;
  readonly slope: number;
}

export interface DiagnoseOptions {
  /** The smallest value the loss can take (default 0): the bottom a run is measured against. */
  readonly minimum?: number;
  /** How close to the minimum counts as reaching it (default 10⁻⁸ × max(1, start − minimum)). */
  readonly tolerance?: number;
  /** The units of the network at given parameters, to name the saturated ones. */
  readonly units?: (p: Float64Array) => readonly UnitState[];
  /** A unit is saturated when |f′(z)| is under this (default 10⁻³; σ′(z) ≤ 10⁻³ for |z| ≥ 6.9). */
  readonly saturation?: number;
  /** Whether the parameters meet the training target (e.g. every row classified right). */
  readonly target?: (p: Float64Array) => boolean;
}

export interface Diagnosis {
  readonly kind: RunKind;
  /** One sentence (prose with $TeX$), starting lower-case: 'diverged from step 3: …'. */
  readonly summary: string;
  /** Updates made (the last record's step). */
  readonly steps: number;
  readonly startLoss: number;
  /** The last finite loss. */
  readonly endLoss: number;
  /** The loss ended below its start. */
  readonly wentDown: boolean;
  /** The loss ended within the tolerance of its minimum. */
  readonly reachedBottom: boolean;
  /** The largest |gradient component| at the start and at the end. */
  readonly startGradient: number;
  readonly endGradient: number;
  /** diverged: the step from which the loss grew for good. */
  readonly divergedFrom?: number;
  /** cycle: its period in steps. */
  readonly period?: number;
  /** creeping, overshooting: the factor the distance to the minimum shrinks by per step, and the projected steps to go. */
  readonly rate?: number;
  readonly stepsToGo?: number;
  /** stuck: the saturated units. */
  readonly saturated?: readonly UnitState[];
}

const maxAbs = (v: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
};

/** A factor per step, with enough digits to tell 0.99998 from 1. */
const factor = (r: number): string => roundedNumber(r, r > 0.99 && r < 1.01 ? 6 : 4);

/** '1 step', '3 steps'. */
const stepCount = (k: number): string => `${k} ${k === 1 ? 'step' : 'steps'}`;

/** The dominant parameter: the one that moved most over the run. */
function dominant(run: TrainResult): number {
  const first = run.steps[0]!.p;
  const last = run.steps[run.steps.length - 1]!.p;
  let best = 0;
  for (let k = 1; k < first.length; k++) if (Math.abs(last[k]! - first[k]!) > Math.abs(last[best]! - first[best]!)) best = k;
  return best;
}

/**
 * Reads a run's records and says what happened, with the evidence.
 * Records must be consecutive steps (no `recordEvery` thinning) for the
 * cycle and overshoot checks; the others only compare losses.
 */
export function diagnose(run: TrainResult, options: DiagnoseOptions = {}): Diagnosis {
  const R = run.steps;
  const n = R.length;
  const L = R.map((r) => r.loss);
  const floor = options.minimum ?? 0;
  const start = L[0]!;
  const end = L[n - 1]!;
  const gap = (l: number): number => Math.max(0, l - floor);
  const tol = options.tolerance ?? 1e-8 * Math.max(1, gap(start));
  const g0 = maxAbs(R[0]!.gradient);
  const gEnd = maxAbs(R[n - 1]!.gradient);
  const steps = R[n - 1]!.step;
  const base = {
    steps, startLoss: start, endLoss: end, wentDown: end < start, reachedBottom: gap(end) <= tol, startGradient: g0, endGradient: gEnd,
  };
  const went = `the loss went from $${num(start)}$ to $${num(end)}$`;
  const m = Math.min(n - 1, Math.max(8, Math.floor((n - 1) / 4))); // the recent steps looked at

  // Diverged: told by training, or the loss growing past its start, every two steps, for the last few steps.
  const envelopeGrows = (i: number): boolean => i >= 3 && Math.max(L[i]!, L[i - 1]!) > Math.max(L[i - 2]!, L[i - 3]!) * (1 + 1e-12);
  const pairs = Math.min(3, Math.floor((n - 3) / 2)); // up to three two-step comparisons, as many as a short run has
  const growing = pairs >= 1 && gap(end) > gap(start) && Array.from({ length: pairs }, (_, j) => envelopeGrows(n - 1 - 2 * j)).every(Boolean);
  if (run.stop.reason === 'diverged' || growing) {
    let from = n - 1;
    while (from >= 3 && envelopeGrows(from)) from -= 1;
    while (from > 0 && L[from - 1]! < L[from]!) from -= 1; // back to where the growth began
    const divergedFrom = run.stop.reason === 'diverged' && run.stop.step <= R[from]!.step ? run.stop.step : R[from]!.step;
    const how = run.stop.reason === 'diverged'
      ? run.stop.cause === 'not-finite' ? `until at step ${run.stop.step} it was no longer a finite number` : `to $${num(run.stop.loss)}$ at step ${run.stop.step}, past ${run.stop.factor} times its start`
      : `to $${num(end)}$ at step ${steps}, growing every two steps`;
    return { ...base, kind: 'diverged', divergedFrom, summary: `diverged from step ${divergedFrom}: the loss grew from $${num(L[from]!)}$ at step ${R[from]!.step} ${how}` };
  }

  const toTol = `$${num(tol)}$`;
  if (run.stop.reason === 'loss-tolerance' || run.stop.reason === 'gradient-tolerance' || gap(end) <= tol) {
    const why = run.stop.reason === 'gradient-tolerance' && gap(end) > tol
      ? `every gradient component is under ${num(run.stop.tolerance)} (a stationary point; the loss is $${num(end)}$)`
      : `the loss $${num(end)}$ is within ${toTol} of its minimum $${num(floor)}$`;
    return { ...base, kind: 'converged', summary: `reached the bottom: after ${stepCount(steps)} ${why}` };
  }

  if (n - 1 < 4) {
    return { ...base, kind: 'too-short', summary: `took only ${stepCount(steps)}, too few to tell how it goes on: ${went}` };
  }

  // A cycle: the parameters repeat with a period of 2 to 8 steps over the recent steps (and do move).
  const same = (a: Float64Array, b: Float64Array): boolean => {
    for (let k = 0; k < a.length; k++) if (Math.abs(a[k]! - b[k]!) > 1e-9 * (1 + Math.abs(a[k]!))) return false;
    return true;
  };
  if (m >= 4) {
    for (let p = 2; p <= Math.min(8, Math.floor(m / 2)); p++) {
      let repeats = true;
      for (let i = n - 1; i >= n - m + p && repeats; i--) if (!same(R[i]!.p, R[i - p]!.p)) repeats = false;
      if (repeats && !same(R[n - 1]!.p, R[n - 2]!.p)) {
        const tail = L.slice(n - p);
        const lo = Math.min(...tail);
        const hi = Math.max(...tail);
        const range = num(lo) === num(hi) ? `stays at $${num(lo)}$` : `stays between $${num(lo)}$ and $${num(hi)}$`;
        const k = dominant(run);
        const values = R.slice(n - p).map((r) => `$${num(r.p[k]!)}$`).join(', ');
        return {
          ...base, kind: 'cycle', period: p,
          summary: `oscillates in a cycle of ${p} steps: ${run.names[k]} keeps coming back to ${values}, and the loss ${range}, never nearer the bottom`,
        };
      }
    }
  }

  const flat = Math.abs(L[n - 1 - m]! - end) <= 1e-4 * Math.max(gap(end), 1e-300);
  const targetMissed = options.target !== undefined && !options.target(run.p);
  const vanished = gEnd <= 1e-3 * g0 || gEnd <= 1e-8 * Math.max(1, gap(end));
  if (vanished && flat && m >= 2) {
    const saturated = (options.units?.(run.p) ?? []).filter((u) => Math.abs(u.slope) <= (options.saturation ?? 1e-3));
    if (saturated.length > 0) {
      const units = saturated.map((u) => `$${u.name}$ (pre-activation $${num(u.preActivation)}$, slope $${num(u.slope)}$)`).join(', ');
      return {
        ...base, kind: 'stuck', saturated,
        summary: `got stuck with a vanishing gradient: saturated ${saturated.length === 1 ? 'unit' : 'units'} ${units} ${saturated.length === 1 ? 'passes' : 'pass'} almost nothing back, so the gradient fell from $${num(g0)}$ to $${num(gEnd)}$ and the loss stays at $${num(end)}$, far above its minimum $${num(floor)}$`,
      };
    }
    return {
      ...base, kind: 'stationary',
      summary: `stopped at a stationary point that is not a minimum of the training target: the gradient fell from $${num(g0)}$ to $${num(gEnd)}$ while the loss stays at $${num(end)}$, above its minimum $${num(floor)}$`,
    };
  }

  // Overshooting: the dominant parameter's update alternates in sign and shrinks, and the loss falls every two steps.
  const k = dominant(run);
  const u = (i: number): number => R[i]!.p[k]! - R[i - 1]!.p[k]!;
  const recent = Math.min(m, 6);
  let alternates = recent >= 3;
  for (let i = n - 1; i > n - 1 - recent + 1 && alternates; i--) {
    if (!(u(i) * u(i - 1) < 0 && Math.abs(u(i)) < Math.abs(u(i - 1)) * (1 + 1e-12) || Math.abs(u(i)) === 0)) alternates = false;
    if (i >= 2 && !(L[i]! <= L[i - 2]!)) alternates = false;
  }
  if (alternates && end < start) {
    const rate = Math.abs(u(n - 1) / u(n - 2));
    const stepsToGo = rate > 0 && rate < 1 ? Math.max(1, Math.ceil(Math.log(tol / gap(end)) / (2 * Math.log(rate)))) : undefined;
    return {
      ...base, kind: 'overshooting', rate, ...(stepsToGo === undefined ? {} : { stepsToGo }),
      summary: `overshoots but converges: each step jumps past the bottom (the update of ${run.names[k]} changes sign every step) and the jumps shrink by a factor $${factor(rate)}$ per step; ${went}${stepsToGo === undefined ? '' : `, about ${stepCount(stepsToGo)} more to reach the bottom`}`,
    };
  }

  let monotone = true;
  for (let i = n - m; i < n; i++) if (L[i]! > L[i - 1]!) monotone = false;
  if (monotone && end < start) {
    const fell = gap(L[n - 1 - m]!) - gap(end);
    const j = Math.min(m, 5);
    const rate = (gap(end) / gap(L[n - 1 - j]!)) ** (1 / j);
    const stepsToGo = rate < 1 ? Math.ceil(Math.log(tol / gap(end)) / Math.log(rate)) : undefined;
    const toGo = stepsToGo === undefined || !Number.isFinite(stepsToGo) ? '' : `; about ${stepCount(stepsToGo)} more to come within $${num(tol)}$ of the bottom`;
    if (fell <= 1e-3 * gap(end)) {
      if (targetMissed && gEnd <= 1e-2 * g0) {
        return {
          ...base, kind: 'stationary',
          summary: `is settling on a stationary point that is not a minimum of the training target: the loss fell by only $${num(fell)}$ over the last ${m} steps and stays near $${num(end)}$, far above its minimum $${num(floor)}$, with the training target not met`,
        };
      }
      // A plateau is flat ground: a small gradient. Following it across a distance the size of the
      // parameters must change the loss by under 1% of its distance to the minimum. A large gradient
      // with tiny progress is not flat ground: the steps are too small.
      const flatGround = gEnd * Math.max(1, maxAbs(run.p)) <= 1e-2 * gap(end);
      if (flatGround) return { ...base, kind: 'plateau', summary: `is on a plateau: ${went}, but over the last ${m} steps it fell by only $${num(fell)}$, the gradient being only $${num(gEnd)}$` };
      return {
        ...base, kind: 'creeping', rate, ...(stepsToGo === undefined ? {} : { stepsToGo }),
        summary: `is creeping, its steps too small to move it much: the gradient is still $${num(gEnd)}$ (it started at $${num(g0)}$), but over the last ${m} steps the loss fell by only $${num(fell)}$; ${went}${toGo}`,
      };
    }
    if (targetMissed && (stepsToGo === undefined || stepsToGo > 10 * steps)) {
      return {
        ...base, kind: 'stationary', rate, ...(stepsToGo === undefined ? {} : { stepsToGo }),
        summary: `is settling on a stationary point that is not a minimum of the training target: ${went}, but it shrinks by a factor of only $${factor(rate)}$ per step, and the training target is not met`,
      };
    }
    return {
      ...base, kind: 'creeping', rate, ...(stepsToGo === undefined ? {} : { stepsToGo }),
      summary: `is still creeping down: ${went}; its distance to the minimum shrinks by a factor $${factor(rate)}$ per step${toGo}`,
    };
  }

  let ups = 0;
  for (let i = n - m; i < n; i++) if (L[i]! > L[i - 1]!) ups++;
  const tail = L.slice(n - 1 - m);
  // The loss rising at every one of the last steps (at least 8, or the whole window), though still below
  // its start (a slow divergence, e.g. gradient descent on a quadratic with η just past 2/L″): growing,
  // never "chaotic", which needs both ups and downs. Falling at every one of them, but still above its
  // start after an earlier rise: coming back down.
  const run1 = (up: boolean): number => {
    let r = 0;
    while (r < n - 1 && (up ? L[n - 1 - r]! > L[n - 2 - r]! : L[n - 1 - r]! < L[n - 2 - r]!)) r++;
    return r;
  };
  const rising = run1(true);
  if (rising >= Math.min(m, 8)) {
    const rate = (gap(end) / gap(L[n - 1 - rising]!)) ** (1 / rising);
    return {
      ...base, kind: 'growing', rate,
      summary: `is growing: the loss rose at every one of the last ${rising} steps, its distance to the minimum growing by a factor $${factor(rate)}$ per step; ${went}`,
    };
  }
  const falling = run1(false);
  if (falling >= Math.min(m, 8) && end >= start) {
    return {
      ...base, kind: 'recovering',
      summary: `is coming back down: the loss fell at every one of the last ${falling} steps, from $${num(L[n - 1 - falling]!)}$ to $${num(end)}$, after rising above its start; ${went}`,
    };
  }
  // Up and down, but settling: the peaks of the last third are under half those of the first third.
  const third = Math.max(1, Math.floor(tail.length / 3));
  const early = Math.max(...tail.slice(0, third));
  const late = Math.max(...tail.slice(-third));
  if (end < start && late < 0.5 * early) {
    return {
      ...base, kind: 'overshooting',
      summary: `overshoots but settles: over the last ${m} steps the loss went up ${ups === 1 ? 'once' : `${ups} times`}, but its peaks shrank from $${num(early)}$ to $${num(late)}$; ${went}`,
    };
  }
  return {
    ...base, kind: 'chaotic',
    summary: `bounces without settling so far: over the last ${m} steps the loss went up ${ups === 1 ? 'once' : `${ups} times`}, between $${num(Math.min(...tail))}$ and $${num(Math.max(...tail))}$, with no repeating pattern; ${went}`,
  };
}

/** A few words for a table cell: 'reached the bottom', 'diverged at step 3', 'stuck: saturated, gradient vanished'. */
export function verdictLabel(d: Diagnosis): string {
  switch (d.kind) {
    case 'converged': return 'reached the bottom';
    case 'creeping': return d.wentDown ? 'went down, still creeping' : 'creeping';
    case 'overshooting': return 'overshoots, converging';
    case 'cycle': return `cycles every ${d.period} steps`;
    case 'diverged': return `diverged from step ${d.divergedFrom}`;
    case 'stuck': return 'stuck: saturated, gradient vanished';
    case 'stationary': return 'stationary point, not a minimum';
    case 'plateau': return 'on a plateau';
    case 'growing': return 'growing: rising every step';
    case 'recovering': return 'falling again, still above its start';
    case 'chaotic': return 'chaotic: up and down';
    case 'too-short': return d.wentDown ? `${stepCount(d.steps)}: went down` : `${stepCount(d.steps)}: did not go down`;
  }
}
