/**
 * The backpropagation equations of a dense network in matrix form, read off
 * the derived gradient graph (never typed by hand): each right-hand side is
 * the adjoint the chain rule built, printed with the layer quantities
 * named (z⁽ˡ⁾, a⁽ˡ⁾, W⁽ˡ⁾, and δ⁽ˡ⁾ for the adjoint of z⁽ˡ⁾).
 *
 *   const eqs = backpropEquations(matrixNetwork(layers, 'softmax_ce'))
 *   eqs.map((e) => `${e.lhs.text} = ${e.rhs.text}`)
 *   // δ⁽²⁾ = (1/N)(softmax(z⁽²⁾) − y)
 *   // δ⁽¹⁾ = (W⁽²⁾ᵀ δ⁽²⁾) ⊙ σ′(z⁽¹⁾)
 *   // σ′(z⁽¹⁾) = a⁽¹⁾ (1 − a⁽¹⁾)   (element by element)
 *   // ∂L/∂W⁽¹⁾ = δ⁽¹⁾ xᵀ, ...
 */
import { checkArg } from '../errors.ts';
import { functionRule } from '../expr/functions.ts';
import { substitute, sym } from '../expr/node.ts';
import { toTex, toText } from '../expr/print.ts';
import { MATRIX_GRADIENT, matrixGradient, type MatrixGradient } from './gradient.ts';
import { placeholder, shapeText, type MNode } from './node.ts';
import { MATRIX_NETWORK, type MatrixNetwork } from './network.ts';

/** A formula in both forms. */
export interface Both { readonly tex: string; readonly text: string }

export interface BackpropEquation {
  /** What the equation gives: 'delta' (δ of a layer), 'derivative' (f′ element by element), 'weights', 'bias'. */
  readonly kind: 'delta' | 'derivative' | 'weights' | 'bias';
  /** The layer, 1 for the first. */
  readonly layer: number;
  readonly lhs: Both;
  readonly rhs: Both;
}

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sup = (l: number): string => `⁽${String(l).split('').map((d) => SUP[Number(d)]).join('')}⁾`;

/** Names of a network's nodes, for printing. */
type Names = Map<number, Both>;

function networkNames(net: MatrixNetwork, grad?: MatrixGradient): Names {
  const names: Names = new Map();
  names.set(net.x.id, { tex: 'x', text: 'x' });
  names.set(net.y.id, { tex: 'y', text: 'y' });
  net.layers.forEach((_, i) => {
    const l = i + 1;
    names.set(net.W[i]!.id, { tex: `W^{(${l})}`, text: `W${sup(l)}` });
    const b = net.b[i];
    if (b) names.set(b.id, { tex: `b^{(${l})}`, text: `b${sup(l)}` });
    names.set(net.z[i]!.id, { tex: `z^{(${l})}`, text: `z${sup(l)}` });
    if (net.a[i] !== net.z[i]) names.set(net.a[i]!.id, { tex: `a^{(${l})}`, text: `a${sup(l)}` });
    const delta = grad?.adjointOf(net.z[i]!);
    if (delta && !names.has(delta.id)) names.set(delta.id, { tex: `\\delta^{(${l})}`, text: `δ${sup(l)}` });
  });
  return names;
}

/** TeX and text of f(z) or f′(z) for a function of the table. */
function callOf(fn: string, prime: boolean, arg: Both): Both {
  if (fn === 'softmax') return { tex: `\\operatorname{softmax}\\left(${arg.tex}\\right)`, text: `softmax(${arg.text})` };
  const rule = functionRule(fn);
  const full = rule ? rule.tex([arg.tex]) : `\\operatorname{${fn}}\\left(${arg.tex}\\right)`;
  const cut = full.indexOf('\\left(');
  const tex = prime && cut > 0 ? `${full.slice(0, cut)}'${full.slice(cut)}` : full;
  const textName = fn === 'sigmoid' ? 'σ' : fn;
  return { tex, text: `${textName}${prime ? '′' : ''}(${arg.text})` };
}

/** Prints a matrix node, with named nodes by their names. */
export function printMatrix(n: MNode, names: ReadonlyMap<number, Both> = new Map()): Both {
  const named = names.get(n.id);
  if (named) return named;
  const p = (k: MNode): Both => printMatrix(k, names);
  // an operand of a product, in parentheses when it is a sum or difference
  const factor = (k: MNode): Both => {
    const s = p(k);
    const loose = k.kind === 'add' || k.kind === 'sub' || k.kind === 'scale' || k.kind === 'matmul' || (k.kind === 'map' && !k.label);
    return !names.has(k.id) && loose ? { tex: `\\left(${s.tex}\\right)`, text: `(${s.text})` } : s;
  };
  switch (n.kind) {
    case 'param':
    case 'data': return { tex: n.name, text: n.name };
    case 'fill': return { tex: String(n.value), text: String(n.value) };
    case 'matmul': {
      // a product inside a product needs no parentheses: (A B) C = A (B C)
      const side = (k: MNode): Both => (k.kind === 'matmul' && !names.has(k.id) ? p(k) : factor(k));
      const [a, b] = [side(n.args[0]), side(n.args[1])];
      return { tex: `${a.tex}\\,${b.tex}`, text: `${a.text} ${b.text}` };
    }
    case 'transpose': {
      const k = n.args[0];
      const a = p(k);
      const simple = names.has(k.id) || k.kind === 'param' || k.kind === 'data';
      return simple ? { tex: `{${a.tex}}^{T}`, text: `${a.text}ᵀ` } : { tex: `\\left(${a.tex}\\right)^{T}`, text: `(${a.text})ᵀ` };
    }
    case 'add':
    case 'sub': {
      const [a, b] = [p(n.args[0]), n.kind === 'sub' ? factor(n.args[1]) : p(n.args[1])];
      const op = n.kind === 'add' ? '+' : '-';
      return { tex: `${a.tex} ${op} ${b.tex}`, text: `${a.text} ${n.kind === 'add' ? '+' : '−'} ${b.text}` };
    }
    case 'hadamard': {
      const [a, b] = [factor(n.args[0]), factor(n.args[1])];
      return { tex: `${a.tex} \\odot ${b.tex}`, text: `${a.text} ⊙ ${b.text}` };
    }
    case 'scale': {
      const a = factor(n.args[0]);
      const f = n.factor;
      const mag = Math.abs(f);
      const sign = f < 0 ? '-' : '';
      // 1/k and 1/√k (a mean over k, attention's 1/√d) print as fractions
      const inv = 1 / mag, invSq = 1 / (mag * mag);
      const frac = Number.isInteger(inv) && inv > 1 ? { tex: `\\frac{1}{${inv}}`, text: `(1/${inv})` }
        : Number.isInteger(Math.round(invSq)) && Math.round(invSq) > 1 && 1 / Math.sqrt(Math.round(invSq)) === mag ? { tex: `\\frac{1}{\\sqrt{${Math.round(invSq)}}}`, text: `(1/√${Math.round(invSq)})` }
          : { tex: String(mag), text: String(mag) };
      const texC = n.perN ? (mag === 1 ? '\\frac{1}{N}' : `\\frac{${mag}}{N}`) : frac.tex;
      const textC = n.perN ? (mag === 1 ? '(1/N)' : `(${mag}/N)`) : frac.text;
      return { tex: `${sign}${texC}\\,${a.tex}`, text: `${f < 0 ? '−' : ''}${textC}${a.text.startsWith('(') ? '' : ' '}${a.text}` };
    }
    case 'broadcast': {
      const a = factor(n.args[0]);
      const [R0, C0] = n.args[0].shape;
      if (C0 === 1 && n.shape[1] !== 1 && !(R0 === 1 && n.shape[0] !== 1)) return { tex: `${a.tex}\\,\\mathbf{1}^{T}`, text: `${a.text} 1ᵀ` };
      if (R0 === 1 && n.shape[0] !== 1 && C0 !== 1) return { tex: `\\mathbf{1}\\,${a.tex}`, text: `1 ${a.text}` };
      return a;
    }
    case 'sum': {
      const k0 = n.args[0];
      const a = k0.kind === 'hadamard' && !names.has(k0.id) ? { tex: `\\left(${p(k0).tex}\\right)`, text: `(${p(k0).text})` } : factor(k0);
      const [R, C] = n.shape;
      if (R === 1 && C === 1 && n.args[0].shape[0] !== 1) return { tex: `\\mathbf{1}^{T} ${a.tex}\\,\\mathbf{1}`, text: `Σ ${a.text}` };
      if (C === 1 && n.args[0].shape[1] !== 1) return { tex: `${a.tex}\\,\\mathbf{1}`, text: `Σₙ ${a.text}` };
      return { tex: `\\mathbf{1}^{T} ${a.tex}`, text: `Σ_rows ${a.text}` };
    }
    case 'lse': {
      const a = p(n.args[0]);
      return { tex: `\\operatorname{logsumexp}\\left(${a.tex}\\right)`, text: `logsumexp(${a.text})` };
    }
    case 'map': {
      if (n.label) return callOf(n.label.fn, n.label.prime, p(n.label.of));
      return mapBody(n, names);
    }
    case 'conv': {
      const [x, k] = [factor(n.args[0]), factor(n.args[1])];
      return { tex: `${x.tex} \\star ${k.tex}`, text: `${x.text} ⋆ ${k.text}` };
    }
    case 'convk': {
      // the correlation of the input with δ, summed over the batch
      const [x, g] = [factor(n.args[0]), factor(n.args[1])];
      return { tex: `\\textstyle\\sum_n ${x.tex} \\star ${g.tex}`, text: `Σₙ ${x.text} ⋆ ${g.text}` };
    }
    case 'convx': {
      // the full convolution of δ with the flipped kernel
      const [g, k] = [factor(n.args[0]), p(n.args[1])];
      return { tex: `${g.tex} \\ast_{\\text{full}} \\operatorname{rot180}\\left(${k.tex}\\right)`, text: `${g.text} ∗full rot180(${k.text})` };
    }
    case 'maxpool':
    case 'avgpool': {
      const a = p(n.args[0]);
      return { tex: `\\operatorname{${n.kind}}_{${n.geom.k}}\\left(${a.tex}\\right)`, text: `${n.kind}${n.geom.k}(${a.text})` };
    }
    case 'maxroute': {
      // δ routed to each window's argmax
      const [a, g] = [p(n.args[0]), p(n.args[1])];
      return { tex: `\\operatorname{route}_{\\arg\\max ${a.tex}}\\left(${g.tex}\\right)`, text: `route_argmax ${a.text}(${g.text})` };
    }
    case 'avgspread': {
      const g = p(n.args[0]);
      return { tex: `\\tfrac{1}{${n.geom.k * n.geom.k}}\\operatorname{spread}_{${n.geom.k}}\\left(${g.tex}\\right)`, text: `spread${n.geom.k}(${g.text})/${n.geom.k * n.geom.k}` };
    }
    case 'repeat': {
      const a = p(n.args[0]);
      return { tex: `\\operatorname{repeat}_{${n.times}}\\left(${a.tex}\\right)`, text: `repeat${n.times}(${a.text})` };
    }
    case 'rowsum': {
      const a = factor(n.args[0]);
      return { tex: `\\textstyle\\sum_{\\text{positions}} ${a.tex}`, text: `Σ_positions ${a.text}` };
    }
    case 'bmm': {
      const side = (k: MNode, t: boolean): Both => {
        const s = k.kind === 'bmm' && !names.has(k.id) && !t ? p(k) : factor(k);
        if (!t) return s;
        const simple = names.has(k.id) || k.kind === 'param' || k.kind === 'data';
        return simple ? { tex: `{${s.tex}}^{T}`, text: `${s.text}ᵀ` } : { tex: `\\left(${s.tex}\\right)^{T}`, text: `(${s.text})ᵀ` };
      };
      const [a, b] = [side(n.args[0], n.ta), side(n.args[1], n.tb)];
      return { tex: `${a.tex}\\,${b.tex}`, text: `${a.text} ${b.text}` };
    }
    case 'softmax': {
      const a = p(n.args[0]);
      return { tex: `\\operatorname{softmax}${n.axis === 'row' ? '_{\\text{rows}}' : ''}\\left(${a.tex}\\right)`, text: `softmax${n.axis === 'row' ? '_rows' : ''}(${a.text})` };
    }
    case 'reshape': {
      const a = p(n.args[0]);
      return { tex: `\\operatorname{reshape}_{${shapeText(n.shape).replace('·', '\\cdot ')}}\\left(${a.tex}\\right)`, text: `reshape ${shapeText(n.shape)}(${a.text})` };
    }
    case 'tokensum': {
      const a = factor(n.args[0]);
      return { tex: `\\textstyle\\sum_t ${a.tex}`, text: `Σₜ ${a.text}` };
    }
    case 'tokenspread': {
      const a = factor(n.args[0]);
      return { tex: `${a.tex}\\,\\mathbf{1}_T^{T}`, text: `${a.text} 1_Tᵀ` };
    }
    case 'causal': {
      const a = p(n.args[0]);
      return { tex: `\\operatorname{mask}_{${n.value === -Infinity ? '-\\infty' : n.value}}\\left(${a.tex}\\right)`, text: `mask${n.value === -Infinity ? '−∞' : n.value}(${a.text})` };
    }
  }
}

/** An element-wise node written out with its template: u0, u1, ... replaced by the arguments. */
function mapBody(n: MNode & { kind: 'map' }, names: ReadonlyMap<number, Both>): Both {
  const args = n.args.map((a) => printMatrix(a, names));
  const tex = toTex(n.f, { symbolTex: (s) => { const i = Number(s.slice(1)); return args[i] ? `{${args[i].tex}}` : s; } });
  const text = toText(substitute(n.f, new Map(args.map((a, i) => [placeholder(i), sym(a.text)]))));
  return { tex, text };
}

/**
 * The equations of backpropagation for a network, from its derived gradient:
 * δ of the last layer, δ of each earlier layer with f′ element by element,
 * and ∂L/∂W, ∂L/∂b of every layer.
 */
export function backpropEquations(net: MatrixNetwork, given?: MatrixGradient): BackpropEquation[] {
  checkArg('backpropEquations', 'net', net, MATRIX_NETWORK);
  checkArg('backpropEquations', 'grad', given, MATRIX_GRADIENT);
  const grad = given ?? matrixGradient(net.loss, net.params);
  const names = networkNames(net, grad);
  const out: BackpropEquation[] = [];
  const L = net.layers.length;
  for (let i = L - 1; i >= 0; i--) {
    const l = i + 1;
    const delta = grad?.adjointOf(net.z[i]!);
    if (delta === undefined) continue;
    const rhsNames = new Map(names);
    rhsNames.delete(delta.id);
    out.push({ kind: 'delta', layer: l, lhs: { tex: `\\delta^{(${l})}`, text: `δ${sup(l)}` }, rhs: printMatrix(delta, rhsNames) });
    // f′ of this layer, element by element, as the chain rule built it
    if (delta.kind === 'hadamard') {
      const d = delta.args[1];
      if (d.kind === 'map' && d.label?.prime) out.push({ kind: 'derivative', layer: l, lhs: printMatrix(d, names), rhs: mapBody(d, names) });
    }
  }
  net.params.forEach((w, k) => {
    const layer = Number(w.kind === 'param' ? w.name.slice(1) : 0);
    const isW = w.kind === 'param' && w.name.startsWith('W');
    const lhsName = names.get(w.id)!;
    out.push({
      kind: isW ? 'weights' : 'bias', layer,
      lhs: { tex: `\\frac{\\partial L}{\\partial ${lhsName.tex}}`, text: `∂L/∂${lhsName.text}` },
      rhs: printMatrix(grad.adjoints[k]!, names),
    });
  });
  return out;
}

/**
 * The forward pass in matrix form, printed from the network's graph:
 * z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ 1ᵀ, a⁽ˡ⁾ = f(z⁽ˡ⁾) for each layer, then the loss.
 */
export function forwardEquations(net: MatrixNetwork): { lhs: Both; rhs: Both }[] {
  checkArg('forwardEquations', 'net', net, MATRIX_NETWORK);
  const names = networkNames(net);
  const without = (n: MNode): Names => { const m = new Map(names); m.delete(n.id); return m; };
  const out: { lhs: Both; rhs: Both }[] = [];
  net.layers.forEach((_, i) => {
    out.push({ lhs: names.get(net.z[i]!.id)!, rhs: printMatrix(net.z[i]!, without(net.z[i]!)) });
    if (net.a[i] !== net.z[i]) out.push({ lhs: names.get(net.a[i]!.id)!, rhs: printMatrix(net.a[i]!, without(net.a[i]!)) });
  });
  out.push({ lhs: { tex: 'L', text: 'L' }, rhs: printMatrix(net.loss, names) });
  return out;
}
