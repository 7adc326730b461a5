// Lesson 2: the derivative is the slope. The exact derivative of lesson 1's
// loss (the engine asks mathjs for each local rule and applies the chain
// rule), tangent lines drawn with it, and the sign that points downhill.
import { defineLesson, derivative, evaluate, formatNumber, linePlot, parseExpression, substitute, sum, div, type Node, type Series } from 'downhill';

/** Numbers in the prose: six significant digits. */
const num = (v: number): string => formatNumber(v, 6);

// The data and the loss of lesson 1: ŷ = w·x, mean squared error.
const data: readonly (readonly [number, number])[] = [[1, 1.5], [2, 2.9], [3, 4.8], [4, 6.1]];

export default defineLesson({
  number: 2, name: 'slope', title: 'The derivative is the slope',
  summary: 'the exact derivative of the loss, tangent lines, and the sign that says which way is down',
  defaults: { point: 2.5 },
}, (doc, { point }) => {
  // --- The derivative of one sample's error --------------------------------
  doc.section('The derivative of one error');
  const perSample = parseExpression('(y - w*x)^2');
  doc.expression(perSample, { label: 'e(w)' });
  doc.text('The derivative with respect to $w$ says how fast $e$ changes when $w$ moves a little. The chain rule gives $2(y - w x)$ times the derivative of the inside, $-x$:');
  const dPerSample = derivative(perSample, 'w');
  doc.expression(dPerSample.node, { label: '\\frac{\\partial e}{\\partial w}' });

  // --- The derivative of the loss ------------------------------------------
  doc.section('The derivative of the loss');
  // The same error written x·w, so that a substituted x reads 2w rather than w·2.
  const perSampleXW = parseExpression('(y - x*w)^2');
  const L: Node = div(sum(data.map(([x, y]) => substitute(perSampleXW, new Map([['x', x], ['y', y]])))), data.length);
  doc.expression(L, { label: 'L(w)' });
  const dL = derivative(L, 'w');
  doc.text('The derivative of a mean is the mean of the derivatives. The engine works it out term by term:');
  doc.expression(dL.node, { label: "L'(w)" });
  // Collected: L' is a straight line in w, so its value at 0 and its rise from 0 to 1 say everything.
  const b0 = evaluate(dL.node, { w: 0 });
  const a1 = evaluate(dL.node, { w: 1 }) - b0;
  doc.text('Multiply out the brackets and collect the terms in $w$ and the constants:');
  doc.formula(`L'(w) = ${num(a1)} w ${b0 < 0 ? '-' : '+'} ${num(Math.abs(b0))}`);

  // --- Tangent lines -------------------------------------------------------
  doc.section('The slope of the tangent');
  doc.text("At a point $w_0$ the tangent line $t(w) = L(w_0) + L'(w_0)\\,(w - w_0)$ touches the curve and has the same slope. Where the slope is negative, the loss goes down to the right; where it is positive, down to the left.");
  // Three points of the lesson's and one of the learner's (--point), each once (as printed: the tangents are named by them).
  const points = [0.5, 1, 2, point!].filter((w, k, all) => all.findIndex((o) => num(o) === num(w)) === k);
  const rows = points.map((w0) => {
    const slope = evaluate(dL.node, { w: w0 });
    return [w0, evaluate(L, { w: w0 }), slope, slope < 0 ? 'increase $w$' : slope > 0 ? 'decrease $w$' : 'stay'];
  });
  doc.table(['$w_{0}$', '$L(w_{0})$', "$L'(w_{0})$", 'the way down'], rows);
  // The curve spans w from 0 to 3 and reaches past every tangent's point, so that each tangent touches it.
  const [from, to] = [Math.min(0, ...points.map((w) => w - 0.5)), Math.max(3, ...points.map((w) => w + 0.5))];
  const curve: Series = { name: 'L(w)', points: Array.from({ length: 121 }, (_, k) => { const w = from + (k / 120) * (to - from); return [w, evaluate(L, { w })] as const; }) };
  const tangents: Series[] = points.map((w0) => {
    const l0 = evaluate(L, { w: w0 });
    const s = evaluate(dL.node, { w: w0 });
    const half = Math.min(0.45, 4 / Math.max(1, Math.abs(s)));
    return { name: `tangent at ${num(w0)}`, points: [[w0 - half, l0 - s * half], [w0 + half, l0 + s * half]] as const };
  });
  doc.plot(linePlot({ series: [curve, ...tangents], xLabel: 'w', yLabel: 'L(w)' }), 'The loss and its tangent lines: steep far from the bottom, flat at the bottom.');

  // --- Where the slope is zero --------------------------------------------
  doc.section('Where the slope is zero');
  const s0 = evaluate(dL.node, { w: 0 });
  const s1 = evaluate(dL.node, { w: 1 });
  const wStar = -s0 / (s1 - s0);
  doc.text(`This $L'$ is a straight line in $w$: $L'(0) = ${num(s0)}$ and $L'(1) = ${num(s1)}$. It crosses zero at`);
  doc.formula(`w^{*} = \\frac{-L'(0)}{L'(1) - L'(0)} = ${num(wStar)}`);
  doc.text(`the lowest point of lesson 1 ($\\sum x y / \\sum x^{2} = ${num(data.reduce((s, [x, y]) => s + x * y, 0) / data.reduce((s, [x]) => s + x * x, 0))}$). There the slope is $${num(evaluate(dL.node, { w: wStar }))}$ (zero up to rounding).`);
  doc.note('For most models the equation $L\'(w) = 0$ cannot be solved by hand. But the sign of the slope always says which way is down: step against it, a little at a time. That is gradient descent, lesson 3.');

  // --- Exercises -----------------------------------------------------------
  // The items of the practice set lessons/practice/02-slope.ts (the default variant), each graded by the
  // engine: downhill practice 2. test/lesson-exercises.test.ts checks that they are the set's prompts.
  doc.section('Exercises');
  doc.exercise('Differentiate the loss $L(w)$ of the four samples by $w$ and collect the result into $a w + b$ (or type it in any form).', '`downhill practice 2` (exercise 1)');
  doc.exercise('Compute the slope $L\'(1.8)$. (Within ±0.001.)', '`downhill practice 2` (exercise 2)');
  doc.exercise('At $w = 1.8$, which way is down? a) increase $w$; b) decrease $w$; c) stay: the slope is zero.', '`downhill practice 2` (exercise 3)');
  doc.exercise('Differentiate one sample\'s error $(2.9 - 2 w)^{2}$ by $w$.', '`downhill practice 2` (exercise 4)');
  doc.exercise('Write the tangent line of $L$ at $w_{0} = 2.5$ as a formula in $w$: $t(w) = L(w_{0}) + L\'(w_{0})(w - w_{0})$.', '`downhill practice 2` (exercise 5)');
  doc.exercise('Where is the slope zero? Solve $L\'(w) = 0$. (Within ±0.001.)', '`downhill practice 2` (exercise 6)');
});
