/**
 * One epoch of mini-batch gradient descent over a packed data set: shuffle
 * the rows, cut them into batches, take one step p ← p − η·∂L/∂p per batch.
 *
 *   const rng = mulberry32(1)
 *   const r = sgdEpoch(f, p, digits.train.batch, { batch: 32, lr: 1, rng })
 *   r.meanLoss   // the mean of the batch losses (taken before each step)
 *
 * For long runs on large data, where train()'s per-step records would be
 * too many: no records, the parameters are updated in place.
 */
import { checkOptions, describeValue, DownhillError } from '../errors.ts';
import type { GradientFunction } from '../compile/compile.ts';

export interface EpochOptions {
  /** Rows per batch; rows left over after the last whole batch wait for the next shuffle. */
  readonly batch: number;
  readonly lr: number;
  /** Random numbers in [0, 1) for the shuffle (mulberry32). */
  readonly rng: () => number;
  /** Called after each batch with the number done and the total. */
  readonly onBatch?: (done: number, total: number) => void;
}

export type EpochResult =
  | { readonly ok: true; readonly meanLoss: number; readonly batches: number }
  /** The loss was not a finite number at this batch (1-based); p holds the last finite step's values. */
  | { readonly ok: false; readonly batch: number; readonly loss: number };

/** Checks sgdEpoch's arguments, naming the one that is wrong. */
function checkEpochArguments(f: unknown, p: unknown, data: unknown, options: unknown): void {
  const fn = 'sgdEpoch';
  const ff = f as Partial<GradientFunction> | null;
  if (ff === null || typeof ff !== 'object' || typeof ff.lossAndGradient !== 'function' || !Array.isArray(ff.data) || !Array.isArray(ff.params)) {
    throw new DownhillError(`${fn}: f must be a compiled gradient (compileGradient or compileNetwork makes one), got ${describeValue(f)}`);
  }
  if (!(p instanceof Float64Array)) throw new DownhillError(`${fn}: p must be a Float64Array (updated in place), got ${describeValue(p)}`);
  if (p.length !== ff.params.length) throw new DownhillError(`${fn}: p has ${p.length} numbers, but f has ${ff.params.length} parameters`);
  if (!(data instanceof Float64Array)) throw new DownhillError(`${fn}: data must be a Float64Array of whole rows (packBatch makes one), got ${describeValue(data)}`);
  if (options === null || typeof options !== 'object') throw new DownhillError(`${fn}: options must be an object { batch, lr, rng, onBatch }, got ${describeValue(options)}`);
  checkOptions(fn, options, ['batch', 'lr', 'rng', 'onBatch']);
  const { rng, onBatch } = options as Partial<EpochOptions>;
  if (typeof rng !== 'function') throw new DownhillError(`${fn}: rng must be a generator of random numbers in [0, 1), such as mulberry32(1), got ${describeValue(rng)}`);
  if (rng.length > 0) throw new DownhillError(`${fn}: rng must be a generator, such as mulberry32(1), got a function of ${rng.length} argument${rng.length === 1 ? '' : 's'}${rng.name ? ` (${rng.name})` : ''}: call it with a seed first`);
  if (onBatch !== undefined && typeof onBatch !== 'function') throw new DownhillError(`${fn}: onBatch must be a function, got ${describeValue(onBatch)}`);
}

/** Runs one epoch; updates p in place. */
export function sgdEpoch(f: GradientFunction, p: Float64Array, data: Float64Array, options: EpochOptions): EpochResult {
  checkEpochArguments(f, p, data, options);
  const D = f.data.length;
  const { batch: B, lr, rng } = options;
  if (D === 0 || data.length % D !== 0) throw new DownhillError(`epoch: the data must hold whole rows of ${D} numbers, got ${data.length}`);
  const rows = data.length / D;
  if (!Number.isInteger(B) || B < 1 || B > rows) throw new DownhillError(`epoch: the batch size must be a whole number from 1 to ${rows}, got ${B}`);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new DownhillError(`epoch: the learning rate must be a positive number, got ${lr}`);
  const order = Array.from({ length: rows }, (_, n) => n);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const g = new Float64Array(p.length);
  const buffer = new Float64Array(B * D);
  const batches = Math.floor(rows / B);
  let total = 0;
  for (let b = 0; b < batches; b++) {
    for (let n = 0; n < B; n++) {
      const k = order[b * B + n]!;
      buffer.set(data.subarray(k * D, k * D + D), n * D);
    }
    const L = f.lossAndGradient(p, g, buffer, B);
    if (!Number.isFinite(L)) return { ok: false, batch: b + 1, loss: L };
    total += L;
    for (let k = 0; k < p.length; k++) p[k] = p[k]! - lr * g[k]!;
    options.onBatch?.(b + 1, batches);
  }
  return { ok: true, meanLoss: total / batches, batches };
}
