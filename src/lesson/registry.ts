/**
 * The lessons: every file lessons/NN-name.ts that exports a lesson as
 * default. The file name is the registration; `findLesson('4')`,
 * `findLesson('backprop')` and `findLesson('./my-lesson.ts')` all work.
 */
import { access, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DownhillError } from '../errors.ts';
import { importLessonFile } from './import.ts';
import type { Lesson } from './lesson.ts';

/** The folder of the built-in lessons: lessons/*.ts from source, dist/lessons/*.js when built. */
export const lessonsDir = fileURLToPath(new URL('../../lessons/', import.meta.url));
const lessonExt = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

async function load(file: string): Promise<Lesson> {
  try {
    await access(file);
  } catch {
    throw new DownhillError(`no lesson file ${file}`);
  }
  const module = (await importLessonFile(file)) as { default?: Lesson };
  const lesson = module.default;
  if (!lesson || typeof lesson.run !== 'function') throw new DownhillError(`${file} does not export a lesson as default (use defineLesson)`);
  return lesson;
}

/** Every built-in lesson, in order of number. */
export async function allLessons(): Promise<Lesson[]> {
  const files = (await readdir(lessonsDir)).filter((f) => new RegExp(`^\\d\\d-[a-z0-9-]+\\.${lessonExt}$`).test(f)).sort();
  const lessons = await Promise.all(files.map((f) => load(resolve(lessonsDir, f))));
  return lessons.sort((a, b) => a.number - b.number);
}

/** A lesson by number, by name, or by the path of a lesson file of your own. */
export async function findLesson(which: string): Promise<Lesson> {
  if (/\.(ts|js|mjs)$/.test(which)) return load(resolve(which));
  const lessons = await allLessons();
  const hit = /^\d+$/.test(which) ? lessons.find((l) => l.number === Number(which)) : lessons.find((l) => l.name === which);
  if (!hit) {
    const known = lessons.map((l) => `${l.number} ${l.name}`).join(', ');
    throw new DownhillError(`unknown lesson "${which}" (known: ${known || 'none yet'})`);
  }
  return hit;
}

/** The page file of a lesson: 04-backprop.html. */
export function pageFile(lesson: Lesson): string {
  return `${String(lesson.number).padStart(2, '0')}-${lesson.name}.html`;
}
