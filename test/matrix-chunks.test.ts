import { describe, expect, it } from 'vitest';
import { centralDifference } from '../src/diff/finite-difference.ts';
import { DownhillError } from '../src/errors.ts';
import { CHUNK_CHARS, compileMatrixLoss, matrixGeneratedFunctions } from '../src/matrix/compile.ts';
import { layeredMatrixNetwork, type LayeredMatrixNetwork } from '../src/matrix/layered.ts';
import { layeredModel } from '../src/nn/layered.ts';

// The generated loops cut into chunk functions (compile.ts, factorySource): the same statements in the same order,
// so the same numbers to the bit, whatever the cut.

const compiled = (net: LayeredMatrixNetwork, chunkChars?: number) => compileMatrixLoss({
  loss: net.loss, params: net.params, P: net.P, reduce: net.reduce, ...(chunkChars === undefined ? {} : { chunkChars }),
  paramNames: () => Array.from({ length: net.P }, (_, k) => `w${k + 1}`), data: Array.from({ length: net.D }, (_, k) => `x${k + 1}`),
});
const chunkCount = (source: string): number => source.match(/^function chunk\d+\(p, g, x\) \{$/gm)?.length ?? 0;

describe('the generated loops cut into chunk functions', () => {
  it('attn4228: cut by default into chunks shorter than CHUNK_CHARS; loss and gradient bit for bit those of one function', () => {
    const m = layeredModel('16x32-attn-mean-4:softmax_ce', { N: 16 });
    const net = layeredMatrixNetwork(m.layered);
    const whole = compiled(net, Infinity), cut = compiled(net);
    expect(chunkCount(whole.source.gradient)).toBe(0);
    const n = chunkCount(cut.source.gradient);
    expect(n).toBeGreaterThan(1);
    for (const chunk of cut.source.gradient.split(/^function chunk\d+\(p, g, x\) \{$/m).slice(1)) expect(chunk.length).toBeLessThan(CHUNK_CHARS);
    // the warm-up list: the chunks (run only calls them), or run when there are none
    expect(matrixGeneratedFunctions(cut, 16).length).toBe(Math.max(1, chunkCount(cut.source.loss)) + n);
    expect(matrixGeneratedFunctions(whole, 16).map((f) => f.name)).toEqual(['run', 'run']);
    const results = [whole, cut].map((f) => {
      const g = new Float64Array(m.p.length);
      return { L: f.lossAndGradient(m.p, g, m.batch, 16), loss: f.loss(m.p, m.batch, 16), g };
    });
    for (const r of results.slice(1)) {
      expect(r.L).toBe(results[0]!.L);
      expect(r.loss).toBe(results[0]!.loss);
      expect(r.g).toEqual(results[0]!.g);
    }
  });

  it('one function per node, on a small conv and attention network: the same numbers as one function, and the gradient equals central differences', () => {
    for (const text of ['1x6x8-conv2x3-maxpool2-3:relu:softmax_ce', '3x2-attn_causal-attn-mean-2-1:tanh:mse']) {
      const m = layeredModel(text, { N: 3, seed: 7 });
      const net = layeredMatrixNetwork(m.layered);
      const f = compiled(net, 1), whole = compiled(net, Infinity);
      expect(chunkCount(f.source.gradient), text).toBeGreaterThan(3);
      expect(chunkCount(whole.source.gradient), text).toBe(0);
      const g = new Float64Array(m.p.length), gw = new Float64Array(m.p.length);
      expect(f.lossAndGradient(m.p, g, m.batch, 3)).toBe(whole.lossAndGradient(m.p, gw, m.batch, 3));
      expect(g).toEqual(gw);
      const q = Float64Array.from(m.p);
      m.p.forEach((v, k) => {
        const fd = centralDifference((h) => { q[k] = v + h; const L = f.loss(q, m.batch, 3); q[k] = v; return L; }, 1e-6);
        expect(Math.abs(fd - g[k]!), `${text} p[${k}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(g[k]!)));
      });
    }
  });

  it('refuses a chunk size that is not a number ≥ 1', () => {
    const net = layeredMatrixNetwork(layeredModel('4x3-attn-mean-3:softmax_ce', { N: 2 }).layered);
    for (const bad of [0, -1, NaN, '8000']) expect(() => compiled(net, bad as number)).toThrow(DownhillError);
  });
});
