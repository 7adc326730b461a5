// Practice for lesson 6: symbolic against numeric gradients. The derivative
// of the lesson's f, the central difference as a formula, its truncation
// error, and the best step, predicted and then measured by the step sweep.
import { definePractice, formatNumber, stepSweep } from 'downhill';

export default definePractice({
  lesson: 6, name: 'numeric', title: 'Practice: symbolic and numeric gradients',
}, (v) => {
  const w = v.number(0.7, 0.2, 1.5);
  const at = v.number(1, 0.5, 2);
  const h = v.pick([0.1, 0.05, 0.2]);
  const central = (Math.sin(at + h) - Math.sin(at - h)) / (2 * h);
  return [
    { kind: 'formula', id: 'f-prime', prompt: 'Differentiate this lesson\'s $L(w) = (0.2 - \\sigma(1.5 w))^{2}$ by $w$ (you may write `p` for $\\sigma(1.5 w)$).',
      expression: '(0.2 - p)^2', wrt: 'w', of: 'L', names: { p: 'sigmoid(u)', u: '1.5*w' }, key: '-3*(0.2 - p)*p*(1 - p)' },
    { kind: 'formula', id: 'central', prompt: 'Write the central difference of $\\sin$ at $w$ with step $h$ as a formula in `w` and `h`.',
      formula: '(sin(w + h) - sin(w - h))/(2*h)', domain: { w: [-2, 2], h: [0.01, 0.5] } },
    { kind: 'number', id: 'f-prime-value', prompt: `Compute $L'(${formatNumber(w, 6)})$ from your formula.`, value: -3 * (0.2 - 1 / (1 + Math.exp(-1.5 * w))) * (1 / (1 + Math.exp(-1.5 * w))) * (1 - 1 / (1 + Math.exp(-1.5 * w))), tolerance: 0.0005,
      hint: 'First $p = \\sigma(1.5 w)$, then $-3 (0.2 - p) p (1 - p)$.' },
    { kind: 'number', id: 'truncation', prompt: `How far is the central difference of $\\sin$ at $w = ${formatNumber(at, 6)}$ with $h = ${h}$ from the exact $\\cos(${formatNumber(at, 6)})$? Give $|\\text{difference} - \\cos w|$.`,
      value: Math.abs(central - Math.cos(at)), tolerance: 1e-6, hint: 'The leading error of the central difference is $h^{2} |f\'\'\'(w)| / 6$; or compute both numbers to 8 digits.' },
    { kind: 'prediction', id: 'best-step', prompt: `Predict the best step $h$ for the central difference of $\\sin w$ at $w = ${formatNumber(at, 6)}$: give its exponent $k$ in $h = 10^{k}$.`,
      tolerance: 1, hint: 'The best step balances $h^{2}$ (truncation) against $\\varepsilon / h$ (rounding): about $\\varepsilon^{1/3}$ with $\\varepsilon \\approx 10^{-16}$.',
      run: () => {
        const sweep = stepSweep('sin(w)', { w: at }, 'w');
        const best = sweep.best.central;
        return { value: Math.round(Math.log10(best.h)), report: `the step sweep's smallest central error, ${formatNumber(best.error, 3)}, is at h = ${formatNumber(best.h, 3)}` };
      } },
  ];
});
