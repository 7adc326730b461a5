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
 * the same arguments. The network's words are the scalar engine's, written
 * once: the layer checks and parameter names (nn/dense.ts: checkLayers,
 * parameterNames), the activation lookup (activate), and the loss table
 * (nn/network-loss.ts: LOSS_TERMS, checkLossOutputs, lossReduction): the
 * per-sample loss element by element, averaged over the batch (summed for 'se').
 */
import { checkOneOf, objectWith, type Accepts } from '../errors.ts';
import { sym } from '../expr/node.ts';
import { activate, checkLayers, layerOffsets, type LayerSpec } from '../nn/dense.ts';
import { checkLossOutputs, LOSS_NAMES, LOSS_TERMS, lossReduction, type LossName } from '../nn/network-loss.ts';
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

/** f(z) element by element (nn/dense.ts's activate, the scalar engine's lookup), labelled for printing; identity gives z itself. */
export function activateMatrix(activation: string, z: MNode): MNode {
  if (activation === 'identity') return z;
  return mmap(activate(activation, sym('u0')), [z], { fn: activation, prime: false, of: z });
}

/**
 * A network's batch loss from its outputs a (C × N) and targets y (C × N):
 * the scalar engine's per-sample loss element by element, averaged over the
 * batch (summed for 'se').
 */
export function matrixLoss(a: MNode, y: MNode, lossKind: LossName): { loss: MNode; reduce: 'mean' | 'sum' } {
  const C = a.shape[0] as number;
  // The scalar engine's table (nn/network-loss.ts): which outputs fit, each term, the reduction.
  checkLossOutputs(lossKind, C);
  let perSample: MNode;
  if (lossKind === 'softmax_ce') {
    // logsumexp(z) − Σ_c y_c z_c, for each sample
    perSample = msub(lse(a), msum(hadamard(y, a), [1, 'N']));
  } else {
    // The term as a template over u0 = ŷ and u1 = y; the mean over outputs, as nn/losses.ts meanOf: (Σ_c term_c) · (1/C)
    const terms = mmap(LOSS_TERMS[lossKind](sym('u0'), sym('u1')), [a, y]);
    perSample = C === 1 ? terms : mscale(msum(terms, [1, 'N']), 1 / C);
  }
  const reduce = lossReduction(lossKind);
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
