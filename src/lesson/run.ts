/**
 * Running a lesson: settings checked against the lesson's flags, the
 * story told in the terminal, and its HTML page written.
 *
 *   await runLesson(await findLesson('4'), { settings: { lr: 0.5 }, outDir: 'out/lessons' })
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DownhillError } from '../errors.ts';
import { checkPagesFolder, escapeHtml, renderPage, writePages } from '../render/page.ts';
import { documentHtml, type DocumentHtmlOptions } from '../render/html.ts';
import { createDoc, type DocOptions } from './doc.ts';
import type { Document } from '../render/document.ts';
import type { Lesson } from './lesson.ts';
import { settingsFor, type LessonSettings } from './settings.ts';
import { lessonList, pageFile, type LessonEntry } from './registry.ts';

export interface RunOptions {
  /** Flags given by the user; each must be one the lesson takes. */
  readonly settings?: LessonSettings;
  /** Folder for the HTML page; null writes none (default 'out/lessons'). */
  readonly outDir?: string | null;
  /** Terminal output (default process.stdout; null for none). */
  readonly terminal?: DocOptions['out'];
}

/** Lessons' documents at their defaults, while `keepingDefaultDocuments` runs; null the rest of the time. */
let kept: Map<Lesson, Promise<Document>> | null = null;

/**
 * Where `keepingDefaultDocuments` may find a lesson's document at its defaults made by an earlier process, and keeps
 * the ones it makes (the tests' site build: test/support/lesson-documents.ts, a cache between test runs).
 */
export interface DefaultDocumentStore {
  /** The lesson's document at its defaults, if one is kept for exactly this lesson and what it runs on; else undefined. */
  get(lesson: Lesson): Promise<Document | undefined>;
  /** Keeps the document the lesson just made at its defaults. */
  set(lesson: Lesson, doc: Document): Promise<void>;
}

/** The store of the running `keepingDefaultDocuments`, if it was given one. */
let store: DefaultDocumentStore | undefined;

/**
 * A lesson's document (render/document.ts), told in the terminal as it is
 * written when `terminal` is given; `onCheckpoint` receives the document at
 * each checkpoint of a long run (the live page's progress: LessonDoc.checkpoint), and `onTick` its
 * ticks (LessonDoc.tick).
 */
export async function lessonDocument(lesson: Lesson, settings: LessonSettings = {}, terminal: DocOptions['out'] = null, onCheckpoint?: DocOptions['onCheckpoint'], onTick?: DocOptions['onTick']): Promise<Document> {
  const keep = kept !== null && Object.keys(settings).length === 0 && terminal === null && onCheckpoint === undefined && onTick === undefined ? kept : null;
  const hit = keep?.get(lesson);
  if (hit !== undefined) return hit;
  const shelf = keep === null ? undefined : store;
  const doc = shelf === undefined
    ? tell(lesson, settingsFor(lesson, settings), terminal, true, onCheckpoint, onTick)
    : (async () => {
      const stored = await shelf.get(lesson);
      if (stored !== undefined) return stored;
      const made = await tell(lesson, settingsFor(lesson, settings), null, true);
      await shelf.set(lesson, made);
      return made;
    })();
  keep?.set(lesson, doc);
  return doc;
}

/**
 * Runs `work` with each lesson's document at its defaults (no terminal, no checkpoints, no ticks) made once and kept until
 * `work` ends: work that writes a lesson's page twice at its defaults (the live site and the lessons' own pages, built
 * together for the tests: test/support/site.ts) runs the lesson once. With a `store`, a document is first looked for
 * there, and one made is put there (kept beyond this process). The documents are read, never changed; outside
 * `work` (and with any setting given) every call runs the lesson. Not reentrant: `work` must not call it again.
 */
export async function keepingDefaultDocuments<T>(work: () => Promise<T>, documents?: DefaultDocumentStore): Promise<T> {
  if (kept !== null) throw new Error('keepingDefaultDocuments: already keeping documents');
  kept = new Map();
  store = documents;
  try {
    return await work();
  } finally {
    kept = null;
    store = undefined;
  }
}

/** Tells a lesson with its settings (defaults merged: settingsFor); its document (plots and pictures drawn) unless `page` is false. */
async function tell(lesson: Lesson, settings: LessonSettings, terminal: NonNullable<DocOptions['out']> | null): Promise<Document>;
async function tell(lesson: Lesson, settings: LessonSettings, terminal: NonNullable<DocOptions['out']> | null, page: false): Promise<undefined>;
async function tell(lesson: Lesson, settings: LessonSettings, terminal: NonNullable<DocOptions['out']> | null, page: true, onCheckpoint?: DocOptions['onCheckpoint'], onTick?: DocOptions['onTick']): Promise<Document>;
async function tell(lesson: Lesson, settings: LessonSettings, terminal: NonNullable<DocOptions['out']> | null, page = true, onCheckpoint?: DocOptions['onCheckpoint'], onTick?: DocOptions['onTick']): Promise<Document | undefined> {
  const doc = createDoc({
    out: terminal, title: `Lesson ${lesson.number}: ${lesson.title}`, subtitle: lesson.summary,
    ...(onCheckpoint === undefined ? {} : { onCheckpoint }), ...(onTick === undefined ? {} : { onTick }),
  });
  await lesson.run(doc, settings);
  return page ? doc.document() : undefined;
}

/** Where a lesson page links: the index (when there is one) and the previous and next lessons' pages. */
export interface PageLinks {
  readonly index?: boolean;
  readonly previous?: Lesson | LessonEntry;
  readonly next?: Lesson | LessonEntry;
  /** More links after those (the site: the lesson's practice page). */
  readonly also?: readonly { readonly href: string; readonly text: string }[];
}

function navOf(links: PageLinks): { href: string; text: string }[] {
  return [
    ...(links.previous === undefined ? [] : [{ href: pageFile(links.previous), text: `← lesson ${links.previous.number}: ${links.previous.title}` }]),
    ...(links.index === true ? [{ href: 'index.html', text: 'all lessons' }] : []),
    ...(links.next === undefined ? [] : [{ href: pageFile(links.next), text: `lesson ${links.next.number}: ${links.next.title} →` }]),
    ...(links.also ?? []),
  ];
}

/**
 * The page of a lesson, without writing it, linking as `links` says; `live`, its live parts, may be made
 * from the lesson's document (the site writes what the page's sections are into them).
 */
export async function lessonPage(lesson: Lesson, settings: LessonSettings = {}, terminal: DocOptions['out'] = null, links: PageLinks | boolean = {}, live?: DocumentHtmlOptions['live'] | ((doc: Document) => DocumentHtmlOptions['live'])): Promise<string> {
  const doc = await lessonDocument(lesson, settings, terminal);
  return pageOf(doc, links, typeof live === 'function' ? live(doc) : live);
}

function pageOf(doc: Document, links: PageLinks | boolean, live?: DocumentHtmlOptions['live']): string {
  const nav = navOf(typeof links === 'boolean' ? { index: links } : links);
  return documentHtml(doc, { ...(nav.length === 0 ? {} : { nav }), ...(live === undefined ? {} : { live }) });
}

/** The built-in lessons (from the manifest: none imported) just before and after `lesson` whose pages are in `outDir`. */
async function neighbours(lesson: Lesson, outDir: string): Promise<{ previous?: LessonEntry; next?: LessonEntry }> {
  const all = await lessonList();
  const k = all.findIndex((l) => l.number === lesson.number && l.name === lesson.name);
  if (k < 0) return {};
  const there = (l: LessonEntry | undefined): l is LessonEntry => l !== undefined && existsSync(join(outDir, pageFile(l)));
  const previous = all[k - 1];
  const next = all[k + 1];
  return { ...(there(previous) ? { previous } : {}), ...(there(next) ? { next } : {}) };
}

/** Runs a lesson in the terminal and writes its page; resolves to the page's path (or undefined). */
export async function runLesson(lesson: Lesson, options: RunOptions = {}): Promise<string | undefined> {
  const terminal = options.terminal === undefined ? process.stdout : options.terminal;
  const outDir = options.outDir === undefined ? 'out/lessons' : options.outDir;
  // Bad flags and a bad folder are refused before anything is printed.
  const settings = settingsFor(lesson, options.settings);
  if (outDir !== null && outDir.trim() === '') throw new DownhillError('the output folder is empty: give a folder name (or no page at all)');
  if (outDir !== null) await checkPagesFolder(outDir, [{ file: pageFile(lesson) }]);
  if (outDir === null) {
    // The terminal only: no plot or picture is drawn (their libraries are not even loaded).
    await tell(lesson, settings, terminal, false);
    return undefined;
  }
  // Link the index and the neighbours only where their pages are: a lone page has none.
  const html = pageOf(await tell(lesson, settings, terminal), { index: existsSync(join(outDir, 'index.html')), ...await neighbours(lesson, outDir) });
  await writePages(outDir, [{ file: pageFile(lesson), html }]);
  const path = resolve(join(outDir, pageFile(lesson)));
  terminal?.write(`\nThe page: ${path}\n`);
  return path;
}

/** Writes every lesson's page and an index page into `outDir`. */
export async function writeLessonSite(lessons: readonly Lesson[], outDir: string, onPage?: (lesson: Lesson, index: number) => void): Promise<string> {
  if (outDir.trim() === '') throw new DownhillError('the output folder is empty: give a folder name');
  await checkPagesFolder(outDir, [...lessons.map((l) => ({ file: pageFile(l) })), { file: 'index.html' }]);
  const pages = [];
  for (const [k, lesson] of lessons.entries()) {
    onPage?.(lesson, k);
    const previous = lessons[k - 1];
    const next = lessons[k + 1];
    pages.push({ file: pageFile(lesson), html: await lessonPage(lesson, {}, null, { index: true, ...(previous === undefined ? {} : { previous }), ...(next === undefined ? {} : { next }) }) });
  }
  const items = lessons.map((l) => `<li><a href="${escapeHtml(pageFile(l))}">Lesson ${l.number}: ${escapeHtml(l.title)}</a> — ${escapeHtml(l.summary)}</li>`);
  const index = renderPage({
    title: 'downhill: the lessons',
    subtitle: 'How a neural network learns, one exact derivative at a time.',
    bodyHtml: `<ol class="lessons">\n${items.join('\n')}\n</ol>`,
  });
  await writePages(outDir, [...pages, { file: 'index.html', html: index }]);
  return resolve(join(outDir, 'index.html'));
}
