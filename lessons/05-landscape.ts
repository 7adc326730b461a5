// Lesson 5: the loss landscape. With two parameters the loss is a surface
// over the plane, drawn as a map with contour lines; gradient descent walks
// downhill on it from a few random starts.
import {
  contourPlot, defineLesson, derivative, diagnose, formatNumber, gd, mulberry32, parseExpression, surfacePlot, train, uniform, verdictLabel, type Series,
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
  doc.text('The gradient $\\nabla L = \\left(\\frac{\\partial L}{\\partial w}, \\frac{\\partial L}{\\partial b}\\right)$ has one slope per parameter; each says how the loss changes when only that parameter moves, and together they point uphill, the steepest way. For one sample:');
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
  doc.text(`Every point $(w, b)$ of the plane has a loss: a landscape of hills and valleys, here one long valley. Its bottom, where both slopes are zero, is at $w = ${num(wStar)}$, $b = ${num(bStar)}$ with loss $${num(L(wStar, bStar))}$.`);
  doc.plot(contourPlot({
    f: L, xRange: wRange, yRange: bRange, levels: [0.05, 0.2, 0.5, 1, 2, 4, 8, 16], xLabel: 'w (slope)', yLabel: 'b (intercept)', valueLabel: 'L(w, b)',
  }), 'The loss over the plane: dark is low. The valley is long and narrow because w and b can trade off against each other: a steeper line with a lower intercept fits almost as well.');

  // --- Descent from random starts ------------------------------------------
  doc.section('Walking downhill');
  // The curvature: L is quadratic, its Hessian (2/n)·[[Σx², Σx], [Σx, n]] is the same everywhere.
  const hww = (2 * sxx) / n, hwb = (2 * sx) / n, hbb = 2;
  const mean = (hww + hbb) / 2;
  const spread = Math.sqrt(((hww - hbb) / 2) ** 2 + hwb ** 2);
  const [steep, gentle] = [mean + spread, mean - spread];
  doc.text(`Gradient descent with $\\eta = ${lr}$ from four random starts (seed ${seed}; change with --seed, --lr, --steps). Each step goes straight down the steepest slope, which points mostly across the valley rather than along it. How long a step may be is set by the curvature: across the valley it is $${num(steep)}$, along the floor only $${num(gentle)}$ (the eigenvalues of the Hessian of $L$), so steps shrink the distance to the bottom only while $\\eta < 2/${num(steep)} = ${num(2 / steep)}$ (lesson 3), and along the floor each step multiplies it by $|1 - ${num(gentle)}\\,\\eta| = ${num(Math.abs(1 - gentle * lr))}$.`);
  const rng = mulberry32(seed);
  const minimum = L(wStar, bStar);
  const runs = Array.from({ length: 4 }, (_, i) => {
    const init = [uniform(rng, wRange[0], wRange[1]), uniform(rng, bRange[0], bRange[1])];
    const run = train({ loss: perSample, params: ['w', 'b'], data: ['x', 'y'], batch: data.map((r) => [...r]), init, optimizer: gd(lr), steps });
    return { name: `start ${i + 1}`, init, run, diagnosis: diagnose(run, { minimum }) };
  });
  doc.table(['path', 'start $w$', 'start $b$', 'end $w$', 'end $b$', 'loss at the end', 'how it ended'], runs.map((r) => [
    r.name, r.init[0]!, r.init[1]!, r.run.p[0]!, r.run.p[1]!, r.run.loss, r.diagnosis.kind === 'too-short' ? verdictLabel(r.diagnosis) : `${verdictLabel(r.diagnosis)} (${r.run.steps.length - 1} ${r.run.steps.length === 2 ? 'step' : 'steps'})`,
  ]));
  const paths: Series[] = runs.map((r) => {
    const every = Math.max(1, Math.ceil(r.run.steps.length / 60));
    const pts = r.run.steps.filter((s, k) => k < 20 || k % every === 0 || k === r.run.steps.length - 1);
    return { name: r.name, points: pts.map((s) => [s.p[0]!, s.p[1]!] as const) };
  });
  const verdicts = [...new Set(runs.map((r) => verdictLabel(r.diagnosis)))];
  const allSay = verdicts.length === 1 ? `all four paths: ${verdicts[0]}` : runs.map((r) => `${r.name}: ${verdictLabel(r.diagnosis)}`).join('; ');
  doc.plot(contourPlot({
    f: L, xRange: wRange, yRange: bRange, levels: [0.05, 0.2, 0.5, 1, 2, 4, 8, 16], paths, xLabel: 'w (slope)', yLabel: 'b (intercept)', valueLabel: 'L(w, b)',
  }), `Descent paths with $\\eta = ${lr}$ (the first 20 steps, then every few): ${allSay}.`);
  // On the site: the same loss as a 3-D mountain; the learner picks the start.
  doc.mountain({
    loss: perSample, params: ['w', 'b'], data: ['x', 'y'], batch: data, x: wRange, y: bRange, start: [runs[0]!.init[0]!, runs[0]!.init[1]!], lr, steps,
    caption: `The same loss as a mountain (height: the loss). Drag to turn it; click a point on the map or on the surface to start gradient descent there with $\\eta = ${lr}$.`,
  });
  for (const r of runs) doc.text(`Path ${r.name.replace('start ', '')} ${r.diagnosis.summary}.`);

  // The mountain: the same surface in 3-D, with a path at the learner's rate and one just under the bound, which zigzags.
  const from = runs[0]!.init;
  const zigzagRate = Number((0.97 * (2 / steep)).toPrecision(3));
  const seen = [lr, zigzagRate].map((eta) => {
    const run = train({ loss: perSample, params: ['w', 'b'], data: ['x', 'y'], batch: data.map((r) => [...r]), init: from, optimizer: gd(eta), steps: Math.min(steps, 60) });
    return { eta, run, diagnosis: diagnose(run, { minimum }) };
  });
  doc.plot(surfacePlot({
    f: L, xRange: wRange, yRange: bRange, xLabel: 'w', yLabel: 'b', zLabel: 'L', zMax: 12,
    paths: seen.map((p) => ({ name: `η = ${p.eta}`, points: p.run.steps.map((st) => [st.p[0]!, st.p[1]!] as const) })),
  }), `The same landscape as a surface (heights over 12 cut off), from path 1's start, ${Math.min(steps, 60)} ${Math.min(steps, 60) === 1 ? 'step' : 'steps'}: ${seen.map((p) => `$\\eta = ${p.eta}$: ${verdictLabel(p.diagnosis)}`).join('; ')}. Across the valley each step multiplies the distance to the floor by $1 - ${num(steep)}\\,\\eta$: ${seen.map((p) => `$${num(1 - steep * p.eta)}$ for $\\eta = ${p.eta}$`).join(', ')}; a negative factor means each step jumps to the other side.`);
  doc.text('Progress along the gentle floor is slow; a larger $\\eta$ would go faster along it but, above $2/(\\text{the steepest curvature})$, bounce out across it. Lesson 9 shows two optimizers that deal with this.');

  // --- Exercises -----------------------------------------------------------
  doc.section('Exercises');
  doc.exercise('From the steepest curvature above, predict the largest $\\eta$ for which the paths still converge.', '`downhill lesson 5 --lr 0.21` and `downhill lesson 5 --lr 0.22`');
  doc.exercise('Predict how many steps $\\eta = 0.05$ needs to reach the bottom along the gentle floor.', '`downhill lesson 5 --lr 0.05 --steps 1000`');
});
