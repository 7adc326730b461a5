// Lesson 9: optimizers. Plain gradient descent, momentum and Adam in the
// long, narrow, curved valley of the Rosenbrock function, their paths drawn
// on its contour map.
import {
  proseNumber, adam, continuation, contourPlot, defineLesson, derivative, describeOptimizer, diagnose, evaluate, formatNumber, toTex, gd, momentum, parseExpression, stopMessage, train, updateRule, verdictLabel,
  type Optimizer, type Series,
} from 'downhill';

/** Numbers in sentences: the prose style of the run diagnoses (4 digits, a power of ten below 10⁻³), so no 0.0004234 sits beside 4.23 × 10⁻⁴. */
const num = (v: number): string => proseNumber(v);
/** A distance: 2 digits, in the prose style (a power of ten below 10⁻³). */
const sci = (v: number): string => proseNumber(Number(v.toPrecision(2)));
/** A curvature: 5 digits, so 1001.6 is not shown as 1002 beside 2/1001.6 = 0.001997. */
const curv = (v: number): string => formatNumber(v, 5);

export default defineLesson({
  number: 9, name: 'optimizers', title: 'Optimizers',
  summary: 'plain descent, momentum and Adam in the long narrow valley of the Rosenbrock function',
  defaults: { lr: 0.001, steps: 1000, beta: 0.9, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
}, (doc, { lr, steps, beta, beta1, beta2, eps }) => {
  // --- The valley ------------------------------------------------------------
  doc.section('A long, narrow, curved valley');
  // The loss is L, as in every lesson; here it is the Rosenbrock function of the two parameters.
  const f = parseExpression('(1 - w1)^2 + 100 * (w2 - w1^2)^2');
  doc.text('The Rosenbrock function is the classic test for optimizers. Its valley follows the parabola $w_{2} = w_{1}^{2}$; the walls are a hundred times steeper than the floor, and the lowest point is at $(1, 1)$, where $L = 0$.');
  doc.expression(f, { label: 'L(w_{1}, w_{2})' });
  const names = ['w1', 'w2'] as const;
  const slopes = names.map((n) => derivative(f, n).node);
  slopes.forEach((d, i) => doc.expression(d, { label: `\\frac{\\partial L}{\\partial w_{${i + 1}}}` }));
  const F = (a: number, b: number): number => (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  // The Hessian, by the engine: each slope differentiated once more.
  const H = slopes.map((d) => names.map((n) => derivative(d, n).node));
  /** The curvatures at (a, b): the two eigenvalues of the symmetric 2 × 2 Hessian there, largest first. */
  const curvatures = (a: number, b: number): { largest: number; smallest: number } => {
    const at = { w1: a, w2: b };
    const [p, q, r] = [evaluate(H[0]![0]!, at), evaluate(H[0]![1]!, at), evaluate(H[1]![1]!, at)];
    const mid = (p + r) / 2;
    const half = Math.hypot((p - r) / 2, q);
    return { largest: mid + half, smallest: mid - half };
  };
  doc.text('How curved is the valley? Differentiate each slope once more: the engine\'s second derivatives make the matrix $H$ (the Hessian),');
  doc.formula(`H = \\begin{pmatrix} ${toTex(H[0]![0]!)} & ${toTex(H[0]![1]!)} \\\\ ${toTex(H[1]![0]!)} & ${toTex(H[1]![1]!)} \\end{pmatrix}`);
  const floor = Array.from({ length: 7 }, (_, k) => -1.2 + 0.4 * k).map((a) => ({ a, ...curvatures(a, a * a) }));
  doc.text('and its two eigenvalues are the curvatures across the valley and along it. On the floor, $w_{2} = w_{1}^{2}$, at a few points:');
  doc.table(['$w_{1}$', 'across the valley', 'along the floor'], floor.map((c) => [Number(c.a.toFixed(1)), c.largest, c.smallest]));
  const across = floor.map((c) => c.largest);
  const along = floor.map((c) => c.smallest);
  const atStart = curvatures(-1.2, 1).largest;
  const atBottom = curvatures(1, 1).largest;
  const bound = 2 / atBottom;
  doc.text(`Across the valley the curvature is $${num(Math.min(...across))}$ to $${num(Math.max(...across))}$ on the floor; along the floor only $${num(Math.min(...along))}$ to $${num(Math.max(...along))}$. Where a run is matters: at the start $(-1.2, 1)$, off the floor, the largest curvature is $${curv(atStart)}$; at the bottom $(1, 1)$ it is $${curv(atBottom)}$.`);
  doc.text(`Near the bottom each step of plain descent multiplies the part of the distance across the valley by $1 - ${curv(atBottom)}\\,\\eta$ (lesson 3). So it can settle at the bottom only with $\\eta < 2/${curv(atBottom)} = ${num(bound)}$; with a larger $\\eta$ that factor is below $-1$, and a run near the bottom is pushed away across the valley (slowly, for $\\eta$ just above). Elsewhere the curvature differs, and so does the largest step that does not overshoot across the valley; whether a run bounces is read from its own path below.`);

  // --- Three optimizers -------------------------------------------------------
  doc.section('Three update rules');
  doc.text('An optimizer is the rule that turns the gradient $\\nabla L$ (the vector of partial derivatives) into a step. Plain gradient descent is one; the other two remember earlier gradients.');
  const start = [-1.2, 1] as const;
  const optimizers: readonly { name: string; optimizer: Optimizer; why: string }[] = [
    { name: 'gradient descent', optimizer: gd(lr), why: 'steps in proportion to the slope: tiny on the flat floor' },
    {
      name: 'momentum', optimizer: momentum(lr, beta),
      // What β does, from its value: β = 0 keeps no velocity (plain descent); otherwise a gradient keeps acting for about 1/(1 − β) steps.
      why: beta === 0
        ? 'with $\\beta = 0$ it keeps no velocity: each step is plain descent\'s'
        : `a heavy ball: each step adds the new gradient to $\\beta = ${beta}$ times the last step, so a gradient keeps pushing for about $1/(1 - \\beta) = ${num(1 / (1 - beta))}$ steps; pushes that agree (along the floor) add up, pushes that alternate (across the valley) cancel`,
    },
    {
      name: 'Adam', optimizer: adam(0.1, { beta1, beta2, epsilon: eps }),
      why: `divides each step by the root of a running mean of that gradient component's square (over about $1/(1 - \\beta_{2}) = ${num(1 / (1 - beta2))}$ ${1 / (1 - beta2) === 1 ? 'step' : 'steps'}), plus $\\epsilon = ${num(eps)}$: while the gradient is much larger than $\\epsilon$, every parameter moves at about the same pace, whatever its gradient's size${beta1 === 0 ? '; with $\\beta_{1} = 0$ it keeps no running mean of the gradient itself' : `, in the direction of a running mean of the gradient (over about $1/(1 - \\beta_{1}) = ${num(1 / (1 - beta1))}$ ${1 / (1 - beta1) === 1 ? 'step' : 'steps'})`}`,
    },
  ];
  for (const o of optimizers) {
    const rule = updateRule(o.optimizer);
    doc.text(`${describeOptimizer(o.optimizer)}: ${o.why}.`);
    doc.formula(rule.tex);
  }
  doc.note(`Adam's η is a length in parameter units (its step is about η whatever the gradient's size, while that is much larger than ε), so it is set separately (0.1); --lr sets the rate of the other two (here ${lr}). Flags: --beta for momentum, --beta1, --beta2 and --eps for Adam.`);

  // --- The race ------------------------------------------------------------
  doc.section('The race');
  doc.text(`All three start at $(${start[0]}, ${start[1]})$ and take ${steps} ${steps === 1 ? 'step' : 'steps'} (change with --steps).`);
  const runs = optimizers.map((o) => {
    const setup = { loss: f, params: ['w1', 'w2'], init: [...start], optimizer: o.optimizer, steps };
    const run = train(setup);
    // What comes next is the run continued (at most 10,000 more steps), never projected.
    return { ...o, run, diagnosis: diagnose(run, { continued: continuation(setup) }) };
  });
  const firstUnder = (losses: readonly number[], t: number): number | string => {
    const k = losses.findIndex((l) => l < t);
    return k < 0 ? 'never' : k;
  };
  doc.table(['optimizer', '$w_{1}$ at the end', '$w_{2}$ at the end', 'distance to $(1, 1)$', '$L$ at the end', 'first step with $L < 0.01$'], runs.map((r) => [
    r.name, r.run.p[0]!, r.run.p[1]!, Math.hypot(r.run.p[0]! - 1, r.run.p[1]! - 1), r.run.loss, firstUnder(r.run.steps.map((s) => s.loss), 0.01),
  ]));
  for (const r of runs) if (r.run.stop.reason === 'diverged') doc.note(`${r.name}: ${stopMessage(r.run.stop)}`);
  const paths: Series[] = runs.map((r) => {
    const every = Math.max(1, Math.ceil(r.run.steps.length / 120));
    return { name: r.name, points: r.run.steps.filter((_, k) => k % every === 0 || k === r.run.steps.length - 1).map((s) => [s.p[0]!, s.p[1]!] as const) };
  });
  doc.plot(contourPlot({
    f: F, xRange: [-2, 2], yRange: [-1, 3], paths, levels: [0.01, 0.1, 0.5, 2, 10, 50, 200, 800], colorScale: 'log',
    xLabel: 'w₁', yLabel: 'w₂', valueLabel: 'L', width: 480, height: 400,
  }), `The paths on the map (a dot every few steps): ${runs.map((r) => `${r.name}: ${verdictLabel(r.diagnosis)}`).join('; ')}.`);
  const [g, m, a] = runs.map((r) => Math.hypot(r.run.p[0]! - 1, r.run.p[1]! - 1));
  for (const r of runs) doc.text(`${r.name[0]!.toUpperCase()}${r.name.slice(1)} ${r.diagnosis.summary}.`);
  // The bound where plain descent's own run went: the largest curvature along its path (at the steps recorded).
  const path = runs[0]!.run.steps.map((st) => ({ step: st.step, lambda: curvatures(st.p[0]!, st.p[1]!).largest }));
  const steepest = path.reduce((m, q) => (q.lambda > m.lambda ? q : m), path[0]!);
  const overshot = path.filter((q) => lr * q.lambda > 2).length;
  const lastCurvature = path[path.length - 1]!;
  doc.text(`Where plain descent went with $\\eta = ${lr}$: the largest curvature along its path was $${curv(steepest.lambda)}$ (step ${steepest.step}), where $\\eta$ times it is $${num(lr * steepest.lambda)}$; $\\eta$ times the curvature was above 2 at ${overshot === 0 ? 'none' : overshot === path.length ? 'every one' : `${overshot}`} of the ${path.length} ${path.length === runs[0]!.run.steps[runs[0]!.run.steps.length - 1]!.step + 1 ? '' : 'recorded '}points of its path. At its end the curvature is $${curv(lastCurvature.lambda)}$, and $\\eta = ${lr}$ is ${lr < bound ? 'under' : 'not under'} the bound $${num(bound)}$ of the bottom.`);
  doc.text(`After ${steps} ${steps === 1 ? 'step' : 'steps'} plain descent ends $${sci(g!)}$ from the bottom, momentum $${sci(m!)}$, Adam $${sci(a!)}$. Both tricks attack the same problem: one learning rate cannot suit a direction with curvature $${num(Math.max(...across))}$ and another with curvature $${num(Math.min(...along))}$.`);

  // --- Exercises -----------------------------------------------------------
  // The items of the practice set lessons/practice/09-optimizers.ts (the default variant), each graded by the
  // engine: downhill practice 9. test/lesson-exercises.test.ts checks that they are the set's prompts.
  doc.section('Exercises');
  doc.exercise('Differentiate the Rosenbrock function $L = (1 - w_{1})^{2} + 100 (w_{2} - w_{1}^{2})^{2}$ by $w_{1}$.', '`downhill practice 9` (exercise 1)');
  doc.exercise('Differentiate it by $w_{2}$.', '`downhill practice 9` (exercise 2)');
  doc.exercise('On the valley floor at $w_{1} = 1.2$ the Hessian has the diagonal $2 + 800 w_{1}^{2}$ and $200$ and the off-diagonal $-400 w_{1}$: compute the curvature across the valley, its larger eigenvalue. (Within ±0.5.)', '`downhill practice 9` (exercise 3)');
  doc.exercise('The largest curvature across the valley on the floor from $w_{1} = -1.2$ to $1.2$ is about 1354. On a quadratic with that curvature, plain descent settles only while $\\eta < 2/\\lambda$: compute that bound. (Within ±0.00005.)', '`downhill practice 9` (exercise 4)');
  doc.exercise('How many steps does plain descent with $\\eta = 0.001$ from $(-1.2, 1)$ need until $L < 0.01$? (Within 10% of what the run does; the run is done after you answer.)', '`downhill practice 9` (exercise 5); afterwards `downhill lesson 9 --steps 5000`: the last column of the race table');
  doc.exercise('Where the run is, the largest curvature is 1506 at the start $(-1.2, 1)$ and 1001.6 at the bottom, so $2/\\lambda$ goes from about 0.0013 to 0.0020 along the way. Predict what $\\eta = 0.002$ does: how many steps until $L < 0.01$? (Type a large number such as 1e9 if you expect it never to get there.) (Within 10% of what the run does; the run is done after you answer.)', '`downhill practice 9` (exercise 6); afterwards `downhill lesson 9 --lr 0.002 --steps 5000`: the last column of the race table');
});
