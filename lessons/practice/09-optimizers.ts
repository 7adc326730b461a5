// Practice for lesson 9: optimizers in the Rosenbrock valley. Its two
// partials, the bound on plain descent's rate, and predictions about the
// runs: how many steps plain descent needs until L < 0.01, at η = 0.001 and
// at η = 0.002 (over the bound of the far end of the floor, not of the rest).
import { definePractice, formatNumber, gd, parseExpression, train } from 'downhill';

const f = parseExpression('(1 - w1)^2 + 100 * (w2 - w1^2)^2');
const start = [-1.2, 1] as const;

/** The first step at which plain descent with rate eta from the lesson's start has L < 0.01 (at most 100,000 steps). */
function stepsUnder(eta: number, threshold: number): { value: number; report: string } {
  const run = train({ loss: f, params: ['w1', 'w2'], init: [...start], optimizer: gd(eta), steps: 100_000, tolerance: threshold, maxRecords: 100_001 });
  const k = run.steps.findIndex((s) => s.loss < threshold);
  return k < 0
    ? { value: Infinity, report: `f stayed at or above ${threshold} for 100,000 steps (f = ${formatNumber(run.loss, 4)} at the end)` }
    : { value: run.steps[k]!.step, report: `plain descent with η = ${eta} from (${start.join(', ')}): L < ${threshold} first at step ${run.steps[k]!.step}` };
}

export default definePractice({
  lesson: 9, name: 'optimizers', title: 'Practice: optimizers',
}, (v) => {
  const eta = v.pick([0.001, 0.0012, 0.0008]);
  const w1 = v.number(1.2, 0.6, 1.4);
  return [
    { kind: 'formula', id: 'df-dw1', prompt: 'Differentiate the Rosenbrock function $L = (1 - w_{1})^{2} + 100 (w_{2} - w_{1}^{2})^{2}$ by $w_{1}$.', expression: '(1 - w1)^2 + 100*(w2 - w1^2)^2', wrt: 'w1', of: 'L' },
    { kind: 'formula', id: 'df-dw2', prompt: 'Differentiate it by $w_{2}$.', expression: '(1 - w1)^2 + 100*(w2 - w1^2)^2', wrt: 'w2', of: 'L' },
    { kind: 'number', id: 'across', prompt: `On the valley floor at $w_{1} = ${formatNumber(w1, 6)}$ the Hessian has the diagonal $2 + 800 w_{1}^{2}$ and $200$ and the off-diagonal $-400 w_{1}$: compute the curvature across the valley, its larger eigenvalue.`,
      value: (() => { const [p, q, r] = [2 + 800 * w1 * w1, -400 * w1, 200]; return (p + r) / 2 + Math.sqrt(((p - r) / 2) ** 2 + q * q); })(), tolerance: 0.5,
      hint: 'For a symmetric 2 × 2 matrix the eigenvalues are the mean of the diagonal ± the square root of (half the difference)² + the off-diagonal².' },
    { kind: 'number', id: 'bound', prompt: 'The largest curvature across the valley on the floor from $w_{1} = -1.2$ to $1.2$ is about 1354. On a quadratic with that curvature, plain descent settles only while $\\eta < 2/\\lambda$: compute that bound.', value: 2 / 1354, tolerance: 0.00005,
      hint: 'Lesson 3: $\\eta < 2 / \\text{curvature}$.' },
    { kind: 'prediction', id: 'steps-under', prompt: `How many steps does plain descent with $\\eta = ${eta}$ from $(${start.join(', ')})$ need until $L < 0.01$?`, tolerance: 0.1, relative: true,
      run: () => stepsUnder(eta, 0.01), ...(v.id === undefined ? { see: '`downhill lesson 9 --steps 5000`: the last column of the race table' } : {}), hint: 'The lesson\'s race table shows how far it gets in 1000 steps; along the floor progress is slow and steady.' },
    { kind: 'prediction', id: 'eta-002', prompt: 'Where the run is, the largest curvature is 1506 at the start $(-1.2, 1)$ and 1001.6 at the bottom, so $2/\\lambda$ goes from about 0.0013 to 0.0020 along the way. Predict what $\\eta = 0.002$ does: how many steps until $L < 0.01$? (Type a large number such as 1e9 if you expect it never to get there.)',
      tolerance: 0.1, relative: true, run: () => stepsUnder(0.002, 0.01), see: '`downhill lesson 9 --lr 0.002 --steps 5000`: the last column of the race table',
      hint: 'Where does the path run along the floor, and how curved are the walls there (the lesson\'s table of curvatures)?' },
  ];
});
