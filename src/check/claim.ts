/**
 * Checking a hand-derived derivative against the exact one. Both are
 * evaluated at the given point and at random points near it; where they
 * disagree, the points are shown, with the exact formula and, when the
 * claim is off by a constant factor or a constant term, that factor.
 *
 *   const c = checkClaim('sin(x^2)', 'x: cos(x^2)', { x: 1 })
 *   c.pass                   // false
 *   c.claims[0].exact.text   // '2 * x * cos(x ^ 2)' (or an equal form)
 *   c.claims[0].differing    // [{ point: { x: 1 }, exact: 1.0806..., claimed: 0.5403..., ... }, ...]
 */
import { checkArg, DownhillError, OBJECT, TEXT } from '../errors.ts';
import { symbolsOf, type Node } from '../expr/node.ts';
import { isSymbolName, parseExpression } from '../expr/parse.ts';
import { SYMBOL_NAME } from '../expr/symbols.ts';
import { evaluate, valueMap, type Values } from '../expr/evaluate.ts';
import { toTex, toText } from '../expr/print.ts';
import { roundedNumber } from '../expr/number.ts';
import { derivative } from '../diff/derivative.ts';
import { mulberry32 } from '../nn/random.ts';
import { asExpression, checkArguments, checkPoint } from './gradient-check.ts';
import { domainAround, gradeFormula, prepareFormula } from '../practice/formula.ts';
import { hintsFor } from '../practice/diagnose.ts';

/** Options of `checkClaim`. */
export interface ClaimOptions {
  /** Random points near the given one (default 8). */
  readonly samples?: number;
  /** Each coordinate moves by up to radius·max(1, |x|) (default 0.5). */
  readonly radius?: number;
  /** Seed of the random points (default 1). */
  readonly seed?: number;
  /** Both formulas are exact, so the tolerances are tight: default 1e-10 and 1e-8. */
  readonly atol?: number;
  readonly rtol?: number;
}

/** One point where the exact derivative and the claim were evaluated. */
export interface ClaimPoint {
  readonly point: Readonly<Record<string, number>>;
  readonly exact: number;
  readonly claimed: number;
  /** claimed − exact. */
  readonly difference: number;
  readonly agree: boolean;
}

/** The check of one claimed partial derivative. */
export interface ClaimCheck {
  readonly variable: string;
  readonly claim: { readonly text: string; readonly tex: string };
  readonly exact: { readonly text: string; readonly tex: string };
  readonly correct: boolean;
  /** Every point where both are finite, the given point first. */
  readonly points: readonly ClaimPoint[];
  readonly differing: readonly ClaimPoint[];
  /** Points skipped because one of the two is not a finite number there. */
  readonly skipped: number;
  /** A pattern in the error, when there is one: 'the claim is 0.5 times the exact derivative'. */
  readonly hint?: string;
}

export interface ClaimResult {
  readonly expression: string;
  readonly tex: string;
  readonly claims: readonly ClaimCheck[];
  readonly pass: boolean;
}

/**
 * Splits 'x: 2*x*cos(x^2), y: log(x, 2)' into its claims, at the commas
 * that are outside parentheses and followed by `name:`.
 *
 *   parseClaims('x: 2*x, y: max(x, y)')   // Map { 'x' => '2*x', 'y' => 'max(x, y)' }
 */
const claimStart = new RegExp(`^\\s*${SYMBOL_NAME}\\s*:`, 'u');
const claimPart = new RegExp(`^\\s*(${SYMBOL_NAME})\\s*:(.*)$`, 'su');

export function parseClaims(text: string): Map<string, string> {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0 && claimStart.test(text.slice(i + 1))) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  const claims = new Map<string, string>();
  for (const part of parts) {
    const m = claimPart.exec(part);
    if (!m || !isSymbolName(m[1]!)) throw new DownhillError(`claim: expected "variable: formula", got "${part.trim()}" (e.g. --claim "x: 2*x*y, y: x^2")`);
    const [, name, formula] = m;
    if (claims.has(name!)) throw new DownhillError(`claim: ${name} is claimed twice`);
    if (formula!.trim() === '') throw new DownhillError(`claim for ${name}: empty formula`);
    claims.set(name!, formula!.trim());
  }
  return claims;
}

/** Near-constant: every value within 1e-6 (relative) of the first. */
function constantOf(values: readonly number[]): number | undefined {
  if (values.length < 2) return undefined;
  const first = values[0]!;
  return values.every((v) => Math.abs(v - first) <= 1e-6 * Math.max(1, Math.abs(first))) ? first : undefined;
}

/** What the errors have in common, if anything simple. */
function hintFor(points: readonly ClaimPoint[]): string | undefined {
  const nonzero = points.filter((p) => p.exact !== 0);
  const ratio = constantOf(nonzero.map((p) => p.claimed / p.exact));
  if (ratio !== undefined && nonzero.length === points.length) {
    if (ratio === 0 || Math.abs(ratio) < 1e-12) return 'the claim is 0 where the exact derivative is not';
    if (Math.abs(ratio + 1) < 1e-9) return 'the sign is wrong: the claim is minus the exact derivative';
    return `the claim is ${roundedNumber(ratio, 6)} times the exact derivative: a constant factor is wrong (a missing chain-rule factor?)`;
  }
  const shift = constantOf(points.map((p) => p.difference));
  if (shift !== undefined) return `the claim is the exact derivative plus ${roundedNumber(shift, 6)}: a constant term is wrong`;
  return undefined;
}

/**
 * Checks claimed partial derivatives (text per variable, or one string
 * 'x: ..., y: ...') against the exact ones at `at` and at random points near it.
 *
 *   checkClaim('x^2*y', 'x: 2*x*y, y: x^2', { x: 3, y: 2 }).pass   // true
 */
export function checkClaim(
  expr: Node | string,
  claims: string | ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  at: Values,
  options: ClaimOptions = {},
): ClaimResult {
  checkArguments('checkClaim', expr, at, options, ['samples', 'radius', 'seed', 'atol', 'rtol']);
  checkArg('checkClaim', 'claims', claims, { what: "a claimed derivative's text, or texts by variable ({ x: '2*x' } or a Map)", test: (v): v is typeof claims => TEXT.test(v) || v instanceof Map || OBJECT.test(v) });
  const { node, text } = asExpression(expr);
  const point = new Map(valueMap(at));
  const claimMap = typeof claims === 'string' ? parseClaims(claims) : claims instanceof Map ? new Map(claims) : new Map(Object.entries(claims));
  if (claimMap.size === 0) throw new DownhillError('claim: no claimed derivative');
  checkPoint(node, point, [...claimMap.keys()], 'the point');
  const samples = options.samples ?? 8;
  const radius = options.radius ?? 0.5;
  const atol = options.atol ?? 1e-10;
  const rtol = options.rtol ?? 1e-8;
  if (!Number.isInteger(samples) || samples < 0 || samples > 1000) throw new DownhillError(`claim: samples must be a whole number from 0 to 1000, got ${samples}`);
  if (!(radius >= 0 && Number.isFinite(radius))) throw new DownhillError(`claim: radius must be a finite number ≥ 0, got ${radius}`);

  // The given point first, then random points near it (the same for every claim).
  const rng = mulberry32(options.seed ?? 1);
  const points: Map<string, number>[] = [point];
  for (let s = 0; s < samples; s++) {
    points.push(new Map([...point].map(([k, v]) => [k, v + radius * Math.max(1, Math.abs(v)) * (2 * rng() - 1)])));
  }
  const symbols = symbolsOf([node]);

  const results = [...claimMap].map(([variable, formula]): ClaimCheck => {
    let claimNode: Node;
    try {
      claimNode = parseExpression(formula);
    } catch (e) {
      throw new DownhillError(`claim for ${variable}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const foreign = symbolsOf([claimNode]).filter((s) => !symbols.includes(s));
    if (foreign.length > 0) throw new DownhillError(`claim for ${variable}: ${foreign.join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not in the expression`);
    const d = derivative(node, variable);
    const evaluated: ClaimPoint[] = [];
    let skipped = 0;
    for (const p of points) {
      const exact = evaluate(d.raw, p);
      const claimed = evaluate(claimNode, p);
      if (!Number.isFinite(exact) || !Number.isFinite(claimed)) {
        skipped++;
        continue;
      }
      const difference = claimed - exact;
      evaluated.push({ point: Object.fromEntries(p), exact, claimed, difference, agree: Math.abs(difference) <= atol + rtol * Math.abs(exact) });
    }
    if (evaluated.length === 0) {
      throw new DownhillError(`claim for ${variable}: neither the point nor the ${samples} points near it give finite values of both derivatives`);
    }
    const differing = evaluated.filter((p) => !p.agree);
    const hint = differing.length > 0 ? hintFor(evaluated) : undefined;
    return {
      variable,
      claim: { text: formula, tex: toTex(claimNode) },
      exact: { text: d.text, tex: d.tex },
      correct: differing.length === 0,
      points: evaluated,
      differing,
      skipped,
      ...(hint === undefined ? {} : { hint }),
    };
  });
  return { expression: text, tex: toTex(node), claims: results, pass: results.every((c) => c.correct) };
}

/** One claim checked with the practice wording: the verdict and the kind of mistake, never the exact derivative. */
export interface HiddenClaim {
  readonly variable: string;
  readonly claim: string;
  readonly correct: boolean;
  /** 'Right.' or the kind of mistake ('Not yet: the sign is wrong …'). */
  readonly hint: string;
  /** How the verdict was reached: points and tolerance. */
  readonly method: string;
}

/**
 * `check --claim … --hide-answer`: each claim graded by the practice checker
 * (src/practice/formula.ts) over the domain an exercise would have
 * (domainAround: [-2, 2] and the box checkClaim samples, each coordinate
 * ± 0.5·max(1, |x|), stretched over every kink along each axis, so both
 * sides of every kink are sampled), with its hint instead of the exact formula.
 *
 *   hiddenClaims('sin(x^2)', 'x: cos(x^2)', { x: 1 })[0].hint
 *   // 'Not yet: a chain-rule factor is missing: your answer is the exact one divided by …'
 */
export function hiddenClaims(
  expr: Node | string,
  claims: string | ReadonlyMap<string, string>,
  at: Values,
): { readonly expression: string; readonly claims: readonly HiddenClaim[]; readonly pass: boolean } {
  const { node, text } = asExpression(expr);
  const point = new Map(valueMap(at));
  const claimMap = typeof claims === 'string' ? parseClaims(claims) : new Map(claims);
  if (claimMap.size === 0) throw new DownhillError('claim: no claimed derivative');
  checkPoint(node, point, [...claimMap.keys()], 'the point');
  // The exercise-style domain: [-2, 2] and the box around the point, stretched over every kink of the
  // expression or a claim along each axis, so that both sides of each are sampled (relu′ left out is refused).
  const readable = [...claimMap.values()].flatMap((c) => {
    try {
      return [parseExpression(c)];
    } catch {
      return []; // graded below, where its reading error is the verdict
    }
  });
  const domain = domainAround([node, ...readable], point);
  const results = [...claimMap].map(([variable, formula]): HiddenClaim => {
    const f = prepareFormula({ expression: toText(node), wrt: variable, domain });
    const v = gradeFormula(f, formula);
    if (v.diagnosis.kind === 'unreadable') throw new DownhillError(`claim for ${variable}: ${v.diagnosis.detail}`);
    return { variable, claim: formula, correct: v.correct, hint: hintsFor(v.diagnosis, f.links, variable)[0], method: v.method };
  });
  return { expression: text, claims: results, pass: results.every((c) => c.correct) };
}
