// Every stability bound a lesson states is consistent with runs just below
// and just above it. Each bound is read from the lesson's own text, checked
// against a curvature computed here by hand, and then runs at 0.98 and 1.02
// times it (descended here by a plain loop, and by the lesson itself where it
// narrates them) must do what the lesson says the bound means.
import { describe, expect, test } from 'vitest';
import { cell, formulas, prose, table, undrawnDoc } from './support/lesson-doc.ts';
// The lessons' documents with their plots and pictures undrawn (support/lesson-doc.ts undrawnDoc): only formulas, prose,
// tables and captions are read here.

/** The number printed after `pattern` in the prose. */
const printed = (text: string, pattern: RegExp): number => {
  const m = pattern.exec(text);
  if (m === null) throw new Error(`no ${pattern} in the lesson`);
  return Number(m[1]);
};

/** Plain gradient descent by hand: the distance to `bottom` at every step. */
function distances(grad: (p: number[]) => number[], start: readonly number[], bottom: readonly number[], lr: number, steps: number): number[] {
  const p = [...start];
  const out: number[] = [];
  for (let k = 0; k <= steps; k++) {
    out.push(Math.hypot(...p.map((v, i) => v - bottom[i]!)));
    const g = grad(p);
    for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * g[i]!;
  }
  return out;
}

describe('lesson 3: η < 2/L″ = 2/15 on a parabola', () => {
  test('the bound printed is 2/15; at 0.98 of it the distance shrinks at every step, at 1.02 of it it grows at every step', async () => {
    const bound = printed(formulas(await undrawnDoc('3')).join('\n'), /\\frac\{2\}\{15\} = ([\d.]+)/);
    expect(bound).toBeCloseTo(2 / 15, 5);
    // L(w) = mean (yᵢ − w xᵢ)², L′(w) = 15w − 23.05 (Σx² = 30, Σxy = 46.1).
    const grad = ([w]: number[]): number[] => [15 * w! - 23.05];
    const below = distances(grad, [0], [46.1 / 30], 0.98 * (2 / 15), 200);
    const above = distances(grad, [0], [46.1 / 30], 1.02 * (2 / 15), 200);
    for (let k = 1; k <= 200; k++) {
      expect(below[k]!).toBeLessThan(below[k - 1]!);
      expect(above[k]!).toBeGreaterThan(above[k - 1]!);
    }
  });
});

describe('lesson 5: η < 2/λmax, the same everywhere on a quadratic', () => {
  const data = [[0.5, 0.2], [1, 0.6], [1.5, 1.4], [2, 1.8], [2.5, 2.6], [3, 3.1]] as const;
  const n = data.length;
  const [sx, sy, sxx, sxy] = data.reduce((t, [x, y]) => [t[0]! + x, t[1]! + y, t[2]! + x * x, t[3]! + x * y], [0, 0, 0, 0]);
  const w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const b = (sy - w * sx) / n;
  // The Hessian (2/n)[[Σx², Σx], [Σx, n]]: its largest eigenvalue by hand.
  const lambda = (2 / n) * ((sxx + n) / 2 + Math.sqrt(((sxx - n) / 2) ** 2 + sx * sx));
  const grad = ([ww, bb]: number[]): number[] => {
    const r = data.map(([x, y]) => y - (ww! * x + bb!));
    return [data.reduce((g, [x], i) => g - 2 * x * r[i]!, 0) / n, r.reduce((g, e) => g - 2 * e, 0) / n];
  };
  const shrinkSteps = (d: number[]): number => {
    const k = d.findIndex((v, i) => i > 0 && v >= d[i - 1]!);
    return k < 0 ? Infinity : k - 1;
  };

  test('the bound printed is 2/λmax; below it every path shrinks at every step, above it each shrinks for as many steps as the lesson says, then the distance grows past its start', async () => {
    const bound = printed(prose(await undrawnDoc('5')), /\\eta < 2\/[\d.]+ = ([\d.]+)\$/);
    expect(bound).toBeCloseTo(2 / lambda, 5);
    // The runs are placed by the hand bound, not the printed one (which is what is checked).
    for (const [factor, lr] of [[0.98, 0.98 * (2 / lambda)], [1.02, 1.02 * (2 / lambda)], [1.0005, 0.2159]] as const) {
      const doc = await undrawnDoc('5', { lr, steps: 200, seed: 1 });
      const paths = table(doc, 'how it ended');
      const said = /The distance to the bottom, step by step: (.*)\.$/m.exec(prose(doc))![1]!.split('; ');
      for (let k = 1; k <= 4; k++) {
        // The starts are the run's input (seeded draws), read from its table; what happens from them is computed here.
        const start = [cell(paths, `start ${k}`, 'start $w$') as number, cell(paths, `start ${k}`, 'start $b$') as number];
        const d = distances(grad, start, [w, b], lr, 10_000);
        const shrank = shrinkSteps(d.slice(0, 201));
        if (factor < 1) {
          // Below the bound: the distance shrinks at every step until rounding stops it (10⁻¹⁰), and the lesson says so.
          expect(shrinkSteps(d.filter((v) => v > 1e-10)), `path ${k}`).toBe(Infinity);
          expect(said[k - 1]).toBe(`on path ${k} it shrank at every one of its 200 steps`);
        } else {
          // Above it: the lesson's count is the loop's, and the distance then grows past where it started.
          expect(said[k - 1]).toBe(shrank === Infinity ? `on path ${k} it shrank at every one of its 200 steps` : `on path ${k} it shrank for the first ${shrank} steps, then not at step ${shrank + 1}`);
          expect(Math.max(...d), `path ${k} at η = ${lr}`).toBeGreaterThan(d[0]!);
        }
      }
    }
  });
});

describe('lesson 9: η < 2/λmax at the bottom of the Rosenbrock valley', () => {
  // H at (1, 1): [[2 − 400(w₂ − w₁²) + 1200w₁² − … ]] = [[802, −400], [−400, 200]] by hand; λmax = 501 + √(301² + 400²).
  const lambda = 501 + Math.hypot(301, 400);
  const grad = ([a, c]: number[]): number[] => [-2 * (1 - a!) - 400 * a! * (c! - a! * a!), 200 * (c! - a! * a!)];

  test('the curvatures printed are the Hessian\'s: 1506.4 at the start, 1001.6 at the bottom, and the bound 2/1001.6', async () => {
    const said = prose(await undrawnDoc('9'));
    // At (−1.2, 1): [[2 − 400(1 − 1.44) + 800·1.44, 480], [480, 200]] = [[1330, 480], [480, 200]].
    const start = 765 + Math.hypot(565, 480);
    expect(printed(said, /at the start \$\(-1\.2, 1\)\$, off the floor, the largest curvature is \$([\d.]+)\$/)).toBeCloseTo(start, 1);
    expect(printed(said, /at the bottom \$\(1, 1\)\$ it is \$([\d.]+)\$/)).toBeCloseTo(lambda, 1);
    expect(printed(said, /\\eta < 2\/[\d.]+ = ([\d.]+)\$/)).toBeCloseTo(2 / lambda, 6);
  });

  test('from near the bottom, at 0.98 of the bound plain descent settles; at 1.02 of it the run is pushed away, as the lesson says', () => {
    const near = [1.001, 1];
    const below = distances(grad, near, [1, 1], 0.98 * (2 / lambda), 20_000);
    const above = distances(grad, near, [1, 1], 1.02 * (2 / lambda), 2_000);
    expect(below[below.length - 1]!).toBeLessThan(1e-3 * below[0]!);
    expect(Math.max(...above)).toBeGreaterThan(10 * above[0]!);
  });

  test('the lesson\'s own plain descent, 10,000 steps: just below the bound it reaches the bottom, just above it does not', async () => {
    const verdict = async (lr: number): Promise<string> => prose(await undrawnDoc('9', { lr, steps: 10_000 })).split('\n').find((p) => p.startsWith('Gradient descent '))!;
    expect(await verdict(0.98 * (2 / lambda))).toMatch(/^Gradient descent reached the bottom/);
    const above = await verdict(1.02 * (2 / lambda));
    expect(above).not.toMatch(/reached the bottom|comes within/);
  });
});
