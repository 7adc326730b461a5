/**
 * A compact network description: sizes joined by dashes, then optional
 * colon-separated words for the activations, the loss and options.
 *
 *   parseNetworkSpec('2-3-1')                     // tanh hidden, identity output, mse
 *   parseNetworkSpec('2-3-1:tanh:sigmoid:mse')    // hidden tanh, output sigmoid, mse
 *   parseNetworkSpec('4-8-3:relu:softmax_ce')     // 3 logits, softmax cross-entropy
 *   parseNetworkSpec('2-1:sigmoid:bce:nobias')    // logistic regression without a bias
 *
 * Grammar: `<n0>-<n1>[-<n2>...]` followed by any of
 * - activations (identity or a one-argument function of the table: sigmoid,
 *   tanh, relu, leaky_relu, softplus, ...): the first one is for the hidden
 *   layers, the second for the output layer. With no hidden layer (`2-1`),
 *   a single activation is the output's. Defaults: tanh hidden, identity output;
 * - a loss, at most one (default mse), as `modelLoss` builds it (averaged over
 *   the outputs when there are several): `se`/`mse` (y − ŷ)², `mae` |y − ŷ|, `huber` huber(y − ŷ, 1), `bce` −(y log p + (1 − y)
 *   log(1 − p)) on a probability output (pair it with sigmoid), `bce_logits`
 *   softplus(z) − y·z on a logit, `softmax_ce` (alias `ce`) logsumexp(z) − Σ y_c z_c,
 *   `hinge` max(0, 1 − y·s) with y in {−1, 1};
 * - `nobias`: layers without biases.
 *
 * `se` reduces a batch by sum, every other loss by mean, as for the
 * reference models. `specModel` adds random weights and data from a seed.
 */
import { DownhillError } from '../errors.ts';
import { functionRule } from '../expr/functions.ts';
import { packBatch } from './datasets.ts';
import { denseNetwork, type Activation, type LayerSpec, type Naming } from './dense.ts';
import { modelLoss, type LossName, type Model } from './network-loss.ts';
import { mulberry32 } from './random.ts';

/** The grammar of a description, as `downhill help check` prints it (the comment above says the same with the maths). */
export const SPEC_GRAMMAR = `Network descriptions (--model 2-3-1:tanh:sigmoid:mse):
  <n0>-<n1>[-<n2>...]   layer sizes, input first (at most 32 layers of at most 1024)
  then, colon-separated, any of:
  activations           identity or a one-argument function (sigmoid, tanh, relu,
                        leaky_relu, softplus, ...): the first is the hidden layers',
                        the second the output's (with no hidden layer, a single one
                        is the output's); defaults: tanh hidden, identity output
  a loss (at most one)  se (y - p)^2 summed over the batch; averaged over the batch:
                        mse (default), mae |y - p|, huber, bce (after sigmoid),
                        bce_logits, softmax_ce (alias ce), hinge (y in {-1, 1})
  nobias                layers without biases
Examples: 2-3-1, 4-8-3:relu:softmax_ce, 2-1:sigmoid:bce:nobias`;

/** The losses a description may name: those of `modelLoss` but half_se. */
export type SpecLoss = Exclude<LossName, 'half_se'>;

/** A parsed network description. */
export interface NetworkSpec {
  /** The description as given (trimmed). */
  readonly text: string;
  /** Layer widths, input first: [2, 3, 1]. */
  readonly sizes: readonly number[];
  readonly layers: readonly LayerSpec[];
  readonly hidden: Activation;
  readonly output: Activation;
  readonly loss: SpecLoss;
  readonly bias: boolean;
}

/** Each loss name of a description, with its aliases. */
const lossNames: Readonly<Record<string, SpecLoss>> = {
  se: 'se', mse: 'mse', mae: 'mae', huber: 'huber', bce: 'bce', bce_logits: 'bce_logits',
  softmax_ce: 'softmax_ce', ce: 'softmax_ce', hinge: 'hinge',
};

/** Largest width of a layer and largest number of layers a description may ask for. */
export const MAX_LAYER_WIDTH = 1024;
export const MAX_LAYERS = 32;

function isActivation(word: string): boolean {
  if (word === 'identity') return true;
  const rule = functionRule(word);
  return rule !== undefined && rule.arity[0] <= 1 && rule.family !== 'loss';
}

/**
 * Parses a network description (see the grammar at the top of this file).
 *
 *   const s = parseNetworkSpec('2-3-1:tanh:sigmoid:mse')
 *   s.layers  // [{ in: 2, out: 3, activation: 'tanh', bias: true },
 *             //  { in: 3, out: 1, activation: 'sigmoid', bias: true }]
 *   s.loss    // 'mse'
 *   parseNetworkSpec('2-x-1')  // throws DownhillError: network "2-x-1": layer size "x" is not a whole number
 */
export function parseNetworkSpec(text: string): NetworkSpec {
  const t = text.trim();
  const where = `network "${t}"`;
  if (t === '') throw new DownhillError('network: empty description (write sizes such as 2-3-1, optionally :tanh:sigmoid:mse)');
  const [sizeText, ...words] = t.split(':');
  const sizes = sizeText!.split('-').map((s, i) => {
    const w = s.trim();
    if (!/^\d+$/.test(w)) throw new DownhillError(`${where}: layer size "${w}" is not a whole number (sizes go like 2-3-1)`);
    const n = Number(w);
    if (n < 1 || n > MAX_LAYER_WIDTH) throw new DownhillError(`${where}: layer ${i} has ${n} units (1 to ${MAX_LAYER_WIDTH} allowed)`);
    return n;
  });
  if (sizes.length < 2) throw new DownhillError(`${where}: needs at least an input and an output size, such as 2-1`);
  if (sizes.length - 1 > MAX_LAYERS) throw new DownhillError(`${where}: ${sizes.length - 1} layers (at most ${MAX_LAYERS})`);

  const activations: Activation[] = [];
  let loss: SpecLoss | undefined;
  let bias = true;
  for (const raw of words) {
    const w = raw.trim();
    if (w === '') throw new DownhillError(`${where}: empty word between colons`);
    if (Object.hasOwn(lossNames, w)) {
      if (loss !== undefined) throw new DownhillError(`${where}: two losses, "${loss}" and "${w}"`);
      loss = lossNames[w]!;
    } else if (w === 'nobias') {
      bias = false;
    } else if (isActivation(w)) {
      activations.push(w);
    } else {
      throw new DownhillError(`${where}: "${w}" is neither an activation (identity, sigmoid, tanh, relu, ...), a loss (${Object.keys(lossNames).join(', ')}) nor nobias`);
    }
  }
  const hiddenCount = sizes.length - 2;
  if (activations.length > 2 || (hiddenCount === 0 && activations.length > 1)) {
    throw new DownhillError(`${where}: too many activations (${activations.join(', ')}): give one for the hidden layers, then one for the output`);
  }
  const hidden: Activation = hiddenCount > 0 ? activations[0] ?? 'tanh' : 'tanh';
  const output: Activation = hiddenCount > 0 ? activations[1] ?? 'identity' : activations[0] ?? 'identity';
  const finalLoss = loss ?? 'mse';
  const outSize = sizes[sizes.length - 1]!;
  if (finalLoss === 'softmax_ce' && outSize < 2) throw new DownhillError(`${where}: softmax_ce needs at least 2 outputs, got ${outSize}`);
  if ((finalLoss === 'bce' || finalLoss === 'bce_logits' || finalLoss === 'hinge') && outSize !== 1) {
    throw new DownhillError(`${where}: ${finalLoss} needs exactly 1 output, got ${outSize}`);
  }
  const layers: LayerSpec[] = sizes.slice(1).map((out, l) => ({
    in: sizes[l]!, out, activation: l === hiddenCount ? output : hidden, bias,
  }));
  return { text: t, sizes, layers, hidden, output, loss: finalLoss, bias };
}

/**
 * A description's model, its name the description: weights p[k] = rng() − 0.5,
 * as for the reference models, and a random batch.
 */
export interface SpecModel extends Model {
  readonly spec: NetworkSpec;
  readonly seed: number;
}

/** Targets of one sample drawn from its inputs x (no extra random draws). */
function targetsFor(kind: SpecLoss, x: readonly number[], outSize: number): number[] {
  const d = x.length;
  const r = x[0]! * x[1 % d]! + 0.5 * x[d - 1]!; // the reference models' regression target
  switch (kind) {
    case 'se':
    case 'mse':
    case 'mae':
    case 'huber':
      return Array.from({ length: outSize }, (_, c) => (c === 0 ? r : x[c % d]! - r));
    case 'bce':
    case 'bce_logits':
      return [r > 0 ? 1 : 0];
    case 'hinge':
      return [r > 0 ? 1 : -1];
    case 'softmax_ce': {
      // class = index of the largest of the first inputs (first on ties), as for iris67
      const k = Math.min(outSize, d);
      let best = 0;
      for (let i = 1; i < k; i++) if (x[i]! > x[best]!) best = i;
      return Array.from({ length: outSize }, (_, c) => (c === best ? 1 : 0));
    }
  }
}

/**
 * Builds a description's network with weights and data from mulberry32(seed):
 * first the weights p[k] = rng() − 0.5, then N samples x[n][i] = 2·rng() − 1;
 * targets follow from the inputs (regression y = x₁x₂ + ½x_d, its sign for
 * bce and hinge, the largest of the first inputs for softmax_ce).
 *
 *   const m = specModel(parseNetworkSpec('2-3-1:tanh:sigmoid:mse'), { seed: 1, N: 4 })
 *   m.params  // ['w1', ..., 'w13']
 *   m.p.length // 13
 *   m.batch.length // 4 · (2 inputs + 1 target) = 12
 */
export function specModel(spec: NetworkSpec | string, options: { seed?: number; N?: number; naming?: Naming } = {}): SpecModel {
  const s = typeof spec === 'string' ? parseNetworkSpec(spec) : spec;
  const seed = options.seed ?? 42;
  const N = options.N ?? 8;
  if (!Number.isInteger(N) || N < 1 || N > 100_000) throw new DownhillError(`batch size must be a whole number from 1 to 100000, got ${N}`);
  if (!Number.isInteger(seed)) throw new DownhillError(`seed must be a whole number, got ${seed}`);
  const network = denseNetwork(s.layers, { naming: options.naming ?? 'short' });
  const outSize = network.outputs.length;
  const { loss, params, data, targets, reduce } = modelLoss(network, s.loss);
  const rng = mulberry32(seed);
  const p = new Float64Array(network.params.length);
  for (let k = 0; k < p.length; k++) p[k] = rng() - 0.5;
  const d = network.inputs.length;
  const rows: number[][] = [];
  for (let n = 0; n < N; n++) {
    const x = Array.from({ length: d }, () => 2 * rng() - 1);
    rows.push([...x, ...targetsFor(s.loss, x, outSize)]);
  }
  return {
    name: s.text, spec: s, network, loss, params, data, targets, reduce, p, batch: packBatch(rows), N, seed,
  };
}
