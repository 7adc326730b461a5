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
  broadcast, hadamard, matmul, mmap, mscale, msum, placeholder, transpose, type MKind, type MNode,
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
};
