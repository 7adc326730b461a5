// Lesson 5: the loss landscape. With two parameters the loss is a surface
// over the plane, drawn as a map with contour lines; gradient descent walks
// downhill on it from a few random starts.
import {
  contourPlot, defineLesson, derivative, formatNumber, gd, mulberry32, parseExpression, train, uniform, type Series,
} from 'downhill';

const num = (v: number): string => formatNumber(v, 6);

// Six points on a line y = 1.2·x − 0.5, a little off it.
const data: readonly (readonly [number, number])[] = [[0.5, 0.2], [1, 0.6], [1.5, 1.4], [2, 1.8], [2.5, 2.6], [3, 3.1]];
const wRange = [-1, 3] as const;
const bRange = [-3, 3] as const;

export default defineLesson({
  number: 5, name: 'landscape', title: 'The loss landscape',
  summary: 'a two-parameter loss drawn as a map with contour lines, and descent paths from random starts',
  defaults: { lr: 0.2, steps: 200, seed: 1 },
}, (doc, { lr, steps, seed }) => {
  // --- Two parameters --------------------------------------------------------
  doc.section('A model with two parameters');
  doc.text('A line with a slope $w$ and an intercept $b$, fitted to six points by the mean squared error:');
  const perSample = parseExpression('(y - (w*x + b))^2');
  doc.expression(perSample, { label: 'e(w, b)' });
  doc.formula('L(w, b) = \\frac{1}{6} \\sum_{n=1}^{6} \\left(y_n - (w x_n + b)\\right)^{2}');
  doc.table(['$x$', '$y$'], data.map((r) => [...r]), { caption: 'The data:' });
  doc.text('The gradient has one slope per parameter; each says how the loss changes when only that parameter moves:');
  doc.expression(derivative(perSample, 'w').node, { label: '\\frac{\\partial e}{\\partial w}' });
  doc.expression(derivative(perSample, 'b').node, { label: '\\frac{\\partial e}{\\partial b}' });

  // --- The landscape -------------------------------------------------------
  doc.section('The landscape');
  const L = (w: number, b: number): number => data.reduce((s, [x, y]) => s + (y - (w * x + b)) ** 2, 0) / data.length;
  // The bottom, from the normal equations (set both slopes to zero and solve).
  const n = data.length;
  const sx = data.reduce((s, [x]) => s + x, 0);
  const sy = data.reduce((s, [, y]) => s + y, 0);
  const sxx = data.reduce((s, [x]) => s + x * x, 0);
  const sxy = data.reduce((s, [x, y]) => s + x * y, 0);
  const wStar = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const bStar = (sy - wStar * sx) / n;
  doc.text(`Every point $(w, b)$ of the plane has a loss: a landscape of hills and valleys, here one long valley. Its bottom, where both slopes are zero, is at w = ${num(wStar)}, b = ${num(bStar)} with loss ${num(L(wStar, bStar))}.`);
  doc.plot(contourPlot({
    f: L, xRange: wRange, yRange: bRange, levels: [0.05, 0.2, 0.5, 1, 2, 4, 8, 16], xLabel: 'w (slope)', yLabel: 'b (intercept)', valueLabel: 'L(w, b)',
  }), 'The loss over the plane: dark is low. The valley is long and narrow because w and b can trade off against each other: a steeper line with a lower intercept fits almost as well.');

  // --- Descent from random starts ------------------------------------------
  doc.section('Walking downhill');
  doc.text(`Gradient descent with $\\eta = ${lr}$ from four random starts (seed ${seed}; change with --seed, --lr, --steps). Each step goes straight down the steepest slope, which is across the valley rather than along it: the paths first drop into the valley, zigzagging, then crawl along its floor.`);
  const rng = mulberry32(seed);
  const runs = Array.from({ length: 4 }, (_, i) => {
    const init = [uniform(rng, wRange[0], wRange[1]), uniform(rng, bRange[0], bRange[1])];
    const run = train({ loss: perSample, params: ['w', 'b'], data: ['x', 'y'], batch: data.map((r) => [...r]), init, optimizer: gd(lr), steps });
    return { name: `start ${i + 1}`, init, run };
  });
  doc.table(['path', 'start $w$', 'start $b$', 'end $w$', 'end $b$', 'loss at the end', 'how it ended'], runs.map((r) => [
    r.name, r.init[0]!, r.init[1]!, r.run.params[0]!, r.run.params[1]!, r.run.loss, r.run.stop.reason === 'steps' ? `${r.run.steps.length - 1} steps` : r.run.stop.reason,
  ]));
  const paths: Series[] = runs.map((r) => {
    const every = Math.max(1, Math.ceil(r.run.steps.length / 60));
    const pts = r.run.steps.filter((s, k) => k < 20 || k % every === 0 || k === r.run.steps.length - 1);
    return { name: r.name, points: pts.map((s) => [s.params[0]!, s.params[1]!] as const) };
  });
  doc.plot(contourPlot({
    f: L, xRange: wRange, yRange: bRange, levels: [0.05, 0.2, 0.5, 1, 2, 4, 8, 16], paths, xLabel: 'w (slope)', yLabel: 'b (intercept)', valueLabel: 'L(w, b)',
  }), 'Descent paths (the first 20 steps, then every few): downhill fast across the valley, then slowly along it to the bottom.');
  const diverged = runs.filter((r) => r.run.stop.reason === 'diverged').length;
  const far = Math.max(...runs.map((r) => Math.hypot(r.run.params[0]! - wStar, r.run.params[1]! - bStar)));
  doc.text(`${diverged > 0 ? `With $\\eta = ${lr}$, ${diverged} of the ${runs.length} paths diverged: the steps were too long for this valley.` : `After ${steps} steps the farthest path ends ${far.toExponential(1)} from the bottom.`} The slope along the valley floor is gentle, so progress there is slow; a larger $\\eta$ would go faster along the floor but, above $2/(\\text{the steepest curvature})$, bounce out across it (lesson 3). Lesson 9 shows two optimizers that deal with this.`);
});
