/**
 * A network with its loss, ready to compile: the per-sample loss graph,
 * the parameter names and the data names of a batch row.
 *
 *   const m = referenceModel('xor9')
 *   const { loss, params, data } = networkLoss(m.layers, m.loss)
 *   const f = compileGradient(loss, { params, data, reduce: 'mean' })
 *   f.loss(m.p, referenceBatch(m))   // 0.25708337712896895
 */
import { mul, sum, sym, type Node } from '../expr/node.ts';
import { packBatch } from './datasets.ts';
import { checkLayers, denseNetwork, type DenseNetwork, type LayerSpec, type Naming } from './dense.ts';
import { checkOneOf, DownhillError } from '../errors.ts';
import {
  absoluteError, binaryCrossEntropy, binaryCrossEntropyWithLogits, halfSquaredError, hinge, huberLoss,
  meanOf, meanSquaredError, softmaxCrossEntropy, squaredError,
} from './losses.ts';
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

/**
 * A model: a network with its per-sample loss, weight values and a batch,
 * what the checks, the pictures and the CLI take (`loadModel` makes one by
 * name). `params` are the parameter names, `p` their values, in the same order.
 */
export interface Model extends NetworkLoss {
  /** The reference id, or the description as given (trimmed). */
  readonly name: string;
  /** The parameter values, p[k] for params[k]. */
  readonly p: Float64Array;
  /** N rows, inputs then targets, packed as packBatch packs them. */
  readonly batch: Float64Array;
  readonly N: number;
  /** The layers and loss kind it was built from, so that the matrix engine can build the same network. */
  readonly layers?: readonly LayerSpec[];
  readonly lossKind?: LossName;
}

/** The per-sample loss graph of a dense network under a reference loss kind: `modelLoss` of its graph. */
export function networkLoss(layers: readonly LayerSpec[], kind: LossKind, naming: Naming = 'short'): NetworkLoss {
  checkLayers('networkLoss', layers);
  checkOneOf('networkLoss', 'kind', kind, LOSS_NAMES);
  checkOneOf('networkLoss', 'naming', naming, ['short', 'indexed']);
  return modelLoss(denseNetwork(layers, { naming }), kind);
}

/** A reference model's batch as one array: inputs then targets, row by row. */
export function referenceBatch(m: Pick<ReferenceModel, 'inputs' | 'targets'>): Float64Array {
  return packBatch(m.inputs.map((x, n) => [...x, ...m.targets[n]!]));
}

/**
 * The losses `modelLoss` knows: 'se' (y − ŷ)², 'half_se' ½(y − ŷ)², 'mse'
 * the mean of (y_c − ŷ_c)² over outputs, 'mae' |y − ŷ|, 'huber' huber(y − ŷ, 1),
 * 'bce' on a probability output, 'bce_logits' on a logit output,
 * 'softmax_ce' on logits with one-hot targets, 'hinge' with y in {−1, 1}.
 */
export type LossName = 'se' | 'half_se' | 'mse' | 'mae' | 'huber' | 'bce' | 'bce_logits' | 'softmax_ce' | 'hinge';

/** Every LossName, for the checks of the library's entry points. */
export const LOSS_NAMES: readonly LossName[] = ['se', 'half_se', 'mse', 'mae', 'huber', 'bce', 'bce_logits', 'softmax_ce', 'hinge'];

/**
 * A network's per-sample loss: targets y (one output) or y1, y2, ... A
 * batch reduces by sum for 'se' (as in the reference model seed3), by mean
 * otherwise.
 *
 *   const net = network([2, 2, 1], { hidden: 'sigmoid', output: 'sigmoid' })
 *   const m = modelLoss(net, 'mse')
 *   m.data     // ['x1', 'x2', 'y']
 *   train({ loss: m.loss, params: m.params, data: m.data, reduce: m.reduce, batch: xor().rows, ... })
 */
export function modelLoss(network: DenseNetwork, kind: LossName): NetworkLoss {
  const outs = network.outputs;
  const targets = outs.length === 1 ? ['y'] : outs.map((_, c) => `y${c + 1}`);
  const y = targets.map(sym);
  const one = (name: string): Node => {
    if (outs.length !== 1) throw new DownhillError(`${name} needs exactly one output, the network has ${outs.length}`);
    return outs[0]!;
  };
  const each = (f: (o: Node, t: Node) => Node): Node => meanOf(outs.map((o, c) => f(o, y[c]!)));
  let loss: Node;
  switch (kind) {
    case 'se': loss = each(squaredError); break;
    case 'half_se': loss = each(halfSquaredError); break;
    case 'mse': loss = meanSquaredError(outs, y); break;
    case 'mae': loss = each(absoluteError); break;
    case 'huber': loss = each((o, t) => huberLoss(o, t)); break;
    case 'bce': loss = binaryCrossEntropy(one('bce'), y[0]!); break;
    case 'bce_logits': loss = binaryCrossEntropyWithLogits(one('bce_logits'), y[0]!); break;
    case 'hinge': loss = hinge(one('hinge'), y[0]!); break;
    case 'softmax_ce':
      if (outs.length < 2) throw new DownhillError(`softmax_ce needs at least 2 outputs, the network has ${outs.length}`);
      loss = softmaxCrossEntropy(outs, y);
      break;
  }
  return { network, loss, params: network.params, data: [...network.inputs, ...targets], targets, reduce: kind === 'se' ? 'sum' : 'mean' };
}
