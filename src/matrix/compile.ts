/**
 * Compiling a matrix graph to loops over Float64Arrays: one loop nest per
 * matrix node, so the code's size and the time to build it depend on the
 * number of layers, never on their widths.
 *
 *   const net = matrixNetwork(layers, 'softmax_ce')
 *   const f = compileMatrixGradient(net)
 *   const L = f.lossAndGradient(p, g, batch, N)   // same p, batch and g layout as compileGradient
 *
 * Storage. Parameters are read from p where they sit (W row by row), data
 * from the batch where it sits (sample n's row at n·D); a transpose or a
 * broadcast is no code at all, only a view with other strides (a broadcast
 * bias has stride 0 across samples). A computed matrix with one column per
 * sample is stored sample by sample, so a sample's activations are
 * contiguous; a parameter's gradient is written straight into g.
 *
 * Loop orders for C = A B (see `matmulLoops`):
 * - z = W a: dot products along rows of W and columns of a, both
 *   contiguous, 2 rows × 4 samples at a time (8 sums: each weight read
 *   serves 4 samples, each input read 2 rows);
 * - ∂L/∂W = δ aᵀ: 4 rows j of the gradient get δ_jn · a_n for 4 samples at
 *   a time, one pass over those rows per 4 samples;
 * - Wᵀ δ: column n gets W_j · δ_jn for 4 rows j of W at a time.
 * A bias added to a product starts its sums (z = b + Σ W a, the scalar
 * engine's order, so losses agree to the last bit).
 *
 * Functions. make(N) allocates the buffers and returns run(p, g, x). A body
 * longer than CHUNK_CHARS is cut at node boundaries into chunk functions of
 * about equal size that share make's buffers, and run calls them in order:
 * the same statements in the same order (the same numbers to the bit), but
 * V8 optimises each chunk on its own, so its compiler's peak memory is that
 * of one chunk, not of the whole gradient (attn4228: peak RSS 250-320 MB in
 * one function, 115-140 MB in three).
 *
 * Safety: the source is made of fixed tokens, numbers printed from finite
 * doubles and names of the function table; no name a user gave reaches it.
 */
import { checkArg, checkOneOf, checkOptions, checkWhole, describeValue, DownhillError } from '../errors.ts';
import { functionTable } from '../expr/functions.ts';
import { checkedCalls, expression, literal, numericTable, type GradientFunction } from '../compile/compile.ts';
import { topoOrder } from '../expr/node.ts';
import { matrixGradient, type MatrixGradient } from './gradient.ts';
import { describe, isMNode, margs, mtopo, perSample, shapeText, type MNode } from './node.ts';
import {
  bmmLoops, causalLoops, convInputLoops, convKernelLoops, convLoops, directConv, directConvLoops, directKernelLoops, poolBackLoops, tapTable, poolLoops, repeatLoops, reshapeBatchLoops,
  reshapeLoops, routeTimesLoops, softmaxLoops, tokenLoops, type ElementCode,
} from './layer-loops.ts';
import { MATRIX_NETWORK, type MatrixNetwork } from './network.ts';
import { parameterNames } from '../nn/dense.ts';
import { at, code, elementLoop, matmulLoops, type View } from './views.ts';


type ConvNode = Extract<MNode, { kind: 'conv' | 'convk' | 'convx' }>;
type PoolNode = Extract<MNode, { kind: 'maxpool' | 'avgpool' | 'avgspread' }> | Extract<MNode, { kind: 'maxroute' }>;

/** Generated source of a matrix graph's roots: the buffers per batch size and one function body. */
interface Program {
  readonly buffers: string[];
  readonly body: string[];
  readonly fns: Set<string>;
  readonly views: Map<number, View>;
  /** Indices into body where one node's loops end and the next node's begin (the body may be cut there into chunks). */
  readonly marks: number[];
}

function emptyProgram(): Program {
  return { buffers: [], body: [], fns: new Set(), views: new Map(), marks: [] };
}

/** A broadcast's view of its argument's view: stride 0 along a spread dimension. */
function spread(v: View, n: MNode): View {
  const [R0, C0] = margs(n)[0]!.shape;
  return { buf: v.buf, off: v.off, rs: R0 === 1 && n.shape[0] !== 1 ? 0 : v.rs, cs: C0 === 1 && n.shape[1] !== 1 ? 0 : v.cs };
}

/** The view of a parameter or data matrix where it sits (and of a transpose or broadcast of one); undefined for anything computed. */
function storedView(n: MNode, D: number): View | undefined {
  switch (n.kind) {
    case 'param': {
      const cols = n.shape[1];
      return { buf: 'p', off: n.offset, rs: cols, cs: cols === 1 ? 0 : 1 };
    }
    case 'data': return { buf: 'x', off: n.offset, rs: 1, cs: D };
    case 'transpose': {
      const v = storedView(n.args[0], D);
      return v && { buf: v.buf, off: v.off, rs: v.cs, cs: v.rs };
    }
    case 'broadcast': {
      const v = storedView(n.args[0], D);
      return v && spread(v, n);
    }
    default: return undefined;
  }
}

/** How many of the roots' nodes read each node. */
function consumers(order: readonly MNode[]): Map<number, number> {
  const uses = new Map<number, number>();
  for (const n of order) for (const k of margs(n)) uses.set(k.id, (uses.get(k.id) ?? 0) + 1);
  return uses;
}

/**
 * Emits the loops computing `roots`; `placed` gives some nodes their storage
 * in advance (a parameter's gradient in g).
 */
function emitProgram(roots: readonly MNode[], D: number, placed: ReadonlyMap<number, View>): Program {
  const prog = emptyProgram();
  const { views, body, buffers, fns } = prog;
  const order = mtopo(roots);
  const uses = consumers(order);
  const rootIds = new Set(roots.map((r) => r.id));
  const fused = new Set<number>();
  const view = (n: MNode): View => {
    const v = views.get(n.id);
    if (!v) throw new Error(`matrix compile: node ${n.id} (${n.kind}) used before it was computed`);
    return v;
  };
  const alloc = (n: MNode): View => {
    const p = placed.get(n.id);
    if (p) return p;
    const [R, C] = n.shape;
    const name = `t${n.id}`;
    buffers.push(`const ${name} = new Float64Array(${code(R)} * ${code(C)});`);
    // one column per sample: stored sample by sample; otherwise row by row
    return perSample(C) !== undefined && typeof R === 'number' ? { buf: name, off: 0, rs: 1, cs: R } : { buf: name, off: 0, rs: C, cs: 1 };
  };

  /** The view of a batch (one column or k columns per sample) with row stride 1, copied into a new buffer if it has another. */
  const contiguous = (n: MNode): View => {
    const v = view(n);
    if (v.rs === 1) return v;
    const name = `t${n.id}r`;
    const [R, C] = n.shape;
    buffers.push(`const ${name} = new Float64Array(${code(R)} * ${code(C)});`);
    const copy: View = { buf: name, off: 0, rs: 1, cs: R };
    body.push(...elementLoop(copy, R, C, (r, c) => [`${at(copy, r, c)} = ${at(v, r, c)};`]));
    return copy;
  };
  /** A fixed-size matrix (a kernel) as a row-major view, copied if it is not one. */
  const rowMajor = (n: MNode): View => {
    const v = view(n);
    const [R, C] = n.shape;
    if (v.cs === 1 && (v.rs === C || R === 1)) return v;
    const name = `t${n.id}r`;
    buffers.push(`const ${name} = new Float64Array(${code(R)} * ${code(C)});`);
    const copy: View = { buf: name, off: 0, rs: C, cs: 1 };
    body.push(...elementLoop(copy, R, C, (r, c) => [`${at(copy, r, c)} = ${at(v, r, c)};`]));
    return copy;
  };
  /** A scratch buffer of a convolution's columns (C·kh·kw × Ho·Wo, one sample's; every sample's when `all`). */
  const scratch = (n: MNode & { geom: { C: number; kh: number; kw: number; Ho: number; Wo: number } }, all = false): string => {
    const name = `w${n.id}`;
    buffers.push(`const ${name} = new Float64Array(${n.geom.C * n.geom.kh * n.geom.kw * n.geom.Ho * n.geom.Wo}${all ? ' * N' : ''});`);
    return name;
  };
  /**
   * A product with a factor spread over the tokens of each sample (the adjoint of a mean over tokens), done per
   * sample rather than per token, k times fewer multiply-adds, the graph (and the equations printed from it) unchanged:
   *   A · spread(v) = spread(A · v)          (A fixed-size: δ through a weight after the mean)
   *   spread(u) · Oᵀ = u · (Σ_tokens O)ᵀ     (the weight's own gradient)
   * True when it emitted the loops.
   */
  const spreadProduct = (n: MNode & { readonly args: readonly [MNode, MNode] }, out: View): boolean => {
    const [a, b] = n.args;
    const temp = (R: number): View => {
      buffers.push(`const t${n.id}s = new Float64Array(${R} * N);`);
      return { buf: `t${n.id}s`, off: 0, rs: 1, cs: R };
    };
    if (b.kind === 'tokenspread' && typeof a.shape[0] === 'number' && typeof a.shape[1] === 'number' && b.args[0].shape[1] === 'N') {
      const k = perSample(b.shape[1])!, M = a.shape[0];
      const once = temp(M);
      body.push(...matmulLoops(once, view(a), view(b.args[0]), M, a.shape[1], 'N', null), ...tokenLoops('tokenspread', out, once, M, k));
      return true;
    }
    if (a.kind === 'tokenspread' && b.kind === 'transpose' && a.args[0].shape[1] === 'N' && typeof b.shape[1] === 'number' && b.args[0].shape[1] === a.shape[1]) {
      const k = perSample(a.shape[1])!, R = b.shape[1];
      const summed = temp(R);
      body.push(...tokenLoops('tokensum', summed, view(b.args[0]), R, k));
      body.push(...matmulLoops(out, view(a.args[0]), { buf: summed.buf, off: 0, rs: summed.cs, cs: summed.rs }, a.shape[0], 'N', R, null));
      return true;
    }
    return false;
  };
  // A convolution whose kernel gradient is in the program too (same input, same geometry) keeps every sample's
  // columns, and the kernel gradient reads them instead of building them again.
  const colsKey = (n: MNode): string => (n.kind === 'conv' || n.kind === 'convk' ? `${n.args[0].id} ${JSON.stringify(n.geom)}` : '');
  // (Without padding, neither reads columns: see layer-loops.ts.)
  const wanted = new Set(order.filter((n) => n.kind === 'convk' && !directConv(n.geom)).map(colsKey));
  /** The tap table of a convolution's geometry read from the image (one per geometry and batch size). */
  const tapTables = new Map<string, string>();
  const taps = (n: ConvNode): string => {
    const key = JSON.stringify(n.geom);
    let name = tapTables.get(key);
    if (!name) {
      name = `w${n.id}k`;
      buffers.push(...tapTable(name, n.geom));
      tapTables.set(key, name);
    }
    return name;
  };
  const keptCols = new Map<string, string>();

  // A max-pooling whose routing back is in the program too (same input, same geometry) records each window's argmax.
  const poolKey = (n: MNode): string => (n.kind === 'maxpool' || n.kind === 'maxroute' ? `${n.args[0].id} ${JSON.stringify(n.geom)}` : '');
  const routed = new Set(order.filter((n) => n.kind === 'maxroute').map(poolKey));
  const winners = new Map<string, string>();

  /** The code of element (r, c) of a map: its arguments read, then its scalar expression step by step. */
  const mapElement = (n: Extract<MNode, { kind: 'map' }>, r: string, c: string): { lines: string[]; value: string } => {
    const lines = n.args.map((a, i) => `const u${i} = ${at(view(a), r, c)};`);
    const ref = (s: import('../expr/node.ts').Node): string => {
      if (s.kind === 'const') return literal(s.value);
      if (s.kind === 'sym') return s.name; // u0, u1, ... checked when the map was built
      return `e${s.id}`;
    };
    let last = '';
    for (const s of topoOrder([n.f])) {
      if (s.kind === 'const' || s.kind === 'sym') { last = ref(s); continue; }
      lines.push(`const e${s.id} = ${expression(s, ref, fns)};`);
      last = `e${s.id}`;
    }
    return { lines, value: last };
  };
  /** Emits n's whole argument graph first (for a fusion that needs it now). */
  const emitGraph = (n: MNode): void => { for (const k of mtopo([n])) emit(k); };

  /**
   * A convolution read only by a following "+ bias" (a filter's bias repeated over its positions): the bias starts
   * each position's sum, as for a product, so z is written once and no pass adds the bias. True when it emitted the loops.
   */
  const convWithBias = (n: ConvNode): boolean => {
    if (rootIds.has(n.id) || uses.get(n.id) !== 1) return false;
    const consumer = order.find((c) => c.kind === 'add' && c.args[0] === n);
    if (consumer?.kind !== 'add' || consumer.args[1] === n) return false;
    const home = placed.get(consumer.id);
    if (home && home.rs !== 1) return false;
    // the bias does not read the convolution (its one reader is the sum), so its graph can come first
    emitGraph(consumer.args[1]);
    const init = view(consumer.args[1]);
    if (typeof init.rs !== 'number') return false;
    const out = alloc(consumer);
    views.set(consumer.id, out);
    fused.add(consumer.id);
    emitConv(n, out, init);
    return true;
  };
  /**
   * The bias gradient of a convolution whose kernel gradient convk(X, Ḡ) is being emitted: rowsum(sum over samples of
   * Ḡ) (a repeated bias's adjoint), when neither is read elsewhere nor emitted yet, is summed in the kernel gradient's pass
   * over δ (per sample, then over samples; the same sums in another order). Its view, or null.
   */
  const biasOfConv = (n: ConvNode): View | null => {
    const G = n.args[1], HoWo = n.geom.Ho * n.geom.Wo;
    const total = order.find((c) => c.kind === 'sum' && c.args[0] === G && c.shape[0] === n.geom.F * HoWo && c.shape[1] === 1);
    const rows = total && order.find((c) => c.kind === 'rowsum' && c.args[0] === total && c.times === HoWo);
    if (!total || !rows || done.has(total.id) || done.has(rows.id) || uses.get(total.id) !== 1 || rootIds.has(total.id)) return null;
    const out = alloc(rows);
    views.set(rows.id, out);
    fused.add(total.id);
    fused.add(rows.id);
    return out;
  };
  const emitConv = (n: ConvNode, out: View, init: View | null): void => {
    if (directConv(n.geom)) {
      body.push(...directConvLoops(out, contiguous(n.args[0]), rowMajor(n.args[1]), n.geom, taps(n), init));
      return;
    }
    const keep = wanted.has(colsKey(n));
    const cols = scratch(n, keep);
    if (keep) keptCols.set(colsKey(n), cols);
    body.push(...convLoops(out, contiguous(n.args[0]), rowMajor(n.args[1]), n.geom, cols, keep, init));
  };

  /**
   * δ routed back through a pooling, then multiplied element by element (the chain rule through the activation before
   * the pooling: (maxroute of δ) ⊙ relu′(z)), written position by position when windows do not overlap (max) or tile
   * the image (average): the routed image is never stored, nor zeroed, and a map factor read only here (relu′(z)) is
   * computed on the spot. True when it emitted the loops.
   */
  const routeTimes = (n: PoolNode): boolean => {
    const g = n.geom;
    const tiles = g.stride === g.k && g.Ho * g.k === g.H && g.Wo * g.k === g.W;
    if ((n.kind !== 'maxroute' && n.kind !== 'avgspread') || !(n.kind === 'maxroute' ? g.stride >= g.k : tiles) || rootIds.has(n.id) || uses.get(n.id) !== 1) return false;
    const h = order.find((c) => c.kind === 'hadamard' && (c.args[0] === n || c.args[1] === n));
    if (h?.kind !== 'hadamard' || h.args[0] === h.args[1]) return false;
    const other = h.args[0] === n ? h.args[1] : h.args[0];
    let factor: ElementCode;
    if (other.kind === 'map' && !done.has(other.id) && !rootIds.has(other.id) && uses.get(other.id) === 1) {
      for (const a of other.args) emitGraph(a);
      fused.add(other.id);
      factor = (r, c) => mapElement(other, r, c);
    } else {
      emitGraph(other);
      const v = view(other);
      factor = (r, c) => ({ lines: [], value: at(v, r, c) });
    }
    const out = alloc(h);
    views.set(h.id, out);
    fused.add(h.id);
    const G = contiguous(n.kind === 'maxroute' ? n.args[1] : n.args[0]);
    const A = n.kind === 'maxroute' ? contiguous(n.args[0]) : null;
    body.push(...routeTimesLoops(n.kind, out, A, G, factor, g, winners.get(poolKey(n))));
    return true;
  };

  const done = new Set<number>();
  /** Emits node n (once), its arguments having been emitted. */
  const emit = (n: MNode): void => {
    if (done.has(n.id) || fused.has(n.id)) return;
    done.add(n.id);
    switch (n.kind) {
      case 'param':
      case 'data': views.set(n.id, storedView(n, D)!); return;
      case 'fill': {
        const name = `c${n.id}`;
        buffers.push(`const ${name} = Float64Array.of(${literal(n.value)});`);
        views.set(n.id, { buf: name, off: 0, rs: 0, cs: 0 });
        return;
      }
      case 'transpose': {
        const v = view(n.args[0]);
        views.set(n.id, { buf: v.buf, off: v.off, rs: v.cs, cs: v.rs });
        return;
      }
      case 'broadcast': views.set(n.id, spread(view(n.args[0]), n)); return;
      default: break;
    }
    const [R, C] = n.shape;
    // A product read only by a following "+ bias": the bias starts the sums.
    if (n.kind === 'matmul' && !rootIds.has(n.id) && uses.get(n.id) === 1) {
      const consumer = order.find((c) => c.kind === 'add' && c.args[0] === n);
      const init = consumer?.kind === 'add' ? views.get(consumer.args[1].id) ?? storedView(consumer.args[1], D) : undefined;
      if (consumer && init) {
        const out = alloc(consumer);
        views.set(consumer.id, out);
        fused.add(consumer.id);
        body.push(...matmulLoops(out, view(n.args[0]), view(n.args[1]), n.args[0].shape[0], n.args[0].shape[1], n.args[1].shape[1], init));
        return;
      }
    }
    if (n.kind === 'conv' && convWithBias(n)) return;
    if ((n.kind === 'maxroute' || n.kind === 'avgspread') && routeTimes(n)) return;
    const out = alloc(n);
    views.set(n.id, out);
    if (n.kind === 'matmul' && spreadProduct(n, out)) return;
    switch (n.kind) {
      case 'matmul':
        body.push(...matmulLoops(out, view(n.args[0]), view(n.args[1]), n.args[0].shape[0], n.args[0].shape[1], n.args[1].shape[1], null));
        break;
      case 'add':
      case 'sub':
      case 'hadamard': {
        const a = view(n.args[0]), b = view(n.args[1]);
        const op = n.kind === 'add' ? '+' : n.kind === 'sub' ? '-' : '*';
        body.push(...elementLoop(out, R, C, (r, c) => [`${at(out, r, c)} = ${at(a, r, c)} ${op} ${at(b, r, c)};`]));
        break;
      }
      case 'scale': {
        const a = view(n.args[0]);
        const scaled = (x: string): string => {
          const m = n.factor === 1 ? x : n.factor === -1 ? `-${x}` : `${x} * ${literal(n.factor)}`;
          return n.perN ? `(${m}) / N` : m;
        };
        body.push(...elementLoop(out, R, C, (r, c) => [`${at(out, r, c)} = ${scaled(at(a, r, c))};`]));
        break;
      }
      case 'map':
        body.push(...elementLoop(out, R, C, (r, c) => {
          const { lines, value } = mapElement(n, r, c);
          return [...lines, `${at(out, r, c)} = ${value};`];
        }));
        break;
      case 'sum': {
        const a = view(n.args[0]), [R0, C0] = n.args[0].shape;
        if (R === 1 && C === 1) {
          body.push('{', 'let s = 0;', `for (let c = 0; c < ${code(C0)}; c++) for (let r = 0; r < ${code(R0)}; r++) s += ${at(a, 'r', 'c')};`, `${at(out, '0', '0')} = s;`, '}');
        } else if (R === 1) {
          body.push(`for (let c = 0; c < ${code(C0)}; c++) {`, 'let s = 0;', `for (let r = 0; r < ${code(R0)}; r++) s += ${at(a, 'r', 'c')};`, `${at(out, '0', 'c')} = s;`, '}');
        } else if (a.rs === 1) {
          // each column read in order, added into the R sums (each sum still adds its columns in order c = 0, 1, …)
          body.push(`for (let r = 0; r < ${code(R0)}; r++) ${at(out, 'r', '0')} = 0;`, `for (let c = 0; c < ${code(C0)}; c++) for (let r = 0; r < ${code(R0)}; r++) ${at(out, 'r', '0')} += ${at(a, 'r', 'c')};`);
        } else {
          body.push(`for (let r = 0; r < ${code(R0)}; r++) {`, 'let s = 0;', `for (let c = 0; c < ${code(C0)}; c++) s += ${at(a, 'r', 'c')};`, `${at(out, 'r', '0')} = s;`, '}');
        }
        break;
      }
      case 'conv': emitConv(n, out, null); break;
      case 'convk': {
        if (directConv(n.geom)) {
          const HoWo = n.geom.Ho * n.geom.Wo;
          buffers.push(`const w${n.id}v = new Float64Array(${HoWo});`, `const w${n.id}i = new Int32Array(${HoWo});`);
          body.push(...directKernelLoops(out, contiguous(n.args[0]), contiguous(n.args[1]), n.geom, taps(n), `w${n.id}v`, `w${n.id}i`, biasOfConv(n)));
          break;
        }
        const kept = keptCols.get(colsKey(n));
        body.push(...convKernelLoops(out, contiguous(n.args[0]), contiguous(n.args[1]), n.geom, kept ?? scratch(n), kept !== undefined));
        break;
      }
      case 'convx': body.push(...convInputLoops(out, contiguous(n.args[0]), rowMajor(n.args[1]), n.geom, scratch(n))); break;
      case 'maxpool': {
        let record: string | undefined;
        if (routed.has(poolKey(n))) {
          record = `w${n.id}`;
          buffers.push(`const ${record} = new Int32Array(${n.geom.C * n.geom.Ho * n.geom.Wo} * N);`);
          winners.set(poolKey(n), record);
        }
        body.push(...poolLoops('maxpool', out, contiguous(n.args[0]), n.geom, record));
        break;
      }
      case 'avgpool': body.push(...poolLoops('avgpool', out, contiguous(n.args[0]), n.geom)); break;
      case 'maxroute': body.push(...poolBackLoops('maxroute', out, contiguous(n.args[0]), contiguous(n.args[1]), n.geom, winners.get(poolKey(n)))); break;
      case 'avgspread': body.push(...poolBackLoops('avgspread', out, null, contiguous(n.args[0]), n.geom)); break;
      case 'repeat':
      case 'rowsum': {
        const R0 = n.kind === 'repeat' ? n.args[0].shape[0] as number : R as number;
        body.push(...repeatLoops(n.kind, out, view(n.args[0]), R0, n.times, code(C)));
        break;
      }
      case 'bmm': {
        const [A, B] = n.args;
        const ka = perSample(A.shape[1])!, kb = perSample(B.shape[1])!;
        const k = n.ta ? A.shape[0] as number : ka;
        body.push(...bmmLoops(out, view(A), view(B), { m: R as number, k, c: perSample(C)!, ka, kb, ta: n.ta, tb: n.tb }));
        break;
      }
      case 'softmax': body.push(...softmaxLoops(out, view(n.args[0]), code(R), code(C), n.axis)); break;
      case 'reshape': {
        const A = n.args[0];
        const k1 = perSample(A.shape[1]), k2 = perSample(C);
        if (k1 !== undefined && k2 !== undefined) body.push(...reshapeBatchLoops(out, view(A), A.shape[0] as number, k1, k2));
        else body.push(...reshapeLoops(out, view(A), A.shape[0] as number, A.shape[1] as number, C as number));
        break;
      }
      case 'tokensum': body.push(...tokenLoops('tokensum', out, view(n.args[0]), R as number, perSample(n.args[0].shape[1])!)); break;
      case 'tokenspread': body.push(...tokenLoops('tokenspread', out, view(n.args[0]), R as number, perSample(C)!)); break;
      case 'causal': body.push(...causalLoops(out, view(n.args[0]), R as number, n.value)); break;
      case 'lse': {
        // the scalar table's logsumexp, column by column: max first, no overflow
        const a = view(n.args[0]), R0 = code(n.args[0].shape[0]);
        body.push(
          `for (let c = 0; c < ${code(C)}; c++) {`,
          'let m = -Infinity, nan = false;',
          `for (let r = 0; r < ${R0}; r++) { const v = ${at(a, 'r', 'c')}; if (v > m) m = v; else if (v !== v) nan = true; }`,
          'let y = m;',
          'if (nan) y = NaN;',
          'else if (m !== Infinity && m !== -Infinity) {',
          'let s = 0;',
          `for (let r = 0; r < ${R0}; r++) s += Math.exp(${at(a, 'r', 'c')} - m);`,
          'y = m + Math.log(s);',
          '}',
          `${at(out, '0', 'c')} = y;`,
          '}',
        );
        break;
      }
    }
  };
  for (const n of order) {
    emit(n);
    if (prog.marks.at(-1) !== body.length) prog.marks.push(body.length);
  }
  // A root that is a view or lives elsewhere is copied to its place.
  for (const r of roots) {
    const dest = placed.get(r.id);
    const src = view(r);
    if (dest && src !== dest) body.push(...elementLoop(dest, r.shape[0], r.shape[1], (i, j) => [`${at(dest, i, j)} = ${at(src, i, j)};`]));
  }
  return prog;
}

const allowed = new Set([
  'const', 'let', 'for', 'function', 'return', 'new', 'Float64Array', 'Int32Array', 'of', 'if', 'else', 'Math', 'exp', 'log', 'Infinity', 'NaN',
  'true', 'false', 'nan', 'p', 'g', 'x', 'N', 'F', 'i', 'j', 't', 'r', 'c', 'a', 's', 'm', 'v', 'y', 'ai', 'oi', 'oj', 'make', 'run',
  // the layers beyond dense (layer-loops.ts)
  'n', 'f', 'q', 'e', 'ch', 'ki', 'kj', 'oy', 'ox', 'yy', 'xx', 'xr', 'row', 'o', 'xb', 'zb', 'gb', 'ob', 'ib', 'cb', 'wi', 'wo', 'best', 'continue',
  'xo', 'zo', 'up',
]);
/** A function of the body cut into chunks (see factorySource). */
const CHUNK_NAME = /^chunk\d+$/;

/** Throws unless every identifier in the source is one the compiler writes (no user text). */
export function assertSafeMatrixSource(source: string): void {
  for (const word of source.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []) {
    if (allowed.has(word) || CHUNK_NAME.test(word) || /^(?:[tcesuabrxo]\d+|ai\d+|w\d+[kvi]?|t\d+[rs]|f_[a-z0-9_]+)$/.test(word) || /^e\d*$/.test(word)) continue;
    if (functionTable.has(word)) continue;
    throw new DownhillError(`generated matrix source contains an unexpected identifier "${word}"`);
  }
  for (const bad of ['"', '`', "'", '\\', '$']) {
    if (source.includes(bad)) throw new DownhillError(`generated matrix source contains an unexpected character ${bad}`);
  }
}

/**
 * Characters of loops per generated function, at most about. V8 optimises a function as one whole, and TurboFan's
 * memory grows faster than the function: attn4228's gradient, 43,000 characters of loops in one function, took its
 * process to a peak RSS of 250-320 MB (about 100 MB before the model), three functions of 12,000-15,000 characters
 * to 115-140 MB. A longer body is cut at node boundaries into that many functions of about equal size, each optimised
 * on its own; a shorter one stays one function, as before (conv11738's gradient: 17,500 characters; digits23860's:
 * 13,700). The cut depends on the code's size only, which depends on the layers, never on their widths.
 */
export const CHUNK_CHARS = 20_000;

/**
 * The body cut at node boundaries (prog.marks) into ⌈size / limit⌉ runs of lines of about equal size (a run ends at
 * the first boundary past its share; the last takes what is left): [body] when it is no longer than `limit`.
 */
function chunks(prog: Program, limit: number): string[][] {
  const total = prog.body.reduce((sum, line) => sum + line.length + 1, 0);
  const share = total / Math.ceil(total / limit);
  const out: string[][] = [];
  const cuts = new Set(prog.marks);
  let start = 0, size = 0;
  for (let i = 0; i < prog.body.length; i++) {
    size += prog.body[i]!.length + 1;
    if (size >= share && cuts.has(i + 1) && i + 1 < prog.body.length) {
      out.push(prog.body.slice(start, i + 1));
      start = i + 1;
      size = 0;
    }
  }
  out.push(prog.body.slice(start));
  return out;
}

/**
 * The source of a factory: F ↦ (N ↦ [run, chunk0, chunk1, …]), where run(p, g, x) computes the roots and returns the
 * loss (0 without one). A long body is cut into chunk functions sharing make's buffers (closure variables, as run's
 * loops read them anyway), which run calls in order; the chunks come back too, so the benchmark can wait until V8 has
 * optimised each.
 */
function factorySource(prog: Program, lossView: View | null, chunkChars = CHUNK_CHARS): string {
  const fnDecls = [...prog.fns].sort().map((f) => {
    if (!/^[a-z][a-z0-9_]*$/.test(f) || !functionTable.has(f)) throw new DownhillError(`unknown function "${f}"`);
    return `const f_${f} = F.${f};`;
  });
  const parts = chunks(prog, chunkChars);
  const ret = `return ${lossView ? at(lossView, '0', '0') : '0'};`;
  const names = parts.length === 1 ? [] : parts.map((_, c) => `chunk${c}`);
  return [
    ...fnDecls,
    'return function make(N) {',
    ...prog.buffers,
    ...(names.length === 0 ? [] : parts.flatMap((lines, c) => [`function ${names[c]}(p, g, x) {`, ...lines, '}'])),
    'const run = function run(p, g, x) {',
    ...(names.length === 0 ? prog.body : names.map((name) => `${name}(p, g, x);`)),
    ret,
    '};',
    `return [${['run', ...names].join(', ')}];`,
    '};',
  ].join('\n');
}

type Run = (p: Float64Array, g: Float64Array, x: Float64Array) => number;
/** make(N): run first, then the chunk functions it calls (none when the body is one function). */
type Factory = (N: number) => [Run, ...Function[]];

/** A matrix graph's loss and gradient, compiled. */
export interface MatrixModelCompiled extends GradientFunction {
  /** The gradient as a matrix graph: adjoints of the parameters and of every quantity on the way. */
  readonly gradient: MatrixGradient;
  /** Distinct nodes of the forward graph, and of loss + gradient together. */
  readonly forwardNodes: number;
  readonly gradientNodes: number;
  /** The generated JavaScript, for inspection. */
  readonly source: { readonly loss: string; readonly gradient: string };
}

export interface MatrixCompiled extends MatrixModelCompiled {
  readonly network: MatrixNetwork;
}

/** What `compileMatrixLoss` compiles: a 1×1 loss over parameter nodes (read from p) and data nodes (read from batch rows of D numbers). */
export interface MatrixLossSpec {
  readonly loss: MNode;
  /** The parameter nodes, each a 'param' at its offset in p. */
  readonly params: readonly MNode[];
  /** Parameters in p (the names of p's entries are made when first asked for). */
  readonly P: number;
  readonly paramNames: () => string[];
  /** The names of a batch row's numbers (D of them). */
  readonly data: readonly string[];
  readonly reduce: 'mean' | 'sum';
  /** Characters of loops per generated function (default CHUNK_CHARS; Infinity: one function, 1: one per node). */
  readonly chunkChars?: number;
}

/** A factory's functions, one set per batch size, the few most recent kept. */
function perBatchSize(factory: Factory): (N: number) => [Run, ...Function[]] {
  const cache = new Map<number, [Run, ...Function[]]>();
  return (N) => {
    let fns = cache.get(N);
    if (!fns) {
      if (cache.size >= 4) cache.delete(cache.keys().next().value!);
      fns = factory(N);
      cache.set(N, fns);
    }
    return fns;
  };
}

const EMPTY = new Float64Array(0);

/**
 * Derives the gradient of a matrix graph's loss with respect to its
 * parameter nodes and compiles the loss alone and the loss with its gradient
 * to loops, p and batch laid out as for the scalar engine.
 */
export function compileMatrixLoss(spec: MatrixLossSpec): MatrixModelCompiled {
  if (spec.chunkChars !== undefined && !(typeof spec.chunkChars === 'number' && spec.chunkChars >= 1)) {
    throw new DownhillError(`compileMatrixLoss: chunkChars must be a number ≥ 1 (characters of loops per generated function; Infinity for one), got ${describeValue(spec.chunkChars)}`);
  }
  const grad = matrixGradient(spec.loss, spec.params);
  const D = spec.data.length;
  const placed = new Map<number, View>();
  spec.params.forEach((w, k) => {
    const adj = grad.adjoints[k]!;
    const cols = w.shape[1];
    // a computed adjoint is written straight into g; the first parameter to claim it wins
    if (w.kind === 'param' && !placed.has(adj.id)) placed.set(adj.id, { buf: 'g', off: w.offset, rs: cols, cs: cols === 1 ? 0 : 1 });
  });
  const lossProg = emitProgram([spec.loss], D, new Map());
  const gradProg = emitProgram([spec.loss, ...grad.adjoints], D, placed);
  // parameters sharing one adjoint node get a copy
  spec.params.forEach((w, k) => {
    const adj = grad.adjoints[k]!;
    const home = placed.get(adj.id)!;
    if (w.kind === 'param' && home.off !== w.offset) {
      const dest: View = { buf: 'g', off: w.offset, rs: w.shape[1], cs: w.shape[1] === 1 ? 0 : 1 };
      gradProg.body.push(...elementLoop(dest, w.shape[0], w.shape[1], (i, j) => [`${at(dest, i, j)} = ${at(home, i, j)};`]));
    }
  });
  const lossSource = factorySource(lossProg, lossProg.views.get(spec.loss.id)!, spec.chunkChars);
  const gradSource = factorySource(gradProg, gradProg.views.get(spec.loss.id)!, spec.chunkChars);
  assertSafeMatrixSource(lossSource);
  assertSafeMatrixSource(gradSource);
  const F = numericTable();
  const lossRun = perBatchSize(new Function('F', lossSource)(F) as Factory);
  const gradRun = perBatchSize(new Function('F', gradSource)(F) as Factory);

  // 10⁵ names cost tens of ms: made when first asked for (the compiled calls need only their count)
  let names: string[] | undefined;
  const compiled: MatrixModelCompiled = {
    gradient: grad, data: spec.data, reduce: spec.reduce,
    get params(): readonly string[] { return names ??= spec.paramNames(); },
    forwardNodes: mtopo([spec.loss]).length,
    gradientNodes: mtopo([spec.loss, ...grad.adjoints]).length,
    source: { loss: lossSource, gradient: gradSource },
    ...checkedCalls(new Array<string>(spec.P), spec.data, (p, batch, N) => lossRun(N)[0](p, EMPTY, batch), (p, g, batch, N) => gradRun(N)[0](p, g, batch)),
  };
  generatedRuns.set(compiled, (N) => [lossRun(N), gradRun(N)].flatMap(([run, ...chunks]) => (chunks.length > 0 ? chunks : [run])));
  return compiled;
}

/** The generated functions of each compiled matrix loss, per batch size (for the benchmark's warm-up). */
const generatedRuns = new WeakMap<object, (N: number) => Function[]>();

/** `copy` (a compiled loss with more fields) runs the generated functions of `compiled`. */
export function shareGenerated<T extends MatrixModelCompiled>(copy: T, compiled: MatrixModelCompiled): T {
  generatedRuns.set(copy, (N) => matrixGeneratedFunctions(compiled, N));
  return copy;
}

/**
 * The generated loss and gradient functions a compiled matrix loss runs for batches of N, those holding the loops (so the
 * benchmark can wait until V8 has optimised them): each one's run, or its chunks when it has some (run then only calls
 * them, and V8 may leave so small a function to its baseline compiler).
 */
export function matrixGeneratedFunctions(f: MatrixModelCompiled, N: number): Function[] {
  return generatedRuns.get(f)?.(N) ?? [];
}

/**
 * Derives the gradient of a matrix network's loss as a matrix graph and
 * compiles the loss alone and the loss with its gradient to loops.
 * `naming` gives the scalar engine's parameter names (default 'indexed').
 */
export function compileMatrixGradient(net: MatrixNetwork, options: { naming?: 'short' | 'indexed' } = {}): MatrixCompiled {
  checkArg('compileMatrixGradient', 'net', net, MATRIX_NETWORK);
  checkOptions('compileMatrixGradient', options, ['naming']);
  if (options.naming !== undefined) checkOneOf('compileMatrixGradient', 'naming', options.naming, ['short', 'indexed']);
  const data = [...Array.from({ length: net.layers[0]!.in }, (_, i) => `x${i + 1}`), ...(net.y.shape[0] === 1 ? ['y'] : Array.from({ length: net.y.shape[0] as number }, (_, c) => `y${c + 1}`))];
  const compiled = compileMatrixLoss({
    loss: net.loss, params: net.params, P: net.P, data, reduce: net.reduce,
    paramNames: () => parameterNames(net.layers, options.naming ?? 'indexed'),
  });
  // a getter does not survive a spread: the names stay made on demand
  return shareGenerated(Object.defineProperties({ network: net }, Object.getOwnPropertyDescriptors(compiled)) as MatrixCompiled, compiled);
}

/**
 * The values of some per-sample matrices (rows × N: activations, δ's) for a
 * batch, compiled like the gradient. Each comes back sample by sample:
 * element (r, n) at [n·rows + r].
 *
 *   const [a2, d1] = compileMatrixValues([net.a[1], grad.adjointOf(net.z[0])], net.D)(p, batch)
 */
export function compileMatrixValues(roots: readonly MNode[], D: number): (p: Float64Array, batch: Float64Array, N?: number) => Float64Array[] {
  const fn = 'compileMatrixValues';
  if (!Array.isArray(roots) || roots.length === 0 || !roots.every(isMNode)) throw new DownhillError(`${fn}: roots must be a non-empty array of matrix nodes (net.a[1], a gradient's adjoints), got ${describeValue(roots)}`);
  checkWhole(fn, 'D', D, 0);
  // The parameters the roots read: p must reach the end of the last one.
  const P = Math.max(0, ...mtopo(roots).map((n) => (n.kind === 'param' ? n.offset + (n.shape[0] as number) * (n.shape[1] as number) : 0)));
  const distinct = [...new Map(roots.map((r) => [r.id, r])).values()];
  let total = 0;
  const offsets = new Map<number, number>();
  for (const r of distinct) {
    if (typeof r.shape[0] !== 'number' || r.shape[1] !== 'N') throw new DownhillError(`values: ${describe(r)} is ${shapeText(r.shape)}, not rows × N`);
    offsets.set(r.id, total);
    total += r.shape[0];
  }
  const placed = new Map(distinct.map((r) => [r.id, { buf: 'g', off: offsets.get(r.id)!, rs: 1, cs: total } as View]));
  const source = factorySource(emitProgram(distinct, D, placed), null);
  assertSafeMatrixSource(source);
  const run = perBatchSize(new Function('F', source)(numericTable()) as Factory);
  return (p, batch, N = Math.floor((batch?.length ?? 0) / D)) => {
    if (!(p instanceof Float64Array) || p.length < P) throw new DownhillError(`values: p must be a Float64Array of the network's ${P} parameters (at least), got ${describeValue(p)}`);
    if (!(batch instanceof Float64Array)) throw new DownhillError(`values: batch must be a Float64Array of whole rows of ${D}, got ${describeValue(batch)}`);
    if (!Number.isInteger(N) || N < 1 || batch.length !== N * D) throw new DownhillError(`batch has ${batch.length} numbers, expected ${N} rows of ${D} (${N * D} numbers)`);
    const all = new Float64Array(N * total);
    run(N)[0](p, all, batch);
    return roots.map((r) => {
      const rows = r.shape[0] as number, off = offsets.get(r.id)!;
      const out = new Float64Array(rows * N);
      for (let n = 0; n < N; n++) out.set(all.subarray(n * total + off, n * total + off + rows), n * rows);
      return out;
    });
  };
}
