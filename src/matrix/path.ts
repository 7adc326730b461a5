/**
 * Which engine differentiates a network: the scalar one (a symbol per
 * weight, the per-weight formulas lessons 1–8 read) or the matrix one (a
 * node per layer quantity, loops over whole matrices). Both take the same
 * flat parameter vector and batch, and give the same numbers (to 1e-12).
 *
 *   const f = compileNetwork(parseNetworkSpec('784-30-10:sigmoid:softmax_ce').layers, 'softmax_ce')
 *   f.engine   // 'matrix' (23,860 parameters)
 *   compileNetwork(referenceModel('xor9').layers, 'mse').engine   // 'scalar'
 *   compileNetwork(layers, 'mse', { engine: 'matrix' })           // the caller chooses
 */
import { checkOneOf, checkOptions, DownhillError } from '../errors.ts';
import { compileGradient, type GradientFunction } from '../compile/compile.ts';
import { checkLayers, layerOffsets, type LayerSpec, type Naming } from '../nn/dense.ts';
import { LOSS_NAMES, modelLoss, type LossName } from '../nn/network-loss.ts';
import { denseNetwork } from '../nn/dense.ts';
import type { Model } from '../nn/network-loss.ts';
import type { LayeredSpec } from '../nn/spec.ts';
import { compileMatrixGradient } from './compile.ts';
import { compileLayered, layeredMatrixNetwork } from './layered.ts';
import { matrixNetwork } from './network.ts';

export type Engine = 'scalar' | 'matrix';

/**
 * Networks with more parameters than this go to the matrix engine when the
 * caller does not choose: past a few thousand weights, one line of generated
 * code per multiply-add costs seconds to build (docs/benchmarks.md).
 */
export const MATRIX_ENGINE_FROM = 2000;

/** Most parameters of a network compileNetwork builds: the matrix engine keeps p, g and a step's copies (8 bytes each) within 1 GB; the scalar one builds nodes per weight. */
export const MAX_MATRIX_PARAMETERS = 30_000_000;
export const MAX_SCALAR_PARAMETERS = 100_000;

/** The engine 'auto' picks for a network of P parameters. */
export const engineFor = (P: number): Engine => (P > MATRIX_ENGINE_FROM ? 'matrix' : 'scalar');

/** Compiles a network's batch loss and gradient with the chosen engine ('auto': by size). */
export function compileNetwork(
  layers: readonly LayerSpec[], loss: LossName,
  options: { engine?: Engine | 'auto'; naming?: Naming } = {},
): GradientFunction & { readonly engine: Engine } {
  checkLayers('compileNetwork', layers);
  checkOneOf('compileNetwork', 'loss', loss, LOSS_NAMES);
  checkOptions('compileNetwork', options, ['engine', 'naming']);
  const choice = options.engine ?? 'auto';
  checkOneOf('compileNetwork', 'engine', choice, ['auto', 'scalar', 'matrix']);
  const naming = options.naming ?? 'indexed';
  checkOneOf('compileNetwork', 'naming', naming, ['indexed', 'short']);
  const P = layerOffsets(layers).at(-1)?.end ?? 0;
  const engine = choice === 'auto' ? engineFor(P) : choice;
  const most = engine === 'matrix' ? MAX_MATRIX_PARAMETERS : MAX_SCALAR_PARAMETERS;
  if (P > most) throw new DownhillError(`compileNetwork: the layers have ${P.toLocaleString('en')} parameters: the ${engine} engine takes at most ${most.toLocaleString('en')} (${engine === 'matrix' ? 'their values and gradient alone would pass 1 GB' : 'a graph node per weight; the matrix engine takes more'})`);
  if (engine === 'matrix') return Object.assign(compileMatrixGradient(matrixNetwork(layers, loss), { naming }), { engine });
  const nl = modelLoss(denseNetwork(layers, { naming }), loss);
  return Object.assign(compileGradient(nl.loss, { params: nl.params, data: nl.data, reduce: nl.reduce }), { engine });
}

/** What a check (and the PyTorch export) needs of a model (nn/network-loss.ts): its per-sample loss, weights and batch; its layers and loss kind let the matrix engine build the same network. */
export type CheckableModel = Pick<Model, 'name' | 'loss' | 'params' | 'data' | 'reduce' | 'p' | 'batch' | 'N' | 'layers' | 'lossKind'> & {
  /** A description with convolution, pooling or attention (nn/layered.ts), which the matrix engine builds layer by layer. */
  readonly layered?: LayeredSpec;
  readonly naming?: Naming;
};

/**
 * The compiled loss and gradient of a model, by the scalar engine (its own
 * graph) or the matrix engine (its layers, or its layered description),
 * cached per model object: for checkModel, checkModelGradient and the
 * PyTorch export.
 */
const compiled = new WeakMap<CheckableModel, Map<Engine, GradientFunction>>();
export function compileModel(m: CheckableModel, engine: Engine = 'scalar'): GradientFunction {
  let byEngine = compiled.get(m);
  if (!byEngine) compiled.set(m, byEngine = new Map());
  let f = byEngine.get(engine);
  if (!f) {
    if (engine === 'matrix' && m.layered) {
      f = compileLayered(layeredMatrixNetwork(m.layered), { naming: m.naming ?? 'short' });
    } else if (engine === 'matrix') {
      if (!m.layers || !m.lossKind) throw new DownhillError(`model ${m.name}: the matrix engine needs its layers and loss`);
      f = compileMatrixGradient(matrixNetwork(m.layers, m.lossKind), { naming: 'short' });
    } else {
      f = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce });
    }
    byEngine.set(engine, f);
  }
  return f;
}
