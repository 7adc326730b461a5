/**
 * The terminal's measures: how many columns a text takes (its display
 * width), how wide the terminal is, and whether (and how) to colour.
 *
 *   displayWidth('σ(z)')      // 4
 *   displayWidth('e\u0301')   // 1: a combining accent takes no column
 *   displayWidth('漢字')       // 4: wide characters take two
 *   terminalWidth(process.stdout)   // its columns, 80 when piped
 */

/** Characters that take no column: combining marks, zero-width joiners and spaces, variation selectors, ANSI colour sequences. */
const ZERO = /\p{Mn}|\p{Me}|[\u200b-\u200f\u2060\ufe00-\ufe0f]|\x1b\[[0-9;]*m/uy;

/** East Asian wide and fullwidth characters and emoji: two columns each (Unicode's EastAsianWidth W and F, by block). */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** The number of terminal columns `text` (one line) takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length;) {
    // Printable ASCII (space to ~) takes one column: no regular expression for most of a line.
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) {
      width++;
      i++;
      continue;
    }
    ZERO.lastIndex = i;
    const zero = ZERO.exec(text);
    if (zero !== null) {
      i += zero[0].length;
      continue;
    }
    const c = String.fromCodePoint(text.codePointAt(i)!);
    width += WIDE.test(c) ? 2 : 1;
    i += c.length;
  }
  return width;
}

/** A text padded with spaces to `width` columns, at the end (or at the start: `start`). */
export function padDisplay(text: string, width: number, start = false): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return start ? fill + text : text + fill;
}

/** An output stream as far as measuring it goes (process.stdout, or a test's). */
export interface Terminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const env = (name: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
const stdout = (): Terminal | undefined => (globalThis as { process?: { stdout?: Terminal } }).process?.stdout;

/** The width of the terminal: its columns when it is one, 80 when piped (or in a browser). */
export function terminalWidth(stream: Terminal | null | undefined = stdout()): number {
  return stream?.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : 80;
}

/**
 * Whether to colour what goes to `stream`: never with NO_COLOR set (not
 * empty), always with FORCE_COLOR set (but 0 or false), else only on a
 * terminal: never in a pipe or a file.
 */
export function colourOn(stream: Terminal | null | undefined = stdout()): boolean {
  if ((env('NO_COLOR') ?? '') !== '') return false;
  const force = env('FORCE_COLOR');
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream?.isTTY === true;
}

type Style = 'red' | 'green' | 'yellow' | 'bold';
/** SGR codes, as util.styleText writes them (for a node without it, or a browser). */
const SGR: Record<Style, readonly [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], bold: [1, 22] };

/** util.styleText when node has it (20.12+), asked for at run time so a browser bundle sees no node: import. */
function styleText(): ((format: Style[], text: string, options?: object) => string) | undefined {
  const util = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule?.('node:util') as { styleText?: (format: Style[], text: string, options?: object) => string } | undefined;
  return util?.styleText;
}

/** `text` in the styles given (the caller has decided, with colourOn, that colour is wanted). */
export function styled(styles: readonly Style[], text: string): string {
  // validateStream false: the decision is colourOn's (node 22's styleText would ask stdout again).
  const own = styleText();
  if (own !== undefined) return own([...styles], text, { validateStream: false });
  return styles.reduce((t, s) => `\x1b[${SGR[s][0]}m${t}\x1b[${SGR[s][1]}m`, text);
}

/**
 * The verdicts of a report and a run, by colour:
 *   red     WRONG, FAIL, failed, diverged, "claims are wrong", ✘
 *   yellow  warning(s), kink(s), stuck, overshooting
 *   green   pass, passed, "is right", "every claim is right", "reached the bottom", ✔
 */
const VERDICTS: readonly (readonly [RegExp, readonly Style[]])[] = [
  [/\b(?:WRONG|FAIL|failed|diverged(?: from step \d+| at step \d+)?|\d+ of \d+ claims? (?:are|is) wrong)\b|✘/g, ['red', 'bold']],
  [/\b(?:warnings?|kinks?|stuck|overshooting)\b/g, ['yellow']],
  [/\b(?:pass|passed|is right|every claim is right|reached the bottom)\b|✔/g, ['green']],
];

/** Terminal text with its verdict words coloured, when `stream` takes colour (colourOn); else the text as it is. */
export function colourVerdicts(text: string, stream: Terminal | null | undefined = stdout()): string {
  if (!colourOn(stream)) return text;
  return VERDICTS.reduce((t, [pattern, styles]) => t.replace(pattern, (word) => styled(styles, word)), text);
}
