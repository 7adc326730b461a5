// One network vocabulary for both engines: the layer checks, the activation
// lookup, the loss table (terms, which outputs fit, sum or mean) and the
// parameter names are written once (nn/dense.ts, nn/network-loss.ts); the
// scalar engine (modelLoss of denseNetwork) and the matrix engine
// (matrixNetwork) build from them, so they accept, refuse and compute alike.
import { describe, expect, test } from 'vitest';
import { compileGradient } from '../src/compile/compile.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { sym } from '../src/expr/node.ts';
import { activate, denseNetwork, isActivation, parameterNames, type LayerSpec } from '../src/nn/dense.ts';
import { checkLossOutputs, LOSS_NAMES, LOSS_TERMS, lossReduction, modelLoss, type LossName } from '../src/nn/network-loss.ts';
import { packBatch } from '../src/nn/datasets.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { layeredParameterNames, parseLayeredSpec, parseNetworkSpec, type Block } from '../src/nn/spec.ts';
import { layeredModel, layeredNetwork } from '../src/nn/layered.ts';
import { compileLayered, layeredMatrixNetwork } from '../src/matrix/layered.ts';
import { activateMatrix, matrixNetwork } from '../src/matrix/network.ts';
import { compileMatrixGradient } from '../src/matrix/compile.ts';
import { mdata } from '../src/matrix/node.ts';

const layers = (outputs: number): LayerSpec[] => [
  { in: 2, out: 3, activation: 'tanh', bias: true },
  { in: 3, out: outputs, activation: 'sigmoid', bias: true },
];

/** What building throws, or undefined. */
const refusal = (build: () => unknown): string | undefined => {
  try {
    build();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('the loss table', () => {
  test('each term at a point, by hand', () => {
    const at = (kind: Exclude<LossName, 'softmax_ce'>, yhat: number, y: number): number => evaluate(LOSS_TERMS[kind](sym('p'), sym('t')), { p: yhat, t: y });
    expect(at('se', 0.5, 2)).toBe(2.25); // (2 − 0.5)²
    expect(at('mse', 0.5, 2)).toBe(2.25);
    expect(at('half_se', 0.5, 2)).toBe(1.125);
    expect(at('mae', 0.5, 2)).toBe(1.5);
    expect(at('huber', 0.5, 2)).toBe(1); // δ(|u| − δ/2) with u = 1.5, δ = 1
    expect(at('bce', 0.5, 1)).toBeCloseTo(Math.LN2, 15);
    expect(at('bce_logits', 0, 1)).toBeCloseTo(Math.LN2, 15); // softplus(0) − 0
    expect(at('hinge', 0.25, 1)).toBe(0.75);
    expect(LOSS_NAMES.map(lossReduction)).toEqual(LOSS_NAMES.map((k) => (k === 'se' ? 'sum' : 'mean')));
  });

  test('both engines accept and refuse the same outputs with the same line, and compute the same batch loss', () => {
    const rng = mulberry32(7);
    let compared = 0;
    for (const kind of LOSS_NAMES) {
      for (const outputs of [1, 2, 3]) {
        const own = refusal(() => checkLossOutputs(kind, outputs));
        const scalar = refusal(() => modelLoss(denseNetwork(layers(outputs), { naming: 'indexed' }), kind));
        const matrix = refusal(() => matrixNetwork(layers(outputs), kind));
        expect(scalar, `${kind} ${outputs}`).toBe(own);
        expect(matrix, `${kind} ${outputs}`).toBe(own);
        // By hand: bce, bce_logits and hinge take one output, softmax_ce at least 2.
        const fits = ['bce', 'bce_logits', 'hinge'].includes(kind) ? outputs === 1 : kind === 'softmax_ce' ? outputs >= 2 : true;
        expect(own === undefined, `${kind} ${outputs}`).toBe(fits);
        if (!fits) continue;
        const s = modelLoss(denseNetwork(layers(outputs), { naming: 'indexed' }), kind);
        const net = matrixNetwork(layers(outputs), kind);
        expect(net.reduce).toBe(s.reduce);
        const f = compileGradient(s.loss, { params: s.params, data: s.data, reduce: s.reduce });
        const g = compileMatrixGradient(net);
        expect(g.params).toEqual(s.params);
        const p = Float64Array.from(s.params, () => rng() - 0.5);
        const X = packBatch(Array.from({ length: 3 }, () => Array.from(s.data, () => rng())));
        expect(Math.abs(g.loss(p, X) - f.loss(p, X))).toBeLessThan(1e-12 * Math.max(1, Math.abs(f.loss(p, X))));
        compared++;
      }
    }
    expect(compared).toBe(5 * 3 + 3 + 2); // five kinds take any outputs, three take one, softmax_ce two of the three
  });
});

describe('the parameter names and the activations', () => {
  test('names in the order of p, by hand; the matrix engine compiles under the same names', () => {
    const small = layers(1);
    expect(parameterNames(small, 'indexed')).toEqual([
      'W1_1_1', 'W1_1_2', 'W1_2_1', 'W1_2_2', 'W1_3_1', 'W1_3_2', 'b1_1', 'b1_2', 'b1_3', 'W2_1_1', 'W2_1_2', 'W2_1_3', 'b2_1',
    ]);
    expect(parameterNames(small, 'short')).toEqual(Array.from({ length: 13 }, (_, k) => `w${k + 1}`));
    for (const naming of ['short', 'indexed'] as const) {
      expect(denseNetwork(small, { naming }).params).toEqual(parameterNames(small, naming));
      expect(compileMatrixGradient(matrixNetwork(small, 'mse'), { naming }).params).toEqual(parameterNames(small, naming));
    }
  });

  test('one rule for an activation: the descriptions, the scalar and the matrix engines refuse a loss function (huber, logsumexp) alike', () => {
    expect(['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softplus'].filter(isActivation)).toHaveLength(6);
    expect(['huber', 'logsumexp', 'max', 'nope'].filter(isActivation)).toEqual([]);
    const line = 'unknown activation "huber" (use identity or a one-argument function such as sigmoid, tanh, relu)';
    expect(() => activate('huber', sym('z'))).toThrow(line);
    expect(() => activateMatrix('huber', mdata('x', [2, 'N'], 0))).toThrow(line);
    // In a description huber is the loss's word; logsumexp is refused as an activation there too.
    expect(parseNetworkSpec('2-1:huber').loss).toBe('huber');
    expect(() => parseNetworkSpec('2-1:logsumexp')).toThrow(/logsumexp/);
    expect(() => activate('logsumexp', sym('z'))).toThrow('unknown activation "logsumexp"');
    expect(activate('leaky_relu', sym('z'))).toBe(activate('leaky_relu', sym('z')));
    expect(evaluate(activate('leaky_relu', sym('z')), { z: -2 })).toBeCloseTo(-0.02, 15); // the table's default slope 0.01
  });
});

// The layered networks (convolution, pooling, attention): one description
// (nn/spec.ts), one table of each block's parameters (blockParameters), one
// walk that checks what flows into each block (readLayeredSpec), for the
// scalar engine (layeredNetwork, one symbol per weight) and the matrix
// engine (layeredMatrixNetwork, one node per layer quantity).
describe('the layered networks: one description, one vocabulary, both engines', () => {
  /** Largest |a − b| over the largest |a| (at least 1). */
  const worst = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let scale = 1, d = 0;
    for (let k = 0; k < a.length; k++) scale = Math.max(scale, Math.abs(a[k]!));
    for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k]! - b[k]!));
    return d / scale;
  };

  test.each([
    '1x5x5-conv2x2-maxpool2-3:relu:softmax_ce',
    '2x4x4-conv2x3p1-avgpool2-1:tanh:sigmoid:bce',
    '1x6x6-conv1x3s3-2-2:softplus:identity:huber:nobias',
    '3x2-attn-mean-2:softmax_ce',
    '3x2-attn_causal-mean-1:se',
  ])('%s: both engines built from the text take the same parameters and data, and agree on loss and gradient to 1e-12', (text) => {
    const m = layeredModel(text, { N: 3, seed: 11 });
    const scalarNet = layeredNetwork(text, 'indexed');
    const s = modelLoss(scalarNet, m.lossKind!);
    const f = compileGradient(s.loss, { params: s.params, data: s.data, reduce: s.reduce });
    const g = compileLayered(layeredMatrixNetwork(text), { naming: 'indexed' });
    expect(g.params).toEqual(s.params);
    expect(g.data).toEqual(s.data);
    expect(m.data).toEqual(s.data);
    const gs = new Float64Array(m.p.length), gm = new Float64Array(m.p.length);
    const Ls = f.lossAndGradient(m.p, gs, m.batch, m.N), Lm = g.lossAndGradient(m.p, gm, m.batch, m.N);
    expect(Math.abs(Ls - Lm)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(Ls)));
    expect(worst(gs, gm)).toBeLessThanOrEqual(1e-12);
    expect(gs.some((v) => v !== 0)).toBe(true);
  });

  test('a tie in a max-pool window sends δ to its first position in both engines, as PyTorch does', () => {
    // A 3×3 image, one 2×2 kernel of ones (bias 0), max-pool 2 (one window), one output w·m + 0, squared error
    // against 0. The conv's four sums are 2, 2, 2, 1 (rows x₀₀+x₀₁+x₁₀+x₁₁ …): a three-way tie at m = 2.
    // With w = 1: L = m², ∂L/∂m = 4, routed to the first sum only, so ∂L/∂K = 4 · (its window) = 4·[x₀₀ x₀₁ x₁₀ x₁₁].
    const text = '1x3x3-conv1x2-maxpool2-1:identity:identity:se';
    const scalar = modelLoss(layeredNetwork(text, 'indexed'), 'se');
    const f = compileGradient(scalar.loss, { params: scalar.params, data: scalar.data, reduce: scalar.reduce });
    const g = compileLayered(layeredMatrixNetwork(text), { naming: 'indexed' });
    const p = Float64Array.of(1, 1, 1, 1, 0, 1, 0); // K (4), its bias, the dense weight and bias
    const batch = Float64Array.of(1, 0, 2, 0, 1, -1, 1, 0, 1, 0); // the image (row by row), then the target 0
    const gs = new Float64Array(7), gm = new Float64Array(7);
    expect(f.lossAndGradient(p, gs, batch, 1)).toBe(4);
    expect(g.lossAndGradient(p, gm, batch, 1)).toBe(4);
    expect(Array.from(gs.subarray(0, 4))).toEqual([4, 0, 0, 4]);
    expect(Array.from(gm.subarray(0, 4))).toEqual([4, 0, 0, 4]);
  });

  test("each block's parameters, by hand: names in the order of p, and the matrix engine's nodes of the same sizes at the same places", () => {
    // 1×3×3 image, 2 filters 2×2 (8 weights, 2 biases), relu, an image 2×2×2 = 8 numbers, a dense layer of 2 (16 + 2).
    const spec = parseLayeredSpec('1x3x3-conv2x2-2:relu:mse');
    const names = layeredParameterNames(spec, 'indexed');
    expect(names.slice(0, 10)).toEqual(['K1_1_1_1_1', 'K1_1_1_1_2', 'K1_1_1_2_1', 'K1_1_1_2_2', 'K1_2_1_1_1', 'K1_2_1_1_2', 'K1_2_1_2_1', 'K1_2_1_2_2', 'b1_1', 'b1_2']);
    expect(names.slice(10, 12)).toEqual(['W2_1_1', 'W2_1_2']);
    expect(names.slice(-3)).toEqual(['W2_2_8', 'b2_1', 'b2_2']);
    expect(names).toHaveLength(8 + 2 + 16 + 2);
    expect(spec.P).toBe(28);
    const net = layeredMatrixNetwork(spec);
    expect(net.params.map((w) => [w.shape, (w as { offset?: number }).offset])).toEqual([[[2, 4], 0], [[2, 1], 8], [[2, 8], 10], [[2, 1], 26]]);
    expect(net.paramNames.map((n) => n.text)).toEqual(['K⁽¹⁾', 'b⁽¹⁾', 'W⁽²⁾', 'b⁽²⁾']);
    // attention: W_q, W_k, W_v, W_o, d × d each, then the dense layer.
    const attn = parseLayeredSpec('2x3-attn-mean-2:softmax_ce');
    expect(layeredParameterNames(attn, 'indexed').filter((_, k) => k % 9 === 0)).toEqual(['Wq1_1_1', 'Wk1_1_1', 'Wv1_1_1', 'Wo1_1_1', 'W3_1_1']);
    expect(layeredMatrixNetwork(attn).paramNames.map((n) => n.text)).toEqual(['W_q⁽¹⁾', 'W_k⁽¹⁾', 'W_v⁽¹⁾', 'W_o⁽¹⁾', 'W⁽³⁾', 'b⁽³⁾']);
  });

  const parsed = parseLayeredSpec('1x4x4-conv2x3-3:relu:softmax_ce');
  const [conv, dense] = parsed.blocks as [Extract<Block, { kind: 'conv' }>, Extract<Block, { kind: 'dense' }>];
  const where = 'network "1x4x4-conv2x3-3:relu:softmax_ce"';
  test.each([
    // Descriptions: the parser's lines.
    ['16x32-4:softmax_ce', 'network "16x32-4:softmax_ce", layer 1 "4": a dense layer after a sequence needs mean first (…-mean-4)'],
    ['8-conv2x3-2', 'network "8-conv2x3-2": an input of one size is a dense description: write sizes only, such as 784-30-10'],
    ['1x4x4-attn-2', 'network "1x4x4-attn-2", layer 1 "attn": attention needs a sequence (TxD) before it'],
    ['1x4x4-conv2x5-2', 'network "1x4x4-conv2x5-2", layer 1 "conv2x5": conv: a 5×5 kernel does not fit a 4×4 image with padding 0'],
    ['1x4x4-maxpool3-2', 'network "1x4x4-maxpool3-2", layer 1 "maxpool3": pool: 3×3 windows moved by 3 do not tile a 4×4 image exactly'],
    ['1x4x4-conv2x3-2:bce', 'network "1x4x4-conv2x3-2:bce": bce needs exactly 1 output, got 2'],
    ['1x4x4-conv2x3-1:softmax_ce', 'network "1x4x4-conv2x3-1:softmax_ce": softmax_ce needs at least 2 outputs, got 1'],
    ['2x3-attn-mean', 'network "2x3-attn-mean": must end with a dense layer (a size, such as …-10)'],
    // Parsed descriptions altered by hand: the same walk refuses them, in the same words.
    [{ ...parsed, blocks: [conv, { kind: 'dense', layer: { ...dense.layer, in: 9 } }] }, `${where}, layer 2 "dense": takes 9 numbers but gets an image 2×2×2`],
    [{ ...parsed, input: { kind: 'image', C: 1, H: 5, W: 5 } }, `${where}, layer 1 "conv": takes an image 1×4×4 but gets an image 1×5×5`],
    [{ ...parsed, input: { kind: 'sequence', T: 4, d: 4 } }, `${where}, layer 1 "conv": a convolution needs an image (CxHxW) before it`],
    [{ ...parsed, blocks: [conv] }, `${where}: must end with a dense layer (a size, such as …-10)`],
    [{ ...parsed, blocks: [conv, { kind: 'dense', layer: { ...dense.layer, out: 1 } }] }, `${where}: softmax_ce needs at least 2 outputs, got 1`],
    [{ ...parsed, P: 12 }, `${where}: P is 12, but its blocks make ${parsed.P}`],
    // Blocks and inputs not of their kinds: the door's one line (naming the function would tell the engines apart, so it is the argument's).
    [{ ...parsed, blocks: [{ kind: 'conv', geom: null }, dense] }, 'spec.blocks must be an array of blocks { kind: conv, pool, attention, mean or dense, ... }, got an array of 2'],
    // A geometry that is not convGeometry's own result (Ho, Wo 3 where a 3×3 kernel on 4×4 gives 2; a stride of 0), a bias that is not true or false.
    [{ ...parsed, blocks: [{ ...conv, geom: { ...conv.geom, Ho: 3, Wo: 3 } }, { kind: 'dense', layer: { ...dense.layer, in: 18 } }] }, 'spec.blocks must be an array of blocks { kind: conv, pool, attention, mean or dense, ... }, got an array of 2'],
    [{ ...parsed, blocks: [{ ...conv, geom: { ...conv.geom, stride: 0 } }, dense] }, 'spec.blocks must be an array of blocks { kind: conv, pool, attention, mean or dense, ... }, got an array of 2'],
    [{ ...parsed, blocks: [conv, { kind: 'dense', layer: { ...dense.layer, bias: 'no' } }] }, 'spec.blocks must be an array of blocks { kind: conv, pool, attention, mean or dense, ... }, got an array of 2'],
    [{ ...parsed, input: { kind: 'image', C: 1, H: 0, W: 4 } }, "spec.input must be an image { kind: 'image', C, H, W } or a sequence { kind: 'sequence', T, d }, got an object with kind, C, H, ..."],
  ] as const)('%s: refused by both engines (and the model) with the same line', (spec, line) => {
    const lines = [
      refusal(() => layeredNetwork(spec as never)),
      refusal(() => layeredMatrixNetwork(spec as never)),
      refusal(() => layeredModel(spec as never)),
    ];
    // The door's own lines start with the function's name; the rest is the same for all three.
    expect(lines.map((l) => l?.replace(/^(layeredNetwork|layeredMatrixNetwork|layeredModel): /, ''))).toEqual([line, line, line]);
  });
});
