// Practice for lesson 5: the loss landscape of a line ŷ = w·x + b fitted to
// six points. The two slopes, a curvature, and two predictions checked
// against descent runs: the largest stable η, and how many steps η = 0.05
// needs to reach the bottom along the gentle floor.
import { definePractice, formatNumber, gd, parseExpression, train } from 'downhill';

const data: readonly (readonly [number, number])[] = [[0.5, 0.2], [1, 0.6], [1.5, 1.4], [2, 1.8], [2.5, 2.6], [3, 3.1]];
const n = data.length;
const sx = data.reduce((s, [x]) => s + x, 0);
const sy = data.reduce((s, [, y]) => s + y, 0);
const sxx = data.reduce((s, [x]) => s + x * x, 0);
const sxy = data.reduce((s, [x, y]) => s + x * y, 0);
const wStar = (n * sxy - sx * sy) / (n * sxx - sx * sx);
const bStar = (sy - wStar * sx) / n;
const L = (w: number, b: number): number => data.reduce((s, [x, y]) => s + (y - (w * x + b)) ** 2, 0) / n;
const minimum = L(wStar, bStar);
const perSample = parseExpression('(y - (w*x + b))^2');
const lossText = `(${data.map(([x, y]) => `(${y} - (${x}*w + b))^2`).join(' + ')})/${n}`;

const descend = (eta: number, steps: number, from: readonly number[]) =>
  train({ loss: perSample, params: ['w', 'b'], data: ['x', 'y'], batch: data.map((r) => [...r]), init: [...from], optimizer: gd(eta), steps });

/** The largest η (to 0.001) for which descent from `from` still ends lower than it started after 400 steps, by bisection on runs. */
function largestStable(from: readonly number[]): { value: number; report: string } {
  const converges = (eta: number): boolean => {
    const run = descend(eta, 400, from);
    return Number.isFinite(run.loss) && run.loss < L(from[0]!, from[1]!);
  };
  let lo = 0.01, hi = 1;
  while (hi - lo > 0.0005) {
    const mid = (lo + hi) / 2;
    if (converges(mid)) lo = mid;
    else hi = mid;
  }
  return { value: Number(lo.toFixed(3)), report: `descent runs of 400 steps from (w, b) = (${from.join(', ')}): at η = ${lo.toFixed(4)} the loss went down, at η = ${hi.toFixed(4)} it grew` };
}

/** Steps until the loss is within 1e-6 of the minimum, with η from `from` (at most 20,000). */
function stepsToBottom(eta: number, from: readonly number[]): { value: number; report: string } {
  const run = train({ loss: perSample, params: ['w', 'b'], data: ['x', 'y'], batch: data.map((r) => [...r]), init: [...from], optimizer: gd(eta), steps: 20_000, tolerance: minimum + 1e-6, maxRecords: 20_001 });
  const k = run.steps.findIndex((s) => s.loss - minimum < 1e-6);
  return k < 0
    ? { value: Infinity, report: `not within 1e-6 of the minimum after 20,000 steps` }
    : { value: run.steps[k]!.step, report: `the loss came within 10⁻⁶ of the minimum ${formatNumber(minimum, 6)} at step ${run.steps[k]!.step}` };
}

export default definePractice({
  lesson: 5, name: 'landscape', title: 'Practice: the loss landscape',
}, (v) => {
  const from = [v.number(-1, -2, 0), v.number(2, 1, 3)];
  const eta = v.number(0.05, 0.03, 0.08, 1);
  return [
    { kind: 'formula', id: 'de-db', prompt: 'Differentiate one sample\'s error $e = (y - (w x + b))^{2}$ by the intercept $b$.', expression: '(y - yhat)^2', wrt: 'b', of: 'e', names: { yhat: 'w*x + b' } },
    { kind: 'formula', id: 'de-dw', prompt: 'Differentiate the same error by the slope $w$.', expression: '(y - yhat)^2', wrt: 'w', of: 'e', names: { yhat: 'w*x + b' } },
    { kind: 'formula', id: 'dl-db', prompt: 'Differentiate the loss $L(w, b)$ of the six points by $b$ (any form).', expression: lossText, wrt: 'b', n },
    { kind: 'formula', id: 'curvature', prompt: 'The curvature of one error along $w$: differentiate $\\partial e/\\partial w = -2 x (y - (w x + b))$ once more by $w$.', expression: '-2*x*(y - (w*x + b))', wrt: 'w', of: 'g' },
    { kind: 'prediction', id: 'largest-eta', prompt: `From the steepest curvature, predict the largest $\\eta$ for which descent from $(w, b) = (${from.join(', ')})$ still goes down (to 2 digits).`,
      tolerance: 0.01, run: () => largestStable(from), hint: 'Steps shrink while $\\eta < 2/(\\text{the steepest curvature})$ (lesson 3), and the lesson prints that curvature.' },
    { kind: 'prediction', id: 'steps-gentle', prompt: `Predict how many steps $\\eta = ${eta}$ needs from $(w, b) = (${from.join(', ')})$ until the loss is within $10^{-6}$ of its minimum, along the gentle floor.`,
      tolerance: 0.2, relative: true, run: () => stepsToBottom(eta, from), hint: 'Along the floor each step multiplies the distance by $1 - \\lambda_{\\min} \\eta$ (the lesson prints it): how many such factors make the loss 10⁻⁶ of its start?' },
  ];
});
