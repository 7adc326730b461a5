/**
 * The lessons: every file lessons/NN-name.ts that exports a lesson as
 * default. The file name is the registration; `findLesson('4')`,
 * `findLesson('backprop')` and `findLesson('./my-lesson.ts')` all work.
 * What each built-in lesson is (number, name, title, summary, settings) is
 * in the generated manifest (lesson/manifest.ts), so listing the lessons
 * imports none of them and finding one imports that one only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DownhillError } from '../errors.ts';
import { importLessonFile } from './import.ts';
import type { Lesson, LessonInfo } from './lesson.ts';
import { lessonManifest } from './manifest.ts';

/** A built-in lesson as the manifest lists it: what it is, and its file in lessons/ (no extension). */
export interface LessonEntry extends LessonInfo {
  readonly file: string;
}

/**
 * The built-in lessons, in order of number: from the manifest when it lists
 * exactly the lesson files there are (none is imported); otherwise (a lesson
 * added or removed since the manifest was written) read from the lessons
 * themselves, so a stale manifest is slow, never wrong.
 */
export async function lessonList(): Promise<readonly LessonEntry[]> {
  const files = await lessonFiles();
  const listed = lessonManifest.map((l) => `${l.file}.${lessonExt()}`).sort();
  if (files.length === listed.length && files.every((f, k) => f === listed[k])) return lessonManifest;
  return (await allLessons()).map((l) => ({ number: l.number, name: l.name, title: l.title, summary: l.summary, defaults: l.defaults, file: basename(sourceFiles.get(l)!).replace(/\.[cm]?[jt]s$/, '') }));
}

/** The built-in lesson files (NN-name.ts, or .js when built), sorted. */
async function lessonFiles(): Promise<string[]> {
  return (await readdir(lessonsDir())).filter((f) => new RegExp(`^\\d\\d-[a-z0-9-]+\\.${lessonExt()}$`).test(f)).sort();
}

/** The folder of the built-in lessons: lessons/*.ts from source, dist/lessons/*.js when built. */
const lessonExt = (): string => (import.meta.url.endsWith('.ts') ? 'ts' : 'js');

function lessonsDir(): string {
  return fileURLToPath(new URL('../../lessons/', import.meta.url));
}

/**
 * Refuses a lesson file that does not compile, with its place as
 * file:line:column, before Node imports it (whose own error has no place).
 */
async function checkSyntax(file: string, source: string): Promise<void> {
  // esbuild comes with tsx (which a .ts lesson needs); without it, node's own error is the report.
  const esbuild = await import('esbuild').catch(() => undefined);
  if (esbuild === undefined) return;
  const { transform } = esbuild;
  try {
    await transform(source, { loader: /\.ts$/.test(file) ? 'ts' : 'js', format: 'esm', sourcefile: file, logLevel: 'silent' });
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
    if (first === undefined) throw e;
    const at = first.location ? `:${first.location.line}:${first.location.column + 1}` : '';
    throw new DownhillError(`${file}${at}: syntax error: ${first.text}`);
  }
}

/** The file each loaded lesson came from: its page is named after it. */
const sourceFiles = new WeakMap<Lesson, string>();

/** The file a loaded lesson came from (undefined for one made in code). */
export const sourceFileOf = (lesson: Lesson): string | undefined => sourceFiles.get(lesson);

/** Imports a lesson file; a file given by path is checked first (the built-in ones need not be). */
async function load(file: string, byPath = false, version = 0): Promise<Lesson> {
  const builtIn = !byPath;
  if (byPath) {
    const info = await stat(file).catch(() => undefined);
    if (info === undefined) throw new DownhillError(`no lesson file ${file}`);
    if (!info.isFile()) throw new DownhillError(`${file} is ${info.isDirectory() ? 'a folder' : 'not a file'}: give the path of a lesson script`);
    await checkSyntax(file, await readFile(file, 'utf8'));
  }
  const module = (await importLessonFile(file, version, builtIn)) as { default?: Lesson };
  const lesson = module.default;
  if (!lesson || typeof lesson.run !== 'function') throw new DownhillError(`${file} does not export a lesson as default (use defineLesson)`);
  sourceFiles.set(lesson, file);
  return lesson;
}

/** Every built-in lesson, in order of number. */
export async function allLessons(): Promise<Lesson[]> {
  const files = await lessonFiles();
  const lessons = await Promise.all(files.map((f) => load(resolve(lessonsDir(), f))));
  return lessons.sort((a, b) => a.number - b.number);
}

/** True when `which` names a lesson file rather than a number or a name. */
export const isLessonPath = (which: string): boolean => /\.(ts|js|mjs)$/.test(which);

/**
 * A lesson by number, by name, or by the path of a lesson file of your own;
 * `version` > 0 loads that file afresh (after an edit: --watch).
 */
export async function findLesson(which: string, version = 0): Promise<Lesson> {
  if (isLessonPath(which)) return load(resolve(which), true, version);
  const lessons = await lessonList();
  const hit = /^\d+$/.test(which) ? lessons.find((l) => l.number === Number(which)) : lessons.find((l) => l.name === which);
  if (!hit) {
    const known = lessons.map((l) => `${l.number} ${l.name}`).join(', ');
    throw new DownhillError(`unknown lesson "${which}" (known: ${known || 'none yet'})`);
  }
  return load(resolve(lessonsDir(), `${hit.file}.${lessonExt()}`));
}

/**
 * The page file of a lesson, named after its file (lessons/04-backprop.ts:
 * 04-backprop.html; ./my-copy.ts: my-copy.html), so a copy never writes over
 * the original's page; a lesson made in code: NN-name.html.
 */
export function pageFile(lesson: Lesson | LessonEntry): string {
  const file = 'file' in lesson ? lesson.file : sourceFiles.get(lesson);
  if (file !== undefined) return `${basename(file).replace(/\.[cm]?[jt]s$/, '')}.html`;
  return `${String(lesson.number).padStart(2, '0')}-${lesson.name}.html`;
}
