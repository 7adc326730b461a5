/**
 * TeX → HTML with KaTeX, on the server. Pages need only `katex.min.css` and
 * its `fonts/` folder beside them (see `katexAssetsDir`, katex-assets.ts), no
 * JavaScript. No Node module here: a browser bundle takes it (katex-bundle.ts,
 * which loads KaTeX in node, has a browser form).
 */
import { acceptedTex, loadKatex } from './katex-bundle.ts';
import { checkArg, checkOptions, DownhillError, TEXT } from '../errors.ts';

/** Options of `texToHtml`. */
export interface TexOptions {
  /** Display style (a centred block, like `$$…$$`) rather than inline (`$…$`). Default false. */
  readonly display?: boolean;
}

/** Shortens TeX for an error message: one line, at most 80 characters. */
function excerpt(tex: string): string {
  const line = tex.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** KaTeX's own reason, without its underlined copy of the source. */
function reasonOf(error: unknown): string {
  if (error instanceof loadKatex().ParseError) {
    const at = typeof error.position === 'number' ? ` at character ${error.position + 1}` : '';
    return `${error.rawMessage}${at}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Renders TeX to an HTML string with KaTeX (HTML for display plus MathML for
 * screen readers). Bad TeX fails loudly: a KaTeX parse error becomes a
 * one-line DownhillError that quotes the TeX. Unicode in math mode and other
 * non-LaTeX conveniences are accepted silently.
 *
 * Syntax:
 *   texToHtml(tex)
 *   texToHtml(tex, { display: true })
 *
 * Examples:
 *   texToHtml('\\frac{\\partial L}{\\partial w}')
 *   // returns '<span class="katex">…</span>'
 *   texToHtml('w \\leftarrow w - \\eta \\nabla L', { display: true })
 *   // returns '<span class="katex-display">…</span>'
 *   texToHtml('\\frac{1}{')   // throws DownhillError: invalid TeX "\frac{1}{": …
 *
 * See also: katexAssetsDir, formulaBlock (page.ts)
 */
export function texToHtml(tex: string, options: TexOptions = {}): string {
  checkArg('texToHtml', 'tex', tex, TEXT);
  checkOptions('texToHtml', options, ['display']);
  // The same TeX gives the same HTML: each formula is rendered once per process (a page and its rerun share them).
  const key = `${options.display === true ? 'D' : 'T'}${tex}`;
  const hit = rendered.get(key);
  if (hit !== undefined) return hit;
  let html: string;
  try {
    html = loadKatex().renderToString(tex, { ...SETTINGS, displayMode: options.display ?? false });
  } catch (error) {
    throw new DownhillError(`invalid TeX "${excerpt(tex)}": ${reasonOf(error)}`);
  }
  if (rendered.size >= MAX_RENDERED) rendered.clear();
  rendered.set(key, html);
  return html;
}

const SETTINGS = { output: 'htmlAndMathml', throwOnError: true, strict: 'ignore', trust: false } as const;

/** Formulas rendered so far, by display style and TeX (emptied when full). */
const rendered = new Map<string, string>();
const MAX_RENDERED = 20_000;

/** KaTeX's parser alone (no HTML built), where the build has it. */
const parseOnly = (): ((tex: string, options: object) => unknown) | undefined => (loadKatex() as unknown as { __parse?: (tex: string, options: object) => unknown }).__parse;

/**
 * Checks TeX without rendering it (KaTeX's parser): the same one-line
 * DownhillError as texToHtml for bad TeX. A lesson's blocks are checked
 * where the lesson writes them, and rendered only for a page.
 */
export function checkTex(tex: string, options: TexOptions = {}): void {
  const key = `${options.display === true ? 'D' : 'T'}${tex}`;
  if (checked.has(key)) return;
  accepted ??= acceptedTex(`checkTex 1 ${JSON.stringify(SETTINGS)}`);
  if (!accepted.has(key)) {
    const parse = parseOnly();
    if (parse === undefined || rendered.has(key)) {
      texToHtml(tex, options);
    } else {
      try {
        parse(tex, { ...SETTINGS, displayMode: options.display ?? false });
      } catch (error) {
        throw new DownhillError(`invalid TeX "${excerpt(tex)}": ${reasonOf(error)}`);
      }
    }
    accepted.add(key);
  }
  if (checked.size >= MAX_RENDERED) checked.clear();
  checked.add(key);
}

/**
 * The formulas KaTeX accepted in earlier runs of the command (keys as
 * `checked`'s), for this katex.js and SETTINGS (katex-bundle.ts's acceptedTex;
 * empty in the library, in the browser and on node ≥ 22.1). KaTeX's answer for a formula
 * depends on nothing else, so a formula found here is accepted without
 * loading KaTeX, and every other one is parsed: the same formulas are refused.
 * A rendered formula was parsed too (renderToString parses first).
 */
let accepted: ReturnType<typeof acceptedTex> | undefined;

/**
 * TeX checked so far, by display style and TeX (emptied when full): the parser
 * gives the same answer for the same TeX and style (no setting is carried from
 * one formula to the next: each parse gets its own macros), so a formula a
 * lesson writes again (lesson 4: 219 checks of 123 formulas) is parsed once.
 */
const checked = new Set<string>();
