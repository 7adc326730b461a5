/**
 * A network with its loss, ready to compile: the per-sample loss graph,
 * the parameter names and the data names of a batch row.
 *
 *   const m = referenceModel('xor9')
 *   const { loss, params, data } = networkLoss(m.layers, m.loss)
 *   const f = compileGradient(loss, { params, data, reduce: 'mean' })
 *   f.loss(m.params, referenceBatch(m))   // 0.25708337712896895
 */
import { sym, type Node } from '../expr/node.ts';
import { packBatch } from '../compile/compile.ts';
import { denseNetwork, type DenseNetwork, type LayerSpec, type Naming } from './dense.ts';
import { softmaxCrossEntropy, squaredError } from './losses.ts';
import type { LossKind, ReferenceModel } from './reference.ts';

export interface NetworkLoss {
  readonly network: DenseNetwork;
  /** The loss of one sample. */
  readonly loss: Node;
  readonly params: readonly string[];
  /** A batch row: the inputs, then the targets. */
  readonly data: readonly string[];
  readonly targets: readonly string[];
  /** How the batch reduces: mean, except the one-sample squared error. */
  readonly reduce: 'mean' | 'sum';
}

/** The per-sample loss graph of a dense network under a loss kind. */
export function networkLoss(layers: readonly LayerSpec[], kind: LossKind, naming: Naming = 'short'): NetworkLoss {
  const network = denseNetwork(layers, { naming });
  const outs = network.outputs;
  const targets = outs.length === 1 ? ['y'] : outs.map((_, c) => `y${c + 1}`);
  const y = targets.map(sym);
  const loss = kind === 'softmax_ce'
    ? softmaxCrossEntropy(outs, y)
    : squaredError(outs[0]!, y[0]!);
  return { network, loss, params: network.params, data: [...network.inputs, ...targets], targets, reduce: kind === 'se' ? 'sum' : 'mean' };
}

/** A reference model's batch as one array: inputs then targets, row by row. */
export function referenceBatch(m: ReferenceModel): Float64Array {
  return packBatch(m.inputs.map((x, n) => [...x, ...m.targets[n]!]));
}
