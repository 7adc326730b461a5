/**
 * A model by name: a reference model (seed3, xor9, iris67, mlp321, mlp1153,
 * deep1249, conv11738, attn4228) with its weights and data, or a network
 * description (see spec.ts; with images or sequences, nn/layered.ts) with
 * weights and data from a seed. The checks, the pictures and
 * the CLI load models here.
 *
 *   loadModel('seed3').p                        // the reference weights
 *   loadModel('2-4-1:relu:mse', { seed: 3, N: 5 }).N  // 5
 *   sampleValues(loadModel('seed3'))            // Map { w1 → …, w2 → …, w3 → …, x1 → …, x2 → …, y → … }
 */
import { checkArg, checkOneOf, checkOptions, DownhillError, TEXT } from '../errors.ts';
import type { Naming } from './dense.ts';
import { networkLoss, referenceBatch, type Model } from './network-loss.ts';
import { referenceIds, referenceModel } from './reference.ts';
import { isLayeredSpec, specModel } from './spec.ts';
import { layeredModel } from './layered.ts';

/**
 * The reference models with layers beyond dense (benchmark-models.md), as
 * descriptions: the recipe's weights, inputs and targets are a description's
 * (seed 42: P weights, then the inputs; the class is the largest of the
 * first inputs), with the recipe's batch size.
 */
export const layeredReferences: Readonly<Record<string, { readonly text: string; readonly N: number; readonly initialLoss: number }>> = {
  conv11738: { text: '1x28x28-conv8x5-maxpool2-10:relu:softmax_ce', N: 32, initialLoss: 15.087702831315827 },
  attn4228: { text: '16x32-attn-mean-4:softmax_ce', N: 16, initialLoss: 1.6584179806807828 },
};

export interface LoadOptions {
  /** Seed of a description's weights and data (default 42); reference models have their own. */
  readonly seed?: number;
  /** Batch size of a description (default 8); reference models have their own. */
  readonly N?: number;
  /** Parameter names: short (w1, w2, ...) or indexed (W1_2_1, b1_2); default short. */
  readonly naming?: Naming;
}

export function loadModel(idOrSpec: string, options: LoadOptions = {}): Model {
  checkArg('loadModel', 'idOrSpec', idOrSpec, TEXT);
  checkOptions('loadModel', options, ['seed', 'N', 'naming']);
  if (options.naming !== undefined) checkOneOf('loadModel', 'naming', options.naming, ['short', 'indexed']);
  const name = idOrSpec.trim();
  if ((referenceIds as readonly string[]).includes(name)) {
    const m = referenceModel(name);
    return { name, ...networkLoss(m.layers, m.loss, options.naming), p: m.p, batch: referenceBatch(m), N: m.N, layers: m.layers, lossKind: m.loss };
  }
  const layered = Object.hasOwn(layeredReferences, name) ? layeredReferences[name]! : undefined;
  if (layered) return layeredModel(layered.text, { N: layered.N, seed: 42, name, ...(options.naming ? { naming: options.naming } : {}) });
  if (!/^\d/.test(name)) {
    throw new DownhillError(`unknown model "${name}": give a reference model (${[...referenceIds, ...Object.keys(layeredReferences)].join(', ')}) or a description such as 2-3-1:tanh:sigmoid:mse or 1x28x28-conv8x5-maxpool2-10:relu:softmax_ce`);
  }
  if (isLayeredSpec(name)) return layeredModel(name, options);
  const s = specModel(name, options);
  return { ...s, layers: s.spec.layers, lossKind: s.spec.loss };
}

/** The value of every symbol of the loss at sample n: the weights, then row n of the batch. */
export function sampleValues(m: Pick<Model, 'params' | 'p' | 'data' | 'batch'>, n = 0): Map<string, number> {
  const D = m.data.length;
  const values = new Map<string, number>();
  m.params.forEach((name, k) => values.set(name, m.p[k]!));
  m.data.forEach((name, j) => values.set(name, m.batch[n * D + j]!));
  return values;
}
