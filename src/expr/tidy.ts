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
  /** The numeric coefficient as a fraction num/den (den = 1 unless both are whole numbers). */
  num: number;
  den: number;
  numerator: Node[];
  denominator: Node[];
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));
const whole = (v: number): boolean => Number.isSafeInteger(v);

/** Products with more factors than this are left as they are (keeps tidy linear in the graph). */
const MAX_FACTORS = 64;

const atom = (n: Node): Product =>
  n.kind === 'const' && n.value !== 0 ? { num: n.value, den: 1, numerator: [], denominator: [] } : { num: 1, den: 1, numerator: [n], denominator: [] };

/** a · b, or a / b with `invert`. */
function times(a: Product, b: Product, invert = false): Product {
  return invert
    ? { num: a.num * b.den, den: a.den * b.num, numerator: [...a.numerator, ...b.denominator], denominator: [...a.denominator, ...b.numerator] }
    : { num: a.num * b.num, den: a.den * b.den, numerator: [...a.numerator, ...b.numerator], denominator: [...a.denominator, ...b.denominator] };
}

/** Keeps 2/3 as a reduced fraction; a coefficient that is not a ratio of whole numbers becomes one number. */
function normalize(p: Product): Product {
  let { num, den } = p;
  if (whole(num) && whole(den) && den !== 0) {
    const g = gcd(num, den) || 1;
    num /= g;
    den /= g;
    if (den < 0) { num = -num; den = -den; }
  } else {
    num /= den;
    den = 1;
  }
  return { ...p, num, den };
}

function chain(factors: readonly Node[], start?: Node): Node | undefined {
  let acc = start;
  for (const f of factors) acc = acc === undefined ? f : mul(acc, f);
  return acc;
}

function build({ num, den, numerator, denominator }: Product): Node {
  const magnitude = Math.abs(num);
  // 2 · a · b, with the constant first; a / b keeps 1 out of the numerator.
  const top = chain(numerator, magnitude === 1 ? undefined : constant(magnitude)) ?? constant(magnitude);
  const bottom = chain(denominator, den === 1 ? undefined : constant(den));
  const value = bottom === undefined ? top : div(top, bottom);
  return num < 0 ? neg(value) : value;
}

/** num/den when a node is a ratio of whole numbers: 3, -2, 1/3, -(2/3). */
function rational(n: Node): [number, number] | undefined {
  if (n.kind === 'const') return whole(n.value) ? [n.value, 1] : undefined;
  if (n.kind === 'neg') {
    const r = rational(n.args[0]);
    return r && [-r[0], r[1]];
  }
  if (n.kind === 'div') {
    const a = rational(n.args[0]);
    const b = rational(n.args[1]);
    return a && b && b[0] !== 0 ? [a[0] * b[1], a[1] * b[0]] : undefined;
  }
  return undefined;
}

/** a ± b for two fractions, as a reduced fraction node (1/3 − 1 = −2/3). */
function addRational(a: [number, number], b: [number, number], sign: 1 | -1): Node | undefined {
  const num = a[0] * b[1] + sign * b[0] * a[1];
  const den = a[1] * b[1];
  if (!whole(num) || !whole(den)) return undefined;
  return build({ num, den, numerator: [], denominator: [] });
}

/** A tidier graph with the same value. */
export function tidy(root: Node): Node {
  // The product each tidied node stands for, so a parent merges its
  // children's factor lists instead of walking their subgraphs again.
  const products = new Map<number, Product>();
  const productOf = (n: Node): Product => products.get(n.id) ?? atom(n);
  return mapNodes(root, (_, n) => {
    switch (n.kind) {
      case 'mul':
      case 'div':
      case 'neg': {
        const p = n.kind === 'neg'
          ? { ...productOf(n.args[0]), num: -productOf(n.args[0]).num }
          : times(productOf(n.args[0]), productOf(n.args[1]), n.kind === 'div');
        if (p.numerator.length + p.denominator.length > MAX_FACTORS) return undefined;
        const q = normalize(p);
        const built = build(q);
        products.set(built.id, q);
        return built;
      }
      case 'add':
      case 'sub': {
        const a = rational(n.args[0]);
        const b = rational(n.args[1]);
        const folded = a && b ? addRational(a, b, n.kind === 'add' ? 1 : -1) : undefined;
        if (folded) return folded;
        // (-a) + b = b - a
        if (n.kind === 'add' && n.args[0].kind === 'neg') return sub(n.args[1], n.args[0].args[0]);
        return undefined;
      }
      default:
        return undefined;
    }
  });
}
