/**
 * Built-in data sets. A data set is plain data: rows of numbers, inputs
 * then targets, with their names, ready for `train({ batch: ds.rows })` or
 * `packBatch(ds.rows)`.
 *
 *   mainExample()   // one sample: x1 = 1, x2 = 0.5, y = 0.8
 *   xor()           // the four rows of the XOR truth table
 *   noisyRegression({ n: 40, seed: 1 })   // y = sin(πx) + noise on x in [−1, 1]
 *   moons({ n: 100, seed: 1 })            // two interleaving half-moons, labels 0 and 1
 *   referenceData('iris67')               // the reference models' data
 *
 * Random sets draw from mulberry32(seed): the same seed, the same data.
 */
import { arrayOf, checkArg, DownhillError, NUMBERS } from '../errors.ts';
import { mulberry32, normal } from './random.ts';
import { referenceIds, referenceModel } from './reference.ts';

export interface Dataset {
  readonly name: string;
  /** One line about it. */
  readonly about: string;
  /** Input names, in row order: x1, x2, ... */
  readonly inputs: readonly string[];
  /** Target names after the inputs: y (or y1, y2, ... for one-hot classes). */
  readonly targets: readonly string[];
  /** The rows: inputs then targets. */
  readonly rows: readonly (readonly number[])[];
}

const ROWS = arrayOf(NUMBERS, 'an array of rows, each an array of numbers');

/**
 * Packs rows of data into one batch array, row after row: the layout a
 * compiled gradient reads (row n starts at n·D).
 */
export function packBatch(rows: readonly ArrayLike<number>[]): Float64Array {
  checkArg('packBatch', 'rows', rows, ROWS);
  const D = rows[0]?.length ?? 0;
  const out = new Float64Array(rows.length * D);
  rows.forEach((r, n) => {
    if (r.length !== D) throw new DownhillError(`batch row ${n} has ${r.length} numbers, expected ${D}`);
    for (let j = 0; j < D; j++) out[n * D + j] = r[j]!;
  });
  return out;
}

const xs = (d: number): string[] => Array.from({ length: d }, (_, i) => `x${i + 1}`);

/**
 * The main lesson's one sample: two inputs and a target.
 *
 *   mainExample().rows   // [[1, 0.5, 0.8]]
 */
export function mainExample(): Dataset {
  return { name: 'main', about: 'one sample: x1 = 1, x2 = 0.5, target y = 0.8', inputs: ['x1', 'x2'], targets: ['y'], rows: [[1, 0.5, 0.8]] };
}

/**
 * XOR: y = 1 when exactly one input is 1. No straight line separates it,
 * so it needs a hidden layer.
 *
 *   xor().rows   // [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]]
 */
export function xor(): Dataset {
  return { name: 'xor', about: 'the XOR truth table (4 rows)', inputs: ['x1', 'x2'], targets: ['y'], rows: [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]] };
}

/** The options of a generated data set, checked: n points, the noise, and a generator seeded with `seed` (default 1). */
function sampling(options: { n?: number; seed?: number; noise?: number }, defaultN: number, who: string): { n: number; noise: number; rng: () => number } {
  const n = options.n ?? defaultN;
  const noise = options.noise ?? 0.1;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new DownhillError(`${who}: n must be a whole number from 1 to 100000, got ${n}`);
  if (!Number.isFinite(noise) || noise < 0) throw new DownhillError(`${who}: noise must be a number ≥ 0, got ${noise}`);
  return { n, noise, rng: mulberry32(options.seed ?? 1) };
}

/**
 * Noisy 1-D regression: x evenly spaced on [−1, 1], y = sin(πx) + noise·N(0, 1).
 *
 *   noisyRegression({ n: 3, noise: 0 }).rows   // [[-1, -1.2e-16], [0, 0], [1, 1.2e-16]]
 */
export function noisyRegression(options: { n?: number; seed?: number; noise?: number } = {}): Dataset {
  const { n, noise, rng } = sampling(options, 40, 'noisyRegression');
  const rows = Array.from({ length: n }, (_, i) => {
    const x = n === 1 ? 0 : -1 + (2 * i) / (n - 1);
    return [x, Math.sin(Math.PI * x) + (noise === 0 ? 0 : noise * normal(rng))];
  });
  return { name: 'regression', about: `${n} points y = sin(πx) + ${noise}·noise, x in [−1, 1]`, inputs: ['x1'], targets: ['y'], rows };
}

/**
 * Two interleaving half-moons in the plane, labels 0 (upper moon) and 1
 * (lower moon), alternating, each point moved by noise·N(0, 1) per coordinate.
 * Upper: (cos t, sin t); lower: (1 − cos t, 0.5 − sin t), t in [0, π].
 *
 *   moons({ n: 2, noise: 0 }).rows   // [[1, 0, 0], [0, 0.5, 1]]
 */
export function moons(options: { n?: number; seed?: number; noise?: number } = {}): Dataset {
  const { n, noise, rng } = sampling(options, 100, 'moons');
  const perClass = Math.ceil(n / 2);
  const rows = Array.from({ length: n }, (_, i) => {
    const label = i % 2;
    const j = Math.floor(i / 2);
    const t = perClass === 1 ? 0 : (Math.PI * j) / (perClass - 1);
    const [x, y] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    const jitter = (): number => (noise === 0 ? 0 : noise * normal(rng));
    return [x + jitter(), y + jitter(), label];
  });
  return { name: 'moons', about: `${n} points on two half-moons, labels 0 and 1 (noise ${noise})`, inputs: ['x1', 'x2'], targets: ['y'], rows };
}

/**
 * The data of a reference model (see /work/shared/benchmark-models.md):
 * its inputs and targets, as the benchmark builds them.
 *
 *   referenceData('xor9').rows   // the XOR table
 *   referenceData('iris67').targets   // ['y1', 'y2', 'y3'] (one-hot)
 */
export function referenceData(id: string): Dataset {
  const m = referenceModel(id);
  const d = m.inputs[0]?.length ?? 0;
  const c = m.targets[0]?.length ?? 1;
  return {
    name: m.id,
    about: `the data of the reference model ${m.id} (${m.N} rows)`,
    inputs: xs(d),
    targets: c === 1 ? ['y'] : Array.from({ length: c }, (_, k) => `y${k + 1}`),
    rows: m.inputs.map((x, i) => [...x, ...m.targets[i]!]),
  };
}

/** The names of the built-in data sets, for `dataset(name)`. */
export const datasetNames: readonly string[] = ['main', 'xor', 'regression', 'moons', ...referenceIds];

/**
 * A built-in data set by name, with default settings and the given seed.
 *
 *   dataset('moons', 2).rows.length   // 100
 */
export function dataset(name: string, seed = 1): Dataset {
  checkArg('dataset', 'name', name, { what: `the name of a data set (${datasetNames.join(', ')})`, test: (v): v is string => typeof v === 'string' });
  switch (name) {
    case 'main': return mainExample();
    case 'xor': return xor();
    case 'regression': return noisyRegression({ seed });
    case 'moons': return moons({ seed });
    default:
      if (datasetNames.includes(name)) return referenceData(name);
      throw new DownhillError(`unknown data set "${name}" (known: ${datasetNames.join(', ')})`);
  }
}
