/**
 * The checks as a document (the model lessons write) and as an HTML page:
 * formulas with KaTeX, tables, and the step sweep as a log-log SVG plot.
 * Write the page with `writePages` (which copies the KaTeX assets beside it).
 *
 *   const html = await checkReportHtml({ gradient: checkGradient('x^2*y', { x: 3, y: 2 }) })
 *   await writePages('out', [{ file: 'check.html', html }])
 */
import { createDoc, type LessonDoc } from '../lesson/doc.ts';
import type { Document } from '../render/document.ts';
import { documentHtml } from '../render/html.ts';
import { linePlot } from '../render/plot.ts';
import { symbolTex } from '../expr/print.ts';
import type { ClaimResult } from './claim.ts';
import type { GradientCheck, Status } from './gradient-check.ts';
import type { ModelCheck } from './model.ts';
import type { StepSweep } from './sweep.ts';
import { pointText } from './format.ts';

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

const partial = (v: string): string => `\\frac{\\partial f}{\\partial ${symbolTex(v)}}`;
const statusCell = (s: Status): string => (s === 'pass' ? 'pass' : s === 'fail' ? 'FAIL' : 'kink (warning)');

function gradientSection(doc: LessonDoc, c: GradientCheck, heading: string): void {
  doc.section(heading);
  doc.text(`At ${pointText(c.point)}: ${c.method} differences with step $h = ${c.h}$ in ${c.precision === 'float32' ? 'single' : 'double'} precision; a partial derivative passes when $|\\text{numeric} - \\text{exact}| \\le ${c.atol} + ${c.rtol}\\,|\\text{exact}|$.`);
  doc.formula(`f = ${c.tex}`);
  for (const v of c.variables) doc.formula(`${partial(v.variable)} = ${v.derivative.tex}`);
  doc.table(
    ['', 'exact', 'central', 'forward', 'abs error', 'rel error', 'result'],
    c.variables.map((v) => [`$${partial(v.variable)}$`, v.exact, v.central, v.forward, v.absError, v.relError, statusCell(v.status)]),
    { digits: 8 },
  );
  for (const v of c.variables) {
    for (const w of v.kinks) doc.note(`Moving $${symbolTex(v.variable)}$ by $\\pm h$ moves the argument of ${w.fn} by up to ${w.reach.toExponential(1)}, and the point is ${w.distance.toExponential(1)} from its kink (${w.convention}). A finite difference across a kink averages two slopes, so a mismatch there is not a failure.`);
  }
}

function claimSection(doc: LessonDoc, r: ClaimResult): void {
  doc.section('Hand-derived derivatives');
  doc.formula(`f = ${r.tex}`);
  for (const c of r.claims) {
    doc.text(c.correct ? `Your $${partial(c.variable)}$ is right:` : `Your $${partial(c.variable)}$ is wrong:`);
    doc.formula(`\\text{claimed: } ${c.claim.tex}`);
    doc.formula(`\\text{exact: } ${c.exact.tex}`);
    if (!c.correct) {
      if (c.hint) doc.text(c.hint);
      doc.table(['point', 'exact', 'claimed', 'difference'], c.differing.slice(0, 8).map((p) => [pointText(p.point), p.exact, p.claimed, p.difference]), { caption: `They differ at ${c.differing.length} of ${c.points.length} points.` });
    }
  }
}

function sweepSection(doc: LessonDoc, s: StepSweep): void {
  doc.section(`Step sweep for $\\partial f/\\partial ${symbolTex(s.variable)}$${s.precision === 'float32' ? ' in single precision (float32)' : ''}`);
  doc.plot(linePlot({
    series: [
      { name: 'forward', points: s.rows.map((r) => [r.h, r.forwardError] as const) },
      { name: 'central', points: s.rows.map((r) => [r.h, r.centralError] as const) },
    ],
    xLabel: 'step h', yLabel: '|numeric − exact|', logX: true, logY: true, points: true,
  }), `Truncation error falls like $h$ (forward) and $h^2$ (central) as $h$ shrinks, until rounding error, about $\\varepsilon |f| / h$, takes over: the best steps here are $h = ${s.best.forward.h}$ (forward) and $h = ${s.best.central.h}$ (central).`);
  doc.table(['$h$', 'forward', 'forward error', 'central', 'central error'], s.rows.map((r) => [r.h, r.forward, r.forwardError, r.central, r.centralError]));
}

function modelSection(doc: LessonDoc, c: ModelCheck, heading: string): void {
  const s = c.summary;
  doc.section(heading);
  doc.text(`${c.model}: ${c.P} parameters, batch of ${c.N}, loss ${c.loss}. Checked ${c.mode === 'directions' ? `along ${s.checked} random unit directions (the directional derivative $g \\cdot v$ against a central difference along $v$), not each parameter` : `every parameter`}, in ${c.precision === 'float32' ? 'single' : 'double'} precision, $h = ${c.h}$. ${s.passed} passed, ${s.failed} failed, ${s.kinks} kink warnings; largest absolute error ${s.maxAbsError.toExponential(2)}.`);
  doc.table(['', 'exact', 'numeric', 'abs error', 'rel error', 'result'], c.worst.map((r) => [r.label, r.exact, r.numeric, r.absError, r.relError, statusCell(r.status)]), { caption: 'The worst records.', digits: 8 });
}

/**
 * The report as a document (render/document.ts), the same data a lesson
 * writes: render it with documentHtml, documentMarkdown or documentText.
 */
export async function checkReportDocument(report: CheckReport): Promise<Document> {
  const doc = createDoc({ out: null, title: 'downhill check', subtitle: 'Exact derivatives against finite differences' });
  if (report.gradient) gradientSection(doc, report.gradient, 'Exact versus finite differences');
  if (report.float32) gradientSection(doc, report.float32, 'The same in single precision (float32)');
  if (report.claim) claimSection(doc, report.claim);
  for (const s of report.sweeps ?? []) sweepSection(doc, s);
  if (report.model) modelSection(doc, report.model, 'Model gradient check');
  if (report.model32) modelSection(doc, report.model32, 'The same in single precision (float32)');
  return doc.document();
}

/** Renders the report as a full page (KaTeX formulas, SVG plots). */
export async function checkReportHtml(report: CheckReport): Promise<string> {
  return documentHtml(await checkReportDocument(report));
}
