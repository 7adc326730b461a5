// Practice for lesson 7: a zoo of losses. The gradient of cross-entropy
// after a sigmoid, the absolute error's slope (on one side of its kink and
// everywhere), Huber's, and a value of cross-entropy.
import { definePractice, formatNumber } from 'downhill';

export default definePractice({
  lesson: 7, name: 'losses', title: 'Practice: a zoo of losses',
}, (v) => {
  const p = v.number(0.9, 0.55, 0.95);
  return [
    { kind: 'formula', id: 'ce-sigmoid', prompt: 'Without looking back, derive the gradient of cross-entropy after a sigmoid, $\\partial L/\\partial w$ for $L = -(y \\log p + (1 - y) \\log(1 - p))$ with $p = \\sigma(w x)$.',
      expression: '-(y*log(p) + (1 - y)*log(1 - p))', wrt: 'w', names: { p: 'sigmoid(z)', z: 'w*x' }, domain: { y: [0, 1], w: [-2, 2], x: [-2, 2] }, key: '(p - y)*x' },
    { kind: 'formula', id: 'ce-logit', prompt: 'The same loss differentiated by the logit $z$: $\\partial L/\\partial z$ for $p = \\sigma(z)$.',
      expression: '-(y*log(p) + (1 - y)*log(1 - p))', wrt: 'z', names: { p: 'sigmoid(z)' }, domain: { y: [0, 1], z: [-4, 4] }, key: 'p - y' },
    { kind: 'formula', id: 'abs-below', prompt: 'Differentiate the absolute error $|y - \\hat{y}|$ with respect to $\\hat{y}$ where $\\hat{y} < y$.',
      expression: 'abs(y - yhat)', wrt: 'yhat', domain: { y: [1, 2], yhat: [-1, 0.9] }, key: '-1' },
    { kind: 'formula', id: 'abs-everywhere', prompt: 'The same slope everywhere, on both sides of the kink (use `sign`, `abs` or `heaviside`; at $\\hat{y} = y$ any value).',
      expression: 'abs(y - yhat)', wrt: 'yhat', key: 'sign(yhat - y)' },
    { kind: 'formula', id: 'squared', prompt: 'Differentiate the squared error $(y - \\hat{y})^{2}$ by $\\hat{y}$.', expression: '(y - yhat)^2', wrt: 'yhat' },
    { kind: 'formula', id: 'huber-inside', prompt: 'Huber\'s loss with $\\delta = 1$ is $u^{2}/2$ for $|u| \\le 1$: differentiate `huber(u)` by $u$ where $|u| < 1$.', expression: 'huber(u)', wrt: 'u', domain: { u: [-0.95, 0.95] }, key: 'u' },
    { kind: 'number', id: 'ce-value', prompt: `Compute the cross-entropy $-\\log p$ of a prediction $p = ${formatNumber(p, 6)}$ for the class $y = 1$.`, value: -Math.log(p), tolerance: 0.0005,
      hint: 'With $y = 1$ only the first term is left: $-\\log p$, the natural logarithm.' },
  ];
});
