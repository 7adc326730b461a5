// Reading a lesson's document in tests: its tables by a header or caption,
// rows by their first cell, formulas as TeX, prose as plain text.
import { createDoc, type LessonDoc } from '../../src/lesson/doc.ts';
import { findLesson } from '../../src/lesson/registry.ts';
import { lessonDocument } from '../../src/lesson/run.ts';
import { settingsFor } from '../../src/lesson/settings.ts';
import type { Block, Cell, Document } from '../../src/render/document.ts';
import { proseOf, tablesOf } from '../../src/render/document.ts';
import type { LessonSettings } from '../../src/lesson/settings.ts';

export type Table = Extract<Block, { kind: 'table' }>;

/** The document of a built-in lesson (by number or name) or a lesson file, with these settings. */
export async function lessonDoc(which: string, settings: LessonSettings = {}): Promise<Document> {
  return lessonDocument(await findLesson(which), settings);
}

/**
 * The document of a built-in lesson as lessonDoc gives it (the same title, subtitle, settings merged by settingsFor, no
 * terminal), with its plots and pictures left undrawn: each keeps its caption (or terminal text) and its place, with an
 * empty drawing. The lesson's lazy drawing (render/lazy.ts) is never awaited, so never made. For the knob sweeps, whose
 * checks read the narration, tables and formulas, never a drawing: each sweep draws its grid's corners with lessonDoc
 * and checks that they draw.
 */
export async function undrawnDoc(which: string, settings: LessonSettings = {}): Promise<Document> {
  const lesson = await findLesson(which);
  const doc = createDoc({ out: null, title: `Lesson ${lesson.number}: ${lesson.title}`, subtitle: lesson.summary });
  const undrawn: LessonDoc = { ...doc, plot: (_svg, caption) => doc.plot('', caption), html: (_html, terminal) => doc.html('', terminal) };
  await lesson.run(undrawn, settingsFor(lesson, settings));
  return doc.document();
}

/** The plots' and pictures' drawings of a document (each must be an SVG when drawn). */
export function drawings(doc: Document): string[] {
  return doc.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === 'plot' ? [b.svg] : b.kind === 'picture' ? [b.html] : []));
}

/** The first table with a header or caption containing `label`. */
export function table(doc: Document, label: string): Table {
  const t = tablesOf(doc).find((b) => b.headers.some((h) => h.includes(label)) || (b.caption ?? '').includes(label));
  if (t === undefined) throw new Error(`no table with a header or caption containing "${label}"`);
  return t;
}

/** The column of `t` whose header contains `label`, as an index. */
export function column(t: Table, label: string): number {
  const c = t.headers.findIndex((h) => h.includes(label));
  if (c < 0) throw new Error(`no column "${label}" in [${t.headers.join(', ')}]`);
  return c;
}

/** The row of `t` whose first cell is `first`. */
export function row(t: Table, first: Cell): readonly Cell[] {
  const r = t.rows.find((cells) => cells[0] === first);
  if (r === undefined) throw new Error(`no row starting with ${String(first)}`);
  return r;
}

/** The cell of `t` in the row whose first cell is `first`, column `label`. */
export function cell(t: Table, first: Cell, label: string): Cell {
  return row(t, first)[column(t, label)]!;
}

/** Every displayed formula's TeX. */
export function formulas(doc: Document): string[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'formula' ? [b.tex] : [])));
}

/** All the prose, one string (blocks joined by newlines), TeX left as written. */
export function prose(doc: Document): string {
  return proseOf(doc).join('\n');
}

/** The number captured by the first group of `pattern` in `text`. */
export function numberAfter(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  if (!m?.[1]) throw new Error(`no match for ${pattern}`);
  return Number(m[1].replace('−', '-'));
}
