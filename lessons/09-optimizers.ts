// Lesson 9: optimizers. Plain gradient descent, momentum and Adam in the
// long, narrow, curved valley of the Rosenbrock function, their paths drawn
// on its contour map.
import {
  adam, continuation, contourPlot, defineLesson, derivative, describeOptimizer, diagnose, texNumber, formatNumber, gd, momentum, parseExpression, stopMessage, train, updateRule, verdictLabel,
  type Optimizer, type Series,
} from 'downhill';

const num = (v: number): string => formatNumber(v, 4);
const sci = (v: number): string => texNumber(v, 2);

export default defineLesson({
  number: 9, name: 'optimizers', title: 'Optimizers',
  summary: 'plain descent, momentum and Adam in the long narrow valley of the Rosenbrock function',
  defaults: { lr: 0.001, steps: 1000 },
}, (doc, { lr, steps }) => {
  // --- The valley ------------------------------------------------------------
  doc.section('A long, narrow, curved valley');
  const f = parseExpression('(1 - w1)^2 + 100 * (w2 - w1^2)^2');
  doc.text('The Rosenbrock function is the classic test for optimizers. Its valley follows the parabola $w_{2} = w_{1}^{2}$; the walls are a hundred times steeper than the floor, and the lowest point is at $(1, 1)$, where $f = 0$.');
  doc.expression(f, { label: 'f(w_{1}, w_{2})' });
  doc.expression(derivative(f, 'w1').node, { label: '\\frac{\\partial f}{\\partial w_{1}}' });
  doc.expression(derivative(f, 'w2').node, { label: '\\frac{\\partial f}{\\partial w_{2}}' });
  const F = (a: number, b: number): number => (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  // The curvature on the valley floor w₂ = w₁²: the Hessian there is [[2 + 800 w₁², −400 w₁], [−400 w₁, 200]].
  const floor = Array.from({ length: 7 }, (_, k) => -1.2 + 0.4 * k).map((a) => {
    const [p, q, r] = [2 + 800 * a * a, -400 * a, 200];
    const mid = (p + r) / 2;
    const half = Math.sqrt(((p - r) / 2) ** 2 + q * q);
    return { a, across: mid + half, along: mid - half };
  });
  doc.text('How curved is the valley? On its floor, $w_{2} = w_{1}^{2}$, the matrix of second derivatives (the Hessian) is');
  doc.formula('H = \\begin{pmatrix} 2 + 800 w_{1}^{2} & -400 w_{1} \\\\ -400 w_{1} & 200 \\end{pmatrix}');
  doc.text('and its two eigenvalues are the curvatures across the valley and along it, at a few points of the floor:');
  doc.table(['$w_{1}$', 'across the valley', 'along the floor'], floor.map((f) => [Number(f.a.toFixed(1)), f.across, f.along]));
  const across = floor.map((f) => f.across);
  const along = floor.map((f) => f.along);
  doc.text(`Across the valley the curvature is $${num(Math.min(...across))}$ to $${num(Math.max(...across))}$; along the floor it is $${num(Math.min(...along))}$ to $${num(Math.max(...along))}$. Plain descent must keep $\\eta$ under $2/${num(Math.max(...across))} = ${num(2 / Math.max(...across))}$ or it bounces off the walls (lesson 3), and with such a step it crawls along the floor.`);

  // --- Three optimizers -------------------------------------------------------
  doc.section('Three update rules');
  doc.text('An optimizer is the rule that turns the gradient $\\nabla f$ (the vector of partial derivatives) into a step. Plain gradient descent is one; the other two remember earlier gradients.');
  const start = [-1.2, 1] as const;
  const optimizers: readonly { name: string; optimizer: Optimizer; why: string }[] = [
    { name: 'gradient descent', optimizer: gd(lr), why: 'steps in proportion to the slope: tiny on the flat floor' },
    { name: 'momentum', optimizer: momentum(lr, 0.9), why: 'a heavy ball: velocity builds up along the floor, the zigzag across cancels out' },
    { name: 'Adam', optimizer: adam(0.1), why: 'divides each step by the recent size of that gradient component: every parameter moves at about the same pace' },
  ];
  for (const o of optimizers) {
    const rule = updateRule(o.optimizer);
    doc.text(`${describeOptimizer(o.optimizer)}: ${o.why}.`);
    doc.formula(rule.tex);
  }
  doc.note(`Adam's η is a length in parameter units (its step is about η whatever the gradient's size), so it is set separately (0.1); --lr sets the rate of the other two (here ${lr}).`);

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
  doc.table(['optimizer', '$w_{1}$ at the end', '$w_{2}$ at the end', 'distance to $(1, 1)$', '$f$ at the end', 'first step with $f < 0.01$'], runs.map((r) => [
    r.name, r.run.p[0]!, r.run.p[1]!, Math.hypot(r.run.p[0]! - 1, r.run.p[1]! - 1), r.run.loss, firstUnder(r.run.steps.map((s) => s.loss), 0.01),
  ]));
  for (const r of runs) if (r.run.stop.reason === 'diverged') doc.note(`${r.name}: ${stopMessage(r.run.stop)}`);
  const paths: Series[] = runs.map((r) => {
    const every = Math.max(1, Math.ceil(r.run.steps.length / 120));
    return { name: r.name, points: r.run.steps.filter((_, k) => k % every === 0 || k === r.run.steps.length - 1).map((s) => [s.p[0]!, s.p[1]!] as const) };
  });
  doc.plot(contourPlot({
    f: F, xRange: [-2, 2], yRange: [-1, 3], paths, levels: [0.01, 0.1, 0.5, 2, 10, 50, 200, 800], colorScale: 'log',
    xLabel: 'w₁', yLabel: 'w₂', valueLabel: 'f', width: 480, height: 400,
  }), `The paths on the map (a dot every few steps): ${runs.map((r) => `${r.name}: ${verdictLabel(r.diagnosis)}`).join('; ')}.`);
  const [g, m, a] = runs.map((r) => Math.hypot(r.run.p[0]! - 1, r.run.p[1]! - 1));
  for (const r of runs) doc.text(`${r.name[0]!.toUpperCase()}${r.name.slice(1)} ${r.diagnosis.summary}.`);
  doc.text(`After ${steps} ${steps === 1 ? 'step' : 'steps'} plain descent ends $${sci(g!)}$ from the bottom, momentum $${sci(m!)}$, Adam $${sci(a!)}$. Both tricks attack the same problem: one learning rate cannot suit a direction with curvature $${num(Math.max(...across))}$ and another with curvature $${num(Math.min(...along))}$.`);

  // --- Exercises -----------------------------------------------------------
  doc.section('Exercises');
  doc.exercise('The walls allow plain descent at most $\\eta \\approx 0.0015$. Predict what $\\eta = 0.002$ does.', '`downhill lesson 9 --lr 0.002`');
  doc.exercise('How many steps does plain descent need until $f < 0.01$?', '`downhill lesson 9 --steps 20000`: the last column of the race table.');
});
