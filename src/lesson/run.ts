/**
 * Running a lesson: settings checked against the lesson's flags, the
 * story told in the terminal, and its HTML page written.
 *
 *   await runLesson(await findLesson('4'), { settings: { lr: 0.5 }, outDir: 'out/lessons' })
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DownhillError } from '../errors.ts';
import { escapeHtml, renderPage, writePages } from '../render/page.ts';
import { createDoc, type DocOptions } from './doc.ts';
import type { Lesson, LessonFlag, LessonSettings } from './lesson.ts';
import { pageFile } from './registry.ts';

export interface RunOptions {
  /** Flags given by the user; each must be one the lesson takes. */
  readonly settings?: LessonSettings;
  /** Folder for the HTML page; null writes none (default 'out/lessons'). */
  readonly outDir?: string | null;
  /** Terminal output (default process.stdout; null for none). */
  readonly terminal?: DocOptions['out'];
}

/** The lesson's settings: its defaults, overridden by the user's flags. */
export function lessonSettings(lesson: Lesson, given: LessonSettings = {}): LessonSettings {
  const takes = Object.keys(lesson.defaults) as LessonFlag[];
  for (const flag of Object.keys(given) as LessonFlag[]) {
    if (given[flag] !== undefined && !takes.includes(flag)) {
      const list = takes.length === 0 ? 'no flags' : takes.map((f) => `--${f}`).join(', ');
      throw new DownhillError(`lesson ${lesson.number} (${lesson.name}) takes no --${flag} (it takes ${list})`);
    }
  }
  return { ...lesson.defaults, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
}

/**
 * The page of a lesson, without writing it. `linkIndex` adds a link to
 * `index.html` beside it: only for a folder that has the index.
 */
export async function lessonPage(lesson: Lesson, settings: LessonSettings = {}, terminal: DocOptions['out'] = null, linkIndex = false): Promise<string> {
  const doc = createDoc({ out: terminal });
  await lesson.run(doc, lessonSettings(lesson, settings));
  return doc.toHtml({
    title: `Lesson ${lesson.number}: ${lesson.title}`,
    subtitle: lesson.summary,
    ...(linkIndex ? { nav: [{ href: 'index.html', text: 'all lessons' }] } : {}),
  });
}

/** Runs a lesson in the terminal and writes its page; resolves to the page's path (or undefined). */
export async function runLesson(lesson: Lesson, options: RunOptions = {}): Promise<string | undefined> {
  const terminal = options.terminal === undefined ? process.stdout : options.terminal;
  const outDir = options.outDir === undefined ? 'out/lessons' : options.outDir;
  // Bad flags and a bad folder are refused before anything is printed.
  lessonSettings(lesson, options.settings);
  if (outDir !== null && outDir.trim() === '') throw new DownhillError('the output folder is empty: give a folder name (or no page at all)');
  terminal?.write(`Lesson ${lesson.number}: ${lesson.title}\n${lesson.summary}\n`);
  // Link the index only where `downhill lessons --html` wrote one: a lone page has none.
  const html = await lessonPage(lesson, options.settings, terminal, outDir !== null && existsSync(join(outDir, 'index.html')));
  if (outDir === null) return undefined;
  await writePages(outDir, [{ file: pageFile(lesson), html }]);
  const path = resolve(join(outDir, pageFile(lesson)));
  terminal?.write(`\nThe page: ${path}\n`);
  return path;
}

/** Writes every lesson's page and an index page into `outDir`. */
export async function writeLessonSite(lessons: readonly Lesson[], outDir: string): Promise<string> {
  if (outDir.trim() === '') throw new DownhillError('the output folder is empty: give a folder name');
  const pages = [];
  for (const lesson of lessons) pages.push({ file: pageFile(lesson), html: await lessonPage(lesson, {}, null, true) });
  const items = lessons.map((l) => `<li><a href="${escapeHtml(pageFile(l))}">Lesson ${l.number}: ${escapeHtml(l.title)}</a> — ${escapeHtml(l.summary)}</li>`);
  const index = renderPage({
    title: 'downhill: the lessons',
    subtitle: 'How a neural network learns, one exact derivative at a time.',
    bodyHtml: `<ol class="lessons">\n${items.join('\n')}\n</ol>`,
  });
  await writePages(outDir, [...pages, { file: 'index.html', html: index }]);
  return resolve(join(outDir, 'index.html'));
}
