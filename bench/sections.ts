/**
 * Sections of a generated Markdown file that another command writes: each
 * between `<!-- name -->` and `<!-- /name -->` lines. docs/benchmarks.md is
 * written by `npm run bench` (bench/bench.ts), except its live-site section,
 * written by `npx tsx site/measure.ts --write`; each command replaces only
 * its own part and keeps the other's.
 *
 *   withSection(doc, 'site', '## The live site\n…')   // doc with that section replaced (or appended)
 *   sectionOf(doc, 'site')                             // the section with its markers, or ''
 */
/** docs/benchmarks.md's section written by site/measure.ts. */
export const SITE_SECTION = 'site';

const open = (name: string): string => `<!-- ${name} -->`;
const close = (name: string): string => `<!-- /${name} -->`;

/** Where the section `name` stands in `doc` (its markers included), or undefined. */
function span(doc: string, name: string): { start: number; end: number } | undefined {
  const start = doc.indexOf(`${open(name)}\n`);
  if (start < 0) return undefined;
  const end = doc.indexOf(close(name), start);
  if (end < 0) throw new Error(`${open(name)} has no ${close(name)} after it`);
  return { start, end: end + close(name).length };
}

/** The section `name` of `doc`, markers included ('' when it has none). */
export function sectionOf(doc: string, name: string): string {
  const at = span(doc, name);
  return at === undefined ? '' : doc.slice(at.start, at.end);
}

/** `doc` with the section `name` holding `body` (in place, or appended after a blank line). */
export function withSection(doc: string, name: string, body: string): string {
  const section = `${open(name)}\n${body.trim()}\n${close(name)}`;
  const at = span(doc, name);
  if (at === undefined) return `${doc.trimEnd()}\n\n${section}\n`;
  return doc.slice(0, at.start) + section + doc.slice(at.end);
}

/** `fresh` (a command's new file) with the section `name` of `old` (the file it replaces) kept, when `old` had one. */
export function keepSection(fresh: string, old: string, name: string): string {
  const kept = sectionOf(old, name);
  if (kept === '') return fresh;
  return withSection(fresh, name, kept.slice(open(name).length + 1, -close(name).length));
}
