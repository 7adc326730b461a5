/**
 * Checking a gradient that your own code computes against the engine's
 * exact gradient: for an expression at a point, or for a model's batch loss.
 * Both sides are exact, so the default tolerances are tight (atol 1e-9,
 * rtol 1e-6): a disagreement is a bug, not rounding.
 *
 *   const mine = ({ x, y }) => ({ x: 2 * x * y, y: x * x })
 *   checkUserGradient('x^2*y', mine, { x: 3, y: 2 }).pass   // true
 *
 *   const m = loadModel('xor9')
 *   checkModelGradient(m, (p, batch, N) => myBackprop(p, batch, N)).summary.failed   // 0
 */
import { checkArg, DownhillError, FUNCTION } from '../errors.ts';
import type { Node } from '../expr/node.ts';
import { evaluateAll, valueMap, type Values } from '../expr/evaluate.ts';
import { gradient } from '../diff/gradient.ts';
import { asExpression, checkArguments, checkPoint, compare } from './gradient-check.ts';
import { compileModel, type CheckableModel } from '../matrix/path.ts';
import { checkModelArguments } from './model-check.ts';

/** One partial derivative: the engine's against yours. */
export interface UserRecord {
  readonly variable: string;
  readonly engine: number;
  readonly user: number;
  readonly absError: number;
  readonly relError: number;
  readonly pass: boolean;
}

export interface UserGradientCheck {
  readonly records: readonly UserRecord[];
  /** The failing records, worst first. */
  readonly failures: readonly UserRecord[];
  readonly summary: { readonly checked: number; readonly failed: number; readonly maxAbsError: number };
  readonly pass: boolean;
}

/** Your gradient: values by variable name, or numbers in the order of `wrt`. */
export type UserGradient = (point: Readonly<Record<string, number>>) => Readonly<Record<string, number>> | ArrayLike<number>;

function summarize(records: UserRecord[]): UserGradientCheck {
  const failures = records.filter((r) => !r.pass).sort((a, b) => b.absError - a.absError);
  return {
    records, failures,
    summary: { checked: records.length, failed: failures.length, maxAbsError: Math.max(0, ...records.map((r) => (Number.isNaN(r.absError) ? Infinity : r.absError))) },
    pass: failures.length === 0,
  };
}

function record(variable: string, engine: number, user: number, atol: number, rtol: number): UserRecord {
  const c = compare(engine, user, atol, rtol);
  return { variable, engine, user, absError: c.absError, relError: c.relError, pass: c.pass };
}

/**
 * Compares `userGradient(point)` with the exact gradient of `expr` at `point`.
 *
 *   checkUserGradient('sin(x)', ({ x }) => [Math.sin(x)], { x: 1 }).failures[0]
 *   // { variable: 'x', engine: 0.5403..., user: 0.8414..., ... }
 */
export function checkUserGradient(
  expr: Node | string, userGradient: UserGradient, at: Values,
  options: { wrt?: readonly string[]; atol?: number; rtol?: number } = {},
): UserGradientCheck {
  checkArguments('checkUserGradient', expr, at, options, ['wrt', 'atol', 'rtol']);
  checkArg('checkUserGradient', 'userGradient', userGradient, FUNCTION);
  const { node } = asExpression(expr);
  const point = new Map(valueMap(at));
  const wrt = checkPoint(node, point, options.wrt);
  const { partials } = gradient(node, wrt);
  const values = evaluateAll(partials, point);
  const got = userGradient(Object.fromEntries(point));
  const isArray = typeof (got as ArrayLike<number>).length === 'number';
  if (isArray && (got as ArrayLike<number>).length !== wrt.length) {
    throw new DownhillError(`your gradient returned ${(got as ArrayLike<number>).length} numbers for ${wrt.length} variables (${wrt.join(', ')})`);
  }
  const userValue = (v: string, i: number): number => {
    const x = isArray ? (got as ArrayLike<number>)[i] : (got as Readonly<Record<string, number>>)[v];
    if (typeof x !== 'number') throw new DownhillError(`your gradient gave no number for ${v}`);
    return x;
  };
  const engineValue = (v: string, i: number): number => {
    const x = values.get(partials[i]!.id)!;
    if (!Number.isFinite(x)) throw new DownhillError(`∂f/∂${v} is ${x} at the point: the derivative does not exist there, so there is nothing to compare with`);
    return x;
  };
  return summarize(wrt.map((v, i) => record(v, engineValue(v, i), userValue(v, i), options.atol ?? 1e-9, options.rtol ?? 1e-6)));
}

/**
 * Compares your gradient of a model's batch loss with the compiled exact one.
 * `userGradient(p, batch, N)` returns one number per parameter.
 */
export function checkModelGradient(
  m: CheckableModel, userGradient: (p: Float64Array, batch: Float64Array, N: number) => ArrayLike<number>,
  options: { atol?: number; rtol?: number } = {},
): UserGradientCheck {
  checkModelArguments('checkModelGradient', m, options, ['atol', 'rtol']);
  checkArg('checkModelGradient', 'userGradient', userGradient, FUNCTION);
  const f = compileModel(m);
  const g = new Float64Array(m.params.length);
  f.lossAndGradient(m.p, g, m.batch, m.N);
  const got = userGradient(Float64Array.from(m.p), Float64Array.from(m.batch), m.N);
  if (got.length !== g.length) throw new DownhillError(`your gradient returned ${got.length} numbers for ${g.length} parameters`);
  return summarize(m.params.map((name, k) => record(name, g[k]!, got[k]!, options.atol ?? 1e-9, options.rtol ?? 1e-6)));
}
