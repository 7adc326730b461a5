/**
 * `downhill grad "<expression>" [--wrt x,y] [--at x=0.5,y=2] [--json]`
 *
 * Each partial derivative as text and TeX; with --at, the value and the
 * gradient at that point.
 */
import { DownhillError, visible } from '../errors.ts';
import { parseWithSymbols } from '../expr/parse.ts';
import { evaluateFinite } from '../expr/evaluate.ts';
import { formatNumber } from '../expr/number.ts';
import { derivativesOf } from '../diff/derivative.ts';
import { checkValues } from '../check/gradient-check.ts';
import { isProgram, parseProgram } from '../expr/program.ts';
import { toTex, toText } from '../expr/print.ts';
import { programGradient, programGradientAt, programSymbolTex } from '../diff/program.ts';
import { checkDerivativeCount } from '../limits.ts';
import { parseFlags, parseNameList, parsePoint } from './args.ts';

const help = `usage: downhill grad "<expression>" [--wrt x,y] [--at x=0.5,y=2] [--json]
       downhill grad "z = w1*x1 + w2*x2; h = sigmoid(z); L = (y - w3*h)^2" --wrt w1,w2,w3

  --wrt x,y        variables to differentiate by (default: every symbol)
  --at x=0.5,y=2   a value for every symbol: prints the value and the gradient there
  --json           one JSON object instead of text

Named steps, separated by ";" or new lines: the last is the function, the
earlier names are intermediates; the backward pass goes one name at a time.`;

type Flags = { wrt?: string | undefined; at?: string | undefined; json?: boolean | undefined };

/** grad of named steps: the steps, the backward pass by name, the closed forms, and the numbers. */
function runProgram(text: string, values: Flags): number {
  const program = parseProgram(text);
  const wrt = values.wrt === undefined ? [...program.inputs] : parseNameList(values.wrt, '--wrt');
  if (wrt.length === 0) throw new DownhillError('the expression has no variables to differentiate by');
  checkDerivativeCount(wrt.length, 'pick the variables with --wrt');
  const g = programGradient(program, wrt);
  const stepNames = program.steps.map((s) => s.name);
  let at: Map<string, number> | undefined;
  if (values.at !== undefined) {
    at = parsePoint(values.at, '--at');
    const computed = [...at.keys()].filter((s) => stepNames.includes(s));
    if (computed.length > 0) throw new DownhillError(`--at: ${computed.join(', ')} ${computed.length === 1 ? 'is a step' : 'are steps'} of the expression, computed from the inputs`);
    checkValues(program.expanded, at, '--at', wrt);
  }
  const numbers = at === undefined ? undefined : programGradientAt(g, at);
  const out = program.output.name;
  const tex = (n: Parameters<typeof toTex>[0]): string => toTex(n, { symbolTex: programSymbolTex });

  if (values.json) {
    const json = {
      expr: text,
      steps: program.steps.map((s) => ({ name: s.name, text: toText(s.node), tex: tex(s.node) })),
      wrt,
      backward: g.backward.map((b) => ({ name: b.name, symbol: b.symbol, text: toText(b.formula), tex: tex(b.formula) })),
      derivatives: Object.fromEntries(g.partials.map((d) => [d.wrt, { text: d.text, tex: d.tex }])),
      ...(at && numbers ? {
        at: Object.fromEntries(at),
        values: Object.fromEntries(stepNames.map((n) => [n, numbers.get(n)])),
        value: numbers.get(out),
        adjoints: Object.fromEntries(g.backward.map((b) => [b.name, numbers.get(b.symbol)])),
        gradient: Object.fromEntries(wrt.map((w) => [w, numbers.get(`∂${out}/∂${w}`)])),
      } : {}),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const lines = [...program.steps.map((s) => `${s.name} = ${toText(s.node)}`), '', 'backward, one name at a time (the chain rule):'];
  for (const b of g.backward) lines.push(`  ${b.symbol} = ${toText(b.formula)}`);
  lines.push('', 'with every name replaced:');
  for (const d of g.partials) lines.push(`∂${out}/∂${d.wrt} = ${d.text}`, `   TeX: ${d.tex}`, '');
  if (at && numbers) {
    lines.push(`at ${[...at].map(([k, v]) => `${k} = ${formatNumber(v)}`).join(', ')}:`);
    for (const n of stepNames) lines.push(`  ${n} = ${formatNumber(numbers.get(n)!)}`);
    for (const b of g.backward) lines.push(`  ${b.symbol} = ${formatNumber(numbers.get(b.symbol)!)}`);
  }
  process.stdout.write(`${lines.join('\n').trimEnd()}\n`);
  return 0;
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    wrt: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, 1);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const text = positionals[0];
  if (text === undefined) throw new DownhillError('missing expression: downhill grad "x^2 + y" --wrt x');
  if (isProgram(text)) return runProgram(text, values);
  const { node: expr, symbols } = parseWithSymbols(text);
  const wrt = values.wrt === undefined ? symbols : parseNameList(values.wrt, '--wrt');
  if (wrt.length === 0) throw new DownhillError('the expression has no variables to differentiate by');
  checkDerivativeCount(wrt.length, 'pick the variables with --wrt');

  const derivatives = derivativesOf(expr, wrt);
  let at: Map<string, number> | undefined;
  let value: number | undefined;
  let grad: number[] | undefined;
  if (values.at !== undefined) {
    at = parsePoint(values.at, '--at');
    checkValues(expr, at, '--at', [...symbols, ...wrt]);
    value = evaluateFinite(expr, at);
    grad = derivatives.map((d) => evaluateFinite(d.raw, at!));
  }

  if (values.json) {
    const out = {
      expr: text,
      wrt,
      derivatives: Object.fromEntries(derivatives.map((d) => [d.wrt, { text: d.text, tex: d.tex }])),
      ...(at ? { at: Object.fromEntries(at), value, gradient: Object.fromEntries(wrt.map((w, i) => [w, grad![i]])) } : {}),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const lines = [`f = ${visible(text)}`, ''];
  for (const d of derivatives) lines.push(`∂f/∂${d.wrt} = ${d.text}`, `   TeX: ${d.tex}`, '');
  if (at) {
    lines.push(`at ${[...at].map(([k, v]) => `${k} = ${formatNumber(v)}`).join(', ')}:`);
    lines.push(`  f = ${formatNumber(value!)}`);
    wrt.forEach((w, i) => lines.push(`  ∂f/∂${w} = ${formatNumber(grad![i]!)}`));
  }
  process.stdout.write(`${lines.join('\n').trimEnd()}\n`);
  return 0;
}
