/**
 * Reverse mode over a matrix graph: the chain rule written once, as in the
 * scalar engine, with matrices for adjoints,
 *
 *     Ā = Σ_{Y consumes A}  (rule of Y for A)(Ȳ),      L̄ = 1,
 *
 * nodes visited from the loss down so that every consumer's adjoint is
 * complete before it is used. The adjoints are nodes of the same matrix
 * graph: the gradient of a matrix expression is a matrix expression.
 *
 *   const { adjoints } = matrixGradient(loss, [W1, b1, W2, b2])
 *   // adjoints[0] is δ⁽¹⁾ xᵀ, adjoints[1] is δ⁽¹⁾ summed over the batch, ...
 */
import { DownhillError, objectWith, optional, type Accepts } from '../errors.ts';
import { margs, madd, mfill, mtopo, shapeText, type MNode } from './node.ts';
import { matrixRules } from './rules.ts';

export interface MatrixGradient {
  readonly loss: MNode;
  /** ∂loss/∂wrt[k], each of wrt[k]'s shape. */
  readonly adjoints: readonly MNode[];
  /** The adjoint of any node on a path from a variable to the loss. */
  readonly adjointOf: (n: MNode) => MNode | undefined;
}

/** What the printers accept as a network's gradient: matrixGradient's result (or nothing: they derive it). */
export const MATRIX_GRADIENT: Accepts<MatrixGradient | undefined> = optional({ ...objectWith<MatrixGradient>('loss', 'adjoints', 'adjointOf'), what: "a matrix gradient (matrixGradient's result)" });

/** The gradient of a 1×1 loss with respect to the given parameter and data nodes. */
export function matrixGradient(loss: MNode, wrt: readonly MNode[]): MatrixGradient {
  if (loss.shape[0] !== 1 || loss.shape[1] !== 1) throw new DownhillError(`gradient: the loss must be 1×1, got ${shapeText(loss.shape)}`);
  const order = mtopo([loss]);
  const targets = new Set(wrt.map((w) => w.id));
  const active = new Set<number>();
  for (const n of order) if (targets.has(n.id) || margs(n).some((k) => active.has(k.id))) active.add(n.id);

  const adjoint = new Map<number, MNode>();
  if (active.has(loss.id)) adjoint.set(loss.id, mfill(1, loss.shape));
  for (let k = order.length - 1; k >= 0; k--) {
    const n = order[k]!;
    const G = adjoint.get(n.id);
    if (G === undefined || n.kind === 'param' || n.kind === 'data' || n.kind === 'fill') continue;
    const kids = margs(n);
    for (let i = 0; i < kids.length; i++) {
      const child = kids[i]!;
      if (!active.has(child.id)) continue;
      const share = matrixRules[n.kind].adjoint(n, G, i);
      const previous = adjoint.get(child.id);
      adjoint.set(child.id, previous === undefined ? share : madd(previous, share));
    }
  }
  const adjoints = wrt.map((w) => adjoint.get(w.id) ?? mfill(0, w.shape));
  return { loss, adjoints, adjointOf: (n) => adjoint.get(n.id) };
}
