/**
 * Matrix-calculus rules: one entry per matrix operation, beside the scalar
 * function table. Each rule takes a node Y = op(A, B, ...), the adjoint
 * Ȳ = ∂L/∂Y (a matrix of Y's shape) and the index of a child, and returns
 * that child's share of its adjoint, ∂L/∂child, as a matrix node. The chain
 * rule that sums these shares is in matrix/gradient.ts.
 *
 *   matrixRules.matmul.adjoint(matmul(W, a), G, 0)   // G aᵀ
 *
 * Element-wise functions take f′ from the scalar engine (the scalar table's
 * textbook derivative, or mathjs), so σ′ = σ(1 − σ) is the same rule at both
 * levels; logsumexp's derivative, softmax, comes from the scalar table too.
 */
import { DownhillError } from '../errors.ts';
import { gradient } from '../diff/gradient.ts';
import { functionRule } from '../expr/functions.ts';
import { mapNodes, sym, substitute, topoOrder, type Node } from '../expr/node.ts';
import {
  avgspread, bmm, broadcast, conv, convk, convx, hadamard, matmul, maxroute, mcausal, mfill, mmap, mrepeat, mreshape, mrowsum,
  mscale, msub, msum, pool, placeholder, tokenspread, tokensum, transpose, perSample, type MKind, type MNode,
} from './node.ts';

export interface MatrixRule {
  /** The rule in words. */
  readonly about: string;
  /** The rule in TeX, for the formula reference. */
  readonly tex: string;
  /** ∂L/∂(child i), given Y = node and Ȳ = ∂L/∂Y. */
  readonly adjoint: (node: MNode, G: MNode, i: number) => MNode;
}

type Inner = Exclude<MKind, 'param' | 'data' | 'fill'>;

const arg = (n: MNode, i: number): MNode => ('args' in n ? n.args[i]! : n);

/**
 * The derivative of an element-wise function with respect to its i-th
 * argument, itself element-wise: the scalar engine differentiates the
 * template f(u0, u1, ...), then every copy of f inside the result is read
 * from the node itself (σ′ = σ(1 − σ) reads a = σ(z), not σ(z) again), and
 * unused arguments are dropped.
 */
export function mapDerivative(n: MNode & { kind: 'map' }, i: number): MNode {
  const self = placeholder(n.args.length);
  const names = n.args.map((_, k) => placeholder(k));
  const d = gradient(n.f, names).partials[i]!;
  const withSelf = mapNodes(d, (s) => (s.id === n.f.id ? sym(self) : undefined));
  const all = [...n.args, n];
  const used = new Set(topoOrder([withSelf]).flatMap((s) => (s.kind === 'sym' ? [Number(s.name.slice(1))] : [])));
  const keep = [...used].sort((a, b) => a - b);
  const renamed = substitute(withSelf, new Map(keep.map((k, j) => [placeholder(k), sym(placeholder(j))])));
  if (keep.length === 0) {
    // a constant derivative (f linear in this argument): a filled matrix times Ȳ
    return mmap(renamed, [n.args[i]!]);
  }
  const label = n.label && !n.label.prime && n.label.fn !== 'softmax' ? { fn: n.label.fn, prime: true, of: n.label.of } : undefined;
  return mmap(renamed, keep.map((k) => all[k]!), label);
}

/** softmax of each column, exp(z − logsumexp(z)): logsumexp's derivative in the scalar table. */
export function softmaxOf(z: MNode, lseNode: MNode): MNode {
  const rule = functionRule('logsumexp');
  if (!rule?.derivative) throw new DownhillError('the function table has no derivative for logsumexp');
  const f: Node = rule.derivative([sym('u0')], sym('u1'))[0]!;
  return mmap(f, [z, broadcast(lseNode, z.shape)], { fn: 'softmax', prime: false, of: z });
}

/** The rule table: one entry per matrix operation. */
export const matrixRules: Readonly<Record<Inner, MatrixRule>> = {
  // Y = A B:  dY = dA B + A dB, so tr(Ȳᵀ dY) = tr((Ȳ Bᵀ)ᵀ dA) + tr((Aᵀ Ȳ)ᵀ dB).
  matmul: {
    about: 'matrix product Y = A B', tex: '\\bar A = \\bar Y B^{T},\\quad \\bar B = A^{T} \\bar Y',
    adjoint: (n, G, i) => (i === 0 ? matmul(G, transpose(arg(n, 1))) : matmul(transpose(arg(n, 0)), G)),
  },
  // Y = Aᵀ: Y_ij = A_ji, so Ā = Ȳᵀ.
  transpose: { about: 'transpose Y = Aᵀ', tex: '\\bar A = \\bar Y^{T}', adjoint: (_, G) => transpose(G) },
  // Y = A + B: each element of A and B moves Y one for one.
  add: { about: 'sum Y = A + B', tex: '\\bar A = \\bar Y,\\quad \\bar B = \\bar Y', adjoint: (_, G) => G },
  sub: { about: 'difference Y = A − B', tex: '\\bar A = \\bar Y,\\quad \\bar B = -\\bar Y', adjoint: (_, G, i) => (i === 0 ? G : mscale(G, -1)) },
  // Y = A ⊙ B: Y_ij = A_ij B_ij, so ∂Y_ij/∂A_ij = B_ij.
  hadamard: {
    about: 'element-wise product Y = A ⊙ B', tex: '\\bar A = \\bar Y \\odot B,\\quad \\bar B = A \\odot \\bar Y',
    adjoint: (n, G, i) => (i === 0 ? hadamard(G, arg(n, 1)) : hadamard(arg(n, 0), G)),
  },
  // Y = c A (÷ N): linear.
  scale: {
    about: 'scaling Y = c·A (c may be 1/N)', tex: '\\bar A = c\\,\\bar Y',
    adjoint: (n, G) => (n.kind === 'scale' ? mscale(G, n.factor, n.perN) : G),
  },
  // Y = A 1ᵀ (a column copied to every column): every copy sends its adjoint back, Ā = Ȳ 1.
  broadcast: { about: 'broadcast (a bias copied to every sample)', tex: '\\bar a = \\bar Y \\mathbf 1 = \\textstyle\\sum_n \\bar Y_{:,n}', adjoint: (n, G) => msum(G, arg(n, 0).shape) },
  // y = Σ A: every element moves y one for one, Ā = ȳ copied out.
  sum: { about: 'sum over rows, columns or all', tex: '\\bar A = \\bar y\\,\\mathbf 1^{T} \\text{ (copied out)}', adjoint: (n, G) => broadcast(G, arg(n, 0).shape) },
  // y_n = log Σ_c exp(Z_cn): ∂y_n/∂Z_cn = exp(Z_cn − y_n) = softmax(Z)_cn.
  lse: {
    about: 'logsumexp of each column', tex: '\\bar Z = \\operatorname{softmax}(Z) \\odot \\bar y\\ \\text{(row copied down)}',
    adjoint: (n, G) => hadamard(broadcast(G, arg(n, 0).shape), softmaxOf(arg(n, 0), n)),
  },
  // Y = f(A) element by element: Ā = Ȳ ⊙ f′(A), f′ from the scalar engine.
  map: {
    about: 'element-wise function Y = f(A)', tex: '\\bar A = \\bar Y \\odot f\'(A)',
    adjoint: (n, G, i) => {
      if (n.kind !== 'map') throw new Error('map rule on another node');
      return hadamard(G, mapDerivative(n, i));
    },
  },

  // Z = X ⋆ K, Z[f,r,c] = Σ K[f,ch,i,j] X[ch, r·s+i−p, c·s+j−p] is bilinear: dZ = dX ⋆ K + X ⋆ dK, so
  // ∂L/∂K[f,ch,i,j] = Σ_{n,r,c} Z̄[f,r,c] X[ch, r·s+i−p, c·s+j−p]  (the correlation of the input with δ) and
  // ∂L/∂X[ch,y,x] = Σ_{f,i,j} Z̄[f, (y−i+p)/s, (x−j+p)/s] K[f,ch,i,j]  (the full convolution of δ with the flipped kernel).
  conv: {
    about: '2-D convolution (cross-correlation) Z = X ⋆ K', tex: '\\bar K = \\textstyle\\sum_n X \\star \\bar Z,\\quad \\bar X = \\bar Z \\ast \\operatorname{rot180}(K)',
    adjoint: (n, G, i) => {
      if (n.kind !== 'conv') throw new Error('conv rule on another node');
      return i === 0 ? convx(G, n.args[1], n.geom) : convk(n.args[0], G, n.geom);
    },
  },
  // Y = corr(X, G) is bilinear, ⟨Ȳ, corr(X, G)⟩ = ⟨Ḡ-side⟩: X̄ = G ∗ rot180(Ȳ), Ḡ = X ⋆ Ȳ.
  convk: {
    about: 'correlation of an input with a map (a kernel gradient)', tex: '\\bar X = G \\ast \\operatorname{rot180}(\\bar Y),\\quad \\bar G = X \\star \\bar Y',
    adjoint: (n, G, i) => {
      if (n.kind !== 'convk') throw new Error('convk rule on another node');
      return i === 0 ? convx(n.args[1], G, n.geom) : conv(n.args[0], G, n.geom);
    },
  },
  // Y = G ∗ rot180(K) is bilinear, the transpose of the convolution: Ḡ = Ȳ ⋆ K, K̄ = Σ_n Ȳ ⋆ G.
  convx: {
    about: 'full convolution with the flipped kernel (an input gradient)', tex: '\\bar G = \\bar Y \\star K,\\quad \\bar K = \\textstyle\\sum_n \\bar Y \\star G',
    adjoint: (n, G, i) => {
      if (n.kind !== 'convx') throw new Error('convx rule on another node');
      return i === 0 ? conv(G, n.args[1], n.geom) : convk(G, n.args[0], n.geom);
    },
  },
  // y_w = max_{q ∈ w} a_q: ∂y_w/∂a_q = 1 at the window's argmax (the first on ties), 0 elsewhere: δ is routed to the argmax.
  maxpool: {
    about: 'max-pool: the largest of each window', tex: '\\bar A = \\operatorname{route}_{\\arg\\max}\\left(\\bar Y\\right)',
    adjoint: (n, G) => {
      if (n.kind !== 'maxpool') throw new Error('maxpool rule on another node');
      return maxroute(n.args[0], G, n.geom);
    },
  },
  // Y = route(A, G) is linear in G and piecewise constant in A: Ā = 0, Ḡ = Ȳ read at each window's argmax.
  maxroute: {
    about: 'δ routed to each window\'s argmax (max-pool\'s adjoint)', tex: '\\bar A = 0,\\quad \\bar G = \\bar Y_{\\arg\\max}',
    adjoint: (n, G, i) => {
      if (n.kind !== 'maxroute') throw new Error('maxroute rule on another node');
      if (i === 0) return mfill(0, n.args[0].shape);
      throw new DownhillError('max-pool: no rule for the derivative of its backward pass (a second derivative)');
    },
  },
  // y_w = (1/k²) Σ_{q ∈ w} a_q: each position of the window gets ȳ_w / k².
  avgpool: {
    about: 'average-pool: the mean of each window', tex: '\\bar A = \\tfrac{1}{k^2}\\operatorname{spread}\\left(\\bar Y\\right)',
    adjoint: (n, G) => {
      if (n.kind !== 'avgpool') throw new Error('avgpool rule on another node');
      return avgspread(G, n.geom);
    },
  },
  // Y = spread(G)/k² is avgpool's transpose: Ḡ = avgpool(Ȳ).
  avgspread: {
    about: 'each window gets its value / k² (average-pool\'s adjoint)', tex: '\\bar G = \\operatorname{avgpool}\\left(\\bar Y\\right)',
    adjoint: (n, G) => {
      if (n.kind !== 'avgspread') throw new Error('avgspread rule on another node');
      return pool('avgpool', G, n.geom);
    },
  },
  // Y = repeat(A): every copy sends its adjoint back, Ā = the sum of each group of copies.
  repeat: {
    about: 'each row repeated (a filter\'s bias at each position)', tex: '\\bar A_f = \\textstyle\\sum_{q} \\bar Y_{f,q}',
    adjoint: (n, G) => (n.kind === 'repeat' ? mrowsum(G, n.times) : G),
  },
  rowsum: {
    about: 'groups of rows summed', tex: '\\bar A_{f,q} = \\bar y_f', adjoint: (n, G) => (n.kind === 'rowsum' ? mrepeat(G, n.times) : G),
  },
  // C_n = op(A_n) op(B_n) per sample, as matmul: d op(A) = C̄ op(B)ᵀ, d op(B) = op(A)ᵀ C̄, transposed back where op is a transpose.
  bmm: {
    about: 'matrix product per sample: op(A) op(B) for each sample\'s block', tex: '\\bar A_n = \\bar C_n B_n^{T},\\quad \\bar B_n = A_n^{T} \\bar C_n\\ \\text{(transposed back where an operand is)}',
    adjoint: (n, G, i) => {
      if (n.kind !== 'bmm') throw new Error('bmm rule on another node');
      const [A, B] = n.args;
      if (i === 0) return n.ta ? bmm(B, G, n.tb, true) : bmm(G, B, false, !n.tb);
      return n.tb ? bmm(G, A, true, n.ta) : bmm(A, G, !n.ta, false);
    },
  },
  // a = softmax(s) per column: ∂a_i/∂s_j = a_i (δ_ij − a_j), so s̄ = a ⊙ (ā − 1 Σ_i (ā ⊙ a)_i); per row the same with the row sums.
  softmax: {
    about: 'softmax of each column (or row)', tex: '\\bar S = A \\odot \\left(\\bar A - \\mathbf 1\\,\\mathbf 1^{T} (\\bar A \\odot A)\\right)',
    adjoint: (n, G) => {
      if (n.kind !== 'softmax') throw new Error('softmax rule on another node');
      const [R, C] = n.shape;
      const sums = msum(hadamard(G, n), n.axis === 'column' ? [1, C] : [R, 1]);
      return hadamard(n, msub(G, broadcast(sums, n.shape)));
    },
  },
  // a reshape moves no number: Ā is Ȳ in A's shape.
  reshape: { about: 'the same numbers in another shape', tex: '\\bar A = \\operatorname{reshape}(\\bar Y)', adjoint: (n, G) => mreshape(G, arg(n, 0).shape) },
  // y_n = Σ_t A_{:,(n,t)}: every token moves y one for one.
  tokensum: {
    about: 'sum over each sample\'s tokens', tex: '\\bar A_{:,t} = \\bar y\\ \\text{for every token } t',
    adjoint: (n, G) => tokenspread(G, perSample(arg(n, 0).shape[1]) ?? 1),
  },
  tokenspread: { about: 'a sample\'s column copied to each token', tex: '\\bar a = \\textstyle\\sum_t \\bar Y_{:,t}', adjoint: (_, G) => tokensum(G) },
  // y = A where kept, a constant where masked: Ā = Ȳ where kept, 0 where masked.
  causal: {
    about: 'causal mask (keys after the query masked)', tex: '\\bar A = \\operatorname{mask}_0(\\bar Y)', adjoint: (_, G) => mcausal(G, 0),
  },
};
