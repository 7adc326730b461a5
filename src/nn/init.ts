/**
 * Seeded initial weights: the same seed gives the same numbers.
 *
 *   initParams(3, { seed: 1 })                          // 3 draws uniform on [−1, 1)
 *   initParams(network([2, 2, 1]), { seed: 1, method: 'glorot' })
 *   // W of each layer uniform on ±√(6 / (fan_in + fan_out)), biases 0
 *
 * Draws come from mulberry32(seed), in the order of the flat parameter
 * vector (layer by layer, W row by row, then b).
 */
import { checkArg, checkOneOf, checkOptions, DownhillError, objectWith, type Accepts } from '../errors.ts';
import { layerOffsets, type DenseNetwork } from './dense.ts';
import { draw, glorotUniform, mulberry32 } from './random.ts';

/** 'uniform': every parameter on [low, high); 'glorot': Xavier/Glorot uniform weights and zero biases. */
export type InitMethod = 'uniform' | 'glorot';

export interface InitOptions {
  readonly seed: number;
  /** Default 'uniform'. */
  readonly method?: InitMethod;
  /** The range of 'uniform' (default [−1, 1)). */
  readonly low?: number;
  readonly high?: number;
}

/** What initParams takes: a network or a number of parameters. */
const TARGET: Accepts<DenseNetwork | number> = {
  what: 'a network (denseNetwork, network) or a number of parameters',
  test: (v): v is DenseNetwork | number => typeof v === 'number' || objectWith('layers', 'params').test(v),
};

/**
 * Initial parameters for a network (or a number of parameters, 'uniform' only).
 *
 *   initParams(2, { seed: 42 })   // [0.20220750384032726, -0.10341888200491667]
 *                                 //  (2·0.6011… − 1, 2·0.4482… − 1)
 */
export function initParams(target: DenseNetwork | number, options: InitOptions): Float64Array {
  checkArg('initParams', 'target', target, TARGET);
  checkArg('initParams', 'options', options, objectWith('seed'));
  checkOptions('initParams', options, ['seed', 'method', 'low', 'high']);
  const method = options.method ?? 'uniform';
  checkOneOf('initParams', 'method', method, ['uniform', 'glorot']);
  if (!Number.isInteger(options.seed)) throw new DownhillError(`init: the seed must be a whole number, got ${options.seed}`);
  const rng = mulberry32(options.seed);
  const P = typeof target === 'number' ? target : target.params.length;
  if (!Number.isInteger(P) || P < 0) throw new DownhillError(`init: the number of parameters must be a whole number, got ${P}`);
  switch (method) {
    case 'uniform': {
      const low = options.low ?? -1;
      const high = options.high ?? 1;
      if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) throw new DownhillError(`init: the range must be low < high, got [${low}, ${high})`);
      const p = new Float64Array(P);
      for (let k = 0; k < P; k++) p[k] = draw(rng, low, high);
      return p;
    }
    case 'glorot': {
      if (typeof target === 'number') throw new DownhillError('init: glorot needs the network (for each layer\'s fan-in and fan-out), not a count');
      const p = new Float64Array(P);
      const offsets = layerOffsets(target.layers);
      target.layers.forEach((layer, l) => p.set(glorotUniform(rng, layer.in, layer.out), offsets[l]!.weights)); // biases stay 0
      return p;
    }
  }
}
