/**
 * The two scale models of benchmark-models.md, built by the recipe without
 * the scalar engine (whose graph of 10⁵ symbols would itself cost seconds
 * and hundreds of MB, and distort the peak memory measured):
 *
 *   const m = scaleModel('digits23860')
 *   m.P            // 23860
 *   m.initialLoss  // 3.0046244342453963
 *
 * mulberry32(42): P draws p[k] = rng() − 0.5, then N = 32 samples of 784
 * draws x = 2·rng() − 1; the class is the index of the largest of x₀ … x₉
 * (the first on ties), one-hot over 10 classes. The same numbers come out of
 * specModel('784-30-10:sigmoid:softmax_ce', { N: 32 }) (test/bench-scale.test.ts).
 */
import { DownhillError } from '../src/errors.ts';
import { parseNetworkSpec } from '../src/nn/spec.ts';
import { parameterCount } from '../src/nn/dense.ts';
import type { ReferenceModel } from '../src/nn/reference.ts';
import { mulberry32 } from '../src/nn/random.ts';

/** A benchmark model: a reference model's fields, with any id. */
export type BenchModel = Omit<ReferenceModel, 'id'> & { readonly id: string };

export const scaleIds = ['digits23860', 'wide101770'] as const;
export type ScaleId = (typeof scaleIds)[number];

const recipes: Record<ScaleId, { spec: string; initialLoss: number }> = {
  digits23860: { spec: '784-30-10:sigmoid:softmax_ce', initialLoss: 3.0046244342453963 },
  wide101770: { spec: '784-128-10:tanh:softmax_ce', initialLoss: 5.476097456169787 },
};

export const isScaleId = (id: string): id is ScaleId => (scaleIds as readonly string[]).includes(id);

/** Builds a scale model by the recipe (see the top of this file). */
export function scaleModel(id: string): BenchModel {
  if (!isScaleId(id)) throw new DownhillError(`unknown scale model "${id}" (known: ${scaleIds.join(', ')})`);
  const r = recipes[id];
  const layers = parseNetworkSpec(r.spec).layers;
  const P = parameterCount(layers), d = layers[0]!.in, C = layers.at(-1)!.out, N = 32;
  const rng = mulberry32(42);
  const p = new Float64Array(P);
  for (let k = 0; k < P; k++) p[k] = rng() - 0.5;
  const inputs: Float64Array[] = [], targets: Float64Array[] = [], classes: number[] = [];
  for (let n = 0; n < N; n++) {
    const x = new Float64Array(d);
    for (let i = 0; i < d; i++) x[i] = 2 * rng() - 1;
    let c = 0;
    for (let k = 1; k < C; k++) if (x[k]! > x[c]!) c = k;
    const t = new Float64Array(C);
    t[c] = 1;
    inputs.push(x); targets.push(t); classes.push(c);
  }
  return { id, layers: layers.map((l) => ({ ...l })), loss: 'softmax_ce', N, P, p, inputs, targets, classes, initialLoss: r.initialLoss };
}
