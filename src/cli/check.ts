/**
 * `downhill check "<expression>" --at x=1,y=2 [--wrt x,y] [--claim "x: ..."] [--sweep]`
 * `downhill check --model <id | description> [--directions k]`
 *
 * Exact derivatives against finite differences, hand-derived derivatives
 * against exact ones, the step sweep, and whole networks. A thin layer over
 * src/check/. Exit code 0 when every check passes, 1 when a gradient or a
 * claim is wrong, 2 on bad input.
 */
import { basename, dirname } from 'node:path';
import { DownhillError } from '../errors.ts';
import { parseExpression } from '../expr/parse.ts';
import { refuseProgram } from '../expr/program.ts';
import { symbolsOf } from '../expr/node.ts';
import { checkPagesFolder, writePages } from '../render/page.ts';
import { checkGradient, type CheckOptions, type GradientCheck, type Method } from '../check/gradient-check.ts';
import { checkClaim, hiddenClaims, type ClaimResult } from '../check/claim.ts';
import { stepSweep, type StepSweep } from '../check/sweep.ts';
import { layeredReferences, loadModel } from '../nn/load.ts';
import { isLayeredSpec, layeredMultiplyAdds, parseLayeredSpec, parseNetworkSpec, SPEC_GRAMMAR, type LayeredSpec } from '../nn/spec.ts';
import { parameterCount } from '../nn/dense.ts';
import { colourVerdicts } from '../render/width.ts';
import { checkModel, type ModelCheck } from '../check/model-check.ts';
import { checkReportHtml, checkReportText, type CheckDocumentOptions } from '../check/document.ts';
import { parseBounded, parseFlags, parseNameList, parsePoint } from './args.ts';
import { checkCheckWork, checkDerivativeCount, checkModelSize, MAX_CHECK_WORK } from '../limits.ts';

const help = `usage: downhill check "<expression>" --at x=1,y=2 [flags]
       downhill check --model <id | description> [flags]

  --at x=1,y=2       the point (a value for every symbol)
  --wrt x,y          variables to check (default: every symbol)
  --claim "x: 2*x*y, y: x^2"
                     check hand-derived derivatives against the exact ones,
                     at the point and at random points near it
  --hide-answer      with --claim: the practice checker's verdict and the kind of
                     mistake, never the exact derivative (for learners)
  --sweep            errors of forward and central differences for steps 1e-1 … 1e-12
  --model <m>        check a network: a reference model (seed3, xor9, iris67,
                     mlp321, mlp1153, deep1249, conv11738, attn4228) or a
                     description such as 2-3-1:tanh:sigmoid:mse (sizes, hidden and
                     output activation, loss; the grammar is below), with random
                     weights and data
  --seed <n>         seed of a description's weights and data (default 42)
  --batch <n>        batch size of a description (default 8)
  --directions <k>   check along k random directions instead of every parameter
                     (default: every parameter, or 20 directions when checking
                     every parameter would pass the work limit of one call)
  --engine <e>       with --model: whose gradient to check, scalar (one symbol
                     per weight; the default for dense networks) or matrix (the
                     layer-level engine; the default with images or sequences)
  --worst <k>        how many of the worst parameters to list (default 10)
  --h <step>         finite-difference step (default 1e-6)
  --atol <a>         absolute tolerance (default 1e-5)
  --rtol <r>         relative tolerance (default 1e-3)
  --method <m>       central (default) or forward
  --float32          repeat the check in single precision, to show its larger error
                     (shown only: the exit code comes from the double-precision check)
  --json             one JSON object instead of text
  --html <file>      also write a report page (KaTeX formulas, the sweep plot)

Exit code: 0 when every check passes, 1 when a gradient or claim is wrong, 2 on bad input.

${SPEC_GRAMMAR}`;

/** Everything one run computed, printed as text or JSON. */
interface Outcome {
  gradient?: GradientCheck;
  float32?: GradientCheck;
  claim?: ClaimResult;
  sweeps?: StepSweep[];
  model?: ModelCheck;
  model32?: ModelCheck;
  pass: boolean;
}

/** Random directions checked when checking every parameter would pass the work limit. */
const AUTO_DIRECTIONS = 20;

/** Above this many parameters, the float32 repeat of a model check goes along random directions (it is interpreted, not compiled). */
const FLOAT32_PARAMETER_LIMIT = 400;

/**
 * The directions a model check goes along (undefined: every parameter) for P parameters, N samples and a loss
 * evaluation costing `cost` per sample (about max(P, multiply-adds per sample)): `asked`, or AUTO_DIRECTIONS when
 * checking every parameter would pass the limit of one call; throws when even those pass it (limits.ts checkCheckWork),
 * in float32 too when asked (its repeat goes along 10 directions when there are many parameters: see run).
 */
function plannedDirections(P: number, N: number, cost: number, asked: number | undefined, float32: boolean): { directions: number | undefined; everyParameter: number } {
  const everyParameter = 2 * P * cost * N;
  const directions = asked ?? (everyParameter > MAX_CHECK_WORK ? AUTO_DIRECTIONS : undefined);
  checkCheckWork(directions ?? P, P, N, false, cost);
  if (float32) checkCheckWork(directions ?? (P > FLOAT32_PARAMETER_LIMIT ? 10 : P), P, N, true, cost);
  return { directions, everyParameter };
}

/** The parameters and the cost per sample of a model given by description (`784-30-10`), read from the description alone; undefined for a reference id. */
function describedSize(model: string): { P: number; cost: number } | undefined {
  const text = model.trim();
  if (!/^\d/.test(text)) return undefined;
  if (isLayeredSpec(text)) {
    const spec = parseLayeredSpec(text);
    return { P: spec.P, cost: Math.max(spec.P, layeredMultiplyAdds(spec)) };
  }
  const P = parameterCount(parseNetworkSpec(text).layers);
  return { P, cost: P };
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    at: { type: 'string' }, wrt: { type: 'string' }, claim: { type: 'string' }, sweep: { type: 'boolean' },
    model: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' }, directions: { type: 'string' }, worst: { type: 'string' }, engine: { type: 'string' },
    h: { type: 'string' }, atol: { type: 'string' }, rtol: { type: 'string' }, method: { type: 'string' },
    float32: { type: 'boolean' }, json: { type: 'boolean' }, html: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    'hide-answer': { type: 'boolean' },
  }, 1);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const method = values.method ?? 'central';
  if (method !== 'central' && method !== 'forward') throw new DownhillError(`--method must be central or forward, got "${method}"`);
  const options: CheckOptions = {
    ...(values.h === undefined ? {} : { h: parseBounded(values.h, '--h', { min: 0, exclusiveMin: true, max: 1 }) }),
    ...(values.atol === undefined ? {} : { atol: parseBounded(values.atol, '--atol', { min: 0 }) }),
    ...(values.rtol === undefined ? {} : { rtol: parseBounded(values.rtol, '--rtol', { min: 0 }) }),
    method: method satisfies Method,
  };
  if (values.html !== undefined && values.html.trim() === '') throw new DownhillError('--html needs a file name');
  if (values.html !== undefined && !/\.html?$/i.test(values.html)) throw new DownhillError(`--html: "${values.html}" should end in .html`);
  // The report's folder is checked before the work (a file of the user's where KaTeX's go, a read-only folder).
  if (values.html !== undefined) await checkPagesFolder(dirname(values.html), [{ file: basename(values.html) }]);

  if (values['hide-answer']) {
    if (values.claim === undefined) throw new DownhillError('--hide-answer goes with --claim: downhill check "x^2" --at x=1 --claim "x: 2*x" --hide-answer');
    const stray = (['model', 'sweep', 'float32', 'html', 'wrt'] as const).filter((k) => values[k] !== undefined);
    if (stray.length > 0) throw new DownhillError(`--hide-answer checks claims only: drop ${stray.map((k) => `--${k}`).join(', ')}`);
    const exprText = positionals[0];
    if (exprText === undefined) throw new DownhillError('missing expression: downhill check "x^2*y" --at x=3,y=2 --claim "x: 2*x*y" --hide-answer');
    refuseProgram(exprText, 'check');
    if (values.at === undefined) throw new DownhillError('--at is needed: the point to check at, e.g. --at x=1,y=2');
    const hidden = hiddenClaims(parseExpression(exprText), values.claim, parsePoint(values.at, '--at'));
    process.stdout.write(values.json
      ? `${JSON.stringify({ ...hidden, expression: exprText }, null, 2)}\n`
      : `${hidden.claims.map((c) => `∂/∂${c.variable}: ${c.correct ? '✔ right' : `✘ ${c.hint}`}`).join('\n')}\n`);
    return hidden.pass ? 0 : 1;
  }

  const outcome: Outcome = { pass: true };
  let reportOptions: CheckDocumentOptions = {};
  if (values.model !== undefined) {
    const stray = (['at', 'wrt', 'claim', 'sweep'] as const).filter((k) => values[k] !== undefined);
    if (positionals.length > 0 || stray.length > 0) {
      throw new DownhillError(`--model checks a network: drop ${positionals.length > 0 ? 'the expression' : stray.map((k) => `--${k}`).join(', ')}`);
    }
    if (method === 'forward') throw new DownhillError('--model uses central differences; drop --method forward');
    const layered = isLayeredSpec(values.model) || Object.hasOwn(layeredReferences, values.model.trim());
    const engine = values.engine ?? (layered ? 'matrix' : 'scalar');
    if (engine !== 'scalar' && engine !== 'matrix') throw new DownhillError(`--engine must be scalar or matrix, got "${engine}"`);
    checkModelSize(values.model, '--model', engine);
    const seed = values.seed === undefined ? undefined : parseBounded(values.seed, '--seed', { integer: true, min: 0, max: 2 ** 32 - 1 });
    const N = values.batch === undefined ? undefined : parseBounded(values.batch, '--batch', { integer: true, min: 1, max: 100_000 });
    const directionsFlag = (): number | undefined => (values.directions === undefined ? undefined : parseBounded(values.directions, '--directions', { integer: true, min: 1, max: 10_000 }));
    // A description with a --batch too large is refused before its model is built and its samples drawn (a second for 100,000).
    const described = describedSize(values.model);
    if (described !== undefined && N !== undefined) plannedDirections(described.P, N, described.cost, directionsFlag(), values.float32 === true);
    const m = loadModel(values.model, { ...(seed === undefined ? {} : { seed }), ...(N === undefined ? {} : { N }) });
    const asked = directionsFlag();
    const worst = values.worst === undefined ? 10 : parseBounded(values.worst, '--worst', { integer: true, min: 1, max: 100_000 });
    const cost = 'layered' in m && m.layered ? Math.max(m.params.length, layeredMultiplyAdds(m.layered as LayeredSpec)) : m.params.length;
    const { directions, everyParameter } = plannedDirections(m.params.length, m.N, cost, asked, values.float32 === true);
    if (asked === undefined && directions !== undefined) {
      reportOptions = { modelNote: `${m.params.length.toLocaleString('en')} parameters: checked along ${directions} random directions, as checking each parameter (${everyParameter.toExponential(1)} operations) would pass the limit of one call; --directions k to choose` };
    }
    // checkModel takes no method (its differences are central): the flags' other options.
    const { method: _method, ...common } = options;
    const modelOptions = { ...common, worst, engine, ...(directions === undefined ? {} : { directions }) } as const;
    outcome.model = checkModel(m, modelOptions);
    outcome.pass = outcome.model.pass;
    if (values.float32) {
      const fast = directions === undefined && m.params.length > FLOAT32_PARAMETER_LIMIT;
      outcome.model32 = checkModel(m, { ...modelOptions, precision: 'float32', ...(fast ? { directions: 10 } : {}) });
      if (fast) reportOptions = { ...reportOptions, model32Note: `${m.params.length} parameters: along 10 random directions, as float32 evaluation is interpreted` };
    }
  } else {
    const exprText = positionals[0];
    if (exprText === undefined) throw new DownhillError('missing expression: downhill check "x^2*y" --at x=3,y=2 (or --model xor9)');
    refuseProgram(exprText, 'check');
    for (const k of ['seed', 'batch', 'directions', 'worst', 'engine'] as const) if (values[k] !== undefined) throw new DownhillError(`--${k} goes with --model`);
    if (values.at === undefined) throw new DownhillError('--at is needed: the point to check at, e.g. --at x=1,y=2');
    const expr = parseExpression(exprText);
    const at = parsePoint(values.at, '--at');
    const wrt = values.wrt === undefined ? undefined : parseNameList(values.wrt, '--wrt');
    checkDerivativeCount((wrt ?? symbolsOf([expr])).length, 'check some of the variables with --wrt');
    const withWrt: CheckOptions = { ...options, ...(wrt === undefined ? {} : { wrt }) };
    if (values.claim !== undefined) {
      const claim = { ...checkClaim(expr, values.claim, at), expression: exprText };
      outcome.claim = claim;
      outcome.pass = claim.pass;
    } else {
      outcome.gradient = checkGradient(expr, at, withWrt);
      outcome.gradient = { ...outcome.gradient, expression: exprText };
      outcome.pass = outcome.gradient.pass;
      if (values.float32) {
        outcome.float32 = { ...checkGradient(expr, at, { ...withWrt, precision: 'float32' }), expression: exprText };
      }
    }
    if (values.sweep) {
      const vars = wrt ?? symbolsOf([expr]);
      const precisions = values.float32 ? (['float64', 'float32'] as const) : (['float64'] as const);
      outcome.sweeps = vars.flatMap((v) => precisions.map((precision) => ({ ...stepSweep(expr, at, v, { precision }), expression: exprText })));
    }
  }

  if (values.html !== undefined) {
    const html = await checkReportHtml(outcome, reportOptions);
    await writePages(dirname(values.html), [{ file: basename(values.html), html }]);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  } else {
    process.stdout.write(`${colourVerdicts(checkReportText(outcome, reportOptions))}${values.html === undefined ? '' : `\nreport written to ${values.html}\n`}`);
  }
  return outcome.pass ? 0 : 1;
}
