// Lesson 7: a zoo of losses. Squared, absolute, Huber and cross-entropy, each
// with the derivative the engine finds and a plot of both; then why
// cross-entropy after a sigmoid has the famously simple gradient (σ − y)·x.
import {
  absoluteError, binaryCrossEntropy, binaryCrossEntropyWithLogits, call, defineLesson, derivative, evaluate, formatNumber,
  huberLoss, linePlot, mul, squaredError, sub, sym, type LessonDoc, type Node,
} from 'downhill';

const num = (v: number): string => formatNumber(v, 6);

/** The loss and its derivative over a range of the prediction, in one plot. */
function lossAndSlope(doc: LessonDoc, loss: Node, wrt: string, y: number, range: readonly [number, number], caption: string): void {
  const d = derivative(loss, wrt).node;
  const xs = Array.from({ length: 201 }, (_, k) => range[0] + ((range[1] - range[0]) * k) / 200);
  const at = (node: Node, v: number): number => evaluate(node, { [wrt]: v, y });
  doc.plot(linePlot({
    series: [
      { name: 'loss', points: xs.map((v) => [v, at(loss, v)] as const) },
      { name: 'derivative', points: xs.map((v) => [v, at(d, v)] as const) },
    ],
    xLabel: wrt === 'p' ? 'predicted probability p' : 'prediction ŷ', yLabel: `value (target y = ${y})`,
  }), caption);
}

export default defineLesson({
  number: 7, name: 'losses', title: 'A zoo of losses',
  summary: 'squared, absolute, Huber and cross-entropy losses with their derivatives; why sigmoid + cross-entropy gives (σ − y)·x',
  defaults: { k: 1 },
}, (doc, { k: threshold }) => {
  const yhat = sym('yhat');
  const y = sym('y');
  doc.text('A loss compares a prediction $\\hat{y}$ with a target $y$. Its derivative with respect to $\\hat{y}$ is the signal that backpropagation sends into the network: its shape decides how the network learns from small and from large mistakes.');

  // --- Squared error ------------------------------------------------------
  doc.section('Squared error');
  const se = squaredError(yhat, y);
  doc.expression(se, { label: 'L' });
  doc.expression(derivative(se, 'yhat').node, { label: '\\frac{\\partial L}{\\partial \\hat{y}}' });
  doc.text('The push grows in proportion to the error: a far-off point (an outlier) pulls hard.');
  lossAndSlope(doc, se, 'yhat', 0, [-3, 3], 'Squared error and its derivative, a straight line through zero.');

  // --- Absolute error -----------------------------------------------------
  doc.section('Absolute error');
  const ae = absoluteError(yhat, y);
  doc.expression(ae, { label: 'L' });
  doc.expression(derivative(ae, 'yhat').node, { label: '\\frac{\\partial L}{\\partial \\hat{y}}' });
  doc.text('The push is the same size for every error, only its sign changes: outliers count no more than anyone else. At $\\hat{y} = y$ there is a kink; downhill uses the convention $\\operatorname{sign}(0) = 0$ there.');
  lossAndSlope(doc, ae, 'yhat', 0, [-3, 3], 'Absolute error and its derivative, a step from −1 to 1.');

  // --- Huber --------------------------------------------------------------
  doc.section('Huber loss');
  const k = threshold!;
  const hu = huberLoss(yhat, y, k);
  doc.expression(hu, { label: 'L' });
  // Huber's threshold is k, as in Huber (1964): δ is kept for ∂L/∂z in every lesson.
  doc.formula('\\operatorname{huber}_{k}(u) = \\begin{cases} \\tfrac{1}{2} u^{2} & |u| \\le k \\\\ k \\left(|u| - \\tfrac{1}{2}k\\right) & |u| > k \\end{cases}');
  doc.expression(derivative(hu, 'yhat').node, { label: '\\frac{\\partial L}{\\partial \\hat{y}}' });
  doc.text(`Quadratic near the target, linear beyond $k = ${num(k)}$: the derivative is the squared error\'s line, clipped to $[-k, k]$. Small errors are corrected gently, outliers cannot pull harder than $k$.`);
  // Wide enough to show the clipping: twice k on either side, at least ±3.
  const side = Math.max(3, 2 * k);
  lossAndSlope(doc, hu, 'yhat', 0, [-side, side], `Huber loss (k = ${num(k)}) and its derivative, clipped at ±${num(k)}.`);

  // --- Cross-entropy ------------------------------------------------------
  doc.section('Cross-entropy');
  const p = sym('p');
  const ce = binaryCrossEntropy(p, y);
  doc.text('For a yes/no target $y \\in \\{0, 1\\}$ and a predicted probability $p$, cross-entropy is minus the log of the probability given to what happened:');
  doc.expression(ce, { label: 'L' });
  const dce = derivative(ce, 'p').node;
  doc.expression(dce, { label: '\\frac{\\partial L}{\\partial p}' });
  doc.text('When $y = 1$ the loss is $-\\log p$: small for a confident right answer, unbounded for a confident wrong one, and the derivative $-1/p$ grows without limit as $p \\to 0$.');
  lossAndSlope(doc, ce, 'p', 1, [0.05, 0.99], 'Cross-entropy for target 1 and its derivative −1/p.');

  // --- Why sigmoid + cross-entropy is simple ------------------------------
  doc.section('Why cross-entropy after a sigmoid gives $(\\sigma - y)\\,x$');
  doc.text('A logistic neuron predicts $p = \\sigma(w x)$. Put that into cross-entropy:');
  const z = mul(sym('w'), sym('x'));
  const neuron = binaryCrossEntropy(call('sigmoid', z), y);
  doc.expression(neuron, { label: 'L(w)' });
  const dNeuron = derivative(neuron, 'w');
  doc.text('The engine applies the chain rule: the derivative of the log, times $\\sigma\'(z) = \\sigma(z)(1 - \\sigma(z))$, times $x$:');
  doc.expression(dNeuron.node, { label: '\\frac{\\partial L}{\\partial w}' });
  doc.text('Multiply out the bracket: the factor $\\sigma(1 - \\sigma)$ cancels both denominators,');
  doc.formula('\\left(\\frac{1 - y}{1 - \\sigma} - \\frac{y}{\\sigma}\\right) \\sigma (1 - \\sigma) = (1 - y)\\,\\sigma - y\\,(1 - \\sigma) = \\sigma - y', {
  });
  doc.text('so the gradient is just the error of the probability times the input. The engine\'s expression and $(\\sigma(wx) - y)\\,x$ agree at every point:');
  const simple = mul(sub(call('sigmoid', z), y), sym('x'));
  const points: readonly (readonly [number, number, number])[] = [[0.5, 2, 1], [-1.2, 0.7, 0], [2, -1.5, 1], [0.1, 3, 0], [-0.4, -2, 1], [1.3, 0.4, 0.3]];
  let worst = 0;
  const rows = points.map(([w, x, yv]) => {
    const engine = evaluate(dNeuron.node, { w, x, y: yv });
    const closed = evaluate(simple, { w, x, y: yv });
    const rel = Math.abs(engine - closed) / Math.max(Math.abs(closed), 1e-300);
    worst = Math.max(worst, rel);
    return [w, x, yv, engine, closed, rel];
  });
  doc.table(['$w$', '$x$', '$y$', 'engine $\\partial L/\\partial w$', '$(\\sigma(w x) - y)\\,x$', 'relative difference'], rows, { digits: 12 });
  doc.text(`Largest relative difference: ${worst.toExponential(1)}, rounding only.`);

  doc.text('Written on the logit $z$, the same loss is $\\operatorname{softplus}(z) - y z$, and its derivative needs no cancelling at all:');
  const logits = binaryCrossEntropyWithLogits(sym('z'), y);
  doc.expression(logits, { label: 'L(z)' });
  doc.expression(derivative(logits, 'z').node, { label: '\\frac{\\partial L}{\\partial z}' });

  // --- Compared with squared error ----------------------------------------
  doc.section('Compared with squared error after a sigmoid');
  const seNeuron = squaredError(call('sigmoid', z), y);
  const dSe = derivative(seNeuron, 'w').node;
  doc.expression(dSe, { label: '\\frac{\\partial}{\\partial w} (y - \\sigma(wx))^{2}' });
  doc.text('Squared error keeps the factor $\\sigma(1 - \\sigma)$, which vanishes when the neuron is confidently wrong. With $x = 1$, $y = 1$:');
  doc.table(['$w$', '$\\sigma(w)$', 'cross-entropy $\\partial L/\\partial w$', 'squared error $\\partial L/\\partial w$'], [-8, -4, -1, 0, 2].map((w) => [
    w, evaluate(call('sigmoid', sym('w')), { w }), evaluate(dNeuron.node, { w, x: 1, y: 1 }), evaluate(dSe, { w, x: 1, y: 1 }),
  ]));
  doc.text(`At $w = -8$ the prediction is $${num(evaluate(call('sigmoid', sym('w')), { w: -8 }))}$, as wrong as can be: cross-entropy still pushes with almost full strength ($-1$), squared error barely moves ($${num(evaluate(dSe, { w: -8, x: 1, y: 1 }))}$). That is why classifiers are trained with cross-entropy.`);

  // --- Exercises -----------------------------------------------------------
  // The items of the practice set lessons/practice/07-losses.ts (the default variant), each graded by the
  // engine: downhill practice 7. test/lesson-exercises.test.ts checks that they are the set's prompts.
  doc.section('Exercises');
  doc.exercise('Without looking back, derive the gradient of cross-entropy after a sigmoid, $\\partial L/\\partial w$ for $L = -(y \\log p + (1 - y) \\log(1 - p))$ with $p = \\sigma(w x)$. (You may use `p`, `z`.)', '`downhill practice 7` (exercise 1)');
  doc.exercise('The same loss differentiated by the logit $z$: $\\partial L/\\partial z$ for $p = \\sigma(z)$. (You may use `p`.)', '`downhill practice 7` (exercise 2)');
  doc.exercise('Differentiate the absolute error $|y - \\hat{y}|$ with respect to $\\hat{y}$ where $\\hat{y} < y$.', '`downhill practice 7` (exercise 3)');
  doc.exercise('The same slope everywhere, on both sides of the kink (use `sign`, `abs` or `heaviside`; at $\\hat{y} = y$ any value).', '`downhill practice 7` (exercise 4)');
  doc.exercise('Differentiate the squared error $(y - \\hat{y})^{2}$ by $\\hat{y}$.', '`downhill practice 7` (exercise 5)');
  doc.exercise('Huber\'s loss with $\\delta = 1$ is $u^{2}/2$ for $|u| \\le 1$: differentiate `huber(u)` by $u$ where $|u| < 1$.', '`downhill practice 7` (exercise 6)');
  doc.exercise('Compute the cross-entropy $-\\log p$ of a prediction $p = 0.9$ for the class $y = 1$. (Within ±0.0005.)', '`downhill practice 7` (exercise 7)');
});
