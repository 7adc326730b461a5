/**
 * Fuzzing the pipeline: random byte strings, random token soups and random
 * expression graphs through parse, derivative, compile and evaluate.
 *
 * Promised: no error other than a one-line DownhillError, each case bounded
 * in size, and where the function is smooth the gradient agrees with finite
 * differences. `npm test` runs a few hundred cases; `npm run fuzz` sets
 * FUZZ_RUNS=20000.
 */
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { symbolsOf, type Node } from '../src/expr/node.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { toText } from '../src/expr/print.ts';
import { gradient } from '../src/diff/gradient.ts';
import { derivative } from '../src/diff/derivative.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { arbitraryGraph, arbitraryPoint, VARIABLES } from './support/random-graph.ts';
import { centralDifference4, relativeError } from './support/fd.ts';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
// npm run fuzz's 20,000 runs of one property take minutes on a busy machine (4 min at load 17 on 2 cores): the time allowed grows with the runs.
vi.setConfig({ testTimeout: Math.max(60_000, RUNS * 50) });
const seedOption = process.env['FUZZ_SEED'] === undefined ? {} : { seed: Number(process.env['FUZZ_SEED']) };
const options = (scale = 1): fc.Parameters<unknown> => ({ numRuns: Math.max(1, Math.round(RUNS * scale)), ...seedOption });

/** Runs fn; a DownhillError with a one-line message counts as a clean refusal. */
function cleanly<T>(fn: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof DownhillError && !e.message.includes('\n')) return { ok: false, message: e.message };
    throw e;
  }
}

const smoothFunctions = ['sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'exp', 'atan', 'sinh', 'cosh', 'asinh'];
const otherFunctions = ['log', 'sqrt', 'abs', 'relu', 'max', 'min', 'logsumexp', 'leaky_relu', 'huber', 'gamma', 'constructor', 'evaluate', 'import', 'pow', 'log10', 'cbrt', 'nthRoot', 'sign', 'clip', 'heaviside'];
const tokens = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('x', 'y', 'z', 'pi', 'e') },
  { weight: 4, arbitrary: fc.constantFrom('+', '-', '*', '/', '^', ' ') },
  { weight: 3, arbitrary: fc.constantFrom('(', ')', ',') },
  { weight: 3, arbitrary: fc.oneof(fc.integer({ min: 0, max: 9 }).map(String), fc.constantFrom('0.5', '1e-3', '2.5e2', '.25')) },
  { weight: 3, arbitrary: fc.constantFrom(...smoothFunctions, ...otherFunctions).map((f) => `${f}(`) },
  { weight: 1, arbitrary: fc.constantFrom('!', '=', '?', ':', '[', ']', '{', '}', '.', ';', '"', "'", '\\', '<', '&', '|', 'to', 'mod', 'cm', 'Infinity', 'NaN', '__proto__', '.constructor') },
);
const tokenSoup = fc.array(tokens, { minLength: 0, maxLength: 40 }).map((ts) => ts.join(''));

/**
 * Smooth expressions as text, built from a small grammar: no kinks, no
 * poles, and slopes that stay moderate (powers of a tanh, Lipschitz
 * functions), so that finite differences are a fair reference.
 */
const tameFunctions = ['sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'atan'];
const smoothText: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', 'z', '0.5', '2', 'pi'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) / (2 + sin(${b}))`),
    fc.tuple(tie('e'), fc.integer({ min: 2, max: 3 })).map(([a, k]) => `tanh(${a})^${k}`),
    fc.tuple(fc.constantFrom(...tameFunctions), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `logsumexp(${a}, ${b})`),
  ),
})).e;

/** Evaluates through the compiled function: value and gradient over VARIABLES. */
function compiledAt(f: Node, point: readonly number[]): { value: number; grad: Float64Array } {
  const c = compileGradient(f, { params: [...VARIABLES] });
  const g = new Float64Array(VARIABLES.length);
  const value = c.lossAndGradient(Float64Array.from(point), g);
  return { value, grad: g };
}

/**
 * The 4th-order central difference with h = 1e-4, and how far it may be
 * from the exact slope: truncation (small, but not negligible for
 * fast-varying functions such as sin(x^6) near x = 1.7) plus rounding
 * (about 1e-16·|f|/h, large when f is large and flat). A wrong derivative
 * misses by far more.
 */
const FD_STEP = 1e-4;
const fdTolerance = (fd: number, f: number): number => 1e-5 * Math.max(1, Math.abs(fd)) + 1e-10 * Math.abs(f);

/**
 * A 4th-order central difference at FD_STEP/2, and a tolerance that also holds its own truncation error, estimated
 * from the same difference at FD_STEP (Richardson: the error at h/2 is about 1/16 of the error at h, so the two
 * differ by about 15 times it; twice that difference is a safe bound). sin(x⁹) at x = −1.87 has a fifth derivative
 * near 10¹⁶: there a difference at 10⁻⁴ is off by 10⁻², far past a fixed tolerance, with the engine exact.
 */
function differenceAt(value: (p: Float64Array) => number, point: readonly number[], i: number, f: number): { fd: number; tol: number } {
  const coarse = centralDifference4(value, point, i, FD_STEP);
  const fd = centralDifference4(value, point, i, FD_STEP / 2);
  return { fd, tol: fdTolerance(fd, f) + 2 * Math.abs(coarse - fd) };
}

const pointOf = (p: readonly number[]): Map<string, number> => new Map(VARIABLES.map((v, i) => [v, p[i]!]));

describe('random input never crashes the pipeline', () => {
  test('random strings: parseExpression returns a graph or throws a one-line DownhillError', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('latin1'))), (text) => {
      const r = cleanly(() => parseExpression(text));
      if (r.ok) expect(typeof r.value.kind).toBe('string');
    }), options(1));
  });

  test('token soup: whatever parses also evaluates, differentiates and compiles, and the compiled and interpreted answers agree', () => {
    fc.assert(fc.property(tokenSoup, arbitraryPoint, (text, point) => {
      const parsed = cleanly(() => parseExpression(text));
      if (!parsed.ok) return;
      const f = parsed.value;
      // Adjacent tokens may run together into other names (x0, xy, cm): every symbol gets a value.
      const names = symbolsOf([f]);
      const p = Float64Array.from(names, (_, i) => point[i % point.length]!);
      const at = new Map(names.map((s, i) => [s, p[i]!]));
      const value = evaluate(f, at);
      const { partials } = gradient(f, names);
      for (const v of names) cleanly(() => derivative(f, v));
      const c = cleanly(() => compileGradient(f, { params: names }));
      if (!c.ok) return;
      const g = new Float64Array(names.length);
      const L = c.value.lossAndGradient(p, g);
      if (Number.isFinite(value)) expect(relativeError(L, value, 1e-300)).toBeLessThan(1e-12);
      partials.forEach((d, i) => {
        const want = evaluate(d, at);
        if (Number.isFinite(want)) expect(relativeError(g[i]!, want)).toBeLessThan(1e-9);
      });
    }), options(1));
  });
});

describe('where the function is smooth, the gradient agrees with finite differences', () => {
  test('random smooth expressions as text: parse, derivative and compiled gradient against 4th-order central differences', () => {
    fc.assert(fc.property(smoothText, arbitraryPoint, (text, point) => {
      const f = parseExpression(text);
      const at = pointOf(point);
      const value = (p: Float64Array): number => evaluate(f, pointOf([...p]));
      const { grad } = compiledAt(f, point);
      VARIABLES.forEach((v, i) => {
        const { fd, tol } = differenceAt(value, point, i, evaluate(f, at));
        const closed = evaluate(derivative(f, v).node, at);
        expect(Math.abs(closed - fd)).toBeLessThan(tol);
        expect(Math.abs(grad[i]! - fd)).toBeLessThan(tol);
      });
    }), options(0.5));
  });

  test('random graphs (shared subexpressions): compiled gradient against finite differences, printed text parses back to the same value', () => {
    fc.assert(fc.property(arbitraryGraph(12), arbitraryPoint, (f, point) => {
      const at = pointOf(point);
      const value = (p: Float64Array): number => evaluate(f, pointOf([...p]));
      const { value: L, grad } = compiledAt(f, point);
      expect(relativeError(L, evaluate(f, at))).toBeLessThan(1e-12);
      VARIABLES.forEach((_, i) => {
        const { fd, tol } = differenceAt(value, point, i, L);
        expect(Math.abs(grad[i]! - fd)).toBeLessThan(tol);
      });
      const again = parseExpression(toText(f));
      expect(relativeError(evaluate(again, at), evaluate(f, at))).toBeLessThan(1e-12);
    }), options(0.5));
  });
});

describe('random arguments at the library boundary: an answer that is right, or a one-line DownhillError', () => {
  const loss = parseExpression('(w1*x - y)^2 + w2*x');
  const junk = fc.oneof(fc.string({ maxLength: 4 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt({ min: -5n, max: 5n }), fc.array(fc.integer(), { maxLength: 2 }));
  const names = fc.oneof(fc.constantFrom('w1', 'w2', 'x', 'y', 'z'), junk);

  /** The mean loss over rows of (x, y), by the interpreter. */
  const reference = (p: ArrayLike<number>, batch: ArrayLike<number>, N: number): number => {
    let sum = 0;
    for (let n = 0; n < N; n++) sum += evaluate(loss, { w1: p[0]!, w2: p[1]!, x: batch[2 * n]!, y: batch[2 * n + 1]! });
    return sum / N;
  };

  test('compileGradient with random option objects: compiles to the right loss, or is refused', () => {
    const optionObjects = fc.record({
      params: fc.oneof(fc.constant(['w1', 'w2']), fc.array(names, { maxLength: 4 }), junk),
      data: fc.oneof(fc.constant(['x', 'y']), fc.array(names, { maxLength: 3 }), junk),
      reduce: fc.oneof(fc.constantFrom('mean', 'sum', 'max', 'MEAN'), junk),
      chunkSize: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom(Number.NaN, Infinity, 0.5, 1e9), junk),
      other: junk,
    }, { requiredKeys: [] });
    fc.assert(fc.property(optionObjects, (options) => {
      const c = cleanly(() => compileGradient(loss, options as never));
      if (!c.ok) return;
      // Accepted: the options were sound. Any split of the loss's four symbols into
      // parameters and data is a sound loss (params ['w2', 'x', 'w1', 'y'] is a loss of
      // four parameters and no data; data ['z', 'x', 'y'] has a column the loss does not
      // read), so the check is the compiled loss against the interpreter at that split:
      // every symbol of the loss given once, as a parameter or as data.
      const { params, data } = c.value;
      const given = [...params, ...data];
      expect(new Set(given).size).toBe(given.length);
      for (const s of ['w1', 'w2', 'x', 'y']) expect(given).toContain(s);
      const value = (i: number): number => ((i * 7) % 11) / 4 - 1;
      const p = Float64Array.from(params, (_, i) => value(i + 3));
      const rows = data.length === 0 ? 1 : 2;
      const batch = Float64Array.from({ length: rows * data.length }, (_, i) => value(i));
      let want = 0;
      for (let n = 0; n < rows; n++) {
        const at = Object.fromEntries([...params.map((s, i) => [s, p[i]!]), ...data.map((s, i) => [s, batch[n * data.length + i]!])]);
        want += evaluate(loss, at) / rows;
      }
      if (c.value.reduce === 'sum') want *= rows;
      expect(relativeError(c.value.loss(p, batch), want)).toBeLessThan(1e-12);
    }), options(1));
  });

  test('compiled functions with random arrays, lengths and sample counts: the right loss and gradient, or refused', () => {
    const f = compileGradient(loss, { params: ['w1', 'w2'], data: ['x', 'y'] });
    const numbers = (max: number) => fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { maxLength: max });
    const arrayArg = fc.oneof(
      numbers(7).map((a) => Float64Array.from(a)),
      numbers(7),
      fc.array(junk, { maxLength: 4 }),
      junk,
    );
    const count = fc.oneof(fc.constant(undefined), fc.integer({ min: -2, max: 5 }), fc.constantFrom(Number.NaN, 1.5, 1e15, Infinity));
    fc.assert(fc.property(arrayArg, arrayArg, count, fc.constantFrom('separate', 'g is p', 'g is the batch'), (p, batch, N, alias) => {
      const g = alias === 'g is p' ? p : alias === 'g is the batch' ? batch : new Float64Array(2);
      const r = cleanly(() => f.lossAndGradient(p as never, g as never, batch as never, N as never));
      if (!r.ok) return;
      // Accepted: p holds two numbers, g is a separate Float64Array of two, and the batch whole rows.
      const pa = p as ArrayLike<number>;
      const ba = batch as ArrayLike<number>;
      const rows = N ?? ba.length / 2;
      expect(ba.length).toBe(2 * rows);
      expect(g).not.toBe(p);
      const want = reference(pa, ba, rows);
      if (!Number.isFinite(want)) {
        expect(Number.isFinite(r.value)).toBe(false); // infinities in the data pass through as such
        return;
      }
      expect(relativeError(r.value, want, 1e-300)).toBeLessThan(1e-12);
      // ∂/∂w2 of the mean is the mean of x.
      let meanX = 0;
      for (let n = 0; n < rows; n++) meanX += ba[2 * n]! / rows;
      expect(Math.abs((g as Float64Array)[1]! - meanX)).toBeLessThan(1e-12);
    }), options(2));
  });
});
