import { describe, expect, it } from 'vitest';
import { parseNetworkSpec } from '../src/nn/spec.ts';
import { matrixNetwork } from '../src/matrix/network.ts';
import { backpropEquations } from '../src/matrix/equations.ts';
import { texToHtml } from '../src/render/katex.ts';

const lines = (spec: string): string[] => {
  const s = parseNetworkSpec(spec);
  return backpropEquations(matrixNetwork(s.layers, s.loss)).map((e) => `${e.lhs.text} = ${e.rhs.text}`);
};

describe('backpropagation equations read off the derived matrix gradient', () => {
  it('gives the textbook equations for 784-30-10, sigmoid, softmax cross-entropy', () => {
    expect(lines('784-30-10:sigmoid:softmax_ce')).toEqual([
      'δ⁽²⁾ = (1/N)(softmax(z⁽²⁾) − y)',
      'δ⁽¹⁾ = (W⁽²⁾ᵀ δ⁽²⁾) ⊙ σ′(z⁽¹⁾)',
      'σ′(z⁽¹⁾) = a⁽¹⁾ * (1 - a⁽¹⁾)',
      '∂L/∂W⁽¹⁾ = δ⁽¹⁾ xᵀ',
      '∂L/∂b⁽¹⁾ = Σₙ δ⁽¹⁾',
      '∂L/∂W⁽²⁾ = δ⁽²⁾ a⁽¹⁾ᵀ',
      '∂L/∂b⁽²⁾ = Σₙ δ⁽²⁾',
    ]);
  });

  it('follows the activation and the loss: tanh layers under squared error', () => {
    expect(lines('4-3-3-1:tanh:mse')).toEqual([
      'δ⁽³⁾ = (1/N)(-2 * (y - z⁽³⁾))',
      'δ⁽²⁾ = (W⁽³⁾ᵀ δ⁽³⁾) ⊙ tanh′(z⁽²⁾)',
      'tanh′(z⁽²⁾) = 1 - a⁽²⁾ ^ 2',
      'δ⁽¹⁾ = (W⁽²⁾ᵀ δ⁽²⁾) ⊙ tanh′(z⁽¹⁾)',
      'tanh′(z⁽¹⁾) = 1 - a⁽¹⁾ ^ 2',
      '∂L/∂W⁽¹⁾ = δ⁽¹⁾ xᵀ', '∂L/∂b⁽¹⁾ = Σₙ δ⁽¹⁾',
      '∂L/∂W⁽²⁾ = δ⁽²⁾ a⁽¹⁾ᵀ', '∂L/∂b⁽²⁾ = Σₙ δ⁽²⁾',
      '∂L/∂W⁽³⁾ = δ⁽³⁾ a⁽²⁾ᵀ', '∂L/∂b⁽³⁾ = Σₙ δ⁽³⁾',
    ]);
  });

  it('prints TeX that KaTeX renders', () => {
    const s = parseNetworkSpec('784-30-10:sigmoid:softmax_ce');
    const eqs = backpropEquations(matrixNetwork(s.layers, s.loss));
    expect(eqs[1]!.rhs.tex).toBe('\\left({W^{(2)}}^{T}\\,\\delta^{(2)}\\right) \\odot \\sigma\'\\left(z^{(1)}\\right)');
    for (const e of eqs) expect(() => texToHtml(`${e.lhs.tex} = ${e.rhs.tex}`)).not.toThrow();
  });
});
