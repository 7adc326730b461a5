// Lesson 9: optimizers. Plain gradient descent, momentum and Adam in the
// long, narrow, curved valley of the Rosenbrock function, their paths drawn
// on its contour map.
import {
  adam, contourPlot, defineLesson, derivative, describeOptimizer, formatNumber, gd, momentum, parseExpression, stopMessage, train, updateRule,
  type Optimizer, type Series,
} from 'downhill';

const num = (v: number): string => formatNumber(v, 4);
const sci = (v: number): string => v.toExponential(1);

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
  doc.text('Across the valley the curvature is about 200 to 2000; along the floor it is about 1 to 2. Plain descent must keep $\\eta$ under 2 / (the steepest curvature) or it bounces off the walls (lesson 3), so along the floor it crawls.');

  // --- Three optimizers -------------------------------------------------------
  doc.section('Three update rules');
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
  doc.text(`All three start at $(${start[0]}, ${start[1]})$ and take ${steps} steps (change with --steps).`);
  const runs = optimizers.map((o) => ({
    ...o,
    run: train({ loss: f, params: ['w1', 'w2'], init: [...start], optimizer: o.optimizer, steps }),
  }));
  const firstUnder = (losses: readonly number[], t: number): number | string => {
    const k = losses.findIndex((l) => l < t);
    return k < 0 ? 'never' : k;
  };
  doc.table(['optimizer', '$w_{1}$ at the end', '$w_{2}$ at the end', 'distance to $(1, 1)$', '$f$ at the end', 'first step with $f < 0.01$'], runs.map((r) => [
    r.name, r.run.params[0]!, r.run.params[1]!, Math.hypot(r.run.params[0]! - 1, r.run.params[1]! - 1), r.run.loss, firstUnder(r.run.steps.map((s) => s.loss), 0.01),
  ]));
  for (const r of runs) if (r.run.stop.reason === 'diverged') doc.note(`${r.name}: ${stopMessage(r.run.stop)}`);
  const paths: Series[] = runs.map((r) => {
    const every = Math.max(1, Math.ceil(r.run.steps.length / 120));
    return { name: r.name, points: r.run.steps.filter((_, k) => k % every === 0 || k === r.run.steps.length - 1).map((s) => [s.params[0]!, s.params[1]!] as const) };
  });
  doc.plot(contourPlot({
    f: F, xRange: [-2, 2], yRange: [-1, 3], paths, levels: [0.01, 0.1, 0.5, 2, 10, 50, 200, 800], colorScale: 'log',
    xLabel: 'w₁', yLabel: 'w₂', valueLabel: 'f', width: 480, height: 400,
  }), `The paths on the map (a dot every few steps): plain descent falls into the valley and crawls; momentum overshoots and swings, but travels; Adam walks the floor at a steady pace.`);
  const [g, m, a] = runs.map((r) => Math.hypot(r.run.params[0]! - 1, r.run.params[1]! - 1));
  doc.text(`After ${steps} steps plain descent is still ${num(g!)} from the bottom, momentum ${sci(m!)}, Adam ${sci(a!)}. Both tricks attack the same problem: one learning rate cannot suit a direction with curvature 1000 and another with curvature 1.`);
});
