/**
 * Writing pages (Node): a folder of pages and the `katex/` folder they need
 * beside them, so each works opened from file:// with no network and no
 * JavaScript. The pages themselves are made by page-html.ts (no Node
 * module: a browser bundle takes it), whose names this file re-exports.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DownhillError, ensure } from '../errors.ts';
import { resolveInside } from '../io/atomic.ts';
import { checkOwnedFolder, MANIFEST, writeOwnedFolder, type OwnedFile, type OwnedFolderOptions } from '../io/manifest.ts';
import { katexAssetsDir } from './katex-assets.ts';
export { PAGE_CSS, breakableFormula, escapeHtml, figure, formulaBlock, keepFlagsWhole, numericTable, pageSections, paragraph, preBlock, renderPage, slug, textWithMath, type PageOptions, type PageSection, type Section, type TableCell } from './page-html.ts';

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

/** KaTeX's style sheet, its woff2 fonts and the marker file, as files of `katex/` (paths relative to the pages' folder). */
async function katexFiles(): Promise<OwnedFile[]> {
  const src = katexAssetsDir();
  const css = woff2Only(await readFile(join(src, 'katex.min.css'), 'utf8'));
  const fonts = (await readdir(join(src, 'fonts'))).filter((f) => f.endsWith('.woff2')).sort();
  return [
    { file: 'katex/katex.min.css', data: css },
    ...await Promise.all(fonts.map(async (font) => ({ file: `katex/fonts/${font}`, data: await readFile(join(src, 'fonts', font)) }))),
    { file: `katex/${KATEX_MARKER}`, data: MARKER_TEXT },
  ];
}

/** The start of every page renderPage writes: an HTML file that starts so is downhill's. */
const PAGE_START = '<!doctype html>\n<html lang="';
const PAGE_HEAD = '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>';

/** Whether the file at `path` is a page renderPage wrote (it starts with renderPage's head and links downhill's katex/). */
export async function isDownhillPage(path: string): Promise<boolean> {
  const head = await readFile(path, 'utf8').then((t) => t.slice(0, 4096), () => '');
  return head.startsWith(PAGE_START) && head.includes(PAGE_HEAD) && /<link rel="stylesheet" href="(\.\.\/)*katex\/katex\.min\.css">/.test(head);
}

/**
 * Recognises, in a folder written before manifests (io/manifest.ts), the
 * files writePages wrote: pages renderPage made, and KaTeX's files in a
 * `katex/` that holds downhill's marker or is an unmarked copy of an
 * earlier version (katex.min.css and KaTeX font files).
 */
export async function recognisePagesFile(file: string, path: string): Promise<boolean> {
  if (file.endsWith('.html')) return isDownhillPage(path);
  if (!file.startsWith('katex/')) return false;
  const katex = path.slice(0, path.length - file.length + 'katex'.length);
  const names = (await readdir(katex).catch(() => [])).sort();
  if (names.includes(KATEX_MARKER)) return true;
  // An unmarked copy of an earlier version: exactly katex.min.css and fonts/ of KaTeX's font files.
  if (names.join() !== 'fonts,katex.min.css') return false;
  return (await readdir(join(katex, 'fonts')).catch(() => ['?'])).every((f) => /^KaTeX_[\w-]+\.(woff2?|ttf)$/.test(f));
}

/** The paths of `pages`, checked: inside `outDir`, not katex/ or the manifest, each once, each linking the katex/ at its depth. */
function pagePaths(outDir: string, pages: readonly PageFile[]): string[] {
  const seen = new Set<string>();
  for (const page of pages) {
    const target = resolveInside(outDir, page.file);
    const rel = relative(resolveInside(outDir, '.'), target);
    ensure(rel !== '', () => `writePages: page path "${page.file}" is the output folder itself`);
    ensure(!seen.has(rel), () => `writePages: two pages are written to "${page.file}"`);
    ensure(rel.split(sep)[0] !== 'katex', () => `writePages: page path "${page.file}" is inside katex/, which holds KaTeX's files`);
    ensure(rel !== MANIFEST, () => `writePages: page path "${page.file}" is downhill's list of its files`);
    seen.add(rel);
    const depth = rel.split(sep).length - 1;
    const href = `${'../'.repeat(depth)}katex/katex.min.css`;
    if (page.html !== undefined && !page.html.includes(`href="${href}"`)) {
      throw new DownhillError(`writePages: "${page.file}" does not link ${href}: render it with renderPage({ root: '${'../'.repeat(depth)}' })`);
    }
  }
  return [...seen].map((rel) => rel.split(sep).join('/'));
}

/** The options of writePages and checkPagesFolder. */
export interface PagesOptions {
  /** The folder holds exactly these pages: the files this same command (`owner`) wrote there before and does not write again are removed. Default false. */
  readonly clean?: boolean;
  /** The command writing ('docs', 'site'): files it wrote are marked so in the manifest; only its own are removed when `clean`. */
  readonly owner?: string;
  /** More files of the same folder's output besides the pages (Markdown, plots, scripts), written with them. */
  readonly files?: readonly OwnedFile[];
  /** Recognises more files of an older version's output (a folder with no manifest). */
  readonly recognise?: (file: string, path: string) => boolean | Promise<boolean>;
}

function folderOptions(options: PagesOptions): OwnedFolderOptions {
  const more = options.recognise;
  return {
    mode: options.clean === true ? 'replace' : 'add',
    ...(options.owner === undefined ? {} : { owner: options.owner }),
    recognise: async (file, path) => (await recognisePagesFile(file, path)) || (more !== undefined && await more(file, path)),
  };
}

/**
 * Checks, before any work, that `writePages(outDir, pages)` may write there:
 * a DownhillError names the first file of the user's in the way (a page of
 * theirs, a `katex` file, a file where the folder should be) or a folder
 * inside node_modules. Only the pages' paths are needed (`html` may be left
 * out). writePages checks again when it writes.
 *
 *   await checkPagesFolder('out/lessons', [{ file: 'lesson-4.html' }])
 */
export async function checkPagesFolder(outDir: string, pages: readonly { readonly file: string; readonly html?: string }[] = [], options: PagesOptions = {}): Promise<void> {
  const katexDir = join(resolveInside(outDir, '.'), 'katex');
  if (katexDir.split(sep).includes('node_modules')) throw new DownhillError(`refusing to write ${katexDir}: it is inside node_modules, whose files belong to installed packages`);
  const files = [...pagePaths(outDir, pages as readonly PageFile[]), ...(options.files ?? []).map((f) => f.file), ...(await katexFiles()).map((f) => f.file)];
  await checkOwnedFolder(outDir, files, folderOptions(options));
}

/**
 * Writes pages under `outDir` and puts KaTeX's style sheet and fonts in
 * `<outDir>/katex/`, so that every page renders offline. Each page path must
 * stay inside `outDir` (DownhillError otherwise), and a page in a subfolder
 * must have been rendered with the matching `root` ('../' per level).
 *
 * The folder is shared with its owner (io/manifest.ts): downhill lists the
 * files it wrote in `.downhill-manifest.json` and replaces only those; any
 * other file is left in place, and a file of the user's where a page (or
 * KaTeX's files) would go is refused with a DownhillError before anything
 * is written. All files are staged first and renamed into place together,
 * so a failure leaves every one as it was. With `{ clean: true }` downhill's
 * own files that are not written again (an earlier run's pages) are removed.
 *
 * Examples:
 *   await writePages('docs/lessons', [{ file: 'lesson-1.html', html: renderPage({ title: 'Lesson 1' }) }])
 *   // docs/lessons/lesson-1.html, docs/lessons/katex/katex.min.css, docs/lessons/katex/fonts/…,
 *   // docs/lessons/.downhill-manifest.json
 *
 * See also: renderPage, writeOwnedFolder, writeFileAtomic
 */
export async function writePages(outDir: string, pages: readonly PageFile[], options: PagesOptions = {}): Promise<void> {
  const paths = pagePaths(outDir, pages);
  const outputs: OwnedFile[] = [
    ...pages.map((page, k) => ({ file: paths[k]!, data: page.html })),
    ...(options.files ?? []),
    ...await katexFiles(),
  ];
  await writeOwnedFolder(outDir, outputs, folderOptions(options));
}
