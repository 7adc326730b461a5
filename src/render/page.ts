/**
 * Writing pages (Node): a folder of pages and the `katex/` folder they need
 * beside them, so each works opened from file:// with no network and no
 * JavaScript. The pages themselves are made by page-html.ts (no Node
 * module: a browser bundle takes it), whose names this file re-exports.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DownhillError, ensure } from '../errors.ts';
import { writeAllAtomic, resolveInside } from '../io/atomic.ts';
import { katexAssetsDir } from './katex-assets.ts';
export { PAGE_CSS, breakableFormula, escapeHtml, figure, formulaBlock, inlineMath, numericTable, paragraph, preBlock, renderPage, slug, textWithMath, type PageOptions, type Section, type TableCell } from './page-html.ts';

/** A page to write: its path relative to the output folder, and its HTML. */
export interface PageFile {
  readonly file: string;
  readonly html: string;
}

/**
 * The file that marks a `katex/` folder as downhill's own copy of KaTeX's
 * style sheet and fonts: only a folder holding it is ever replaced.
 */
export const KATEX_MARKER = 'downhill-assets.txt';
const MARKER_TEXT = "Written by downhill: KaTeX's style sheet and the woff2 fonts it uses.\nDownhill replaces this folder whole when it writes pages here: keep nothing of your own in it.\n";

/**
 * KaTeX's style sheet with only the woff2 fonts: every browser that runs
 * KaTeX's CSS loads woff2, so the woff and ttf copies would never be used.
 */
function woff2Only(css: string): string {
  return css.replace(/,url\(fonts\/[\w-]+\.woff\) format\("woff"\),url\(fonts\/[\w-]+\.ttf\) format\("truetype"\)/g, '');
}

/** Copies KaTeX's style sheet and its woff2 fonts into `dir`, with the marker file. */
async function writeKatexAssets(dir: string): Promise<void> {
  const src = katexAssetsDir();
  const css = woff2Only(await readFile(join(src, 'katex.min.css'), 'utf8'));
  const fonts = (await readdir(join(src, 'fonts'))).filter((f) => f.endsWith('.woff2')).sort();
  await writeAllAtomic([
    { file: join(dir, 'katex.min.css'), data: css },
    ...await Promise.all(fonts.map(async (font) => ({ file: join(dir, 'fonts', font), data: await readFile(join(src, 'fonts', font)) }))),
    { file: join(dir, KATEX_MARKER), data: MARKER_TEXT },
  ]);
}

/**
 * Throws unless the existing folder `dir` is downhill's own `katex/`: it
 * holds the marker file, or it is an unmarked copy from an earlier version
 * (exactly `katex.min.css` and `fonts/` of KaTeX font files).
 */
async function checkKatexOwned(dir: string): Promise<void> {
  const names = (await readdir(dir)).sort();
  if (names.includes(KATEX_MARKER)) return;
  const fonts = names.join() === 'fonts,katex.min.css' ? await readdir(join(dir, 'fonts')).catch(() => ['?']) : ['?'];
  if (fonts.every((f) => /^KaTeX_[\w-]+\.(woff2?|ttf)$/.test(f))) return;
  throw new DownhillError(`refusing to replace ${dir}: downhill keeps KaTeX's files there, but this folder is not its own (it has no ${KATEX_MARKER}); move it, or write the pages to another folder`);
}

/**
 * Checks, before any work, that `writePages(outDir, ...)` may write there:
 * a DownhillError if its `katex/` is not downhill's own or the folder is
 * inside node_modules. (writePages checks again when it writes.)
 *
 *   await checkPagesFolder('out/lessons')
 */
export async function checkPagesFolder(outDir: string): Promise<void> {
  const katexDir = join(resolveInside(outDir, '.'), 'katex');
  if (katexDir.split(sep).includes('node_modules')) throw new DownhillError(`refusing to write ${katexDir}: it is inside node_modules, whose files belong to installed packages`);
  const info = await lstat(katexDir).catch(() => undefined);
  if (info?.isDirectory()) await checkKatexOwned(katexDir);
}

/**
 * Writes pages under `outDir` and puts KaTeX's style sheet and fonts in
 * `<outDir>/katex/`, so that every page renders offline. Each page path must
 * stay inside `outDir` (DownhillError otherwise), and a page in a subfolder
 * must have been rendered with the matching `root` ('../' per level).
 *
 * By default each file is written atomically and other files in `outDir`
 * are kept; the `katex/` folder is replaced as a whole, but only when it is
 * downhill's own (it holds the marker file `downhill-assets.txt`): a
 * `katex/` folder of the user's is refused with a DownhillError before
 * anything is written. All pages and `katex/` are staged first and renamed
 * into place together, so a failure leaves every one as it was. With
 * `{ clean: true }` the whole of `outDir` is rebuilt in a temporary folder
 * and swapped in, so it then holds exactly these pages and `katex/`.
 *
 * Examples:
 *   await writePages('docs/lessons', [{ file: 'lesson-1.html', html: renderPage({ title: 'Lesson 1' }) }])
 *   // docs/lessons/lesson-1.html, docs/lessons/katex/katex.min.css, docs/lessons/katex/fonts/…
 *
 * See also: renderPage, writeFileAtomic, replaceDirAtomic
 */
export async function writePages(outDir: string, pages: readonly PageFile[], options: { clean?: boolean } = {}): Promise<void> {
  const seen = new Set<string>();
  for (const page of pages) {
    const target = resolveInside(outDir, page.file);
    const rel = relative(resolveInside(outDir, '.'), target);
    ensure(rel !== '', () => `writePages: page path "${page.file}" is the output folder itself`);
    ensure(!seen.has(rel), () => `writePages: two pages are written to "${page.file}"`);
    ensure(rel.split(sep)[0] !== 'katex', () => `writePages: page path "${page.file}" is inside katex/, which holds KaTeX's files`);
    seen.add(rel);
    const depth = rel.split(sep).length - 1;
    const href = `${'../'.repeat(depth)}katex/katex.min.css`;
    if (!page.html.includes(`href="${href}"`)) {
      throw new DownhillError(`writePages: "${page.file}" does not link ${href}: render it with renderPage({ root: '${'../'.repeat(depth)}' })`);
    }
  }
  const files = (dir: string) => pages.map((page) => ({ file: resolveInside(dir, page.file), data: page.html }));
  const katexDir = { build: writeKatexAssets, replaceable: checkKatexOwned };
  if (options.clean === true) {
    await writeAllAtomic([{ dir: outDir, build: async (tmp) => writeAllAtomic([{ dir: join(tmp, 'katex'), ...katexDir }, ...files(tmp)]) }]);
  } else {
    // Staged together: a page that cannot be written leaves katex/ and every other page as they were.
    await writeAllAtomic([{ dir: join(outDir, 'katex'), ...katexDir }, ...files(outDir)]);
  }
}
