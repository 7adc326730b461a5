/**
 * Dense networks as expression graphs.
 *
 *   const net = denseNetwork([{ in: 2, out: 1, activation: 'sigmoid', bias: false },
 *                             { in: 1, out: 1, activation: 'identity', bias: false }])
 *   net.params   // ['w1', 'w2', 'w3']
 *   net.outputs  // [w3 · σ(w1·x1 + w2·x2)]
 *
 * Each layer computes a' = act(z) with z_j = b_j + Σ_i W_ji · a_i, summed in
 * that order (bias first), so that the reference models' losses come out bit
 * for bit. Parameters are ordered layer by layer, W row by row, then b.
 */
import { checkOneOf, checkOptions, checkWhole, describeValue, DownhillError } from '../errors.ts';
import { functionRule } from '../expr/functions.ts';
import { add, call, mul, sym, type Node } from '../expr/node.ts';

/** A layer's activation: 'identity' or a one-argument function of the table. */
export type Activation = 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'softplus' | (string & {});

/** One dense layer a' = act(W·a + b): `in` inputs, `out` outputs, with or without b. */
export interface LayerSpec {
  readonly in: number;
  readonly out: number;
  readonly activation: Activation;
  readonly bias: boolean;
}

/**
 * How parameters are named: 'short' gives w1, w2, ... (biases included, in
 * order); 'indexed' gives W1_2_1 (layer 1, row 2, column 1, printed
 * W^{(1)}_{21}) and b1_2 (printed b^{(1)}_{2}).
 */
export type Naming = 'short' | 'indexed';

export interface DenseNetwork {
  readonly layers: readonly LayerSpec[];
  /** Parameter names, in the order of the flat parameter vector. */
  readonly params: readonly string[];
  /** Input symbols x1, x2, ... */
  readonly inputs: readonly string[];
  /** The output nodes ŷ1, ŷ2, ... (after the last activation). */
  readonly outputs: readonly Node[];
  /** Every layer's pre-activations z and activations a, for lessons and pictures. */
  readonly z: readonly (readonly Node[])[];
  readonly a: readonly (readonly Node[])[];
}

/**
 * Where each layer's parameters sit in the flat parameter vector: W (out ×
 * in, row by row) from `weights`, then b (out entries) from `bias` when the
 * layer has one; the layer ends at `end`.
 *
 *   layerOffsets([{ in: 2, out: 2, activation: 'sigmoid', bias: true }, { in: 2, out: 1, activation: 'identity', bias: true }])
 *   // [{ weights: 0, bias: 4, end: 6 }, { weights: 6, bias: 8, end: 9 }]
 */
export function layerOffsets(layers: readonly LayerSpec[]): { weights: number; bias: number; end: number }[] {
  let k = 0;
  return layers.map((l) => {
    const weights = k;
    const bias = weights + l.in * l.out;
    k = bias + (l.bias ? l.out : 0);
    return { weights, bias, end: k };
  });
}

/**
 * Throws (a DownhillError naming `fn`) unless `layers` is an array of
 * layers { in, out, activation, bias } with whole sizes ≥ 1, each taking
 * the previous one's outputs. A description such as '784-30-10' is refused
 * with a pointer to parseNetworkSpec.
 */
export function checkLayers(fn: string, layers: unknown): asserts layers is readonly LayerSpec[] {
  if (typeof layers === 'string') throw new DownhillError(`${fn}: layers must be an array of { in, out, activation, bias }, got ${describeValue(layers)} (parseNetworkSpec('${layers.slice(0, 20)}').layers makes one from a description)`);
  if (!Array.isArray(layers) || layers.length === 0) throw new DownhillError(`${fn}: layers must be a non-empty array of { in, out, activation, bias }, got ${describeValue(layers)}`);
  layers.forEach((layer: unknown, k) => {
    if (layer === null || typeof layer !== 'object') throw new DownhillError(`${fn}: layers[${k}] must be { in, out, activation, bias }, got ${describeValue(layer)}`);
    const l = layer as Record<string, unknown>;
    checkWhole(fn, `layers[${k}].in`, l['in'], 1);
    checkWhole(fn, `layers[${k}].out`, l['out'], 1);
    if (typeof l['activation'] !== 'string') throw new DownhillError(`${fn}: layers[${k}].activation must be a name such as 'sigmoid', got ${describeValue(l['activation'])}`);
    if (l['bias'] !== undefined && typeof l['bias'] !== 'boolean') throw new DownhillError(`${fn}: layers[${k}].bias must be true or false, got ${describeValue(l['bias'])}`);
    const before = k > 0 ? (layers[k - 1] as { out: unknown }).out : undefined;
    if (k > 0 && l['in'] !== before) throw new DownhillError(`${fn}: layers[${k}].in is ${String(l['in'])}, but layers[${k - 1}] has ${String(before)} outputs`);
  });
}

/** Number of parameters of a stack of layers: Σ out·in (+ out where there is a bias). */
export function parameterCount(layers: readonly LayerSpec[]): number {
  return layerOffsets(layers).at(-1)?.end ?? 0;
}

/**
 * Applies an activation by name: 'identity' or a function of the table,
 * with the table's default for any further argument (as parsing does).
 *
 *   activate('sigmoid', sym('z'))      // sigmoid(z)
 *   activate('leaky_relu', sym('z'))   // leaky_relu(z, 0.01)
 */
export function activate(activation: Activation, z: Node): Node {
  if (activation === 'identity') return z;
  if (!isActivation(activation)) throw new DownhillError(`unknown activation "${activation}" (use identity or a one-argument function such as sigmoid, tanh, relu)`);
  return call(activation, z, ...(functionRule(activation)!.defaults ?? []));
}

/**
 * Whether a name is an activation, for both engines and the descriptions
 * (nn/spec.ts): identity, or a function of the table that takes one
 * argument (its others have defaults) and is not a loss (huber, logsumexp).
 */
export function isActivation(name: string): boolean {
  if (name === 'identity') return true;
  const rule = functionRule(name);
  return rule !== undefined && rule.arity[0] <= 1 && rule.family !== 'loss';
}

/**
 * The names of a network's parameters, in the order of p (layer by layer,
 * W row by row, then b): w1, w2, ... ('short') or W1_2_1, b1_2 ('indexed').
 * Both engines name them so (the matrix engine's compiled paramNames).
 *
 *   parameterNames([{ in: 2, out: 1, activation: 'sigmoid', bias: true }], 'indexed')   // ['W1_1_1', 'W1_1_2', 'b1_1']
 */
export function parameterNames(layers: readonly LayerSpec[], naming: Naming): string[] {
  const names: string[] = [];
  layers.forEach((l, i) => {
    for (let j = 1; j <= l.out; j++) for (let k = 1; k <= l.in; k++) names.push(naming === 'short' ? `w${names.length + 1}` : `W${i + 1}_${j}_${k}`);
    if (l.bias) for (let j = 1; j <= l.out; j++) names.push(naming === 'short' ? `w${names.length + 1}` : `b${i + 1}_${j}`);
  });
  return names;
}

/** Builds the graph of a dense network over input symbols x1..xd. */
export function denseNetwork(
  layers: readonly LayerSpec[],
  options: { naming?: Naming; inputs?: readonly string[] } = {},
): DenseNetwork {
  checkLayers('denseNetwork', layers);
  checkOptions('denseNetwork', options, ['naming', 'inputs']);
  if (options.naming !== undefined) checkOneOf('denseNetwork', 'naming', options.naming, ['short', 'indexed']);
  const naming = options.naming ?? 'short';
  const inputs = options.inputs ?? Array.from({ length: layers[0]!.in }, (_, i) => `x${i + 1}`);
  if (inputs.length !== layers[0]!.in) throw new DownhillError(`expected ${layers[0]!.in} input names, got ${inputs.length}`);

  const params = parameterNames(layers, naming);
  let next = 0;
  const param = (): Node => sym(params[next++]!);
  let a: Node[] = inputs.map(sym);
  const zs: Node[][] = [];
  const as: Node[][] = [];
  layers.forEach((layer, l) => {
    const W = Array.from({ length: layer.out }, (_, j) => Array.from({ length: layer.in }, () => param()));
    const b = layer.bias ? Array.from({ length: layer.out }, () => param()) : undefined;
    const z = W.map((row, j) => {
      let acc: Node | undefined = b?.[j];
      row.forEach((w, i) => {
        const term = mul(w, a[i]!);
        acc = acc === undefined ? term : add(acc, term);
      });
      return acc!;
    });
    a = z.map((zj) => activate(layer.activation, zj));
    zs.push(z);
    as.push(a);
  });
  return { layers, params, inputs, outputs: a, z: zs, a: as };
}
