/**
 * The benchmark of a model with convolution or attention (conv11738,
 * attn4228 of benchmark-models.md), run as its own process so that the
 * build is a cold start and the peak memory is the model's own:
 *
 *   node --expose-gc --allow-natives-syntax --import tsx bench/layered.ts conv11738 /tmp/dir
 *   // prints one JSON line: {"id":"conv11738","build_ms":..,"grad_us":..,"loss_us":..,"peak_rss_mb":..,...}
 *
 * build: the matrix graph (layeredMatrixNetwork) and its compiled loss and
 * gradient (compileLayered), cold. grad and loss: after a warm-up (until V8
 * has optimised every generated function holding loops: the loss's and the
 * gradient's, or their chunks, see compile.ts; at least 2 s), rounds in which each runs for a window of ≥ 20 ms of CPU
 * time, alternating; the median over the rounds, in CPU time (as bench/torch-layered.py measures PyTorch's). It then writes p, the batch and the gradient to
 * the folder given (little-endian float64) with a job for
 * bench/torch-layered.py, which runs the same model in PyTorch.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileLayered, layeredMatrixNetwork } from '../src/matrix/layered.ts';
import { matrixGeneratedFunctions } from '../src/matrix/compile.ts';
import { layeredReferences, loadModel } from '../src/nn/load.ts';
import type { LayeredModel } from '../src/nn/layered.ts';
import { DownhillError } from '../src/errors.ts';
import { isMain, median } from './stats.ts';

export const layeredIds = Object.keys(layeredReferences);
export const isLayeredId = (id: string): boolean => layeredIds.includes(id);

export interface LayeredResult {
  readonly id: string;
  readonly description: string;
  readonly P: number;
  readonly N: number;
  readonly build_ms: number;
  readonly grad_us: number;
  readonly loss_us: number;
  readonly ratio: number;
  readonly forward_nodes: number;
  readonly gradient_nodes: number;
  /** Characters of generated code (loss + gradient): the same whatever the sizes. */
  readonly source_chars: number;
  readonly loss: number;
  /** |loss − listed| / listed. */
  readonly loss_rel_error: number;
  readonly retained_heap_mb: number | null;
  readonly peak_rss_mb: number;
  /** Time until V8 had optimised every generated function holding loops, in ms (null: not observed within 60 s, or not observable). */
  readonly warm_ms: number | null;
  /** The job file for bench/torch-layered.py. */
  readonly job: string;
}

type Status = (f: unknown) => number;
/** Bit 4 of V8's OptimizationStatus: the function has optimised code. */
const OPTIMIZED = 1 << 4;

/** `%GetOptimizationStatus`, when node runs with --allow-natives-syntax. */
function optimizationStatus(): Status | null {
  try {
    return new Function('f', 'return %GetOptimizationStatus(f)') as Status;
  } catch {
    return null;
  }
}

function gc(): boolean {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return false;
  collect();
  return true;
}

/** CPU milliseconds of this process (user + system): on a shared machine, wall time mostly measures the wait for a core. */
const cpuMs = (): number => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };

/** Calls `fn` for at least `ms` milliseconds of `clock` (CPU time unless another is given); the mean time per call in µs. */
function window(fn: () => unknown, ms: number, clock: () => number = cpuMs): number {
  const start = clock();
  let calls = 0, now = start;
  do { fn(); calls++; now = clock(); } while (now - start < ms);
  return ((now - start) / calls) * 1000;
}

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Measures one layered reference model (see the top of this file). */
export function measureLayered(id: string, folder: string, options: { rounds?: number; windowMs?: number } = {}): LayeredResult {
  const ref = layeredReferences[id];
  if (!ref) throw new DownhillError(`unknown layered model "${id}" (known: ${layeredIds.join(', ')})`);
  const m = loadModel(id) as LayeredModel;
  const canGc = gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const f = compileLayered(layeredMatrixNetwork(m.layered));
  const build = performance.now() - t0;
  gc();
  const retained = canGc ? (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 : null;
  const g = new Float64Array(m.p.length);
  const loss = f.lossAndGradient(m.p, g, m.batch, m.N);
  const timed: [string, () => unknown][] = [
    ['grad', () => f.lossAndGradient(m.p, g, m.batch, m.N)],
    ['loss', () => f.loss(m.p, m.batch, m.N)],
  ];
  // warm-up: until V8 reports every generated function optimised (under
  // --allow-natives-syntax; TurboFan compiles on a background thread, which a
  // busy machine starves), at least 2 s, at most 60 s
  const status = optimizationStatus();
  const generated = matrixGeneratedFunctions(f, m.N);
  const optimised = (): boolean => status !== null && generated.length > 0 && generated.every((fn) => (status(fn) & OPTIMIZED) !== 0);
  const w0 = performance.now();
  let warm: number | null = null;
  while (performance.now() - w0 < 60_000) {
    for (const [, fn] of timed) window(fn, 20, () => performance.now());
    if (warm === null && optimised()) warm = performance.now() - w0;
    if (performance.now() - w0 >= 2000 && (status === null || warm !== null)) break;
  }
  const samples = new Map<string, number[]>(timed.map(([name]) => [name, []]));
  const rounds = options.rounds ?? 25;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < timed.length; i++) {
      const [name, fn] = timed[(i + r) % timed.length]!;
      samples.get(name)!.push(window(fn, options.windowMs ?? 20));
    }
  }
  f.lossAndGradient(m.p, g, m.batch, m.N);
  const files = { p: join(folder, `${id}.p`), batch: join(folder, `${id}.batch`), g: join(folder, `${id}.g`) };
  writeFileSync(files.p, bytes(m.p));
  writeFileSync(files.batch, bytes(m.batch));
  writeFileSync(files.g, bytes(g));
  const job = join(folder, `${id}.json`);
  writeFileSync(job, JSON.stringify({ ...m.layered, N: m.N, ...files }));
  const grad = median(samples.get('grad')!), lossT = median(samples.get('loss')!);
  return {
    id, description: ref.text, P: m.p.length, N: m.N, build_ms: build, grad_us: grad, loss_us: lossT, ratio: grad / lossT,
    forward_nodes: f.forwardNodes, gradient_nodes: f.gradientNodes, source_chars: f.source.loss.length + f.source.gradient.length,
    loss, loss_rel_error: Math.abs(loss - ref.initialLoss) / ref.initialLoss,
    retained_heap_mb: retained, peak_rss_mb: process.resourceUsage().maxRSS / 1024, warm_ms: warm, job,
  };
}

if (isMain(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(measureLayered(process.argv[2] ?? '', process.argv[3] ?? '.'))}\n`);
}
