/**
 * A check report as a document (render/document.ts), written once and
 * rendered like a lesson: terminal text (render/terminal.ts), an HTML page
 * with KaTeX and SVG plots (render/html.ts), or Markdown.
 *
 *   console.log(checkReportText({ gradient: checkGradient('x^2*y', { x: 3, y: 2 }) }))
 *   const html = await checkReportHtml({ gradient: checkGradient('x^2*y', { x: 3, y: 2 }) })
 *   await writePages('out', [{ file: 'check.html', html }])   // copies the KaTeX assets beside it
 *
 * Numbers stay numbers in tables (values to 6 significant digits, errors to
 * 2); in prose they are written as TeX, so every medium shows 1 × 10⁻⁶ alike.
 */
import { symbolTex } from '../expr/print.ts';
import { texNumber } from '../expr/number.ts';
import type { Block, Document, Section } from '../render/document.ts';
import { documentHtml } from '../render/html.ts';
import { linePlot } from '../render/plot.ts';
import { documentText } from '../render/terminal.ts';
import { asciiPlot } from './ascii-plot.ts';
import type { ClaimResult } from './claim.ts';
import type { GradientCheck, Status } from './gradient-check.ts';
import type { KinkWarning } from './kinks.ts';
import type { ModelCheck } from './model-check.ts';
import type { StepSweep } from './sweep.ts';

/** What a report holds; every part optional. */
export interface CheckReport {
  readonly gradient?: GradientCheck;
  /** The same check repeated in single precision. */
  readonly float32?: GradientCheck;
  readonly claim?: ClaimResult;
  readonly sweeps?: readonly StepSweep[];
  readonly model?: ModelCheck;
  readonly model32?: ModelCheck;
}

/** Options of `checkDocument`. */
export interface CheckDocumentOptions {
  /** The SVG plot of each sweep (by position in `report.sweeps`); a sweep without one gets a text plot. */
  readonly sweepPlots?: readonly string[];
  /** A remark on the float32 model check (e.g. why it ran along directions). */
  readonly model32Note?: string;
  /** A remark on the model check (e.g. why it ran along directions). */
  readonly modelNote?: string;
}

const num = (x: number): string => `$${texNumber(x, 6)}$`;
const err = (x: number): string => `$${texNumber(x, 2)}$`;
const partial = (v: string): string => `\\frac{\\partial f}{\\partial ${symbolTex(v)}}`;
const precisionText = (p: 'float64' | 'float32'): string => (p === 'float32' ? 'in single precision (float32)' : 'in double precision');
/** Significant digits of a check table's columns: 2 for errors and steps, 6 for values. */
const digits = (errorColumns: readonly number[], columns: number): number[] =>
  Array.from({ length: columns }, (_, c) => (errorColumns.includes(c) ? 2 : 6));

/** 'x = 3, y = 2' as TeX. */
function pointTex(point: Readonly<Record<string, number>>): string {
  return Object.entries(point).map(([k, v]) => `${symbolTex(k)} = ${texNumber(v, 6)}`).join(', ');
}

function statusText(s: Status): string {
  switch (s) {
    case 'pass': return 'pass';
    case 'fail': return 'FAIL';
    case 'kink': return 'kink (warning)';
  }
}

function kinkNote(w: KinkWarning, h: number, status: Status): Block {
  const where = w.distance === 0 ? 'sits on' : `is ${err(w.distance)} from`;
  const verdict = status === 'pass' ? '(here they agreed anyway)' : 'so this mismatch is a warning, not a failure';
  return { kind: 'note', text: `moving ${w.variable} by $\\pm ${texNumber(h, 2)}$ moves ${w.node} by up to ${err(w.reach)}, and it ${where} the kink of ${w.fn} (${w.convention}): a finite difference there straddles the kink and averages two slopes, ${verdict}.` };
}

function tolerance(atol: number, rtol: number): string {
  return `pass when $|\\text{numeric} - \\text{exact}| \\le ${texNumber(atol, 2)} + ${texNumber(rtol, 2)} \\cdot |\\text{exact}|$`;
}

function gradientSection(c: GradientCheck, heading: string): Section {
  const blocks: Block[] = [
    { kind: 'paragraph', text: `$f = ${c.tex}$ at $${pointTex(c.point)}$ ($f = ${texNumber(c.value, 6)}$)` },
    { kind: 'paragraph', text: `${c.method} differences, $h = ${texNumber(c.h, 2)}$, ${precisionText(c.precision)}; ${tolerance(c.atol, c.rtol)}` },
    {
      kind: 'table',
      headers: ['', 'exact', 'central', 'forward', 'abs error', 'rel error', 'result'],
      rows: c.variables.map((v) => [`$${partial(v.variable)}$`, v.exact, v.central, v.forward, v.absError, v.relError, statusText(v.status)]),
      digits: digits([4, 5], 7),
    },
    ...c.variables.map((v): Block => ({ kind: 'formula', tex: `${partial(v.variable)} = ${v.derivative.tex}` })),
    ...c.variables.flatMap((v) => v.kinks.map((w) => kinkNote(w, c.h, v.status))),
  ];
  const failed = c.variables.filter((v) => v.status === 'fail');
  const kinks = c.variables.filter((v) => v.status === 'kink').length;
  if (failed.length === 0) {
    blocks.push({ kind: 'paragraph', text: kinks === 0
      ? `all ${c.variables.length} partial derivatives agree with the ${c.method} differences`
      : `no failure: ${c.variables.length - kinks} agree, ${kinks} differ across a kink (warning)` });
  } else {
    for (const v of failed) {
      blocks.push({ kind: 'paragraph', text: `FAIL $${partial(v.variable)}$: exact ${num(v.exact)}, ${c.method} difference ${num(v.numeric)}, off by ${err(v.absError)} (tolerance ${err(v.tolerance)})` });
    }
    if (c.precision === 'float32') blocks.push({ kind: 'note', text: 'single precision: rounding errors near $10^{-7} |f| / h$ swamp the difference; double precision is why gradient checks use float64' });
  }
  return { heading, blocks };
}

function claimSection(r: ClaimResult): Section {
  const blocks: Block[] = [{ kind: 'formula', tex: `f = ${r.tex}` }];
  for (const c of r.claims) {
    const n = c.points.length;
    if (c.correct) {
      blocks.push({ kind: 'paragraph', text: `your $${partial(c.variable)} = ${c.claim.tex}$ is right (agrees with the exact one at ${n} point${n === 1 ? '' : 's'})` });
      continue;
    }
    blocks.push(
      { kind: 'paragraph', text: `your $${partial(c.variable)} = ${c.claim.tex}$ is WRONG; exact:` },
      { kind: 'formula', tex: `${partial(c.variable)} = ${c.exact.tex}` },
    );
    if (c.hint) blocks.push({ kind: 'paragraph', text: c.hint });
    blocks.push({
      kind: 'table',
      caption: `they differ at ${c.differing.length} of ${n} points${c.differing.length > 5 ? ` (5 of ${c.differing.length} shown)` : ''}:`,
      headers: ['point', 'exact', 'claimed', 'difference'],
      rows: c.differing.slice(0, 5).map((p) => [`$${pointTex(p.point)}$`, p.exact, p.claimed, p.difference]),
      digits: digits([3], 4),
    });
    if (c.skipped > 0) blocks.push({ kind: 'paragraph', text: `(${c.skipped} points skipped: one of the two is not a finite number there)` });
  }
  blocks.push({ kind: 'paragraph', text: r.pass ? 'every claim is right' : `${r.claims.filter((c) => !c.correct).length} of ${r.claims.length} claims are wrong` });
  return { heading: 'Hand-derived derivatives', blocks };
}

function sweepSection(s: StepSweep, svg: string | undefined): Section {
  const series = [
    { name: 'forward (f(x+h) − f(x))/h', marker: 'f', points: s.rows.map((r) => [r.h, r.forwardError] as const) },
    { name: 'central (f(x+h) − f(x−h))/2h', marker: 'c', points: s.rows.map((r) => [r.h, r.centralError] as const) },
  ];
  const caption = `Truncation error falls like $h$ (forward) and $h^2$ (central) as $h$ shrinks, until rounding error, about $\\varepsilon |f| / h$, takes over.`;
  return {
    heading: `Step sweep for $${partial(s.variable)}$${s.precision === 'float32' ? ' in single precision (float32)' : ''}`,
    blocks: [
      { kind: 'paragraph', text: `at $${pointTex(s.point)}$: exact ${num(s.exact)}` },
      {
        kind: 'table',
        headers: ['h', 'forward', 'error', 'central', 'error'],
        rows: s.rows.map((r) => [r.h, r.forward, r.forwardError, r.central, r.centralError]),
        digits: digits([0, 2, 4], 5),
      },
      svg === undefined
        ? { kind: 'code', text: asciiPlot(series, { xLabel: 'step h', yLabel: '|error|' }) }
        : { kind: 'plot', svg, caption },
      { kind: 'paragraph', text: `best step: forward $h = ${texNumber(s.best.forward.h, 2)}$ (error ${err(s.best.forward.error)}), central $h = ${texNumber(s.best.central.h, 2)}$ (error ${err(s.best.central.error)})` },
      { kind: 'paragraph', text: `right of the best step the truncation error shrinks with $h$ (forward $\\propto h$, central $\\propto h^2$); left of it rounding error grows like $\\varepsilon / h$ ($\\varepsilon = ${texNumber(s.theory.epsilon, 2)}$); rule of thumb: $h \\approx \\sqrt{\\varepsilon} = ${texNumber(s.theory.forward, 2)}$ forward, $\\sqrt[3]{\\varepsilon} = ${texNumber(s.theory.central, 2)}$ central` },
    ],
  };
}

function modelSection(c: ModelCheck, heading: string, note: string | undefined): Section {
  const how = c.mode === 'directions'
    ? `along ${c.summary.checked} random unit directions $v$ (fast mode: the directional derivative $g \\cdot v$ against $(L(p + hv) - L(p - hv)) / 2h$, not each parameter)`
    : `each of the ${c.P} parameters`;
  const s = c.summary;
  const warned = c.records.filter((r) => r.status === 'kink');
  return {
    heading,
    blocks: [
      ...(note === undefined ? [] : [{ kind: 'note', text: note } as const]),
      { kind: 'paragraph', text: `model ${c.model}: ${c.P} parameters, batch of ${c.N}, loss ${num(c.loss)}${c.engine === 'matrix' ? ', gradient from the matrix engine' : ''}` },
      { kind: 'paragraph', text: `checked ${how}, central differences, $h = ${texNumber(c.h, 2)}$${c.precision === 'float32' ? ', in single precision (float32)' : ''}; ${tolerance(c.atol, c.rtol)}` },
      {
        kind: 'table',
        caption: `worst ${Math.min(c.worst.length, c.records.length)}:`,
        headers: ['', 'exact', 'numeric', 'abs error', 'rel error', 'result'],
        rows: c.worst.map((r) => [r.label, r.exact, r.numeric, r.absError, r.relError, statusText(r.status)]),
        digits: digits([3, 4], 6),
      },
      ...warned.slice(0, 5).flatMap((r) => r.kinks.slice(0, 1).map((w) => kinkNote(w, c.h, r.status))),
      { kind: 'paragraph', text: `${s.passed} passed, ${s.failed} failed, ${s.kinks} kink warnings; largest abs error ${err(s.maxAbsError)}, largest rel error ${err(s.maxRelError)}` },
    ],
  };
}

/** The report as a document: one section per check it holds. */
export function checkDocument(report: CheckReport, options: CheckDocumentOptions = {}): Document {
  const sections: Section[] = [];
  if (report.gradient) sections.push(gradientSection(report.gradient, 'Exact versus finite differences'));
  if (report.float32) sections.push(gradientSection(report.float32, 'The same in single precision (float32)'));
  if (report.claim) sections.push(claimSection(report.claim));
  (report.sweeps ?? []).forEach((s, k) => sections.push(sweepSection(s, options.sweepPlots?.[k])));
  if (report.model) sections.push(modelSection(report.model, 'Model gradient check', options.modelNote));
  if (report.model32) sections.push(modelSection(report.model32, 'The same in single precision (float32)', options.model32Note));
  return { title: 'downhill check', subtitle: 'Exact derivatives against finite differences', sections };
}

/** The report as terminal text (sweeps plotted in text). */
export function checkReportText(report: CheckReport, options: Omit<CheckDocumentOptions, 'sweepPlots'> = {}): string {
  return documentText(checkDocument(report, options));
}

/** The report as a full HTML page (KaTeX formulas, log-log SVG plots of the sweeps). */
export async function checkReportHtml(report: CheckReport, options: Omit<CheckDocumentOptions, 'sweepPlots'> = {}): Promise<string> {
  const sweepPlots = await Promise.all((report.sweeps ?? []).map((s) => linePlot({
    series: [
      { name: 'forward', points: s.rows.map((r) => [r.h, r.forwardError] as const) },
      { name: 'central', points: s.rows.map((r) => [r.h, r.centralError] as const) },
    ],
    xLabel: 'step h', yLabel: '|numeric − exact|', logX: true, logY: true, points: true,
  })));
  return documentHtml(checkDocument(report, { ...options, sweepPlots }));
}
