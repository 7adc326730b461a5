/**
 * Kinks within a finite-difference step: a finite difference that straddles
 * a non-differentiable point (relu at 0, abs at 0, max at a tie, huber at
 * |u| = δ) measures an average of two slopes, not the derivative, so a
 * mismatch there is no evidence of a wrong gradient.
 *
 * For each call node whose function has a kink, we compare how far its
 * arguments are from the kink (the table's `kinkDistance`) at the point with
 * how far they move when the variable moves by ±h: the sum over the
 * arguments of their largest change. Every `kinkDistance` moves no faster
 * than that sum, so a kink farther away cannot be reached within the step.
 *
 *   kinksNear(parseExpression('relu(x) + y'), { x: 0, y: 1 }, 'x', 1e-6)
 *   // [{ fn: 'relu', node: 'relu(x)', variable: 'x', distance: 0, reach: 1e-6, ... }]
 */
import { functionRule, omittedDefaults } from '../expr/functions.ts';
import { topoOrder, type Node } from '../expr/node.ts';
import { evaluateAll, valueMap, type Values } from '../expr/evaluate.ts';
import { toText } from '../expr/print.ts';

/** A kink that a step of ±h in `variable` could cross. */
export interface KinkWarning {
  /** The function with the kink, e.g. 'relu'. */
  readonly fn: string;
  /** The call, as text: 'relu(w1 * x1)'. */
  readonly node: string;
  /** The variable moved (or the direction, e.g. 'direction 3'). */
  readonly variable: string;
  /** How far the arguments are from the kink at the point (0: on it). */
  readonly distance: number;
  /** How far the arguments move when the variable moves by ±h. */
  readonly reach: number;
  /** The table's convention at the kink, e.g. "relu'(0) = 0". */
  readonly convention: string;
}

/** Call nodes of the graph whose function has a kink. */
export function kinkNodes(root: Node): Node[] {
  return topoOrder([root]).filter((n) => n.kind === 'call' && functionRule(n.fn)?.kinkDistance !== undefined);
}

/**
 * The kinks of `root` that moving `variable` by ±h from `point` could
 * cross (or that the point sits on). Empty when the expression is smooth there.
 * Instead of one variable, a direction moves several: point ± h·direction.
 *
 *   kinksNear(parseExpression('abs(x)'), { x: 1 }, 'x', 1e-6)   // []
 *   kinksNear(parseExpression('abs(x)'), { x: 0 }, 'x', 1e-6)   // [{ fn: 'abs', distance: 0, ... }]
 *   kinksNear(loss, point, { label: 'direction 1', move: new Map([['w1', 0.6], ['w2', 0.8]]) }, 1e-6)
 */
export function kinksNear(
  root: Node, point: Values, along: string | { readonly label: string; readonly move: ReadonlyMap<string, number> }, h: number,
): KinkWarning[] {
  const calls = kinkNodes(root);
  if (calls.length === 0) return [];
  const base = valueMap(point);
  const variable = typeof along === 'string' ? along : along.label;
  const move = typeof along === 'string' ? new Map([[along, 1]]) : along.move;
  const shifted = (d: number): Map<number, number> => {
    const moved = new Map(base);
    for (const [name, v] of move) moved.set(name, (base.get(name) ?? 0) + d * v);
    return evaluateAll([root], moved);
  };
  const at = evaluateAll([root], base);
  const up = shifted(h);
  const down = shifted(-h);
  const out: KinkWarning[] = [];
  for (const n of calls) {
    if (n.kind !== 'call') continue;
    const rule = functionRule(n.fn)!;
    const args = n.args.map((a) => at.get(a.id)!);
    const distance = rule.kinkDistance!([...args, ...omittedDefaults(rule, args.length)]);
    let reach = 0;
    for (const a of n.args) {
      const v = at.get(a.id)!;
      reach += Math.max(Math.abs(up.get(a.id)! - v), Math.abs(down.get(a.id)! - v));
    }
    if (!Number.isFinite(distance) || !Number.isFinite(reach)) continue;
    if (reach > 0 && distance <= reach) {
      out.push({ fn: n.fn, node: toText(n), variable, distance, reach, convention: rule.kink?.convention ?? 'not differentiable there' });
    }
  }
  return out;
}
