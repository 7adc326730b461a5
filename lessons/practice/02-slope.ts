// Practice for lesson 2: the derivative is the slope. The loss of lesson 1,
// its derivative collected into a·w + b, the way down, the tangent line.
import { definePractice, formatNumber } from 'downhill';

const data: readonly (readonly [number, number])[] = [[1, 1.5], [2, 2.9], [3, 4.8], [4, 6.1]];
const lossText = `(${data.map(([x, y]) => `(${y} - ${x}*w)^2`).join(' + ')})/${data.length}`;
/** L'(w) = a·w + b with a = (2/N)Σx², b = −(2/N)Σxy. */
const a = (2 / data.length) * data.reduce((s, [x]) => s + x * x, 0);
const b = -(2 / data.length) * data.reduce((s, [x, y]) => s + x * y, 0);
/** A number without rounding noise (14.450000000000003 → 14.45). */
const r = (x: number): number => Number(x.toPrecision(12));
const L = (w: number): number => data.reduce((s, [x, y]) => s + (y - w * x) ** 2, 0) / data.length;

export default definePractice({
  lesson: 2, name: 'slope', title: 'Practice: the derivative is the slope',
}, (v) => {
  const at = v.number(1.8, 0.2, 3);
  const w0 = v.number(2.5, 0.5, 3);
  const x = v.pick([2, 3, 1.5]);
  const y = v.pick([2.9, 4.8, 2.2]);
  return [
    { kind: 'formula', id: 'dl-dw', prompt: 'Differentiate the loss $L(w)$ of the four samples by $w$ and collect the result into $a w + b$ (or type it in any form).', expression: lossText, wrt: 'w', n: 4, key: `${r(a)}*w - ${r(-b)}` },
    { kind: 'number', id: 'slope-at', prompt: `Compute the slope $L'(${formatNumber(at, 6)})$.`, value: a * at + b, tolerance: 0.001, hint: '$L\'(w) = a w + b$: put the number in.' },
    { kind: 'choice', id: 'way-down', prompt: `At $w = ${formatNumber(at, 6)}$, which way is down?`, choices: ['increase $w$', 'decrease $w$', 'stay: the slope is zero'],
      answer: a * at + b > 0 ? 1 : a * at + b < 0 ? 0 : 2, hint: 'A positive slope means the loss goes up to the right.' },
    { kind: 'formula', id: 'one-sample', prompt: `Differentiate one sample's error $(${y} - ${x} w)^{2}$ by $w$.`, expression: `(${y} - ${x}*w)^2`, wrt: 'w', of: 'e' },
    { kind: 'formula', id: 'tangent', prompt: `Write the tangent line of $L$ at $w_{0} = ${formatNumber(w0, 6)}$ as a formula in $w$: $t(w) = L(w_{0}) + L'(w_{0})(w - w_{0})$.`,
      formula: `${r(L(w0))} + ${r(a * w0 + b)}*(w - ${w0})` },
    { kind: 'number', id: 'bottom', prompt: 'Where is the slope zero? Solve $L\'(w) = 0$.', value: -b / a, tolerance: 0.001, hint: 'Solve $a w + b = 0$ for $w$.' },
  ];
});
