/**
 * `downhill new lesson <name> [--out <file.ts>]`
 * `downhill new practice <name> [--out <file.ts>]`
 *
 * Writes a lesson file, or a practice set, from a commented template that
 * runs as it is (`downhill lesson ./<name>.ts`, `downhill practice
 * ./<name>.ts`), never over an existing file.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileSystemError } from '../io/atomic.ts';
import { DownhillError } from '../errors.ts';
import { parseFlags } from './args.ts';

const help = `usage: downhill new lesson <name> [--js] [--out <file.ts>]
       downhill new practice <name> [--out <file.ts>]

  <name>           the lesson's (or set's) short name: lower-case letters, digits and '-'
  --js             plain JavaScript (<name>.js) instead of TypeScript (lessons)
  --out <file.ts>  where to write it (default: ./<name>.ts, or ./<name>.js with --js); an existing file is never replaced

Then: downhill lesson ./<name>.ts (add --watch to run again on every save of it or of a file it imports),
or:   downhill practice ./<name>.ts (--key prints its answers, --print a page).
Both run with nothing but downhill installed (node 20.6 or later).
The document API and practice sets: docs/authoring.md in the package (node_modules/downhill/docs/authoring.md).`;

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

/** The practice template: one item of each common kind, graded by the engine, with a comment on every part. */
export function practiceTemplate(name: string): string {
  const title = name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return `// A downhill practice set: run it with
//   npx downhill practice ./${name}.ts           (answer in the terminal; "hint" after a wrong answer)
//   npx downhill practice ./${name}.ts --key     (the answers, for the teacher)
//   npx downhill practice ./${name}.ts --print ${name}.html   (a printable page without answers)
// Everything comes from the public API, 'downhill' (see docs/authoring.md, "Practice sets").
import { definePractice, gd, parseExpression, train } from 'downhill';

export default definePractice({
  // The lesson it practises, a short handle, and the title.
  lesson: 1,
  name: '${name}',
  title: '${title}',
}, (v) => {
  // v.number(lessonValue, lo, hi): the value here without --variant, a seeded draw in [lo, hi] with one
  // (each student gets other numbers, the same skills; the teacher regenerates any variant from its id).
  const x = v.number(2, 1, 4);
  const L = \`(\${x}*w - 3)^2\`;
  return [
    // A derivative: graded against the engine's own, in any equivalent form. Names the learner may use go in names.
    { kind: 'formula', id: 'slope', prompt: \`Differentiate $L = (\${x} w - 3)^{2}$ by $w$.\`, expression: '(yhat - 3)^2', wrt: 'w', of: 'L', names: { yhat: \`\${x}*w\` } },
    // A number: the tolerance is stated in the prompt (the page and the terminal add it).
    { kind: 'number', id: 'slope-at-0', prompt: "Compute $L'(0)$.", value: -6 * x, tolerance: 0.001, hint: "Put w = 0 into your L'(w)." },
    // A prediction about a run: the run is done after the learner answers, and both numbers are shown.
    { kind: 'prediction', id: 'after-10', prompt: 'Gradient descent from $w = 0$ with $\\\\eta = 0.05$: predict $w$ after 10 steps.', tolerance: 0.05,
      run: () => {
        const run = train({ loss: parseExpression(L), params: ['w'], init: [0], optimizer: gd(0.05), steps: 10 });
        return { value: run.p[0]!, report: \`w = \${run.p[0]!.toFixed(4)} after 10 steps\` };
      } },
    // A choice, only where nothing else fits.
    { kind: 'choice', id: 'bottom', prompt: 'Where is the bottom of $L$?', choices: ['at $w = 0$', \`at $w = 3/\${x}$\`, 'nowhere'], answer: 1 },
  ];
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
  if (what !== 'lesson' && what !== 'practice') throw new DownhillError(what === undefined ? 'what should be new? downhill new lesson <name> (or practice <name>)' : `downhill new makes a lesson or a practice set, not "${what}": downhill new lesson <name>`);
  if (name === undefined) throw new DownhillError(`the ${what === 'lesson' ? 'lesson' : 'set'} needs a name: downhill new ${what} my-${what}`);
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new DownhillError(`${what === 'lesson' ? 'lesson' : 'practice set'} name "${name}" must be lower-case letters, digits and '-', starting with a letter`);
  if (values.js && what !== 'lesson') throw new DownhillError('--js: only a lesson has a JavaScript template; a practice set is written in TypeScript');
  const ext = values.js ? 'js' : 'ts';
  const out = values.out ?? `${name}.${ext}`;
  if (!out.endsWith(`.${ext}`)) throw new DownhillError(`--out: "${out}" should end in .${ext}${values.js ? '' : ' (or give --js for a .js lesson)'}`);
  // Written whole to a temporary file, then linked into place: the link fails if the file exists, and no half-written file is ever seen.
  // The temporary name is short (a 255-byte lesson name stays valid) and never shown: every failure names the user's file.
  await access(dirname(out), constants.W_OK).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw fileSystemError(e, out, 'write');
  });
  const temp = join(dirname(out), `.tmp-new-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(temp, what === 'lesson' ? lessonTemplate(name, values.js) : practiceTemplate(name), { flag: 'wx' });
    await link(temp, out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new DownhillError(`${out} exists already: choose another name or --out`);
    if (code === 'ENOENT') throw new DownhillError(`--out: the folder of ${out} does not exist`);
    throw fileSystemError(e, out, 'write');
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  process.stdout.write(`wrote ${out}: run it with  downhill ${what} ${out.startsWith('/') ? out : `./${out.replace(/^\.\//, '')}`}\n`);
  return 0;
}
