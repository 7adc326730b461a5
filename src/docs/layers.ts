/**
 * The layers-and-networks page: a dense layer's backpropagation equations
 * (δ, ∂L/∂W, ∂L/∂b, ∂L/∂x) derived by the engine on a small 3 → 2 example,
 * then read off in index form, and the index form checked against every
 * partial the engine derived; the same equations in matrix form, derived by
 * the matrix engine for a batch; and the three-weight network's full gradient.
 *
 *   const entry = await documentLayer(layerExamples()[0]!, { page: 'layers', points: 64 })
 *   entry.maxError   // engine partials vs finite differences, about 1e-10
 */
import { call, mapNodes, sum, sub, mul, sym, type Node } from '../expr/node.ts';
import { parseExpression } from '../expr/parse.ts';
import { symbolTex, toTex } from '../expr/print.ts';
import { formatNumber } from '../expr/number.ts';
import { evaluate } from '../expr/evaluate.ts';
import { derivativesOf } from '../diff/derivative.ts';
import { denseNetwork, type DenseNetwork, type LayerSpec } from '../nn/dense.ts';
import { softmaxCrossEntropy } from '../nn/losses.ts';
import { relativeError } from '../diff/finite-difference.ts';
import { checkDerivatives, FormulaCheckError, seedOf, type Domain } from './check.ts';
import { checkLine, type FormulaSpec } from './functions.ts';
import type { Block } from '../render/document.ts';
import type { DocEntry } from './pages.ts';
import { networkDiagramSvg } from '../pictures/network.ts';
import { computationalGraphSvg } from '../pictures/computational.ts';
import { compileGradient } from '../compile/compile.ts';
import { parseNetworkSpec, specModel } from '../nn/spec.ts';
import { matrixNetwork } from '../matrix/network.ts';
import { compileMatrixGradient } from '../matrix/compile.ts';
import { backpropEquations, forwardEquations } from '../matrix/equations.ts';
import { matrixRules } from '../matrix/rules.ts';

/** One worked layer: its shape, what sits above it, and the index form of δ. */
export interface LayerExample {
  readonly id: string;
  readonly heading: string;
  readonly about: string;
  readonly layer: LayerSpec;
  /** What the loss is: 'upstream' (any loss, through g_j = ∂L/∂a_j) or softmax cross-entropy on the outputs. */
  readonly loss: 'upstream' | 'softmax_ce';
  /** TeX of the forward equations. */
  readonly forwardTex: readonly string[];
  /** TeX of δ_j in index form. */
  readonly deltaTex: string;
  /** δ_j as a graph, built by hand from the layer's z (and g or y): checked against the engine. */
  readonly delta: (z: readonly Node[], j: number) => Node;
}

const g = (j: number): Node => sym(`g${j + 1}`);
const yj = (j: number): Node => sym(`y${j + 1}`);

/** The worked layers: any loss above a sigmoid layer, and softmax cross-entropy on a linear output layer. */
export function layerExamples(): LayerExample[] {
  return [
    {
      id: 'dense-layer',
      heading: 'Dense layer inside a network: 3 inputs, 2 sigmoid outputs',
      about: 'A layer only sees the loss through the gradient arriving from above, $g_j = \\partial L/\\partial a_j$. '
        + 'To let the engine derive the layer on its own, the loss is replaced by its first-order part $L = g_1 a_1 + g_2 a_2$, whose gradient in $a$ is exactly $g$.',
      layer: { in: 3, out: 2, activation: 'sigmoid', bias: true },
      loss: 'upstream',
      forwardTex: ['z_j = b_j + \\sum_{i=1}^{3} W_{ji} x_i', 'a_j = \\sigma\\left(z_j\\right)', 'L = g_1 a_1 + g_2 a_2'],
      deltaTex: '\\delta_j = \\frac{\\partial L}{\\partial z_j} = g_j \\sigma\\left(z_j\\right)\\left(1 - \\sigma\\left(z_j\\right)\\right)',
      delta: (z, j) => {
        const s = call('sigmoid', z[j]!);
        return mul(g(j), mul(s, sub(1, s)));
      },
    },
    {
      id: 'softmax-output-layer',
      heading: 'Output layer with softmax cross-entropy: 3 inputs, 2 classes',
      about: 'A linear layer whose outputs are the logits of softmax cross-entropy, for a target $y$ (one-hot, or probabilities that sum to 1).',
      layer: { in: 3, out: 2, activation: 'identity', bias: true },
      loss: 'softmax_ce',
      forwardTex: ['z_j = b_j + \\sum_{i=1}^{3} W_{ji} x_i', 'L = \\operatorname{LSE}\\left(z_1, z_2\\right) - \\left(y_1 z_1 + y_2 z_2\\right)'],
      deltaTex: '\\delta_j = \\frac{\\partial L}{\\partial z_j} = \\frac{e^{z_j}}{e^{z_1} + e^{z_2}} - y_j = \\operatorname{softmax}\\left(z\\right)_j - y_j',
      delta: (z, j) => sub(call('exp', sub(z[j]!, call('logsumexp', ...z))), yj(j)),
    },
  ];
}

/** Width and height of a Graphviz SVG, in points. */
function svgSize(svg: string): { width: number; height: number } {
  const w = /<svg[^>]*\bwidth="([\d.]+)pt"/.exec(svg);
  const h = /<svg[^>]*\bheight="([\d.]+)pt"/.exec(svg);
  return { width: Math.round(Number(w?.[1] ?? 400)), height: Math.round(Number(h?.[1] ?? 300)) };
}

/**
 * The layer's pictures, after its forward equations: the network diagram
 * (neurons and named weights) and the computational graph of its loss, each
 * edge labelled with its local derivative, so the index form can be read off
 * the picture edge by edge.
 */
async function layerFigures(example: LayerExample, network: DenseNetwork, loss: Node): Promise<Block[]> {
  const diagram = await networkDiagramSvg(network);
  const graph = await computationalGraphSvg(loss, { network, id: `layer${example.id.replace(/[^A-Za-z0-9]/g, '')}` });
  return [
    {
      kind: 'image', file: `plots/layers-${example.id}-network.svg`, svg: diagram, ...svgSize(diagram),
      alt: `network diagram of the ${example.layer.in}→${example.layer.out} layer`,
      caption: `The layer as neurons: each connection is one weight $W_{ji}$, each output neuron has its bias $b_j$.`,
    },
    {
      kind: 'image', file: `plots/layers-${example.id}-graph.svg`, svg: graph, ...svgSize(graph),
      alt: `computational graph of the ${example.heading} loss`,
      caption: 'The same layer as an expression graph: every edge carries its local derivative; backpropagation multiplies them along each path from the loss and adds the paths that meet.',
    },
  ];
}

/** TeX of a partial: ∂L/∂W^{(1)}_{21}. */
const partialTex = (name: string): string => `\\frac{\\partial L}{\\partial ${symbolTex(name)}}`;

/** A worked layer as a problem: its loss, the variables, where to sample, and the index form of each partial. */
export interface LayerProblem {
  readonly network: DenseNetwork;
  readonly loss: Node;
  /** Every parameter, then every input. */
  readonly wrt: readonly string[];
  readonly domains: Readonly<Record<string, Domain>>;
  /** ∂L/∂v in index form (δ_j x_i, δ_j, Σ_j W_ji δ_j), built by hand, for each v of `wrt`. */
  readonly indexForm: ReadonlyMap<string, Node>;
}

/** Builds the graph of a worked layer and its hand-built index form. */
export function layerProblem(example: LayerExample): LayerProblem {
  const network = denseNetwork([example.layer], { naming: 'indexed' });
  const z = network.z[0]!;
  const a = network.a[0]!;
  const outs = z.map((_, j) => j);
  const loss = example.loss === 'upstream'
    ? sum(a.map((aj, j) => mul(g(j), aj)))
    : softmaxCrossEntropy(z, outs.map(yj));
  const extra = example.loss === 'upstream' ? outs.map((j) => `g${j + 1}`) : outs.map((j) => `y${j + 1}`);
  const domains: Record<string, Domain> = {};
  for (const p of network.params) domains[p] = [[-1.5, 1.5]];
  for (const x of network.inputs) domains[x] = [[-2, 2]];
  for (const e of extra) domains[e] = example.loss === 'upstream' ? [[-2, 2]] : [[0, 1]];

  const delta = outs.map((j) => example.delta(z, j));
  const indexForm = new Map<string, Node>();
  for (const j of outs) {
    network.inputs.forEach((x, i) => indexForm.set(`W1_${j + 1}_${i + 1}`, mul(delta[j]!, sym(x))));
    if (example.layer.bias) indexForm.set(`b1_${j + 1}`, delta[j]!);
  }
  network.inputs.forEach((x, i) => indexForm.set(x, sum(outs.map((j) => mul(sym(`W1_${j + 1}_${i + 1}`), delta[j]!)))));
  return { network, loss, wrt: [...network.params, ...network.inputs], domains, indexForm };
}

/**
 * Derives every partial of a worked layer with the engine, checks them
 * against finite differences, and checks the index form (δ_j x_i, δ_j,
 * Σ_j W_ji δ_j) against each of them; FormulaCheckError if either fails.
 */
export async function documentLayer(example: LayerExample, options: { page: string; points: number }): Promise<DocEntry> {
  const { network, loss, wrt, domains, indexForm } = layerProblem(example);
  const z = network.z[0]!;
  const what = `${options.page}: ${example.heading}`;
  const engine = derivativesOf(loss, wrt).map((d) => ({ wrt: d.wrt, node: d.node }));
  const check = checkDerivatives(loss, engine, domains, { points: options.points, seed: seedOf(`${options.page}/${example.id}`), what });

  // The index form, compared with the engine's partial for every W, b and x.
  let indexError = 0;
  for (const p of check.points) {
    for (const d of engine) {
      const form = indexForm.get(d.wrt);
      if (form === undefined) throw new FormulaCheckError(`${what}: the index form has no formula for ${d.wrt}`);
      const err = relativeError(evaluate(form, p), evaluate(d.node, p));
      if (!(err <= 1e-12)) throw new FormulaCheckError(`${what}: the index form of ∂L/∂${d.wrt} disagrees with the engine's (relative error ${formatNumber(err, 2)})`);
      indexError = Math.max(indexError, err);
    }
  }

  // Show the engine's partials with z_j written as such.
  const zName = new Map(z.map((zj, j) => [zj.id, sym(`z_${j + 1}`)] as const));
  const short = (n: Node): Node => mapNodes(n, (orig) => zName.get(orig.id));

  const blocks: Block[] = [{ kind: 'paragraph', text: example.about }];
  for (const tex of example.forwardTex) blocks.push({ kind: 'formula', tex });
  blocks.push(...(await layerFigures(example, network, loss)));
  blocks.push({ kind: 'paragraph', text: `The engine's partial derivatives (chain rule over the graph, then tidied; $z_j$ stands for the pre-activation, and $W^{(1)}_{ji}$ is row $j$, column $i$ of the layer's weights):` });
  for (const d of engine) blocks.push({ kind: 'formula', tex: `${partialTex(d.wrt)} = ${toTex(short(d.node))}` });
  blocks.push({ kind: 'paragraph', text: 'Read off in index form, for every $j$ and $i$:' });
  blocks.push({ kind: 'formula', tex: example.deltaTex });
  blocks.push({ kind: 'formula', tex: '\\frac{\\partial L}{\\partial W_{ji}} = \\delta_j x_i' });
  if (example.layer.bias) blocks.push({ kind: 'formula', tex: '\\frac{\\partial L}{\\partial b_j} = \\delta_j' });
  blocks.push({ kind: 'formula', tex: '\\frac{\\partial L}{\\partial x_i} = \\sum_{j} W_{ji} \\delta_j' });
  blocks.push({ kind: 'paragraph', text: 'The last line is what the layer passes down: it is the $g$ of the layer below.' });
  blocks.push({
    kind: 'check',
    text: `${checkLine(engine.length, check.points.length, check.maxError, check.tolerance)} The index form was compared with each of the engine's ${engine.length} partials at the same points: largest relative difference ${formatNumber(indexError, 2)}.`,
  });
  return { id: example.id, heading: example.heading, blocks, maxError: check.maxError, partials: engine.length };
}

/** The three-weight network of the README, as a formula entry: its full gradient. */
export function networkSpec(): FormulaSpec {
  return {
    id: 'three-weight-network',
    heading: 'The three-weight network',
    about: 'Two inputs, one sigmoid hidden unit, one linear output, squared error: $\\hat{y} = w_3 \\sigma\\left(w_1 x_1 + w_2 x_2\\right)$.',
    name: 'L',
    expr: parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2'),
    wrt: ['w1', 'w2', 'w3'],
    domains: { w1: [[-2, 2]], w2: [[-2, 2]], w3: [[-2, 2]], x1: [[-2, 2]], x2: [[-2, 2]], y: [[0, 1]] },
    plot: { variable: 'w1', range: [-4, 4], at: { w2: -0.3, w3: 0.8, x1: 1, x2: 0.5, y: 1 } },
  };
}

/** A rule's words as TeX: the words as text, a formula after them ('matrix product Y = A B') as maths. */
function aboutTex(about: string): string {
  const cut = about.indexOf(' Y = ');
  const words = (cut < 0 ? about : about.slice(0, cut)).replace(/[{}\\$]/g, '');
  if (cut < 0) return `\\text{${words}}`;
  const math = about.slice(cut + 1).replace(/ \(.*\)$/, '').replace(/ᵀ/g, '^{T}').replace(/−/g, '-').replace(/⊙/g, '\\odot ').replace(/·/g, '\\cdot ');
  return `\\text{${words} }${math}`;
}

/** The network whose matrix-form equations the reference shows: both worked layers stacked (3 → 2 sigmoid → 2 logits, softmax cross-entropy). */
export const MATRIX_FORM_SPEC = '3-2-2:sigmoid:softmax_ce';

/**
 * The same backpropagation in matrix form, for a whole batch: the
 * matrix-calculus rule table, the equations the matrix engine derives for
 * MATRIX_FORM_SPEC (printed from its gradient graph, never typed), next to
 * the index form above; checked by comparing the compiled matrix gradient
 * with the scalar engine's on random weights and batches.
 */
export function documentMatrixForm(options: { page: string; points: number }): DocEntry {
  const spec = parseNetworkSpec(MATRIX_FORM_SPEC);
  const net = matrixNetwork(spec.layers, spec.loss);
  const compiled = compileMatrixGradient(net, { naming: 'short' });
  const eqs = backpropEquations(net, compiled.gradient);
  const blocks: Block[] = [{
    kind: 'paragraph',
    text: `Stack the two layers above, $${spec.sizes.join(' \\to ')}$, and give the network a batch of $N$ samples at once, one column each: $x$ is ${spec.sizes[0]} × N, $z^{(1)}$ and $a^{(1)}$ are ${spec.sizes[1]} × N. The forward pass is a few matrix expressions:`,
  }];
  for (const e of forwardEquations(net)) blocks.push({ kind: 'formula', tex: `${e.lhs.tex} = ${e.rhs.tex}` });
  blocks.push({ kind: 'paragraph', text: 'The matrix engine (src/matrix) differentiates them with one rule per matrix operation, where a bar marks the derivative of the loss with respect to a matrix ($\\bar Y = \\partial L / \\partial Y$), and the chain rule $\\bar A = \\sum$ over the operations that read $A$:' });
  for (const rule of Object.values(matrixRules)) blocks.push({ kind: 'formula', tex: `${aboutTex(rule.about)}:\\quad ${rule.tex}` });
  blocks.push({ kind: 'paragraph', text: 'Printing the gradient graph it derives, with $\\delta^{(l)} = \\bar z^{(l)}$, gives the backpropagation equations in matrix form; they are the index form above for all $j$, $i$ and samples at once ($\\delta_j x_i$ becomes the outer product $\\delta\\, x^{T}$, $\\sum_j W_{ji} \\delta_j$ becomes $W^{T} \\delta$, and the sum over the batch is the product with a column of ones $\\mathbf{1}$):' });
  for (const e of eqs) blocks.push({ kind: 'formula', tex: `${e.lhs.tex} = ${e.rhs.tex}` });

  // The check: the compiled matrix gradient against the scalar engine's, on random weights and batches.
  const seed = seedOf(`${options.page}/matrix-form`);
  let worst = 0;
  const trials = Math.max(1, Math.round(options.points / 8));
  for (let t = 0; t < trials; t++) {
    const m = specModel(spec, { seed: seed + t, N: 8 });
    const scalar = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce });
    const gs = new Float64Array(m.p.length), gm = new Float64Array(m.p.length);
    scalar.lossAndGradient(m.p, gs, m.batch);
    compiled.lossAndGradient(m.p, gm, m.batch);
    gs.forEach((v, k) => { worst = Math.max(worst, relativeError(gm[k]!, v)); });
  }
  if (!(worst <= 1e-12)) throw new FormulaCheckError(`${options.page}: the matrix-form gradient disagrees with the scalar engine's (relative error ${formatNumber(worst, 2)})`);
  blocks.push({
    kind: 'check',
    text: `Check: the compiled matrix-form gradient was compared with the scalar engine's (one symbol per weight) on ${trials} random sets of weights and batches of 8, all ${net.P} partial derivatives each; largest relative difference ${formatNumber(worst, 2)}.`,
  });
  return { id: 'matrix-form', heading: 'The same layers in matrix form, for a batch', blocks, maxError: worst, partials: net.P };
}
