/**
 * `downhill docs [--out <folder>]`
 *
 * Writes the derivative formula reference (Markdown and HTML) to
 * docs/formulas, or to --out. Every formula is checked against finite
 * differences first: a failed check prints one line and exits 1, writing
 * nothing.
 */
import { DownhillError } from '../errors.ts';
import { formatNumber } from '../expr/number.ts';
import { FormulaCheckError } from '../docs/check.ts';
import { writeFormulaDocs } from '../docs/generate.ts';
import { parseFlags } from './args.ts';
import { progress } from './progress.ts';

const help = `usage: downhill docs [--out <folder>] [--json]

  --out <folder>   where to write (default: docs/formulas); in an existing folder
                   only the files an earlier reference wrote are replaced (listed
                   in its .downhill-manifest.json), the others are kept
  --json           what was written and checked, as one JSON object`;

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 0);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const out = values.out ?? 'docs/formulas';
  if (out.trim() === '') throw new DownhillError('--out needs a folder name');
  try {
    const step = progress('docs');
    step(`checking every formula against finite differences and drawing the plots into ${out} ...`);
    const docs = await writeFormulaDocs(out).finally(() => step.done());
    const pages = docs.pages.length + 1;
    const plots = docs.files.filter((f) => f.file.endsWith('.svg')).length;
    process.stdout.write(values.json
      ? `${JSON.stringify({ out, pages, plots, entries: docs.entries, partials: docs.partials, maxError: docs.maxError }, null, 2)}\n`
      : `wrote ${out}: ${pages} pages (Markdown and HTML), ${plots} plots; ${docs.entries} entries, ${docs.partials} partial derivatives checked, largest relative error ${formatNumber(docs.maxError, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof FormulaCheckError) {
      process.stderr.write(`downhill docs: check failed, nothing written: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
