/**
 * The report of `downhill grad`, built once as a Document (render/document.ts)
 * and rendered per face: terminal text for the command, JSON for `--json`,
 * sections of HTML for the playground (site/worker.ts sends them, the page
 * swaps them by id). The playground's report is the command's with three
 * more sections (a gradient check, the computational graph, a descent), so
 * the two can never say different things about the same text.
 *
 *   const read = readGradText('z = w*x; L = (y - z)^2')          // named steps, or one expression (named f)
 *   const report = gradReport(read, { wrt: ['w'], at: new Map([['w', 0.5], ['x', 1], ['y', 2]]) })
 *   documentText(gradDocument(report))     // what `downhill grad` prints
 *   gradJson(report)                       // what `downhill grad --json` prints
 *   await playgroundDocument(report, { lr: 0.1, steps: 30 })   // the playground's report
 *
 * Sections, by id: `function` (one expression) or `steps` and `backward`
 * (named steps), `partials`, `values` (with a point); the playground adds
 * `check`, `graph` and `descent`.
 */
import { checkArg, checkOptions, DownhillError, NAMES, objectWith, optional, TEXT, visible, type Accepts } from '../errors.ts';
import { NODE, type Node } from '../expr/node.ts';
import { parseWithSymbols } from '../expr/parse.ts';
import { evaluateFinite } from '../expr/evaluate.ts';
import { formatNumber, texNumber } from '../expr/number.ts';
import { isProgram, parseProgram, type Program } from '../expr/program.ts';
import { symbolTex, toTex, toText } from '../expr/print.ts';
import { derivativesOf, type Derivative } from '../diff/derivative.ts';
import { programGradient, programGradientAt, programSymbolTex, type NamedAdjoint } from '../diff/program.ts';
import { checkDerivativeCount } from '../limits.ts';
import { computationalGraphSvg } from '../pictures/computational.ts';
import type { Block, Document, Section } from '../render/document.ts';
import type { MountainData } from '../render/mountain.ts';
import { gd } from '../train/optimizers.ts';
import { stopMessage, train } from '../train/train.ts';
import { checkPartials, checkValues } from './gradient-check.ts';

/** The text read as `downhill grad` reads it: one expression (its function named f), or named steps (the last is the function). */
export interface GradText {
  /** As typed. */
  readonly text: string;
  /** The function's name: f, or the last step's name. */
  readonly name: string;
  /** The function over its inputs (named steps with every name replaced). */
  readonly expr: Node;
  /** The symbols a point gives values to (one expression: collected before folding, so 0*x still names x). */
  readonly symbols: readonly string[];
  /** The steps, when the text is named steps. */
  readonly program?: Program;
}

/** Reads one expression or named steps ("z = w*x; L = (y - z)^2", or one definition such as "x = w^2"). */
export function readGradText(text: string): GradText {
  checkArg('readGradText', 'text', text, TEXT);
  if (isProgram(text)) {
    const program = parseProgram(text);
    return { text, name: program.output.name, expr: program.expanded, symbols: program.inputs, program };
  }
  const { node, symbols } = parseWithSymbols(text);
  return { text, name: 'f', expr: node, symbols };
}

/** The report: the partials in closed form and, at a point, every value. */
export interface GradReport extends GradText {
  readonly wrt: readonly string[];
  /** ∂name/∂w for each w of `wrt`, in closed form (named steps: with every name replaced). */
  readonly partials: readonly Derivative[];
  /** The backward pass one name at a time (named steps only). */
  readonly backward?: readonly NamedAdjoint[];
  /** The point, when one was given. */
  readonly at?: ReadonlyMap<string, number>;
  /**
   * The numbers at the point, by name: the function (its name), each step,
   * each adjoint (∂L/∂h) and each partial (∂L/∂w).
   */
  readonly numbers?: ReadonlyMap<string, number>;
}

const partialName = (of: string, wrt: string): string => `∂${of}/∂${wrt}`;

// The doors (downhill/engine): what each function takes, checked on entry.
const GRAD_TEXT: Accepts<GradText> = {
  what: "a text read by readGradText",
  test: (v): v is GradText => objectWith('text', 'name', 'expr', 'symbols').test(v) && typeof v.text === 'string' && typeof v.name === 'string' && NODE.test(v.expr) && NAMES.test(v.symbols),
};
const GRAD_REPORT: Accepts<GradReport> = {
  what: "a report (gradReport's result)",
  test: (v): v is GradReport => GRAD_TEXT.test(v) && objectWith('wrt', 'partials').test(v) && NAMES.test(v.wrt) && Array.isArray(v.partials),
};
const POINT_MAP = optional({ what: 'a Map from symbol names to numbers', test: (v): v is ReadonlyMap<string, number> => v instanceof Map });

/**
 * The partials of the text by `wrt` (default: every symbol), and with `at`
 * (a value for every symbol) the value and gradient there; refused, with the
 * command's one-line messages, before anything is differentiated when the
 * request is too large or the point does not fit.
 */
export function gradReport(read: GradText, options: { readonly wrt?: readonly string[] | undefined; readonly at?: ReadonlyMap<string, number> | undefined } = {}): GradReport {
  checkArg('gradReport', 'read', read, GRAD_TEXT);
  checkOptions('gradReport', options, ['wrt', 'at']);
  checkArg('gradReport', 'wrt', options?.wrt, optional(NAMES));
  checkArg('gradReport', 'at', options?.at, POINT_MAP);
  const wrt = options.wrt === undefined ? [...read.symbols] : [...options.wrt];
  if (wrt.length === 0) throw new DownhillError('the expression has no variables to differentiate by');
  checkDerivativeCount(wrt.length, 'pick the variables with --wrt');
  const at = options.at;
  const { program } = read;
  if (program === undefined) {
    if (at !== undefined) checkValues(read.expr, at, '--at', [...read.symbols, ...wrt]);
    const partials = derivativesOf(read.expr, wrt);
    if (at === undefined) return { ...read, wrt, partials };
    const numbers = new Map([[read.name, evaluateFinite(read.expr, at)]]);
    for (const d of partials) numbers.set(partialName(read.name, d.wrt), evaluateFinite(d.raw, at));
    return { ...read, wrt, partials, at, numbers };
  }
  if (at !== undefined) {
    const steps = program.steps.map((s) => s.name);
    const computed = [...at.keys()].filter((s) => steps.includes(s));
    if (computed.length > 0) throw new DownhillError(`--at: ${computed.join(', ')} ${computed.length === 1 ? 'is a step' : 'are steps'} of the expression, computed from the inputs`);
    checkValues(program.expanded, at, '--at', wrt);
  }
  const g = programGradient(program, wrt);
  if (at === undefined) return { ...read, wrt, partials: g.partials, backward: g.backward };
  return { ...read, wrt, partials: g.partials, backward: g.backward, at, numbers: programGradientAt(g, at) };
}

const tex = (n: Node): string => toTex(n, { symbolTex: programSymbolTex });

/** The report as `downhill grad --json` prints it. */
export function gradJson(r: GradReport): Record<string, unknown> {
  checkArg('gradJson', 'r', r, GRAD_REPORT);
  const out = r.name;
  const n = r.numbers;
  const derivatives = Object.fromEntries(r.partials.map((d) => [d.wrt, { text: d.text, tex: d.tex }]));
  const point = r.at === undefined || n === undefined ? undefined : { at: Object.fromEntries(r.at) };
  if (r.program === undefined || r.backward === undefined) {
    return {
      expr: r.text, wrt: r.wrt, derivatives,
      ...(point && n ? { ...point, value: n.get(out), gradient: Object.fromEntries(r.wrt.map((w) => [w, n.get(partialName(out, w))])) } : {}),
    };
  }
  const steps = r.program.steps.map((s) => s.name);
  return {
    expr: r.text,
    steps: r.program.steps.map((s) => ({ name: s.name, text: toText(s.node), tex: tex(s.node) })),
    wrt: r.wrt,
    backward: r.backward.map((b) => ({ name: b.name, symbol: b.symbol, text: toText(b.formula), tex: tex(b.formula) })),
    derivatives,
    ...(point && n ? {
      ...point,
      values: Object.fromEntries(steps.map((s) => [s, n.get(s)])),
      value: n.get(out),
      adjoints: Object.fromEntries(r.backward.map((b) => [b.name, n.get(b.symbol)])),
      gradient: Object.fromEntries(r.wrt.map((w) => [w, n.get(partialName(out, w))])),
    } : {}),
  };
}

/** The report's sections: the function or its steps, the backward pass, the partials, the values at the point. */
function reportSections(r: GradReport): Section[] {
  const sections: Section[] = [];
  if (r.program === undefined || r.backward === undefined) {
    sections.push({ id: 'function', heading: 'The function', blocks: [{ kind: 'code', text: `${r.name} = ${visible(r.text)}` }] });
  } else {
    sections.push(
      { id: 'steps', heading: 'The steps', blocks: [{ kind: 'code', text: r.program.steps.map((s) => `${s.name} = ${toText(s.node)}`).join('\n') }] },
      { id: 'backward', heading: 'Backward, one name at a time (the chain rule)', blocks: [{ kind: 'code', text: r.backward.map((b) => `${b.symbol} = ${toText(b.formula)}`).join('\n') }] },
    );
  }
  sections.push({
    id: 'partials',
    heading: r.program === undefined ? 'The exact partial derivatives' : 'The exact partial derivatives, with every name replaced',
    blocks: r.partials.map((d): Block => ({ kind: 'partial', of: r.name, wrt: d.wrt, text: d.text, tex: d.tex })),
  });
  const n = r.numbers;
  if (r.at !== undefined && n !== undefined) {
    const names = r.program === undefined
      ? [r.name, ...r.wrt.map((w) => partialName(r.name, w))]
      : [...r.program.steps.map((s) => s.name), ...(r.backward ?? []).map((b) => b.symbol)];
    const lines = [`at ${[...r.at].map(([k, v]) => `${k} = ${formatNumber(v)}`).join(', ')}:`, ...names.map((k) => `  ${k} = ${formatNumber(n.get(k)!)}`)];
    sections.push({ id: 'values', heading: 'The values', blocks: [{ kind: 'code', text: lines.join('\n') }] });
  }
  return sections;
}

/** The report as `downhill grad` prints it (documentText), and as the playground shows its first sections. */
export function gradDocument(r: GradReport): Document {
  checkArg('gradDocument', 'r', r, GRAD_REPORT);
  return { title: 'downhill grad', sections: reportSections(r) };
}

/** A name in prose (Document text): its dollar signs kept as text. */
const prose = (name: string): string => name.replace(/\$/g, '\\$');
const math = (name: string): string => `$${symbolTex(name)}$`;

/** Rows of a descent shown: every row up to 25, else the first 20 and the last. */
const shownSteps = (n: number): number[] => (n > 25 ? [...Array.from({ length: 20 }, (_, i) => i), n - 1] : Array.from({ length: n }, (_, i) => i));

/**
 * The playground's report: the command's (gradDocument), then the gradient
 * checked against central differences at the point, the computational graph
 * with values and gradients, and gradient descent on the parameters (`wrt`)
 * from the point, with the data symbols held at their values; for two
 * parameters, a mountain to turn and descend on. Needs a point.
 */
export async function playgroundDocument(r: GradReport, options: { readonly lr: number; readonly steps: number }): Promise<Document> {
  checkArg('playgroundDocument', 'r', r, GRAD_REPORT);
  const at = r.at;
  const n = r.numbers;
  if (at === undefined || n === undefined) throw new DownhillError('the playground needs a value for every symbol');
  const { lr, steps } = options;
  const check = checkPartials(r.expr, at, { wrt: r.wrt }, () => r.partials, () => ({ text: r.name, tex: symbolTex(r.name) }));
  const checkSection: Section = {
    id: 'check',
    heading: 'Gradient check: exact against finite differences',
    blocks: [
      {
        kind: 'table',
        headers: ['parameter', `exact $\\partial ${symbolTex(r.name)} / \\partial p$`, 'central difference', '|difference|', 'check'],
        rows: check.variables.map((v) => [prose(v.variable), v.exact, v.central, v.absError, v.status === 'fail' ? 'FAIL' : v.status === 'kink' ? 'kink (warning)' : 'pass']),
        digits: [6, 12, 12, 3, 6],
      },
      { kind: 'paragraph', text: `central differences, $h = ${texNumber(check.h, 2)}$: pass when $|\\text{difference}| \\le ${texNumber(check.atol, 2)} + ${texNumber(check.rtol, 2)} \\cdot |\\text{exact}|$` },
    ],
  };
  const graph = await computationalGraphSvg(r.expr, { at: Object.fromEntries(at), wrt: r.wrt, lossName: r.name });
  const graphSection: Section = {
    id: 'graph',
    heading: 'The computational graph, with values and gradients',
    blocks: [{
      kind: 'picture',
      html: `<figure class="dh-graph" aria-label="the computational graph of your loss, with the value and gradient of each node">${graph}</figure>`,
      terminal: `    [picture: the computational graph of ${r.name}, with values and gradients — in the HTML page]`,
    }],
  };
  const data = r.symbols.filter((s) => !r.wrt.includes(s));
  const row = data.map((s) => at.get(s)!);
  const run = train({ loss: r.expr, params: r.wrt, data, batch: [row], init: r.wrt.map((w) => at.get(w)!), optimizer: gd(lr), steps });
  const shown = shownSteps(run.steps.length);
  const descent: Block[] = [
    {
      kind: 'table',
      headers: ['step', ...r.wrt.map(math), math(r.name)],
      rows: shown.map((k) => [k, ...run.steps[k]!.p, run.steps[k]!.loss]),
      ...(shown.length < run.steps.length ? { caption: `${run.steps.length} rows; the first 20 and the last shown` } : {}),
    },
    { kind: 'paragraph', text: `Training ${stopMessage(run.stop)}.` },
  ];
  if (r.wrt.length === 2) {
    const [p, q] = [r.wrt[0]!, r.wrt[1]!];
    const [a, b] = [at.get(p)!, at.get(q)!];
    const spec: MountainData = {
      loss: r.text, params: [p, q], data, batch: [row], fixed: {}, x: [a - 3, a + 3], y: [b - 3, b + 3], start: [a, b], lr, steps,
    };
    descent.push({ kind: 'mountain', data: spec, caption: `${math(r.name)} over ${math(p)} and ${math(q)} (the other symbols at their values): drag to turn, click to start a descent.` });
  }
  const doc = gradDocument(r);
  return { ...doc, sections: [...doc.sections, checkSection, graphSection, { id: 'descent', heading: 'Gradient descent', blocks: descent }] };
}
