import { describe, expect, it } from 'vitest';
import { call, sym } from '../src/expr/node.ts';
import {
  broadcast, hadamard, lse, madd, matmul, mdata, mfill, mmap, mparam, mscale, msub, msum, transpose,
} from '../src/matrix/node.ts';
import { DownhillError } from '../src/errors.ts';

describe('matrix nodes: shapes checked when built', () => {
  const W = mparam('W1', [30, 784], 0);
  const x = mdata('x', [784, 'N'], 0);
  const b = mparam('b1', [30, 1], 23520);

  it('gives each operation the shape of linear algebra', () => {
    expect(matmul(W, x).shape).toEqual([30, 'N']);
    expect(transpose(W).shape).toEqual([784, 30]);
    expect(broadcast(b, [30, 'N']).shape).toEqual([30, 'N']);
    expect(msum(matmul(W, x), [30, 1]).shape).toEqual([30, 1]);
    expect(msum(matmul(W, x), [1, 1]).shape).toEqual([1, 1]);
    expect(lse(matmul(W, x)).shape).toEqual([1, 'N']);
  });

  it('refuses a mismatch with one line naming both operands and their shapes', () => {
    const bad = (): unknown => matmul(x, W);
    expect(bad).toThrow(DownhillError);
    expect(bad).toThrow('matmul: x is 784×N but W1 is 30×784: inner sizes N and 30 differ');
    expect(() => madd(matmul(W, x), b)).toThrow('add: matmul(W1, x) is 30×N but b1 is 30×1: shapes differ');
    expect(() => hadamard(W, x)).toThrow(/hadamard: W1 is 30×784 but x is 784×N/);
    expect(() => broadcast(W, [30, 'N'])).toThrow(/broadcast: W1 is 30×784 cannot be spread to 30×N/);
    expect(() => msum(b, [1, 'N'])).toThrow(/sum: b1 is 30×1 cannot be summed down to 1×N/);
    expect(() => mmap(call('sigmoid', sym('u1')), [x])).toThrow(/uses "u1" but has 1 argument/);
    expect(() => mparam('V', ['N', 3], 0)).toThrow(/parameter V cannot have the batch size N/);
  });

  it('is hash-consed and folds what needs no judgement', () => {
    expect(matmul(W, x)).toBe(matmul(W, x));
    expect(transpose(transpose(W))).toBe(W);
    expect(broadcast(b, [30, 1])).toBe(b);
    expect(hadamard(mfill(1, W.shape), W)).toBe(W);
    expect(mscale(mscale(W, 2), 3)).toBe(mscale(W, 6));
    // (1/N)·A + (−1/N)·B = (1/N)(A − B)
    const A = matmul(W, x), B = mdata('y', [30, 'N'], 784);
    expect(madd(mscale(B, -1, true), mscale(A, 1, true))).toBe(mscale(msub(A, B), 1, true));
  });
});
