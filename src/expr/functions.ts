/**
 * The function table: every function an expression may call, one entry each.
 *
 * An entry holds the function's numeric form, its TeX, and where to get its
 * derivative from:
 * - elementary functions (`family: 'elementary'`) have no `derivative`: their
 *   local derivatives come from mathjs `derivative` (see diff/local.ts);
 * - the machine-learning primitives that mathjs cannot differentiate carry
 *   their textbook derivative, their definition in mathjs terms where one
 *   exists (a test proves the two agree), and their convention at kinks.
 *
 * Derivative rules get the call's arguments and the call node itself, so
 * that σ'(u) = σ(u)(1 − σ(u)) reuses the forward node σ(u) instead of
 * building exp(−u)/(1 + exp(−u))².
 */
import { add, call, div, mul, neg, sub, pow, constant, type Node } from './node.ts';

export type Family = 'elementary' | 'activation' | 'loss' | 'helper';

export interface FunctionRule {
  readonly name: string;
  readonly family: Family;
  /** Smallest and largest number of arguments (Infinity: any number). */
  readonly arity: readonly [number, number];
  /** Values of trailing optional arguments, filled in when the call omits them. */
  readonly defaults?: readonly number[];
  /** A one-line description for docs and listings. */
  readonly about: string;
  /** The numeric implementation, numerically stable. */
  readonly numeric: (...xs: number[]) => number;
  /** TeX of a call, given its arguments' TeX. */
  readonly tex: (args: readonly string[]) => string;
  /** The definition in mathjs terms, over u (or u1, u2, ...): '1/(1+exp(-u))'. */
  readonly definition?: string;
  /** The textbook partial derivatives, one per argument; absent: mathjs derives it. */
  readonly derivative?: (args: readonly Node[], self: Node) => readonly Node[];
  /** TeX of the textbook derivative with respect to the first argument, in u. */
  readonly derivativeTex?: string;
  /** The convention at non-differentiable points, in words, and where they are, in TeX (u = 0). */
  readonly kink?: { readonly convention: string; readonly tex: string };
  /** How far the arguments are from the nearest kink (0 on it). */
  readonly kinkDistance?: (args: readonly number[]) => number;
}

const paren = (s: string): string => `\\left(${s}\\right)`;
const fnTex = (name: string) => (a: readonly string[]) => `${name}${paren(a.join(', '))}`;
const op = (name: string) => fnTex(`\\operatorname{${name}}`);

/** Heaviside step with H(0) = 0: the derivative of relu. */
const H = (u: Node): Node => call('heaviside', u);

function stableSigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

function logsumexp(...xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) {
    if (x > m) m = x;
    else if (Number.isNaN(x)) return NaN;
  }
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

function nthRoot(x: number, n = 2): number {
  if (x < 0 && Number.isInteger(n) && n % 2 !== 0) return -((-x) ** (1 / n));
  return x ** (1 / n);
}

function elementary(name: string, numeric: (...xs: number[]) => number, tex: (a: readonly string[]) => string, about: string, arity: readonly [number, number] = [1, 1], defaults?: readonly number[]): FunctionRule {
  return { name, family: 'elementary', arity, numeric, tex, about, ...(defaults ? { defaults } : {}) };
}

const elementaryRules: readonly FunctionRule[] = [
  elementary('exp', Math.exp, fnTex('\\exp'), 'exponential'),
  elementary('log', (x, b) => (b === undefined ? Math.log(x) : Math.log(x) / Math.log(b)),
    (a) => (a.length === 1 ? `\\ln${paren(a[0]!)}` : `\\log_{${a[1]}}${paren(a[0]!)}`), 'natural logarithm, or log(x, base)', [1, 2]),
  {
    ...elementary('log10', Math.log10, fnTex('\\log_{10}'), 'logarithm to base 10'),
    // mathjs gives 0.43429448190325176 / u; the textbook writes 1/(u ln 10).
    derivative: ([u]) => [div(1, mul(u!, call('log', 10)))],
    derivativeTex: '\\frac{1}{u \\ln 10}',
  },
  elementary('sqrt', Math.sqrt, (a) => `\\sqrt{${a[0]}}`, 'square root'),
  {
    ...elementary('cbrt', Math.cbrt, (a) => `\\sqrt[3]{${a[0]}}`, 'cube root'),
    // mathjs gives u^(-2/3)/3, which is NaN for u < 0 in real arithmetic.
    derivative: (_, c) => [div(1, mul(3, pow(c, 2)))],
    derivativeTex: '\\frac{1}{3\\sqrt[3]{u}^{2}}',
  },
  {
    ...elementary('nthRoot', nthRoot, (a) => `\\sqrt[${a[1] ?? 2}]{${a[0]}}`, 'n-th root: nthRoot(x, n)', [1, 2], [2]),
    // mathjs gives x^(1/n - 1)/n, NaN for x < 0 with odd n; r/(n·x) holds for both signs.
    // ∂/∂n = −r·ln|x|/n²
    derivative: ([x, n], r) => [div(r, mul(n!, x!)), neg(div(mul(r, call('log', call('abs', x!))), pow(n!, 2)))],
    derivativeTex: '\\frac{\\sqrt[n]{u}}{n\\,u}',
  },
  elementary('sin', Math.sin, fnTex('\\sin'), 'sine'),
  elementary('cos', Math.cos, fnTex('\\cos'), 'cosine'),
  elementary('tan', Math.tan, fnTex('\\tan'), 'tangent'),
  elementary('sec', (x) => 1 / Math.cos(x), fnTex('\\sec'), 'secant'),
  elementary('csc', (x) => 1 / Math.sin(x), fnTex('\\csc'), 'cosecant'),
  elementary('cot', (x) => 1 / Math.tan(x), fnTex('\\cot'), 'cotangent'),
  elementary('asin', Math.asin, fnTex('\\arcsin'), 'inverse sine'),
  elementary('acos', Math.acos, fnTex('\\arccos'), 'inverse cosine'),
  elementary('atan', Math.atan, fnTex('\\arctan'), 'inverse tangent'),
  elementary('asec', (x) => Math.acos(1 / x), op('arcsec'), 'inverse secant'),
  elementary('acsc', (x) => Math.asin(1 / x), op('arccsc'), 'inverse cosecant'),
  elementary('acot', (x) => Math.atan(1 / x), op('arccot'), 'inverse cotangent'),
  elementary('sinh', Math.sinh, fnTex('\\sinh'), 'hyperbolic sine'),
  elementary('cosh', Math.cosh, fnTex('\\cosh'), 'hyperbolic cosine'),
  elementary('sech', (x) => 1 / Math.cosh(x), op('sech'), 'hyperbolic secant'),
  elementary('csch', (x) => 1 / Math.sinh(x), op('csch'), 'hyperbolic cosecant'),
  elementary('coth', (x) => 1 / Math.tanh(x), fnTex('\\coth'), 'hyperbolic cotangent'),
  elementary('asinh', Math.asinh, op('arsinh'), 'inverse hyperbolic sine'),
  elementary('acosh', Math.acosh, op('arcosh'), 'inverse hyperbolic cosine'),
  elementary('atanh', Math.atanh, op('artanh'), 'inverse hyperbolic tangent'),
  elementary('asech', (x) => Math.acosh(1 / x), op('arsech'), 'inverse hyperbolic secant'),
  elementary('acsch', (x) => Math.asinh(1 / x), op('arcsch'), 'inverse hyperbolic cosecant'),
  {
    ...elementary('acoth', (x) => Math.atanh(1 / x), op('arcoth'), 'inverse hyperbolic cotangent'),
    // mathjs 15.2.0 gives −1/(1 − u²): the sign is wrong (finite differences
    // and d/du artanh(1/u) agree on +1/(1 − u²)).
    derivative: ([u]) => [div(1, sub(1, pow(u!, 2)))],
    derivativeTex: '\\frac{1}{1-u^{2}}',
  },
];

const mlRules: readonly FunctionRule[] = [
  {
    name: 'abs', family: 'elementary', arity: [1, 1], about: 'absolute value',
    numeric: Math.abs, tex: (a) => `\\left|${a[0]}\\right|`,
    definition: 'abs(u)',
    // mathjs gives abs(u)/u, which is NaN at 0; sign(u) is the same elsewhere.
    derivative: ([u]) => [call('sign', u!)],
    derivativeTex: '\\operatorname{sign}\\left(u\\right)',
    kink: { convention: "abs'(0) = 0", tex: 'u = 0' },
    kinkDistance: ([u]) => Math.abs(u!),
  },
  {
    name: 'sigmoid', family: 'activation', arity: [1, 1], about: 'logistic sigmoid σ(u) = 1/(1+e^(−u))',
    numeric: stableSigmoid, tex: fnTex('\\sigma'),
    definition: '1/(1+exp(-u))',
    derivative: (_, s) => [mul(s, sub(1, s))],
    derivativeTex: '\\sigma\\left(u\\right)\\left(1-\\sigma\\left(u\\right)\\right)',
  },
  {
    name: 'tanh', family: 'activation', arity: [1, 1], about: 'hyperbolic tangent',
    numeric: Math.tanh, tex: fnTex('\\tanh'),
    definition: '(exp(u)-exp(-u))/(exp(u)+exp(-u))',
    derivative: (_, t) => [sub(1, pow(t, 2))],
    derivativeTex: '1-\\tanh^{2}\\left(u\\right)',
  },
  {
    name: 'relu', family: 'activation', arity: [1, 1], about: 'rectified linear unit max(0, u)',
    // max(0, u) without a branch on the sign (a sign that changes at random costs a mispredicted branch, five times the
    // rest; the matrix engine runs this on every position of a feature map): u · [u > 0] + 0, the + 0 turning −0 into 0.
    // NaN stays NaN and −∞ gives 0 (where u · 0 would be NaN): those two tests almost never change their answer.
    numeric: (u) => (u !== u ? u : u === -Infinity ? 0 : u * +(u > 0) + 0), tex: op('ReLU'),
    derivative: ([u]) => [H(u!)],
    derivativeTex: 'H\\left(u\\right) = \\begin{cases}1 & u>0\\\\0 & u\\le 0\\end{cases}',
    kink: { convention: "relu'(0) = 0", tex: 'u = 0' },
    kinkDistance: ([u]) => Math.abs(u!),
  },
  {
    name: 'leaky_relu', family: 'activation', arity: [1, 2], defaults: [0.01], about: 'leaky ReLU: u for u > 0, α·u otherwise (α = 0.01 unless given)',
    numeric: (u, a = 0.01) => (u > 0 ? u : a * u),
    tex: (a) => `\\operatorname{LeakyReLU}_{${a[1] ?? '0.01'}}${paren(a[0]!)}`,
    // ∂/∂u = α + (1 − α)·H(u);  ∂/∂α = min(u, 0) = −relu(−u)
    derivative: ([u, a]) => [add(a!, mul(sub(1, a!), H(u!))), neg(call('relu', neg(u!)))],
    derivativeTex: '\\begin{cases}1 & u>0\\\\\\alpha & u\\le 0\\end{cases}',
    kink: { convention: "leaky_relu'(0) = α", tex: 'u = 0' },
    kinkDistance: ([u]) => Math.abs(u!),
  },
  {
    name: 'softplus', family: 'activation', arity: [1, 1], about: 'softplus log(1 + e^u), a smooth relu',
    numeric: (u) => (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))),
    tex: op('softplus'),
    definition: 'log(1+exp(u))',
    derivative: ([u]) => [call('sigmoid', u!)],
    derivativeTex: '\\sigma\\left(u\\right)',
  },
  {
    name: 'logsumexp', family: 'loss', arity: [1, Infinity], about: 'log(e^u1 + e^u2 + ...), computed without overflow',
    numeric: logsumexp, tex: op('LSE'),
    definition: 'log(exp(u1)+exp(u2)+exp(u3))',
    // ∂/∂u_i = exp(u_i − LSE(u)) = softmax(u)_i
    derivative: (args, lse) => args.map((u) => call('exp', sub(u, lse))),
    derivativeTex: '\\frac{e^{u_i}}{\\sum_j e^{u_j}} = \\operatorname{softmax}(u)_i',
  },
  {
    name: 'huber', family: 'loss', arity: [1, 2], defaults: [1], about: 'Huber loss of a residual u: u²/2 for |u| ≤ δ, δ(|u| − δ/2) beyond (δ = 1 unless given)',
    numeric: (u, d = 1) => (Math.abs(u) <= d ? 0.5 * u * u : d * (Math.abs(u) - 0.5 * d)),
    tex: (a) => `\\operatorname{huber}_{${a[1] ?? '1'}}${paren(a[0]!)}`,
    // ∂/∂u = clip(u, −δ, δ);  ∂/∂δ = relu(|u| − δ)
    derivative: ([u, d]) => [call('clip', u!, neg(d!), d!), call('relu', sub(call('abs', u!), d!))],
    derivativeTex: '\\operatorname{clip}\\left(u, -\\delta, \\delta\\right)',
    kink: { convention: 'smooth at |u| = δ (first derivative continuous, second jumps)', tex: '|u| = \\delta' },
    kinkDistance: ([u, d = 1]) => Math.abs(Math.abs(u!) - d),
  },
  {
    name: 'max', family: 'helper', arity: [2, 2], about: 'the larger of two values',
    numeric: (a, b) => (a! >= b! ? a! : a! < b! ? b! : NaN), tex: fnTex('\\max'),
    derivative: ([a, b]) => [H(sub(a!, b!)), sub(1, H(sub(a!, b!)))],
    derivativeTex: 'H\\left(u - v\\right)',
    kink: { convention: 'at a tie the derivative goes to the second argument', tex: 'u = v' },
    kinkDistance: ([a, b]) => Math.abs(a! - b!),
  },
  {
    name: 'min', family: 'helper', arity: [2, 2], about: 'the smaller of two values',
    numeric: (a, b) => (a! <= b! ? a! : a! > b! ? b! : NaN), tex: fnTex('\\min'),
    derivative: ([a, b]) => [H(sub(b!, a!)), sub(1, H(sub(b!, a!)))],
    derivativeTex: 'H\\left(v - u\\right)',
    kink: { convention: 'at a tie the derivative goes to the second argument', tex: 'u = v' },
    kinkDistance: ([a, b]) => Math.abs(a! - b!),
  },
  {
    name: 'clip', family: 'helper', arity: [3, 3], about: 'clip(u, lo, hi): u limited to [lo, hi]',
    numeric: (u, lo, hi) => Math.min(Math.max(u!, lo!), hi!), tex: op('clip'),
    derivative: ([u, lo, hi]) => [mul(H(sub(u!, lo!)), H(sub(hi!, u!))), H(sub(lo!, u!)), H(sub(u!, hi!))],
    derivativeTex: '\\begin{cases}1 & lo < u < hi\\\\0 & \\text{otherwise}\\end{cases}',
    kink: { convention: "clip'(lo) = clip'(hi) = 0", tex: 'u \\in \\{lo, hi\\}' },
    kinkDistance: ([u, lo, hi]) => Math.min(Math.abs(u! - lo!), Math.abs(u! - hi!)),
  },
  {
    name: 'heaviside', family: 'helper', arity: [1, 1], about: 'step function: 1 for u > 0, 0 otherwise',
    // [u > 0] as a number, without a branch on the sign (see relu); NaN stays NaN through the sum (written as a sum of
    // two numbers, not a choice between a NaN and an integer, which V8 compiles to slow code in a long loop).
    numeric: (u) => +(u > 0) + (u !== u ? u : 0), tex: fnTex('H'),
    derivative: () => [constant(0)],
    derivativeTex: '0',
    kink: { convention: "H'(u) = 0, H(0) = 0", tex: 'u = 0' },
    kinkDistance: ([u]) => Math.abs(u!),
  },
  {
    name: 'sign', family: 'helper', arity: [1, 1], about: 'sign: −1, 0 or 1',
    numeric: Math.sign, tex: op('sign'),
    derivative: () => [constant(0)],
    derivativeTex: '0',
    kink: { convention: "sign'(u) = 0, sign(0) = 0", tex: 'u = 0' },
    kinkDistance: ([u]) => Math.abs(u!),
  },
];

/** Every function an expression may call, by name. */
export const functionTable: ReadonlyMap<string, FunctionRule> = new Map(
  [...elementaryRules, ...mlRules].map((r) => [r.name, r] as const),
);

/**
 * The values of the trailing optional arguments a call with `given`
 * arguments leaves out: omittedDefaults(leaky_relu, 1) is [0.01].
 */
export function omittedDefaults(rule: FunctionRule, given: number): readonly number[] {
  return (rule.defaults ?? []).slice(Math.max(0, given - rule.arity[0]));
}

/** The rule for a function, or undefined when there is none. */
export function functionRule(name: string): FunctionRule | undefined {
  return functionTable.get(name);
}
