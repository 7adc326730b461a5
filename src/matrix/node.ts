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
import { describeValue, DownhillError } from '../errors.ts';
import { topoOrder as scalarTopo, type Node } from '../expr/node.ts';

/** A dimension: a size, or 'N', the batch size. */
export type Dim = number | 'N';
export type Shape = readonly [Dim, Dim];

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
  | Base & { readonly kind: 'map'; readonly args: readonly MNode[]; readonly f: Node; readonly label?: MapLabel };

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

const dimText = (d: Dim): string => String(d);
/** '30×784', '784×N'. */
export const shapeText = (s: Shape): string => `${dimText(s[0])}×${dimText(s[1])}`;
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
  if (d !== 'N' && (!Number.isInteger(d) || d < 1)) throw new DownhillError(`${what}: a size must be a positive whole number or N, got ${d}`);
}

function leaf(kind: 'param' | 'data', name: string, shape: Shape, offset: number): MNode {
  checkDim(shape[0], name);
  checkDim(shape[1], name);
  if (!Number.isInteger(offset) || offset < 0) throw new DownhillError(`${name}: offset must be a whole number ≥ 0, got ${offset}`);
  if (kind === 'param' && (shape[0] === 'N' || shape[1] === 'N')) throw new DownhillError(`parameter ${name} cannot have the batch size N in its shape ${shapeText(shape)}`);
  if (kind === 'data' && (shape[0] === 'N' || shape[1] !== 'N')) throw new DownhillError(`data ${name} must be rows × N (one column per sample), got ${shapeText(shape)}`);
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

/** A · B: (m×k)(k×n) → m×n. */
/** Whether `v` is a matrix node (for the checks of the exported entry points). */
export function isMNode(v: unknown): v is MNode {
  return v !== null && typeof v === 'object' && typeof (v as { kind?: unknown }).kind === 'string' && Array.isArray((v as { shape?: unknown }).shape) && typeof (v as { id?: unknown }).id === 'number';
}

export function matmul(a: MNode, b: MNode): MNode {
  for (const [what, v] of [['a', a], ['b', b]] as const) {
    if (!isMNode(v)) throw new DownhillError(`matmul: ${what} must be a matrix node (matrixNetwork's nodes; numbers go through compileMatrixGradient), got ${describeValue(v)}`);
  }
  if (a.shape[1] !== b.shape[0]) {
    throw new DownhillError(`matmul: ${operand(a)} but ${operand(b)}: inner sizes ${a.shape[1]} and ${b.shape[0]} differ`);
  }
  return intern(`matmul:${a.id},${b.id}`, (id) => ({ kind: 'matmul', id, shape: [a.shape[0], b.shape[1]] as const, args: [a, b] as const }));
}

/** Aᵀ. */
export function transpose(a: MNode): MNode {
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
