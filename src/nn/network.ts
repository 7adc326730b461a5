/**
 * A network by its layer widths: the short way to call `denseNetwork`.
 *
 *   const net = network([2, 1, 1], { hidden: 'sigmoid', output: 'identity', bias: false })
 *   net.params    // ['w1', 'w2', 'w3']
 *   net.outputs   // [w3 · sigmoid(w1·x1 + w2·x2)]
 *
 *   network([2, 2, 1], { hidden: 'sigmoid', output: 'sigmoid' }).params
 *   // ['W1_1_1', 'W1_1_2', 'W1_2_1', 'W1_2_2', 'b1_1', 'b1_2', 'W2_1_1', 'W2_1_2', 'b2_1']
 *   // printed W^{(1)}_{11}, ..., b^{(2)}_{1}
 *
 * Names: 'auto' (the default) gives short names w1, w2, ... to small
 * networks without biases (at most 9 weights, as in the main lesson), and
 * layer-indexed names otherwise, where w7 would say nothing about where
 * the weight sits.
 */
import { checkArg, checkOptions, DownhillError, NAMES, NUMBERS } from '../errors.ts';
import { denseNetwork, parameterCount, type Activation, type DenseNetwork, type LayerSpec, type Naming } from './dense.ts';

export interface NetworkOptions {
  /** Activation of the hidden layers (default 'sigmoid'). */
  readonly hidden?: Activation;
  /** Activation of the output layer (default 'identity'). */
  readonly output?: Activation;
  /** Biases in every layer (default true). */
  readonly bias?: boolean;
  /** Parameter names (default 'auto', see above). */
  readonly naming?: Naming | 'auto';
  /** Input symbol names (default x1, x2, ...). */
  readonly inputs?: readonly string[];
}

/**
 * The layers of a network with the given widths, input first.
 *
 *   networkLayers([2, 3, 1], { hidden: 'tanh' })
 *   // [{ in: 2, out: 3, activation: 'tanh', bias: true }, { in: 3, out: 1, activation: 'identity', bias: true }]
 */
export function networkLayers(sizes: readonly number[], options: NetworkOptions = {}): LayerSpec[] {
  if (sizes.length < 2) throw new DownhillError(`network: give at least an input and an output width, such as [2, 1]; got [${sizes.join(', ')}]`);
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1) throw new DownhillError(`network: width ${i} must be a positive whole number, got ${n}`);
  });
  const bias = options.bias ?? true;
  const last = sizes.length - 2;
  return sizes.slice(1).map((out, l) => ({
    in: sizes[l]!, out, bias,
    activation: l === last ? options.output ?? 'identity' : options.hidden ?? 'sigmoid',
  }));
}

/** Builds a dense network from layer widths (see the top of this file). */
export function network(sizes: readonly number[], options: NetworkOptions = {}): DenseNetwork {
  checkArg('network', 'sizes', sizes, NUMBERS);
  checkOptions('network', options, ['hidden', 'output', 'bias', 'naming', 'inputs']);
  const layers = networkLayers(sizes, options);
  const naming = options.naming ?? 'auto';
  const resolved: Naming = naming !== 'auto' ? naming : !(options.bias ?? true) && parameterCount(layers) <= 9 ? 'short' : 'indexed';
  return denseNetwork(layers, { naming: resolved, ...(options.inputs === undefined ? {} : { inputs: options.inputs }) });
}

/**
 * Parameter values by name, for `evaluate` and `substitute`.
 *
 *   namedValues(['w1', 'w2'], [0.5, -0.3])   // { w1: 0.5, w2: -0.3 }
 */
export function namedValues(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  checkArg('namedValues', 'names', names, NAMES);
  checkArg('namedValues', 'values', values, NUMBERS);
  if (names.length !== values.length) throw new DownhillError(`${names.length} names but ${values.length} values`);
  const out: Record<string, number> = {};
  names.forEach((n, k) => {
    out[n] = values[k]!;
  });
  return out;
}
