/**
 * A dense network and its loss as a matrix graph: one node per layer
 * quantity, the batch as a matrix with one column per sample.
 *
 *   const net = matrixNetwork(parseNetworkSpec('784-30-10:sigmoid:softmax_ce').layers, 'softmax_ce')
 *   net.z[0].shape   // [30, 'N']: z⁽¹⁾ = W⁽¹⁾ x + b⁽¹⁾ 1ᵀ
 *   net.P            // 23860
 *
 * The parameters sit in the flat vector p exactly as in the scalar engine
 * (layer by layer, W row by row, then b), and a batch row is the inputs
 * then the targets, so the compiled matrix gradient and the scalar one take
 * the same arguments. The loss is the scalar engine's per-sample loss,
 * element by element (its per-output term is a template from nn/losses.ts),
 * averaged over the batch (summed for 'se').
 */
import { checkArg, checkOneOf, DownhillError, objectWith, type Accepts } from '../errors.ts';
import { functionRule } from '../expr/functions.ts';
import { call, sym, type Node } from '../expr/node.ts';
import { checkLayers, layerOffsets, type LayerSpec, type Naming } from '../nn/dense.ts';
import { LOSS_NAMES, type LossName } from '../nn/network-loss.ts';
import {
  absoluteError, binaryCrossEntropy, binaryCrossEntropyWithLogits, halfSquaredError, hinge, huberLoss, squaredError,
} from '../nn/losses.ts';
import {
  broadcast, hadamard, lse, madd, matmul, mdata, mmap, mparam, mscale, msub, msum, type MNode,
} from './node.ts';

export interface MatrixNetwork {
  readonly layers: readonly LayerSpec[];
  readonly lossKind: LossName;
  /** The batch loss, 1×1. */
  readonly loss: MNode;
  /** W⁽¹⁾, b⁽¹⁾, W⁽²⁾, ... in the order of p (b only where a layer has one). */
  readonly params: readonly MNode[];
  /** Per layer: W, b (or null), z = W a + b, a = f(z) (a = z for identity). */
  readonly W: readonly MNode[];
  readonly b: readonly (MNode | null)[];
  readonly z: readonly MNode[];
  readonly a: readonly MNode[];
  /** The inputs (d × N) and targets (C × N). */
  readonly x: MNode;
  readonly y: MNode;
  /** Numbers in a batch row (d + C) and parameters. */
  readonly D: number;
  readonly P: number;
  readonly reduce: 'mean' | 'sum';
}

/** The per-output loss term as a template over u0 = ŷ and u1 = y (every loss but softmax_ce). */
function termTemplate(kind: Exclude<LossName, 'softmax_ce'>): Node {
  const yhat = sym('u0'), y = sym('u1');
  switch (kind) {
    case 'se':
    case 'mse': return squaredError(yhat, y);
    case 'half_se': return halfSquaredError(yhat, y);
    case 'mae': return absoluteError(yhat, y);
    case 'huber': return huberLoss(yhat, y);
    case 'bce': return binaryCrossEntropy(yhat, y);
    case 'bce_logits': return binaryCrossEntropyWithLogits(yhat, y);
    case 'hinge': return hinge(yhat, y);
  }
}

/** f(z) element by element, labelled for printing; identity gives z itself. */
export function activateMatrix(activation: string, z: MNode): MNode {
  if (activation === 'identity') return z;
  const rule = functionRule(activation);
  if (!rule || rule.arity[0] > 1) throw new DownhillError(`unknown activation "${activation}" (use identity or a one-argument function such as sigmoid, tanh, relu)`);
  return mmap(call(activation, sym('u0'), ...(rule.defaults ?? [])), [z], { fn: activation, prime: false, of: z });
}

/**
 * A network's batch loss from its outputs a (C × N) and targets y (C × N):
 * the scalar engine's per-sample loss element by element, averaged over the
 * batch (summed for 'se').
 */
export function matrixLoss(a: MNode, y: MNode, lossKind: LossName): { loss: MNode; reduce: 'mean' | 'sum' } {
  const C = a.shape[0] as number;
  let perSample: MNode;
  if (lossKind === 'softmax_ce') {
    if (C < 2) throw new DownhillError(`softmax_ce needs at least 2 outputs, the network has ${C}`);
    // logsumexp(z) − Σ_c y_c z_c, for each sample
    perSample = msub(lse(a), msum(hadamard(y, a), [1, 'N']));
  } else {
    if ((lossKind === 'bce' || lossKind === 'bce_logits' || lossKind === 'hinge') && C !== 1) {
      throw new DownhillError(`${lossKind} needs exactly one output, the network has ${C}`);
    }
    const terms = mmap(termTemplate(lossKind), [a, y]);
    // the mean over outputs, as nn/losses.ts meanOf: (Σ_c term_c) · (1/C)
    perSample = C === 1 ? terms : mscale(msum(terms, [1, 'N']), 1 / C);
  }
  const reduce = lossKind === 'se' ? 'sum' : 'mean';
  const total = msum(perSample, [1, 1]);
  const loss = reduce === 'mean' ? mscale(total, 1, true) : total;
  return { loss, reduce };
}

/** What the functions that take a matrix network accept: matrixNetwork's result. */
export const MATRIX_NETWORK: Accepts<MatrixNetwork> = { ...objectWith<MatrixNetwork>('layers', 'lossKind', 'loss', 'params', 'W', 'b', 'z', 'a', 'x', 'y'), what: "a matrix network (matrixNetwork's result)" };

/** Builds the matrix graph of a dense network under a loss (see the top of this file). */
export function matrixNetwork(layers: readonly LayerSpec[], lossKind: LossName): MatrixNetwork {
  checkLayers('matrixNetwork', layers);
  checkOneOf('matrixNetwork', 'lossKind', lossKind, LOSS_NAMES);
  if (layers.length === 0) throw new DownhillError('a network needs at least one layer');
  layers.forEach((l, i) => {
    if (!Number.isInteger(l.in) || !Number.isInteger(l.out) || l.in < 1 || l.out < 1) {
      throw new DownhillError(`layer ${i + 1}: sizes must be positive whole numbers, got ${l.in}→${l.out}`);
    }
    if (i > 0 && layers[i - 1]!.out !== l.in) throw new DownhillError(`layer ${i + 1} takes ${l.in} inputs but layer ${i} gives ${layers[i - 1]!.out}`);
  });
  const d = layers[0]!.in, C = layers.at(-1)!.out;
  const x = mdata('x', [d, 'N'], 0), y = mdata('y', [C, 'N'], d);
  const offsets = layerOffsets(layers);
  const params: MNode[] = [], Ws: MNode[] = [], bs: (MNode | null)[] = [], zs: MNode[] = [], as: MNode[] = [];
  let a = x;
  layers.forEach((l, i) => {
    const W = mparam(`W${i + 1}`, [l.out, l.in], offsets[i]!.weights);
    const b = l.bias ? mparam(`b${i + 1}`, [l.out, 1], offsets[i]!.bias) : null;
    params.push(W, ...(b ? [b] : []));
    const Wa = matmul(W, a);
    const z = b ? madd(Wa, broadcast(b, Wa.shape)) : Wa;
    a = activateMatrix(l.activation, z);
    Ws.push(W); bs.push(b); zs.push(z); as.push(a);
  });

  const { loss, reduce } = matrixLoss(a, y, lossKind);
  return {
    layers, lossKind, loss, params, W: Ws, b: bs, z: zs, a: as, x, y,
    D: d + C, P: offsets.at(-1)!.end, reduce,
  };
}

/**
 * The scalar engine's names of a network's parameters, in the order of p
 * (nn/dense.ts): w1, w2, ... ('short') or W1_2_1, b1_2 ('indexed').
 */
export function parameterNames(layers: readonly LayerSpec[], naming: Naming): string[] {
  const names: string[] = [];
  layers.forEach((l, i) => {
    for (let j = 1; j <= l.out; j++) for (let k = 1; k <= l.in; k++) names.push(naming === 'short' ? `w${names.length + 1}` : `W${i + 1}_${j}_${k}`);
    if (l.bias) for (let j = 1; j <= l.out; j++) names.push(naming === 'short' ? `w${names.length + 1}` : `b${i + 1}_${j}`);
  });
  return names;
}
