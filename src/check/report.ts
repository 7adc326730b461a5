/**
 * The checks as an HTML page: formulas with KaTeX, tables, and the step
 * sweep as a log-log SVG plot. Write it with `writePages` (which copies the
 * KaTeX assets beside it).
 *
 *   const html = await checkReportHtml({ gradient: checkGradient('x^2*y', { x: 3, y: 2 }) })
 *   await writePages('out', [{ file: 'check.html', html }])
 */
import { formulaBlock, numericTable, paragraph, figure, renderPage, type Section, type TableCell } from '../render/page.ts';
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
const statusCell = (s: Status): TableCell => (s === 'pass' ? 'pass' : s === 'fail' ? { html: '<strong class="bad">FAIL</strong>' } : 'kink (warning)');

function gradientSection(c: GradientCheck, heading: string): Section {
  const html = [
    paragraph(`At ${pointText(c.point)}: ${c.method} differences with step $h = ${c.h}$ in ${c.precision === 'float32' ? 'single' : 'double'} precision; a partial derivative passes when $|\\text{numeric} - \\text{exact}| \\le ${c.atol} + ${c.rtol}\\,|\\text{exact}|$.`),
    formulaBlock(`f = ${c.tex}`),
    ...c.variables.map((v) => formulaBlock(`${partial(v.variable)} = ${v.derivative.tex}`)),
    numericTable(
      ['', 'exact', 'central', 'forward', 'abs error', 'rel error', 'result'],
      c.variables.map((v) => [{ tex: partial(v.variable) }, v.exact, v.central, v.forward, v.absError, v.relError, statusCell(v.status)]),
      { digits: 8 },
    ),
    ...c.variables.flatMap((v) => v.kinks.map((w) => paragraph(`Warning: moving $${symbolTex(v.variable)}$ by $\\pm h$ moves the argument of ${w.fn} by up to ${w.reach.toExponential(1)}, and the point is ${w.distance.toExponential(1)} from its kink (${w.convention}). A finite difference across a kink averages two slopes, so a mismatch there is not a failure.`))),
  ];
  return { heading, html };
}

function claimSection(r: ClaimResult): Section {
  const html: string[] = [formulaBlock(`f = ${r.tex}`)];
  for (const c of r.claims) {
    html.push(paragraph(c.correct ? `Your $${partial(c.variable)}$ is right:` : `Your $${partial(c.variable)}$ is wrong:`));
    html.push(formulaBlock(`\\text{claimed: } ${c.claim.tex}`), formulaBlock(`\\text{exact: } ${c.exact.tex}`));
    if (!c.correct) {
      if (c.hint) html.push(paragraph(c.hint));
      html.push(numericTable(['point', 'exact', 'claimed', 'difference'], c.differing.slice(0, 8).map((p) => [pointText(p.point), p.exact, p.claimed, p.difference]), { caption: `They differ at ${c.differing.length} of ${c.points.length} points.` }));
    }
  }
  return { heading: 'Hand-derived derivatives', html };
}

async function sweepSection(s: StepSweep): Promise<Section> {
  const svg = await linePlot({
    series: [
      { name: 'forward', points: s.rows.map((r) => [r.h, r.forwardError] as const) },
      { name: 'central', points: s.rows.map((r) => [r.h, r.centralError] as const) },
    ],
    xLabel: 'step h', yLabel: '|numeric − exact|', logX: true, logY: true, points: true,
  });
  return {
    heading: `Step sweep for ∂f/∂${s.variable}${s.precision === 'float32' ? ' in single precision (float32)' : ''}`,
    html: [
      figure(svg, `Truncation error falls like $h$ (forward) and $h^2$ (central) as $h$ shrinks, until rounding error, about $\\varepsilon |f| / h$, takes over: the best steps here are $h = ${s.best.forward.h}$ (forward) and $h = ${s.best.central.h}$ (central).`),
      numericTable(['h', 'forward', 'forward error', 'central', 'central error'], s.rows.map((r) => [r.h, r.forward, r.forwardError, r.central, r.centralError]), { digits: 6 }),
    ],
  };
}

function modelSection(c: ModelCheck, heading: string): Section {
  const s = c.summary;
  return {
    heading,
    html: [
      paragraph(`${c.model}: ${c.P} parameters, batch of ${c.N}, loss ${c.loss}. Checked ${c.mode === 'directions' ? `along ${s.checked} random unit directions (the directional derivative $g \\cdot v$ against a central difference along $v$), not each parameter` : `every parameter`}, in ${c.precision === 'float32' ? 'single' : 'double'} precision, $h = ${c.h}$. ${s.passed} passed, ${s.failed} failed, ${s.kinks} kink warnings; largest absolute error ${s.maxAbsError.toExponential(2)}.`),
      numericTable(['', 'exact', 'numeric', 'abs error', 'rel error', 'result'], c.worst.map((r) => [r.label, r.exact, r.numeric, r.absError, r.relError, statusCell(r.status)]), { caption: 'The worst records.', digits: 8 }),
    ],
  };
}

/** Renders the report as a full page (KaTeX formulas, SVG plots). */
export async function checkReportHtml(report: CheckReport): Promise<string> {
  const sections: Section[] = [];
  if (report.gradient) sections.push(gradientSection(report.gradient, 'Exact versus finite differences'));
  if (report.float32) sections.push(gradientSection(report.float32, 'The same in single precision (float32)'));
  if (report.claim) sections.push(claimSection(report.claim));
  for (const s of report.sweeps ?? []) sections.push(await sweepSection(s));
  if (report.model) sections.push(modelSection(report.model, 'Model gradient check'));
  if (report.model32) sections.push(modelSection(report.model32, 'The same in single precision (float32)'));
  return renderPage({ title: 'downhill check', subtitle: 'Exact derivatives against finite differences', sections, css: '.bad { color: var(--bad); }' });
}
