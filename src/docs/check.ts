/**
 * The check that ends every entry of the formula reference: each documented
 * derivative against central finite differences of the function itself, at
 * seeded random points away from kinks.
 *
 *   const r = checkDerivatives(parseExpression('sin(u)'), [{ wrt: 'u', node: cos(u) }],
 *     { u: [[-3, 3]] }, { points: 64, seed: seedOf('sin'), what: 'sin' })
 *   r.maxError   // about 1e-10; a wrong formula throws FormulaCheckError instead
 */
import { fnv1a } from '../hash.ts';
import { DownhillError } from '../errors.ts';
import { functionRule } from '../expr/functions.ts';
import { topoOrder, type Node } from '../expr/node.ts';
import { evaluate, evaluateAll } from '../expr/evaluate.ts';
import { formatNumber } from '../expr/number.ts';
import { centralDifference, relativeError, scaledStep } from '../diff/finite-difference.ts';
import { mulberry32 } from '../nn/random.ts';

/** Where a variable is sampled: a union of closed intervals, or a set of values. */
export type Domain = readonly (readonly [number, number])[] | { readonly choice: readonly number[] };

/** A documented partial derivative: ∂f/∂wrt as a graph. */
export interface Documented {
  readonly wrt: string;
  readonly node: Node;
}

/** A point: a value for every variable. */
export type Point = ReadonlyMap<string, number>;

export interface CheckResult {
  /** The points compared at. */
  readonly points: readonly Point[];
  /** The largest relative error |d − fd| / max(|d|, |fd|, 1) over all points and partials. */
  readonly maxError: number;
  /** The tolerance the check held to. */
  readonly tolerance: number;
}

/** A documented derivative disagrees with finite differences (the CLI exits 1 on it). */
export class FormulaCheckError extends DownhillError {}

/** A 32-bit seed from a name (FNV-1a), so each entry's points do not depend on the others. */
export function seedOf(name: string): number {
  return fnv1a(name);
}

/** How far a point is from the nearest kink of any function in the graph (Infinity: none). */
function kinkDistanceOf(expr: Node, point: Point): number {
  const values = evaluateAll([expr], point);
  let d = Infinity;
  for (const n of topoOrder([expr])) {
    if (n.kind !== 'call') continue;
    const rule = functionRule(n.fn);
    if (rule?.kinkDistance) d = Math.min(d, rule.kinkDistance(n.args.map((a) => values.get(a.id)!)));
  }
  return d;
}

function draw(rng: () => number, domain: Domain): number {
  if ('choice' in domain) return domain.choice[Math.floor(rng() * domain.choice.length)]!;
  const total = domain.reduce((s, [lo, hi]) => s + (hi - lo), 0);
  let t = rng() * total;
  for (const [lo, hi] of domain) {
    if (t <= hi - lo) return lo + t;
    t -= hi - lo;
  }
  return domain[domain.length - 1]![1];
}

/** Smallest distance from a kink at which a point is used: finite differences step 1e-6·max(1, |x|). */
const KINK_MARGIN = 1e-3;

/**
 * `n` seeded random points with every variable drawn from its domain, where
 * the expression is finite and at least KINK_MARGIN away from every kink.
 */
export function samplePoints(expr: Node, domains: Readonly<Record<string, Domain>>, n: number, seed: number, what: string): Point[] {
  const rng = mulberry32(seed);
  const names = Object.keys(domains).sort();
  const out: Point[] = [];
  for (let tries = 0; out.length < n; tries++) {
    if (tries > 100 * n) throw new DownhillError(`${what}: cannot find ${n} sample points away from kinks in the given domains`);
    const p = new Map(names.map((v) => [v, draw(rng, domains[v]!)] as const));
    if (Number.isFinite(evaluate(expr, p)) && kinkDistanceOf(expr, p) > KINK_MARGIN) out.push(p);
  }
  return out;
}

/** ∂expr/∂wrt at the point by central differences, with the step 1e-6·max(1, |x|). */
export function numericPartial(expr: Node, point: Point, wrt: string): number {
  const x = point.get(wrt);
  if (x === undefined) throw new DownhillError(`no value for "${wrt}"`);
  return centralDifference((d) => evaluate(expr, new Map(point).set(wrt, x + d)), scaledStep(x, 1e-6));
}

function describePoint(p: Point): string {
  return [...p].map(([k, v]) => `${k} = ${formatNumber(v, 6)}`).join(', ');
}

/**
 * Compares each documented partial with central finite differences of `expr`
 * at `points` seeded random points; throws FormulaCheckError naming the
 * formula and the point when an error exceeds `tolerance` (or a value is
 * not finite).
 */
export function checkDerivatives(
  expr: Node,
  documented: readonly Documented[],
  domains: Readonly<Record<string, Domain>>,
  options: { points: number; seed: number; what: string; tolerance?: number },
): CheckResult {
  const tolerance = options.tolerance ?? 1e-6;
  const points = samplePoints(expr, domains, options.points, options.seed, options.what);
  let maxError = 0;
  for (const p of points) {
    for (const d of documented) {
      const exact = evaluate(d.node, p);
      const fd = numericPartial(expr, p, d.wrt);
      const err = relativeError(exact, fd);
      if (!(err <= tolerance)) {
        throw new FormulaCheckError(
          `${options.what}: ∂/∂${d.wrt} is ${formatNumber(exact, 8)} but finite differences give ${formatNumber(fd, 8)} at ${describePoint(p)} (relative error ${formatNumber(err, 2)} > ${formatNumber(tolerance)})`,
        );
      }
      maxError = Math.max(maxError, err);
    }
  }
  return { points, maxError, tolerance };
}
