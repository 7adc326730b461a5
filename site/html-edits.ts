/**
 * A section's new HTML as edits of the HTML the page shows (issue #24: a seed change painted within 100 ms).
 * A rerun with new numbers writes the same elements with other texts and attribute values: lesson 4's seed
 * changes some 380 kB of its sections' HTML, and parsing it was most of the page's patch. Where a child of the
 * section (a block: a paragraph, a formula, a table, a plot) has the same tags before and after, with the same
 * attribute names, the page is sent which of its texts and attribute values change, by their place in document
 * order, and sets them in the nodes it holds: nothing is parsed, and nothing else is laid out again. A child
 * whose tags differ, or that runs a script or holds a canvas (a step-through, a mountain: their nodes are
 * live), is sent as HTML, parsed alone; a script is sent again whenever its section changes (it runs again on
 * the section's new children, as when the page replaced the section).
 *
 * The places are those of the HTML parser's tree when it makes one element per start tag and one text node per
 * run of text between two tags, in order: the page checks that (the number of elements and of texts, and each
 * value it replaces) before it changes anything, and parses the whole section otherwise (site/live/edits.ts).
 *
 *   sectionEdits('<section id="a">\n<p>w = 1</p>\n</section>', '<section id="a">\n<p>w = 2</p>\n</section>')
 *   // { children: 1, edits: [{ child: 0, elements: 1, texts: 1, text: [[0, 'w = 1', 'w = 2']], attributes: [] }] }
 */

/** A text node's new value: its place among the child's text nodes (document order), its value before and after. */
export type TextEdit = readonly [index: number, before: string, after: string];
/** An attribute's new value: its element's place among the child's elements (the child itself is 0), the element's name, the attribute's name, its value before and after. */
export type AttributeEdit = readonly [element: number, tag: string, name: string, before: string, after: string];

/** One child of the section that changed: its new HTML, or the edits that make it from the one shown. */
export type ChildEdit =
  | { readonly child: number; readonly html: string }
  | { readonly child: number; readonly elements: number; readonly texts: number; readonly text: readonly TextEdit[]; readonly attributes: readonly AttributeEdit[] };

/** A section's edits: its number of element children, and those that changed (the others stay as shown). */
export interface SectionEdits { readonly children: number; readonly edits: readonly ChildEdit[] }

/** A tag's name, at its `<`. */
const NAME = /<(\/?)([A-Za-z][^\s/>]*)/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
/** Elements without an end tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Elements whose text is not markup: a child that holds one is sent whole. */
const RAW = new Set(['script', 'style', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);

/** A tag: its name (as written), whether it ends an element or opens one that has no end tag, and its offsets. */
interface Tag { readonly name: string; readonly end: boolean; readonly closed: boolean; readonly from: number; readonly to: number }

/** The offset after the tag that starts at `from` (its `>`, a quoted value holding any), or -1. */
function tagEnd(html: string, from: number): number {
  let quote = 0;
  let equals = false;
  for (let j = from + 1; j < html.length; j++) {
    const c = html.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 62) {
      return j + 1;
    } else if ((c === 34 || c === 39) && equals) {
      quote = c;
    } else if (c !== 32 && c !== 10 && c !== 9 && c !== 12) {
      equals = c === 61;
    }
  }
  return -1;
}

/** The HTML's tags, and the text before each (texts[k] before tags[k], the last after every tag); undefined where this reading may not be the parser's. */
function tokens(html: string): { tags: Tag[]; texts: string[] } | undefined {
  if (html.includes('<!') || html.includes('\r') || html.includes('<?')) return undefined;
  const tags: Tag[] = [];
  const texts: string[] = [];
  let at = 0;
  for (let from = html.indexOf('<'); from >= 0; from = html.indexOf('<', at)) {
    NAME.lastIndex = from;
    const name = NAME.exec(html);
    const to = tagEnd(html, from);
    if (name === null || to < 0) return undefined;
    texts.push(html.slice(at, from));
    const tag = name[2]!.toLowerCase();
    const end = name[1] === '/';
    tags.push({ name: name[2]!, end, closed: !end && (VOID.has(tag) || html.charCodeAt(to - 2) === 47), from, to });
    at = to;
    if (!end && RAW.has(tag)) {
      // Its text runs to its end tag, markup or not.
      const close = html.indexOf(`</${name[2]!}>`, at);
      if (close < 0) return undefined;
      texts.push(html.slice(at, close));
      tags.push({ name: name[2]!, end: true, closed: false, from: close, to: close + name[2]!.length + 3 });
      at = close + name[2]!.length + 3;
    }
  }
  texts.push(html.slice(at));
  return { tags, texts };
}

/**
 * Sections read, by a name of their HTML given by the caller (its fingerprint; not the HTML itself: a map keyed
 * by a 200 kB string hashes it), the last few: a run's new section is the next run's section before.
 */
const read = new Map<string, ReturnType<typeof tokens>>();
function tokensOnce(html: string, name: string | undefined): ReturnType<typeof tokens> {
  if (name === undefined) return tokens(html);
  if (read.has(name)) return read.get(name);
  const found = tokens(html);
  if (read.size >= 64) read.delete(read.keys().next().value!);
  read.set(name, found);
  return found;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Text as the parser reads it (its character references decoded); undefined where it holds one not read here. */
function decoded(text: string): string | undefined {
  if (!text.includes('&')) return text;
  let unread = false;
  const out = text.replace(/&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z]+));|&/g, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    const code = hex !== undefined ? Number.parseInt(hex, 16) : dec !== undefined ? Number(dec) : undefined;
    if (code !== undefined) {
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (code >= 0x80 && code <= 0x9f)) unread = true;
      return unread ? whole : String.fromCodePoint(code);
    }
    const value = name === undefined ? undefined : ENTITIES[name];
    if (value === undefined) unread = true;
    return value ?? whole;
  });
  return unread ? undefined : out;
}

/** A tag's attributes in order, as written (values not decoded); undefined for a name given twice. */
function attributesOf(html: string, tag: Tag): [string, string][] | undefined {
  const inner = html.slice(tag.from + 1 + tag.name.length, tag.closed && html[tag.to - 2] === '/' ? tag.to - 2 : tag.to - 1);
  const out: [string, string][] = [];
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(inner); m !== null; m = ATTRIBUTE.exec(inner)) out.push([m[1]!, m[2] ?? m[3] ?? m[4] ?? '']);
  return new Set(out.map(([n]) => n.toLowerCase())).size === out.length ? out : undefined;
}

/** What the parser makes of a run of text: no node, white space only (kept in a table), or text. */
const textKind = (text: string): 0 | 1 | 2 => (text === '' ? 0 : /^[ \t\n\f]*$/.test(text) ? 1 : 2);

/** A child of the section: the range of its tags. */
interface Child { readonly first: number; readonly last: number }

/** The section's element children, and the texts between them; undefined when its tags do not nest. */
function childrenOf(tags: readonly Tag[]): Child[] | undefined {
  if (tags.length < 2 || tags[0]!.end || !tags[tags.length - 1]!.end) return undefined;
  const children: Child[] = [];
  let depth = 0;
  let first = -1;
  for (let k = 1; k < tags.length - 1; k++) {
    const tag = tags[k]!;
    if (depth === 0) {
      if (tag.end) return undefined;
      first = k;
    }
    if (tag.end) depth--;
    else if (!tag.closed) depth++;
    if (depth < 0) return undefined;
    if (depth === 0) children.push({ first, last: k });
  }
  return depth === 0 ? children : undefined;
}

/** A child's edits from `before` to `after` (the same child in two runs), or undefined when its tags differ. */
function childEdits(old: NonNullable<ReturnType<typeof tokens>>, a: Child, oldHtml: string, now: NonNullable<ReturnType<typeof tokens>>, b: Child, html: string): Omit<Extract<ChildEdit, { elements: number }>, 'child'> | undefined {
  if (a.last - a.first !== b.last - b.first) return undefined;
  const text: TextEdit[] = [];
  const attributes: AttributeEdit[] = [];
  let elements = 0;
  let texts = 0;
  let pre = false;
  for (let k = 0; k <= a.last - a.first; k++) {
    const t = old.tags[a.first + k]!;
    const u = now.tags[b.first + k]!;
    if (k > 0) {
      // The text before this tag (a leading newline in a pre is not the parser's).
      let before = old.texts[a.first + k]!;
      let after = now.texts[b.first + k]!;
      if (pre) {
        if (before.startsWith('\n')) before = before.slice(1);
        if (after.startsWith('\n')) after = after.slice(1);
      }
      if (textKind(before) !== textKind(after)) return undefined;
      if (before !== '') {
        if (before !== after) {
          const x = decoded(before);
          const y = decoded(after);
          if (x === undefined || y === undefined) return undefined;
          if (x !== y) text.push([texts, x, y]);
        }
        texts++;
      }
    }
    if (t.name !== u.name || t.end !== u.end || t.closed !== u.closed || RAW.has(t.name.toLowerCase())) return undefined;
    pre = !t.end && ['pre', 'listing'].includes(t.name.toLowerCase());
    if (t.end) continue;
    const oldTag = oldHtml.slice(t.from, t.to);
    const newTag = html.slice(u.from, u.to);
    if (oldTag !== newTag) {
      const x = attributesOf(oldHtml, t);
      const y = attributesOf(html, u);
      if (x === undefined || y === undefined || x.length !== y.length) return undefined;
      for (let j = 0; j < x.length; j++) {
        if (x[j]![0] !== y[j]![0]) return undefined;
        if (x[j]![1] === y[j]![1]) continue;
        const before = decoded(x[j]![1]);
        const after = decoded(y[j]![1]);
        if (before === undefined || after === undefined) return undefined;
        if (before !== after) attributes.push([elements, t.name, x[j]![0], before, after]);
      }
    }
    elements++;
  }
  return { elements, texts, text, attributes };
}

/** A child the page must not edit: one that runs a script, holds a canvas, or is a mountain or a step-through (their live parts are the page's: a script's state, a canvas, data-ready). */
const isLive = (html: string): boolean => /<(script|canvas)\b|class="[^"]*\bdh-(mountain|steps)\b/i.test(html);
/** A child with a script: put in anew whenever its section changes, so that its script runs on the section's new children (a step-through's sets up the picture beside it). */
const hasScript = (html: string): boolean => /<script\b/i.test(html);

/**
 * The edits that make section HTML `after` from `before` (two runs' HTML of one section); undefined when the
 * two do not have the same children (their number, the text between them, the section's own tag), or when
 * either is not read here as the parser reads it. `names`: a name for each HTML (its fingerprint), under which
 * its reading is kept for the next call.
 */
export function sectionEdits(before: string, after: string, names?: { readonly before: string; readonly after: string }): SectionEdits | undefined {
  const old = tokensOnce(before, names?.before);
  const now = tokensOnce(after, names?.after);
  if (old === undefined || now === undefined) return undefined;
  const a = childrenOf(old.tags);
  const b = childrenOf(now.tags);
  if (a === undefined || b === undefined || a.length !== b.length) return undefined;
  const outer = (t: NonNullable<typeof old>, html: string): string => html.slice(0, t.tags[0]!.to) + html.slice(t.tags[t.tags.length - 1]!.from);
  if (outer(old, before) !== outer(now, after)) return undefined;
  // The texts between the children (white space) are the same.
  const between = (t: NonNullable<typeof old>, cs: Child[]): string => [t.texts[1], ...cs.map((c) => t.texts[c.last + 1])].join('\u0000');
  if (between(old, a) !== between(now, b)) return undefined;
  const edits: ChildEdit[] = [];
  a.forEach((x, k) => {
    const y = b[k]!;
    const was = before.slice(old.tags[x.first]!.from, old.tags[x.last]!.to);
    const html = after.slice(now.tags[y.first]!.from, now.tags[y.last]!.to);
    if (was === html && !hasScript(html)) return;
    const edit = isLive(html) || isLive(was) ? undefined : childEdits(old, x, before, now, y, after);
    edits.push(edit === undefined ? { child: k, html } : { child: k, ...edit });
  });
  return { children: a.length, edits };
}
