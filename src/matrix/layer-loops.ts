/**
 * Loop nests of the layers beyond dense, for the matrix compiler: the code
 * of each is a few fixed lines with the sizes as numbers in it, so its size
 * and the time to build it do not depend on the sizes.
 *
 *   directConvLoops(out, X, K, g, taps, init)   // Z = X ⋆ K (+ bias) read from the image (no padding)
 *   convLoops(out, X, K, g, scratch)            // Z = X ⋆ K with padding: for each sample, im2col, then Z_n = K · cols
 *
 * Layouts (matrix/node.ts): a batch of images is one column per sample,
 * channel by channel, row by row; a batch of blocks (r × k·N) is, for each
 * sample, k columns of r numbers. The emitters take views whose batch
 * columns are contiguous (row stride 1): `compile.ts` copies anything else
 * first.
 *
 * A convolution goes through its "columns" matrix (im2col): for a sample,
 * row (ch, i, j) of cols holds X[ch, r·s + i − p, c·s + j − p] for every
 * output position (r, c), so that
 *   Z_n = K cols_n            (forward),
 *   K̄  += Ḡ_n cols_nᵀ        (the correlation of the input with δ),
 *   cols̄_n = Kᵀ Ḡ_n, then added back to the image (col2im: the full
 *   convolution of δ with the flipped kernel),
 * each one a product with the blocked loops of views.ts.
 *
 * Without padding, neither pass needs the columns: a tap t = (ch, i, j) of
 * the kernel reads the image at a fixed offset (the tap table, ch·H·W + i·W + j)
 * from each output position's corner, so the loops read the image itself
 * (a few kB, where a sample's columns are C·kh·kw times its outputs):
 *   z[f, pos] = b_f + Σ_t K[f, t] · X[corner(pos) + tap_t]    (4 filters × 4 taps at a time, as the product),
 *   K̄[f, t] += Σ_pos Ḡ[f, pos] · X[corner(pos) + tap_t]       (2 filters × 4 taps at a time, as the product),
 * and where δ is mostly zeros (after a max-pooling, three positions in four
 * of each window get none), the kernel gradient gathers each filter's nonzero
 * δ first and sums over those alone. Every sum adds the same terms in the same
 * order as the product over the columns (a skipped term is 0 · x = ±0, which
 * leaves a sum started at +0 unchanged; zeros are skipped only for an image
 * whose numbers are all finite, where 0 · x cannot be NaN), so the results are
 * those of the columns' product, bit for bit.
 */
import { literal } from '../compile/compile.ts';
import type { ConvGeometry, PoolGeometry } from './node.ts';
import { at, index, matmulLoops, type View } from './views.ts';

/** Index of element (r, n) of a batch column view with row stride 1: base + r. */
const base = (v: View, n: string): string => index(v, '0', n);

/** The loops that fill a sample's cols (C·kh·kw × Ho·Wo, row by row in `cols` from `cb`) from image `X` (column base `xb`). */
function im2col(cols: string, X: View, g: ConvGeometry): string[] {
  const { C, H, W, kh, kw, stride: s, pad: p, Ho, Wo } = g;
  const HoWo = Ho * Wo;
  const yy = `oy${s === 1 ? '' : ` * ${s}`} + ki${p ? ` - ${p}` : ''}`;
  const xx = `ox${s === 1 ? '' : ` * ${s}`} + kj${p ? ` - ${p}` : ''}`;
  return [
    `for (let ch = 0; ch < ${C}; ch++) for (let ki = 0; ki < ${kh}; ki++) for (let kj = 0; kj < ${kw}; kj++) {`,
    `const row = cb + ((ch * ${kh} + ki) * ${kw} + kj) * ${HoWo};`,
    `for (let oy = 0; oy < ${Ho}; oy++) {`,
    `const yy = ${yy};`,
    `const o = row + oy * ${Wo};`,
    ...(p
      ? [
        `if (yy < 0 || yy >= ${H}) { for (let ox = 0; ox < ${Wo}; ox++) ${cols}[o + ox] = 0; continue; }`,
        `const xr = xb + ch * ${H * W} + yy * ${W};`,
        `for (let ox = 0; ox < ${Wo}; ox++) { const xx = ${xx}; ${cols}[o + ox] = xx < 0 || xx >= ${W} ? 0 : ${X.buf}[xr + xx]; }`,
      ]
      : [
        `const xr = xb + ch * ${H * W} + yy * ${W} + kj;`,
        `for (let ox = 0; ox < ${Wo}; ox++) ${cols}[o + ox] = ${X.buf}[xr + ox${s === 1 ? '' : ` * ${s}`}];`,
      ]),
    '}',
    '}',
  ];
}

/** A sample's block of `init` (its rows are (filter, position) as a convolution's output): element (f, j) at row f·Ho·Wo + j, column n. */
const initBlock = (init: View | null, g: ConvGeometry): View | null => init && { buf: init.buf, off: index(init, '0', 'n'), rs: g.Ho * g.Wo * (init.rs as number), cs: init.rs };

/** A sample's block of a per-sample view as a row-major R × C matrix starting at `b`. */
const sampleMatrix = (v: View, b: string, C: number): View => ({ buf: v.buf, off: b, rs: C, cs: 1 });

/**
 * Z = X ⋆ K: for each sample, cols from X, then Z_n = K cols_n (F × Ho·Wo, row by row in Z's column). With `kept`,
 * `cols` holds every sample's cols (sample n's from n·C·kh·kw·Ho·Wo), for convKernelLoops to read again.
 */
export function convLoops(out: View, X: View, K: View, g: ConvGeometry, cols: string, kept = false, init: View | null = null): string[] {
  const HoWo = g.Ho * g.Wo, CKK = g.C * g.kh * g.kw;
  const colsView: View = { buf: cols, off: 'cb', rs: HoWo, cs: 1 };
  const start = initBlock(init, g);
  return [
    'for (let n = 0; n < N; n++) {',
    `const xb = ${base(X, 'n')}, zb = ${base(out, 'n')}, cb = ${kept ? `n * ${CKK * HoWo}` : '0'};`,
    ...im2col(cols, X, g),
    ...matmulLoops(sampleMatrix(out, 'zb', HoWo), K, colsView, g.F, CKK, HoWo, start),
    '}',
  ];
}

/**
 * K̄ = Σ_n Ḡ_n cols_nᵀ: the correlation of the input with δ, summed over samples. With `kept`, `cols` already holds
 * every sample's cols (convLoops with `kept`, on the same X), so they are read, not built again.
 */
export function convKernelLoops(out: View, X: View, G: View, g: ConvGeometry, cols: string, kept = false): string[] {
  const HoWo = g.Ho * g.Wo, CKK = g.C * g.kh * g.kw;
  const colsT: View = { buf: cols, off: 'cb', rs: 1, cs: HoWo };
  return [
    `for (let f = 0; f < ${g.F}; f++) for (let q = 0; q < ${CKK}; q++) ${at(out, 'f', 'q')} = 0;`,
    'for (let n = 0; n < N; n++) {',
    kept ? `const gb = ${base(G, 'n')}, cb = n * ${CKK * HoWo};` : `const xb = ${base(X, 'n')}, gb = ${base(G, 'n')}, cb = 0;`,
    ...(kept ? [] : im2col(cols, X, g)),
    ...matmulLoops(out, sampleMatrix(G, 'gb', HoWo), colsT, g.F, HoWo, CKK, out),
    '}',
  ];
}

/** Filters (or taps) handled together by the direct loops: a convolution's forward pass updates 4 filters with 4 taps per image value read. */
const CONV_ROWS = 4, CONV_TAPS = 4;
/** Filters of the kernel gradient's dense loop handled together (2 × 4 sums in registers, as the product's dot products). */
const KERNEL_ROWS = 2;
/** The kernel gradient gathers δ's nonzero entries when at most this fraction of a sample's δ is nonzero (measured: the gathered sum costs about 2.5× a dense one per term). */
const SPARSE_NUM = 2, SPARSE_DEN = 5;

const range = (k: number): number[] => Array.from({ length: k }, (_, q) => q);
const plus = (v: string, q: number): string => (q === 0 ? v : `(${v} + ${q})`);

/** True when the convolution's loops read the image directly (no padding: every tap of every position is inside the image). */
export const directConv = (g: ConvGeometry): boolean => g.pad === 0;

/** The lines (for the per-batch-size set-up) of the tap table `taps`: tap t = (ch, ki, kj) at ch·H·W + ki·W + kj of a sample's image. */
export function tapTable(taps: string, g: ConvGeometry): string[] {
  return [
    `const ${taps} = new Int32Array(${g.C * g.kh * g.kw});`,
    `for (let ch = 0; ch < ${g.C}; ch++) for (let ki = 0; ki < ${g.kh}; ki++) for (let kj = 0; kj < ${g.kw}; kj++) ${taps}[(ch * ${g.kh} + ki) * ${g.kw} + kj] = ch * ${g.H * g.W} + ki * ${g.W} + kj;`,
  ];
}

/** The loops over a sample's output positions: `body` gets the position's image index (xo + ox·s, from `x`'s row start) and output index (zo + ox). */
function positions(g: ConvGeometry, body: (img: string, pos: string) => string[]): string[] {
  const s = g.stride;
  return [
    `for (let oy = 0; oy < ${g.Ho}; oy++) {`,
    `const xo = oy * ${s * g.W}, zo = oy * ${g.Wo};`,
    `for (let ox = 0; ox < ${g.Wo}; ox++) {`,
    ...body(`xo + ox${s === 1 ? '' : ` * ${s}`}`, 'zo + ox'),
    '}',
    '}',
  ];
}

/**
 * Z = X ⋆ K read from the image (no padding, see the top of this file): for R filters i … and T taps t … at a time,
 * each image value read serves R filters, each output is updated with T taps at once; the sums start at `start`
 * (a sample's block of the repeated bias) or 0, and add the taps in order, as the product over the columns does.
 */
export function directConvLoops(out: View, X: View, K: View, g: ConvGeometry, taps: string, init: View | null): string[] {
  const start = initBlock(init, g);
  const HoWo = g.Ho * g.Wo, CKK = g.C * g.kh * g.kw;
  const block = (R: number, T: number): string[] => [
    ...range(T).map((q) => `const r${q} = xb + ${taps}[${plus('t', q)}];`),
    ...range(R).flatMap((r) => range(T).map((q) => `const a${r}${q} = ${at(K, plus('i', r), plus('t', q))};`)),
    ...positions(g, (img, pos) => [
      `const e = ${img}, j = ${pos};`,
      ...range(T).map((q) => `const x${q} = ${X.buf}[r${q} + e];`),
      ...range(R).map((r) => `${out.buf}[o${r} + j] += ${range(T).map((q) => `a${r}${q} * x${q}`).join(' + ')};`),
    ]),
  ];
  const rows = (R: number): string[] => [
    ...range(R).map((r) => `const o${r} = zb + ${plus('i', r)} * ${HoWo};`),
    ...range(R).map((r) => `for (let j = 0; j < ${HoWo}; j++) ${out.buf}[o${r} + j] = ${start ? at(start, plus('i', r), 'j') : '0'};`),
    'let t = 0;',
    `for (; t + ${CONV_TAPS} <= ${CKK}; t += ${CONV_TAPS}) {`, ...block(R, CONV_TAPS), '}',
    `for (; t < ${CKK}; t++) {`, ...block(R, 1), '}',
  ];
  return [
    'for (let n = 0; n < N; n++) {',
    `const xb = ${base(X, 'n')}, zb = ${base(out, 'n')};`,
    'let i = 0;',
    `for (; i + ${CONV_ROWS} <= ${g.F}; i += ${CONV_ROWS}) {`, ...rows(CONV_ROWS), '}',
    `for (; i < ${g.F}; i++) {`, ...rows(1), '}',
    '}',
  ];
}

/**
 * K̄ += Σ_pos Ḡ_n[f, pos] · X_n[corner(pos) + tap_t] for sample n, read from the image (no padding, see the top of this
 * file). Where at most 2/5 of the sample's δ is nonzero and its image is finite, each filter's nonzero δ are gathered
 * (value in `vals`, corner in `corners`, in position order) and summed alone; otherwise 2 filters × 4 taps are summed over
 * every position, as the product's dot products. With `bias` (F × 1), the bias gradient Σ_n Σ_pos Ḡ_n[f, pos] is
 * summed in the same pass over δ.
 */
export function directKernelLoops(out: View, X: View, G: View, g: ConvGeometry, taps: string, vals: string, corners: string, bias: View | null = null): string[] {
  const HoWo = g.Ho * g.Wo, CKK = g.C * g.kh * g.kw, FHoWo = g.F * HoWo;
  const sums = (rowOf: (r: number) => string, R: number, T: number, inner: string[], loop: string): string[] => [
    ...range(T).map((q) => `const r${q} = ${taps}[${plus('t', q)}];`),
    ...range(R).flatMap((r) => range(T).map((q) => `let s${r}${q} = ${at(out, rowOf(r), plus('t', q))};`)),
    loop,
    ...inner,
    '}',
    ...range(R).flatMap((r) => range(T).map((q) => `${at(out, rowOf(r), plus('t', q))} = s${r}${q};`)),
  ];
  const gathered = (T: number): string[] => sums(() => 'f', 1, T, [
    `const v = ${vals}[q], e = ${corners}[q];`,
    ...range(T).map((q) => `s0${q} += v * ${X.buf}[e + r${q}];`),
  ], 'for (let q = 0; q < m; q++) {');
  const dense = (R: number, T: number): string[] => [
    ...range(R).map((r) => `const o${r} = gb + ${plus('i', r)} * ${HoWo};`),
    ...sums((r) => plus('i', r), R, T, [
      ...positions(g, (img, pos) => [
        `const e = xb + ${img}, j = ${pos};`,
        ...range(R).map((r) => `const a${r} = ${G.buf}[o${r} + j];`),
        ...range(T).map((q) => `const x${q} = ${X.buf}[e + r${q}];`),
        ...range(R).flatMap((r) => range(T).map((q) => `s${r}${q} += a${r} * x${q};`)),
      ]),
    ], '{'),
  ];
  const taps4 = (body: (T: number) => string[]): string[] => [
    'let t = 0;',
    `for (; t + ${CONV_TAPS} <= ${CKK}; t += ${CONV_TAPS}) {`, ...body(CONV_TAPS), '}',
    `for (; t < ${CKK}; t++) {`, ...body(1), '}',
  ];
  // with `bias`: b̄_f = Σ_n (Σ_pos Ḡ_n[f, pos]), each sample's sum taken while its δ is read (in position order, zeros included)
  const biasSum = bias ? [`${at(bias, 'f', '0')} += s;`] : [];
  return [
    `for (let f = 0; f < ${g.F}; f++) for (let q = 0; q < ${CKK}; q++) ${at(out, 'f', 'q')} = 0;`,
    ...(bias ? [`for (let f = 0; f < ${g.F}; f++) ${at(bias, 'f', '0')} = 0;`] : []),
    'for (let n = 0; n < N; n++) {',
    `const xb = ${base(X, 'n')}, gb = ${base(G, 'n')};`,
    // e: 0 when every number of the image is finite (0 · x = ±0), NaN otherwise; m: δ's nonzero entries
    'let e = 0, m = 0;',
    `for (let q = 0; q < ${g.C * g.H * g.W}; q++) e += 0 * ${X.buf}[xb + q];`,
    `for (let q = 0; q < ${FHoWo}; q++) m += +(${G.buf}[gb + q] !== 0);`,
    `if (e === 0 && m * ${SPARSE_DEN} <= ${FHoWo * SPARSE_NUM}) {`,
    `for (let f = 0; f < ${g.F}; f++) {`,
    `const o = gb + f * ${HoWo};`,
    'm = 0;',
    ...(bias ? ['let s = 0;'] : []),
    ...positions(g, (img, pos) => [`const v = ${G.buf}[o + ${pos}];`, ...(bias ? ['s += v;'] : []), `${vals}[m] = v;`, `${corners}[m] = xb + ${img};`, 'm += +(v !== 0);']),
    ...biasSum,
    ...taps4(gathered),
    '}',
    'continue;',
    '}',
    ...(bias ? [`for (let f = 0; f < ${g.F}; f++) {`, `const o = gb + f * ${HoWo};`, 'let s = 0;', ...positions(g, (_, pos) => [`s += ${G.buf}[o + ${pos}];`]), ...biasSum, '}'] : []),
    '{',
    'let i = 0;',
    `for (; i + ${KERNEL_ROWS} <= ${g.F}; i += ${KERNEL_ROWS}) {`, ...taps4((T) => dense(KERNEL_ROWS, T)), '}',
    `for (; i < ${g.F}; i++) {`, ...taps4((T) => dense(1, T)), '}',
    '}',
    '}',
  ];
}

/** X̄_n = col2im(Kᵀ Ḡ_n): the full convolution of δ with the flipped kernel. */
export function convInputLoops(out: View, G: View, K: View, g: ConvGeometry, cols: string): string[] {
  const { C, H, W, kh, kw, stride: s, pad: p, Ho, Wo } = g;
  const HoWo = Ho * Wo, CKK = C * kh * kw;
  const colsView: View = { buf: cols, off: 0, rs: HoWo, cs: 1 };
  const KT: View = { buf: K.buf, off: K.off, rs: K.cs, cs: K.rs };
  return [
    'for (let n = 0; n < N; n++) {',
    `const ob = ${base(out, 'n')}, gb = ${base(G, 'n')};`,
    `for (let q = 0; q < ${C * H * W}; q++) ${out.buf}[ob + q] = 0;`,
    ...matmulLoops(colsView, KT, sampleMatrix(G, 'gb', HoWo), CKK, g.F, HoWo, null),
    `for (let ch = 0; ch < ${C}; ch++) for (let ki = 0; ki < ${kh}; ki++) for (let kj = 0; kj < ${kw}; kj++) {`,
    `const row = ((ch * ${kh} + ki) * ${kw} + kj) * ${HoWo};`,
    `for (let oy = 0; oy < ${Ho}; oy++) {`,
    `const yy = oy * ${s} + ki - ${p};`,
    `if (yy < 0 || yy >= ${H}) continue;`,
    `const xr = ob + ch * ${H * W} + yy * ${W}, o = row + oy * ${Wo};`,
    `for (let ox = 0; ox < ${Wo}; ox++) { const xx = ox * ${s} + kj - ${p}; if (xx >= 0 && xx < ${W}) ${out.buf}[xr + xx] += ${cols}[o + ox]; }`,
    '}',
    '}',
    '}',
  ];
}

/** The loops over every window of every channel of every sample; `body` gets the window's first input index `wi` and output index `wo`. */
function windows(inBase: string, outBase: string, g: PoolGeometry, body: string[]): string[] {
  return [
    'for (let n = 0; n < N; n++) {',
    `const ib = ${inBase}, ob = ${outBase};`,
    `for (let ch = 0; ch < ${g.C}; ch++) for (let oy = 0; oy < ${g.Ho}; oy++) for (let ox = 0; ox < ${g.Wo}; ox++) {`,
    `const wi = ib + ch * ${g.H * g.W} + oy * ${g.stride * g.W} + ox * ${g.stride}, wo = ob + (ch * ${g.Ho} + oy) * ${g.Wo} + ox;`,
    ...body,
    '}',
    '}',
  ];
}

/**
 * The index `best` of the largest value `m` of window `wi` of `A` (the first on ties; NaN wins, so that it spreads).
 * Without a branch on the comparison (which of a window's values is largest changes at random: a mispredicted branch per
 * window or so): `up` is 1 where the value wins, the index moves by up · (q − best), and m is read back at best.
 */
function argmax(A: View, g: PoolGeometry): string[] {
  return [
    `let best = wi, m = ${A.buf}[wi];`,
    `for (let ki = 0; ki < ${g.k}; ki++) for (let kj = 0; kj < ${g.k}; kj++) {`,
    `const q = wi + ki * ${g.W} + kj, v = ${A.buf}[q];`,
    'const up = +(v > m) | (+(v !== v) & +(m === m));',
    'best += up * (q - best);',
    `m = ${A.buf}[best];`,
    '}',
  ];
}

/**
 * maxpool / avgpool forward. With `winners` (an Int32Array of C·Ho·Wo per sample), max-pooling also records the
 * position of each window's largest value in its sample's image, for the routing back (poolBackLoops, routeTimesLoops).
 */
export function poolLoops(kind: 'maxpool' | 'avgpool', out: View, A: View, g: PoolGeometry, winners?: string): string[] {
  const record = winners ? [`${winners}[n * ${g.C * g.Ho * g.Wo} + wo - ob] = best - ib;`] : [];
  if (kind === 'maxpool') return windows(base(A, 'n'), base(out, 'n'), g, [...argmax(A, g), `${out.buf}[wo] = m;`, ...record]);
  return windows(base(A, 'n'), base(out, 'n'), g, [
    'let s = 0;',
    `for (let ki = 0; ki < ${g.k}; ki++) for (let kj = 0; kj < ${g.k}; kj++) s += ${A.buf}[wi + ki * ${g.W} + kj];`,
    `${out.buf}[wo] = s / ${g.k * g.k};`,
  ]);
}

/**
 * maxroute (G to each window's argmax of A) or avgspread (G/k² to each position of the window), added into a zeroed
 * image. With `winners` (recorded by poolLoops on the same A), maxroute reads each window's argmax instead of finding it again.
 */
export function poolBackLoops(kind: 'maxroute' | 'avgspread', out: View, A: View | null, G: View, g: PoolGeometry, winners?: string): string[] {
  const zero = [
    'for (let n = 0; n < N; n++) {',
    `const ob = ${base(out, 'n')};`,
    `for (let q = 0; q < ${g.C * g.H * g.W}; q++) ${out.buf}[ob + q] = 0;`,
    '}',
  ];
  // the window's input index in `out` is wi − ib + its base: both have row stride 1
  const gb = base(G, 'n'), target = `${out.buf}[${base(out, 'n')} + q - ib]`;
  if (kind === 'maxroute' && winners) {
    const CHoWo = g.C * g.Ho * g.Wo;
    return [...zero,
      'for (let n = 0; n < N; n++) {',
      `const ob = ${base(out, 'n')}, gb = ${gb};`,
      `for (let q = 0; q < ${CHoWo}; q++) ${out.buf}[ob + ${winners}[n * ${CHoWo} + q]] += ${G.buf}[gb + q];`,
      '}',
    ];
  }
  if (kind === 'maxroute') {
    return [...zero, ...windows(base(A!, 'n'), gb, g, [...argmax(A!, g), 'const q = best;', `${target} += ${G.buf}[wo];`])];
  }
  return [...zero, ...windows(base(out, 'n'), gb, g, [
    `const v = ${G.buf}[wo] / ${g.k * g.k};`,
    `for (let ki = 0; ki < ${g.k}; ki++) for (let kj = 0; kj < ${g.k}; kj++) ${out.buf}[wi + ki * ${g.W} + kj] += v;`,
  ])];
}

/** The code of one element of a factor (a stored matrix, or a map computed on the spot): lines, then the value. */
export type ElementCode = (r: string, c: string) => { readonly lines: readonly string[]; readonly value: string };

/**
 * (maxroute or avgspread of G) ⊙ M without the routed image stored: every position is written once, so nothing is
 * zeroed first. maxroute, for windows that do not overlap (stride ≥ k): out = 0 · M at every position, then
 * (0 + G) · M at each window's argmax; avgspread, for windows that tile the image (stride k, none left out):
 * out = (0 + G/k²) · M at every position of the window. Those are the products the two passes compute, NaN included.
 * `factor` gives M's element (r, c); `winners` are recorded by poolLoops (or found here from A).
 */
export function routeTimesLoops(kind: 'maxroute' | 'avgspread', out: View, A: View | null, G: View, factor: ElementCode, g: PoolGeometry, winners?: string): string[] {
  const { C, H, W, Ho, Wo, k, stride } = g;
  const put = (q: string, v: string): string[] => {
    const m = factor(q, 'n');
    return ['{', ...m.lines, `${at(out, q, 'n')} = ${v} * ${m.value};`, '}'];
  };
  if (kind === 'avgspread') {
    return [
      'for (let n = 0; n < N; n++) {',
      `for (let ch = 0; ch < ${C}; ch++) for (let oy = 0; oy < ${Ho}; oy++) for (let ox = 0; ox < ${Wo}; ox++) {`,
      `const wo = (ch * ${Ho} + oy) * ${Wo} + ox, row = ch * ${H * W} + oy * ${k * W} + ox * ${k};`,
      `const v = 0 + ${at(G, 'wo', 'n')} / ${k * k};`,
      `for (let ki = 0; ki < ${k}; ki++) for (let kj = 0; kj < ${k}; kj++) {`,
      `const q = row + ki * ${W} + kj;`,
      ...put('q', 'v'),
      '}',
      '}',
      '}',
    ];
  }
  const zeros = [`for (let q = 0; q < ${C * H * W}; q++) {`, ...put('q', '0'), '}'];
  const routed = (q: string): string[] => ['{', `const q = ${q}, v = 0 + ${at(G, 'wo', 'n')};`, ...put('q', 'v'), '}'];
  if (winners) {
    return [
      'for (let n = 0; n < N; n++) {',
      ...zeros,
      `for (let wo = 0; wo < ${C * Ho * Wo}; wo++) ${routed(`${winners}[n * ${C * Ho * Wo} + wo]`).join('\n')}`,
      '}',
    ];
  }
  return [
    '{',
    'for (let n = 0; n < N; n++) {',
    ...zeros,
    `const ib = ${base(A!, 'n')};`,
    `for (let ch = 0; ch < ${C}; ch++) for (let oy = 0; oy < ${Ho}; oy++) for (let ox = 0; ox < ${Wo}; ox++) {`,
    `const wo = (ch * ${Ho} + oy) * ${Wo} + ox, wi = ib + ch * ${H * W} + oy * ${stride * W} + ox * ${stride};`,
    ...argmax(A!, g),
    ...routed('best - ib'),
    '}',
    '}',
    '}',
  ];
}

/**
 * C_n = op(A_n) op(B_n) for each sample: m × c blocks from m × k and k × c
 * ones; A's block n starts at column n·ka. Each sample's product is the
 * blocked product loops of views.ts over views of the blocks (a transpose
 * swaps the strides), which choose their loop order by the strides.
 */
export function bmmLoops(out: View, A: View, B: View, shape: { m: number; k: number; c: number; ka: number; kb: number; ta: boolean; tb: boolean }): string[] {
  const { m, k, c, ka, kb, ta, tb } = shape;
  const block = (v: View, b: string, t: boolean): View => (t ? { buf: v.buf, off: b, rs: v.cs, cs: v.rs } : { buf: v.buf, off: b, rs: v.rs, cs: v.cs });
  return [
    'for (let n = 0; n < N; n++) {',
    `const xb = ${index(A, '0', `(n * ${ka})`)}, gb = ${index(B, '0', `(n * ${kb})`)}, ob = ${index(out, '0', `(n * ${c})`)};`,
    ...matmulLoops(block(out, 'ob', false), block(A, 'xb', ta), block(B, 'gb', tb), m, k, c, null),
    '}',
  ];
}

/** softmax of each column (R rows) or each row (C columns), the max taken out first so that exp cannot overflow. */
export function softmaxLoops(out: View, A: View, R: string, C: string, axis: 'column' | 'row'): string[] {
  const [outer, inner, oLen, iLen] = axis === 'column' ? ['c', 'r', C, R] : ['r', 'c', R, C];
  return [
    `for (let ${outer} = 0; ${outer} < ${oLen}; ${outer}++) {`,
    'let m = -Infinity;',
    `for (let ${inner} = 0; ${inner} < ${iLen}; ${inner}++) { const v = ${at(A, 'r', 'c')}; if (v > m || v !== v) m = v; }`,
    'let s = 0;',
    `for (let ${inner} = 0; ${inner} < ${iLen}; ${inner}++) { const v = m === -Infinity ? 0 : Math.exp(${at(A, 'r', 'c')} - m); ${at(out, 'r', 'c')} = v; s += v; }`,
    `for (let ${inner} = 0; ${inner} < ${iLen}; ${inner}++) ${at(out, 'r', 'c')} /= s;`,
    '}',
  ];
}

/** Rows repeated (A is R0 × C), or groups of rows summed (A is R0·times × C). */
export function repeatLoops(kind: 'repeat' | 'rowsum', out: View, A: View, R0: number, times: number, C: string): string[] {
  if (kind === 'repeat') {
    return [`for (let c = 0; c < ${C}; c++) for (let r = 0; r < ${R0}; r++) { const v = ${at(A, 'r', 'c')}; for (let q = 0; q < ${times}; q++) ${at(out, `(r * ${times} + q)`, 'c')} = v; }`];
  }
  return [`for (let c = 0; c < ${C}; c++) for (let r = 0; r < ${R0}; r++) { let s = 0; for (let q = 0; q < ${times}; q++) s += ${at(A, `(r * ${times} + q)`, 'c')}; ${at(out, 'r', 'c')} = s; }`];
}

/** A batch reshaped, copied sample by sample in storage order: A is r1 × k1·N, out (row stride 1) r2 × k2·N. */
export function reshapeBatchLoops(out: View, A: View, r1: number, k1: number, k2: number): string[] {
  return [
    'for (let n = 0; n < N; n++) {',
    `const ob = ${index(out, '0', `(n * ${k2})`)};`,
    `for (let t = 0; t < ${k1}; t++) for (let i = 0; i < ${r1}; i++) ${out.buf}[ob + t * ${r1} + i] = ${at(A, 'i', `(n * ${k1} + t)`)};`,
    '}',
  ];
}

/** A matrix without the batch reshaped, copied row by row: A is R1 × C1, out has C2 columns. */
export function reshapeLoops(out: View, A: View, R1: number, C1: number, C2: number): string[] {
  return [`for (let r = 0; r < ${R1}; r++) for (let c = 0; c < ${C1}; c++) { const e = r * ${C1} + c; ${at(out, `((e / ${C2}) | 0)`, `(e % ${C2})`)} = ${at(A, 'r', 'c')}; }`];
}

/** Sum over each sample's k columns, or one column copied to k. */
export function tokenLoops(kind: 'tokensum' | 'tokenspread', out: View, A: View, R: number, k: number): string[] {
  if (kind === 'tokensum') {
    return [`for (let n = 0; n < N; n++) for (let r = 0; r < ${R}; r++) { let s = 0; for (let t = 0; t < ${k}; t++) s += ${at(A, 'r', `(n * ${k} + t)`)}; ${at(out, 'r', 'n')} = s; }`];
  }
  return [`for (let n = 0; n < N; n++) for (let r = 0; r < ${R}; r++) { const v = ${at(A, 'r', 'n')}; for (let t = 0; t < ${k}; t++) ${at(out, 'r', `(n * ${k} + t)`)} = v; }`];
}

/** The causal mask: row > column within a sample's k × k block set to `value`. */
export function causalLoops(out: View, A: View, k: number, value: number): string[] {
  return [`for (let n = 0; n < N; n++) for (let r = 0; r < ${k}; r++) for (let t = 0; t < ${k}; t++) ${at(out, 'r', `(n * ${k} + t)`)} = r > t ? ${literal(value)} : ${at(A, 'r', `(n * ${k} + t)`)};`];
}

