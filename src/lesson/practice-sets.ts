/**
 * The practice sets: every file lessons/practice/NN-name.ts that exports a
 * set (definePractice) as default, found as the lessons are (the file name
 * is the registration). `downhill practice` and the site's practice pages
 * read them here.
 *
 *   await findSet('4')            // the set of lesson 4
 *   practiceFile(set)             // 'practice-04-backprop.html', its page in the site
 */
import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DownhillError, visible } from '../errors.ts';
import type { PracticeSet } from '../practice/practice.ts';
import { lessonFailure } from './failure.ts';
import { importLessonFile } from './import.ts';

const ext = (): string => (import.meta.url.endsWith('.ts') ? 'ts' : 'js');
const setsDir = (): string => fileURLToPath(new URL('../../lessons/practice/', import.meta.url));

/** Imports a set file; `builtIn`: one of downhill's own (no module hook needed). A user's file that fails to load is told as the lesson loader tells it (file:line:column). */
async function loadSet(file: string, builtIn = false): Promise<PracticeSet> {
  let module: { default?: PracticeSet };
  try {
    module = (await importLessonFile(file, 0, builtIn)) as { default?: PracticeSet };
  } catch (e) {
    throw builtIn ? e : lessonFailure(e);
  }
  const set = module.default;
  if (!set || typeof set.items !== 'function') throw new DownhillError(`${file} does not export a practice set as default (use definePractice)`);
  return set;
}

/** Every built-in set, in lesson order. */
export async function allSets(): Promise<PracticeSet[]> {
  const files = (await readdir(setsDir())).filter((f) => new RegExp(`^\\d\\d-[a-z0-9-]+\\.${ext()}$`).test(f)).sort();
  return Promise.all(files.map((f) => loadSet(resolve(setsDir(), f), true)));
}

/** A set by lesson number, name, or file path. */
export async function findSet(which: string): Promise<PracticeSet> {
  if (/[\\/]|\.[cm]?[jt]s$/.test(which)) {
    const file = resolve(which);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined) throw new DownhillError(`no practice file ${which}`);
    if (!info.isFile()) throw new DownhillError(`${which} is not a file: give the path of a practice set`);
    return loadSet(file);
  }
  const sets = await allSets();
  const found = sets.find((s) => String(s.lesson) === which || s.name === which);
  if (!found) throw new DownhillError(`no practice set "${visible(which)}" (sets: ${sets.map((s) => `${s.lesson} ${s.name}`).join(', ')})`);
  return found;
}

/** The page of a set in the site: practice-NN-name.html. */
export const practiceFile = (set: Pick<PracticeSet, 'lesson' | 'name'>): string => `practice-${String(set.lesson).padStart(2, '0')}-${set.name}.html`;
