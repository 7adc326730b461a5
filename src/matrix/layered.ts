/**
 * Networks with convolution, pooling and attention as matrix graphs, their
 * compiled loss and gradient, and their equations read off the derived
 * gradient (never typed).
 *
 *   const net = layeredMatrixNetwork(parseLayeredSpec('1x28x28-conv8x5-maxpool2-10:relu:softmax_ce'))
 *   const f = compileLayered(net)
 *   f.lossAndGradient(p, g, batch)            // p and batch as the scalar engine lays them out
 *   layeredEquations(net).backward            // δ⁽³⁾ = (1/N)(softmax(z⁽³⁾) − y), δa⁽²⁾ = W⁽³⁾ᵀ δ⁽³⁾, ...
 *
 * Layouts (matrix/node.ts): an image is one column per sample (channel by
 * channel, row by row), so flattening it for a dense layer moves nothing;
 * a sequence of T tokens of width d is d × T·N, token t of sample n in
 * column n·T + t, so that q_t = W_q x_t is one product Q = W_q X.
 * Attention, per sequence: S = KᵀQ/√d (column t holds the scores of query
 * t), A = softmax of each column, O = V A, H = X + W_o O.
 */
import { checkArg, checkOneOf, checkOptions, objectWith, type Accepts } from '../errors.ts';
import { blockParameters, layeredDataNames, layeredParameterNames, readLayeredSpec, type LayeredSpec } from '../nn/spec.ts';
import type { Naming } from '../nn/dense.ts';
import { compileMatrixLoss, shareGenerated, type MatrixModelCompiled } from './compile.ts';
import { printMatrix, type Both } from './equations.ts';
import { MATRIX_GRADIENT, matrixGradient, type MatrixGradient } from './gradient.ts';
import { activateMatrix, matrixLoss } from './network.ts';
import {
  bmm, broadcast, conv, madd, matmul, mcausal, mdata, mparam, mrepeat, mreshape, mscale, msoftmax, pool, tokensum, type MNode,
} from './node.ts';

/** A named quantity of the forward pass. */
export interface Quantity {
  readonly node: MNode;
  readonly name: Both;
  /** The name of its adjoint: δ⁽ˡ⁾ for a pre-activation z⁽ˡ⁾, dQ for Q, δa⁽ˡ⁾ for an activation. */
  readonly adjointName: Both;
}

export interface LayeredMatrixNetwork {
  readonly spec: LayeredSpec;
  readonly loss: MNode;
  readonly reduce: 'mean' | 'sum';
  /** The parameter nodes in the order of p. */
  readonly params: readonly MNode[];
  /** Their printed names (K⁽¹⁾, b⁽¹⁾, W_q⁽¹⁾, ...). */
  readonly paramNames: readonly Both[];
  /** The forward quantities, input first (x, z⁽¹⁾, a⁽¹⁾, Q, K, ...). */
  readonly quantities: readonly Quantity[];
  readonly x: MNode;
  readonly y: MNode;
  readonly D: number;
  readonly P: number;
}

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sup = (l: number): string => `⁽${String(l).split('').map((d) => SUP[Number(d)]).join('')}⁾`;
const layerName = (base: string, texBase: string, l: number): Both => ({ tex: `${texBase}^{(${l})}`, text: `${base}${sup(l)}` });

/** What the functions that take a layered matrix network accept: layeredMatrixNetwork's result. */
const LAYERED_NETWORK: Accepts<LayeredMatrixNetwork> = { ...objectWith<LayeredMatrixNetwork>('spec', 'loss', 'params', 'paramNames', 'quantities', 'x', 'y', 'P'), what: "a layered matrix network (layeredMatrixNetwork's result)" };

/** A parameter's printed name: K⁽ˡ⁾, b⁽ˡ⁾, W⁽ˡ⁾, and W_q⁽ˡ⁾ for Wq. */
const parameterName = (base: string, l: number): Both => (base.length > 1
  ? { tex: `${base[0]}_{${base.slice(1)}}^{(${l})}`, text: `${base[0]}_${base.slice(1)}${sup(l)}` }
  : layerName(base, base, l));

/**
 * Builds the matrix graph of a layered description (see the top of this
 * file), from its text or parsed (nn/spec.ts's readLayeredSpec, as the
 * scalar engine's layeredNetwork reads it), one parameter node per matrix of
 * nn/spec.ts's blockParameters.
 */
export function layeredMatrixNetwork(given: LayeredSpec | string): LayeredMatrixNetwork {
  const spec = readLayeredSpec('layeredMatrixNetwork', given);
  const x = mdata('x', [spec.inputs, 'N'], 0), y = mdata('y', [spec.outputs, 'N'], spec.inputs);
  const params: MNode[] = [], paramNames: Both[] = [], quantities: Quantity[] = [];
  let offset = 0;
  /** Block l's parameter matrices, in the order of p. */
  const paramsOf = (b: LayeredSpec['blocks'][number], l: number): MNode[] => blockParameters(b, l).map((m) => {
    const w = mparam(`${m.base}${l}`, [m.rows, m.cols], offset);
    offset += m.rows * m.cols;
    params.push(w);
    paramNames.push(parameterName(m.base, l));
    return w;
  });
  const quantity = (node: MNode, name: Both, adjointName: Both): MNode => {
    if (!quantities.some((q) => q.node === node)) quantities.push({ node, name, adjointName });
    return node;
  };
  const multi = spec.blocks.filter((b) => b.kind === 'attention').length > 1;
  quantity(x, { tex: 'x', text: 'x' }, { tex: '\\delta_{x}', text: 'δx' });
  let a = x;
  spec.blocks.forEach((b, i) => {
    const l = i + 1;
    const last = i === spec.blocks.length - 1;
    const z = layerName('z', 'z', l), act = layerName('a', 'a', l);
    const delta: Both = { tex: `\\delta^{(${l})}`, text: `δ${sup(l)}` };
    const deltaA: Both = last ? delta : { tex: `\\delta_{a}^{(${l})}`, text: `δa${sup(l)}` };
    switch (b.kind) {
      case 'conv': {
        const g = b.geom;
        const [K, bias] = paramsOf(b, l) as [MNode, MNode?];
        const Z0 = conv(a, K, g);
        const Z = quantity(bias ? madd(Z0, broadcast(mrepeat(bias, g.Ho * g.Wo), Z0.shape)) : Z0, z, delta);
        a = quantity(activateMatrix(b.activation, Z), act, deltaA);
        break;
      }
      case 'pool':
        a = quantity(pool(b.mode === 'max' ? 'maxpool' : 'avgpool', a, b.geom), act, deltaA);
        break;
      case 'attention': {
        const { T, d } = b;
        const sfx = (s: string): Both => (multi ? { tex: `${s}^{(${l})}`, text: `${s}${sup(l)}` } : { tex: s, text: s });
        const [Wq, Wk, Wv, Wo] = paramsOf(b, l) as [MNode, MNode, MNode, MNode];
        const X = a.shape[1] === 'N' ? quantity(mreshape(a, [d, `${T}N`]), { tex: 'X', text: 'X' }, { tex: 'dX', text: 'dX' }) : a;
        const named = (n: MNode, s: string): MNode => quantity(n, sfx(s), { tex: `d${sfx(s).tex}`, text: `d${sfx(s).text}` });
        const Q = named(matmul(Wq, X), 'Q'), K = named(matmul(Wk, X), 'K'), V = named(matmul(Wv, X), 'V');
        const S0 = mscale(bmm(K, Q, true), 1 / Math.sqrt(d));
        const S = named(b.causal ? mcausal(S0) : S0, 'S');
        const A = named(msoftmax(S), 'A');
        const O = named(bmm(V, A), 'O');
        a = named(madd(X, matmul(Wo, O)), 'H');
        break;
      }
      case 'mean':
        a = quantity(mscale(tokensum(a), 1 / b.T), { tex: 'm', text: 'm' }, { tex: 'dm', text: 'dm' });
        break;
      case 'dense': {
        const L = b.layer;
        const [Wd, bias] = paramsOf(b, l) as [MNode, MNode?];
        const Wa = matmul(Wd, a);
        const Z = quantity(bias ? madd(Wa, broadcast(bias, Wa.shape)) : Wa, z, delta);
        a = quantity(activateMatrix(L.activation, Z), act, deltaA);
        break;
      }
    }
  });
  if (offset !== spec.P) throw new Error(`layered network: ${offset} parameters placed, ${spec.P} counted`);
  const { loss, reduce } = matrixLoss(a, y, spec.loss);
  quantity(y, { tex: 'y', text: 'y' }, { tex: '\\delta_{y}', text: 'δy' });
  return { spec, loss, reduce, params, paramNames, quantities, x, y, D: spec.inputs + spec.outputs, P: spec.P };
}

/** Compiles a layered network's loss and gradient (p and batch as the scalar engine's). */
export function compileLayered(net: LayeredMatrixNetwork, options: { naming?: Naming } = {}): MatrixModelCompiled & { readonly network: LayeredMatrixNetwork } {
  checkArg('compileLayered', 'net', net, LAYERED_NETWORK);
  checkOptions('compileLayered', options, ['naming']);
  if (options.naming !== undefined) checkOneOf('compileLayered', 'naming', options.naming, ['short', 'indexed']);
  const data = layeredDataNames(net.spec);
  const compiled = compileMatrixLoss({
    loss: net.loss, params: net.params, P: net.P, data, reduce: net.reduce,
    paramNames: () => layeredParameterNames(net.spec, options.naming ?? 'indexed'),
  });
  const out = Object.defineProperties({ network: net }, Object.getOwnPropertyDescriptors(compiled)) as MatrixModelCompiled & { readonly network: LayeredMatrixNetwork };
  return shareGenerated(out, compiled);
}

/** One printed equation. */
export interface LayeredEquation {
  readonly lhs: Both;
  readonly rhs: Both;
  /** The shape of the left-hand side for a batch of N (e.g. 4608×N, 16×16·N). */
  readonly shape: string;
}

/**
 * The forward pass and the backward equations of a layered network, printed
 * from its graph and its derived gradient: each quantity's adjoint from the
 * loss down, then ∂L/∂ of every parameter, with the quantities and their
 * adjoints named.
 */
export function layeredEquations(net: LayeredMatrixNetwork, given?: MatrixGradient): { forward: LayeredEquation[]; backward: LayeredEquation[] } {
  checkArg('layeredEquations', 'net', net, LAYERED_NETWORK);
  checkArg('layeredEquations', 'grad', given, MATRIX_GRADIENT);
  const grad = given ?? matrixGradient(net.loss, net.params);
  const shape = (n: MNode): string => `${String(n.shape[0])}×${n.shape[1] === 'N' ? 'N' : typeof n.shape[1] === 'number' ? n.shape[1] : `${n.shape[1].slice(0, -1)}·N`}`;
  const forwardNames = new Map<number, Both>();
  net.params.forEach((w, k) => forwardNames.set(w.id, net.paramNames[k]!));
  for (const q of net.quantities) if (!forwardNames.has(q.node.id)) forwardNames.set(q.node.id, q.name);
  const without = (names: Map<number, Both>, n: MNode): Map<number, Both> => { const m = new Map(names); m.delete(n.id); return m; };
  const forward: LayeredEquation[] = net.quantities
    .filter((q) => q.node !== net.x && q.node !== net.y && forwardNames.get(q.node.id) === q.name)
    .map((q) => ({ lhs: q.name, rhs: printMatrix(q.node, without(forwardNames, q.node)), shape: shape(q.node) }));
  forward.push({ lhs: { tex: 'L', text: 'L' }, rhs: printMatrix(net.loss, forwardNames), shape: '1×1' });

  // adjoints named after their quantities, the later quantity's name first (a = z for identity)
  const names = new Map(forwardNames);
  const adjointQuantities = [...net.quantities].reverse().filter((q) => grad.adjointOf(q.node) !== undefined && q.node.kind !== 'data');
  for (const q of adjointQuantities) {
    const adj = grad.adjointOf(q.node)!;
    if (!names.has(adj.id)) names.set(adj.id, q.adjointName);
  }
  const backward: LayeredEquation[] = [];
  const printed = new Set<number>();
  for (const q of adjointQuantities) {
    const adj = grad.adjointOf(q.node)!;
    if (printed.has(adj.id) || names.get(adj.id) !== q.adjointName) continue;
    printed.add(adj.id);
    backward.push({ lhs: q.adjointName, rhs: printMatrix(adj, without(names, adj)), shape: shape(adj) });
  }
  net.params.forEach((w, k) => {
    const n = net.paramNames[k]!;
    backward.push({ lhs: { tex: `\\frac{\\partial L}{\\partial ${n.tex}}`, text: `∂L/∂${n.text}` }, rhs: printMatrix(grad.adjoints[k]!, names), shape: shape(w) });
  });
  return { forward, backward };
}
