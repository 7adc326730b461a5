/**
 * Tidying for display: products flattened into one fraction with its
 * numeric coefficient in front and its sign pulled out. A bounded rewrite
 * (one bottom-up pass), so it cannot hang the way mathjs `simplify` can on
 * some inputs.
 *
 *   tidy(mul(mul(2, d), neg(mul(w3, x1))))   // -2 · d · w3 · x1, one chain
 *   tidy(div(div(1, log(2)), x))             // 1 / (log(2) · x)
 *
 * Tidying keeps the value: it reorders the factors of a product and
 * multiplies its numeric constants, so at most rounding differs.
 */
import { add, constant, div, mapNodes, mul, neg, sub, type Node } from './node.ts';

interface Product {
  coefficient: number;
  numerator: Node[];
  denominator: Node[];
}

/** A product seen through mul, div and neg: coefficient · Π numerator / Π denominator. */
function productOf(n: Node): Product {
  const p: Product = { coefficient: 1, numerator: [], denominator: [] };
  const stack: { node: Node; up: boolean }[] = [{ node: n, up: true }];
  while (stack.length > 0) {
    const { node: f, up } = stack.pop()!;
    if (f.kind === 'mul') stack.push({ node: f.args[1], up }, { node: f.args[0], up });
    else if (f.kind === 'div') stack.push({ node: f.args[1], up: !up }, { node: f.args[0], up });
    else if (f.kind === 'neg') { p.coefficient = -p.coefficient; stack.push({ node: f.args[0], up }); }
    else if (f.kind === 'const' && f.value !== 0) p.coefficient = up ? p.coefficient * f.value : p.coefficient / f.value;
    else (up ? p.numerator : p.denominator).push(f);
  }
  return p;
}

function chain(factors: readonly Node[], start?: Node): Node | undefined {
  let acc = start;
  for (const f of factors) acc = acc === undefined ? f : mul(acc, f);
  return acc;
}

function build({ coefficient, numerator, denominator }: Product): Node {
  const magnitude = Math.abs(coefficient);
  // 2 · a · b, with the constant first; a / b keeps 1 out of the numerator.
  const top = chain(numerator, magnitude === 1 ? undefined : constant(magnitude)) ?? constant(magnitude);
  const bottom = chain(denominator);
  const value = bottom === undefined ? top : div(top, bottom);
  return coefficient < 0 ? neg(value) : value;
}

/** A tidier graph with the same value. */
export function tidy(root: Node): Node {
  return mapNodes(root, (_, n) => {
    switch (n.kind) {
      case 'mul':
      case 'div':
      case 'neg':
        return build(productOf(n));
      case 'add':
        // (-a) + b = b - a
        return n.args[0].kind === 'neg' ? sub(n.args[1], n.args[0].args[0]) : add(n.args[0], n.args[1]);
      default:
        return undefined;
    }
  });
}
