/**
 * `downhill grad "<expression>" [--wrt x,y] [--at x=0.5,y=2] [--json]`
 *
 * Each partial derivative as text and TeX; with --at, the value and the
 * gradient at that point. The report is a Document (check/grad-report.ts),
 * the same the playground shows.
 */
import { DownhillError } from '../errors.ts';
import { gradDocument, gradJson, gradReport, readGradText } from '../check/grad-report.ts';
import { documentText } from '../render/terminal.ts';
import { parseFlags, parseNameList, parsePoint } from './args.ts';

const help = `usage: downhill grad "<expression>" [--wrt x,y] [--at x=0.5,y=2] [--json]
       downhill grad "z = w1*x1 + w2*x2; h = sigmoid(z); L = (y - w3*h)^2" --wrt w1,w2,w3

  --wrt x,y        variables to differentiate by (default: every symbol)
  --at x=0.5,y=2   a value for every symbol: prints the value and the gradient there
  --json           one JSON object instead of text

Named steps, separated by ";" or new lines: the last is the function, the
earlier names are intermediates; the backward pass goes one name at a time.`;

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
  const read = readGradText(text);
  const wrt = values.wrt === undefined ? undefined : parseNameList(values.wrt, '--wrt');
  const at = values.at === undefined ? undefined : parsePoint(values.at, '--at');
  const report = gradReport(read, { wrt, at });
  process.stdout.write(values.json ? `${JSON.stringify(gradJson(report), null, 2)}\n` : documentText(gradDocument(report)));
  return 0;
}
