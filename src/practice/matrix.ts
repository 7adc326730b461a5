/**
 * Grading a matrix equation (lesson 10: δ⁽¹⁾, ∂L/∂W⁽¹⁾) with its shapes
 * checked. The answer is mathjs text over the exercise's matrices:
 * `*` is the matrix product (or a scaling by a number), `.*` and `./` act
 * element by element, `X'` and `transpose(X)` transpose, `sum(X, 2)` adds
 * each row (one number per row), a function of the table (sigmoid, relu,
 * exp, …) acts element by element (on a number it gives a number: `/ sqrt(13)`
 * scales), and softmax(X) on each column. A column
 * (k × 1) added to a k × N matrix is added to every column (b 1ᵀ).
 *
 * Both the answer and the exact one are evaluated on random matrices of
 * small stand-in sizes, one size per dimension (784 → 7, 30 → 5, …, all
 * different, so a transposed answer cannot have the right shape); shapes are
 * reported in the exercise's real sizes.
 *
 *   const m = prepareMatrix({ formula: "W2' * delta2", shapes: { W2: ['n2', 'n1'], delta2: ['n2', 'N'] }, sizes: { n1: 30, n2: 10, N: 32 } })
 *   gradeMatrix(m, 'W2 * delta2').diagnosis   // { kind: 'shape', detail: 'W2 * delta2 multiplies a 10 × 30 matrix by a 10 × 32 one' }
 */
import { DownhillError } from '../errors.ts';
import { limitedMathjsTree } from '../expr/parse.ts';
import { ConstantNode, FunctionNode, OperatorNode, ParenthesisNode, SymbolNode, type MathNode } from '../expr/mathjs-lib.ts';
import { functionRule } from '../expr/functions.ts';
import { roundedNumber } from '../expr/number.ts';
import { mulberry32 } from '../nn/random.ts';
import type { Diagnosis } from './diagnose.ts';

/** A matrix exercise as its author writes it. */
export interface MatrixSpec {
  /** The exact answer, in the same syntax as the learner's. */
  readonly formula: string;
  /** Each given matrix's shape, by dimension name: { W2: ['n2', 'n1'], X: ['n0', 'N'] }. */
  readonly shapes: Readonly<Record<string, readonly [string, string]>>;
  /** The real size of each dimension (for messages), e.g. { n0: 784, n1: 30, n2: 10, N: 32 }; N is also a number the answer may use. */
  readonly sizes: Readonly<Record<string, number>>;
  /** Named intermediates, matrix formulas over the given ones: { z1: 'W1 * X + b1', a1: 'sigmoid(z1)' }. */
  readonly names?: Readonly<Record<string, string>>;
  /** Element-wise factors a learner may leave out, named: { "σ′(z⁽¹⁾)": 'a1 .* (1 - a1)' }. */
  readonly factors?: Readonly<Record<string, string>>;
}

interface Matrix {
  readonly r: number;
  readonly c: number;
  readonly d: Float64Array;
  /** A plain number (1 × 1 from a literal or N), which scales. */
  readonly scalar?: boolean;
}

export interface PreparedMatrix {
  readonly spec: MatrixSpec;
  /** The stand-in size of each dimension. */
  readonly small: ReadonlyMap<string, number>;
  /** A few random scopes (given matrices and names evaluated). */
  readonly scopes: readonly ReadonlyMap<string, Matrix>[];
  readonly exact: readonly Matrix[];
  readonly factors: readonly { readonly name: string; readonly values: readonly Matrix[] }[];
  readonly allowed: readonly string[];
}

class ShapeError extends Error {}

/** f on each entry; a function of a number stays a number (so `/ sqrt(13)` scales). */
const elementwise = (a: Matrix, f: (x: number) => number): Matrix => ({ r: a.r, c: a.c, d: a.d.map(f), ...(a.scalar ? { scalar: true } : {}) });

function broadcast(a: Matrix, b: Matrix, f: (x: number, y: number) => number, what: string, shape: (m: Matrix) => string): Matrix {
  if (a.scalar) return elementwise(b, (y) => f(a.d[0]!, y));
  if (b.scalar) return elementwise(a, (x) => f(x, b.d[0]!));
  if (a.r === b.r && a.c === b.c) return { r: a.r, c: a.c, d: a.d.map((x, i) => f(x, b.d[i]!)) };
  if (a.r === b.r && b.c === 1) return { r: a.r, c: a.c, d: a.d.map((x, i) => f(x, b.d[Math.floor(i / a.c)]!)) };
  if (a.r === b.r && a.c === 1) return { r: b.r, c: b.c, d: b.d.map((y, i) => f(a.d[Math.floor(i / b.c)]!, y)) };
  throw new ShapeError(`${what} combines a ${shape(a)} matrix with a ${shape(b)} one`);
}

function matmul(a: Matrix, b: Matrix, what: string, shape: (m: Matrix) => string): Matrix {
  if (a.scalar || b.scalar) return broadcast(a, b, (x, y) => x * y, what, shape);
  if (a.c !== b.r) throw new ShapeError(`${what} multiplies a ${shape(a)} matrix by a ${shape(b)} one`);
  const d = new Float64Array(a.r * b.c);
  for (let i = 0; i < a.r; i++) for (let k = 0; k < a.c; k++) {
    const x = a.d[i * a.c + k]!;
    for (let j = 0; j < b.c; j++) d[i * b.c + j]! += x * b.d[k * b.c + j]!;
  }
  return { r: a.r, c: b.c, d };
}

const transpose = (a: Matrix): Matrix => {
  const d = new Float64Array(a.r * a.c);
  for (let i = 0; i < a.r; i++) for (let j = 0; j < a.c; j++) d[j * a.r + i] = a.d[i * a.c + j]!;
  return { r: a.c, c: a.r, d, ...(a.scalar ? { scalar: true } : {}) };
};

function softmaxColumns(a: Matrix): Matrix {
  const d = new Float64Array(a.d.length);
  for (let j = 0; j < a.c; j++) {
    let m = -Infinity;
    for (let i = 0; i < a.r; i++) m = Math.max(m, a.d[i * a.c + j]!);
    let s = 0;
    for (let i = 0; i < a.r; i++) s += Math.exp(a.d[i * a.c + j]! - m);
    for (let i = 0; i < a.r; i++) d[i * a.c + j] = Math.exp(a.d[i * a.c + j]! - m) / s;
  }
  return { r: a.r, c: a.c, d };
}

/** Reads matrix text into a tree (the project's limits), refusing what the evaluator does not know. */
function readTree(text: string): MathNode {
  return limitedMathjsTree(text) as MathNode;
}

/** Evaluates a tree over a scope; shape errors throw ShapeError naming the operation. */
function evaluateMatrix(root: MathNode, scope: ReadonlyMap<string, Matrix>, shape: (m: Matrix) => string): Matrix {
  const go = (m: MathNode): Matrix => {
    if (m instanceof ParenthesisNode) return go(m.content);
    if (m instanceof ConstantNode) {
      if (typeof m.value !== 'number') throw new DownhillError('only numbers and matrices are allowed');
      return { r: 1, c: 1, d: Float64Array.of(m.value), scalar: true };
    }
    if (m instanceof SymbolNode) {
      const v = scope.get(m.name);
      if (v === undefined) throw new DownhillError(`${m.name} is not a name of this exercise (use ${[...scope.keys()].join(', ')})`);
      return v;
    }
    const what = m.toString();
    if (m instanceof OperatorNode) {
      const args = m.args.map(go);
      const [a, b] = [args[0]!, args[1]!];
      switch (m.fn) {
        case 'add': return broadcast(a, b, (x, y) => x + y, what, shape);
        case 'subtract': return broadcast(a, b, (x, y) => x - y, what, shape);
        case 'multiply': return matmul(a, b, what, shape);
        case 'dotMultiply': return broadcast(a, b, (x, y) => x * y, what, shape);
        case 'divide': case 'dotDivide':
          if (m.fn === 'divide' && !b.scalar) throw new ShapeError(`${what} divides by a matrix (use ./ for element by element)`);
          return broadcast(a, b, (x, y) => x / y, what, shape);
        case 'pow': case 'dotPow':
          if (!b.scalar) throw new ShapeError(`${what}: the power must be a number`);
          if (m.fn === 'pow' && !a.scalar) throw new ShapeError(`${what} is a matrix power (use .^ for element by element)`);
          return elementwise(a, (x) => x ** b.d[0]!);
        case 'unaryMinus': return elementwise(a, (x) => -x);
        case 'unaryPlus': return a;
        case 'transpose': case 'ctranspose': return transpose(a);
        default: throw new DownhillError(`unsupported construct: operator "${m.op}"`);
      }
    }
    if (m instanceof FunctionNode) {
      const name = m.fn instanceof SymbolNode ? m.fn.name : '';
      const args = m.args.map(go);
      if (name === 'transpose' && args.length === 1) return transpose(args[0]!);
      if (name === 'softmax' && args.length === 1) return softmaxColumns(args[0]!);
      if (name === 'sum' && args.length === 2 && args[1]!.scalar && args[1]!.d[0] === 2) {
        const a = args[0]!;
        const d = new Float64Array(a.r);
        for (let i = 0; i < a.r; i++) for (let j = 0; j < a.c; j++) d[i]! += a.d[i * a.c + j]!;
        return { r: a.r, c: 1, d };
      }
      const rule = functionRule(name);
      if (rule && args.length === 1 && rule.arity[0] <= 1) return elementwise(args[0]!, (x) => rule.numeric(x));
      throw new DownhillError(`unknown function "${name}" (matrix answers use transpose, sum(X, 2), softmax and element-wise functions)`);
    }
    throw new DownhillError(`unsupported construct in a matrix answer: ${m.type}`);
  };
  return go(root);
}

/** Sets the stand-in sizes, draws three random scopes and evaluates the exact answer and the factors there. */
export function prepareMatrix(spec: MatrixSpec, seed = 1): PreparedMatrix {
  const dims = Object.keys(spec.sizes);
  // A dimension of size 1 (a column) stays 1; the others get different stand-ins 2, 3, 4, …
  const small = new Map(dims.filter((d) => spec.sizes[d] !== 1).map((d, i) => [d, 2 + i] as const));
  for (const d of dims) if (spec.sizes[d] === 1) small.set(d, 1);
  const rng = mulberry32(seed);
  const scopes = Array.from({ length: 3 }, () => {
    const scope = new Map<string, Matrix>();
    if (spec.sizes['N'] !== undefined) scope.set('N', { r: 1, c: 1, d: Float64Array.of(small.get('N')!), scalar: true });
    for (const [name, [r, c]] of Object.entries(spec.shapes)) {
      const rows = small.get(r), cols = small.get(c);
      if (rows === undefined || cols === undefined) throw new DownhillError(`practice: the shape of ${name} uses a dimension without a size`);
      scope.set(name, { r: rows, c: cols, d: Float64Array.from({ length: rows * cols }, () => 2 * rng() - 1) });
    }
    for (const [name, text] of Object.entries(spec.names ?? {})) scope.set(name, evaluateMatrix(readTree(text), scope, (m) => `${m.r} × ${m.c}`));
    return scope;
  });
  const realOf = realShape(spec, small);
  const exact = scopes.map((s) => evaluateMatrix(readTree(spec.formula), s, realOf));
  const factors = Object.entries(spec.factors ?? {}).map(([name, text]) => ({ name, values: scopes.map((s) => evaluateMatrix(readTree(text), s, realOf)) }));
  return { spec, small, scopes, exact, factors, allowed: [...scopes[0]!.keys()] };
}

/** A matrix's shape in the exercise's real sizes: "30 × 32". */
function realShape(spec: MatrixSpec, small: ReadonlyMap<string, number>): (m: Matrix) => string {
  const real = new Map([...small].filter(([, s]) => s !== 1).map(([d, s]) => [s, spec.sizes[d]!] as const));
  return (m) => `${real.get(m.r) ?? m.r} × ${real.get(m.c) ?? m.c}`;
}

const agree = (a: Matrix, b: Matrix, k = 1): boolean => {
  if (a.r !== b.r || a.c !== b.c) return false;
  let scale = 1e-12;
  for (let i = 0; i < a.d.length; i++) scale = Math.max(scale, Math.abs(a.d[i]!), Math.abs(b.d[i]!));
  return a.d.every((x, i) => Math.abs(x - k * b.d[i]!) <= 1e-9 * scale);
};

const times = (a: Matrix, b: Matrix): Matrix => ({ r: a.r, c: a.c, d: a.d.map((x, i) => x * (b.d[i] ?? NaN)) });

/** Grades a matrix answer; shapes first, then values at three random scopes. */
export function gradeMatrix(m: PreparedMatrix, text: string): { correct: boolean; diagnosis: Diagnosis; method: string } {
  const method = `evaluated on ${m.scopes.length} sets of random matrices (stand-in sizes ${[...m.small].filter(([, s]) => s !== 1).map(([d, s]) => `${m.spec.sizes[d]} → ${s}`).join(', ')}), relative tolerance 1e-9`;
  let tree: MathNode;
  let answers: Matrix[];
  try {
    tree = readTree(text);
    const realOf = realShape(m.spec, m.small);
    answers = m.scopes.map((s) => evaluateMatrix(tree, s, realOf));
  } catch (e) {
    if (e instanceof ShapeError) return { correct: false, diagnosis: { kind: 'shape', detail: e.message }, method };
    if (e instanceof DownhillError) return { correct: false, diagnosis: { kind: 'unreadable', detail: e.message }, method };
    throw e;
  }
  const realOf = realShape(m.spec, m.small);
  if (answers.every((a, i) => agree(a, m.exact[i]!))) return { correct: true, diagnosis: { kind: 'right' }, method };
  const first = answers[0]!, exact = m.exact[0]!;
  if (first.r !== exact.r || first.c !== exact.c) {
    if (answers.every((a, i) => agree(transpose(a), m.exact[i]!))) return { correct: false, diagnosis: { kind: 'transposed' }, method };
    return { correct: false, diagnosis: { kind: 'shape', detail: `your answer is ${realOf(first)}, the exact one is ${realOf(exact)}` }, method };
  }
  if (answers.every((a, i) => agree(a, m.exact[i]!, -1))) return { correct: false, diagnosis: { kind: 'sign' }, method };
  const k = first.d.reduce((best, x, i) => (Math.abs(exact.d[i]!) > Math.abs(exact.d[best]!) ? i : best), 0);
  const c = first.d[k]! / exact.d[k]!;
  if (Number.isFinite(c) && c !== 0 && answers.every((a, i) => agree(a, m.exact[i]!, c))) {
    const n = m.small.get('N');
    const nearN = n !== undefined && [n, 1 / n, -n, -1 / n].some((v) => Math.abs(c - v) < 1e-9 * Math.abs(v));
    const shown = nearN ? (Math.abs(c) > 1 ? m.spec.sizes['N']! : 1 / m.spec.sizes['N']!) * Math.sign(c) : c;
    return { correct: false, diagnosis: { kind: 'constant-factor', factor: shown, ...(nearN ? { n: m.spec.sizes['N']! } : {}) }, method };
  }
  for (const f of m.factors) {
    if (answers.every((a, i) => agree(times(a, f.values[i]!), m.exact[i]!))) return { correct: false, diagnosis: { kind: 'missing-factor', factor: f.name }, method };
    if (answers.every((a, i) => agree(a, times(m.exact[i]!, f.values[i]!)))) return { correct: false, diagnosis: { kind: 'extra-factor', factor: f.name }, method };
  }
  const differing = answers.reduce((s, a, i) => s + a.d.filter((x, j) => Math.abs(x - m.exact[i]!.d[j]!) > 1e-9 * Math.max(1, Math.abs(x))).length, 0);
  return { correct: false, diagnosis: { kind: 'other', differing, of: answers.reduce((s, a) => s + a.d.length, 0) }, method: `${method}; ${roundedNumber(differing, 3)} entries differ` };
}

/**
 * A matrix formula's value for given matrices (rows of numbers), after the
 * spec's names: what the exact answer is at these weights and this batch.
 * Tests compare it with the matrix engine's gradient.
 *
 *   matrixValue(spec, "delta1 * X'", { X: [[…]], W1: [[…]], … })   // rows of ∂L/∂W⁽¹⁾
 */
export function matrixValue(spec: MatrixSpec, text: string, given: Readonly<Record<string, readonly (readonly number[])[]>>): number[][] {
  const scope = new Map<string, Matrix>();
  const columns = Object.values(given)[0]?.[0]?.length;
  if (spec.sizes['N'] !== undefined && columns !== undefined) scope.set('N', { r: 1, c: 1, d: Float64Array.of(given['X']?.[0]?.length ?? columns), scalar: true });
  for (const [name, rows] of Object.entries(given)) scope.set(name, { r: rows.length, c: rows[0]!.length, d: Float64Array.from(rows.flat()) });
  const shape = (m: Matrix): string => `${m.r} × ${m.c}`;
  for (const [name, t] of Object.entries(spec.names ?? {})) scope.set(name, evaluateMatrix(readTree(t), scope, shape));
  const m = evaluateMatrix(readTree(text), scope, shape);
  return Array.from({ length: m.r }, (_, i) => Array.from(m.d.subarray(i * m.c, (i + 1) * m.c)));
}
