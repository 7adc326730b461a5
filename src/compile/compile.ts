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
 * Code shape (measured by `npm run bench`, explained in docs/architecture.md,
 * "Compiled gradients"): the straight-line per-sample code is cut, in
 * topological order, into chunks of at most `chunkSize` statements. Each
 * chunk is one function that loops over a block of up to 32 samples
 * (chunk-major), so its machine code stays hot in the instruction cache and
 * V8 optimises it quickly (it will not optimise a function of more than
 * about 60 KB of bytecode at all, and its optimising time grows faster than
 * linearly with function size). Inside a chunk, parameters are read into
 * locals once per call, data once per sample, the gradient accumulates in
 * locals (stored back once per call, so the sum over samples keeps its
 * order), and a sink of −v subtracts v. Values crossing chunks go through
 * a scratch array holding one block, sample by sample.
 */
import { DownhillError } from '../errors.ts';
import { functionTable } from '../expr/functions.ts';
import { gradient } from '../diff/gradient.ts';
import { kidsOf, topoOrder, type Node } from '../expr/node.ts';

export interface CompileOptions {
  /** Parameters, in the order of the vector `p`. */
  readonly params: readonly string[];
  /** Per-sample data symbols, in the order of a batch row. */
  readonly data?: readonly string[];
  /** How per-sample losses combine over a batch; default 'mean'. */
  readonly reduce?: 'mean' | 'sum';
  /** Most statements in one generated function (see the note above); default 300. */
  readonly chunkSize?: number;
}

/** A batch loss and its gradient over a flat parameter vector: what train() needs. */
export interface GradientFunction {
  readonly params: readonly string[];
  readonly data: readonly string[];
  readonly reduce: 'mean' | 'sum';
  /** The batch loss. `batch` holds N rows of `data.length` numbers. */
  loss(p: Float64Array, batch?: Float64Array, N?: number): number;
  /** The batch loss; fills `g` with its gradient. */
  lossAndGradient(p: Float64Array, g: Float64Array, batch?: Float64Array, N?: number): number;
}

export interface CompiledGradient extends GradientFunction {
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
export function literal(v: number): string {
  if (Number.isNaN(v)) return '(0/0)';
  if (v === Infinity) return '(1/0)';
  if (v === -Infinity) return '(-1/0)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${v})` : String(v);
}

/** How generated code reads a leaf: a literal, p[index] or x[o + index]. */
type LeafRef =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly index: number }
  | { readonly kind: 'data'; readonly index: number };
type Leaf = (n: Node) => LeafRef;

/** Samples per block: chunk functions loop over a block; the scratch array holds one block. */
const BLOCK = 32;

/** Statements per chunk function: V8 optimises it within a few hundred ms, the scratch traffic stays small. */
const DEFAULT_CHUNK_SIZE = 300;

/** The right-hand side computing an inner node from its children's references. */
export function expression(n: Node, ref: (child: Node) => string, usedFns: Set<string>): string {
  const a = (i: number): string => ref(kidsOf(n)[i]!);
  switch (n.kind) {
    case 'const':
    case 'sym': return ref(n);
    case 'add': return `${a(0)} + ${a(1)}`;
    case 'sub': return `${a(0)} - ${a(1)}`;
    case 'mul': return `${a(0)} * ${a(1)}`;
    case 'div': return `${a(0)} / ${a(1)}`;
    case 'neg': return `-${a(0)}`;
    case 'pow': {
      const e = n.args[1];
      // x*x is exactly x ** 2; other exponents stay ** so that compiled code
      // and the interpreter agree to the last bit (x*x*x and Math.sqrt do not).
      if (e.kind === 'const' && e.value === 2) return `${a(0)} * ${a(0)}`;
      return `${a(0)} ** ${a(1)}`;
    }
    case 'call': {
      if (!functionTable.has(n.fn) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n.fn)) throw new DownhillError(`unknown function "${n.fn}"`);
      usedFns.add(n.fn);
      return `f_${n.fn}(${n.args.map((_, i) => a(i)).join(', ')})`;
    }
  }
}

interface Sink {
  readonly node: Node;
  /** Where the value goes: the batch loss, or g[k]. */
  readonly target: 'loss' | number;
}

interface Emitted {
  /** Declarations before the entry function: function aliases, scratch, chunk functions. */
  readonly prelude: string;
  /** Statements of the entry function's block loop (between n0, n1 and L). */
  readonly calls: string;
  /** How many chunk functions the prelude defines. */
  readonly chunks: number;
}

/**
 * Chunk-major code for the sinks (the loss, and g[k] for the gradient): the
 * statements computing the nodes they need, in topological order, are cut
 * into chunks of at most `chunkSize`; each chunk is one function looping
 * over a block of samples, and the entry function calls the chunks in order
 * for each block. Values crossing chunks go through a scratch array laid
 * out sample by sample (t[s + slot], s = (n − n0)·S).
 */
function emit(sinksIn: readonly Sink[], leaf: Leaf, D: number, chunkSize: number, withGradient: boolean): Emitted {
  // A sink of −v subtracts v: g[k] − v is exactly g[k] + (−v), one operation fewer.
  const sinks = sinksIn.map((s) => (s.node.kind === 'neg' ? { node: s.node.args[0], target: s.target, sign: -1 } : { node: s.node, target: s.target, sign: 1 }));
  const computed = topoOrder(sinks.map((s) => s.node)).filter((n) => n.kind !== 'const' && n.kind !== 'sym');
  const chunks = Math.max(1, Math.ceil(computed.length / chunkSize));
  const chunkOf = new Map<number, number>();
  computed.forEach((n, i) => chunkOf.set(n.id, Math.floor(i / chunkSize)));
  // Slots: nodes read by a later chunk.
  const slot = new Map<number, number>();
  for (const n of computed) {
    const c = chunkOf.get(n.id)!;
    for (const k of kidsOf(n)) {
      const kc = chunkOf.get(k.id);
      if (kc !== undefined && kc !== c && !slot.has(k.id)) slot.set(k.id, slot.size);
    }
  }
  const S = Math.max(1, slot.size);
  const args = withGradient ? 'p, g, x, t, n0, n1, L' : 'p, x, t, n0, n1, L';
  const usedFns = new Set<string>();
  const defs: string[] = [];
  for (let c = 0; c < chunks; c++) {
    const members = computed.slice(c * chunkSize, (c + 1) * chunkSize);
    const hoisted = new Map<number, string>(); // parameter index -> local
    const loaded = new Set<number>();          // foreign node ids loaded this iteration
    const dataLoaded = new Set<number>();
    const body: string[] = [];
    const ref = (n: Node): string => {
      if (n.kind === 'const' || n.kind === 'sym') {
        const l = leaf(n);
        if (l.kind === 'literal') return l.text;
        if (l.kind === 'param') {
          if (!hoisted.has(l.index)) hoisted.set(l.index, `p${l.index}`);
          return `p${l.index}`;
        }
        if (!dataLoaded.has(l.index)) { dataLoaded.add(l.index); body.push(`const x${l.index} = x[o + ${l.index}];`); }
        return `x${l.index}`;
      }
      const nc = chunkOf.get(n.id)!;
      if (nc !== c && !loaded.has(n.id)) { loaded.add(n.id); body.push(`const v${n.id} = t[s + ${slot.get(n.id)}];`); }
      return `v${n.id}`;
    };
    for (const n of members) {
      const rhs = expression(n, ref, usedFns); // may first push loads of x and t
      body.push(`const v${n.id} = ${rhs};`);
      const sl = slot.get(n.id);
      if (sl !== undefined) body.push(`t[s + ${sl}] = v${n.id};`);
    }
    // Sinks: in the chunk computing their node; leaves and constants in the last chunk.
    const acc: string[] = [];
    const ret: string[] = [];
    for (const s of sinks) {
      const home = chunkOf.get(s.node.id) ?? chunks - 1;
      if (home !== c) continue;
      const v = ref(s.node);
      const op = s.sign < 0 ? '-=' : '+=';
      if (s.target === 'loss') body.push(`L ${op} ${v};`);
      else { acc.push(`let a${s.target} = g[${s.target}];`); body.push(`a${s.target} ${op} ${v};`); ret.push(`g[${s.target}] = a${s.target};`); }
    }
    const pre = [...hoisted].map(([k, name]) => `const ${name} = p[${k}];`);
    defs.push([
      `function chunk${c}(${args}) {`,
      ...pre, ...acc,
      'for (let n = n0; n < n1; n++) {',
      `const o = n * ${D};`,
      `const s = (n - n0) * ${S};`,
      ...body,
      '}',
      ...ret,
      'return L;',
      '}',
    ].join('\n'));
  }
  const fnDecls = [...usedFns].sort().map((f) => `const f_${f} = F.${f};`);
  return {
    prelude: [...fnDecls, `const t = new Float64Array(${BLOCK * S});`, ...defs].join('\n'),
    calls: Array.from({ length: chunks }, (_, c) => `L = chunk${c}(${args});`).join('\n'),
    chunks,
  };
}

/**
 * Throws unless every identifier in the source is a generated name, a
 * keyword we emit, or a function from the table. Guards the claim that no
 * user text reaches generated code.
 */
export function assertSafeSource(source: string): void {
  const allowedWords = new Set([
    'const', 'let', 'for', 'function', 'return', 'new', 'Float64Array', 'if', 'fill',
    'lossAndGradient', 'loss', 'length', 'p', 'g', 'x', 'o', 'n', 'n0', 'n1', 's', 'N', 'L', 'F', 'k', 't',
  ]);
  const fnNames = new Set([...functionTable.keys()].map((f) => `f_${f}`));
  for (const word of source.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []) {
    if (allowedWords.has(word) || fnNames.has(word) || /^[vpxa]\d+$|^chunk\d+$/.test(word)) continue;
    if (/^e\d*$/.test(word)) continue; // exponent of a numeric literal, e.g. 1e-7
    if (functionTable.has(word)) continue; // F.sigmoid
    throw new DownhillError(`generated source contains an unexpected identifier "${word}"`);
  }
  for (const bad of ['"', '`', "'", '\\', '$']) {
    if (source.includes(bad)) throw new DownhillError(`generated source contains an unexpected character ${bad}`);
  }
}

/** The numeric functions of the table by name, for generated code's F. */
export function numericTable(): Record<string, Fn> {
  const F: Record<string, Fn> = Object.create(null) as Record<string, Fn>;
  for (const [name, rule] of functionTable) F[name] = rule.numeric;
  return F;
}

/**
 * Builds the gradient of a per-sample loss by reverse mode and compiles the
 * loss alone and the loss with its gradient.
 */
export function compileGradient(loss: Node, options: CompileOptions): CompiledGradient {
  checkCompileOptions(loss, options);
  const params = [...options.params];
  const data = [...(options.data ?? [])];
  const reduce = options.reduce ?? 'mean';
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const D = data.length;

  const paramIndex = new Map(params.map((s, i) => [s, i]));
  const dataIndex = new Map(data.map((s, i) => [s, i]));
  for (const s of data) if (paramIndex.has(s)) throw new DownhillError(`symbol "${s}" is both a parameter and data`);
  const leaf = (n: Node): LeafRef => {
    if (n.kind === 'const') return { kind: 'literal', text: literal(n.value) };
    if (n.kind !== 'sym') throw new Error('leaf() on an inner node');
    const k = paramIndex.get(n.name);
    if (k !== undefined) return { kind: 'param', index: k };
    const j = dataIndex.get(n.name);
    if (j !== undefined) return { kind: 'data', index: j };
    throw new DownhillError(`symbol "${n.name}" has no value: it is neither a parameter nor data`);
  };
  const forwardOrder = topoOrder([loss]);
  for (const n of forwardOrder) if (n.kind === 'sym') leaf(n);

  const { partials } = gradient(loss, params);
  const gradientOrder = topoOrder([loss, ...partials]);

  const finish = (inner: Emitted, withGradient: boolean): string => {
    const scale = reduce === 'mean' ? 'L = L / N;' + (withGradient ? '\nfor (let k = 0; k < g.length; k++) g[k] = g[k] / N;' : '') : '';
    return [
      inner.prelude,
      `return [function ${withGradient ? 'lossAndGradient(p, g, x, N)' : 'loss(p, x, N)'} {`,
      withGradient ? 'g.fill(0);' : '',
      'let L = 0;',
      `for (let n0 = 0; n0 < N; n0 += ${BLOCK}) {`,
      `const n1 = n0 + ${BLOCK} < N ? n0 + ${BLOCK} : N;`,
      inner.calls,
      '}',
      scale,
      'return L;',
      `}${Array.from({ length: inner.chunks }, (_, c) => `, chunk${c}`).join('')}];`,
    ].join('\n');
  };

  const lossSource = finish(emit([{ node: loss, target: 'loss' }], leaf, D, chunkSize, false), false);
  const gradSinks: Sink[] = [
    { node: loss, target: 'loss' },
    ...partials.flatMap((d, k) => (d.kind === 'const' && d.value === 0 ? [] : [{ node: d, target: k }])),
  ];
  const gradSource = finish(emit(gradSinks, leaf, D, chunkSize, true), true);
  // The check is cheap next to building; it keeps the safety claim honest.
  assertSafeSource(lossSource);
  assertSafeSource(gradSource);

  const F = numericTable();
  const lossParts = new Function('F', lossSource)(F) as [(p: Float64Array, x: Float64Array, N: number) => number, ...GeneratedFunction[]];
  const gradParts = new Function('F', gradSource)(F) as [(p: Float64Array, g: Float64Array, x: Float64Array, N: number) => number, ...GeneratedFunction[]];
  const [lossFn] = lossParts;
  const [gradFn] = gradParts;

  const compiled: CompiledGradient = {
    params, data, reduce, partials,
    forwardNodes: forwardOrder.length,
    gradientNodes: gradientOrder.length,
    source: { loss: lossSource, gradient: gradSource },
    ...checkedCalls(params, data, lossFn, gradFn),
  };
  generated.set(compiled, [...lossParts, ...gradParts]);
  return compiled;
}

/**
 * The public boundary of a compiled gradient, shared by both engines: every
 * argument is checked (a DownhillError naming it) before generated code runs.
 * `lossFn(p, batch, N)` and `gradFn(p, g, batch, N)` are the generated functions.
 */
export function checkedCalls(
  params: readonly string[], data: readonly string[],
  lossFn: (p: Float64Array, batch: Float64Array, N: number) => number,
  gradFn: (p: Float64Array, g: Float64Array, batch: Float64Array, N: number) => number,
): Pick<GradientFunction, 'loss' | 'lossAndGradient'> {
  const D = data.length;
  const checkArgs = (fn: string, p: Float64Array, batch: Float64Array, N: number): void => {
    checkNumbers(p, fn, 'p', params.length, 'parameters');
    checkNumbers(batch, fn, 'batch');
    if (D > 0 && batch.length % D !== 0) throw new DownhillError(`${fn}: batch has ${batch.length} numbers, not whole rows of ${D} (${data.join(', ')})`);
    if (!Number.isSafeInteger(N) || N < 1) throw new DownhillError(`${fn}: the sample count N must be a whole number ≥ 1, got ${describe(N)}`);
    if (D === 0 && N !== 1) throw new DownhillError(`${fn}: the loss reads no data, so the sample count N must be 1, got ${N}`);
    if (D > 0 && batch.length !== N * D) {
      throw new DownhillError(`${fn}: batch has ${batch.length} numbers, expected ${N} rows of ${D} (${N * D} numbers)`);
    }
  };
  // The last three arrays found not to share memory: a typed array's memory never moves, so a
  // training loop that passes the same arrays every step pays for the comparison once.
  let checkedG: unknown, checkedP: unknown, checkedBatch: unknown;
  return {
    loss(p, batch = EMPTY, N = defaultCount(batch, D)) {
      checkArgs('loss', p, batch, N);
      return lossFn(p, batch, N);
    },
    lossAndGradient(p, g, batch = EMPTY, N = defaultCount(batch, D)) {
      checkArgs('lossAndGradient', p, batch, N);
      if (!(g instanceof Float64Array)) throw new DownhillError(`lossAndGradient: g must be a Float64Array to fill, got ${describe(g)}`);
      if (g.length !== params.length) throw new DownhillError(`lossAndGradient: gradient array has length ${g.length}, expected ${params.length}`);
      if (g !== checkedG || p !== checkedP || batch !== checkedBatch) {
        if (overlaps(g, p)) throw new DownhillError('lossAndGradient: g shares memory with the parameters p: give a separate array for the gradient');
        if (overlaps(g, batch)) throw new DownhillError('lossAndGradient: g shares memory with the batch: give a separate array for the gradient');
        checkedG = g; checkedP = p; checkedBatch = batch;
      }
      return gradFn(p, g, batch, N);
    },
  };
}

/** Rows in a batch when N is not given: its length over D, or 1 for a loss that reads no data. */
function defaultCount(batch: ArrayLike<number>, D: number): number {
  return D === 0 ? 1 : (batch?.length ?? NaN) / D;
}

/** A value for an error message: short, whatever its type (BigInts, objects, strings). */
function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined || v === null) return `${String(v)}${typeof v === 'bigint' ? 'n' : ''}`;
  if (typeof v === 'string') return `the text "${v.length > 20 ? `${v.slice(0, 17)}...` : v}"`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return `a ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}

/** Throws unless `a` is an array (or typed array) of numbers, of `length` if given. */
function checkNumbers(a: unknown, fn: string, name: string, length?: number, unit = 'numbers'): void {
  // Messages are built only on failure: this runs on every call of a compiled function.
  if (!(a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a))) {
    throw new DownhillError(`${fn}: ${name} must be a Float64Array (or an array of numbers), got ${describe(a)}`);
  }
  if (length !== undefined && a.length !== length) throw new DownhillError(`${fn}: ${name}: expected ${length} ${unit}, got ${a.length}`);
  if (Array.isArray(a)) {
    const k = a.findIndex((x) => typeof x !== 'number');
    if (k >= 0) throw new DownhillError(`${fn}: ${name}[${k}] is ${describe(a[k])}, not a number`);
  }
}

/** Whether two arrays share memory (typed arrays over overlapping parts of one buffer, or the same array). */
function overlaps(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if ((a as unknown) === b) return true;
  if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

const NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const OPTION_KEYS = new Set(['params', 'data', 'reduce', 'chunkSize']);

/** Checks compileGradient's arguments, naming the one that is wrong. */
function checkCompileOptions(loss: Node, options: CompileOptions): void {
  if (loss === null || typeof loss !== 'object' || typeof (loss as { kind?: unknown }).kind !== 'string') {
    throw new DownhillError(`compileGradient: loss must be an expression graph (parseExpression makes one), got ${describe(loss)}`);
  }
  if (options === null || typeof options !== 'object') throw new DownhillError(`compileGradient: options must be an object { params, data, reduce, chunkSize }, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new DownhillError(`compileGradient: unknown option "${key}" (known: ${[...OPTION_KEYS].join(', ')})`);
  }
  const names = (list: unknown, what: string): void => {
    if (!Array.isArray(list)) throw new DownhillError(`compileGradient: ${what} must be an array of symbol names, got ${describe(list)}`);
    const seen = new Set<string>();
    list.forEach((name: unknown, k) => {
      if (typeof name !== 'string' || !NAME.test(name)) throw new DownhillError(`compileGradient: ${what}[${k}] is ${describe(name)}, not a symbol name`);
      if (seen.has(name)) throw new DownhillError(`compileGradient: ${what} lists "${name}" twice`);
      seen.add(name);
    });
  };
  names(options.params, 'params');
  if (options.data !== undefined) names(options.data, 'data');
  if (options.reduce !== undefined && options.reduce !== 'mean' && options.reduce !== 'sum') {
    throw new DownhillError(`compileGradient: reduce must be 'mean' or 'sum', got ${describe(options.reduce)}`);
  }
  const c = options.chunkSize;
  if (c !== undefined && !(typeof c === 'number' && Number.isInteger(c) && c >= 1)) {
    throw new DownhillError(`compileGradient: chunkSize must be a whole number ≥ 1, got ${describe(c)}`);
  }
}

/** A function of the generated code (an entry point or a chunk). */
export type GeneratedFunction = (...args: never[]) => unknown;
const generated = new WeakMap<CompiledGradient, readonly GeneratedFunction[]>();

/**
 * Every generated function behind a compiled gradient (entry points and
 * chunks), for tools that watch V8 optimise them, e.g. the benchmark's
 * warm-up under `--allow-natives-syntax`:
 *
 *   generatedFunctions(f).every((fn) => isOptimized(fn))
 */
export function generatedFunctions(f: CompiledGradient): readonly GeneratedFunction[] {
  return generated.get(f) ?? [];
}
