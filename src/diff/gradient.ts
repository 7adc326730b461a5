/**
 * Symbolic reverse mode (backpropagation) over an expression graph.
 *
 * The chain rule, written once: the adjoint of a node is the sum, over the
 * nodes that consume it, of the consumer's adjoint times the local
 * derivative of the consumer with respect to it,
 *
 *     adj(v) = Σ_{c consumes v}  adj(c) · ∂c/∂v,      adj(L) = 1.
 *
 * Visiting nodes from the loss down (reverse topological order) makes every
 * consumer's adjoint complete before it is used. Each adjoint is a node of
 * the same hash-consed graph, so the gradient shares the forward graph and
 * grows like it (a few nodes per forward node), not like P × its size.
 */
import { checkArg, DownhillError, NAMES } from '../errors.ts';
import { add, constant, kidsOf, mul, NODE, sym, topoOrder, type Node } from '../expr/node.ts';
import { localDerivative } from './local.ts';

/** One step of backpropagation: a node, its adjoint, and each edge's local derivative. */
export interface TraceEntry {
  /** The node whose adjoint is complete at this step. */
  readonly node: Node;
  /** ∂L/∂node. */
  readonly adjoint: Node;
  /**
   * The children it passes its adjoint on to (those that depend on a
   * variable), each with its position among the node's children
   * (`children(node)[index] === child`) and ∂node/∂child.
   */
  readonly edges: readonly { readonly child: Node; readonly index: number; readonly local: Node }[];
}

export interface Gradient {
  /** The expression differentiated. */
  readonly loss: Node;
  /** The variables, in the order asked. */
  readonly wrt: readonly string[];
  /** ∂loss/∂wrt[i], as nodes sharing the forward graph. */
  readonly partials: readonly Node[];
  /** The chain-rule steps, from the loss down, for lessons and docs. */
  readonly trace: readonly TraceEntry[];
}

/**
 * The gradient of `loss` with respect to the named symbols, by reverse mode.
 *
 *   const { partials } = gradient(parseExpression('x*y + sin(x)'), ['x', 'y'])
 *   // partials[0] is y + cos(x), partials[1] is x
 */
export function gradient(loss: Node, wrt: readonly string[]): Gradient {
  checkArg('gradient', 'loss', loss, NODE);
  checkArg('gradient', 'wrt', wrt, NAMES);
  const seen = new Set<string>();
  for (const name of wrt) {
    if (seen.has(name)) throw new DownhillError(`variable "${name}" is listed twice`);
    seen.add(name);
  }
  const order = topoOrder([loss]);

  // Activity: only nodes that depend on a variable need an adjoint.
  const targets = new Set(wrt);
  const active = new Set<number>();
  for (const n of order) {
    if (n.kind === 'sym' ? targets.has(n.name) : kidsOf(n).some((k) => active.has(k.id))) active.add(n.id);
  }

  const adjoint = new Map<number, Node>();
  const trace: TraceEntry[] = [];
  if (active.has(loss.id)) adjoint.set(loss.id, constant(1));
  for (let k = order.length - 1; k >= 0; k--) {
    const n = order[k]!;
    const adj = adjoint.get(n.id);
    if (adj === undefined || n.kind === 'sym' || n.kind === 'const') continue;
    const edges: { child: Node; index: number; local: Node }[] = [];
    const kids = kidsOf(n);
    for (let i = 0; i < kids.length; i++) {
      const child = kids[i]!;
      if (!active.has(child.id)) continue;
      const local = localDerivative(n, i);
      edges.push({ child, index: i, local });
      const contribution = mul(adj, local);
      const previous = adjoint.get(child.id);
      adjoint.set(child.id, previous === undefined ? contribution : add(previous, contribution));
    }
    trace.push({ node: n, adjoint: adj, edges });
  }
  // Leaves last, so the trace ends with the answers.
  for (const name of wrt) {
    const leaf = sym(name);
    const adj = adjoint.get(leaf.id);
    if (adj !== undefined) trace.push({ node: leaf, adjoint: adj, edges: [] });
  }
  const partials = wrt.map((name) => adjoint.get(sym(name).id) ?? constant(0));
  return { loss, wrt, partials, trace };
}
