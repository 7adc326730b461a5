/**
 * Entries of the formula reference for single expressions: the functions of
 * the table (elementary, activations, loss primitives, piecewise helpers) and
 * the losses of src/nn/losses.ts. Each spec says what to document and where
 * to sample; `documentFormula` derives, checks and describes it.
 *
 *   const spec = functionSpecs('activation').find((s) => s.id === 'sigmoid')!
 *   const entry = await documentFormula(spec, { page: 'activations', points: 64 })
 *   entry.maxError   // about 1e-10: σ'(u) = σ(u)(1 − σ(u)) agrees with finite differences
 */
import { derivative as mathjsDerivative, parse, type MathNode } from '../expr/mathjs-lib.ts';
import { DownhillError } from '../errors.ts';
import { functionTable, type Family } from '../expr/functions.ts';
import { call, mapNodes, substitute, sym, symbolsOf, type Node } from '../expr/node.ts';
import { parseExpression } from '../expr/parse.ts';
import { symbolTex, toTex, toText } from '../expr/print.ts';
import { formatNumber } from '../expr/number.ts';
import { evaluate } from '../expr/evaluate.ts';
import { fromMathjs } from '../expr/mathjs.ts';
import { derivative } from '../diff/derivative.ts';
import {
  absoluteError, binaryCrossEntropy, binaryCrossEntropyWithLogits, halfSquaredError, hinge, huberLoss,
  softmaxCrossEntropy, squaredError,
} from '../nn/losses.ts';
import { linePlot } from '../render/plot.ts';
import { relativeError } from '../diff/finite-difference.ts';
import { checkDerivatives, FormulaCheckError, numericPartial, seedOf, type Domain, type Point } from './check.ts';
import type { Block } from '../render/document.ts';
import type { DocEntry } from './pages.ts';

/** What to document about one expression, and where to sample it. */
export interface FormulaSpec {
  /** Anchor id and plot file name. */
  readonly id: string;
  /** Heading (text with `$…$` math). */
  readonly heading: string;
  /** One sentence (text with `$…$` math). */
  readonly about: string;
  readonly expr: Node;
  /** TeX name of the value ('L' for a loss); default: the expression itself is the left-hand side. */
  readonly name?: string;
  /** The definition in elementary terms, as TeX (σ(u) = 1/(1 + e^−u)). */
  readonly definitionTex?: string;
  /** The variables whose partial derivatives are documented and checked. */
  readonly wrt: readonly string[];
  /** Where each variable of `expr` is sampled. */
  readonly domains: Readonly<Record<string, Domain>>;
  /** The plot: f and ∂f/∂variable over `range`, the other variables fixed at `at`. */
  readonly plot: { readonly variable: string; readonly range: readonly [number, number]; readonly at?: Readonly<Record<string, number>> };
  /** The textbook derivative from the function table, in u (TeX, shown beside the engine's). */
  readonly textbookTex?: string;
  /** Its left-hand side when the textbook writes it for any n or any i (default: the engine's first partial). */
  readonly textbookLhs?: string;
  /** The convention at the kink, and a point on the kink to evaluate the derivative at. */
  readonly kink?: { readonly convention: string; readonly tex: string; readonly at: Readonly<Record<string, number>> };
  /** Documented derivatives given by hand instead of derived by the engine (they are checked the same way). */
  readonly derivatives?: Readonly<Record<string, Node>>;
}

type Sampling = { readonly sample: Domain; readonly plot: readonly [number, number] };

const PI = Math.PI;
const u = sym('u');

/** Sampling domains of the one-argument functions: away from poles, inside the real domain. */
const oneArgument: Readonly<Record<string, Sampling>> = {
  exp: { sample: [[-3, 3]], plot: [-2, 2] },
  log: { sample: [[0.05, 5]], plot: [0.1, 4] },
  log10: { sample: [[0.05, 5]], plot: [0.1, 4] },
  sqrt: { sample: [[0.05, 5]], plot: [0.05, 4] },
  cbrt: { sample: [[-4, -0.05], [0.05, 4]], plot: [-2, 2] },
  nthRoot: { sample: [[-4, -0.05], [0.05, 4]], plot: [-2, 2] },
  sin: { sample: [[-4, 4]], plot: [-PI, PI] },
  cos: { sample: [[-4, 4]], plot: [-PI, PI] },
  tan: { sample: [[-1.4, 1.4]], plot: [-1.3, 1.3] },
  sec: { sample: [[-1.4, 1.4]], plot: [-1.3, 1.3] },
  csc: { sample: [[0.15, 3]], plot: [0.3, 2.84] },
  cot: { sample: [[0.15, 3]], plot: [0.3, 2.84] },
  asin: { sample: [[-0.95, 0.95]], plot: [-0.95, 0.95] },
  acos: { sample: [[-0.95, 0.95]], plot: [-0.95, 0.95] },
  atan: { sample: [[-4, 4]], plot: [-4, 4] },
  asec: { sample: [[-4, -1.05], [1.05, 4]], plot: [1.05, 4] },
  acsc: { sample: [[-4, -1.05], [1.05, 4]], plot: [1.05, 4] },
  acot: { sample: [[-4, -0.1], [0.1, 4]], plot: [0.1, 4] },
  sinh: { sample: [[-3, 3]], plot: [-2, 2] },
  cosh: { sample: [[-3, 3]], plot: [-2, 2] },
  sech: { sample: [[-3, 3]], plot: [-3, 3] },
  csch: { sample: [[-3, -0.2], [0.2, 3]], plot: [0.2, 3] },
  coth: { sample: [[-3, -0.2], [0.2, 3]], plot: [0.2, 3] },
  asinh: { sample: [[-4, 4]], plot: [-4, 4] },
  acosh: { sample: [[1.05, 5]], plot: [1.05, 4] },
  atanh: { sample: [[-0.95, 0.95]], plot: [-0.9, 0.9] },
  asech: { sample: [[0.05, 0.95]], plot: [0.1, 0.95] },
  acsch: { sample: [[-4, -0.1], [0.1, 4]], plot: [0.2, 4] },
  acoth: { sample: [[-4, -1.05], [1.05, 4]], plot: [1.05, 4] },
  abs: { sample: [[-3, 3]], plot: [-2, 2] },
  sigmoid: { sample: [[-6, 6]], plot: [-6, 6] },
  tanh: { sample: [[-3, 3]], plot: [-3, 3] },
  relu: { sample: [[-3, 3]], plot: [-2, 2] },
  softplus: { sample: [[-6, 6]], plot: [-5, 5] },
  heaviside: { sample: [[-3, 3]], plot: [-2, 2] },
  sign: { sample: [[-3, 3]], plot: [-2, 2] },
};

/** The functions with more than one argument (or a second one worth showing), each written out in full. */
const severalArguments: Readonly<Record<string, Omit<FormulaSpec, 'id' | 'heading' | 'about'>>> = {
  nthRoot: {
    expr: call('nthRoot', u, 3), wrt: ['u'], domains: { u: oneArgument['nthRoot']!.sample },
    plot: { variable: 'u', range: oneArgument['nthRoot']!.plot },
  },
  leaky_relu: {
    expr: call('leaky_relu', u, sym('alpha')), wrt: ['u', 'alpha'], domains: { u: [[-3, 3]], alpha: [[0.01, 0.3]] },
    plot: { variable: 'u', range: [-2, 2], at: { alpha: 0.1 } },
  },
  logsumexp: {
    expr: call('logsumexp', sym('u1'), sym('u2'), sym('u3')), wrt: ['u1', 'u2', 'u3'],
    domains: { u1: [[-3, 3]], u2: [[-3, 3]], u3: [[-3, 3]] },
    plot: { variable: 'u1', range: [-4, 4], at: { u2: 0, u3: 0 } },
  },
  huber: {
    expr: call('huber', u, sym('delta')), wrt: ['u', 'delta'], domains: { u: [[-3, 3]], delta: [[0.5, 2]] },
    plot: { variable: 'u', range: [-3, 3], at: { delta: 1 } },
  },
  max: {
    expr: call('max', u, sym('v')), wrt: ['u', 'v'], domains: { u: [[-3, 3]], v: [[-3, 3]] },
    plot: { variable: 'u', range: [-2, 2], at: { v: 0 } },
  },
  min: {
    expr: call('min', u, sym('v')), wrt: ['u', 'v'], domains: { u: [[-3, 3]], v: [[-3, 3]] },
    plot: { variable: 'u', range: [-2, 2], at: { v: 0 } },
  },
  clip: {
    expr: call('clip', u, sym('lo'), sym('hi')), wrt: ['u', 'lo', 'hi'],
    domains: { u: [[-3, 3]], lo: [[-1.5, -0.5]], hi: [[0.5, 1.5]] },
    plot: { variable: 'u', range: [-2, 2], at: { lo: -1, hi: 1 } },
  },
};

/** The textbook forms written for any n or i: their left-hand side says so (the entry itself documents n = 3, u_1). */
const textbookLhs: Readonly<Record<string, string>> = {
  nthRoot: '\\frac{d}{du}\\sqrt[n]{u}',
  logsumexp: '\\frac{\\partial}{\\partial u_i}\\operatorname{LSE}\\left(u_1, \\dots, u_n\\right)',
};

/** A point on each kink, where the entry shows the derivative the engine takes there. */
const kinkPoints: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  abs: { u: 0 }, relu: { u: 0 }, leaky_relu: { u: 0, alpha: 0.1 }, huber: { u: 1, delta: 1 },
  max: { u: 0, v: 0 }, min: { u: 0, v: 0 }, clip: { u: 1, lo: -1, hi: 1 }, heaviside: { u: 0 }, sign: { u: 0 },
};

/**
 * Specs for every function of the table in a family, in table order. A
 * function without a sampling domain here is an error, so a new entry in
 * the table cannot go undocumented.
 */
export function functionSpecs(family: Family): FormulaSpec[] {
  const specs: FormulaSpec[] = [];
  for (const rule of functionTable.values()) {
    if (rule.family !== family) continue;
    const several = severalArguments[rule.name];
    const one = oneArgument[rule.name];
    let base: Omit<FormulaSpec, 'id' | 'heading' | 'about'>;
    if (several) base = several;
    else if (one && rule.arity[0] === 1) base = { expr: call(rule.name, u), wrt: ['u'], domains: { u: one.sample }, plot: { variable: 'u', range: one.plot } };
    else throw new DownhillError(`the formula reference has no sampling domain for "${rule.name}" (${rule.family}): add one in src/docs/functions.ts`);
    const kinkAt = kinkPoints[rule.name];
    if (rule.kink && !kinkAt) throw new DownhillError(`the formula reference has no kink point for "${rule.name}": add one in src/docs/functions.ts`);
    const lhs = textbookLhs[rule.name];
    const definitionTex = rule.definition !== undefined && rule.definition !== `${rule.name}(u)`
      ? toTex(parseExpression(rule.definition))
      : undefined;
    specs.push({
      ...base,
      id: rule.name.replace(/_/g, '-'),
      heading: rule.name,
      about: `${rule.about[0]!.toUpperCase()}${rule.about.slice(1)}.`,
      ...(definitionTex === undefined ? {} : { definitionTex }),
      ...(rule.derivativeTex === undefined ? {} : { textbookTex: rule.derivativeTex }),
      ...(lhs === undefined ? {} : { textbookLhs: lhs }),
      ...(rule.kink && kinkAt ? { kink: { ...rule.kink, at: kinkAt } } : {}),
    });
  }
  return specs;
}

const yhat = sym('yhat');
const y = sym('y');
const z = sym('z');

/** Specs for the losses of src/nn/losses.ts, on ŷ and y (z and y for logits). */
export function lossSpecs(): FormulaSpec[] {
  const regression = { yhat: [[-3, 3]], y: [[-2, 2]] } as const;
  const plotYhat = { variable: 'yhat', range: [-1, 3], at: { y: 1 } } as const;
  return [
    { id: 'squared-error', heading: 'squaredError($\\hat{y}, y$)', about: 'The squared error of a prediction ŷ for a target y.', name: 'L',
      expr: squaredError(yhat, y), wrt: ['yhat'], domains: regression, plot: plotYhat },
    { id: 'half-squared-error', heading: 'halfSquaredError($\\hat{y}, y$)', about: 'Half the squared error: the ½ cancels the 2 of the derivative.', name: 'L',
      expr: halfSquaredError(yhat, y), wrt: ['yhat'], domains: regression, plot: plotYhat },
    { id: 'absolute-error', heading: 'absoluteError($\\hat{y}, y$)', about: 'The absolute error; its derivative is a sign, undefined where ŷ = y.', name: 'L',
      expr: absoluteError(yhat, y), wrt: ['yhat'], domains: regression, plot: plotYhat,
      kink: { convention: "abs'(0) = 0: at ŷ = y the derivative is taken as 0", tex: '\\hat{y} = y', at: { yhat: 1, y: 1 } } },
    { id: 'huber-loss', heading: 'huberLoss($\\hat{y}, y$)', about: 'The Huber loss with δ = 1: squared near the target, absolute far from it.', name: 'L',
      expr: huberLoss(yhat, y), wrt: ['yhat'], domains: regression, plot: plotYhat,
      kink: { convention: 'smooth at |y − ŷ| = δ: the first derivative is continuous, the second jumps', tex: '\\left|y - \\hat{y}\\right| = 1', at: { yhat: 2, y: 1 } } },
    { id: 'binary-cross-entropy', heading: 'binaryCrossEntropy($\\hat{y}, y$)', about: 'Binary cross-entropy of a probability ŷ in (0, 1) for a target y in [0, 1].', name: 'L',
      expr: binaryCrossEntropy(yhat, y), wrt: ['yhat'], domains: { yhat: [[0.02, 0.98]], y: [[0, 1]] },
      plot: { variable: 'yhat', range: [0.05, 0.95], at: { y: 1 } } },
    { id: 'binary-cross-entropy-with-logits', heading: 'binaryCrossEntropyWithLogits($z, y$)', about: 'Binary cross-entropy of σ(z), written on the logit z: numerically stable, and its derivative is σ(z) − y.', name: 'L',
      expr: binaryCrossEntropyWithLogits(z, y), wrt: ['z'], domains: { z: [[-6, 6]], y: [[0, 1]] },
      plot: { variable: 'z', range: [-5, 5], at: { y: 1 } } },
    { id: 'softmax-cross-entropy', heading: 'softmaxCrossEntropy($z, y$), three classes', about: 'Cross-entropy of softmax(z) for a target y (one-hot, or probabilities that sum to 1): the derivative is softmax(z) − y.', name: 'L',
      expr: softmaxCrossEntropy(['z1', 'z2', 'z3'].map(sym), ['y1', 'y2', 'y3'].map(sym)), wrt: ['z1', 'z2', 'z3'],
      domains: { z1: [[-3, 3]], z2: [[-3, 3]], z3: [[-3, 3]], y1: [[0, 1]], y2: [[0, 1]], y3: [[0, 1]] },
      plot: { variable: 'z1', range: [-4, 4], at: { z2: 0, z3: 0, y1: 1, y2: 0, y3: 0 } } },
    { id: 'hinge', heading: 'hinge($s, y$)', about: 'The hinge loss of a score s for a label y in {−1, 1}.', name: 'L',
      expr: hinge(sym('s'), y), wrt: ['s'], domains: { s: [[-3, 3]], y: { choice: [-1, 1] } },
      plot: { variable: 's', range: [-2, 3], at: { y: 1 } },
      kink: { convention: "relu'(0) = 0: at y·s = 1 the derivative is taken as 0", tex: 'y s = 1', at: { s: 1, y: 1 } } },
  ];
}

/** Readable plain-text names for plot labels: yhat → ŷ, u1 → u₁, alpha → α. */
function plainName(name: string): string {
  const special: Record<string, string> = { yhat: 'ŷ', alpha: 'α', delta: 'δ' };
  return special[name] ?? name.replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]!);
}

/** Replaces calls that have a definition in elementary terms (sigmoid, softplus, ...) by it, for mathjs. */
function expandDefinitions(expr: Node): Node {
  return mapNodes(expr, (_, n) => {
    if (n.kind !== 'call') return undefined;
    const definition = functionTable.get(n.fn)?.definition;
    if (definition === undefined) return undefined;
    const body = parseExpression(definition);
    const names = n.args.length === 1 ? ['u'] : n.args.map((_, i) => `u${i + 1}`);
    const free = symbolsOf([body]);
    if (free.length !== names.length || !names.every((v) => free.includes(v))) return undefined;
    return substitute(body, new Map(names.map((v, i) => [v, n.args[i]!] as const)));
  });
}

/** Longest mathjs text shown; longer results are reported by size only. */
const READABLE = 160;

/** mathjs's own derivative (raw and simplified) and how it compares with finite differences. */
function mathjsBlocks(spec: FormulaSpec, points: readonly Point[], tolerance: number): Block[] {
  const wrt = spec.wrt[0]!;
  const source = toText(expandDefinitions(spec.expr));
  const what = `mathjs \`derivative(parse('${source}'), '${wrt}')\``;
  let raw: MathNode;
  try {
    raw = mathjsDerivative(parse(source), wrt, { simplify: false });
  } catch (e) {
    const m = /Cannot process function "([^"]+)"/.exec(e instanceof Error ? e.message : '');
    const reason = m ? `it has no rule for ${m[1]}` : 'it fails';
    return [{ kind: 'paragraph', text: `mathjs's \`derivative\` cannot differentiate \`${source}\`: ${reason}, so the engine uses the function table's rule.` }];
  }
  const rawText = raw.toString();
  if (rawText.length > READABLE) {
    return [{ kind: 'paragraph', text: `${what} gives ${rawText.length} characters of raw chain rule: too long to read here.` }];
  }
  const blocks: Block[] = [{ kind: 'paragraph', text: `${what}, raw: \`${rawText}\`` }];
  const simplified = mathjsDerivative(parse(source), wrt);
  const simplifiedText = simplified.toString();
  if (simplifiedText !== rawText) blocks.push({ kind: 'paragraph', text: `simplified by mathjs: \`${simplifiedText}\`` });

  let node: Node;
  try {
    node = fromMathjs(simplified, (name) => sym(name));
  } catch {
    blocks.push({ kind: 'paragraph', text: 'Its result uses functions downhill does not know, so it is not compared.' });
    return blocks;
  }
  const bad = points.filter((p) => !(relativeError(evaluate(node, p), numericPartial(spec.expr, p, wrt)) <= tolerance));
  const first = bad[0];
  blocks.push({
    kind: 'paragraph',
    text: first === undefined
      ? `It agrees with finite differences at all ${points.length} check points.`
      : `It disagrees with finite differences at ${bad.length} of ${points.length} check points: at ${[...first].map(([k, v]) => `${plainName(k)} = ${formatNumber(v, 4)}`).join(', ')} it gives ${formatNumber(evaluate(node, first), 4)} where finite differences give ${formatNumber(numericPartial(spec.expr, first, wrt), 4)}. The engine uses its own rule instead.`,
  });
  return blocks;
}

function partialTex(spec: FormulaSpec, wrt: string): string {
  const v = symbolTex(wrt);
  if (spec.name !== undefined) return `\\frac{\\partial ${spec.name}}{\\partial ${v}}`;
  return spec.wrt.length === 1 && symbolsOf([spec.expr]).length === 1
    ? `\\frac{d}{d${v}}${toTex(spec.expr)}`
    : `\\frac{\\partial}{\\partial ${v}}${toTex(spec.expr)}`;
}

/** The plot of f and ∂f/∂(plot variable), 100 points, small. */
async function plotBlock(spec: FormulaSpec, page: string, d: Node): Promise<Block> {
  const { variable, range, at = {} } = spec.plot;
  const n = 100;
  const xs = Array.from({ length: n }, (_, k) => range[0] + ((range[1] - range[0]) * k) / (n - 1));
  const point = (x: number): Map<string, number> => new Map([...Object.entries(at), [variable, x]]);
  const fName = spec.name ?? 'f';
  const dName = `∂${fName}/∂${plainName(variable)}`;
  const width = 320;
  const height = 160;
  const svg = await linePlot({
    series: [
      { name: fName, points: xs.map((x) => [x, evaluate(spec.expr, point(x))] as const) },
      { name: dName, points: xs.map((x) => [x, evaluate(d, point(x))] as const), role: 'grad' },
    ],
    xLabel: plainName(variable), yLabel: '', width, height,
  });
  const fixed = Object.entries(at).map(([k, v]) => `${plainName(k)} = ${formatNumber(v)}`);
  // Shown at the SVG's own size (axes and legend included), so its 12 px labels stay 12 px.
  const size = (name: string): number => Number(new RegExp(`<svg[^>]*\\b${name}="([\\d.]+)"`).exec(svg)?.[1] ?? (name === 'width' ? width : height));
  return {
    kind: 'image', file: `plots/${page}-${spec.id}.svg`, svg, width: size('width'), height: size('height'),
    alt: `${fName} and ${dName}`,
    caption: `${fName} and ${dName} for ${plainName(variable)} from ${formatNumber(range[0], 3)} to ${formatNumber(range[1], 3)}${fixed.length > 0 ? `, at ${fixed.join(', ')}` : ''}.`,
  };
}

/**
 * Derives, checks and describes one spec: definition, the engine's
 * derivative (tidy), the textbook form, mathjs's own derivative, the kink
 * convention, a plot, and the finite-difference check (FormulaCheckError if
 * it fails).
 */
export async function documentFormula(spec: FormulaSpec, options: { page: string; points: number }): Promise<DocEntry> {
  const documented = spec.wrt.map((w) => {
    const given = spec.derivatives?.[w];
    return given === undefined ? { wrt: w, node: derivative(spec.expr, w).node } : { wrt: w, node: given };
  });
  const what = `${options.page}: ${spec.heading}`;
  const check = checkDerivatives(spec.expr, documented, spec.domains, { points: options.points, seed: seedOf(`${options.page}/${spec.id}`), what });

  const definition = `${spec.name === undefined ? '' : `${spec.name} = `}${toTex(spec.expr)}${spec.definitionTex === undefined ? '' : ` = ${spec.definitionTex}`}`;
  const blocks: Block[] = [{ kind: 'paragraph', text: spec.about }, { kind: 'formula', tex: definition }];
  blocks.push({ kind: 'paragraph', text: spec.derivatives === undefined ? 'Derivative, by the engine (chain rule, then tidied):' : 'Derivative, as given:' });
  for (const d of documented) blocks.push({ kind: 'formula', tex: `${partialTex(spec, d.wrt)} = ${toTex(d.node)}` });
  if (spec.textbookTex !== undefined) {
    blocks.push({ kind: 'paragraph', text: 'Textbook form, from the function table:' });
    blocks.push({ kind: 'formula', tex: `${spec.textbookLhs ?? partialTex(spec, spec.wrt[0]!)} = ${spec.textbookTex}` });
  }
  blocks.push(...mathjsBlocks(spec, check.points, check.tolerance));
  if (spec.kink) {
    const at = new Map(Object.entries(spec.kink.at));
    const where = [...at].map(([k, v]) => `${plainName(k)} = ${formatNumber(v)}`).join(', ');
    const values = documented.map((d) => {
      const value = evaluate(d.node, at);
      if (!Number.isFinite(value)) throw new FormulaCheckError(`${what}: ∂/∂${d.wrt} is ${value} at the kink point ${where}`);
      return `$${partialTex(spec, d.wrt)} = ${formatNumber(value)}$`;
    });
    blocks.push({ kind: 'paragraph', text: `At the kink, $${spec.kink.tex}$: ${spec.kink.convention}. At ${where} the engine gives ${values.join(', ')}.` });
  }
  blocks.push(await plotBlock(spec, options.page, documented.find((d) => d.wrt === spec.plot.variable)?.node ?? derivative(spec.expr, spec.plot.variable).node));
  blocks.push({ kind: 'check', text: checkLine(documented.length, check.points.length, check.maxError, check.tolerance) });
  return { id: spec.id, heading: spec.heading, blocks, maxError: check.maxError, partials: documented.length };
}

/** The sentence that ends an entry. */
export function checkLine(partials: number, points: number, maxError: number, tolerance: number): string {
  return `Check: ${partials === 1 ? 'the derivative was' : `all ${partials} partial derivatives were`} compared with central finite differences at ${points} random points (seeded); largest relative error ${formatNumber(maxError, 2)} (tolerance ${tolerance.toExponential()}).`;
}

