// Lesson 1: the loss function. A model with one parameter w predicts ŷ = w·x;
// the squared error says how wrong it is on each sample, and their mean, as a
// function of w, is the loss that training will push down.
import { defineLesson, evaluate, linePlot, parseExpression, scatterPlot, substitute, sum, div, formatNumber, type Node } from 'downhill';

/** Numbers in the prose: six significant digits. */
const num = (v: number): string => formatNumber(v, 6);

// The data: four (x, y) pairs, roughly y ≈ 1.5·x.
const data: readonly (readonly [number, number])[] = [[1, 1.5], [2, 2.9], [3, 4.8], [4, 6.1]];

export default defineLesson({
  number: 1, name: 'loss', title: 'The loss function',
  summary: 'a one-parameter model ŷ = wx and its squared-error loss, plotted against w',
  defaults: { guess: 1 },
}, (doc, { guess: g }) => {
  // --- The model -----------------------------------------------------------
  doc.section('A model with one parameter');
  doc.text('We want to predict $y$ from $x$. The simplest model multiplies $x$ by a number $w$. A number the model learns from data is a parameter; training chooses it:');
  doc.formula('\\hat{y} = w x');
  doc.text('The data are four pairs $(x, y)$:');
  doc.table(['$n$', '$x$', '$y$'], data.map(([x, y], n) => [n + 1, x, y]));

  // --- One sample's error --------------------------------------------------
  doc.section('How wrong is a guess? The squared error');
  const perSample = parseExpression('(y - w*x)^2');
  doc.text('For one sample the model is off by $y - \\hat{y}$. Squaring makes every miss count as positive, and big misses count much more than small ones:');
  doc.expression(perSample, { label: 'e(w; x, y)' });
  const guess = g!;
  doc.text(`Try the guess $w = ${num(guess)}$ on every sample:`);
  const rows = data.map(([x, y], n) => {
    const yhat = guess * x;
    return [n + 1, x, y, yhat, y - yhat, evaluate(perSample, { w: guess, x, y })];
  });
  doc.table(['$n$', '$x$', '$y$', '$\\hat{y} = w x$', '$y - \\hat{y}$', '$(y - \\hat{y})^{2}$'], rows);
  const lossAtGuess = rows.reduce((s, r) => s + (r[5] as number), 0) / data.length;
  doc.text(`The loss is the mean of the last column: $L(${num(guess)}) = ${num(lossAtGuess)}$.`);

  // --- The loss as a function of w -----------------------------------------
  doc.section('The loss is a function of $w$');
  doc.text('Put the data in and only $w$ is left. The loss is one expression in $w$, built here by substituting each sample into $e$ and taking the mean:');
  // The same error written x·w, so that a substituted x reads 2w rather than w·2.
  const perSampleXW = parseExpression('(y - x*w)^2');
  const terms: Node[] = data.map(([x, y]) => substitute(perSampleXW, new Map([['x', x], ['y', y]])));
  const L = div(sum(terms), data.length);
  doc.expression(L, { label: 'L(w)' });
  const grid = Array.from({ length: 13 }, (_, k) => k * 0.25);
  doc.table(['$w$', '$L(w)$'], grid.map((w) => [w, evaluate(L, { w })]), { caption: 'The loss at a few values of $w$:' });
  const curve = Array.from({ length: 121 }, (_, k) => {
    const w = k * 0.025;
    return [w, evaluate(L, { w })] as const;
  });
  doc.plot(linePlot({ series: [{ name: 'L(w)', points: curve }], xLabel: 'w', yLabel: 'L(w)' }), 'The loss against the parameter: a parabola with one lowest point.');

  // --- The best w ----------------------------------------------------------
  doc.section('The lowest point');
  const best = grid.reduce((a, b) => (evaluate(L, { w: b }) < evaluate(L, { w: a }) ? b : a));
  doc.text(`On the grid the lowest loss is at $w = ${best}$. For this loss the exact lowest point has a closed form (lesson 2 finds it from the slope):`);
  const sxy = data.reduce((s, [x, y]) => s + x * y, 0);
  const sxx = data.reduce((s, [x]) => s + x * x, 0);
  const wStar = sxy / sxx;
  doc.formula(`w^{*} = \\frac{\\sum_n x_n y_n}{\\sum_n x_n^{2}} = \\frac{${num(sxy)}}{${num(sxx)}} = ${num(wStar)}`);
  doc.text(`There the loss is $${num(evaluate(L, { w: wStar }))}$, its smallest value: not zero, because no straight line through the origin hits all four points.`);
  const line = (w: number, name: string) => ({ name, points: [[0, 0], [4.5, 4.5 * w]] as const });
  // The guess's line, the best line and w = 2's, each once (a guess may be, or print as, one of the others).
  const lines = [line(guess, `w = ${num(guess)}`), line(wStar, `w* = ${wStar.toFixed(3)}`), line(2, 'w = 2')]
    .filter((l, k, all) => all.findIndex((o) => o.name === l.name || o.points[1][1] === l.points[1][1]) === k);
  // A line that never rises 1% of the plot's height (y from 0 to 8) above its floor runs along it or below it
  // (w ≤ 0.08 / 4.5, w ≤ 0 included): it is left out, and the caption says so.
  const drawn = lines.filter((l) => l.points[1][1] > 0.01 * 8);
  const hidden = lines.filter((l) => !drawn.includes(l)).map((l) => `$${l.name.replace('w* ', 'w^{*} ')}$`);
  doc.plot(scatterPlot({
    categories: [{ name: 'data', points: data }],
    xLabel: 'x', yLabel: 'y', xRange: [0, 4.5], yRange: [0, 8],
    lines: drawn,
  }), `The data and ${drawn.length === 1 ? 'one line' : `${['no', 'one', 'two', 'three'][drawn.length]} lines`} $\\hat{y} = w x$: the best one passes closest to the points in the squared sense.${hidden.length > 0 ? ` The line of ${hidden.join(' and ')} runs along or below $y = 0$, under the plot, and is not drawn.` : ''}`);
  doc.note('Any function that is zero for a perfect fit and grows with the error could serve as a loss; lesson 7 compares several.');

  // --- Exercises -----------------------------------------------------------
  // The items of the practice set lessons/practice/01-loss.ts (the default variant), each graded by the
  // engine: downhill practice 1. test/lesson-exercises.test.ts checks that they are the set's prompts.
  doc.section('Exercises');
  doc.exercise('Compute the loss $L(2)$ by hand from the four samples (the mean of the squared errors $(y - w x)^{2}$). (Within ±0.001.)', '`downhill practice 1` (exercise 1)');
  doc.exercise('For the guess $w = 1$, what is the squared error of the third sample, $x = 3$, $y = 4.8$? (Within ±0.001.)', '`downhill practice 1` (exercise 2)');
  doc.exercise('Differentiate one sample\'s error $e = (y - w x)^{2}$ with respect to $w$. (You may use `yhat`.)', '`downhill practice 1` (exercise 3)');
  doc.exercise('Differentiate the same error with respect to the prediction: $\\partial e/\\partial \\hat{y}$ for $e = (y - \\hat{y})^{2}$.', '`downhill practice 1` (exercise 4)');
  doc.exercise('Write the loss $L(w)$ of the four samples as one formula in $w$ (any form: expanded or not).', '`downhill practice 1` (exercise 5)');
  doc.exercise('The lowest point of $L$ is at $w^{*} = \\sum x y / \\sum x^{2}$. Compute it. (Within ±0.001.)', '`downhill practice 1` (exercise 6)');
});
