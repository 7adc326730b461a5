import { describe, expect, it } from 'vitest';
import { compileNetwork, MATRIX_ENGINE_FROM } from '../src/matrix/path.ts';
import { referenceBatch } from '../src/nn/network-loss.ts';
import { referenceModel } from '../src/nn/reference.ts';
import { parseNetworkSpec } from '../src/nn/spec.ts';
import { train } from '../src/train/train.ts';
import { gd } from '../src/train/optimizers.ts';

describe('compileNetwork: the engine by size, or as the caller chooses', () => {
  it('keeps the reference models on the scalar engine and sends larger networks to the matrix engine', () => {
    const m = referenceModel('deep1249');
    expect(m.P).toBeLessThanOrEqual(MATRIX_ENGINE_FROM);
    expect(compileNetwork(m.layers, m.loss).engine).toBe('scalar');
    const big = parseNetworkSpec('64-40-10:tanh:softmax_ce'); // 3,010 parameters
    expect(compileNetwork(big.layers, big.loss).engine).toBe('matrix');
  });

  it('gives the same loss and gradient either way', () => {
    const m = referenceModel('iris67');
    const X = referenceBatch(m);
    const [s, x] = (['scalar', 'matrix'] as const).map((engine) => compileNetwork(m.layers, m.loss, { engine }));
    expect(s!.engine).toBe('scalar');
    expect(x!.engine).toBe('matrix');
    expect(x!.params).toEqual(s!.params);
    const gs = new Float64Array(m.P), gx = new Float64Array(m.P);
    expect(x!.lossAndGradient(m.p, gx, X)).toBe(s!.lossAndGradient(m.p, gs, X));
    gs.forEach((v, k) => expect(Math.abs(v - gx[k]!)).toBeLessThanOrEqual(1e-12 * Math.max(1e-3, Math.abs(v))));
  });

  it('refuses an unknown engine', () => {
    const m = referenceModel('xor9');
    expect(() => compileNetwork(m.layers, m.loss, { engine: 'gpu' as never })).toThrow('compileNetwork: engine must be one of auto, scalar, matrix, got the text "gpu"');
  });
});

describe('train() with the matrix engine', () => {
  it('takes steps identical (to 1e-12) to those on the scalar engine', () => {
    const m = referenceModel('xor9');
    const X = referenceBatch(m);
    const runs = (['scalar', 'matrix'] as const).map((engine) => train({
      loss: compileNetwork(m.layers, m.loss, { engine }), batch: X, init: m.p, optimizer: gd(2), steps: 50,
    }));
    expect(runs[1]!.compiled).not.toBe(runs[0]!.compiled);
    expect(runs[1]!.steps).toHaveLength(runs[0]!.steps.length);
    expect(Math.abs(runs[1]!.loss - runs[0]!.loss)).toBeLessThanOrEqual(1e-12);
    runs[0]!.p.forEach((v, k) => expect(Math.abs(v - runs[1]!.p[k]!)).toBeLessThanOrEqual(1e-12));
  });
});
