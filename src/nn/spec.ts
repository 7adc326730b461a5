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
import { arrayOf, checkArg, checkOneOf, DownhillError, kindOf, objectWith, TEXT, type Accepts } from '../errors.ts';
import { packBatch } from './datasets.ts';
import { denseNetwork, isActivation, parameterCount, type Activation, type LayerSpec, type Naming } from './dense.ts';
import { LOSS_OUTPUTS, lossFits, modelLoss, targetNames, type LossName, type Model } from './network-loss.ts';
import { mulberry32 } from './random.ts';
import { CONV_GEOMETRY, convGeometry, POOL_GEOMETRY, poolGeometry, type ConvGeometry, type PoolGeometry } from './geometry.ts';

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
Examples: 2-3-1, 4-8-3:relu:softmax_ce, 2-1:sigmoid:bce:nobias
A description may start with an image CxHxW or a sequence TxD, then layers
joined by dashes:
  n                     a dense layer of n outputs (an image is flattened)
  convFxK               F filters K×K, bias per filter, the hidden activation;
                        add sS for stride S, pP for zero padding P (conv8x5s1p2)
  maxpoolK, avgpoolK    K×K windows (sS: stride, default K)
  attn, attn_causal     self-attention with a residual:
                        h = x + W_o V softmax(KᵀQ/√d), no biases
  mean                  the mean over the tokens
Examples: 1x28x28-conv8x5-maxpool2-10:relu:softmax_ce (conv11738),
16x32-attn-mean-4:softmax_ce (attn4228)`;

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

  const { activations, loss, bias } = descriptionWords(words, where);
  const hiddenCount = sizes.length - 2;
  if (activations.length > 2 || (hiddenCount === 0 && activations.length > 1)) {
    throw new DownhillError(`${where}: too many activations (${activations.join(', ')}): give one for the hidden layers, then one for the output`);
  }
  const hidden: Activation = hiddenCount > 0 ? activations[0] ?? 'tanh' : 'tanh';
  const output: Activation = hiddenCount > 0 ? activations[1] ?? 'identity' : activations[0] ?? 'identity';
  const finalLoss = loss ?? 'mse';
  checkOutputs(where, finalLoss, sizes[sizes.length - 1]!);
  const layers: LayerSpec[] = sizes.slice(1).map((out, l) => ({
    in: sizes[l]!, out, activation: l === hiddenCount ? output : hidden, bias,
  }));
  return { text: t, sizes, layers, hidden, output, loss: finalLoss, bias };
}

/** The words after the sizes (`:tanh:sigmoid:mse:nobias`): activations in order, at most one loss, and whether layers have biases. */
function descriptionWords(words: readonly string[], where: string): { activations: Activation[]; loss: SpecLoss | undefined; bias: boolean } {
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
  return { activations, loss, bias };
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
  const sizes = { P: parameterCount(s.layers), inputs: s.sizes[0]!, outputs: s.sizes.at(-1)!, loss: s.loss };
  const { p, batch, N, seed } = drawnModel(sizes, options);
  const network = denseNetwork(s.layers, { naming: options.naming ?? 'short' });
  const { loss, params, data, targets, reduce } = modelLoss(network, s.loss);
  return {
    name: s.text, spec: s, network, loss, params, data, targets, reduce, p, batch, N, seed,
  };
}

/**
 * A description's weights and batch from mulberry32(seed) (default 42),
 * dense or layered alike: first the P weights p[k] = rng() − 0.5, then N
 * (default 8) samples x[n][i] = 2·rng() − 1, each followed by its targets
 * (targetsFor).
 */
export function drawnModel(m: { readonly P: number; readonly inputs: number; readonly outputs: number; readonly loss: SpecLoss }, options: { readonly seed?: number; readonly N?: number }): { p: Float64Array; batch: Float64Array; N: number; seed: number } {
  const seed = options.seed ?? 42;
  const N = options.N ?? 8;
  if (!Number.isInteger(N) || N < 1 || N > 100_000) throw new DownhillError(`batch size must be a whole number from 1 to 100000, got ${N}`);
  if (!Number.isInteger(seed)) throw new DownhillError(`seed must be a whole number, got ${seed}`);
  const rng = mulberry32(seed);
  const p = new Float64Array(m.P);
  for (let k = 0; k < p.length; k++) p[k] = rng() - 0.5;
  const rows: number[][] = [];
  for (let n = 0; n < N; n++) {
    const x = Array.from({ length: m.inputs }, () => 2 * rng() - 1);
    rows.push([...x, ...targetsFor(m.loss, x, m.outputs)]);
  }
  return { p, batch: packBatch(rows), N, seed };
}

// ---------------------------------------------------------------------------
// Descriptions with layers beyond dense: images and sequences.
//
//   1x28x28-conv8x5-maxpool2-10:relu:softmax_ce   (conv11738: 8 filters 5×5, relu, max-pool 2×2, dense 10)
//   16x32-attn-mean-4:softmax_ce                  (attn4228: 16 tokens of width 32, self-attention, mean, dense 4)
//
// The input is `CxHxW` (an image: channels × height × width, a sample's
// numbers channel by channel, row by row) or `TxD` (a sequence of T tokens
// of width D, token by token), then layers joined by dashes:
// - `n`: a dense layer with n outputs (an image is flattened first, channel
//   by channel then row by row; a sequence needs `mean` first);
// - `convFxK` (optionally `s<stride>`, `p<padding>`: `conv8x5s1p2`): F filters
//   of K×K over every channel, a bias per filter, the hidden activation;
// - `maxpoolK`, `avgpoolK` (optionally `s<stride>`, default K): K×K windows;
// - `attn` (or `attn_causal`, keys after the query masked): self-attention
//   with a residual, h_t = x_t + W_o Σ_u softmax_u(q_t·k_u/√D) v_u, with
//   q = W_q x, k = W_k x, v = W_v x, no biases;
// - `mean`: the mean over the tokens.
// The words after the colon are those of a dense description: the first
// activation is for the convolutions and hidden dense layers, the second
// for the output; a loss; `nobias`.

/** A layer of a description with images or sequences (its parameters: blockParameters). */
export type Block =
  | { readonly kind: 'conv'; readonly geom: ConvGeometry; readonly activation: Activation; readonly bias: boolean }
  | { readonly kind: 'pool'; readonly mode: 'max' | 'avg'; readonly geom: PoolGeometry }
  | { readonly kind: 'attention'; readonly T: number; readonly d: number; readonly causal: boolean }
  | { readonly kind: 'mean'; readonly T: number; readonly d: number }
  | { readonly kind: 'dense'; readonly layer: LayerSpec };

/** What flows into and out of a block: an image C×H×W, a sequence of T tokens of width d, or a vector of n numbers. */
export type Flow =
  | { readonly kind: 'image'; readonly C: number; readonly H: number; readonly W: number }
  | { readonly kind: 'sequence'; readonly T: number; readonly d: number }
  | { readonly kind: 'vector'; readonly n: number };

/** A parsed description with images or sequences. */
export interface LayeredSpec {
  readonly text: string;
  /** The input: an image C×H×W or a sequence T×D. */
  readonly input: Extract<Flow, { kind: 'image' | 'sequence' }>;
  readonly blocks: readonly Block[];
  readonly loss: SpecLoss;
  /** Numbers per sample in, and outputs. */
  readonly inputs: number;
  readonly outputs: number;
  /** Parameters. */
  readonly P: number;
}

/** What the functions that take a layered network accept: parseLayeredSpec's result. */
export const LAYERED_SPEC: Accepts<LayeredSpec> = { ...objectWith<LayeredSpec>('input', 'blocks', 'loss', 'inputs', 'outputs', 'P'), what: "a layered network (parseLayeredSpec's result)" };

/** Whether a description has images or sequences (its input has an x, or a layer is conv, a pool, attn or mean). */
export function isLayeredSpec(text: string): boolean {
  const sizes = text.trim().split(':')[0] ?? '';
  return /^\s*\d+(x\d+)+\s*(-|$)/.test(sizes) || /-\s*(conv|maxpool|avgpool|attn|mean)/.test(sizes);
}

// ---------------------------------------------------------------------------
// The vocabulary of layered networks, written once for both engines: the
// scalar engine (nn/layered.ts, one symbol per weight) and the matrix engine
// (matrix/layered.ts, one node per layer quantity) build a description's
// network from these tables, so they take the same parameters in the same
// order under the same names, and refuse the same networks with the same line.

/** One parameter matrix of a block: rows × cols, row by row in p. */
export interface BlockParameter {
  /** Its letter (the matrix engine's key, the printed name's base): K, b, W, Wq, Wk, Wv, Wo. */
  readonly base: string;
  readonly rows: number;
  readonly cols: number;
  /** The 'indexed' name of the entry at (row, col), both counted from 0. */
  readonly name: (row: number, col: number) => string;
}

/**
 * The parameters of block `l` (counted from 1), in the order of p:
 *
 *   block        matrices (rows × cols)                            indexed names
 *   conv         K: F × C·kh·kw, then b: F × 1 (with a bias)       K1_f_c_i_j, b1_f
 *   attention    W_q, W_k, W_v, W_o: d × d each                    Wq1_j_i, Wk1_j_i, Wv1_j_i, Wo1_j_i
 *   dense        W: out × in, then b: out × 1 (with a bias)        W1_j_i, b1_j
 *   pool, mean   none
 */
export function blockParameters(b: Block, l: number): BlockParameter[] {
  const matrix = (base: string, rows: number, cols: number): BlockParameter => ({ base, rows, cols, name: (j, i) => `${base}${l}_${j + 1}_${i + 1}` });
  const bias = (rows: number): BlockParameter => ({ base: 'b', rows, cols: 1, name: (j) => `b${l}_${j + 1}` });
  switch (b.kind) {
    case 'conv': {
      const { F, C, kh, kw } = b.geom;
      const kernel: BlockParameter = {
        base: 'K', rows: F, cols: C * kh * kw,
        name: (f, col) => `K${l}_${f + 1}_${Math.floor(col / (kh * kw)) + 1}_${Math.floor(col / kw) % kh + 1}_${col % kw + 1}`,
      };
      return b.bias ? [kernel, bias(F)] : [kernel];
    }
    case 'attention': return ['Wq', 'Wk', 'Wv', 'Wo'].map((w) => matrix(w, b.d, b.d));
    case 'dense': return b.layer.bias ? [matrix('W', b.layer.out, b.layer.in), bias(b.layer.out)] : [matrix('W', b.layer.out, b.layer.in)];
    case 'pool':
    case 'mean': return [];
  }
}

/** The parameter names of a layered network, in the order of p: w1, w2, ... or per block (K1_f_c_i_j, b1_f, Wq2_j_i, ...). */
export function layeredParameterNames(spec: LayeredSpec, naming: Naming = 'short'): string[] {
  const names: string[] = [];
  spec.blocks.forEach((b, i) => {
    for (const m of blockParameters(b, i + 1)) for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) names.push(m.name(r, c));
  });
  return naming === 'short' ? names.map((_, k) => `w${k + 1}`) : names;
}

/** The data of a layered network, in the order of a batch row: its inputs x1, x2, ..., then its targets (y, or y1, y2, ...). */
export function layeredDataNames(spec: LayeredSpec): string[] {
  return [...Array.from({ length: spec.inputs }, (_, i) => `x${i + 1}`), ...targetNames(spec.outputs)];
}

const flowSize = (f: Flow): number => (f.kind === 'image' ? f.C * f.H * f.W : f.kind === 'sequence' ? f.T * f.d : f.n);
const flowText = (f: Flow): string => (f.kind === 'image' ? `an image ${f.C}×${f.H}×${f.W}` : f.kind === 'sequence' ? `a sequence ${f.T}×${f.d}` : `${f.n} numbers`);

/** What each kind of block takes, and the line that refuses anything else (`out`: a dense layer's outputs). */
const TAKES: Readonly<Record<Block['kind'], { readonly flows: readonly Flow['kind'][]; readonly refusal: (out: number) => string }>> = {
  conv: { flows: ['image'], refusal: () => 'a convolution needs an image (CxHxW) before it' },
  pool: { flows: ['image'], refusal: () => 'pooling needs an image (CxHxW) before it' },
  attention: { flows: ['sequence'], refusal: () => 'attention needs a sequence (TxD) before it' },
  mean: { flows: ['sequence'], refusal: () => 'mean (over tokens) needs a sequence (TxD) before it' },
  dense: { flows: ['image', 'vector'], refusal: (out) => `a dense layer after a sequence needs mean first (…-mean-${out})` }, // an image is flattened
};

/** Why block `b` cannot take `input` (its kind, then its sizes), or undefined. */
function refusalOf(b: Block, input: Flow): string | undefined {
  if (!TAKES[b.kind].flows.includes(input.kind)) return TAKES[b.kind].refusal(b.kind === 'dense' ? b.layer.out : 0);
  const takes: Flow = b.kind === 'conv' || b.kind === 'pool' ? { kind: 'image', C: b.geom.C, H: b.geom.H, W: b.geom.W }
    : b.kind === 'attention' || b.kind === 'mean' ? { kind: 'sequence', T: b.T, d: b.d }
      : { kind: 'vector', n: b.layer.in };
  const fits = takes.kind === 'vector' ? takes.n === flowSize(input) : flowText(takes) === flowText(input);
  return fits ? undefined : `takes ${flowText(takes)} but gets ${flowText(input)}`;
}

/** What block `b` gives. */
function outputOf(b: Block, input: Flow): Flow {
  switch (b.kind) {
    case 'conv': return { kind: 'image', C: b.geom.F, H: b.geom.Ho, W: b.geom.Wo };
    case 'pool': return { kind: 'image', C: b.geom.C, H: b.geom.Ho, W: b.geom.Wo };
    case 'attention': return input;
    case 'mean': return { kind: 'vector', n: b.d };
    case 'dense': return { kind: 'vector', n: b.layer.out };
  }
}

/** Refuses a loss that does not fit a description's outputs (network-loss.ts's rule, in a description's words). */
function checkOutputs(where: string, loss: SpecLoss, outputs: number): void {
  if (lossFits(loss, outputs)) return;
  throw new DownhillError(LOSS_OUTPUTS[loss] === 'one' ? `${where}: ${loss} needs exactly 1 output, got ${outputs}` : `${where}: ${loss} needs at least 2 outputs, got ${outputs}`);
}

/**
 * A layered network's blocks walked from its input, each checked against
 * what flows into it, and its outputs and parameters counted: the one walk
 * of parseLayeredSpec and of both engines' doors (readLayeredSpec).
 */
function walkBlocks(text: string, input: LayeredSpec['input'], blocks: readonly Block[], loss: SpecLoss): LayeredSpec {
  const where = `network "${text}"`;
  let flow = input as Flow;
  blocks.forEach((b, i) => {
    const refused = refusalOf(b, flow);
    if (refused !== undefined) throw new DownhillError(`${where}, layer ${i + 1} "${b.kind}": ${refused}`);
    flow = outputOf(b, flow);
  });
  if (flow.kind !== 'vector' || blocks.at(-1)?.kind !== 'dense') throw new DownhillError(`${where}: must end with a dense layer (a size, such as …-10)`);
  checkOutputs(where, loss, flow.n);
  const P = blocks.reduce((s, b, i) => s + blockParameters(b, i + 1).reduce((t, m) => t + m.rows * m.cols, 0), 0);
  return { text, input, blocks, loss, inputs: flowSize(input), outputs: flow.n, P };
}

const whole = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
/** Each kind of block's fields, of their kinds (their sizes are checked by the walk). */
const BLOCK_FIELDS: Readonly<Record<Block['kind'], (b: Record<string, unknown>) => boolean>> = {
  conv: (b) => CONV_GEOMETRY.test(b['geom']) && typeof b['activation'] === 'string' && typeof b['bias'] === 'boolean',
  pool: (b) => POOL_GEOMETRY.test(b['geom']) && (b['mode'] === 'max' || b['mode'] === 'avg'),
  attention: (b) => whole(b['T']) && whole(b['d']) && typeof b['causal'] === 'boolean',
  mean: (b) => whole(b['T']) && whole(b['d']),
  dense: (b) => objectWith<Record<string, unknown>>('in', 'out', 'activation', 'bias').test(b['layer']) && whole(b['layer']['in']) && whole(b['layer']['out']) && typeof b['layer']['activation'] === 'string' && typeof b['layer']['bias'] === 'boolean',
};
const BLOCK: Accepts<Block> = {
  what: 'a block { kind: conv, pool, attention, mean or dense, ... }',
  test: (v): v is Block => kindOf<Block>('', Object.keys(BLOCK_FIELDS)).test(v) && BLOCK_FIELDS[v.kind](v as unknown as Record<string, unknown>),
};
const INPUT: Accepts<LayeredSpec['input']> = {
  what: "an image { kind: 'image', C, H, W } or a sequence { kind: 'sequence', T, d }",
  test: (v): v is LayeredSpec['input'] => objectWith<Record<string, unknown>>('kind').test(v) && (v['kind'] === 'image' ? whole(v['C']) && whole(v['H']) && whole(v['W']) : v['kind'] === 'sequence' && whole(v['T']) && whole(v['d'])),
};
const SPEC_LOSSES = Object.keys(lossNames).filter((k) => k !== 'ce');

/**
 * The description both engines build from: a text parsed (parseLayeredSpec),
 * or a parsed description walked again (a hand-made or altered one is
 * refused as a parsed one would be, with the same line for both engines).
 *
 *   readLayeredSpec('layeredNetwork', '16x32-attn-mean-4:softmax_ce').P   // 4228
 */
export function readLayeredSpec(fn: string, spec: unknown): LayeredSpec {
  if (typeof spec === 'string') return parseLayeredSpec(spec);
  checkArg(fn, 'spec', spec, { ...LAYERED_SPEC, what: `a description such as '1x28x28-conv8x5-maxpool2-10:relu:softmax_ce' or ${LAYERED_SPEC.what}` });
  checkArg(fn, 'spec.blocks', spec.blocks, arrayOf(BLOCK, 'an array of blocks { kind: conv, pool, attention, mean or dense, ... }'));
  checkOneOf(fn, 'spec.loss', spec.loss, SPEC_LOSSES);
  checkArg(fn, 'spec.input', spec.input, INPUT);
  const text = typeof spec.text === 'string' ? spec.text : '(a parsed description)';
  const walked = walkBlocks(text, spec.input, spec.blocks, spec.loss);
  for (const key of ['inputs', 'outputs', 'P'] as const) {
    if (spec[key] !== walked[key]) throw new DownhillError(`network "${text}": ${key} is ${String(spec[key])}, but its blocks make ${walked[key]}`);
  }
  return spec;
}

/** Multiply-adds of one sample's forward pass: what a loss evaluation costs, and about how large its scalar graph is. */
export function layeredMultiplyAdds(spec: LayeredSpec): number {
  return spec.blocks.reduce((s, b) => {
    switch (b.kind) {
      case 'conv': return s + b.geom.F * b.geom.Ho * b.geom.Wo * b.geom.C * b.geom.kh * b.geom.kw;
      case 'pool': return s + b.geom.C * b.geom.Ho * b.geom.Wo * b.geom.k * b.geom.k;
      case 'attention': return s + 4 * b.T * b.d * b.d + 2 * b.T * b.T * b.d;
      case 'mean': return s + b.T * b.d;
      case 'dense': return s + b.layer.in * b.layer.out;
    }
  }, 0);
}

/**
 * Parses a description with images or sequences (see above).
 *
 *   parseLayeredSpec('1x28x28-conv8x5-maxpool2-10:relu:softmax_ce').P   // 11738
 *   parseLayeredSpec('16x32-attn-mean-4:softmax_ce').P                  // 4228
 *   parseLayeredSpec('16x32-4')   // throws: a dense layer after a sequence needs mean first
 */
export function parseLayeredSpec(text: string): LayeredSpec {
  checkArg('parseLayeredSpec', 'text', text, TEXT);
  const t = text.trim();
  const where = `network "${t}"`;
  const [sizeText, ...words] = t.split(':');
  const parts = sizeText!.split('-').map((s) => s.trim());
  const dims = parts[0]!.split('x').map((s) => {
    if (!/^\d+$/.test(s)) throw new DownhillError(`${where}: input "${parts[0]}" is not CxHxW (an image) or TxD (a sequence)`);
    const n = Number(s);
    if (n < 1 || n > MAX_LAYER_WIDTH) throw new DownhillError(`${where}: input size ${n} (1 to ${MAX_LAYER_WIDTH} allowed)`);
    return n;
  });
  if (dims.length > 3) throw new DownhillError(`${where}: input "${parts[0]}" is not CxHxW (an image) or TxD (a sequence)`);
  if (parts.length < 2) throw new DownhillError(`${where}: needs at least one layer after the input`);
  if (parts.length - 1 > MAX_LAYERS) throw new DownhillError(`${where}: ${parts.length - 1} layers (at most ${MAX_LAYERS})`);

  const { activations, loss, bias } = descriptionWords(words, where);
  if (activations.length > 2) throw new DownhillError(`${where}: too many activations (${activations.join(', ')}): give one for the hidden layers, then one for the output`);
  const hidden = activations[0] ?? 'tanh', output = activations[1] ?? 'identity';
  const finalLoss = loss ?? 'mse';

  const input = dims.length === 3 ? { kind: 'image' as const, C: dims[0]!, H: dims[1]!, W: dims[2]! } : dims.length === 2 ? { kind: 'sequence' as const, T: dims[0]!, d: dims[1]! } : undefined;
  if (!input) throw new DownhillError(`${where}: an input of one size is a dense description: write sizes only, such as 784-30-10`);
  let flow = input as Flow;
  const lastDense = parts.length - 1 - [...parts].reverse().findIndex((p) => /^\d+$/.test(p));
  const blocks: Block[] = [];
  parts.slice(1).forEach((p, i) => {
    const at = `${where}, layer ${i + 1} "${p}"`;
    let m: RegExpExecArray | null;
    const checked = <T>(make: () => T): T => {
      try { return make(); } catch (e) { if (e instanceof DownhillError) throw new DownhillError(`${at}: ${e.message}`); throw e; }
    };
    /** The block, once what flows in is of the kind it takes (TAKES). */
    const take = (kind: Block['kind'], make: (image: Extract<Flow, { kind: 'image' }>) => Block, out = 0): void => {
      if (!TAKES[kind].flows.includes(flow.kind)) throw new DownhillError(`${at}: ${TAKES[kind].refusal(out)}`);
      const b = make(flow as Extract<Flow, { kind: 'image' }>);
      blocks.push(b);
      flow = outputOf(b, flow);
    };
    if (/^\d+$/.test(p)) {
      const out = Number(p);
      if (out < 1 || out > MAX_LAYER_WIDTH) throw new DownhillError(`${at}: ${out} units (1 to ${MAX_LAYER_WIDTH} allowed)`);
      take('dense', () => ({ kind: 'dense', layer: { in: flowSize(flow), out, activation: i + 1 === lastDense ? output : hidden, bias } }), out);
    } else if ((m = /^conv(\d+)x(\d+)(?:s(\d+))?(?:p(\d+))?$/.exec(p))) {
      take('conv', (s0) => ({ kind: 'conv', geom: checked(() => convGeometry({ C: s0.C, H: s0.H, W: s0.W, F: Number(m![1]), kh: Number(m![2]), kw: Number(m![2]), stride: Number(m![3] ?? 1), pad: Number(m![4] ?? 0) })), activation: hidden, bias }));
    } else if ((m = /^(max|avg)pool(\d+)(?:s(\d+))?$/.exec(p))) {
      take('pool', (s0) => ({ kind: 'pool', mode: m![1] as 'max' | 'avg', geom: checked(() => poolGeometry({ C: s0.C, H: s0.H, W: s0.W, k: Number(m![2]), stride: Number(m![3] ?? m![2]) })) }));
    } else if (p === 'attn' || p === 'attn_causal') {
      take('attention', () => ({ kind: 'attention', T: (flow as { T: number }).T, d: (flow as { d: number }).d, causal: p === 'attn_causal' }));
    } else if (p === 'mean') {
      take('mean', () => ({ kind: 'mean', T: (flow as { T: number }).T, d: (flow as { d: number }).d }));
    } else {
      throw new DownhillError(`${at}: not a layer (a size such as 10, convFxK, maxpoolK, avgpoolK, attn, attn_causal or mean)`);
    }
  });
  return walkBlocks(t, input, blocks, finalLoss);
}

