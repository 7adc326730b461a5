/**
 * A network with its loss, ready to compile: the per-sample loss graph,
 * the parameter names and the data names of a batch row.
 *
 *   const m = referenceModel('xor9')
 *   const { loss, params, data } = networkLoss(m.layers, m.loss)
 *   const f = compileGradient(loss, { params, data, reduce: 'mean' })
 *   f.loss(m.p, referenceBatch(m))   // 0.25708337712896895
 */
import { sym, type Node } from '../expr/node.ts';
import { packBatch } from './datasets.ts';
import { checkLayers, denseNetwork, type DenseNetwork, type LayerSpec, type Naming } from './dense.ts';
import { checkOneOf, DownhillError, objectWith, type Accepts } from '../errors.ts';
import {
  absoluteError, binaryCrossEntropy, binaryCrossEntropyWithLogits, halfSquaredError, hinge, huberLoss,
  meanOf, softmaxCrossEntropy, squaredError,
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

/** What the doors that take a model accept (checkModel, pytorchExport, …): loadModel's or layeredModel's result, its weights and batch Float64Arrays. */
export const MODEL: Accepts<Model> = {
  what: "a model (loadModel's or layeredModel's result)",
  test: (v): v is Model => objectWith('name', 'params', 'data', 'p', 'batch', 'N').test(v) && Array.isArray(v.params) && v.p instanceof Float64Array && v.batch instanceof Float64Array,
};

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
 * The network vocabulary of both engines (this scalar one, and the matrix
 * engine's matrix/network.ts): each loss but softmax_ce as its per-output
 * term ℓ(ŷ_c, y_c), averaged over the C outputs, (1/C) Σ_c ℓ(ŷ_c, y_c) (the
 * term itself when C = 1); softmax_ce is logsumexp(z) − Σ_c y_c z_c over all
 * outputs at once.
 *
 *   kind         ℓ(ŷ, y)                          outputs
 *   se, mse      (y − ŷ)²                         any
 *   half_se      ½ (y − ŷ)²                       any
 *   mae          |y − ŷ|                          any
 *   huber        huber(y − ŷ, 1)                  any
 *   bce          −(y log ŷ + (1 − y) log(1 − ŷ))  exactly 1
 *   bce_logits   softplus(ŷ) − y ŷ                exactly 1
 *   hinge        max(0, 1 − y ŷ)                  exactly 1
 *   softmax_ce   (over all outputs)               at least 2
 */
export const LOSS_TERMS: Readonly<Record<Exclude<LossName, 'softmax_ce'>, (yhat: Node, y: Node) => Node>> = {
  se: squaredError,
  mse: squaredError,
  half_se: halfSquaredError,
  mae: absoluteError,
  huber: (yhat, y) => huberLoss(yhat, y),
  bce: binaryCrossEntropy,
  bce_logits: binaryCrossEntropyWithLogits,
  hinge,
};

/** The outputs each loss takes (the table above's last column). */
export const LOSS_OUTPUTS: Readonly<Record<LossName, 'any' | 'one' | 'two or more'>> = {
  se: 'any', mse: 'any', half_se: 'any', mae: 'any', huber: 'any', bce: 'one', bce_logits: 'one', hinge: 'one', softmax_ce: 'two or more',
};

/** Whether a network with `outputs` outputs fits the loss (LOSS_OUTPUTS): the one rule of the engines' checkLossOutputs and the descriptions' (nn/spec.ts). */
export function lossFits(kind: LossName, outputs: number): boolean {
  const takes = LOSS_OUTPUTS[kind];
  return takes === 'any' || (takes === 'one' ? outputs === 1 : outputs >= 2);
}

/** Throws unless a network with `outputs` outputs fits the loss (the table above): bce, bce_logits and hinge take one, softmax_ce at least 2. */
export function checkLossOutputs(kind: LossName, outputs: number): void {
  if (lossFits(kind, outputs)) return;
  throw new DownhillError(LOSS_OUTPUTS[kind] === 'one' ? `${kind} needs exactly one output, the network has ${outputs}` : `${kind} needs at least 2 outputs, the network has ${outputs}`);
}

/** How a batch of per-sample losses reduces: summed for 'se' (as in the reference model seed3), averaged for every other loss. */
export function lossReduction(kind: LossName): 'mean' | 'sum' {
  return kind === 'se' ? 'sum' : 'mean';
}

/** The names of a network's targets: y for one output, else y1, y2, ... */
export function targetNames(outputs: number): string[] {
  return outputs === 1 ? ['y'] : Array.from({ length: outputs }, (_, c) => `y${c + 1}`);
}

/**
 * A network's per-sample loss: targets y (one output) or y1, y2, ... (the
 * table above). A batch reduces by sum for 'se', by mean otherwise.
 *
 *   const net = network([2, 2, 1], { hidden: 'sigmoid', output: 'sigmoid' })
 *   const m = modelLoss(net, 'mse')
 *   m.data     // ['x1', 'x2', 'y']
 *   train({ loss: m.loss, params: m.params, data: m.data, reduce: m.reduce, batch: xor().rows, ... })
 */
export function modelLoss(network: DenseNetwork, kind: LossName): NetworkLoss {
  const outs = network.outputs;
  const targets = targetNames(outs.length);
  const y = targets.map(sym);
  checkLossOutputs(kind, outs.length);
  const loss = kind === 'softmax_ce' ? softmaxCrossEntropy(outs, y) : meanOf(outs.map((o, c) => LOSS_TERMS[kind](o, y[c]!)));
  return { network, loss, params: network.params, data: [...network.inputs, ...targets], targets, reduce: lossReduction(kind) };
}
