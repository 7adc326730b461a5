import { describe, expect, it } from 'vitest';
import { call, pow, sym } from '../src/expr/node.ts';
import { centralDifference } from '../src/diff/finite-difference.ts';
import { compileMatrixLoss, compileMatrixValues } from '../src/matrix/compile.ts';
import { convLoops, directKernelLoops, tapTable } from '../src/matrix/layer-loops.ts';
import {
  avgspread, bmm, broadcast, conv, convGeometry, convk, convx, hadamard, madd, matmul, maxroute, mcausal, mdata, mmap, mparam, mrepeat, mreshape,
  mrowsum, mscale, msoftmax, msum, pool, poolGeometry, tokenspread, tokensum, type MNode,
} from '../src/matrix/node.ts';
import { mulberry32 } from '../src/nn/random.ts';

/** Σ tanh(Y) over every entry: a loss that is not linear in Y, so that every entry of Ȳ differs. */
const tanhSum = (Y: MNode): MNode => msum(mmap(call('tanh', sym('u0')), [Y]), [1, 1]);

/**
 * Compiles loss(params) on a random batch and random parameters, and returns the largest relative
 * difference between the compiled gradient and central differences of the compiled loss.
 */
function fdError(loss: MNode, params: MNode[], D: number, N = 3, seed = 1): number {
  const P = params.reduce((s, w) => Math.max(s, (w.kind === 'param' ? w.offset : 0) + (w.shape[0] as number) * (w.shape[1] as number)), 0);
  const f = compileMatrixLoss({ loss, params, P, paramNames: () => Array.from({ length: P }, (_, k) => `w${k + 1}`), data: Array.from({ length: D }, (_, k) => `x${k + 1}`), reduce: 'sum' });
  const rng = mulberry32(seed);
  const p = Float64Array.from({ length: P }, () => rng() - 0.5);
  const batch = Float64Array.from({ length: N * D }, () => 2 * rng() - 1);
  const rows = D === 0 ? 1 : N;
  const g = new Float64Array(P);
  const L = f.lossAndGradient(p, g, batch, rows);
  expect(L).toBeCloseTo(f.loss(p, batch, rows), 12);
  const q = Float64Array.from(p);
  let worst = 0, scale = 0;
  for (const v of g) scale = Math.max(scale, Math.abs(v));
  for (let k = 0; k < P; k++) {
    const fd = centralDifference((h) => { q[k] = p[k]! + h; const v = f.loss(q, batch, rows); q[k] = p[k]!; return v; }, 1e-6);
    worst = Math.max(worst, Math.abs(fd - g[k]!) / Math.max(Math.abs(g[k]!), 1e-3 * scale, 1e-12));
  }
  return worst;
}

/** A batch of C×H×W images moved by a parameter column u (so that ∂L/∂X reaches a parameter), read from offset `at` of p. */
function images(CHW: number, at: number): { X: MNode; u: MNode } {
  const u = mparam('u', [CHW, 1], at);
  return { X: madd(mdata('x', [CHW, 'N'], 0), broadcast(u, [CHW, 'N'])), u };
}

describe('convolution: Z = X ⋆ K, its kernel gradient and input gradient, against central differences', () => {
  it.each([
    { C: 2, H: 5, W: 6, F: 3, kh: 3, kw: 2, stride: 1, pad: 0 },
    { C: 1, H: 5, W: 5, F: 2, kh: 3, kw: 3, stride: 2, pad: 1 },
    { C: 2, H: 4, W: 3, F: 2, kh: 2, kw: 2, stride: 1, pad: 1 },
  ])('conv %o: ∂L/∂K and ∂L/∂X (through u) to 1e-6', (geom) => {
    const g = convGeometry(geom);
    const CHW = g.C * g.H * g.W, CKK = g.C * g.kh * g.kw;
    const K = mparam('K', [g.F, CKK], 0);
    const { X, u } = images(CHW, g.F * CKK);
    expect(fdError(tanhSum(conv(X, K, g)), [K, u], CHW)).toBeLessThan(1e-6);
  });

  it('with padding, the gradient builds each sample\'s columns once: the kernel gradient reads those of the forward convolution', () => {
    const g = convGeometry({ C: 1, H: 6, W: 6, F: 2, kh: 3, kw: 3, stride: 1, pad: 1 });
    const K = mparam('K', [g.F, g.C * g.kh * g.kw], 0);
    const loss = tanhSum(conv(mdata('x', [g.C * g.H * g.W, 'N'], 0), K, g));
    const f = compileMatrixLoss({ loss, params: [K], P: 18, paramNames: () => Array.from({ length: 18 }, (_, k) => `w${k + 1}`), data: Array.from({ length: 36 }, (_, k) => `x${k + 1}`), reduce: 'sum' });
    const im2col = (source: string): number => source.match(/const row = cb \+/g)?.length ?? 0;
    expect(im2col(f.source.loss)).toBe(1);
    expect(im2col(f.source.gradient)).toBe(1);
    expect(f.source.gradient).toMatch(/new Float64Array\(\d+ \* N\)/);
    // and its gradient is still the correlation of the input with δ
    expect(fdError(loss, [K], 36)).toBeLessThan(1e-6);
  });

  it('without padding, no columns at all: both passes read the image through the tap table', () => {
    const g = convGeometry({ C: 2, H: 7, W: 7, F: 5, kh: 3, kw: 3, stride: 2, pad: 0 });
    const CKK = g.C * g.kh * g.kw, CHW = g.C * g.H * g.W;
    const K = mparam('K', [g.F, CKK], 0);
    const loss = tanhSum(conv(mdata('x', [CHW, 'N'], 0), K, g));
    const f = compileMatrixLoss({ loss, params: [K], P: g.F * CKK, paramNames: () => Array.from({ length: g.F * CKK }, (_, k) => `w${k + 1}`), data: Array.from({ length: CHW }, (_, k) => `x${k + 1}`), reduce: 'sum' });
    for (const source of [f.source.loss, f.source.gradient]) {
      expect(source).not.toMatch(/const row = cb \+/);
      expect(source).toMatch(/const w\d+k = new Int32Array\(18\);/);
    }
    expect(fdError(loss, [K], CHW)).toBeLessThan(1e-6);
  });

  describe('the loops that read the image (no padding) give the numbers of plain loops', () => {
    // 5 filters (a block of 4 and one left), 2·3·3 = 18 taps (blocks of 4 and two left), stride 2
    const g = convGeometry({ C: 2, H: 7, W: 9, F: 5, kh: 3, kw: 3, stride: 2, pad: 0 });
    const CHW = g.C * g.H * g.W, CKK = g.C * g.kh * g.kw, HoWo = g.Ho * g.Wo, FHoWo = g.F * HoWo;
    const tap = (t: number): number => { const ch = Math.floor(t / (g.kh * g.kw)), ki = Math.floor(t / g.kw) % g.kh, kj = t % g.kw; return ch * g.H * g.W + ki * g.W + kj; };
    const corner = (pos: number): number => Math.floor(pos / g.Wo) * g.stride * g.W + (pos % g.Wo) * g.stride;
    const rng = mulberry32(11);
    const N = 4;
    const X = Float64Array.from({ length: N * CHW }, () => 2 * rng() - 1);

    it('K̄ = Σₙ Σ_pos δ[f, pos] X[corner + tap] and b̄ = Σₙ Σ_pos δ[f, pos], bit for bit: a sparse δ (gathered), a dense one, and zeros of δ against an infinite pixel (NaN kept)', () => {
      const G = new Float64Array(N * FHoWo);
      for (let n = 0; n < N; n++) for (let q = 0; q < FHoWo; q++) {
        // samples 0 and 2: one entry in eight nonzero (gathered); sample 1: every entry (dense loops); sample 3: sparse, but an infinite pixel
        const keep = n === 1 || rng() < 0.125;
        G[n * FHoWo + q] = keep ? 2 * rng() - 1 : 0;
      }
      const Xi = Float64Array.from(X);
      Xi[3 * CHW + g.W + 3] = Infinity;
      const lines = [
        ...tapTable('w1k', g), `const w1v = new Float64Array(${HoWo}), w1i = new Int32Array(${HoWo});`,
        'return function run(x, d, g, b) {',
        ...directKernelLoops({ buf: 'g', off: 0, rs: CKK, cs: 1 }, { buf: 'x', off: 0, rs: 1, cs: CHW }, { buf: 'd', off: 0, rs: 1, cs: FHoWo }, g, 'w1k', 'w1v', 'w1i', { buf: 'b', off: 0, rs: 1, cs: 0 }),
        '};',
      ];
      expect(lines.join('\n')).toMatch(/m \* 5 <= /);
      const run = new Function('N', lines.join('\n'))(N) as (x: Float64Array, d: Float64Array, g: Float64Array, b: Float64Array) => void;
      // the bias gradient in the same pass: each sample's sum over positions, then over samples
      const bias = new Float64Array(g.F);
      run(X, G, new Float64Array(g.F * CKK), bias);
      for (let f = 0; f < g.F; f++) {
        let total = 0;
        for (let n = 0; n < N; n++) { let s = 0; for (let pos = 0; pos < HoWo; pos++) s += G[n * FHoWo + f * HoWo + pos]!; total += s; }
        expect(bias[f]).toBe(total);
      }
      for (const image of [X, Xi]) {
        const got = new Float64Array(g.F * CKK);
        run(image, G, got, new Float64Array(g.F));
        let nans = 0;
        for (let f = 0; f < g.F; f++) for (let t = 0; t < CKK; t++) {
          let s = 0;
          for (let n = 0; n < N; n++) for (let pos = 0; pos < HoWo; pos++) s += G[n * FHoWo + f * HoWo + pos]! * image[n * CHW + corner(pos) + tap(t)]!;
          expect(Object.is(got[f * CKK + t], s)).toBe(true);
          if (Number.isNaN(s)) nans++;
        }
        expect(nans > 0).toBe(image === Xi);
      }
    });

    it('Z = K ⋆ X + b: the same numbers as the product over the columns (bit for bit) and as plain loops', () => {
      const K = mparam('K', [g.F, CKK], 0), b = mparam('b', [g.F, 1], g.F * CKK);
      const x = mdata('x', [CHW, 'N'], 0);
      const z = madd(conv(x, K, g), broadcast(mrepeat(b, HoWo), [FHoWo, 'N']));
      const p = Float64Array.from({ length: g.F * CKK + g.F }, () => rng() - 0.5);
      const [got] = compileMatrixValues([z], CHW)(p, X, N);
      // the columns' loops (convLoops, as with padding) on the same numbers
      const lines = [
        `const t1 = new Float64Array(${FHoWo} * N), w1 = new Float64Array(${CKK * HoWo});`,
        'return function run(p, x) {',
        `for (let n = 0; n < N; n++) for (let f = 0; f < ${g.F}; f++) for (let j = 0; j < ${HoWo}; j++) t1[n * ${FHoWo} + f * ${HoWo} + j] = p[${g.F * CKK} + f];`,
        ...convLoops({ buf: 't1', off: 0, rs: 1, cs: FHoWo }, { buf: 'x', off: 0, rs: 1, cs: CHW }, { buf: 'p', off: 0, rs: CKK, cs: 1 }, g, 'w1', false, { buf: 't1', off: 0, rs: 1, cs: FHoWo }),
        'return t1;',
        '};',
      ];
      const columns = (new Function('N', lines.join('\n'))(N) as (p: Float64Array, x: Float64Array) => Float64Array)(p, X);
      for (let n = 0; n < N; n++) for (let f = 0; f < g.F; f++) for (let pos = 0; pos < HoWo; pos++) {
        const k = n * FHoWo + f * HoWo + pos;
        let s = p[g.F * CKK + f]!;
        for (let t = 0; t < CKK; t++) s += p[f * CKK + t]! * X[n * CHW + corner(pos) + tap(t)]!;
        expect(got![k]).toBe(columns[k]);
        expect(got![k]).toBeCloseTo(s, 14);
      }
    });
  });

  it('convk(X, G) and convx(G, K) as forward ops: their own rules agree with central differences', () => {
    const g = convGeometry({ C: 2, H: 4, W: 5, F: 2, kh: 2, kw: 3, stride: 1, pad: 1 });
    const CHW = g.C * g.H * g.W, maps = g.F * g.Ho * g.Wo, CKK = g.C * g.kh * g.kw;
    const { X, u } = images(CHW, 0);
    const v = mparam('v', [maps, 1], CHW);
    const G = madd(mdata('x', [maps, 'N'], 0), broadcast(v, [maps, 'N']));
    expect(fdError(tanhSum(convk(X, madd(G, G), g)), [u, v], Math.max(CHW, maps))).toBeLessThan(1e-6);
    const K = mparam('K', [g.F, CKK], CHW + maps);
    expect(fdError(tanhSum(convx(G, K, g)), [v, K], maps)).toBeLessThan(1e-6);
  });

  it('refuses shapes that do not fit, naming the operands', () => {
    const g = convGeometry({ C: 1, H: 5, W: 5, F: 2, kh: 3, kw: 3 });
    expect(() => conv(mdata('x', [24, 'N'], 0), mparam('K', [2, 9], 0), g)).toThrow('conv: x is 24×N but a batch of 1×5×5 images is 25×N');
    expect(() => conv(mdata('x', [25, 'N'], 0), mparam('K', [2, 8], 0), g)).toThrow('conv: K is 2×8 but 2 kernels of 1×3×3 is 2×9');
    expect(() => convGeometry({ C: 1, H: 5, W: 5, F: 1, kh: 2, kw: 2, stride: 2 })).toThrow('stride 2 does not tile');
    expect(() => convGeometry({ C: 1, H: 2, W: 5, F: 1, kh: 3, kw: 3 })).toThrow('does not fit');
    // A geometry edited by hand (Ho 4 where 3×3 on 5×5 gives 3) is not convGeometry's result: refused, not read past the image.
    expect(() => conv(mdata('x', [25, 'N'], 0), mparam('K', [2, 9], 0), { ...g, Ho: 4 })).toThrow("conv: g must be a convolution's geometry (convGeometry's result)");
  });
});

describe('pooling against central differences', () => {
  it.each([
    { kind: 'maxpool', k: 2, stride: 2, H: 4, W: 6 },
    { kind: 'maxpool', k: 3, stride: 1, H: 4, W: 5 },
    { kind: 'maxpool', k: 2, stride: 3, H: 5, W: 5 },
    { kind: 'avgpool', k: 2, stride: 2, H: 4, W: 4 },
    { kind: 'avgpool', k: 2, stride: 1, H: 3, W: 4 },
  ] as const)('$kind $k×$k stride $stride on $H×$W', ({ kind, k, stride, H, W }) => {
    const g = poolGeometry({ C: 2, H, W, k, stride });
    const { X, u } = images(2 * H * W, 0);
    expect(fdError(tanhSum(pool(kind, X, g)), [u], 2 * H * W)).toBeLessThan(1e-6);
  });

  it('max-pool sends δ to the largest entry of each window (the first on ties), avg-pool spreads δ/k² (hand-computed)', () => {
    const g = poolGeometry({ C: 1, H: 2, W: 4, k: 2 });
    // two windows: [1 5; 2 5] (max 5, first at index 1) and [0 -1; 3 3] (max 3, first at index 6)
    const A = mdata('a', [8, 'N'], 0), G = mdata('g', [2, 'N'], 8);
    const f = compileMatrixLoss({
      loss: msum(mmap(call('tanh', sym('u0')), [mscale(madd(maxroute(A, G, g), mscale(avgspread(G, g), 4)), 1)]), [1, 1]),
      params: [], P: 0, paramNames: () => [], data: Array.from({ length: 10 }, (_, k) => `x${k}`), reduce: 'sum',
    });
    const batch = Float64Array.of(1, 5, 0, -1, 2, 5, 3, 3, 10, 20);
    // routed: [0 10 0 0; 0 0 20 0] ; spread·4: [10 10 20 20; 10 10 20 20]
    const expected = [10, 20, 20, 20, 10, 10, 40, 20].reduce((s, v) => s + Math.tanh(v), 0);
    expect(f.loss(new Float64Array(0), batch, 1)).toBeCloseTo(expected, 14);
  });
  it('a NaN wins its window (the first NaN), so that it spreads; ties and −∞ go to the first entry (hand-computed)', () => {
    const g = poolGeometry({ C: 1, H: 2, W: 6, k: 2 });
    // windows [3 NaN; 7 NaN] → NaN at index 1; [2 2; 2 2] → 2 at index 2; [−∞ −∞; −∞ −∞] → −∞ at index 4
    const A = mdata('a', [12, 'N'], 0), G = mdata('g', [3, 'N'], 12);
    const [pooled, routed] = compileMatrixValues([pool('maxpool', A, g), maxroute(A, G, g)], 15)(new Float64Array(0), Float64Array.of(
      3, NaN, 2, 2, -Infinity, -Infinity,
      7, NaN, 2, 2, -Infinity, -Infinity,
      10, 20, 30,
    ), 1);
    expect([...pooled!]).toEqual([NaN, 2, -Infinity]);
    expect([...routed!]).toEqual([0, 10, 20, 0, 30, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('fused loops: the compiler\'s one-pass forms give the numbers of the passes they replace', () => {
  const names = (k: number, p: string): string[] => Array.from({ length: k }, (_, i) => `${p}${i + 1}`);
  const compiled = (loss: MNode, params: MNode[], P: number, D: number) => compileMatrixLoss({ loss, params, P, paramNames: () => names(P, 'w'), data: names(D, 'x'), reduce: 'sum' });

  it('a convolution plus its repeated bias starts each sum at the bias: relu(K ⋆ X + b) equals plain loops', () => {
    const g = convGeometry({ C: 2, H: 5, W: 6, F: 3, kh: 3, kw: 2, stride: 1, pad: 0 });
    const CKK = g.C * g.kh * g.kw, CHW = g.C * g.H * g.W, HoWo = g.Ho * g.Wo;
    const K = mparam('K', [g.F, CKK], 0), b = mparam('b', [g.F, 1], g.F * CKK);
    const z = madd(conv(mdata('x', [CHW, 'N'], 0), K, g), broadcast(mrepeat(b, HoWo), [g.F * HoWo, 'N']));
    const a = mmap(call('relu', sym('u0')), [z]);
    const rng = mulberry32(3);
    const p = Float64Array.from({ length: g.F * CKK + g.F }, () => rng() - 0.5);
    const N = 2, batch = Float64Array.from({ length: N * CHW }, () => 2 * rng() - 1);
    const [got] = compileMatrixValues([a], CHW)(p, batch, N);
    for (let n = 0; n < N; n++) for (let f = 0; f < g.F; f++) for (let r = 0; r < g.Ho; r++) for (let c = 0; c < g.Wo; c++) {
      let s = p[g.F * CKK + f]!;
      for (let ch = 0; ch < g.C; ch++) for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++) s += p[f * CKK + (ch * g.kh + i) * g.kw + j]! * batch[n * CHW + ch * g.H * g.W + (r + i) * g.W + c + j]!;
      expect(got![n * g.F * HoWo + f * HoWo + r * g.Wo + c]).toBeCloseTo(Math.max(0, s), 14);
    }
    // the loss's gradient too, where the fusion is made (no pass adds the bias: the conv's sums start at it)
    const f = compiled(tanhSum(a), [K, b], g.F * CKK + g.F, CHW);
    expect(f.source.gradient).not.toMatch(/^t\d+\[r \+ c \* \d+\] = t\d+\[r \+ c \* \d+\] \+ t\d+\[r\];$/m);
    // and the bias gradient is summed in the kernel gradient's pass over δ (no sum over samples of the whole δ stored)
    expect(f.source.gradient).toMatch(/g\[\d+ \+ f\] \+= s;/);
    expect(f.source.gradient).not.toMatch(/t\d+\[r\] \+= t\d+\[r \+ c \* \d+\];/);
    expect(fdError(tanhSum(a), [K, b], CHW)).toBeLessThan(1e-6);
  });

  it.each([
    ['maxpool', 'relu'], ['maxpool', 'tanh'], ['avgpool', 'tanh'], ['avgpool', 'sigmoid'],
  ] as const)('%s of %s(u + x) on windows that tile: δ routed back times the activation\'s derivative in one pass, against central differences', (kind, act) => {
    const g = poolGeometry({ C: 2, H: 4, W: 6, k: 2, stride: 2 });
    const { X, u } = images(2 * 4 * 6, 0);
    const loss = tanhSum(pool(kind, mmap(call(act, sym('u0')), [X]), g));
    expect(fdError(loss, [u], 48)).toBeLessThan(1e-6);
    const src = compiled(loss, [u], 48, 48).source.gradient;
    // no routed image zeroed first: max-pooling's winners recorded going forward, each read once; average-pooling's
    // windows written position by position
    if (kind === 'maxpool') expect(src).toMatch(/const w\d+ = new Int32Array[^]*for \(let wo = 0; wo < 12; wo\+\+\) \{\nconst q = w\d+\[n \* 12 \+ wo\]/);
    else expect(src).toMatch(/for \(let ki = 0; ki < 2; ki\+\+\) for \(let kj = 0; kj < 2; kj\+\+\) \{\nconst q = row \+/);
    expect(src).not.toMatch(/\+= t\d+\[wo\];/);
  });

  it('the routed δ times a stored factor, with winners found on the spot (no max-pooling of that input): equals plain loops', () => {
    const g = poolGeometry({ C: 1, H: 4, W: 4, k: 2, stride: 2 });
    const X = mdata('x', [16, 'N'], 0), G = mdata('g', [4, 'N'], 16);
    // maxroute(X, G) ⊙ X + X: the factor X is stored (read twice)
    const f = compiled(tanhSum(madd(hadamard(maxroute(X, G, g), X), X)), [], 0, 20);
    expect(f.source.loss).toMatch(/const q = best - ib, v = 0 \+/);
    const rng = mulberry32(5);
    const N = 3, batch = Float64Array.from({ length: N * 20 }, () => Math.round(4 * rng()) - 2); // small integers: ties
    let want = 0;
    for (let n = 0; n < N; n++) {
      const x = batch.subarray(n * 20, n * 20 + 16), routed = new Float64Array(16);
      for (let wy = 0; wy < 2; wy++) for (let wx = 0; wx < 2; wx++) {
        let best = -1;
        for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) { const q = (2 * wy + i) * 4 + 2 * wx + j; if (best < 0 || x[q]! > x[best]!) best = q; }
        routed[best] = batch[n * 20 + 16 + wy * 2 + wx]!;
      }
      for (let q = 0; q < 16; q++) want += Math.tanh(routed[q]! * x[q]! + x[q]!);
    }
    expect(f.loss(new Float64Array(0), batch, N)).toBeCloseTo(want, 13);
  });
});

describe('batched products, softmax, reshape, token sums, masks, repeats against central differences', () => {
  // sequences of T = 3 tokens of width 2: a sample's 6 numbers, token by token
  const T = 3, d = 2;
  const tokens = (): { X: MNode; W: MNode } => {
    const W = mparam('W', [d, d], 0);
    return { X: matmul(W, mreshape(mdata('x', [T * d, 'N'], 0), [d, `${T}N`])), W };
  };

  it.each([[false, false], [true, false], [false, true], [true, true]])('bmm with transposes (%s, %s)', (ta, tb) => {
    const { X, W } = tokens();
    const V = mparam('V', [d, d], 4);
    const Y = matmul(V, X);
    // op(A) op(B) with T×T or d×d blocks: Xᵀ Y is T×T, X Yᵀ is d×d
    const A = ta ? X : mreshape(mreshape(X, [T * d, 'N']), [d, `${T}N`]);
    const prod = ta === tb ? (ta ? bmm(bmm(X, Y, true), X, true, true) : bmm(X, bmm(Y, X, true, false))) : bmm(A, Y, ta, tb);
    expect(fdError(tanhSum(prod), [W, V], T * d)).toBeLessThan(1e-6);
  });

  it('softmax over each column of each sequence, with and without the causal mask; over each row of a matrix', () => {
    const { X, W } = tokens();
    const S = mscale(bmm(X, X, true), 1 / Math.sqrt(d));
    expect(fdError(tanhSum(msoftmax(S)), [W], T * d)).toBeLessThan(1e-6);
    expect(fdError(tanhSum(msoftmax(mcausal(S))), [W], T * d)).toBeLessThan(1e-6);
    const M = mparam('M', [3, 4], 0);
    expect(fdError(msum(hadamard3(msoftmax(M, 'row')), [1, 1]), [M], 0)).toBeLessThan(1e-6);
  });

  it('token sums and spreads, reshapes, repeats and row sums', () => {
    const { X, W } = tokens();
    const m = mscale(tokensum(X), 1 / T);
    expect(fdError(tanhSum(madd(tokenspread(m, T), X)), [W], T * d)).toBeLessThan(1e-6);
    const b = mparam('b', [2, 1], 4);
    expect(fdError(tanhSum(madd(mreshape(X, [T * d, 'N']), broadcast(mrepeat(b, 3), [6, 'N']))), [W, b], T * d)).toBeLessThan(1e-6);
    const M = mparam('M', [6, 2], 0);
    expect(fdError(tanhSum(mreshape(mrowsum(M, 3), [1, 4])), [M], 0)).toBeLessThan(1e-6);
  });

  it('the causal mask sets the entries below each block\'s diagonal (a key after its query) to −∞, so softmax gives them 0', () => {
    const S = mreshape(mdata('s', [4, 'N'], 0), [2, '2N']);
    const f = compileMatrixLoss({
      loss: msum(hadamard3(msoftmax(mcausal(S))), [1, 1]), params: [], P: 0, paramNames: () => [], data: ['a', 'b', 'c', 'd'], reduce: 'sum',
    });
    // block [[a, c], [b, d]] (column by column): column 0 masks b, so softmax = [1, 0]; column 1 = softmax([c, d])
    const [a, b, c, dd] = [0.3, 2, -1, 0.5];
    const e = Math.exp(c) + Math.exp(dd);
    const cube = (v: number): number => v * v * v;
    expect(f.loss(new Float64Array(0), Float64Array.of(a, b, c, dd), 1)).toBeCloseTo(1 + 0 + cube(Math.exp(c) / e) + cube(Math.exp(dd) / e), 14);
  });
});

describe('products with a factor spread over the tokens (the adjoint of a mean over tokens), done once per sample', () => {
  it('Wᵀ · spread(δ) and spread(δ) · Xᵀ: the compiled gradient agrees with central differences, and computes them per sample', () => {
    // 3 tokens of width 4 per sample, a 5 × 4 weight, summed over the tokens: ∂L/∂W = spread(δ) Xᵀ, ∂L/∂X = Wᵀ spread(δ)
    const T = 3, R = 4, M = 5;
    const W = mparam('W', [M, R], 0);
    const u = mparam('u', [R, 1], M * R);
    const X = madd(mreshape(mdata('x', [R * T, 'N'], 0), [R, `${T}N`]), broadcast(u, [R, `${T}N`]));
    const loss = tanhSum(tokensum(matmul(W, X)));
    expect(fdError(loss, [W, u], R * T)).toBeLessThan(1e-6);
    const f = compileMatrixLoss({ loss, params: [W, u], P: M * R + R, paramNames: () => Array.from({ length: M * R + R }, (_, k) => `w${k + 1}`), data: Array.from({ length: R * T }, (_, k) => `x${k + 1}`), reduce: 'sum' });
    // one per-sample buffer for each of the two products
    expect(f.source.gradient.match(/const t\d+s = new Float64Array\(\d+ \* N\)/g)).toHaveLength(2);
  });
});

/** u³ element by element: a loss term that tells entries apart. */
function hadamard3(Y: MNode): MNode {
  return mmap(pow(sym('u0'), 3), [Y]);
}
