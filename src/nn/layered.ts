/**
 * Networks with convolution, pooling and attention as scalar expression
 * graphs (one symbol per weight, as `denseNetwork` builds dense ones), and
 * their models: weights and a batch drawn from a seed as for a dense
 * description. The matrix engine builds the same networks layer by layer
 * (matrix/layered.ts); on small sizes the two agree to rounding, which is
 * how each layer's matrix rules are checked against the scalar engine.
 *
 *   const m = layeredModel('1x6x6-conv2x3-maxpool2-3:relu:softmax_ce', { N: 4 })
 *   m.params.length   // 2·9 + 2 + 3·8 + 3 = 47
 *   m.loss            // the per-sample loss graph, built when first read
 *
 * Sums are taken in the recipe's order (a bias first, then the products),
 * so that small losses agree with the reference values to the last bits.
 */
import { checkOneOf, checkOptions, DownhillError } from '../errors.ts';
import { add, call, div, mul, sub, sym, type Node } from '../expr/node.ts';
import { activate, type DenseNetwork, type Naming } from './dense.ts';
import { lossReduction, modelLoss, targetNames, type Model, type NetworkLoss } from './network-loss.ts';
import { blockParameters, drawnModel, layeredDataNames, layeredParameterNames, readLayeredSpec, type Block, type LayeredSpec } from './spec.ts';

/** Σ of terms in order, starting from `first` when given (a bias first, as the recipe sums). */
function sumFrom(first: Node | undefined, terms: readonly Node[]): Node {
  let acc = first;
  for (const t of terms) acc = acc === undefined ? t : add(acc, t);
  if (acc === undefined) throw new DownhillError('an empty sum');
  return acc;
}

/**
 * The scalar graph of one block: takes the previous values (flat, per
 * sample) and gives the next; `w` holds its parameter matrices
 * (blockParameters: K then b; W_q, W_k, W_v, W_o; W then b), each entry a
 * symbol, row by row.
 */
function scalarBlock(b: Block, a: readonly Node[], w: readonly (readonly Node[])[]): Node[] {
  switch (b.kind) {
    case 'conv': {
      const { C, H, W, F, kh, kw, stride: s, pad: p, Ho, Wo } = b.geom;
      const K = w[0]!;
      const bias = w[1] ?? [];
      const out: Node[] = [];
      for (let f = 0; f < F; f++) for (let r = 0; r < Ho; r++) for (let c = 0; c < Wo; c++) {
        const terms: Node[] = [];
        for (let ch = 0; ch < C; ch++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
          const y = r * s + i - p, x = c * s + j - p;
          if (y >= 0 && y < H && x >= 0 && x < W) terms.push(mul(K[((f * C + ch) * kh + i) * kw + j]!, a[(ch * H + y) * W + x]!));
        }
        out.push(activate(b.activation, sumFrom(bias[f], terms)));
      }
      return out;
    }
    case 'pool': {
      const { C, H, W, k, stride: s, Ho, Wo } = b.geom;
      const out: Node[] = [];
      for (let ch = 0; ch < C; ch++) for (let r = 0; r < Ho; r++) for (let c = 0; c < Wo; c++) {
        const window: Node[] = [];
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) window.push(a[(ch * H + r * s + i) * W + c * s + j]!);
        // max(v, m): the rule sends a tie's derivative to its second argument, so δ goes to the window's first maximum, as in PyTorch.
        out.push(b.mode === 'max' ? window.slice(1).reduce((m, v) => call('max', v, m), window[0]!) : div(sumFrom(undefined, window), k * k));
      }
      return out;
    }
    case 'attention': {
      const { T, d } = b;
      const Ws = w;
      const token = (vals: readonly Node[], t: number): Node[] => vals.slice(t * d, (t + 1) * d);
      const times = (Wm: readonly Node[], v: readonly Node[]): Node[] => Array.from({ length: d }, (_, j) => sumFrom(undefined, v.map((vi, i) => mul(Wm[j * d + i]!, vi))));
      const xs = Array.from({ length: T }, (_, t) => token(a, t));
      const [q, k, v] = [0, 1, 2].map((w) => xs.map((x) => times(Ws[w]!, x))) as [Node[][], Node[][], Node[][]];
      const scale = 1 / Math.sqrt(d);
      const out: Node[] = [];
      for (let t = 0; t < T; t++) {
        const keys = b.causal ? t + 1 : T;
        const scores = Array.from({ length: keys }, (_, u) => mul(sumFrom(undefined, q[t]!.map((qi, i) => mul(k[u]![i]!, qi))), scale));
        const lse = call('logsumexp', ...scores);
        const weights = scores.map((s) => call('exp', sub(s, lse)));
        const o = Array.from({ length: d }, (_, i) => sumFrom(undefined, weights.map((w, u) => mul(v[u]![i]!, w))));
        const Wo = times(Ws[3]!, o);
        out.push(...xs[t]!.map((x, j) => add(x, Wo[j]!)));
      }
      return out;
    }
    case 'mean': {
      const { T, d } = b;
      return Array.from({ length: d }, (_, j) => mul(sumFrom(undefined, Array.from({ length: T }, (_, t) => a[t * d + j]!)), 1 / T));
    }
    case 'dense': {
      const l = b.layer;
      const W = w[0]!;
      const bias = w[1] ?? [];
      return Array.from({ length: l.out }, (_, j) => activate(l.activation, sumFrom(bias[j], a.map((ai, i) => mul(W[j * l.in + i]!, ai)))));
    }
  }
}

/**
 * The scalar graph of a layered network over inputs x1, x2, ... (layers
 * empty: it is not a dense stack), from a description or a parsed one
 * (nn/spec.ts's readLayeredSpec: the matrix engine's layeredMatrixNetwork
 * reads it the same way).
 */
export function layeredNetwork(spec: LayeredSpec | string, naming: Naming = 'short'): DenseNetwork {
  const s = readLayeredSpec('layeredNetwork', spec);
  checkOneOf('layeredNetwork', 'naming', naming, ['short', 'indexed']);
  const params = layeredParameterNames(s, naming);
  let k = 0;
  const inputs = Array.from({ length: s.inputs }, (_, i) => `x${i + 1}`);
  let a: Node[] = inputs.map(sym);
  s.blocks.forEach((b, i) => {
    const w = blockParameters(b, i + 1).map((m) => Array.from({ length: m.rows * m.cols }, () => sym(params[k++]!)));
    a = scalarBlock(b, a, w);
  });
  return { layers: [], params, inputs, outputs: a, z: [], a: [] };
}

/** A layered description's model: its spec, with the scalar loss graph built only when read (conv11738's has about 300,000 nodes). */
export interface LayeredModel extends Model {
  readonly layered: LayeredSpec;
  readonly seed: number;
  readonly naming: Naming;
}

/**
 * Builds a layered description's model from mulberry32(seed), as for a
 * dense description: first P weights p[k] = rng() − 0.5, then N samples
 * x = 2·rng() − 1; targets from the inputs (for softmax_ce the largest of
 * the first inputs, one per class).
 */
export function layeredModel(spec: LayeredSpec | string, options: { seed?: number; N?: number; naming?: Naming; name?: string } = {}): LayeredModel {
  const s = readLayeredSpec('layeredModel', spec);
  checkOptions('layeredModel', options, ['seed', 'N', 'naming', 'name']);
  const { p, batch, N, seed } = drawnModel(s, options);
  const naming = options.naming ?? 'short';
  checkOneOf('layeredModel', 'naming', naming, ['short', 'indexed']);
  const targets = targetNames(s.outputs);
  const data = layeredDataNames(s);
  let built: NetworkLoss | undefined;
  const graph = (): NetworkLoss => (built ??= modelLoss(layeredNetwork(s, naming), s.loss));
  const model = {
    name: options.name ?? s.text, layered: s, seed, naming, p, batch, N,
    params: layeredParameterNames(s, naming), data, targets, reduce: lossReduction(s.loss),
    lossKind: s.loss,
  };
  Object.defineProperty(model, 'network', { get: () => graph().network, enumerable: true });
  Object.defineProperty(model, 'loss', { get: () => graph().loss, enumerable: true });
  return model as unknown as LayeredModel;
}
