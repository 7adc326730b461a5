import { describe, expect, it } from 'vitest';
import { compileGradient } from '../src/compile/compile.ts';
import { centralDifference } from '../src/diff/finite-difference.ts';
import { compileLayered, layeredEquations, layeredMatrixNetwork } from '../src/matrix/layered.ts';
import { layeredModel } from '../src/nn/layered.ts';
import { parseLayeredSpec } from '../src/nn/spec.ts';
import { texToHtml } from '../src/render/katex.ts';

/** Largest |a − b| over max(|a|, |b|, a millionth of the largest |a|). */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let k = 0; k < a.length; k++) scale = Math.max(scale, Math.abs(a[k]!));
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!) / Math.max(Math.abs(a[k]!), Math.abs(b[k]!), 1e-6 * scale, 1e-300));
  return worst;
}

describe('conv11738 and attn4228, built by the recipe of benchmark-models.md', () => {
  it.each([
    ['1x28x28-conv8x5-maxpool2-10:relu:softmax_ce', 32, 11738, 15.087702831315827],
    ['16x32-attn-mean-4:softmax_ce', 16, 4228, 1.6584179806807828],
  ] as const)('%s (N = %i, P = %i): the loss at the initial weights equals the listed value to 1e-13; the gradient agrees with central differences along two directions', (text, N, P, listed) => {
    const m = layeredModel(text, { N });
    expect(m.p.length).toBe(P);
    const f = compileLayered(layeredMatrixNetwork(m.layered));
    const g = new Float64Array(P);
    const L = f.lossAndGradient(m.p, g, m.batch, N);
    expect(Math.abs(L - listed) / listed).toBeLessThan(1e-13);
    expect(f.loss(m.p, m.batch, N)).toBe(L);
    // the gradient along two random directions against central differences of the loss
    for (const seed of [1, 2]) {
      let s = seed;
      const v = Float64Array.from({ length: P }, () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5);
      const q = new Float64Array(P);
      const fd = centralDifference((h) => { for (let k = 0; k < P; k++) q[k] = m.p[k]! + h * v[k]!; return f.loss(q, m.batch, N); }, 1e-6);
      let exact = 0;
      for (let k = 0; k < P; k++) exact += g[k]! * v[k]!;
      expect(Math.abs(fd - exact)).toBeLessThan(1e-6 * Math.max(1, Math.abs(exact)));
    }
  });
});

describe('layered networks: the matrix engine equals the scalar engine on small sizes', () => {
  it.each([
    ['1x6x8-conv2x3-maxpool2-3:relu:softmax_ce', 3],
    ['2x5x5-conv3x3s2p1-avgpool3s1-2:tanh:mse', 2],
    ['1x4x4-conv2x2p1-maxpool3s2-4-1:sigmoid:identity:mse:nobias', 3],
    ['4x3-attn-mean-3:softmax_ce', 3],
    ['3x2-attn_causal-attn-mean-2-1:tanh:mse', 4],
  ] as const)('%s (N = %i): loss to 1e-13, gradient to 1e-10, gradient to central differences', (text, N) => {
    const m = layeredModel(text, { N, seed: 7 });
    const scalar = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce });
    const matrix = compileLayered(layeredMatrixNetwork(m.layered), { naming: 'short' });
    expect(matrix.params).toEqual(scalar.params);
    expect(matrix.data).toEqual(scalar.data);
    const gs = new Float64Array(m.p.length), gm = new Float64Array(m.p.length);
    const Ls = scalar.lossAndGradient(m.p, gs, m.batch, N), Lm = matrix.lossAndGradient(m.p, gm, m.batch, N);
    expect(Math.abs(Ls - Lm)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(Ls)));
    expect(maxRel(gs, gm)).toBeLessThan(1e-10);
    const q = Float64Array.from(m.p);
    const fd = Float64Array.from(m.p, (v, k) => centralDifference((h) => { q[k] = v + h; const L = matrix.loss(q, m.batch, N); q[k] = v; return L; }, 1e-6));
    expect(maxRel(fd, gm)).toBeLessThan(1e-5);
  });
});

describe('equations printed from the derived gradient', () => {
  const lines = (text: string): string[] => layeredEquations(layeredMatrixNetwork(parseLayeredSpec(text))).backward.map((e) => `${e.lhs.text} = ${e.rhs.text}   [${e.shape}]`);

  it('conv11738: the kernel gradient is the correlation of the input with δ, max-pool routes δ to the argmax', () => {
    expect(lines('1x28x28-conv8x5-maxpool2-10:relu:softmax_ce')).toEqual([
      'δ⁽³⁾ = (1/N)(softmax(z⁽³⁾) − y)   [10×N]',
      'δa⁽²⁾ = W⁽³⁾ᵀ δ⁽³⁾   [1152×N]',
      'δa⁽¹⁾ = route_argmax a⁽¹⁾(δa⁽²⁾)   [4608×N]',
      'δ⁽¹⁾ = δa⁽¹⁾ ⊙ relu′(z⁽¹⁾)   [4608×N]',
      '∂L/∂K⁽¹⁾ = Σₙ x ⋆ δ⁽¹⁾   [8×25]',
      '∂L/∂b⁽¹⁾ = Σ_positions Σₙ δ⁽¹⁾   [8×1]',
      '∂L/∂W⁽³⁾ = δ⁽³⁾ a⁽²⁾ᵀ   [10×1152]',
      '∂L/∂b⁽³⁾ = Σₙ δ⁽³⁾   [10×1]',
    ]);
  });

  it('a second convolution gets δ through the full convolution of δ with the flipped kernel', () => {
    expect(lines('1x8x8-conv2x3-conv2x3-2:relu:softmax_ce')).toContain('δa⁽¹⁾ = δ⁽²⁾ ∗full rot180(K⁽²⁾)   [72×N]');
  });

  it('attn4228: dS = A ⊙ (dA − 1 Σ_rows(dA ⊙ A)), dQ = (1/√d) K dS, dK = (1/√d) Q dSᵀ, dV = dO Aᵀ (tokens as columns)', () => {
    expect(lines('16x32-attn-mean-4:softmax_ce')).toEqual([
      'δ⁽³⁾ = (1/N)(softmax(z⁽³⁾) − y)   [4×N]',
      'dm = W⁽³⁾ᵀ δ⁽³⁾   [32×N]',
      'dH = ((1/16) dm) 1_Tᵀ   [32×16·N]',
      'dO = W_o⁽¹⁾ᵀ dH   [32×16·N]',
      'dA = Vᵀ dO   [16×16·N]',
      'dS = A ⊙ (dA − 1 Σ_rows (dA ⊙ A))   [16×16·N]',
      'dV = dO Aᵀ   [32×16·N]',
      'dK = (1/√32) Q dSᵀ   [32×16·N]',
      'dQ = (1/√32) K dS   [32×16·N]',
      '∂L/∂W_q⁽¹⁾ = dQ Xᵀ   [32×32]',
      '∂L/∂W_k⁽¹⁾ = dK Xᵀ   [32×32]',
      '∂L/∂W_v⁽¹⁾ = dV Xᵀ   [32×32]',
      '∂L/∂W_o⁽¹⁾ = dH Oᵀ   [32×32]',
      '∂L/∂W⁽³⁾ = δ⁽³⁾ mᵀ   [4×32]',
      '∂L/∂b⁽³⁾ = Σₙ δ⁽³⁾   [4×1]',
    ]);
  });

  it('prints TeX that KaTeX renders, forward and backward', () => {
    for (const text of ['1x28x28-conv8x5-maxpool2-10:relu:softmax_ce', '16x32-attn_causal-mean-4:softmax_ce', '2x6x6-conv2x3p1-avgpool2-conv1x2-2:tanh:mse']) {
      const { forward, backward } = layeredEquations(layeredMatrixNetwork(parseLayeredSpec(text)));
      expect(forward.length).toBeGreaterThan(2);
      expect(backward.length).toBeGreaterThan(4);
      for (const e of [...forward, ...backward]) expect(texToHtml(`${e.lhs.tex} = ${e.rhs.tex}`)).toContain('<math');
    }
  });
});

describe('parseLayeredSpec', () => {
  it('reads the reference models', () => {
    const c = parseLayeredSpec('1x28x28-conv8x5-maxpool2-10:relu:softmax_ce');
    expect(c.P).toBe(11738);
    expect(c.blocks.map((b) => b.kind)).toEqual(['conv', 'pool', 'dense']);
    expect(parseLayeredSpec('16x32-attn-mean-4:softmax_ce').P).toBe(4228);
  });

  it.each([
    ['16x32-4:softmax_ce', 'a dense layer after a sequence needs mean first'],
    ['1x28x28-attn-10', 'attention needs a sequence'],
    ['16x32-conv2x3-mean-2', 'a convolution needs an image'],
    ['1x5x5-conv1x2s2-2', 'stride 2 does not tile a 5×5 image'],
    ['1x5x5-conv2x3-maxpool2-2', 'do not tile a 3×3 image'],
    ['1x5x5-conv2x3', 'must end with a dense layer'],
    ['1x5x5-blur3-2', 'not a layer'],
    ['1x5x5-conv2x3-2:relu:tanh:sigmoid', 'too many activations'],
  ])('%s → "%s"', (text, message) => {
    expect(() => parseLayeredSpec(text)).toThrow(message);
  });
});
