// Practice for lesson 1: the loss function. The data of the lesson (four
// pairs, ŷ = w·x, the mean squared error); with --variant the weights asked
// about change, the skills stay.
import { definePractice, formatNumber } from 'downhill';

const data: readonly (readonly [number, number])[] = [[1, 1.5], [2, 2.9], [3, 4.8], [4, 6.1]];
const L = (w: number): number => data.reduce((s, [x, y]) => s + (y - w * x) ** 2, 0) / data.length;
/** L(w) as text, the four samples written out. */
const lossText = `(${data.map(([x, y]) => `(${y} - ${x}*w)^2`).join(' + ')})/${data.length}`;

export default definePractice({
  lesson: 1, name: 'loss', title: 'Practice: the loss function',
}, (v) => {
  const w = v.number(2, 0.5, 3);
  const guess = v.number(1, 0.5, 2.5);
  const sxy = data.reduce((s, [x, y]) => s + x * y, 0);
  const sxx = data.reduce((s, [x]) => s + x * x, 0);
  return [
    { kind: 'number', id: 'loss-at-w', prompt: `Compute the loss $L(${formatNumber(w, 6)})$ by hand from the four samples (the mean of the squared errors $(y - w x)^{2}$).`, value: L(w), tolerance: 0.001,
      hint: 'For each sample compute $y - w x$, square it, then take the mean of the four squares.' },
    { kind: 'number', id: 'one-error', prompt: `For the guess $w = ${formatNumber(guess, 6)}$, what is the squared error of the third sample, $x = 3$, $y = 4.8$?`, value: (4.8 - guess * 3) ** 2, tolerance: 0.001,
      hint: 'First the prediction $\\hat{y} = w x$, then $y - \\hat{y}$, then its square.' },
    { kind: 'formula', id: 'de-dw', prompt: 'Differentiate one sample\'s error $e = (y - w x)^{2}$ with respect to $w$.', expression: '(y - yhat)^2', wrt: 'w', of: 'e', names: { yhat: 'w*x' } },
    { kind: 'formula', id: 'de-dyhat', prompt: 'Differentiate the same error with respect to the prediction: $\\partial e/\\partial \\hat{y}$ for $e = (y - \\hat{y})^{2}$.', expression: '(y - yhat)^2', wrt: 'yhat', of: 'e' },
    { kind: 'formula', id: 'loss-formula', prompt: 'Write the loss $L(w)$ of the four samples as one formula in $w$ (any form: expanded or not).', formula: lossText, n: 4 },
    { kind: 'number', id: 'best-w', prompt: 'The lowest point of $L$ is at $w^{*} = \\sum x y / \\sum x^{2}$. Compute it.', value: sxy / sxx, tolerance: 0.001,
      hint: '$\\sum x y = 1 \\cdot 1.5 + 2 \\cdot 2.9 + \\ldots$ and $\\sum x^{2} = 1 + 4 + 9 + 16$.' },
  ];
});
