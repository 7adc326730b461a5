/**
 * The six reference models on which every performance figure is measured,
 * built exactly by the recipe of /work/shared/benchmark-models.md:
 *
 *   1. weights: P draws, p[k] = rng() − 0.5;
 *   2. inputs (not for xor9): N samples of d draws, x[n][i] = 2·rng() − 1;
 *   3. targets (no draws): y = x₀·x₁ + 0.5·x_{d−1} for regression,
 *      the index of the largest of x₀, x₁, x₂ for iris67 (first on ties),
 *      the XOR truth table for xor9.
 *
 * A fresh mulberry32(42) generator per model. The flat parameter vector holds,
 * layer by layer, W (out × in) row by row (W[j][i] = p[off + j·in + i]), then b.
 */
import { DownhillError } from '../errors.ts';
import { mulberry32 } from './random.ts';

/** The names of the reference models, smallest first. */
export type ReferenceId = 'seed3' | 'xor9' | 'iris67' | 'mlp321' | 'mlp1153' | 'deep1249';

export type { Activation, LayerSpec } from './dense.ts';
import { parameterCount, type Activation, type LayerSpec } from './dense.ts';

/**
 * The loss over the batch:
 * 'se' = (y − ŷ)² (one sample), 'mse' = (1/N) Σₙ (yₙ − ŷₙ)² (no factor ½),
 * 'softmax_ce' = (1/N) Σₙ (logsumexp(zₙ) − zₙ[cₙ]).
 */
export type LossKind = 'se' | 'mse' | 'softmax_ce';

/** A reference model as plain data: architecture, initial weights, batch and listed loss. */
export interface ReferenceModel {
  id: ReferenceId;
  layers: LayerSpec[];
  loss: LossKind;
  /** Batch size. */
  N: number;
  /** Number of parameters. */
  P: number;
  /** Initial weights (parameter values), layer by layer, W row by row then b. */
  p: Float64Array;
  /** N samples of d inputs. */
  inputs: Float64Array[];
  /** N samples: regression and xor9 as [y]; iris67 one-hot, e.g. [0, 0, 1]. */
  targets: Float64Array[];
  /** iris67 only: the class index of each sample. */
  classes?: number[];
  /**
   * The loss at the initial weights, as listed in the spec (float64). Reproduced
   * bit for bit by summing z_j = b_j + Σᵢ W[j][i]·aᵢ in that order (bias first)
   * and dividing the batch sum by N; adding the bias last is 1 ulp off on mlp321.
   */
  initialLoss: number;
}

/** The reference model ids, smallest first. */
export const referenceIds: readonly ReferenceId[] = ['seed3', 'xor9', 'iris67', 'mlp321', 'mlp1153', 'deep1249'];

interface Recipe {
  layers: LayerSpec[];
  loss: LossKind;
  N: number;
  data: 'regression' | 'iris' | 'xor';
  initialLoss: number;
}

/** A dense layer with a bias. */
const dense = (inSize: number, out: number, activation: Activation): LayerSpec => ({ in: inSize, out, activation, bias: true });

const recipes: Record<ReferenceId, Recipe> = {
  seed3: {
    // h = sigmoid(w1·x1 + w2·x2), ŷ = w3·h
    layers: [
      { in: 2, out: 1, activation: 'sigmoid', bias: false },
      { in: 1, out: 1, activation: 'identity', bias: false },
    ],
    loss: 'se',
    N: 1,
    data: 'regression',
    initialLoss: 0.5302533623777805,
  },
  xor9: {
    layers: [dense(2, 2, 'sigmoid'), dense(2, 1, 'sigmoid')],
    loss: 'mse',
    N: 4,
    data: 'xor',
    initialLoss: 0.25708337712896895,
  },
  iris67: {
    layers: [dense(4, 8, 'tanh'), dense(8, 3, 'identity')],
    loss: 'softmax_ce',
    N: 16,
    data: 'iris',
    initialLoss: 1.2276851001165585,
  },
  mlp321: {
    layers: [dense(8, 32, 'tanh'), dense(32, 1, 'identity')],
    loss: 'mse',
    N: 32,
    data: 'regression',
    initialLoss: 0.8933096923162245,
  },
  mlp1153: {
    layers: [dense(16, 64, 'tanh'), dense(64, 1, 'identity')],
    loss: 'mse',
    N: 32,
    data: 'regression',
    initialLoss: 2.1448280944924805,
  },
  deep1249: {
    layers: [
      dense(8, 16, 'tanh'),
      dense(16, 16, 'tanh'),
      dense(16, 16, 'tanh'),
      dense(16, 16, 'tanh'),
      dense(16, 16, 'tanh'),
      dense(16, 1, 'identity'),
    ],
    loss: 'mse',
    N: 32,
    data: 'regression',
    initialLoss: 0.6542249622841408,
  },
};

function isReferenceId(id: string): id is ReferenceId {
  return (referenceIds as readonly string[]).includes(id);
}

/**
 * Builds a reference model by the recipe, fresh on every call (the caller
 * may modify its arrays).
 *
 *   const m = referenceModel('xor9');
 *   m.P;           // returns 9
 *   m.initialLoss; // returns 0.25708337712896895
 *   referenceModel('mnist'); // throws DownhillError: unknown reference model "mnist" (known: seed3, ...)
 */
export function referenceModel(id: string): ReferenceModel {
  if (!isReferenceId(id)) {
    throw new DownhillError(`unknown reference model "${id}" (known: ${referenceIds.join(', ')})`);
  }
  const r = recipes[id];
  const rng = mulberry32(42);
  const P = parameterCount(r.layers);
  const d = r.layers[0]?.in ?? 0;
  const N = r.N;

  // 1. weights: p[k] = rng() − 0.5
  const p = new Float64Array(P);
  for (let k = 0; k < P; k++) p[k] = rng() - 0.5;

  const inputs: Float64Array[] = [];
  const targets: Float64Array[] = [];
  const model: ReferenceModel = { id, layers: r.layers.map((l) => ({ ...l })), loss: r.loss, N, P, p, inputs, targets, initialLoss: r.initialLoss };

  if (r.data === 'xor') {
    // 3. the truth table, no draws
    const table: [number, number, number][] = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]];
    for (const [a, b, y] of table) {
      inputs.push(Float64Array.of(a, b));
      targets.push(Float64Array.of(y));
    }
    return model;
  }

  // 2. inputs: sample by sample, feature by feature, x = 2·rng() − 1
  for (let n = 0; n < N; n++) {
    const x = new Float64Array(d);
    for (let i = 0; i < d; i++) x[i] = 2 * rng() - 1;
    inputs.push(x);
  }

  // 3. targets
  if (r.data === 'regression') {
    for (const x of inputs) {
      const x0 = x[0] ?? 0, x1 = x[1] ?? 0, xl = x[d - 1] ?? 0;
      targets.push(Float64Array.of(x0 * x1 + 0.5 * xl));
    }
  } else {
    // iris: class = index of the largest of x0, x1, x2 (the first on ties), one-hot target
    const classes: number[] = [];
    for (const x of inputs) {
      let c = 0;
      for (let k = 1; k < 3; k++) if ((x[k] ?? 0) > (x[c] ?? 0)) c = k;
      classes.push(c);
      const t = new Float64Array(3);
      t[c] = 1;
      targets.push(t);
    }
    model.classes = classes;
  }
  return model;
}
