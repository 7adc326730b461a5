/**
 * Grading a typed formula against the engine's exact one (DESIGN.md, round
 * three: the practice checker). An answer is an expression graph like any
 * other, so the checker reuses the engine:
 *
 *   1. parse the answer with the project's parser and limits, and replace the
 *      exercise's named intermediates (z, h, yhat, delta) by their definitions;
 *   2. exact: tidy(answer − exact); when it is the constant 0, accept;
 *   3. otherwise sample: random points of the exercise's domain, points on both
 *      sides of every kink of either graph (relu, abs, max, sign, …: found by
 *      walking both graphs and searching along a line for the kink), and the
 *      same points scaled to large and small magnitudes. Two values agree when
 *      |answer − exact| ≤ 1e-9 · (the largest value either computation passes
 *      through at that point). An answer that is not a finite number at a
 *      point of the domain where the exact one is, is refused with the point;
 *   4. diagnose before hinting (diagnose.ts): the hint is built from the
 *      diagnosis, never from the exact text.
 *
 *   const f = prepareFormula({ expression: '(y - w*x)^2', wrt: 'w' })
 *   gradeFormula(f, '-2*x*(y - w*x)').correct   // true
 *   gradeFormula(f, '2*x*(y - w*x)').hints[0]    // 'Not yet: the sign is wrong …'
 *
 * Pure: no node: imports, so a browser worker can grade too.
 */
import { DownhillError } from '../errors.ts';
import { sub, substitute, symbolsOf, type Node } from '../expr/node.ts';
import { parseExpression, parseWithSymbols } from '../expr/parse.ts';
import { evaluateAll } from '../expr/evaluate.ts';
import { toTex, toText } from '../expr/print.ts';
import { tidy } from '../expr/tidy.ts';
import { derivative } from '../diff/derivative.ts';
import { mulberry32 } from '../nn/random.ts';
import { diagnoseFormula, type Diagnosis } from './diagnose.ts';
import { kinkCalls, shownFormula, shownName } from './names.ts';

export { shownFormula, shownName } from './names.ts';

/** What an exercise asks for, in text an author writes. */
export interface FormulaSpec {
  /** The function to differentiate (with `wrt`), in mathjs syntax; it may use the names. */
  readonly expression?: string;
  /** The variable to differentiate by. */
  readonly wrt?: string;
  /** Or the exact formula itself (a weight after one step, a forward value as a formula). */
  readonly formula?: string;
  /** Named intermediates the learner may use: { z: 'w1*x1 + w2*x2', h: 'sigmoid(z)' }. */
  readonly names?: Readonly<Record<string, string>>;
  /** Where each symbol is drawn from (default [-2, 2]). */
  readonly domain?: Readonly<Record<string, readonly [number, number]>>;
  /** The name of the function differentiated, for the chain's links (default L). */
  readonly of?: string;
  /** The number of samples of a mean, so that a factor N or 1/N is named as such. */
  readonly n?: number;
}

/** One link of the chain rule: ∂from/∂to, as the exercise names it. */
export interface Link {
  readonly from: string;
  readonly to: string;
  /** '∂h/∂z' */
  readonly label: string;
  /** The local derivative in the exercise's names ('σ(z)(1 − σ(z))'), and expanded. */
  readonly shown: string;
  readonly node: Node;
  /** What `from` is as a function of `to` (h = σ(z)): writing it instead of its derivative is a common slip. */
  readonly fn: Node;
  readonly fnShown: string;
}

/** An exercise ready to grade: the exact answer and everything the diagnosis compares with. */
export interface PreparedFormula {
  readonly spec: FormulaSpec;
  /** The exact answer, every name replaced. */
  readonly exact: Node;
  /** Its text (tidy), for the key and for the test that no hint contains it. */
  readonly exactText: string;
  readonly exactTex: string;
  /** Symbols the learner may use: the expression's and the names. */
  readonly allowed: readonly string[];
  /** Name → its definition with every name replaced. */
  readonly expanded: ReadonlyMap<string, Node>;
  /** The chain from the function down to the variable, when it is one chain. */
  readonly links: readonly Link[];
  /** ∂f/∂v for the other variables v (a wrong variable). */
  readonly others: readonly { readonly variable: string; readonly node: Node }[];
  /** The sample points (the same for every answer: the verdict is reproducible). */
  readonly points: readonly ReadonlyMap<string, number>[];
  /** How many of the points sit beside kinks (after the random ones). */
  readonly kinkPoints: number;
  /** The points scaled to large (×10) and small (×0.001) magnitudes. */
  readonly scaledPoints: readonly ReadonlyMap<string, number>[];
  /** A node's values at points and scaledPoints, in that order (computed once per node). */
  readonly valuesOf: (n: Node) => Float64Array;
}

/** How many random points of the domain, and the tolerance. */
export const SAMPLE_POINTS = 24;
export const RELATIVE_TOLERANCE = 1e-9;
const DEFAULT_DOMAIN: readonly [number, number] = [-2, 2];


/** Replaces every name by its expansion (names may use names defined before or after). */
function expandNames(names: Readonly<Record<string, string>>): Map<string, Node> {
  const parsed = new Map(Object.entries(names).map(([k, v]) => [k, parseExpression(v)] as const));
  const done = new Map<string, Node>();
  const visiting = new Set<string>();
  const expand = (name: string): Node => {
    const hit = done.get(name);
    if (hit) return hit;
    if (visiting.has(name)) throw new DownhillError(`practice: the name ${name} is defined in terms of itself`);
    visiting.add(name);
    const node = parsed.get(name)!;
    const inner = new Map(symbolsOf([node]).filter((s) => parsed.has(s)).map((s) => [s, expand(s)] as const));
    const out = inner.size === 0 ? node : substitute(node, inner);
    visiting.delete(name);
    done.set(name, out);
    return out;
  };
  for (const name of parsed.keys()) expand(name);
  return done;
}

/** Every name replaced by its expansion. */
export function expandWith(node: Node, expanded: ReadonlyMap<string, Node>): Node {
  const used = symbolsOf([node]).filter((s) => expanded.has(s));
  return used.length === 0 ? node : substitute(node, new Map(used.map((s) => [s, expanded.get(s)!] as const)));
}

/** The links of the chain f → name → … → wrt, when each level leads on through exactly one name. */
function chainLinks(spec: FormulaSpec, expanded: ReadonlyMap<string, Node>): Link[] {
  if (spec.expression === undefined || spec.wrt === undefined || spec.names === undefined) return [];
  const wrt = spec.wrt;
  const dependsOnWrt = (name: string): boolean => symbolsOf([expanded.get(name)!]).includes(wrt);
  let from = spec.of ?? 'L';
  let current = parseExpression(spec.expression);
  const links: Link[] = [];
  for (let guard = 0; guard <= expanded.size; guard++) {
    const symbols = symbolsOf([current]);
    const next = symbols.filter((s) => expanded.has(s) && dependsOnWrt(s));
    const direct = symbols.includes(wrt);
    if (next.length === 0 && direct) {
      links.push(makeLink(from, wrt, current, expanded));
      return links;
    }
    if (next.length !== 1 || direct) return [];
    const to = next[0]!;
    links.push(makeLink(from, to, current, expanded));
    from = to;
    current = parseExpression(spec.names[to]!);
  }
  return [];
}

function makeLink(from: string, to: string, fn: Node, expanded: ReadonlyMap<string, Node>): Link {
  const local = derivative(fn, to).node;
  return {
    from, to,
    label: `∂${shownName(from)}/∂${shownName(to)}`,
    shown: shownFormula(local),
    node: expandWith(local, expanded),
    fn: expandWith(fn, expanded),
    fnShown: shownFormula(fn),
  };
}

/** A point inside the domain, from the seeded generator. */
function randomPoint(symbols: readonly string[], spec: FormulaSpec, rng: () => number): Map<string, number> {
  return new Map(symbols.map((s) => {
    const [lo, hi] = spec.domain?.[s] ?? DEFAULT_DOMAIN;
    return [s, lo + (hi - lo) * rng()] as const;
  }));
}

/** Is every coordinate inside the exercise's domain? */
function inDomain(point: ReadonlyMap<string, number>, spec: FormulaSpec): boolean {
  for (const [s, v] of point) {
    const [lo, hi] = spec.domain?.[s] ?? DEFAULT_DOMAIN;
    if (!(v >= lo && v <= hi)) return false;
  }
  return true;
}

/** Signed distance to the kink of each kind of call (relu, abs, max, …), whose sign says the side. */
function kinkSides(n: Node, v: ReadonlyMap<number, number>): number[] {
  if (n.kind !== 'call') return [];
  const a = n.args.map((x) => v.get(x.id)!);
  switch (n.fn) {
    case 'relu': case 'abs': case 'sign': case 'heaviside': case 'leaky_relu': return [a[0]!];
    case 'max': case 'min': return [a[0]! - a[1]!];
    case 'huber': return [Math.abs(a[0]!) - (a[1] ?? 1)];
    case 'clip': return [a[0]! - a[1]!, a[0]! - a[2]!];
    default: return [];
  }
}


/**
 * Points just on both sides of each kink: along a random line through a
 * random point, the first sign change of the kink's signed distance,
 * narrowed by bisection, then a step of 1e-6 (relative) to either side.
 * The line runs 3 units either way, or 1.5 times the domain's largest
 * half-width when that is more (a domain stretched to a far kink, see domainAround).
 */
function kinkPoints(roots: readonly Node[], symbols: readonly string[], spec: FormulaSpec, rng: () => number): Map<string, number>[] {
  const calls = kinkCalls(roots).slice(0, 8);
  const out: Map<string, number>[] = [];
  const halfWidth = Math.max(0, ...symbols.map((s) => {
    const [lo, hi] = spec.domain?.[s] ?? DEFAULT_DOMAIN;
    return (hi - lo) / 2;
  }));
  const span = 3 * Math.max(1, halfWidth / 2);
  for (const call of calls) {
    const sides = call.kind === 'call' && call.fn === 'clip' ? 2 : 1; // clip has two kinks, lo and hi
    for (let side = 0; side < sides; side++) {
      for (let attempt = 0, found = 0; attempt < 6 && found < 2; attempt++) {
        const base = randomPoint(symbols, spec, rng);
        const dir = new Map(symbols.map((s) => [s, 2 * rng() - 1] as const));
        const at = (t: number): Map<string, number> => new Map(symbols.map((s) => [s, base.get(s)! + t * dir.get(s)!] as const));
        const signed = (t: number): number => kinkSides(call, evaluateAll([call], at(t)))[side]!;
        // Scan t in [-span, span] for a sign change, then bisect it.
        let lo = -span;
        let flo = signed(lo);
        let hi = NaN;
        for (let k = 1; k <= 48; k++) {
          const t = -span + (2 * span * k) / 48;
          const ft = signed(t);
          if (Number.isFinite(flo) && Number.isFinite(ft) && Math.sign(ft) !== Math.sign(flo) && ft !== 0) {
            hi = t;
            break;
          }
          lo = t;
          flo = ft;
        }
        if (Number.isNaN(hi)) continue;
        for (let k = 0; k < 60; k++) {
          const mid = (lo + hi) / 2;
          const fm = signed(mid);
          if (Math.sign(fm) === Math.sign(flo) && fm !== 0) [lo, flo] = [mid, fm];
          else hi = mid;
        }
        const eps = 1e-6 * Math.max(1, Math.abs(hi));
        const sides = [at(lo - eps), at(hi + eps)];
        if (!sides.every((p) => inDomain(p, spec))) continue;
        out.push(...sides);
        found++;
      }
    }
  }
  return out;
}

/**
 * The domain an exercise would have around a point (`check --claim …
 * --hide-answer`): each symbol over the practice default [-2, 2] and the box
 * point ± 0.5·max(1, |point|), widened to hold every kink of `roots` met
 * along that symbol's axis through the point (searched out to 10⁶ away, by
 * doubling steps), with room beyond it, so that the points are drawn on
 * both sides of every kink, as an exercise's are.
 *
 *   domainAround([parse('relu(x - 10)')], new Map([['x', 1]]))   // { x: [-2, 25] }
 *
 * (the kink, 9 away, is first passed at the step d = 16, and the domain
 * reaches 1.5·d = 24 from the point). A kink further than 10⁶ from the point
 * is not looked for: a claim wrong only beyond it is not caught.
 */
export function domainAround(roots: readonly Node[], point: ReadonlyMap<string, number>): Record<string, readonly [number, number]> {
  const calls = kinkCalls(roots);
  const domain: Record<string, readonly [number, number]> = {};
  for (const [s, v] of point) {
    const r = 0.5 * Math.max(1, Math.abs(v));
    let lo = Math.min(DEFAULT_DOMAIN[0], v - r);
    let hi = Math.max(DEFAULT_DOMAIN[1], v + r);
    for (const call of calls) {
      const sides = (x: number): number[] => {
        try {
          return kinkSides(call, evaluateAll([call], new Map([...point, [s, x]])));
        } catch (e) {
          if (e instanceof DownhillError) return []; // a claim's symbol that has no value: its reading is graded later
          throw e;
        }
      };
      const here = sides(v);
      for (const direction of [-1, 1]) {
        for (let d = 0.125; d <= 1e6; d *= 2) {
          const there = sides(v + direction * d);
          if (here.some((h, k) => Number.isFinite(h) && Number.isFinite(there[k]!) && Math.sign(h) !== Math.sign(there[k]!))) {
            // The kink lies between d/2 and d from the point: the domain reaches 1.5·d, past it by at least d/2.
            const reach = v + direction * 1.5 * d;
            lo = Math.min(lo, reach);
            hi = Math.max(hi, reach);
            break;
          }
        }
      }
    }
    domain[s] = [lo, hi];
  }
  return domain;
}

/** Checks the spec and computes the exact answer, the links, the other variables' derivatives and the points. */
export function prepareFormula(spec: FormulaSpec, seed = 1): PreparedFormula {
  const expanded = expandNames(spec.names ?? {});
  let exact: Node;
  let base: Node | undefined;
  if (spec.formula !== undefined) {
    exact = expandWith(parseExpression(spec.formula), expanded);
  } else if (spec.expression !== undefined && spec.wrt !== undefined) {
    base = expandWith(parseExpression(spec.expression), expanded);
    exact = derivative(base, spec.wrt).raw;
  } else {
    throw new DownhillError('practice: a formula item needs `expression` and `wrt`, or `formula`');
  }
  const shown = tidy(exact);
  const symbolSet = new Set([...symbolsOf([base ?? exact]), ...symbolsOf([exact])]);
  for (const node of expanded.values()) for (const s of symbolsOf([node])) symbolSet.add(s);
  if (spec.wrt !== undefined) symbolSet.add(spec.wrt);
  const symbols = [...symbolSet].sort();
  const others = base === undefined ? [] : symbolsOf([base]).filter((s) => s !== spec.wrt).map((variable) => ({ variable, node: derivative(base!, variable).raw }));
  const rng = mulberry32(seed);
  const random = Array.from({ length: SAMPLE_POINTS }, () => randomPoint(symbols, spec, rng));
  const kinks = kinkPoints([exact, ...(base ? [base] : [])], symbols, spec, rng);
  // For each symbol whose domain holds 0, a point with it at 0 (x/x, 1/x and log(x) are undefined there).
  const zeros = symbols.flatMap((s) => {
    const [lo, hi] = spec.domain?.[s] ?? DEFAULT_DOMAIN;
    return lo <= 0 && hi >= 0 ? [new Map([...randomPoint(symbols, spec, rng), [s, 0]])] : [];
  });
  const points = [...random, ...kinks, ...zeros];
  // Large and small magnitudes: six points scaled by 10 and by 0.001, kept where they stay inside a domain the author gave.
  const scaledPoints = points.slice(0, 6)
    .flatMap((p) => [10, 1e-3].map((k) => new Map([...p].map(([s, v]) => [s, v * k] as const))))
    .filter((p) => [...p].every(([s, v]) => {
      const d = spec.domain?.[s];
      return d === undefined || (v >= d[0] && v <= d[1]);
    }));
  const all = [...points, ...scaledPoints];
  const cache = new Map<number, Float64Array>();
  const valuesOf = (n: Node): Float64Array => {
    let hit = cache.get(n.id);
    if (!hit) {
      hit = Float64Array.from(all, (p) => evaluateAll([n], p).get(n.id)!);
      cache.set(n.id, hit);
    }
    return hit;
  };
  return {
    spec, exact, exactText: toText(shown), exactTex: toTex(shown),
    allowed: [...new Set([...symbols, ...expanded.keys()])].sort(),
    expanded, links: chainLinks(spec, expanded), others, points, kinkPoints: kinks.length, scaledPoints, valuesOf,
  };
}

/** Values at a point: the root's and the largest magnitude any node passes through (the tolerance's scale). */
export function valueAndScale(root: Node, point: ReadonlyMap<string, number>): { value: number; scale: number } {
  const all = evaluateAll([root], point);
  let scale = 0;
  for (const v of all.values()) if (Number.isFinite(v) && Math.abs(v) > scale) scale = Math.abs(v);
  return { value: all.get(root.id)!, scale };
}

/** One point where both were evaluated. */
export interface Sample {
  /** Its place in points, then scaledPoints (for PreparedFormula.valuesOf). */
  readonly index: number;
  readonly point: ReadonlyMap<string, number>;
  readonly exact: number;
  readonly answer: number;
  readonly agree: boolean;
  /** Large or small magnitudes: a non-finite answer there is overflow, not a refusal. */
  readonly scaled: boolean;
}

/** The verdict on one answer. */
export interface FormulaVerdict {
  readonly correct: boolean;
  readonly diagnosis: Diagnosis;
  /** How it was decided, for the learner: 'exact: …' or 'sampled at N points, tolerance …'. */
  readonly method: string;
  /** The answer as typed, parsed (text and Unicode), when it parsed. */
  readonly typed?: { readonly text: string; readonly shown: string };
}

/** Evaluates both at the prepared points and at the same points scaled up (×10) and down (×0.001). */
export function sampleBoth(f: PreparedFormula, answer: Node): Sample[] {
  const out: Sample[] = [];
  for (const [i, point] of [...f.points, ...f.scaledPoints].entries()) {
    const e = valueAndScale(f.exact, point);
    const a = valueAndScale(answer, point);
    const scale = Math.max(e.scale, a.scale, Number.MIN_VALUE);
    const agree = Number.isFinite(e.value) && Number.isFinite(a.value)
      ? Math.abs(a.value - e.value) <= RELATIVE_TOLERANCE * scale
      : Object.is(e.value, a.value);
    out.push({ index: i, point, exact: e.value, answer: a.value, agree, scaled: i >= f.points.length });
  }
  return out;
}

/** Parses an answer and replaces the names; a reading error or a foreign name is a diagnosis, not a throw. */
export function readAnswer(f: PreparedFormula, text: string): { node: Node; typed: Node } | { diagnosis: Diagnosis } {
  let parsed: { readonly node: Node; readonly symbols: readonly string[] };
  try {
    parsed = parseWithSymbols(text);
  } catch (e) {
    if (!(e instanceof DownhillError)) throw e;
    return { diagnosis: { kind: 'unreadable', detail: e.message } };
  }
  const foreign = parsed.symbols.filter((s) => !f.allowed.includes(s));
  if (foreign.length > 0) return { diagnosis: { kind: 'unknown-name', names: foreign, allowed: f.allowed } };
  return { node: expandWith(parsed.node, f.expanded), typed: parsed.node };
}

/** Grades one typed answer. */
export function gradeFormula(f: PreparedFormula, text: string): FormulaVerdict {
  const read = readAnswer(f, text);
  if ('diagnosis' in read) return { correct: false, diagnosis: read.diagnosis, method: 'not graded: the answer could not be read' };
  const typed = { text: toText(read.typed), shown: shownFormula(read.typed) };
  const difference = tidy(sub(read.node, f.exact));
  if (difference.kind === 'const' && difference.value === 0) {
    return { correct: true, diagnosis: { kind: 'right' }, method: 'exact: the difference with the exact answer simplifies to 0', typed };
  }
  const samples = sampleBoth(f, read.node);
  const method = `sampled at ${samples.length} points (${f.points.length} in the domain: ${SAMPLE_POINTS} random, ${f.kinkPoints} beside kinks, ${f.points.length - SAMPLE_POINTS - f.kinkPoints} with a symbol at 0; ${samples.length - f.points.length} at large and small magnitudes), relative tolerance ${RELATIVE_TOLERANCE}`;
  const diagnosis = diagnoseFormula(f, read.node, samples);
  return { correct: diagnosis.kind === 'right', diagnosis, method, typed };
}
