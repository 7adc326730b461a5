/**
 * The benchmark of a model with convolution or attention (conv11738,
 * attn4228 of benchmark-models.md) beside PyTorch, run as its own process so
 * that the build is a cold start and the peak memory is the model's own:
 *
 *   node --expose-gc --allow-natives-syntax --import tsx bench/layered.ts conv11738 /tmp/dir
 *   // prints one JSON line: {"id":"conv11738","build_ms":..,"grad_us":..,"loss_us":..,"peak_rss_mb":..,"pytorch":{..},...}
 *
 * build: the matrix graph (layeredMatrixNetwork) and its compiled loss and
 * gradient (compileLayered), cold. It then writes p, the batch and the
 * gradient to the folder given (little-endian float64) with a job for
 * bench/torch-layered.py, starts that script (Debian's python3 with torch,
 * float64, one thread) and waits until it says it is warm (its loss, its
 * gradient compared with downhill's, 20 warm-up calls of each).
 *
 * grad and loss, interleaved with PyTorch's (bench/interleave.ts): after
 * downhill's warm-up (until V8 has optimised every generated function holding
 * loops: the loss's and the gradient's, or their chunks, see compile.ts; at
 * least 2 s), 25 rounds; in each, one window of ≥ 20 ms of CPU time of
 * downhill's grad, then one of PyTorch's grad (asked over its stdin, timed
 * in its own CPU time), then the same for loss, the order rotated from round
 * to round. Each side's time is the median over the rounds; grad/PyTorch is
 * the median of the per-round ratios, each from two windows a few tens of ms
 * apart, so that a machine whose load drifts slows both sides alike. CPU
 * time, not wall time, on both sides: on a shared machine wall time mostly
 * measures the wait for a core. Without PyTorch, the rounds time downhill
 * alone. Peak RSS is this process's own (getrusage of itself, not of its
 * children): PyTorch's memory is not in it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileLayered, layeredMatrixNetwork } from '../src/matrix/layered.ts';
import { matrixGeneratedFunctions } from '../src/matrix/compile.ts';
import { layeredReferences, loadModel } from '../src/nn/load.ts';
import type { LayeredModel } from '../src/nn/layered.ts';
import { DownhillError } from '../src/errors.ts';
import { isMain, median } from './stats.ts';
import { interleave, LinePeer } from './interleave.ts';
import type { LayeredRow, TorchOutcome } from './report.ts';

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

/** Debian's python3 with torch: PyTorch runs the layered models there (the pyenv python3 on PATH has no torch). */
export const PYTHON = '/usr/bin/python3';

/** Starts bench/torch-layered.py on a job; it resolves once the script is warm. */
export const torchPeer = (job: string): Promise<LinePeer> => LinePeer.start(PYTHON, [fileURLToPath(new URL('torch-layered.py', import.meta.url)), job]);

/** Why PyTorch did not run, in a user's words. */
function notRun(e: unknown): TorchOutcome {
  const message = e instanceof Error ? e.message : String(e);
  if (/No module named 'torch'/.test(message)) return { status: 'not run', reason: `${PYTHON} has no torch (apt install python3-torch)` };
  if (/cannot run .*ENOENT/.test(message)) return { status: 'not run', reason: `no ${PYTHON}` };
  return { status: 'not run', reason: message };
}

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Measures one layered reference model beside PyTorch (see the top of this file); `peer` starts the PyTorch side (null: downhill alone). */
export async function measureLayered(
  id: string, folder: string,
  options: { rounds?: number; windowMs?: number; peer?: ((job: string) => Promise<LinePeer>) | null } = {},
): Promise<LayeredRow> {
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
  const files = { p: join(folder, `${id}.p`), batch: join(folder, `${id}.batch`), g: join(folder, `${id}.g`) };
  writeFileSync(files.p, bytes(m.p));
  writeFileSync(files.batch, bytes(m.batch));
  writeFileSync(files.g, bytes(g));
  const job = join(folder, `${id}.json`);
  writeFileSync(job, JSON.stringify({ ...m.layered, N: m.N, ...files }));
  // PyTorch warms up first, alone, so that its start (loading torch) is not in downhill's warm-up
  const startPeer = options.peer === undefined ? torchPeer : options.peer;
  let peer: LinePeer | null = null, pytorch: TorchOutcome = { status: 'not run', reason: 'not asked' };
  if (startPeer) {
    try { peer = await startPeer(job); } catch (e) { pytorch = notRun(e); }
  }
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
  const rounds = options.rounds ?? 25, ms = options.windowMs ?? 20;
  const own = Object.fromEntries(timed.map(([name, fn]) => [name, () => window(fn, ms)]));
  let samples: Record<string, number[]> | null = null;
  if (peer) {
    try {
      const greeting = JSON.parse(peer.greeting) as { loss: number; max_rel_grad: number; torch: string; threads: number };
      const r = await interleave(own, peer, rounds);
      samples = r.own;
      pytorch = {
        status: 'ok', ...greeting,
        grad_ms: median(r.peer.grad!) / 1000, loss_ms: median(r.peer.loss!) / 1000, grad_wall_ms: median(r.peerWall.grad!) / 1000,
        grad_ratio: median(r.ratio.grad!), rounds,
      };
    } catch (e) {
      pytorch = notRun(e);
    } finally {
      await peer.close();
    }
  }
  if (samples === null) {
    // downhill alone: its grad and loss windows alternating
    samples = Object.fromEntries(timed.map(([name]) => [name, []]));
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < timed.length; i++) {
        const [name] = timed[(i + r) % timed.length]!;
        samples[name]!.push(own[name]!());
      }
    }
  }
  const grad = median(samples.grad!), lossT = median(samples.loss!);
  return {
    id, description: ref.text, P: m.p.length, N: m.N, build_ms: build, grad_us: grad, loss_us: lossT, ratio: grad / lossT,
    forward_nodes: f.forwardNodes, gradient_nodes: f.gradientNodes, source_chars: f.source.loss.length + f.source.gradient.length,
    loss, loss_rel_error: Math.abs(loss - ref.initialLoss) / ref.initialLoss,
    // ru_maxrss of this process only (RUSAGE_SELF): the PyTorch child is not counted
    retained_heap_mb: retained, peak_rss_mb: process.resourceUsage().maxRSS / 1024, warm_ms: warm, job, pytorch,
  };
}

if (isMain(import.meta.url)) {
  measureLayered(process.argv[2] ?? '', process.argv[3] ?? '.').then(
    (row) => { process.stdout.write(`${JSON.stringify(row)}\n`); },
    (e: unknown) => { process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 1; },
  );
}
