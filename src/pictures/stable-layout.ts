/**
 * Pictures whose layout does not depend on the numbers they show. A number
 * in a label, marked with `labelNumber`, is laid out by Graphviz as a slot:
 * a run of placeholder characters whose width depends only on the number's
 * size class (at least as wide as the number, by Graphviz's own estimate),
 * and the number is written into the SVG text in the slot's place (the line
 * keeps Graphviz's alignment: left-aligned lines start where the slot's line
 * started, centred ones stay centred). The picture's id prefix (a hash of its numbers:
 * idPrefix) is laid out as one placeholder character too. So a picture
 * redrawn with other numbers (a live page's new seed) has the same DOT
 * for Graphviz, `key`, and its layout is laid out once (render.ts keeps it).
 * Every picture is laid out this way, on the command line and in the live
 * page alike, so both draw the same SVG.
 *
 *   character          stands for
 *   U+E001 … U+E002    a number in a label, as written by labelNumber (never sent to Graphviz)
 *   U+E100 + k         the start of slot k (the k-th marked number)
 *   U+E000             the rest of a slot: one per 3 units of width (see `units`)
 *   U+E003             the id prefix (in ids and node names)
 *
 *   stableDot('digraph { graph [id="dh1"]; dh1_n0 [id="dh1_n0", label="= \uE0010.25\uE002"]; }')
 *   // { key: 'digraph { graph [id="\uE003"]; \uE003_n0 [id="\uE003_n0", label="= \uE100\uE000\uE000\uE000\uE000\uE000"]; }',
 *   //   numbers: ['0.25'], prefix: 'dh1', slots: [6] }
 */

const OPEN = '\uE001';
const CLOSE = '\uE002';
const FILL = '\uE000';
const PREFIX = '\uE003';
const FIRST_SLOT = 0xe100;
const LAST_SLOT = 0xf8ff;
/** Any character of the Unicode private use area, where the placeholders are. */
const PRIVATE = /[\uE000-\uF8FF]/;
/**
 * A marked number: digits, letters (Infinity, NaN, e), points, signs. Nothing DOT or a label escapes (quotes,
 * backslashes, &, <, >), so Graphviz writes it as marked; anything else marked is left marked, and the DOT laid out as it is.
 */
const MARKED = /\uE001([0-9A-Za-z.+\-\u2212]*)\uE002/g;
/** One slot in a text Graphviz wrote: its start and its fill. */
const SLOT = /[\uE100-\uF8FF]\uE000*/g;

/** A number (as text) marked for a picture's label: laid out in a slot, written in its place (see the file's comment). */
export function labelNumber(text: string): string {
  return `${OPEN}${text}${CLOSE}`;
}

/** A label's text with its marks taken out (for a DOT given to Graphviz as it is). */
export function unmarked(text: string): string {
  return text.replace(/[\uE001\uE002]/g, '');
}

/**
 * The width of a number's text in units of Graphviz's estimate of a space, at most (its estimate, for a font it
 * knows, is the sum of each character's width; a character outside ASCII counts as one space per UTF-8 byte):
 * a digit is 2 (Helvetica's and Times' digits are twice their space; Courier's are one), a point 1, any other
 * character (a minus sign −: 3 bytes, e, +) at most 3.
 */
function units(text: string): number {
  let u = 0;
  for (const c of text) u += c >= '0' && c <= '9' ? 2 : c === '.' ? 1 : 3;
  return u;
}

/** Every slot is at least this many characters (3 units each): as wide as −0.001234 (18 units), so 4 significant digits fit one size. */
const MIN_SLOT = 6;

/** The DOT Graphviz lays out, and what to write in place of its placeholders. */
export interface StableDot {
  readonly key: string;
  /** The marked numbers, in order: slot k is numbers[k]. */
  readonly numbers: readonly string[];
  /** Each slot's length in characters. */
  readonly slots: readonly number[];
  /** The id prefix that U+E003 stands for, if the DOT had one (a graph id of letters and digits). */
  readonly prefix?: string;
}

/**
 * The DOT Graphviz lays out for `dot`, or undefined when it has no marked number or
 * holds placeholder characters of its own (then it is laid out as it is, unmarked).
 */
export function stableDot(dot: string): StableDot | undefined {
  if (PRIVATE.test(dot.replace(MARKED, ''))) return undefined;
  const numbers: string[] = [];
  const slots: number[] = [];
  let key = dot.replace(MARKED, (_m, text: string) => {
    const k = numbers.length;
    const length = Math.max(MIN_SLOT, Math.ceil(units(text) / 3));
    numbers.push(text);
    slots.push(length);
    return k > LAST_SLOT - FIRST_SLOT ? '' : String.fromCharCode(FIRST_SLOT + k) + FILL.repeat(length - 1);
  });
  if (numbers.length === 0 || numbers.length > LAST_SLOT - FIRST_SLOT + 1) return undefined;
  // The prefix (render.ts's idPrefix: a hash of the picture's numbers too), where it is an id or a node name's start.
  const prefix = /\bgraph \[id="([A-Za-z][A-Za-z0-9]*)"/.exec(key)?.[1];
  if (prefix === undefined) return { key, numbers, slots };
  const at = new RegExp(`(?<![A-Za-z0-9_])${prefix}(?=[_"])`, 'g');
  const named = key.match(at)?.length ?? 0;
  // Anywhere else (inside a word of a label), it stays as it is.
  if (named !== key.split(prefix).length - 1) return { key, numbers, slots };
  key = key.replace(at, PREFIX);
  return { key, numbers, slots, prefix };
}

/** Writes a text of the layout of `stable.key` as the picture's: numbers in their slots, the prefix in its place. */
export function restoredText(text: string, stable: StableDot): string {
  const withNumbers = text.replace(SLOT, (run) => stable.numbers[run.charCodeAt(0) - FIRST_SLOT] ?? run);
  return stable.prefix === undefined ? withNumbers : withNumbers.replaceAll(PREFIX, stable.prefix);
}

/**
 * Whether the layout's texts hold each slot once and whole (Graphviz wrote every label's text as given:
 * no slot split between two texts or lost), and no other placeholder character: else the picture is laid out as
 * it is, unmarked.
 */
export function slotsWhole(texts: readonly string[], stable: StableDot): boolean {
  const seen = new Array<number>(stable.numbers.length).fill(0);
  for (const text of texts) {
    for (const run of text.match(SLOT) ?? []) {
      const k = run.charCodeAt(0) - FIRST_SLOT;
      if (k >= seen.length || run.length !== stable.slots[k]) return false;
      seen[k]!++;
    }
    if (/[\uE001\uE002\uE004-\uE0FF]/.test(text) || /(^|[^\uE000-\uF8FF])\uE000/.test(text)) return false;
  }
  return seen.every((n) => n === 1);
}
