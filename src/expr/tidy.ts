/**
 * Tidying for display: products flattened into one fraction with its
 * numeric coefficient in front and its sign pulled out; like terms of a sum
 * added up. A bounded rewrite (one bottom-up pass, lists capped at 64
 * factors or terms), so it cannot hang the way mathjs `simplify` can on
 * some inputs, and its cost stays linear in the graph.
 *
 *   tidy(mul(mul(2, d), neg(mul(w3, x1))))   // -2 · d · w3 · x1, one chain
 *   tidy(div(div(1, log(2)), x))             // 1 / (log(2) · x)
 *   tidy(1 − 0.5η − 2η − 4.5η − 8η)          // 1 − 15η
 *   tidy(mul(mul(2, mul(w, x)), x))           // 2 · w · x², a repeated factor as a power
 *   tidy(x² · x³ + x⁵)                          // 2 · x⁵
 *
 * Tidying keeps the value wherever the raw form is finite: it reorders the
 * factors of a product, multiplies its numeric constants, writes factors of
 * one base as one power, and adds like terms, so at most rounding differs.
 * Where the raw form is not finite it may not be: like terms that cancel are
 * dropped (x·y − y·x and x·x − x² become 0 even where x is ±∞ or NaN).
 */
import { add, constant, div, mapNodes, mul, neg, pow, sub, type Node } from './node.ts';

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

/**
 * x · w · x → x² · w and x² · x³ → x⁵: factors with one base multiply into
 * one power, in first-seen order. Only whole positive exponents add up, and
 * only while their sum is an exact integer (x^0.5 · x^0.5 is NaN for x < 0,
 * x · x^-1 is NaN at 0, x^(2^53) · x would round to an even power: those stay apart).
 */
function powers(factors: readonly Node[]): Node[] {
  const slots: { base: Node; k: number }[] = [];
  const slotOf = new Map<Node, { base: Node; k: number }>();
  for (const f of factors) {
    const k = f.kind === 'pow' && f.args[1].kind === 'const' ? f.args[1].value : undefined;
    if (f.kind === 'pow' && (k === undefined || !Number.isInteger(k) || k <= 0)) {
      slots.push({ base: f, k: 1 }); // x^-1, x^0.5, x^y: a factor of its own
      continue;
    }
    const base = f.kind === 'pow' ? f.args[0] : f;
    const seen = slotOf.get(base);
    const sum = (seen?.k ?? 0) + (k ?? 1);
    if (seen && Number.isSafeInteger(sum)) seen.k = sum;
    else if (seen || !Number.isSafeInteger(k ?? 1)) slots.push({ base: f, k: 1 }); // too large to add up exactly: a factor of its own
    else {
      const slot = { base, k: k ?? 1 };
      slots.push(slot);
      slotOf.set(base, slot);
    }
  }
  return slots.map(({ base, k }) => (k === 1 ? base : pow(base, constant(k))));
}

function chain(factors: readonly Node[], start?: Node): Node | undefined {
  let acc = start;
  for (const f of powers(factors)) acc = acc === undefined ? f : mul(acc, f);
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

/** Sums with more terms than this are left as they are. */
const MAX_TERMS = 64;

const negate = (p: Product): Product => ({ ...p, num: -p.num });

/** A term's factors without its coefficient, as a key: x·y and y·x are like terms. */
function monomialKey(p: Product): string {
  const ids = (ns: readonly Node[]): string => powers(ns).map((n) => n.id).sort((x, y) => x - y).join(',');
  return `${ids(p.numerator)}/${ids(p.denominator)}`;
}

/** 1 − 0.5η − 2η − 4.5η − 8η → 1 − 15η: like terms added, zero terms dropped, first-seen order. */
function collect(terms: readonly Product[]): Product[] {
  const byKey = new Map<string, Product>();
  for (const t of terms) {
    const key = monomialKey(t);
    const seen = byKey.get(key);
    byKey.set(key, seen === undefined ? t : normalize({ ...seen, num: seen.num * t.den + t.num * seen.den, den: seen.den * t.den }));
  }
  const kept = [...byKey.values()].filter((t) => t.num !== 0);
  // b − a reads better than −a + b: start with the first positive term.
  const first = kept.findIndex((t) => t.num > 0);
  if (first > 0) kept.unshift(...kept.splice(first, 1));
  return kept;
}

function buildSum(terms: readonly Product[]): Node {
  let acc: Node | undefined;
  for (const t of terms) {
    if (acc === undefined) acc = build(t);
    else acc = t.num < 0 ? sub(acc, build(negate(t))) : add(acc, build(t));
  }
  return acc ?? constant(0);
}

/** A tidier graph with the same value (up to rounding). */
export function tidy(root: Node): Node {
  // The product (or sum of products) each tidied node stands for, so a
  // parent merges its children's lists instead of walking their subgraphs.
  const products = new Map<number, Product>();
  const sums = new Map<number, readonly Product[]>();
  const productOf = (n: Node): Product => {
    const hit = products.get(n.id);
    if (hit) return hit;
    // Rebuilding a parent can wrap tidied children in a fresh node
    // (mul(-a, b) becomes -(a·b)): see through it, one level at a time.
    if (n.kind === 'neg') return negate(productOf(n.args[0]));
    if (n.kind === 'mul' || n.kind === 'div') return times(productOf(n.args[0]), productOf(n.args[1]), n.kind === 'div');
    return atom(n);
  };
  const termsOf = (n: Node): readonly Product[] => sums.get(n.id) ?? [productOf(n)];
  return mapNodes(root, (_, n) => {
    switch (n.kind) {
      case 'mul':
      case 'div':
      case 'neg': {
        const p = n.kind === 'neg'
          ? negate(productOf(n.args[0]))
          : times(productOf(n.args[0]), productOf(n.args[1]), n.kind === 'div');
        if (p.numerator.length + p.denominator.length > MAX_FACTORS) {
          products.set(n.id, atom(n)); // too long to flatten: a factor of its own
          return undefined;
        }
        const q = normalize(p);
        const built = build(q);
        products.set(built.id, q);
        return built;
      }
      case 'add':
      case 'sub': {
        const right = termsOf(n.args[1]);
        const terms = [...termsOf(n.args[0]), ...(n.kind === 'add' ? right : right.map(negate))];
        if (terms.length > MAX_TERMS) return undefined;
        const collected = collect(terms);
        const built = buildSum(collected);
        if (collected.length > 1) sums.set(built.id, collected);
        else if (collected.length === 1) products.set(built.id, collected[0]!);
        return built;
      }
      default:
        return undefined;
    }
  });
}
