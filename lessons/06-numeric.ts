// Lesson 6: symbolic versus numeric gradients. Finite differences estimate a
// derivative from two values of the function; how good the estimate is
// depends on the step h: too big and the curve bends away (truncation error),
// too small and the two values cancel to rounding noise (rounding error).
import { defineLesson, derivative, evaluate, formatNumber, linePlot, parseExpression } from 'downhill';

/** A small number in scientific notation, three digits: 6.06e-6. */
const num = (v: number): string => v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');

export default defineLesson({
  number: 6, name: 'numeric', title: 'Symbolic versus numeric gradients',
  summary: 'finite differences against the exact derivative: the error against the step size, on a log-log plot',
  defaults: { h: 1e-5 },
}, (doc, { h: step }) => {
  // --- The function and its exact derivative -------------------------------
  doc.section('A loss and its exact derivative');
  doc.text('One sample of a sigmoid neuron with input 1.5 and target 0.2, as a function of its weight $w$:');
  const f = parseExpression('(0.2 - sigmoid(1.5 * w))^2');
  doc.expression(f, { label: 'L(w)' });
  const exact = derivative(f, 'w').node;
  doc.text('The engine derives the slope exactly (up to the rounding of the final evaluation, about $10^{-16}$):');
  doc.expression(exact, { label: "L'(w)" });

  // --- Finite differences --------------------------------------------------
  doc.section('Finite differences');
  doc.text('Without calculus, the slope can be estimated from two values of $L$ a small step $h$ apart. Taylor\'s formula says how wrong each estimate is:');
  doc.formula("\\text{forward: } \\frac{L(w+h) - L(w)}{h} = L'(w) + \\frac{h}{2} L''(w) + \\ldots");
  doc.formula("\\text{central: } \\frac{L(w+h) - L(w-h)}{2h} = L'(w) + \\frac{h^{2}}{6} L'''(w) + \\ldots");
  doc.text('So the forward error shrinks like $h$ and the central error like $h^{2}$. But $L$ is computed in double precision, with a relative rounding error of about $\\varepsilon = 2^{-52} \\approx 2.2 \\cdot 10^{-16}$, and dividing the difference by $h$ blows that up to about $\\varepsilon / h$.');
  const F = (w: number): number => evaluate(f, { w });
  const forward = (w: number, h: number): number => (F(w + h) - F(w)) / h;
  const central = (w: number, h: number): number => (F(w + h) - F(w - h)) / (2 * h);

  const w0 = 0.7;
  const d0 = evaluate(exact, { w: w0 });
  doc.text(`At $w = ${w0}$ the exact slope is $${formatNumber(d0, 15)}$. The estimates, one step size a decade:`);
  // Steps read from their decimal literals (1e-4), not computed as powers: engines' pow differs in the last bit
  // (Node 20's 10 ** -4 is 0.00009999999999999999, a browser's 0.0001), and the page must print what the command prints.
  const decades = Array.from({ length: 12 }, (_, k) => Number(`1e-${k + 1}`));
  doc.table(['$h$', 'forward', '$|\\text{error}|$', 'central', '$|\\text{error}|$'], decades.map((h) => {
    const fw = forward(w0, h);
    const ce = central(w0, h);
    return [h, fw, Math.abs(fw - d0), ce, Math.abs(ce - d0)];
  }), { digits: 12 });
  // The learner's step (--h).
  const h = step!;
  const [fh, ch] = [forward(w0, h), central(w0, h)];
  const [efh, ech] = [Math.abs(fh - d0), Math.abs(ch - d0)];
  // Which is closer, said only when the errors as printed differ (at h = 10³ both read 0.311, 5e-5 apart).
  const closer = num(ech) === num(efh) ? (ech === efh ? 'both are as close' : 'both are off by about as much')
    : ech < efh ? 'the central difference is the closer' : 'the forward difference is the closer';
  doc.text(`With the step $h = ${num(h)}$: the forward difference is $${formatNumber(fh, 12)}$, off by $${num(efh)}$, and the central difference $${formatNumber(ch, 12)}$, off by $${num(ech)}$: ${closer}.`);

  // --- The error against the step -----------------------------------------
  doc.section('The error against the step size');
  doc.text('Rounding errors are erratic from one point to the next, so the curve averages the error over 16 points $w$ from −1 to 2, at four step sizes per decade:');
  const ws = Array.from({ length: 16 }, (_, i) => -1 + (3 * i) / 15);
  const slopes = ws.map((w) => evaluate(exact, { w }));
  const hs = Array.from({ length: 49 }, (_, k) => Number((10 ** (-k / 4)).toPrecision(15))); // the same steps in every engine (see decades)
  const meanError = (estimate: (w: number, h: number) => number, h: number): number =>
    ws.reduce((s, w, i) => s + Math.abs(estimate(w, h) - slopes[i]!), 0) / ws.length;
  const forwardErrors = hs.map((h) => [h, meanError(forward, h)] as const);
  const centralErrors = hs.map((h) => [h, meanError(central, h)] as const);
  doc.plot(linePlot({
    series: [{ name: 'forward difference', points: forwardErrors }, { name: 'central difference', points: centralErrors }],
    xLabel: 'step h', yLabel: 'mean |error|', logX: true, logY: true, points: true,
  }), 'Error against step size, log-log: on the right the slope is the order of the method (1 for forward, 2 for central), on the left rounding takes over with slope −1.');

  const best = (errors: readonly (readonly [number, number])[]): readonly [number, number] =>
    errors.reduce((a, b) => (b[1] < a[1] ? b : a));
  const [hc, ec] = best(centralErrors);
  const [hf, ef] = best(forwardErrors);
  doc.table(['method', 'best $h$', 'smallest mean $|\\text{error}|$', 'theory: best $h \\approx$'], [
    ['forward', hf, ef, `$\\sqrt{\\varepsilon} \\approx ${num(Math.sqrt(2 ** -52))}$`],
    ['central', hc, ec, `$\\varepsilon^{1/3} \\approx ${num(Math.cbrt(2 ** -52))}$`],
  ], { digits: 3 });
  doc.text(`The central difference is best near $h = ${num(hc)}$, with an error of about $${num(ec)}$: balancing $h^{2}$ against $\\varepsilon / h$ puts the best step near $\\varepsilon^{1/3}$. The forward difference is best near $h = ${num(hf)}$ ($\\varepsilon^{1/2}$), and even there its error is ${Math.round(ef / ec)} times larger.`);

  // --- What this means ------------------------------------------------------
  doc.section('Exact where it matters');
  doc.text('A finite difference needs two evaluations of the loss per parameter and gives at best 5 to 11 correct digits; the symbolic gradient is exact and comes, by backpropagation, for all parameters at once. Finite differences remain the independent check: every derivative rule in downhill is tested against them, at a step near $10^{-5}$.');

  // --- Exercises -----------------------------------------------------------
  // The items of the practice set lessons/practice/06-numeric.ts (the default variant), each graded by the
  // engine: downhill practice 6. test/lesson-exercises.test.ts checks that they are the set's prompts.
  doc.section('Exercises');
  doc.exercise('Differentiate this lesson\'s $L(w) = (0.2 - \\sigma(1.5 w))^{2}$ by $w$ (you may write `p` for $\\sigma(1.5 w)$). (You may use `p`, `u`.)', '`downhill practice 6` (exercise 1)');
  doc.exercise('Write the central difference of $\\sin$ at $w$ with step $h$ as a formula in `w` and `h`.', '`downhill practice 6` (exercise 2)');
  doc.exercise('Compute $L\'(0.7)$ from your formula. (Within ±0.0005.)', '`downhill practice 6` (exercise 3)');
  doc.exercise('How far is the central difference of $\\sin$ at $w = 1$ with $h = 0.1$ from the exact $\\cos(1)$? Give $|\\text{difference} - \\cos w|$. (Within ±0.000001.)', '`downhill practice 6` (exercise 4)');
  doc.exercise('Predict the best step $h$ for the central difference of $\\sin w$ at $w = 1$: give its exponent $k$ in $h = 10^{k}$. (Within ±1 of what the run does; the run is done after you answer.)', '`downhill practice 6` (exercise 5)');
});
