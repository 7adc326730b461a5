/**
 * What kind of mistake a wrong answer is, found by comparing it with the
 * exact answer at the sample points (never by reading the exact text), and
 * the hints built from that diagnosis.
 *
 *   answer = −exact                     → the sign
 *   answer = c · exact (c constant)      → a constant factor (N or 1/N named as the mean's)
 *   answer · link = exact                → a chain-rule factor missing (named: "divided by σ(z)(1 − σ(z))")
 *   answer = exact · link                → an extra factor
 *   answer · link = exact · f            → f = σ(z) written where its derivative belongs
 *   answer · (links k…) = exact          → the chain stops early (∂L/∂h instead of ∂L/∂w₁)
 *   answer = ∂f/∂v, v ≠ wrt              → the wrong variable
 *   agrees where u > 0 only (u a kink)   → right on part of the domain (relu′ left out)
 *   answer − exact constant             → a constant term
 *
 * Level 1: the verdict and the kind of mistake. Level 2: which link of the
 * chain. Level 3 (the answer) is the caller's, on request only.
 */
import { roundedNumber } from '../expr/number.ts';
import { div, mul, type Node } from '../expr/node.ts';
import { tidy } from '../expr/tidy.ts';
import type { Link, PreparedFormula, Sample } from './formula.ts';
import { kinkCalls, shownFormula, shownName } from './names.ts';

export type Diagnosis =
  | { readonly kind: 'right' }
  | { readonly kind: 'unreadable'; readonly detail: string }
  | { readonly kind: 'unknown-name'; readonly names: readonly string[]; readonly allowed: readonly string[] }
  | { readonly kind: 'undefined'; readonly point: ReadonlyMap<string, number>; readonly exact: number }
  | { readonly kind: 'sign' }
  | { readonly kind: 'constant-factor'; readonly factor: number; readonly n?: number }
  | { readonly kind: 'missing-factor'; readonly factor: string; readonly link?: Link }
  | { readonly kind: 'extra-factor'; readonly factor: string; readonly link?: Link }
  | { readonly kind: 'function-for-derivative'; readonly link: Link }
  | { readonly kind: 'chain-stops'; readonly at: string; readonly rest: readonly Link[] }
  | { readonly kind: 'wrong-variable'; readonly variable: string }
  | { readonly kind: 'part-of-domain'; readonly right: string; readonly wrong: string; readonly link?: Link }
  | { readonly kind: 'constant-term'; readonly shift: number }
  | { readonly kind: 'transposed' }
  | { readonly kind: 'shape'; readonly detail: string }
  | {
    readonly kind: 'other'; readonly differing: number; readonly of: number;
    /** Where an answer written as a product leaves the chain (see departure): the links found among its factors, and the first one not found. */
    readonly departs?: { readonly found: readonly Link[]; readonly at?: Link };
  };

export type MistakeKind = Diagnosis['kind'];

const close = (a: number, b: number, scale: number): boolean => Math.abs(a - b) <= 1e-7 * Math.max(scale, 1e-300);

/** Does `answer(p)·left(p) ≈ exact(p)·right(p)` hold at every usable point? */
function holds(f0: PreparedFormula, samples: readonly Sample[], left: Node | undefined, right: Node | undefined, f: (s: Sample, l: number, r: number) => boolean): boolean {
  if (samples.length === 0) return false;
  const lv = left ? f0.valuesOf(left) : undefined;
  const rv = right ? f0.valuesOf(right) : undefined;
  for (const s of samples) {
    const l = lv ? lv[s.index]! : 1;
    const r = rv ? rv[s.index]! : 1;
    if (!Number.isFinite(l) || !Number.isFinite(r)) return false;
    if (!f(s, l, r)) return false;
  }
  return true;
}

const scaleOf = (s: Sample): number => Math.max(Math.abs(s.exact), Math.abs(s.answer), 1e-12);

/** answer · left ≈ exact · right at every point. */
function matches(f0: PreparedFormula, samples: readonly Sample[], left?: Node, right?: Node): boolean {
  return holds(f0, samples, left, right, (s, l, r) => close(s.answer * l, s.exact * r, Math.max(scaleOf(s) * Math.max(Math.abs(l), Math.abs(r), 1), 1e-9)));
}

/** The factors of a product (numerator ones), for a missing factor when there are no links. */
function factorsOf(n: Node): Node[] {
  const out: Node[] = [];
  const stack = [n];
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (m.kind === 'mul') stack.push(...m.args);
    else if (m.kind === 'div') stack.push(m.args[0]);
    else if (m.kind === 'neg') stack.push(m.args[0]);
    else if (m.kind !== 'const') out.push(m);
  }
  return out;
}

/** c when answer · left · c ≈ exact · right at every point (c constant, not 0), else undefined. */
function constantRatio(f: PreparedFormula, samples: readonly Sample[], left?: Node, right?: Node): number | undefined {
  const lv = left ? f.valuesOf(left) : undefined;
  const rv = right ? f.valuesOf(right) : undefined;
  const pivot = samples.reduce((a, b) => (Math.abs(b.exact) > Math.abs(a.exact) ? b : a), samples[0]!);
  if (!pivot) return undefined;
  const c = (pivot.exact * (rv ? rv[pivot.index]! : 1)) / (pivot.answer * (lv ? lv[pivot.index]! : 1));
  if (!Number.isFinite(c) || c === 0) return undefined;
  return matches(f, samples, left, right) ? 1 : holds(f, samples, left, right, (s, l, r) => close(c * s.answer * l, s.exact * r, Math.max(scaleOf(s) * Math.max(Math.abs(l), Math.abs(r), 1) * Math.max(1, Math.abs(c)), 1e-9))) ? c : undefined;
}

/** The factors of a product as written: a quotient's numerator factors and its denominator's reciprocal, constants left out. */
function productFactors(n: Node): Node[] {
  switch (n.kind) {
    case 'mul': return n.args.flatMap(productFactors);
    case 'neg': return productFactors(n.args[0]);
    case 'div': return [...productFactors(n.args[0]), div(1, n.args[1])];
    case 'const': return [];
    default: return [n];
  }
}

/** Every group of one, two or three of `items`, smallest first. */
function groupsOf<T>(items: readonly T[]): T[][] {
  const out: T[][] = items.map((a) => [a]);
  items.forEach((a, i) => items.slice(i + 1).forEach((b, j) => out.push([a, b])));
  items.forEach((a, i) => items.slice(i + 1).forEach((b, j) => items.slice(i + j + 2).forEach((c) => out.push([a, b, c]))));
  return out;
}

/** Is a = c·b at every sample point, for one constant c ≠ 0 (a node's values against another's)? */
function proportional(f: PreparedFormula, samples: readonly Sample[], a: Node, b: Node): boolean {
  const av = f.valuesOf(a);
  const bv = f.valuesOf(b);
  let c = NaN;
  let used = 0;
  for (const s of samples) {
    const x = av[s.index]!;
    const y = bv[s.index]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    if (y === 0 || x === 0) {
      if (x !== y && !close(x, 0, Math.abs(y)) && !close(y, 0, Math.abs(x))) return false;
      continue;
    }
    if (Number.isNaN(c)) c = x / y;
    else if (!close(x, c * y, Math.max(Math.abs(x), Math.abs(c * y)))) return false;
    used++;
  }
  return used >= 4;
}

/**
 * Where a wrong answer written as a product leaves the chain: each link of
 * the chain, in order from the function down to the variable, is looked for
 * among the answer's factors (one, two or three of them multiplied, up to a
 * constant factor, each factor used once); a link that is a constant (∂z/∂b
 * = 1) needs no factor. The first link not found is where it departs;
 * undefined when the answer is not a product of at least two factors, or
 * the chain has fewer than two links. Values at the sample points decide,
 * never the text.
 *
 *   ∂L/∂w₁ = ∂L/∂ŷ · ∂ŷ/∂h · ∂h/∂z · ∂z/∂w₁, answer 2(ŷ − y)·w₃·h(1 + h)·x₁
 *   → found ∂L/∂ŷ, ∂ŷ/∂h; departs at ∂h/∂z
 */
function departure(f: PreparedFormula, answer: Node, samples: readonly Sample[]): { found: Link[]; at?: Link } | undefined {
  if (f.links.length < 2) return undefined;
  const factors = productFactors(answer).slice(0, 10);
  if (factors.length < 2) return undefined;
  const unused = new Set(factors);
  const found: Link[] = [];
  for (const link of f.links) {
    const values = f.valuesOf(link.node);
    const first = values[samples[0]?.index ?? 0];
    if (samples.every((s) => values[s.index] === first)) {
      found.push(link);
      continue;
    }
    const group = groupsOf([...unused]).find((g) => proportional(f, samples, g.reduce((a, b) => mul(a, b)), link.node));
    if (group === undefined) return { found, at: link };
    for (const factor of group) unused.delete(factor);
    found.push(link);
  }
  return { found };
}

/** "2·x", "2·(x − 1)" or "x" (a factor with its constant; a sum or difference bracketed after the constant). */
const factorText = (c: number, factor: Node): string => {
  if (Math.abs(c - 1) < 1e-9) return shownFormula(factor);
  const shown = shownFormula(factor);
  return `${roundedNumber(c, 6)}·${factor.kind === 'add' || factor.kind === 'sub' ? `(${shown})` : shown}`;
};

/**
 * A factor the hint may name: never one proportional to the exact answer, which would show the answer up to a
 * constant (an answer that is a constant, "1", is the exact one divided by the exact one). Compared by value at the
 * samples, so a reordered or rewritten copy of the answer is caught as well as the same text.
 */
const nameable = (f: PreparedFormula, samples: readonly Sample[], factor: Node): boolean => !proportional(f, samples, factor, f.exact);

/** The side of a kink where the answer is right, when the agreement follows one side of one kink. */
function kinkSplit(f: PreparedFormula, answer: Node, samples: readonly Sample[]): { right: string; wrong: string; link?: Link } | undefined {
  const named = new Map([...f.expanded].map(([k, v]) => [v.id, k] as const));
  for (const call of kinkCalls([f.exact, answer])) {
    if (call.kind !== 'call' || call.args.length === 0) continue;
    const u = call.fn === 'max' || call.fn === 'min' ? undefined : call.args[0]!;
    if (u === undefined) continue;
    const values = f.valuesOf(u);
    const sides = samples.map((s) => Math.sign(values[s.index]!));
    // Every disagreement on one side of the kink, and every point on the other side agreeing (on the wrong
    // side some may agree too: where both are 0).
    const differing = new Set(samples.flatMap((s, i) => (s.agree ? [] : [sides[i]])));
    const bad = [...differing][0];
    const good = bad === undefined ? undefined : -bad;
    const onGood = samples.filter((_, i) => sides[i] === good);
    if (differing.size === 1 && bad !== 0 && onGood.length > 0 && onGood.every((s) => s.agree)) {
      const name = named.get(u.id);
      const arg = name === undefined ? shownFormula(u) : shownName(name);
      const link = f.links.find((l) => kinkCalls([l.node]).length > 0);
      return { right: `${arg} ${good! > 0 ? '>' : '<'} 0`, wrong: `${arg} ${bad! > 0 ? '>' : '<'} 0`, ...(link ? { link } : {}) };
    }
  }
  return undefined;
}

/** The diagnosis of an answer that has been read, from its samples. */
export function diagnoseFormula(f: PreparedFormula, answer: Node, all: readonly Sample[]): Diagnosis {
  // Undefined where the exact answer is defined: only at points of the domain (scaled ones may overflow).
  const hole = all.find((s) => !s.scaled && Number.isFinite(s.exact) && !Number.isFinite(s.answer));
  if (hole) return { kind: 'undefined', point: hole.point, exact: hole.exact };
  const usable = all.filter((s) => Number.isFinite(s.exact) && Number.isFinite(s.answer));
  if (usable.length >= 8 && usable.every((s) => s.agree)) return { kind: 'right' };
  const samples = usable.filter((s) => !s.scaled);

  if (matches(f, samples, undefined, undefined)) {
    // Agrees in the domain, differs only at large or small magnitudes: still wrong (e.g. a constant 1e-12 term).
    return { kind: 'other', differing: usable.filter((s) => !s.agree).length, of: usable.length };
  }
  if (samples.every((s) => close(s.answer, -s.exact, scaleOf(s)))) return { kind: 'sign' };
  const pivot = samples.reduce((a, b) => (Math.abs(b.exact) > Math.abs(a.exact) ? b : a), samples[0]!);
  if (pivot && pivot.exact !== 0) {
    const c = pivot.answer / pivot.exact;
    if (Number.isFinite(c) && c !== 0 && samples.every((s) => close(s.answer, c * s.exact, scaleOf(s)))) {
      const n = f.spec.n;
      const nearN = n !== undefined && (close(c, n, n) || close(c, 1 / n, 1 / n) || close(c, -n, n) || close(c, -1 / n, 1 / n));
      return { kind: 'constant-factor', factor: c, ...(nearN ? { n } : {}) };
    }
  }
  const split = kinkSplit(f, answer, samples);
  if (split) return { kind: 'part-of-domain', ...split };
  for (const link of f.links) if (link.fn !== link.node && matches(f, samples, link.node, link.fn) && !matches(f, samples, undefined, link.fn)) return { kind: 'function-for-derivative', link };
  const links = f.links.length >= 2 ? f.links : [];
  for (const link of links) if (nameable(f, samples, link.node) && matches(f, samples, link.node, undefined)) return { kind: 'missing-factor', factor: link.shown, link };
  for (let k = 1; k < links.length - 1; k++) {
    const rest = links.slice(k);
    const product = rest.map((l) => l.node).reduce((a, b) => mul(a, b));
    if (matches(f, samples, product, undefined)) return { kind: 'chain-stops', at: links[k - 1]!.to, rest };
  }
  for (const link of links) if (nameable(f, samples, link.node) && matches(f, samples, undefined, link.node)) return { kind: 'extra-factor', factor: link.shown, link };
  if (links.length === 0) {
    // No chain of names: the factors of the exact product, alone or in pairs, possibly with a constant (2x of sin(x²)′).
    const factors = factorsOf(tidy(f.exact)).slice(0, 8);
    const groups = [...factors.map((a) => [a]), ...factors.flatMap((a, i) => factors.slice(i + 1).map((b) => [a, b]))];
    for (const group of groups) {
      const factor = group.reduce((a, b) => mul(a, b));
      if (!nameable(f, samples, factor)) continue;
      const c = constantRatio(f, samples, factor);
      if (c !== undefined) return { kind: 'missing-factor', factor: factorText(c, factor) };
      const d = constantRatio(f, samples, undefined, factor);
      if (d !== undefined) return { kind: 'extra-factor', factor: factorText(1 / d, factor) };
    }
  }
  for (const other of f.others) {
    const all = f.valuesOf(other.node);
    const values = samples.map((s) => all[s.index]!);
    if (samples.every((s, i) => Number.isFinite(values[i]!) && close(s.answer, values[i]!, scaleOf(s)))) return { kind: 'wrong-variable', variable: other.variable };
  }
  const shift = samples[0] ? samples[0].answer - samples[0].exact : NaN;
  if (Number.isFinite(shift) && shift !== 0 && samples.every((s) => close(s.answer - s.exact, shift, Math.max(1, scaleOf(s))))) return { kind: 'constant-term', shift };
  const departs = departure(f, answer, samples);
  return { kind: 'other', differing: usable.filter((s) => !s.agree).length, of: usable.length, ...(departs ? { departs } : {}) };
}

/** A point as "w = 1.2, x = −0.5". */
export function pointText(point: ReadonlyMap<string, number>): string {
  return [...point].map(([k, v]) => `${shownName(k)} = ${roundedNumber(v, 4)}`).join(', ');
}

const chainText = (links: readonly Link[]): string => links.map((l) => l.label).join(' · ');

/** Level 2 of an answer that leaves the chain: the links its factors hold, and the first they do not (labels only: never a formula). */
function departureHint(d: { readonly found: readonly Link[]; readonly at?: Link }, links: readonly Link[]): string {
  const chain = `The chain: ${chainText(links)}.`;
  if (d.at === undefined) return `${chain} Every link is among your answer's factors (up to constants), but it holds something more: another factor, or a term added.`;
  if (d.found.length === 0) return `${chain} The first link, ${d.at.label}, is not among your answer's factors: start there.`;
  return `${chain} Your answer's factors hold ${chainText(d.found)} (up to constants); the next link, ${d.at.label}, is not among them: look at it.`;
}

/** The hint at level 1 (the verdict and the kind of mistake) and level 2 (where in the chain). */
export function hintsFor(d: Diagnosis, links: readonly Link[], wrt?: string): readonly [string, string] {
  const chain = links.length >= 2 ? `The chain: ${chainText(links)}.` : '';
  const generic2 = chain === '' ? 'Work it out again step by step, and compare each step with the lesson.' : `${chain} Check each link in turn.`;
  switch (d.kind) {
    case 'right': return ['Right.', 'Right.'];
    case 'unreadable': return [`Could not read your answer: ${d.detail}.`, 'Write it in mathjs syntax, e.g. 2*x*(w*x - y), sigmoid(z)*(1 - sigmoid(z)).'];
    case 'unknown-name': return [
      `Not yet: ${d.names.map(shownName).join(', ')} ${d.names.length === 1 ? 'is not a name' : 'are not names'} of this exercise (use ${d.allowed.join(', ')}).`,
      `The names you may use: ${d.allowed.join(', ')}.`];
    case 'undefined': return [
      `Not yet: your answer is not a number at ${pointText(d.point)}, where the exact one is ${roundedNumber(d.exact, 6)} (a division by zero, or a log or root of a negative number?).`,
      'Write it in a form that is defined wherever the exact one is: cancel the factor that becomes 0 there.'];
    case 'sign': return ['Not yet: the sign is wrong: your answer is minus the exact one.',
      links.length >= 2 ? `One link of the chain ${chainText(links)} has the wrong sign: the inner derivative of y − ŷ is −1, for instance.` : 'Look for an inner derivative of −1 (of y − ŷ, of 1 − p, of e^(−z)).'];
    case 'constant-factor': {
      const c = roundedNumber(d.factor, 6);
      if (d.n !== undefined) {
        const bigger = Math.abs(d.factor) > 1;
        return [`Not yet: your answer is ${c} times the exact one: ${bigger ? 'the factor 1/N of the mean is missing' : 'the factor 1/N of the mean is there twice'} (N = ${d.n}).`,
          'A mean over N samples is 1/N times their sum, and so is its derivative: the mean of the per-sample derivatives.'];
      }
      return [`Not yet: a constant factor is off: your answer is ${c} times the exact one.`,
        Math.abs(Math.abs(d.factor) - 2) < 1e-9 || Math.abs(Math.abs(d.factor) - 0.5) < 1e-9
          ? 'Look at the power rule: the derivative of u² is 2u, times the derivative of u.'
          : links.length >= 2 ? `The constant sits in one link of ${chainText(links)}.` : 'Check the constants of each step.'];
    }
    case 'missing-factor': return [`Not yet: a chain-rule factor is missing: your answer is the exact one divided by ${d.factor}.`,
      d.link ? `It is the link ${d.link.label} of the chain ${chainText(links)}.` : 'Differentiate the inside of each function too (the chain rule).'];
    case 'extra-factor': return [`Not yet: there is an extra factor: your answer is the exact one times ${d.factor}.`,
      d.link ? `The link ${d.link.label} appears once too often in ${chainText(links)}.` : 'Each factor of the chain rule appears once.'];
    case 'function-for-derivative': return [
      `Not yet: your answer has ${d.link.fnShown} where the chain needs its derivative.`,
      `It is the link ${d.link.label}: differentiate ${d.link.fnShown} by ${shownName(d.link.to)}.`];
    case 'chain-stops': return [
      `Not yet: the chain stops too early: your answer is the derivative by ${shownName(d.at)}${wrt ? `, not by ${shownName(wrt)}` : ''}.`,
      `Carry on through the links ${chainText(d.rest)}.`];
    case 'wrong-variable': return [`Not yet: your answer is the derivative by ${shownName(d.variable)}${wrt ? `, not by ${shownName(wrt)}` : ''}.`,
      wrt && links.length > 0 ? `The last link of the chain is ${links[links.length - 1]!.label}.` : generic2];
    case 'part-of-domain': return [`Not yet: your answer is right only where ${d.right}; where ${d.wrong} it differs (a kink at 0).`,
      d.link ? `It is in the link ${d.link.label}: what is that derivative where ${d.wrong}?` : `What is the derivative where ${d.wrong}?`];
    case 'constant-term': return [`Not yet: your answer is the exact one plus ${roundedNumber(d.shift, 6)}: a constant term is wrong.`, generic2];
    case 'transposed': return ['Not yet: your answer is the transpose of the exact one.', 'Check the shapes: which side does each matrix go on, and which is transposed?'];
    case 'shape': return [`Not yet: ${d.detail}.`, 'Check the shapes: an (m × k) matrix times a (k × n) one is (m × n).'];
    case 'other': return [`Not yet: your answer differs from the exact one at ${d.differing} of ${d.of} points.`, d.departs ? departureHint(d.departs, links) : generic2];
  }
}
