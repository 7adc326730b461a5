/**
 * The two reference models beyond dense layers, conv11738 and attn4228, as
 * torch.nn networks, built from the recipe of the benchmark models
 * (/work/shared/benchmark-models.md) alone: a fresh mulberry32(42) per
 * model; first P weight draws p[k] = rng() − 0.5, then the inputs
 * x = 2·rng() − 1 in the order given; the class of a sample is the index of
 * the largest of its first values (the first on ties).
 *
 *   const net = torchReference('attn4228')
 *   net.p.length        // 4228
 *   net.inputShape      // [16, 32]: T tokens of width d
 *
 * PyTorch's loss of these (test/export.test.ts) is the listed initial loss:
 * an independent check of the matrix engine's models, which are built by
 * other code from the same recipe.
 */
import { DownhillError } from '../errors.ts';
import { mulberry32 } from '../nn/random.ts';
import type { TorchLayer, TorchNet, TorchParameter } from './pytorch.ts';

/** The models of the recipe beyond dense layers. */
export type TorchReferenceId = 'conv11738' | 'attn4228';
export const torchReferenceIds: readonly TorchReferenceId[] = ['conv11738', 'attn4228'];

/** The listed losses at the initial weights (float64). */
export const torchReferenceLoss: Readonly<Record<TorchReferenceId, number>> = {
  conv11738: 15.087702831315827,
  attn4228: 1.6584179806807828,
};

interface Recipe {
  readonly layers: readonly TorchLayer[];
  readonly N: number;
  readonly inputShape: readonly number[];
  /** How many of a sample's first values decide its class (as many as there are classes). */
  readonly classes: number;
}

const recipes: Readonly<Record<TorchReferenceId, Recipe>> = {
  // 28×28 images, one channel: conv 8 filters 5×5 (valid, stride 1, bias), relu,
  // max-pool 2×2 stride 2, flatten (filter, row, column), dense 1152 → 10 with bias
  conv11738: {
    layers: [
      { kind: 'conv2d', inChannels: 1, outChannels: 8, kernel: 5, stride: 1, padding: 0, bias: true },
      { kind: 'activation', name: 'relu' },
      { kind: 'maxpool2d', size: 2, stride: 2 },
      { kind: 'flatten' },
      { kind: 'linear', in: 1152, out: 10, bias: true },
    ],
    N: 32,
    inputShape: [1, 28, 28],
    classes: 10,
  },
  // 16 tokens of width 32: one self-attention block with a residual, the mean
  // over tokens, dense 32 → 4 with bias
  attn4228: {
    layers: [
      { kind: 'selfattention', d: 32, causal: false },
      { kind: 'meantokens' },
      { kind: 'linear', in: 32, out: 4, bias: true },
    ],
    N: 16,
    inputShape: [16, 32],
    classes: 4,
  },
};

/**
 * The parameters of torch layers in torch's registration order, read from
 * the layers alone (not from downhill's description): nn.Linear and
 * nn.Conv2d register weight, then bias; SelfAttention W_q, W_k, W_v, W_o.
 * Each as rows × the rest of its shape (a bias: one column).
 */
export function registrationOrder(layers: readonly TorchLayer[]): TorchParameter[] {
  return layers.flatMap((l, i): TorchParameter[] => {
    switch (l.kind) {
      case 'linear': return [{ name: `${i}.weight`, rows: l.out, cols: l.in }, ...(l.bias ? [{ name: `${i}.bias`, rows: l.out, cols: 1 }] : [])];
      case 'conv2d': return [{ name: `${i}.weight`, rows: l.outChannels, cols: l.inChannels * l.kernel * l.kernel }, ...(l.bias ? [{ name: `${i}.bias`, rows: l.outChannels, cols: 1 }] : [])];
      case 'selfattention': return ['W_q', 'W_k', 'W_v', 'W_o'].map((w) => ({ name: `${i}.${w}.weight`, rows: l.d, cols: l.d }));
      case 'activation':
      case 'maxpool2d':
      case 'avgpool2d':
      case 'flatten':
      case 'meantokens':
        return [];
    }
  });
}

/** conv11738 or attn4228 as a TorchNet, built by the recipe (see the top of this file). */
export function torchReference(id: string): TorchNet {
  if (!(torchReferenceIds as readonly string[]).includes(id)) throw new DownhillError(`unknown model "${id}" (known beyond dense layers: ${torchReferenceIds.join(', ')})`);
  const r = recipes[id as TorchReferenceId];
  const rng = mulberry32(42);
  const parameters = registrationOrder(r.layers);
  const P = parameters.reduce((s, q) => s + q.rows * q.cols, 0);
  const p = new Float64Array(P);
  for (let k = 0; k < P; k++) p[k] = rng() - 0.5;
  const size = r.inputShape.reduce((a, b) => a * b, 1);
  const inputs = new Float64Array(r.N * size);
  for (let i = 0; i < inputs.length; i++) inputs[i] = 2 * rng() - 1;
  const classes: number[] = [];
  for (let n = 0; n < r.N; n++) {
    // conv11738: the first 10 pixels; attn4228: the first token's first 4 features
    let c = 0;
    for (let k = 1; k < r.classes; k++) if (inputs[n * size + k]! > inputs[n * size + c]!) c = k;
    classes.push(c);
  }
  return { name: id, layers: r.layers, loss: 'softmax_ce', inputShape: r.inputShape, inputs, targets: { kind: 'classes', classes }, N: r.N, parameters, p };
}
