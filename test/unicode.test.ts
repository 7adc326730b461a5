import { expect, test } from 'vitest';
import { texToUnicode } from '../src/render/unicode.ts';

test.each([
  ['\\frac{\\partial L}{\\partial w_{1}}', '∂L/∂w₁'],
  ['\\sigma\\left(z\\right)^{2}', 'σ(z)²'],
  ['w_{1} \\leftarrow w_{1} - \\eta \\frac{\\partial L}{\\partial w_{1}}', 'w₁ ← w₁ - η ∂L/∂w₁'],
  ['\\frac{a + b}{2}', '(a + b)/2'],
  ['W^{(1)}_{21}', 'W⁽¹⁾₂₁'],
  ['\\hat{y}', 'ŷ'],
  ['\\sqrt{x}', '√x'],
  ['\\operatorname{ReLU}\\left(u\\right)', 'ReLU(u)'],
  ['x_{ab}', 'x_(ab)'],
  ['\\frac{\\left(a + b\\right)}{2}', '(a + b)/2'],
  ['\\frac{\\left(a\\right) + \\left(b\\right)}{2}', '((a) + (b))/2'],
])('texToUnicode(%j) = %j', (tex, want) => {
  expect(texToUnicode(tex)).toBe(want);
});
