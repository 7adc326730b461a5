// Practice for lesson 3: gradient descent and the learning rate. The update
// rule, the rate that lands in one step, the bound η < 2/L″, and two
// predictions checked against the runs themselves (run after the answer).
import { definePractice, formatNumber, gd, parseExpression, train } from 'downhill';

const data: readonly (readonly [number, number])[] = [[1, 1.5], [2, 2.9], [3, 4.8], [4, 6.1]];
/** L'(w) = c·w + b: c = L'' = (2/N)Σx² = 15, b = −(2/N)Σxy. */
const c = (2 / data.length) * data.reduce((s, [x]) => s + x * x, 0);
const b = -(2 / data.length) * data.reduce((s, [x, y]) => s + x * y, 0);
const wStar = -b / c;
const r = (x: number): number => Number(x.toPrecision(12));

/** Descent on the lesson's loss from w = 0 (the lesson's start): |w_T − w*| / |w_0 − w*|. */
function distanceRatio(eta: number, steps: number): { value: number; report: string } {
  const run = train({ loss: parseExpression('(y - w*x)^2'), params: ['w'], data: ['x', 'y'], batch: data.map((d) => [...d]), init: [0], optimizer: gd(eta), steps });
  const end = run.steps[run.steps.length - 1]!;
  const ratio = Math.abs(end.p[0]! - wStar) / Math.abs(0 - wStar);
  return { value: ratio, report: `after ${end.step} steps with η = ${eta} from w = 0, w = ${formatNumber(end.p[0]!, 6)}: ${formatNumber(ratio, 4)} times the first distance to the bottom w* = ${formatNumber(wStar, 6)}` };
}

export default definePractice({
  lesson: 3, name: 'learning-rate', title: 'Practice: gradient descent and the learning rate',
}, (v) => {
  const eta = v.number(0.135, 0.134, 0.14, 3);
  const steps = v.pick([40, 30, 50]);
  return [
    { kind: 'formula', id: 'update', prompt: 'Write one step of gradient descent on this loss, $L\'(w) = 15 w - 23.05$: the new $w$ as a formula in $w$ and the learning rate `eta`.',
      formula: `w - eta*(${r(c)}*w - ${r(-b)})`, domain: { w: [-2, 4], eta: [0, 0.2] } },
    { kind: 'formula', id: 'factor', prompt: 'Each step multiplies the distance to the bottom by a factor: write it as a formula in `eta` (the curvature is $L\'\' = 15$).',
      formula: `1 - ${r(c)}*eta`, domain: { eta: [0, 0.2] } },
    { kind: 'number', id: 'one-step-rate', prompt: 'Which $\\eta$ lands on the bottom in one step? (Make the factor 0.)', value: 1 / c, tolerance: 0.0005, hint: 'Solve $1 - 15 \\eta = 0$.' },
    { kind: 'number', id: 'bound', prompt: 'Above which $\\eta$ do the steps grow instead of shrink? (The factor reaches $-1$.)', value: 2 / c, tolerance: 0.0005, hint: 'Solve $1 - 15 \\eta = -1$.' },
    { kind: 'prediction', id: 'grow', prompt: `With $\\eta = ${eta}$, from $w = 0$, predict the distance to the bottom after ${steps} steps as a multiple of the first distance (below 1: it shrank; above 1: it grew).`,
      tolerance: 0.05, relative: true, run: () => distanceRatio(eta, steps), hint: `The factor per step is $1 - 15 \\eta$; after ${steps} steps its absolute value to the power ${steps}.` },
    { kind: 'prediction', id: 'bounce', prompt: 'Predict what exactly $\\eta = 2/15$ does over 15 steps: the distance to the bottom after 15 steps as a multiple of the first.',
      tolerance: 0.05, relative: true, run: () => distanceRatio(2 / 15, 15), hint: 'The factor is exactly $-1$.' },
  ];
});
