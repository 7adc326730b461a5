/**
 * `downhill new lesson <name> [--out <file.ts>]`
 *
 * Writes a lesson file from a commented template that runs as it is
 * (`downhill lesson ./<name>.ts`), never over an existing file.
 */
import { link, unlink, writeFile } from 'node:fs/promises';
import { DownhillError } from '../errors.ts';
import { parseFlags } from './args.ts';

const help = `usage: downhill new lesson <name> [--js] [--out <file.ts>]

  <name>           the lesson's short name: lower-case letters, digits and '-'
  --js             plain JavaScript (<name>.js) instead of TypeScript
  --out <file.ts>  where to write it (default: ./<name>.ts, or ./<name>.js with --js); an existing file is never replaced

Then: downhill lesson ./<name>.ts (add --watch to run again on every save of it or of a file it imports).
Both run with nothing but downhill installed (node 20.6 or later).
The document API: docs/authoring.md in the package (node_modules/downhill/docs/authoring.md).`;

/** The template: a lesson that derives, descends and plots, with a comment on every part; `js`: without TypeScript's annotations. */
export function lessonTemplate(name: string, js = false): string {
  const title = name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const file = `${name}.${js ? 'js' : 'ts'}`;
  /** TypeScript's text, or nothing in JavaScript. */
  const ts = (text: string): string => (js ? '' : text);
  return `// A downhill lesson: run it with
//   npx downhill lesson ./${file}           (the terminal, and the page ${name}.html in out/lessons)
//   npx downhill lesson ./${file} --watch   (again on every save)
// Everything comes from the public API, 'downhill' (see node_modules/downhill/docs/authoring.md).
import { defineLesson, derivative, evaluate, formatNumber, linePlot, parseExpression } from 'downhill';

export default defineLesson({
  // Its number orders it among lessons, its name is a short handle; the page is named after this file.
  number: 1,
  name: '${name}',
  title: '${title}',
  summary: 'gradient descent on a parabola, one exact derivative at a time',
  // The flags the lesson takes (--lr, --steps, --seed) and their values when not given; any other flag is refused.
  defaults: { lr: 0.1, steps: 10 },
}, async (doc, { lr, steps }) => {
  // doc.section starts a part; doc.text is prose, with TeX between $...$ on the page.
  doc.section('The loss');
  const L = parseExpression('(w - 3)^2');
  // doc.expression shows a formula (KaTeX on the page, Unicode in the terminal).
  doc.expression(L, { label: 'L(w)' });

  doc.section('Its slope');
  const slope = derivative(L, 'w');
  doc.text('The exact derivative, $\\\\frac{\\\\partial L}{\\\\partial w}$, says which way is down:');
  doc.expression(slope.node, { label: '\\\\frac{\\\\partial L}{\\\\partial w}' });

  doc.section('Descent');
  // Every sentence about the run should follow from its numbers: compute, then say.
  let w = 0;
  const rows${ts(': number[][]')} = [];
  for (let k = 0; k <= steps; k++) {
    rows.push([k, w, evaluate(L, { w })]);
    w -= lr * evaluate(slope.node, { w });
  }
  doc.table(['step', 'w', 'L'], rows);
  const last = rows[rows.length - 1]${ts('!')};
  doc.text(\`After \${steps} steps with learning rate \${formatNumber(lr)}, w = \${formatNumber(last[1]${ts('!')}, 4)} and L = \${formatNumber(last[2]${ts('!')}, 4)}.\`);
  // Plots are SVG, made on the machine (no network); the caption goes under it.
  doc.plot(linePlot({ series: [{ name: 'L', points: rows.map((r) => [r[0]${ts('!')}, r[2]${ts('!')}]${ts(' as const')}) }], xLabel: 'step', yLabel: 'L' }), 'the loss by step');
});
`;
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, js: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 2);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const [what, name] = positionals;
  if (what !== 'lesson') throw new DownhillError(what === undefined ? 'what should be new? downhill new lesson <name>' : `downhill new makes a lesson, not "${what}": downhill new lesson <name>`);
  if (name === undefined) throw new DownhillError('the lesson needs a name: downhill new lesson my-lesson');
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new DownhillError(`lesson name "${name}" must be lower-case letters, digits and '-', starting with a letter`);
  const ext = values.js ? 'js' : 'ts';
  const out = values.out ?? `${name}.${ext}`;
  if (!out.endsWith(`.${ext}`)) throw new DownhillError(`--out: "${out}" should end in .${ext}${values.js ? '' : ' (or give --js for a .js lesson)'}`);
  // Written whole to a temporary file, then linked into place: the link fails if the file exists, and no half-written file is ever seen.
  const temp = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(temp, lessonTemplate(name, values.js), { flag: 'wx' });
    await link(temp, out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new DownhillError(`${out} exists already: choose another name or --out`);
    if (code === 'ENOENT') throw new DownhillError(`--out: the folder of ${out} does not exist`);
    throw e;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  process.stdout.write(`wrote ${out}: run it with  downhill lesson ${out.startsWith('/') ? out : `./${out.replace(/^\.\//, '')}`}\n`);
  return 0;
}
