/**
 * `npm run docs`: the derivative formula reference, in Markdown and HTML.
 *
 * Every entry is derived by the engine and checked against finite
 * differences while the pages are built; a failed check throws
 * FormulaCheckError before anything is written. The pages are written into
 * a temporary folder that is swapped in only when complete (replaceDirAtomic),
 * so an interrupted run leaves the previous reference intact. The output is the
 * same byte for byte on every run (seeded points, no dates, no paths).
 *
 *   const docs = await buildFormulaDocs()          // everything in memory, checked
 *   await writeFormulaDocs('docs/formulas')        // index.md, index.html, elementary.md, ...
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DownhillError } from '../errors.ts';
import { writeFileAtomic, replaceDirAtomic, resolveInside } from '../io/atomic.ts';
import { formatNumber } from '../expr/number.ts';
import { renderPage, writePages } from '../render/page.ts';
import { documentFormula, functionSpecs, lossSpecs, type FormulaSpec } from './functions.ts';
import { documentLayer, documentMatrixForm, layerExamples, networkSpec, type LayerExample } from './layers.ts';
import { DOCS_CSS, htmlNav, htmlText, pageHtml } from './html.ts';
import { GENERATED_NOTE, markdownLinkText, markdownNav, pageMarkdown } from './markdown.ts';
import { markdownText } from '../render/github.ts';
import type { DocEntry, DocGroup, DocPage } from './model.ts';

/** An item of a page spec: a formula, or a worked layer. */
export type DocItem = { readonly kind: 'formula'; readonly spec: FormulaSpec } | { readonly kind: 'layer'; readonly example: LayerExample } | { readonly kind: 'matrix-form' };

/** What a page documents, before derivation. */
export interface PageSpec {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly groups: readonly { readonly heading: string; readonly id: string; readonly intro?: string; readonly items: readonly DocItem[] }[];
}

const formulas = (specs: readonly FormulaSpec[]): DocItem[] => specs.map((spec) => ({ kind: 'formula', spec }));

/** The four pages of the reference: elementary functions, activations, losses, layers and networks. */
export function defaultPageSpecs(): PageSpec[] {
  return [
    {
      name: 'elementary', title: 'Elementary functions',
      summary: 'Every function mathjs differentiates, and the piecewise helpers: definition, derivative, kinks.',
      groups: [
        { heading: 'Functions mathjs differentiates', id: 'functions', items: formulas(functionSpecs('elementary')) },
        { heading: 'Piecewise helpers', id: 'helpers', intro: 'mathjs cannot differentiate these: their derivatives come from the function table, with a convention at each kink.', items: formulas(functionSpecs('helper')) },
      ],
    },
    {
      name: 'activations', title: 'Activations',
      summary: 'The activation functions of a layer, $a = \\varphi(z)$, and their derivatives.',
      groups: [{ heading: 'Activations', id: 'activations', items: formulas(functionSpecs('activation')) }],
    },
    {
      name: 'losses', title: 'Losses',
      summary: 'The losses of one sample, on a prediction $\\hat{y}$ (or logits $z$) and a target $y$, and the primitives they are built from.',
      groups: [
        { heading: 'Losses', id: 'losses', items: formulas(lossSpecs()) },
        { heading: 'Building blocks', id: 'building-blocks', items: formulas(functionSpecs('loss')) },
      ],
    },
    {
      name: 'layers', title: 'Layers and networks',
      summary: 'Backpropagation through a dense layer, derived by the engine and read off in index form, then in matrix form for a batch; a whole network\'s gradient.',
      groups: [
        { heading: 'Dense layers', id: 'dense-layers', items: [...layerExamples().map((example): DocItem => ({ kind: 'layer', example })), { kind: 'matrix-form' }] },
        { heading: 'Networks', id: 'networks', items: formulas([networkSpec()]) },
      ],
    },
  ];
}

/** A file of the reference: its path inside the output folder and its content. */
export interface DocFile {
  readonly file: string;
  readonly content: string;
}

export interface FormulaDocs {
  readonly pages: readonly DocPage[];
  /** Markdown pages, HTML pages and plots (KaTeX's files are added when writing). */
  readonly files: readonly DocFile[];
  readonly entries: number;
  readonly partials: number;
  /** The largest relative error of any check. */
  readonly maxError: number;
}

export interface FormulaDocsOptions {
  /** Random points per check (default 64). */
  readonly points?: number;
  /** The pages to build (default: defaultPageSpecs()). */
  readonly pages?: readonly PageSpec[];
}

const INDEX_TITLE = 'downhill formula reference';

function indexMarkdown(pages: readonly DocPage[], docs: { entries: number; partials: number; maxError: number; points: number }): string {
  const parts = [`# ${INDEX_TITLE}`, '', markdownText(indexIntro(docs)), '', markdownNav(pages, 'index'), ''];
  for (const p of pages) {
    parts.push(`## [${p.title}](${p.name}.md)`, '', markdownText(p.summary), '', `HTML: [${p.name}.html](${p.name}.html)`, '');
    for (const g of p.groups) parts.push(`- ${markdownText(g.heading)}: ${g.entries.map((e) => `[${markdownLinkText(e.heading)}](${p.name}.md#${e.id})`).join(', ')}`);
    parts.push('');
  }
  parts.push('---', '', GENERATED_NOTE, '');
  return parts.join('\n');
}

function indexIntro(d: { entries: number; partials: number; maxError: number; points: number }): string {
  return `Derivatives of the functions, losses and layers of downhill. Each was derived by the engine and compared with central finite differences at ${d.points} random points when these pages were generated: ${d.entries} entries, ${d.partials} partial derivatives, largest relative error ${formatNumber(d.maxError, 2)}.`;
}

function indexHtml(pages: readonly DocPage[], docs: { entries: number; partials: number; maxError: number; points: number }): string {
  return renderPage({
    title: INDEX_TITLE,
    subtitle: 'What is the derivative of softplus? What is ∂L/∂W for a dense layer with softmax cross-entropy?',
    nav: htmlNav(pages),
    bodyHtml: `<p>${htmlText(indexIntro(docs))}</p>`,
    sections: pages.map((p) => ({
      heading: p.title,
      id: p.name,
      html: [
        `<p><a href="${p.name}.html">${htmlText(p.title)}</a> (<a href="${p.name}.md">Markdown</a>): ${htmlText(p.summary)}</p>`,
        `<ul>${p.groups.map((g) => `<li>${htmlText(g.heading)}: ${g.entries.map((e) => `<a href="${p.name}.html#${e.id}">${htmlText(e.heading)}</a>`).join(', ')}</li>`).join('')}</ul>`,
      ],
    })),
    footer: GENERATED_NOTE.replace(/`/g, ''),
    css: DOCS_CSS,
  });
}

/**
 * Derives, checks and renders the whole reference in memory. Throws
 * FormulaCheckError when a documented derivative disagrees with finite
 * differences, and DownhillError when a page's TeX does not render.
 */
export async function buildFormulaDocs(options: FormulaDocsOptions = {}): Promise<FormulaDocs> {
  const points = options.points ?? 64;
  const specs = options.pages ?? defaultPageSpecs();
  const pages: DocPage[] = [];
  for (const ps of specs) {
    const groups: DocGroup[] = [];
    for (const g of ps.groups) {
      const entries: DocEntry[] = [];
      for (const item of g.items) {
        entries.push(item.kind === 'formula'
          ? await documentFormula(item.spec, { page: ps.name, points })
          : item.kind === 'matrix-form'
            ? documentMatrixForm({ page: ps.name, points })
            : await documentLayer(item.example, { page: ps.name, points }));
      }
      const ids = new Set(entries.map((e) => e.id));
      if (ids.size !== entries.length) throw new DownhillError(`page ${ps.name}: two entries share an id`);
      groups.push({ heading: g.heading, id: g.id, ...(g.intro === undefined ? {} : { intro: g.intro }), entries });
    }
    pages.push({ name: ps.name, title: ps.title, summary: ps.summary, groups });
  }
  const all = pages.flatMap((p) => p.groups.flatMap((g) => g.entries));
  const stats = {
    entries: all.length,
    partials: all.reduce((s, e) => s + e.partials, 0),
    maxError: all.reduce((m, e) => Math.max(m, e.maxError), 0),
    points,
  };
  const files: DocFile[] = [
    { file: 'index.md', content: indexMarkdown(pages, stats) },
    { file: 'index.html', content: indexHtml(pages, stats) },
  ];
  for (const p of pages) {
    files.push({ file: `${p.name}.md`, content: pageMarkdown(p, pages) });
    files.push({ file: `${p.name}.html`, content: pageHtml(p, pages) });
  }
  for (const e of all) {
    for (const b of e.blocks) if (b.kind === 'image') files.push({ file: b.file, content: b.svg });
  }
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.file)) throw new DownhillError(`two files of the reference are written to ${f.file}`);
    names.add(f.file);
  }
  return { pages, files, entries: stats.entries, partials: stats.partials, maxError: stats.maxError };
}

/** Why `dir` may not be replaced, or undefined when it is missing, empty, or holds a previous reference (its index.md starts with the title). */
async function notReplaceable(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return 'it is a file, not a folder';
    throw e;
  }
  if (names.length === 0) return undefined;
  const notOurs = 'it is not empty and holds no previous formula reference (choose an empty or new folder)';
  let head: string;
  try {
    head = (await readFile(join(dir, 'index.md'), 'utf8')).slice(0, INDEX_TITLE.length + 2);
  } catch (e) {
    if (['ENOENT', 'EISDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return notOurs;
    throw e;
  }
  return head === `# ${INDEX_TITLE}` ? undefined : notOurs;
}

/**
 * Builds the reference and swaps it in as `outDir` (KaTeX's CSS and fonts
 * in `outDir/katex/`). Nothing is written unless every check passes; a
 * folder that is neither empty nor a previous reference is never replaced.
 *
 *   const docs = await writeFormulaDocs('docs/formulas')
 *   docs.files.length   // pages and plots written (besides katex/)
 */
export async function writeFormulaDocs(outDir: string, options: FormulaDocsOptions = {}): Promise<FormulaDocs> {
  const refused = await notReplaceable(outDir);
  if (refused !== undefined) throw new DownhillError(`refusing to replace ${outDir}: ${refused}`);
  const docs = await buildFormulaDocs(options);
  await replaceDirAtomic(outDir, async (tmp) => {
    const html = docs.files.filter((f) => f.file.endsWith('.html')).map((f) => ({ file: f.file, html: f.content }));
    await writePages(tmp, html);
    for (const f of docs.files) {
      if (!f.file.endsWith('.html')) await writeFileAtomic(resolveInside(tmp, f.file), f.content);
    }
  });
  return docs;
}
