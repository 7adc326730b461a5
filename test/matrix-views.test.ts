// The product loops of src/matrix/views.ts, every loop order they choose (by the strides of the views), at sizes that
// leave remainders after every block (rows, columns, terms), with and without a matrix added first: against the
// product computed here with three plain loops.
import { describe, expect, test } from 'vitest';
import { matmulLoops, type View } from '../src/matrix/views.ts';
import { mulberry32 } from '../src/nn/random.ts';

/** A view of an R × C matrix in its own buffer, row-major or column-major. */
const layout = (buf: string, R: number, C: number, colMajor: boolean): View => (colMajor ? { buf, off: 0, rs: 1, cs: R } : { buf, off: 0, rs: C, cs: 1 });
const read = (v: View, data: Float64Array, r: number, c: number): number => data[(v.off as number) + r * (v.rs as number) + c * (v.cs as number)]!;

describe('matmulLoops: C = A B (+ init)', () => {
  const rng = mulberry32(7);
  const cases: [number, number, number][] = [[1, 1, 1], [2, 4, 4], [3, 5, 7], [5, 9, 3], [7, 3, 10], [10, 13, 9]];
  let orders = 0;
  const seen = new Set<string>();
  test.each(cases)('M = %i, K = %i, N = %i, in every layout of A, B and C', (M, K, N) => {
    for (const aCol of [false, true]) for (const bCol of [false, true]) for (const cCol of [false, true]) for (const withInit of [false, true]) {
      const A = layout('a', M, K, aCol), B = layout('b', K, N, bCol), C = layout('o', M, N, cCol), I = layout('z', M, N, !cCol);
      const a = Float64Array.from({ length: M * K }, () => rng() - 0.5), b = Float64Array.from({ length: K * N }, () => rng() - 0.5);
      const z = Float64Array.from({ length: M * N }, () => rng() - 0.5), o = new Float64Array(M * N).fill(NaN);
      const lines = matmulLoops(C, A, B, M, K, N, withInit ? I : null);
      // which loop order was chosen, by its inner statement: dot products, rows of C, columns of C, or one sum per element
      const kernel = ({ dot: /s00 \+= a0 \* x0/, rows: /o0 \+ j\] \+=/, columns: /o0 \+ i\] \+=/, plain: /^let s = / } as const);
      for (const [name, re] of Object.entries(kernel)) if (lines.some((l) => re.test(l))) seen.add(name);
      new Function('a', 'b', 'o', 'z', 'N', lines.join('\n'))(a, b, o, z, N);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = withInit ? read(I, z, i, j) : 0;
        for (let t = 0; t < K; t++) s += read(A, a, i, t) * read(B, b, t, j);
        expect(read(C, o, i, j)).toBeCloseTo(s, 12);
      }
      orders++;
    }
  });
  test('every case above ran, through each of the four loop orders', () => {
    expect(orders).toBe(cases.length * 16);
    expect([...seen].sort()).toEqual(['columns', 'dot', 'plain', 'rows']);
  });
});
