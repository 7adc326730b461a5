import { expect, test } from 'vitest';
import { texToUnicode } from '../src/render/unicode.ts';

test.each([
  ['\\frac{\\partial L}{\\partial w_{1}}', '∂L/∂w₁'],
  ['\\sigma\\left(z\\right)^{2}', 'σ(z)²'],
  ['w_{1} \\leftarrow w_{1} - \\eta \\frac{\\partial L}{\\partial w_{1}}', 'w₁ ← w₁ − η ∂L/∂w₁'],
  ['\\frac{a + b}{2}', '(a + b)/2'],
  ['W^{(1)}_{21}', 'W⁽¹⁾₂₁'],
  ['\\hat{y}', 'ŷ'],
  ['\\sqrt{x}', '√x'],
  ['\\operatorname{ReLU}\\left(u\\right)', 'ReLU(u)'],
  ['x_{ab}', 'x_(ab)'],
  ['\\frac{\\left(a + b\\right)}{2}', '(a + b)/2'],
  ['\\frac{\\left(a\\right) + \\left(b\\right)}{2}', '((a) + (b))/2'],
  // Juxtaposed letters are set tight, as TeX sets them; a function name keeps its space; minus is U+2212.
  ['z = w_{1} x_{1} + w_{2} x_{2}', 'z = w₁x₁ + w₂x₂'],
  ['\\hat{y} = w_{3} h', 'ŷ = w₃h'],
  ['\\frac{\\partial L}{\\partial \\hat{y}}', '∂L/∂ŷ'],
  ['\\ln x - 1', 'ln x − 1'],
  // The operators of the matrix rules (lesson 10, the layers page).
  ['\\delta^{(2)} \\odot \\sigma', 'δ⁽²⁾ ⊙ σ'],
  ['W^{\\top}', 'Wᵀ'],
  ['a \\otimes b', 'a ⊗ b'],
  ['f \\circ g', 'f ∘ g'],
  ['a \\cdot b', 'a · b'],
  ['2.22 \\times 10^{-16}', '2.22 × 10⁻¹⁶'],
  ['\\text{the steepest curvature} a', 'the steepest curvature a'],
  ['\\underbrace{a \\, w_{3}}_{\\text{path 1}} + b', '[a w₃: path 1] + b'],
])('texToUnicode(%j) = %j', (tex, want) => {
  expect(texToUnicode(tex)).toBe(want);
});
