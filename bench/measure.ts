/**
 * The benchmark of one reference model, run as its own process (a fresh
 * V8 per model, so that build time is a cold start and peak memory is the
 * model's own):
 *
 *   node --allow-natives-syntax --expose-gc --import tsx bench/measure.ts deep1249
 *   // prints one JSON line: {"id":"deep1249","P":1249,"build_ms":..,"loss_us":..,"grad_us":..,...}
 *
 * What is timed:
 * - build: the graph of the network and its loss (networkLoss), then
 *   compileGradient (reverse mode, code generation, new Function);
 * - warm-up: calls of all four timed functions, in turn, until V8 reports
 *   every generated function (entry points and chunks) and both
 *   hand-written functions optimised by TurboFan (`%GetOptimizationStatus`,
 *   under --allow-natives-syntax; without it, a fixed 5 s), or until they
 *   settle (see below); the time to the last change is reported as warm_ms;
 * - then rounds: in each round every function runs for a window of ≥ 20 ms
 *   (the per-call time is the window over its call count), the order of the
 *   four rotating from round to round so that machine drift hits all alike;
 *   the figure is the median over the rounds.
 */
import { networkLoss, referenceBatch } from '../src/nn/network-loss.ts';
import { referenceModel } from '../src/nn/reference.ts';
import { compileGradient, generatedFunctions, type GradientFunction } from '../src/compile/compile.ts';
import { fourthOrderDifference } from '../src/diff/finite-difference.ts';
import { matrixNetwork } from '../src/matrix/network.ts';
import { compileMatrixGradient } from '../src/matrix/compile.ts';
import type { Engine } from '../src/matrix/path.ts';
import { handwrittenGrad, handwrittenLoss } from './handwritten.ts';
import { isScaleId, scaleModel, type BenchModel } from './scale.ts';
import { isMain, maxRelativeDifference, median } from './stats.ts';

export interface ModelResult {
  readonly id: string;
  /** The engine measured: scalar for the six reference models, matrix for the scale models. */
  readonly engine: Engine;
  readonly P: number;
  readonly N: number;
  /** networkLoss + compileGradient, cold, in ms; and its two parts. */
  readonly build_ms: number;
  readonly build_graph_ms: number;
  readonly build_compile_ms: number;
  /** Generated chunk functions (loss + gradient). */
  readonly chunks: number;
  /** Time from the first call until every timed function was optimised, in ms (null: not observable). */
  readonly warm_ms: number | null;
  /** Whether every generated function had optimised code after the timing rounds (false: some run only inlined, or deoptimised). */
  readonly optimized: boolean | null;
  readonly loss_us: number;
  readonly grad_us: number;
  readonly ratio: number;
  readonly hand_loss_us: number;
  readonly hand_grad_us: number;
  /** grad_us / hand_grad_us. */
  readonly vs_hand: number;
  readonly forward_nodes: number;
  readonly gradient_nodes: number;
  /** Loss at the initial weights equals the spec's value bit for bit. */
  readonly loss_exact: boolean;
  /** Largest relative difference from fourth-order central differences (maxRelativeDifference), over `fd_checked` parameters. */
  readonly fd_max_rel: number;
  /** Parameters checked against finite differences: all of them, or every k-th past 2,000. */
  readonly fd_checked: number;
  /** Largest relative difference from the hand-written backpropagation. */
  readonly hand_max_rel: number;
  /** Used V8 heap after a full GC, after the build minus before it: what the compiled model keeps, in MB. */
  readonly retained_heap_mb: number | null;
  /** Peak resident memory of this process (Node itself included), in MB. */
  readonly peak_rss_mb: number;
  readonly rounds: number;
}

type Status = (f: unknown) => number;

/** `%GetOptimizationStatus`, when node runs with --allow-natives-syntax. */
function optimizationStatus(): Status | null {
  try {
    return new Function('f', 'return %GetOptimizationStatus(f)') as Status;
  } catch {
    return null;
  }
}

/** Bit 4 of V8's OptimizationStatus: the function has optimised code. */
const OPTIMIZED = 1 << 4;
/** Bits 8–10: marked for optimisation, marked for concurrent optimisation, being optimised. */
const QUEUED = (1 << 8) | (1 << 9) | (1 << 10);

function gc(): boolean {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return false;
  collect();
  return true;
}

/** Calls `fn` for at least `ms` milliseconds; the mean time per call in µs. */
function window(fn: () => unknown, ms: number): number {
  const start = performance.now();
  let calls = 0, now = start;
  do {
    fn();
    calls++;
    now = performance.now();
  } while (now - start < ms);
  return ((now - start) / calls) * 1000;
}

/** Fourth-order central difference of f along coordinate k. */
function centralDifference4(f: (p: Float64Array) => number, x: Float64Array, k: number, h = 1e-3): number {
  const p = Float64Array.from(x);
  return fourthOrderDifference((d) => { p[k] = x[k]! + d; return f(p); }, h);
}

/** Measures one reference model; see the file comment for the method. */
export function measureModel(id: string, options: { rounds?: number; windowMs?: number; warmLimitMs?: number } = {}): ModelResult {
  const rounds = options.rounds ?? 25;
  const windowMs = options.windowMs ?? 20;
  const warmLimitMs = options.warmLimitMs ?? 60_000;
  const scale = isScaleId(id);
  const m: BenchModel = scale ? scaleModel(id) : referenceModel(id);
  const X = referenceBatch(m);
  const canGc = gc();
  const heapBefore = process.memoryUsage().heapUsed;

  // scalar: networkLoss + compileGradient; matrix: matrixNetwork + compileMatrixGradient
  const t0 = performance.now();
  const built = scale ? matrixNetwork(m.layers, m.loss) : networkLoss(m.layers, m.loss, 'indexed');
  const t1 = performance.now();
  const f: GradientFunction & { forwardNodes: number; gradientNodes: number } = 'lossKind' in built
    ? compileMatrixGradient(built)
    : compileGradient(built.loss, { params: built.params, data: built.data, reduce: built.reduce });
  const t2 = performance.now();
  gc();
  const retained = canGc ? (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 : null;
  const generated = 'partials' in f ? generatedFunctions(f as Parameters<typeof generatedFunctions>[0]) : null;

  const g = new Float64Array(m.P), gh = new Float64Array(m.P);
  const hGrad = handwrittenGrad(m), hLoss = handwrittenLoss(m);
  const timed: [string, () => unknown][] = [
    ['grad', () => f.lossAndGradient(m.p, g, X)],
    ['loss', () => f.loss(m.p, X)],
    ['hand_grad', () => hGrad(m.p, gh)],
    ['hand_loss', () => hLoss(m.p)],
  ];

  // Agreement (before timing: these calls also start the warm-up).
  const loss = f.lossAndGradient(m.p, g, X);
  hGrad(m.p, gh);
  // every parameter up to 2,000, else every k-th (about 300 of them)
  const stride = m.P > 2000 ? Math.ceil(m.P / 300) : 1;
  const checked = Array.from({ length: Math.ceil(m.P / stride) }, (_, i) => i * stride);
  const fd = Float64Array.from(checked, (k) => centralDifference4((q) => f.loss(q, X), m.p, k));

  // Warm-up until optimised: every watched function has optimised code, or
  // (a small one may only ever run inlined into its optimised caller)
  // nothing is queued for optimisation and no status has changed for a second.
  const status = optimizationStatus();
  const watched = [...(generated ?? []), hGrad, hLoss];
  let signature = '', lastChange = performance.now();
  const settled = (): boolean => {
    if (status === null) return false;
    const s = watched.map(status);
    const now = performance.now();
    const sig = s.join(',');
    if (sig !== signature) { signature = sig; lastChange = now; }
    if (s.every((v) => (v & OPTIMIZED) !== 0)) return true;
    const queued = s.some((v) => (v & QUEUED) !== 0);
    return !queued && now - lastChange > 1000;
  };
  const w0 = performance.now();
  const limit = status === null ? 5000 : warmLimitMs;
  let done = settled();
  while (!done && performance.now() - w0 < limit) {
    for (const [, fn] of timed) window(fn, 5);
    done = settled();
  }
  const warm = done ? lastChange - w0 : null;
  for (let i = 0; i < 3; i++) for (const [, fn] of timed) window(fn, windowMs);

  const samples = new Map<string, number[]>(timed.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < timed.length; i++) {
      const [name, fn] = timed[(i + r) % timed.length]!;
      samples.get(name)!.push(window(fn, windowMs));
    }
  }
  const t = (name: string): number => median(samples.get(name)!);
  const grad = t('grad'), lossT = t('loss'), handGrad = t('hand_grad');
  return {
    id, engine: scale ? 'matrix' : 'scalar', P: m.P, N: m.N,
    build_ms: t2 - t0, build_graph_ms: t1 - t0, build_compile_ms: t2 - t1,
    chunks: generated?.filter((fn) => fn.name.startsWith('chunk')).length ?? 0,
    warm_ms: warm,
    optimized: status === null || generated === null ? null : generated.every((fn) => (status(fn) & OPTIMIZED) !== 0),
    loss_us: lossT, grad_us: grad, ratio: grad / lossT,
    hand_loss_us: t('hand_loss'), hand_grad_us: handGrad, vs_hand: grad / handGrad,
    forward_nodes: f.forwardNodes, gradient_nodes: f.gradientNodes,
    loss_exact: loss === m.initialLoss,
    fd_max_rel: maxRelativeDifference(Float64Array.from(checked, (k) => g[k]!), fd),
    fd_checked: checked.length,
    hand_max_rel: maxRelativeDifference(g, gh),
    retained_heap_mb: retained,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    rounds,
  };
}

if (isMain(import.meta.url)) {
  const id = process.argv[2] ?? '';
  process.stdout.write(`${JSON.stringify(measureModel(id))}\n`);
}
