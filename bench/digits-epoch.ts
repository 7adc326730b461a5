/**
 * The digits lesson's training speed, run as its own process: the lesson's
 * network (784-30-10, sigmoid, softmax cross-entropy) on its 8,000 training
 * digits, mini-batches of 32, η = 1 (the lesson's defaults), for a few
 * epochs:
 *
 *   node --import tsx bench/digits-epoch.ts
 *   // prints one JSON line: {"epochs":4,"first_epoch_s":..,"epoch_s":..,"test_accuracy":..,...}
 */
import { loadDigits } from '../src/nn/digits.ts';
import { matrixNetwork } from '../src/matrix/network.ts';
import { compileMatrixGradient, compileMatrixValues } from '../src/matrix/compile.ts';
import { mulberry32, normal } from '../src/nn/random.ts';
import { sgdEpoch } from '../src/train/epoch.ts';
import { isMain, median } from './stats.ts';

export interface DigitsEpochResult {
  readonly epochs: number;
  readonly train_digits: number;
  readonly batch: number;
  /** Loading the mnist package and packing the digits, in s. */
  readonly load_s: number;
  /** The first epoch (includes V8's warm-up), and the median of the others, in s. */
  readonly first_epoch_s: number;
  readonly epoch_s: number;
  /** Share of the 2,000 test digits right after the epochs. */
  readonly test_accuracy: number;
}

export async function measureDigitsEpochs(epochs = 4): Promise<DigitsEpochResult> {
  const t0 = performance.now();
  const data = await loadDigits({ seed: 1 });
  const load = (performance.now() - t0) / 1000;
  const net = matrixNetwork([{ in: 784, out: 30, activation: 'sigmoid', bias: true }, { in: 30, out: 10, activation: 'identity', bias: true }], 'softmax_ce');
  const f = compileMatrixGradient(net);
  const rng = mulberry32(1);
  const p = new Float64Array(net.P);
  for (const w of net.params) {
    if (w.kind !== 'param' || w.name.startsWith('b')) continue;
    const fanIn = w.shape[1] as number;
    for (let k = 0; k < (w.shape[0] as number) * fanIn; k++) p[w.offset + k] = normal(rng) / Math.sqrt(fanIn);
  }
  const seconds: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const s = performance.now();
    sgdEpoch(f, p, data.train.batch, { batch: 32, lr: 1, rng });
    seconds.push((performance.now() - s) / 1000);
  }
  const out = compileMatrixValues([net.a[1]!], net.D)(p, data.test.batch)[0]!;
  let right = 0;
  for (let n = 0; n < data.test.count; n++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (out[n * 10 + c]! > out[n * 10 + best]!) best = c;
    if (best === data.test.labels[n]) right++;
  }
  return {
    epochs, train_digits: data.train.count, batch: 32, load_s: load,
    first_epoch_s: seconds[0]!, epoch_s: median(seconds.slice(1)), test_accuracy: right / data.test.count,
  };
}

if (isMain(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await measureDigitsEpochs())}\n`);
}
