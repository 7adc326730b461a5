/**
 * Matrix expression graphs: the layer-level view of a network, where one
 * node is a whole matrix (a weight matrix W, a batch of activations a, the
 * pre-activations z = W a + b of a layer) instead of one number.
 *
 *   const W = mparam('W1', [30, 784], 0), x = mdata('x', [784, 'N'], 0)
 *   const z = madd(matmul(W, x), broadcast(mparam('b1', [30, 1], 23520), [30, 'N']))
 *   z.shape   // [30, 'N']
 *   matmul(W, W)   // throws DownhillError: matmul: W1 is 30×784 but W1 is 30×784: inner sizes 784 and 30 differ
 *
 * Shapes are [rows, columns]; a dimension is a number or 'N', the batch size,
 * known only when the compiled function runs. A batch of vectors is a
 * matrix with one column per sample. Shapes are checked when a node is built.
 *
 * Element-wise functions (`mmap`) carry a scalar expression over
 * placeholders u0, u1, ... (one per argument) from the scalar engine, so that
 * σ, tanh, relu and their derivatives come from the scalar function table.
 *
 * Nodes are hash-consed like the scalar ones: building the same node twice
 * gives the same object. The builders fold what needs no judgement
 * (transpose of a transpose, broadcast to the same shape, a product with a
 * matrix of ones, nested scalings), so the derived gradient reads like the
 * textbook's.
 */
import { checkArg, checkOneOf, DownhillError, type Accepts } from '../errors.ts';
import { topoOrder as scalarTopo, type Node } from '../expr/node.ts';
import { CONV_GEOMETRY, POOL_GEOMETRY, type ConvGeometry, type PoolGeometry } from '../nn/geometry.ts';
export { convGeometry, poolGeometry, type ConvGeometry, type PoolGeometry } from '../nn/geometry.ts';

/**
 * A dimension: a size, 'N' (the batch size), or 'kN' (k columns per sample,
 * such as '16N': a sequence's 16 tokens for each of the N sequences).
 */
export type Dim = number | 'N' | `${number}N`;
export type Shape = readonly [Dim, Dim];

/** Columns per sample of a batch dimension ('N' → 1, '16N' → 16); undefined for a plain size. */
export function perSample(d: Dim): number | undefined {
  if (typeof d === 'number') return undefined;
  return d === 'N' ? 1 : Number(d.slice(0, -1));
}
/** The batch dimension with k columns per sample: 'N' or 'kN'. */
export const batchDim = (k: number): Dim => (k === 1 ? 'N' : `${k}N`);
const isBatch = (d: Dim): boolean => typeof d !== 'number';

/** How an element-wise node prints: f(z), f′(z) or softmax(z). */
export interface MapLabel {
  readonly fn: string;
  /** f′ rather than f. */
  readonly prime: boolean;
  /** The argument to print it of (z for f′(z), even when the template reads a = f(z)). */
  readonly of: MNode;
}

interface Base { readonly id: number; readonly shape: Shape }
export type MNode =
  /** A parameter matrix: element (r, c) is p[offset + r·cols + c]. */
  | Base & { readonly kind: 'param'; readonly name: string; readonly offset: number }
  /** Per-sample data, one column per sample: element (r, n) is batch[n·D + offset + r]. */
  | Base & { readonly kind: 'data'; readonly name: string; readonly offset: number }
  /** Every element equal to `value`. */
  | Base & { readonly kind: 'fill'; readonly value: number }
  | Base & { readonly kind: 'matmul' | 'add' | 'sub' | 'hadamard'; readonly args: readonly [MNode, MNode] }
  /** transpose; broadcast (copies a row or column out to `shape`); sum (sums down to `shape`); lse (logsumexp of each column). */
  | Base & { readonly kind: 'transpose' | 'broadcast' | 'sum' | 'lse'; readonly args: readonly [MNode] }
  /** factor · a, divided by N when `perN`. */
  | Base & { readonly kind: 'scale'; readonly args: readonly [MNode]; readonly factor: number; readonly perN: boolean }
  /** f applied element by element: `f` is a scalar expression over u0 .. u(k−1), one per argument. */
  | Base & { readonly kind: 'map'; readonly args: readonly MNode[]; readonly f: Node; readonly label?: MapLabel }
  /**
   * conv: Z = X ⋆ K, each sample's C×H×W image (a column, channel by channel,
   * row by row) correlated with F kernels (K is F × C·kh·kw); convk: the
   * correlation of X with G, summed over samples (F × C·kh·kw); convx: the
   * full convolution of G with the flipped kernels (C·H·W × N).
   */
  | Base & { readonly kind: 'conv' | 'convk' | 'convx'; readonly args: readonly [MNode, MNode]; readonly geom: ConvGeometry }
  /** maxpool / avgpool of each channel; avgspread: each window gets its G/k² back. */
  | Base & { readonly kind: 'maxpool' | 'avgpool' | 'avgspread'; readonly args: readonly [MNode]; readonly geom: PoolGeometry }
  /** maxroute(A, G): G of each window sent to the position of A's largest value there (the first on ties). */
  | Base & { readonly kind: 'maxroute'; readonly args: readonly [MNode, MNode]; readonly geom: PoolGeometry }
  /** repeat: each row copied `times` times (a filter's bias to its positions); rowsum: groups of `times` rows summed. */
  | Base & { readonly kind: 'repeat' | 'rowsum'; readonly args: readonly [MNode]; readonly times: number }
  /** op(A_n) op(B_n) for each sample's block (op a transpose where ta, tb). */
  | Base & { readonly kind: 'bmm'; readonly args: readonly [MNode, MNode]; readonly ta: boolean; readonly tb: boolean }
  /** softmax of each column (axis 'column') or each row ('row'). */
  | Base & { readonly kind: 'softmax'; readonly args: readonly [MNode]; readonly axis: 'column' | 'row' }
  /** The same numbers in another shape, each sample's (or the whole matrix's) in storage order. */
  | Base & { readonly kind: 'reshape'; readonly args: readonly [MNode] }
  /** tokensum: a sample's columns summed (r × kN → r × N); tokenspread: copied out (r × N → r × kN). */
  | Base & { readonly kind: 'tokensum' | 'tokenspread'; readonly args: readonly [MNode] }
  /** Entries below the diagonal of each sample's square block (row > column: a key after its query) set to `value`. */
  | Base & { readonly kind: 'causal'; readonly args: readonly [MNode]; readonly value: number };

export type MKind = MNode['kind'];

/** The children of a node (none for leaves). */
export function margs(n: MNode): readonly MNode[] {
  return 'args' in n ? n.args : [];
}

const table = new Map<string, MNode>();
let nextId = 1;
function intern<T extends MNode>(key: string, make: (id: number) => T): T {
  const found = table.get(key);
  if (found) return found as T;
  const n = make(nextId++);
  Object.freeze(n);
  table.set(key, n);
  return n;
}

const dimText = (d: Dim): string => (d === 'N' || typeof d === 'number' ? String(d) : `${perSample(d)}·N`);
/** What a shape argument accepts: [rows, columns], each a size, N or k·N. */
const SHAPE: Accepts<Shape> = {
  what: "a shape [rows, columns] (each a size, 'N' or like '16N')",
  test: (v): v is Shape => Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number' || (typeof d === 'string' && /^\d*N$/.test(d))),
};

/** '30×784', '784×N'. */
export function shapeText(s: Shape): string {
  checkArg('shapeText', 's', s, SHAPE);
  return `${dimText(s[0])}×${dimText(s[1])}`;
}
const shapeKey = (s: Shape): string => `${s[0]}x${s[1]}`;

/** A short name of a node for error messages: W1, x, matmul(W1, x). */
export function describe(n: MNode): string {
  switch (n.kind) {
    case 'param':
    case 'data': return n.name;
    case 'fill': return `fill(${n.value})`;
    case 'map': return n.label ? `${n.label.fn}${n.label.prime ? "'" : ''}(${describe(n.label.of)})` : 'map(…)';
    default: {
      const inner = n.args.map((a) => (a.kind === 'param' || a.kind === 'data' ? a.name : '…')).join(', ');
      return `${n.kind}(${inner})`;
    }
  }
}

function operand(n: MNode): string {
  return `${describe(n)} is ${shapeText(n.shape)}`;
}

function checkDim(d: Dim, what: string): void {
  if (typeof d === 'number' && (!Number.isInteger(d) || d < 1)) throw new DownhillError(`${what}: a size must be a positive whole number or N, got ${d}`);
}

function leaf(kind: 'param' | 'data', name: string, shape: Shape, offset: number): MNode {
  checkDim(shape[0], name);
  checkDim(shape[1], name);
  if (!Number.isInteger(offset) || offset < 0) throw new DownhillError(`${name}: offset must be a whole number ≥ 0, got ${offset}`);
  if (kind === 'param' && (isBatch(shape[0]) || isBatch(shape[1]))) throw new DownhillError(`parameter ${name} cannot have the batch size N in its shape ${shapeText(shape)}`);
  if (kind === 'data' && (isBatch(shape[0]) || shape[1] !== 'N')) throw new DownhillError(`data ${name} must be rows × N (one column per sample), got ${shapeText(shape)}`);
  return intern(`${kind}:${name}:${shapeKey(shape)}:${offset}`, (id) => ({ kind, id, shape, name, offset }));
}

/** A parameter matrix (rows × cols) read from p at `offset`, row by row. */
export const mparam = (name: string, shape: Shape, offset: number): MNode => leaf('param', name, shape, offset);

/** Per-sample data (rows × N) read from each batch row at `offset`. */
export const mdata = (name: string, shape: Shape, offset: number): MNode => leaf('data', name, shape, offset);

/** A matrix with every element equal to `value`. */
export function mfill(value: number, shape: Shape): MNode {
  return intern(`fill:${Object.is(value, -0) ? '-0' : value}:${shapeKey(shape)}`, (id) => ({ kind: 'fill', id, shape, value }));
}

const isFill = (n: MNode, v?: number): n is MNode & { kind: 'fill' } => n.kind === 'fill' && (v === undefined || n.value === v);
const sameShape = (a: Shape, b: Shape): boolean => a[0] === b[0] && a[1] === b[1];

/** Whether `v` is a matrix node (for the checks of the exported entry points). */
export function isMNode(v: unknown): v is MNode {
  return v !== null && typeof v === 'object' && typeof (v as { kind?: unknown }).kind === 'string' && Array.isArray((v as { shape?: unknown }).shape) && typeof (v as { id?: unknown }).id === 'number';
}

/** The door of a builder: each named operand a matrix node, and the geometry, if it takes one. */
function checkNodes<G>(fn: string, nodes: Readonly<Record<string, unknown>>, g?: unknown, geometry?: Accepts<G>): void {
  for (const [name, v] of Object.entries(nodes)) checkArg(fn, name, v, MNODE);
  if (geometry) checkArg(fn, 'g', g, geometry);
}

/** What the exported node builders accept as an operand. */
const MNODE: Accepts<MNode> = { what: "a matrix node (matrixNetwork's nodes; numbers go through compileMatrixGradient)", test: isMNode };

/** A · B: (m×k)(k×n) → m×n. */
export function matmul(a: MNode, b: MNode): MNode {
  checkNodes('matmul', { a, b });
  if (a.shape[1] !== b.shape[0]) {
    throw new DownhillError(`matmul: ${operand(a)} but ${operand(b)}: inner sizes ${a.shape[1]} and ${b.shape[0]} differ`);
  }
  return intern(`matmul:${a.id},${b.id}`, (id) => ({ kind: 'matmul', id, shape: [a.shape[0], b.shape[1]] as const, args: [a, b] as const }));
}

/** Aᵀ. */
export function transpose(a: MNode): MNode {
  checkArg('transpose', 'a', a, MNODE);
  if (a.kind === 'transpose') return a.args[0];
  return intern(`transpose:${a.id}`, (id) => ({ kind: 'transpose', id, shape: [a.shape[1], a.shape[0]] as const, args: [a] as const }));
}

function elementwise(kind: 'add' | 'sub' | 'hadamard', a: MNode, b: MNode): MNode {
  if (!sameShape(a.shape, b.shape)) {
    throw new DownhillError(`${kind}: ${operand(a)} but ${operand(b)}: shapes differ (use broadcast for a bias)`);
  }
  return intern(`${kind}:${a.id},${b.id}`, (id) => ({ kind, id, shape: a.shape, args: [a, b] as const }));
}

/** A + B, same shapes. */
export function madd(a: MNode, b: MNode): MNode {
  if (isFill(a, 0) && sameShape(a.shape, b.shape)) return b;
  if (isFill(b, 0) && sameShape(a.shape, b.shape)) return a;
  // c·A + (−c)·B = c·(A − B), with the same division by N
  if (a.kind === 'scale' && b.kind === 'scale' && a.perN === b.perN && a.factor === -b.factor && sameShape(a.shape, b.shape)) {
    // the positive one first: (1/N)(softmax(z) − y), not −(1/N)(y − softmax(z))
    return a.factor > 0 ? mscale(msub(a.args[0], b.args[0]), a.factor, a.perN) : mscale(msub(b.args[0], a.args[0]), b.factor, b.perN);
  }
  return elementwise('add', a, b);
}

/** A − B, same shapes. */
export function msub(a: MNode, b: MNode): MNode {
  if (isFill(b, 0) && sameShape(a.shape, b.shape)) return a;
  return elementwise('sub', a, b);
}

/** A ⊙ B, the element-wise (Hadamard) product, same shapes. */
export function hadamard(a: MNode, b: MNode): MNode {
  if (sameShape(a.shape, b.shape)) {
    if (isFill(a)) return mscale(b, a.value);
    if (isFill(b)) return mscale(a, b.value);
    // scalings move out, so that c·1 ⊙ f′(z) reads c·f′(z)
    if (a.kind === 'scale') return mscale(hadamard(a.args[0], b), a.factor, a.perN);
    if (b.kind === 'scale') return mscale(hadamard(a, b.args[0]), b.factor, b.perN);
  }
  return elementwise('hadamard', a, b);
}

/** factor · A, divided by N when `perN` (the mean over the batch). */
export function mscale(a: MNode, factor: number, perN = false): MNode {
  if (!Number.isFinite(factor)) throw new DownhillError(`scale: factor must be a finite number, got ${factor}`);
  if (factor === 1 && !perN) return a;
  if (isFill(a) && !perN) return mfill(a.value * factor, a.shape);
  if (a.kind === 'scale' && !(a.perN && perN)) return mscale(a.args[0], a.factor * factor, a.perN || perN);
  return intern(`scale:${a.id}:${factor}:${perN}`, (id) => ({ kind: 'scale', id, shape: a.shape, args: [a] as const, factor, perN }));
}

/** Copies a row (1×n), a column (m×1) or a single number (1×1) out to `shape`. */
export function broadcast(a: MNode, shape: Shape): MNode {
  const ok = (from: Dim, to: Dim): boolean => from === to || from === 1;
  if (!ok(a.shape[0], shape[0]) || !ok(a.shape[1], shape[1])) {
    throw new DownhillError(`broadcast: ${operand(a)} cannot be spread to ${shapeText(shape)} (only a dimension of size 1 spreads)`);
  }
  if (sameShape(a.shape, shape)) return a;
  if (isFill(a)) return mfill(a.value, shape);
  if (a.kind === 'scale') return mscale(broadcast(a.args[0], shape), a.factor, a.perN);
  return intern(`broadcast:${a.id}:${shapeKey(shape)}`, (id) => ({ kind: 'broadcast', id, shape, args: [a] as const }));
}

/** Sums A down to `shape`: to a column (sum over columns), a row (over rows) or 1×1 (everything). */
export function msum(a: MNode, shape: Shape): MNode {
  const ok = (from: Dim, to: Dim): boolean => from === to || to === 1;
  if (!ok(a.shape[0], shape[0]) || !ok(a.shape[1], shape[1])) {
    throw new DownhillError(`sum: ${operand(a)} cannot be summed down to ${shapeText(shape)} (a dimension sums to 1 or stays)`);
  }
  if (sameShape(a.shape, shape)) return a;
  return intern(`sum:${a.id}:${shapeKey(shape)}`, (id) => ({ kind: 'sum', id, shape, args: [a] as const }));
}

/** logsumexp of each column: m×n → 1×n. */
export function lse(a: MNode): MNode {
  return intern(`lse:${a.id}`, (id) => ({ kind: 'lse', id, shape: [1, a.shape[1]] as const, args: [a] as const }));
}

/** The placeholders of an element-wise template: u0, u1, ... */
export const placeholder = (i: number): string => `u${i}`;

/**
 * f applied element by element to same-shaped arguments: `f` is a scalar
 * expression over u0 .. u(k−1).
 *
 *   mmap(call('sigmoid', sym('u0')), [z], { fn: 'sigmoid', prime: false, of: z })   // σ(z)
 */
export function mmap(f: Node, args: readonly MNode[], label?: MapLabel): MNode {
  if (args.length === 0) throw new DownhillError('map: needs at least one argument');
  for (const a of args.slice(1)) {
    if (!sameShape(a.shape, args[0]!.shape)) throw new DownhillError(`map: ${operand(args[0]!)} but ${operand(a)}: element-wise arguments need the same shape`);
  }
  for (const s of scalarTopo([f])) {
    if (s.kind === 'sym') {
      const m = /^u(\d+)$/.exec(s.name);
      if (!m || Number(m[1]) >= args.length) throw new DownhillError(`map: the element-wise function uses "${s.name}" but has ${args.length} argument(s) u0..u${args.length - 1}`);
    }
  }
  const key = `map:${f.id}:${args.map((a) => a.id).join(',')}:${label ? `${label.fn}:${label.prime}:${label.of.id}` : ''}`;
  return intern(key, (id) => ({ kind: 'map', id, shape: args[0]!.shape, args: Object.freeze([...args]), f, ...(label ? { label } : {}) }));
}

/** Every node reachable from the roots, children before parents, each once. */
export function mtopo(roots: readonly MNode[]): MNode[] {
  const order: MNode[] = [];
  const seen = new Set<number>();
  const visit = (root: MNode): void => {
    const stack: { node: MNode; next: number }[] = [{ node: root, next: 0 }];
    seen.add(root.id);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = margs(top.node);
      if (top.next < kids.length) {
        const kid = kids[top.next++]!;
        if (!seen.has(kid.id)) { seen.add(kid.id); stack.push({ node: kid, next: 0 }); }
      } else {
        stack.pop();
        order.push(top.node);
      }
    }
  };
  for (const r of roots) if (!seen.has(r.id)) visit(r);
  return order;
}

// ---------------------------------------------------------------------------
// Layers beyond dense: convolution, pooling, attention. Each sample's image
// is one column, channel by channel, then row by row; a sequence of T tokens
// of width d is T columns of d rows for each sample (shape d × T·N).

const whole = (v: number, what: string, min = 1): void => {
  if (!Number.isInteger(v) || v < min) throw new DownhillError(`${what} must be a whole number ≥ ${min}, got ${v}`);
};

const convKey = (g: ConvGeometry): string => `${g.C},${g.H},${g.W},${g.F},${g.kh},${g.kw},${g.stride},${g.pad}`;
const poolKey = (g: PoolGeometry): string => `${g.C},${g.H},${g.W},${g.k},${g.stride}`;
const imageShape = (g: ConvGeometry): Shape => [g.C * g.H * g.W, 'N'];
const mapShape = (g: ConvGeometry): Shape => [g.F * g.Ho * g.Wo, 'N'];
const kernelShape = (g: ConvGeometry): Shape => [g.F, g.C * g.kh * g.kw];

function expect(what: string, n: MNode, shape: Shape, meaning: string): void {
  if (!sameShape(n.shape, shape)) throw new DownhillError(`${what}: ${operand(n)} but ${meaning} is ${shapeText(shape)}`);
}

/**
 * Z = X ⋆ K, a cross-correlation as in every framework:
 * Z[f, r, c] = Σ_{ch, i, j} K[f, ch, i, j] · X[ch, r·s + i − p, c·s + j − p] (zero outside the image).
 * X is C·H·W × N, K is F × C·kh·kw (filter, channel, row, column), Z is F·Ho·Wo × N.
 */
export function conv(X: MNode, K: MNode, g: ConvGeometry): MNode {
  checkNodes('conv', { X, K }, g, CONV_GEOMETRY);
  expect('conv', X, imageShape(g), `a batch of ${g.C}×${g.H}×${g.W} images`);
  expect('conv', K, kernelShape(g), `${g.F} kernels of ${g.C}×${g.kh}×${g.kw}`);
  return intern(`conv:${X.id},${K.id}:${convKey(g)}`, (id) => ({ kind: 'conv', id, shape: mapShape(g), args: [X, K] as const, geom: g }));
}

/** ∂L/∂K's form: the correlation of X with G, summed over samples: Y[f, ch, i, j] = Σ_{n, r, c} G[f, r, c] X[ch, r·s + i − p, c·s + j − p]. */
export function convk(X: MNode, G: MNode, g: ConvGeometry): MNode {
  checkNodes('convk', { X, G }, g, CONV_GEOMETRY);
  expect('convk', X, imageShape(g), `a batch of ${g.C}×${g.H}×${g.W} images`);
  expect('convk', G, mapShape(g), `a batch of ${g.F}×${g.Ho}×${g.Wo} maps`);
  return intern(`convk:${X.id},${G.id}:${convKey(g)}`, (id) => ({ kind: 'convk', id, shape: kernelShape(g), args: [X, G] as const, geom: g }));
}

/** ∂L/∂X's form: the full convolution of G with the flipped kernels: Y[ch, y, x] = Σ_{f, i, j} G[f, (y − i + p)/s, (x − j + p)/s] K[f, ch, i, j]. */
export function convx(G: MNode, K: MNode, g: ConvGeometry): MNode {
  checkNodes('convx', { G, K }, g, CONV_GEOMETRY);
  expect('convx', G, mapShape(g), `a batch of ${g.F}×${g.Ho}×${g.Wo} maps`);
  expect('convx', K, kernelShape(g), `${g.F} kernels of ${g.C}×${g.kh}×${g.kw}`);
  return intern(`convx:${G.id},${K.id}:${convKey(g)}`, (id) => ({ kind: 'convx', id, shape: imageShape(g), args: [G, K] as const, geom: g }));
}

const poolIn = (g: PoolGeometry): Shape => [g.C * g.H * g.W, 'N'];
const poolOut = (g: PoolGeometry): Shape => [g.C * g.Ho * g.Wo, 'N'];

/** The largest (max) or the mean (avg) of each k×k window of each channel: C·H·W × N → C·Ho·Wo × N. */
export function pool(kind: 'maxpool' | 'avgpool', A: MNode, g: PoolGeometry): MNode {
  checkOneOf('pool', 'kind', kind, ['maxpool', 'avgpool']);
  checkNodes('pool', { A }, g, POOL_GEOMETRY);
  expect(kind, A, poolIn(g), `a batch of ${g.C}×${g.H}×${g.W} maps`);
  return intern(`${kind}:${A.id}:${poolKey(g)}`, (id) => ({ kind, id, shape: poolOut(g), args: [A] as const, geom: g }));
}

/** Each window of the image gets its G/k² (avgpool's adjoint). */
export function avgspread(G: MNode, g: PoolGeometry): MNode {
  checkNodes('avgspread', { G }, g, POOL_GEOMETRY);
  expect('avgspread', G, poolOut(g), `a batch of ${g.C}×${g.Ho}×${g.Wo} pooled maps`);
  return intern(`avgspread:${G.id}:${poolKey(g)}`, (id) => ({ kind: 'avgspread', id, shape: poolIn(g), args: [G] as const, geom: g }));
}

/** G of each window sent to where A is largest in it (max-pool's adjoint). */
export function maxroute(A: MNode, G: MNode, g: PoolGeometry): MNode {
  checkNodes('maxroute', { A, G }, g, POOL_GEOMETRY);
  expect('maxroute', A, poolIn(g), `a batch of ${g.C}×${g.H}×${g.W} maps`);
  expect('maxroute', G, poolOut(g), `a batch of ${g.C}×${g.Ho}×${g.Wo} pooled maps`);
  return intern(`maxroute:${A.id},${G.id}:${poolKey(g)}`, (id) => ({ kind: 'maxroute', id, shape: poolIn(g), args: [A, G] as const, geom: g }));
}

/** Each row copied `times` times in a row: (F × c) → (F·times × c), a filter's bias to each of its positions. */
export function mrepeat(A: MNode, times: number): MNode {
  whole(times, 'repeat: times');
  if (typeof A.shape[0] !== 'number') throw new DownhillError(`repeat: ${operand(A)}: rows must be a size`);
  if (times === 1) return A;
  return intern(`repeat:${A.id}:${times}`, (id) => ({ kind: 'repeat', id, shape: [(A.shape[0] as number) * times, A.shape[1]] as const, args: [A] as const, times }));
}

/** Groups of `times` consecutive rows summed: (F·times × c) → (F × c). */
export function mrowsum(A: MNode, times: number): MNode {
  whole(times, 'rowsum: times');
  const R = A.shape[0];
  if (typeof R !== 'number' || R % times !== 0) throw new DownhillError(`rowsum: ${operand(A)}: rows are not a multiple of ${times}`);
  if (times === 1) return A;
  return intern(`rowsum:${A.id}:${times}`, (id) => ({ kind: 'rowsum', id, shape: [R / times, A.shape[1]] as const, args: [A] as const, times }));
}

/** A sample's block of a batched matrix: rows × columns per sample. */
function block(n: MNode, what: string): [number, number] {
  const [R, C] = n.shape;
  const k = perSample(C);
  if (typeof R !== 'number' || k === undefined) throw new DownhillError(`${what}: ${operand(n)} is not a batch of blocks (rows × k·N)`);
  return [R, k];
}

/**
 * op(A_n) op(B_n) for each sample n, op a transpose where asked: a batch of
 * blocks A (m × k·N: block n is m×k) times B. `bmm(K, Q, true)` is Kᵀ Q per sequence.
 */
export function bmm(A: MNode, B: MNode, ta = false, tb = false): MNode {
  checkNodes('bmm', { A, B });
  const [ar, ac] = block(A, 'bmm'), [br, bc] = block(B, 'bmm');
  const [m, k1] = ta ? [ac, ar] : [ar, ac];
  const [k2, c] = tb ? [bc, br] : [br, bc];
  if (k1 !== k2) {
    throw new DownhillError(`bmm: ${operand(A)}${ta ? ' (transposed)' : ''} but ${operand(B)}${tb ? ' (transposed)' : ''}: inner sizes ${k1} and ${k2} of each sample's blocks differ`);
  }
  // scalings move out, so that (1/√d)·K dS reads as one factor times a product
  if (A.kind === 'scale') return mscale(bmm(A.args[0], B, ta, tb), A.factor, A.perN);
  if (B.kind === 'scale') return mscale(bmm(A, B.args[0], ta, tb), B.factor, B.perN);
  return intern(`bmm:${A.id},${B.id}:${ta}:${tb}`, (id) => ({ kind: 'bmm', id, shape: [m, batchDim(c)] as const, args: [A, B] as const, ta, tb }));
}

/** softmax of each column (exp(a − logsumexp(a)), the column's entries summing to 1), or of each row. */
export function msoftmax(A: MNode, axis: 'column' | 'row' = 'column'): MNode {
  checkNodes('msoftmax', { A });
  checkOneOf('msoftmax', 'axis', axis, ['column', 'row']);
  if (axis === 'row' && typeof A.shape[1] !== 'number') throw new DownhillError(`softmax over rows: ${operand(A)} has one column per sample; a row would mix samples`);
  if (axis === 'column' && typeof A.shape[0] !== 'number') throw new DownhillError(`softmax over columns: ${operand(A)} has the batch in its rows`);
  return intern(`softmax:${A.id}:${axis}`, (id) => ({ kind: 'softmax', id, shape: A.shape, args: [A] as const, axis }));
}

/**
 * The same numbers in another shape: a batch keeps each sample's numbers in
 * storage order (784 × N ↔ 28 × 28N, 512 × N ↔ 32 × 16N); a matrix without
 * the batch keeps its numbers row by row.
 */
export function mreshape(A: MNode, shape: Shape): MNode {
  checkNodes('mreshape', { A });
  checkArg('mreshape', 'shape', shape, SHAPE);
  checkDim(shape[0], 'reshape');
  checkDim(shape[1], 'reshape');
  const count = (s: Shape): number => (s[0] as number) * (perSample(s[1]) ?? (s[1] as number));
  if (isBatch(shape[0]) || isBatch(A.shape[0])) throw new DownhillError(`reshape: the batch must be in the columns, got ${shapeText(A.shape)} → ${shapeText(shape)}`);
  if (isBatch(A.shape[1]) !== isBatch(shape[1]) || count(A.shape) !== count(shape)) {
    throw new DownhillError(`reshape: ${operand(A)} cannot become ${shapeText(shape)}: the number of entries${isBatch(shape[1]) ? ' per sample' : ''} differs`);
  }
  if (sameShape(A.shape, shape)) return A;
  if (A.kind === 'reshape') return mreshape(A.args[0], shape);
  return intern(`reshape:${A.id}:${shapeKey(shape)}`, (id) => ({ kind: 'reshape', id, shape, args: [A] as const }));
}

/** Each sample's k columns summed: r × k·N → r × N (the sum over tokens; scale by 1/T for their mean). */
export function tokensum(A: MNode): MNode {
  checkNodes('tokensum', { A });
  const [R, k] = block(A, 'tokensum');
  if (k === 1) return A;
  return intern(`tokensum:${A.id}`, (id) => ({ kind: 'tokensum', id, shape: [R, 'N'] as const, args: [A] as const }));
}

/** Each sample's column copied k times: r × N → r × k·N. */
export function tokenspread(A: MNode, k: number): MNode {
  checkNodes('tokenspread', { A });
  whole(k, 'tokenspread: tokens');
  if (A.shape[1] !== 'N' || typeof A.shape[0] !== 'number') throw new DownhillError(`tokenspread: ${operand(A)} is not rows × N`);
  if (k === 1) return A;
  return intern(`tokenspread:${A.id}:${k}`, (id) => ({ kind: 'tokenspread', id, shape: [A.shape[0], batchDim(k)] as const, args: [A] as const }));
}

/** The causal mask: in each sample's square block, entries with row > column (a key after its query) set to `value` (−∞ before a softmax over columns). */
export function mcausal(A: MNode, value = -Infinity): MNode {
  checkNodes('mcausal', { A });
  const [R, k] = block(A, 'causal mask');
  if (R !== k) throw new DownhillError(`causal mask: ${operand(A)}: each sample's block must be square`);
  if (Number.isNaN(value)) throw new DownhillError('causal mask: the value must be a number');
  return intern(`causal:${A.id}:${value}`, (id) => ({ kind: 'causal', id, shape: A.shape, args: [A] as const, value }));
}
