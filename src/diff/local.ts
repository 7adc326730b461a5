/**
 * Local derivatives: ∂node/∂child for one node, with its children as they are.
 *
 * mathjs is the source of truth for calculus. To differentiate a node we
 * replace its children by placeholder symbols (u0 * u1, exp(u0), u0 ^ 3),
 * ask mathjs `derivative` once per template and placeholder, cache the
 * answer, and substitute the real children back. Functions that mathjs
 * cannot differentiate carry their textbook derivative in the function table.
 */
import { derivative as mathjsDerivative, parse, version, type MathNode } from '../expr/mathjs-lib.ts';
import { DownhillError } from '../errors.ts';
import { functionRule, omittedDefaults } from '../expr/functions.ts';
import { constant, kidsOf, type Node } from '../expr/node.ts';
import { fromMathjs, mathjsFromJson } from '../expr/mathjs.ts';
import { knownDerivatives, knownDerivativesVersion } from './known-derivatives.ts';

const placeholder = (i: number): string => `u${i}`;

/** The mathjs text of a node with its children replaced by placeholders. */
export function template(n: Node): string {
  switch (n.kind) {
    case 'const':
    case 'sym':
      return '';
    case 'add': return 'u0 + u1';
    case 'sub': return 'u0 - u1';
    case 'mul': return 'u0 * u1';
    case 'div': return 'u0 / u1';
    // A constant exponent stays in the template, so that mathjs gives 3 * u0 ^ 2.
    case 'pow': return n.args[1].kind === 'const' ? `u0 ^ ${formatConstant(n.args[1].value)}` : 'u0 ^ u1';
    case 'neg': return '-u0';
    case 'call': return `${n.fn}(${n.args.map((_, i) => placeholder(i)).join(', ')})`;
  }
}

function formatConstant(v: number): string {
  return v < 0 ? `(${v})` : String(v);
}

const cache = new Map<string, MathNode>();
const known = knownDerivativesVersion === version ? knownDerivatives : {};

/**
 * mathjs's derivative of a template with respect to one placeholder, cached.
 * The common templates' derivatives were computed by the same mathjs at build
 * time (known-derivatives.ts), so a short command need not set up mathjs's
 * `derivative`; any other template asks mathjs.
 */
export function templateDerivative(text: string, i: number): MathNode {
  const key = `${text}|${i}`;
  let d = cache.get(key);
  if (d === undefined) {
    const json = known[key];
    d = json !== undefined ? mathjsFromJson(json) : mathjsDerivative(parse(text), placeholder(i));
    cache.set(key, d);
  }
  return d;
}

/**
 * ∂n/∂(n's i-th child), as a node over n's children (and n itself, where a
 * textbook rule reuses it: σ' = σ(1 − σ)).
 *
 *   localDerivative(mul(a, b), 0)            // b
 *   localDerivative(call('sigmoid', z), 0)   // σ(z)·(1 − σ(z))
 */
export function localDerivative(n: Node, i: number): Node {
  const kids = kidsOf(n);
  if (n.kind === 'call') {
    const rule = functionRule(n.fn);
    if (rule === undefined) throw new DownhillError(`cannot differentiate ${n.fn}(...): no rule for "${n.fn}"`);
    if (rule.derivative) {
      // A call built without its optional arguments (call('leaky_relu', u)) gets their defaults.
      return rule.derivative([...kids, ...omittedDefaults(rule, kids.length).map(constant)], n)[i]!;
    }
  }
  const env = new Map<string, Node>(kids.map((k, j) => [placeholder(j), k]));
  return fromMathjs(templateDerivative(template(n), i), (name) => env.get(name));
}
