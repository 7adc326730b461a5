/**
 * Compiling a loss and its gradient to JavaScript over Float64Arrays.
 *
 *   const f = compileGradient(loss, { params: ['w1', 'w2', 'w3'], data: ['x1', 'x2', 'y'] })
 *   const g = new Float64Array(3)
 *   const L = f.lossAndGradient(p, g, batch, N)   // mean loss; g = mean gradient
 *
 * The loss is a per-sample expression over parameters (read from `p`) and
 * data (read from one row of `batch`); the compiled function loops over the
 * N rows and reduces by mean or sum. Loss and gradient come out of one pass:
 * the forward values are computed once and the backward graph reuses them.
 *
 * Safety by construction: the generated source is built only from fixed
 * tokens — operators, `p[k]`, `x[o + k]`, numeric literals printed from
 * finite doubles, and names from the function table. No symbol name or
 * other text a user typed ever reaches it (`assertSafeSource` checks).
 *
 * V8 does not optimise a function whose bytecode is very large (about
 * 60 KB), so long straight-line code is cut into chunks of at most
 * `chunkSize` statements; values crossing chunks go through a scratch array.
 */
import { DownhillError } from '../errors.ts';
import { functionTable } from '../primitives.ts';
import { gradient } from '../diff/gradient.ts';
import { children, topoOrder, type Node } from '../expr/node.ts';

export interface CompileOptions {
  /** Parameters, in the order of the vector `p`. */
  readonly params: readonly string[];
  /** Per-sample data symbols, in the order of a batch row. */
  readonly data?: readonly string[];
  /** How per-sample losses combine over a batch; default 'mean'. */
  readonly reduce?: 'mean' | 'sum';
  /** Most statements in one generated function (see the V8 note above). */
  readonly chunkSize?: number;
}

export interface CompiledGradient {
  readonly params: readonly string[];
  readonly data: readonly string[];
  readonly reduce: 'mean' | 'sum';
  /** The batch loss. `batch` holds N rows of `data.length` numbers. */
  loss(p: Float64Array, batch?: Float64Array, N?: number): number;
  /** The batch loss; fills `g` with its gradient. */
  lossAndGradient(p: Float64Array, g: Float64Array, batch?: Float64Array, N?: number): number;
  /** The per-sample gradient graph, ∂loss/∂params[k]. */
  readonly partials: readonly Node[];
  /** Distinct nodes of the forward graph, and of loss + gradient together. */
  readonly forwardNodes: number;
  readonly gradientNodes: number;
  /** The generated JavaScript, for inspection. */
  readonly source: { readonly loss: string; readonly gradient: string };
}

type Fn = (...xs: number[]) => number;
const EMPTY = new Float64Array(0);

/** A double as a JavaScript literal. */
function literal(v: number): string {
  if (Number.isNaN(v)) return '(0/0)';
  if (v === Infinity) return '(1/0)';
  if (v === -Infinity) return '(-1/0)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${v})` : String(v);
}

interface Emitted {
  readonly body: string;
  readonly functions: readonly string[];
}

/**
 * Straight-line code computing every node of `order` once (in chunks), then
 * `tail(expr)` statements that consume the named roots.
 */
function emit(
  order: readonly Node[],
  leaf: (n: Node) => string,
  sinks: readonly { node: Node; write: (value: string) => string }[],
  chunkSize: number,
): Emitted {
  // Which chunk each computed node lives in, and which nodes other chunks read.
  const computed = order.filter((n) => n.kind !== 'const' && n.kind !== 'sym');
  const chunkOf = new Map<number, number>();
  computed.forEach((n, i) => chunkOf.set(n.id, Math.floor(i / chunkSize)));
  const chunks = Math.max(1, Math.ceil(computed.length / chunkSize));
  // Sinks (L += ..., g[k] += ...) run in the loop body itself; with several
  // chunks that is after the last chunk call, reading the scratch array.
  const sinkChunk = chunks === 1 ? 0 : chunks;
  const slot = new Map<number, number>();
  const needSlot = (n: Node, readerChunk: number): void => {
    const c = chunkOf.get(n.id);
    if (c !== undefined && c !== readerChunk && !slot.has(n.id)) slot.set(n.id, slot.size);
  };
  for (const n of computed) for (const k of children(n)) needSlot(k, chunkOf.get(n.id)!);
  for (const s of sinks) needSlot(s.node, sinkChunk);

  const usedFns = new Set<string>();
  const ref = (n: Node, readerChunk: number): string => {
    if (n.kind === 'const' || n.kind === 'sym') return leaf(n);
    return chunkOf.get(n.id) === readerChunk ? `v${n.id}` : `t[${slot.get(n.id)}]`;
  };
  const expr = (n: Node, c: number): string => {
    const a = (i: number): string => ref(children(n)[i]!, c);
    switch (n.kind) {
      case 'const':
      case 'sym': return leaf(n);
      case 'add': return `${a(0)} + ${a(1)}`;
      case 'sub': return `${a(0)} - ${a(1)}`;
      case 'mul': return `${a(0)} * ${a(1)}`;
      case 'div': return `${a(0)} / ${a(1)}`;
      case 'neg': return `-${a(0)}`;
      case 'pow': {
        const e = n.args[1];
        if (e.kind === 'const') {
          if (e.value === 2) return `${a(0)} * ${a(0)}`;
          if (e.value === 3) return `${a(0)} * ${a(0)} * ${a(0)}`;
          if (e.value === -1) return `1 / ${a(0)}`;
          if (e.value === 0.5) return 'Math.sqrt(' + a(0) + ')';
        }
        return `${a(0)} ** ${a(1)}`;
      }
      case 'call': {
        if (!functionTable.has(n.fn) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n.fn)) throw new DownhillError(`unknown function "${n.fn}"`);
        usedFns.add(n.fn);
        return `f_${n.fn}(${n.args.map((_, i) => a(i)).join(', ')})`;
      }
    }
  };

  const bodies: string[][] = Array.from({ length: chunks }, () => []);
  for (const n of computed) {
    const c = chunkOf.get(n.id)!;
    bodies[c]!.push(`const v${n.id} = ${expr(n, c)};`);
    if (slot.has(n.id)) bodies[c]!.push(`t[${slot.get(n.id)}] = v${n.id};`);
  }
  const sinkLines = sinks.map((s) => s.write(ref(s.node, sinkChunk)));

  const fnDecls = [...usedFns].sort().map((f) => `const f_${f} = F.${f};`).join('\n');
  if (chunks === 1) return { body: [...bodies[0]!, ...sinkLines].join('\n'), functions: [fnDecls] };
  const defs = bodies.map((b, i) => `function chunk${i}(p, x, o, t) {\n${b.join('\n')}\n}`);
  return {
    body: [...bodies.map((_, i) => `chunk${i}(p, x, o, t);`), ...sinkLines].join('\n'),
    functions: [fnDecls, ...defs, `const t = new Float64Array(${Math.max(1, slot.size)});`],
  };
}

/**
 * Throws unless every identifier in the source is a generated name, a
 * keyword we emit, or a function from the table. Guards the claim that no
 * user text reaches generated code.
 */
export function assertSafeSource(source: string): void {
  const allowedWords = new Set([
    'const', 'let', 'for', 'function', 'return', 'new', 'Float64Array', 'Math', 'sqrt', 'if', 'fill',
    'lossAndGradient', 'loss', 'length', 'p', 'g', 'x', 'o', 'n', 'N', 'L', 'F', 'k', 't',
  ]);
  const fnNames = new Set([...functionTable.keys()].map((f) => `f_${f}`));
  for (const word of source.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []) {
    if (allowedWords.has(word) || fnNames.has(word) || /^v\d+$|^chunk\d+$/.test(word)) continue;
    if (/^e\d*$/.test(word)) continue; // exponent of a numeric literal, e.g. 1e-7
    if (functionTable.has(word)) continue; // F.sigmoid
    throw new DownhillError(`generated source contains an unexpected identifier "${word}"`);
  }
  for (const bad of ['"', '`', "'", '\\', '$']) {
    if (source.includes(bad)) throw new DownhillError(`generated source contains an unexpected character ${bad}`);
  }
}

function numericTable(): Record<string, Fn> {
  const F: Record<string, Fn> = Object.create(null) as Record<string, Fn>;
  for (const [name, rule] of functionTable) F[name] = rule.numeric;
  return F;
}

/**
 * Builds the gradient of a per-sample loss by reverse mode and compiles the
 * loss alone and the loss with its gradient.
 */
export function compileGradient(loss: Node, options: CompileOptions): CompiledGradient {
  const params = [...options.params];
  const data = [...(options.data ?? [])];
  const reduce = options.reduce ?? 'mean';
  const chunkSize = options.chunkSize ?? 1000;
  const D = data.length;

  const paramIndex = new Map(params.map((s, i) => [s, i]));
  const dataIndex = new Map(data.map((s, i) => [s, i]));
  for (const s of data) if (paramIndex.has(s)) throw new DownhillError(`symbol "${s}" is both a parameter and data`);
  const leaf = (n: Node): string => {
    if (n.kind === 'const') return literal(n.value);
    if (n.kind !== 'sym') throw new Error('leaf() on an inner node');
    const k = paramIndex.get(n.name);
    if (k !== undefined) return `p[${k}]`;
    const j = dataIndex.get(n.name);
    if (j !== undefined) return `x[o + ${j}]`;
    throw new DownhillError(`symbol "${n.name}" has no value: it is neither a parameter nor data`);
  };
  for (const n of topoOrder([loss])) if (n.kind === 'sym') leaf(n);

  const { partials } = gradient(loss, params);
  const forwardOrder = topoOrder([loss]);
  const gradientOrder = topoOrder([loss, ...partials]);

  const finish = (inner: Emitted, withGradient: boolean): string => {
    const scale = reduce === 'mean' ? 'L = L / N;' + (withGradient ? '\nfor (let k = 0; k < g.length; k++) g[k] = g[k] / N;' : '') : '';
    return [
      ...inner.functions,
      `return function ${withGradient ? 'lossAndGradient(p, g, x, N)' : 'loss(p, x, N)'} {`,
      withGradient ? 'g.fill(0);' : '',
      'let L = 0;',
      `for (let n = 0; n < N; n++) {`,
      `const o = n * ${D};`,
      inner.body,
      '}',
      scale,
      'return L;',
      '};',
    ].join('\n');
  };

  const lossSource = finish(emit(forwardOrder, leaf, [{ node: loss, write: (v) => `L += ${v};` }], chunkSize), false);
  const gradSinks = [
    { node: loss, write: (v: string) => `L += ${v};` },
    ...partials.flatMap((d, k) => (d.kind === 'const' && d.value === 0 ? [] : [{ node: d, write: (v: string) => `g[${k}] += ${v};` }])),
  ];
  const gradSource = finish(emit(gradientOrder, leaf, gradSinks, chunkSize), true);
  // The check is cheap next to building; it keeps the safety claim honest.
  assertSafeSource(lossSource);
  assertSafeSource(gradSource);

  const F = numericTable();
  const lossFn = new Function('F', lossSource)(F) as (p: Float64Array, x: Float64Array, N: number) => number;
  const gradFn = new Function('F', gradSource)(F) as (p: Float64Array, g: Float64Array, x: Float64Array, N: number) => number;

  const checkArgs = (p: Float64Array, batch: Float64Array, N: number): void => {
    if (p.length !== params.length) throw new DownhillError(`expected ${params.length} parameters, got ${p.length}`);
    if (!Number.isInteger(N) || N < 1) throw new DownhillError(`batch size must be a positive integer, got ${N}`);
    if (batch.length < N * D) throw new DownhillError(`batch has ${batch.length} numbers, expected ${N} rows of ${D}`);
  };
  return {
    params, data, reduce, partials,
    forwardNodes: forwardOrder.length,
    gradientNodes: gradientOrder.length,
    source: { loss: lossSource, gradient: gradSource },
    loss(p, batch = EMPTY, N = D === 0 ? 1 : Math.floor(batch.length / D)) {
      checkArgs(p, batch, N);
      return lossFn(p, batch, N);
    },
    lossAndGradient(p, g, batch = EMPTY, N = D === 0 ? 1 : Math.floor(batch.length / D)) {
      checkArgs(p, batch, N);
      if (g.length !== params.length) throw new DownhillError(`gradient array has length ${g.length}, expected ${params.length}`);
      return gradFn(p, g, batch, N);
    },
  };
}

/** Packs rows of data into one batch array, row after row. */
export function packBatch(rows: readonly ArrayLike<number>[]): Float64Array {
  const D = rows[0]?.length ?? 0;
  const out = new Float64Array(rows.length * D);
  rows.forEach((r, n) => {
    if (r.length !== D) throw new DownhillError(`batch row ${n} has ${r.length} numbers, expected ${D}`);
    for (let j = 0; j < D; j++) out[n * D + j] = r[j]!;
  });
  return out;
}
