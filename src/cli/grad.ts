/**
 * `downhill grad "<expression>" [--wrt x,y] [--at x=0.5,y=2] [--json]`
 *
 * Each partial derivative as text and TeX; with --at, the value and the
 * gradient at that point.
 */
import { DownhillError, visible } from '../errors.ts';
import { parseWithSymbols } from '../expr/parse.ts';
import { evaluateFinite } from '../expr/evaluate.ts';
import { formatNumber } from '../expr/print.ts';
import { derivativesOf } from '../diff/derivative.ts';
import { checkValues } from '../check/gradient-check.ts';
import { parseFlags, parseNameList, parsePoint } from './args.ts';

const help = `usage: downhill grad "<expression>" [--wrt x,y] [--at x=0.5,y=2] [--json]

  --wrt x,y        variables to differentiate by (default: every symbol)
  --at x=0.5,y=2   a value for every symbol: prints the value and the gradient there
  --json           one JSON object instead of text`;

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
  const { node: expr, symbols } = parseWithSymbols(text);
  const wrt = values.wrt === undefined ? symbols : parseNameList(values.wrt, '--wrt');
  if (wrt.length === 0) throw new DownhillError('the expression has no variables to differentiate by');

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
