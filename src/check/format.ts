/**
 * The checks as terminal text: tables aligned, numbers to a few digits, and
 * every failure said in words with what it is about.
 *
 *   console.log(formatGradientCheck(checkGradient('x^2*y', { x: 3, y: 2 })))
 *   // f = x^2*y at x = 3, y = 2 (f = 18)
 *   // central differences, h = 1e-6; pass when |numeric − exact| ≤ 1e-5 + 1e-3·|exact|
 *   // ...
 */
import { alignTable, formatCell } from '../render/table.ts';
import { asciiPlot } from './ascii-plot.ts';
import type { ClaimResult } from './claim.ts';
import type { GradientCheck, Status } from './gradient-check.ts';
import type { KinkWarning } from './kinks.ts';
import type { ModelCheck } from './model.ts';
import type { StepSweep } from './sweep.ts';

const num = (x: number): string => formatCell(x, 6);
const err = (x: number): string => formatCell(x, 2);

/** 'x = 3, y = 2' */
export function pointText(point: Readonly<Record<string, number>>): string {
  return Object.entries(point).map(([k, v]) => `${k} = ${num(v)}`).join(', ');
}

function statusText(s: Status): string {
  switch (s) {
    case 'pass': return 'pass';
    case 'fail': return 'FAIL';
    case 'kink': return 'kink (warning)';
  }
}

function kinkLine(w: KinkWarning, h: number, status: Status): string {
  const where = w.distance === 0 ? 'sits on' : `is ${err(w.distance)} from`;
  const verdict = status === 'pass' ? '(here they agreed anyway)' : 'so this mismatch is a warning, not a failure';
  return `warning: moving ${w.variable} by ±${err(h)} moves ${w.node} by up to ${err(w.reach)}, and it ${where} the kink of ${w.fn} (${w.convention}): a finite difference there straddles the kink and averages two slopes, ${verdict}.`;
}

function tolerance(atol: number, rtol: number): string {
  return `pass when |numeric − exact| ≤ ${err(atol)} + ${err(rtol)}·|exact|`;
}

/** The check of an expression, as a table with the derivative formulas and kink warnings. */
export function formatGradientCheck(c: GradientCheck): string {
  const lines = [
    `f = ${c.expression} at ${pointText(c.point)} (f = ${num(c.value)})`,
    `${c.method} differences, h = ${err(c.h)}, ${c.precision === 'float32' ? 'in single precision (float32)' : 'in double precision'}; ${tolerance(c.atol, c.rtol)}`,
    '',
    alignTable(
      ['', 'exact', 'central', 'forward', 'abs error', 'rel error', 'result'],
      c.variables.map((v) => [`∂f/∂${v.variable}`, num(v.exact), num(v.central), num(v.forward), err(v.absError), err(v.relError), statusText(v.status)]),
    ),
    '',
  ];
  for (const v of c.variables) lines.push(`∂f/∂${v.variable} = ${v.derivative.text}`);
  const warnings = c.variables.flatMap((v) => v.kinks.map((w) => kinkLine(w, c.h, v.status)));
  if (warnings.length > 0) lines.push('', ...warnings);
  const failed = c.variables.filter((v) => v.status === 'fail');
  lines.push('');
  const kinks = c.variables.filter((v) => v.status === 'kink').length;
  if (failed.length === 0) {
    lines.push(kinks === 0
      ? `all ${c.variables.length} partial derivatives agree with the ${c.method} differences`
      : `no failure: ${c.variables.length - kinks} agree, ${kinks} differ across a kink (warning)`);
  } else {
    for (const v of failed) {
      lines.push(`FAIL ∂f/∂${v.variable}: exact ${num(v.exact)}, ${c.method} difference ${num(v.numeric)}, off by ${err(v.absError)} (tolerance ${err(v.tolerance)})`);
    }
    if (c.precision === 'float32') lines.push('(single precision: rounding errors near 1e-7·|f|/h swamp the difference; double precision is why gradient checks use float64)');
  }
  return lines.join('\n');
}

/** A claim check: right or wrong per variable, and when wrong the exact formula and the points where they differ. */
export function formatClaim(r: ClaimResult): string {
  const lines = [`f = ${r.expression}`, ''];
  for (const c of r.claims) {
    const n = c.points.length;
    if (c.correct) {
      lines.push(`∂f/∂${c.variable}: your ${c.claim.text} is right (agrees with the exact ${c.exact.text} at ${n} point${n === 1 ? '' : 's'})`);
      continue;
    }
    lines.push(`∂f/∂${c.variable}: your ${c.claim.text} is WRONG`);
    lines.push(`  exact: ∂f/∂${c.variable} = ${c.exact.text}`);
    if (c.hint) lines.push(`  ${c.hint}`);
    lines.push(`  they differ at ${c.differing.length} of ${n} points:`);
    const shown = c.differing.slice(0, 5);
    const table = alignTable(['point', 'exact', 'claimed', 'difference'], shown.map((p) => [pointText(p.point), num(p.exact), num(p.claimed), err(p.difference)]));
    lines.push(...table.split('\n').map((l) => `  ${l}`));
    if (c.skipped > 0) lines.push(`  (${c.skipped} points skipped: one of the two is not a finite number there)`);
  }
  lines.push('', r.pass ? 'every claim is right' : `${r.claims.filter((c) => !c.correct).length} of ${r.claims.length} claims are wrong`);
  return lines.join('\n');
}

/** A step sweep: the table, the terminal plot and the best steps. */
export function formatSweep(s: StepSweep): string {
  const lines = [
    `∂f/∂${s.variable} at ${pointText(s.point)}: exact ${num(s.exact)}${s.precision === 'float32' ? ' (differences in float32)' : ''}`,
    '',
    alignTable(['h', 'forward', 'error', 'central', 'error'], s.rows.map((r) => [err(r.h), num(r.forward), err(r.forwardError), num(r.central), err(r.centralError)])),
    '',
    asciiPlot([
      { name: 'forward (f(x+h) − f(x))/h', marker: 'f', points: s.rows.map((r) => [r.h, r.forwardError] as const) },
      { name: 'central (f(x+h) − f(x−h))/2h', marker: 'c', points: s.rows.map((r) => [r.h, r.centralError] as const) },
    ], { xLabel: 'step h', yLabel: '|error|' }),
    '',
    `best step: forward h = ${err(s.best.forward.h)} (error ${err(s.best.forward.error)}), central h = ${err(s.best.central.h)} (error ${err(s.best.central.error)})`,
    `right of the best step the truncation error shrinks with h (forward ∝ h, central ∝ h²); left of it rounding error grows like ε/h (ε = ${err(s.theory.epsilon)}); rule of thumb: h ≈ √ε = ${err(s.theory.forward)} forward, ∛ε = ${err(s.theory.central)} central`,
  ];
  return lines.join('\n');
}

/** A model check: a summary and the worst parameters (or directions). */
export function formatModelCheck(c: ModelCheck): string {
  const how = c.mode === 'directions'
    ? `along ${c.summary.checked} random unit directions v (fast mode: the directional derivative g·v against (L(p + hv) − L(p − hv))/2h, not each parameter)`
    : `each of the ${c.P} parameters`;
  const lines = [
    `model ${c.model}: ${c.P} parameters, batch of ${c.N}, loss ${num(c.loss)}${c.engine === 'matrix' ? ', gradient from the matrix engine' : ''}`,
    `checked ${how}, central differences, h = ${err(c.h)}${c.precision === 'float32' ? ', in single precision (float32)' : ''}; ${tolerance(c.atol, c.rtol)}`,
    '',
    `worst ${Math.min(c.worst.length, c.records.length)}:`,
    alignTable(['', 'exact', 'numeric', 'abs error', 'rel error', 'result'], c.worst.map((r) => [r.label, num(r.exact), num(r.numeric), err(r.absError), err(r.relError), statusText(r.status)])),
    '',
  ];
  const warned = c.records.filter((r) => r.status === 'kink');
  for (const r of warned.slice(0, 5)) for (const w of r.kinks.slice(0, 1)) lines.push(kinkLine(w, c.h, r.status));
  if (warned.length > 0) lines.push('');
  const s = c.summary;
  lines.push(`${s.passed} passed, ${s.failed} failed, ${s.kinks} kink warnings; largest abs error ${err(s.maxAbsError)}, largest rel error ${err(s.maxRelError)}`);
  return lines.join('\n');
}
