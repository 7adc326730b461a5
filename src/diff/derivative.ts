/**
 * The closed-form derivative of an expression with respect to one variable,
 * for reading: reverse mode gives it, `tidy` makes it look like a textbook.
 *
 *   const d = derivative('(y - w3*sigmoid(w1*x1 + w2*x2))^2', 'w1')
 *   d.text  // '-2 * (y - w3 * sigmoid(w1 * x1 + w2 * x2)) * w3 * sigmoid(...) * (1 - sigmoid(...)) * x1'
 *   d.tex   // '-2 \left(y - w_{3} \sigma\left(...\right)\right) w_{3} \sigma(...) ...'
 */
import { checkArg, NAMES, TEXT, type Accepts } from '../errors.ts';
import { isNode, type Node } from '../expr/node.ts';
import { parseExpression } from '../expr/parse.ts';
import { toTex, toText, type PrintOptions } from '../expr/print.ts';
import { tidy } from '../expr/tidy.ts';
import { gradient } from './gradient.ts';

export interface Derivative {
  /** The variable differentiated by. */
  readonly wrt: string;
  /** The derivative as a graph (tidy). */
  readonly node: Node;
  /** The chain rule's raw result, before tidying. */
  readonly raw: Node;
  /** mathjs text of the tidy derivative. */
  readonly text: string;
  /** TeX of the tidy derivative. */
  readonly tex: string;
}

/** What `expr` accepts: a graph or mathjs text. */
export const EXPRESSION: Accepts<Node | string> = { what: 'an expression graph or its text', test: (v): v is Node | string => typeof v === 'string' || isNode(v) };

/** ∂expr/∂wrt in closed form; `expr` is a graph or mathjs text. */
export function derivative(expr: Node | string, wrt: string, options: PrintOptions = {}): Derivative {
  checkArg('derivative', 'expr', expr, EXPRESSION);
  checkArg('derivative', 'wrt', wrt, TEXT);
  return derivativesOf(expr, [wrt], options)[0]!;
}

/**
 * ∂expr/∂w in closed form for each variable w, from one reverse sweep (the
 * same nodes, one by one, as `derivative` gives).
 */
export function derivativesOf(expr: Node | string, wrt: readonly string[], options: PrintOptions = {}): Derivative[] {
  checkArg('derivativesOf', 'expr', expr, EXPRESSION);
  checkArg('derivativesOf', 'wrt', wrt, NAMES);
  const f = typeof expr === 'string' ? parseExpression(expr) : expr;
  return gradient(f, wrt).partials.map((raw, i) => {
    const node = tidy(raw);
    return { wrt: wrt[i]!, node, raw, text: toText(node, options), tex: toTex(node, options) };
  });
}
