/**
 * `downhill lesson <number | name | file.ts> [--lr 0.5] [--steps 200] [--seed 1] [--out <folder>] [--no-page]`
 */
import { DownhillError } from '../errors.ts';
import { findLesson } from '../lesson/registry.ts';
import { runLesson } from '../lesson/run.ts';
import type { LessonFlag, LessonSettings } from '../lesson/lesson.ts';
import { parseBounded, parseFlags } from './args.ts';

const help = `usage: downhill lesson <number | name | file.ts> [flags]

  --lr 0.5        learning rate (lessons that train)
  --steps 200     number of descent steps
  --seed 1        seed of the random initial weights and data
  --out <folder>  where the HTML page goes (default out/lessons)
  --no-page       terminal only

"downhill lessons" lists the lessons.`;

/** The bounds of each lesson flag (the site's controls take the same). */
export const LESSON_FLAG_BOUNDS = {
  lr: { min: 0, exclusiveMin: true },
  steps: { min: 1, max: 1_000_000, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
} as const satisfies Record<LessonFlag, Parameters<typeof parseBounded>[2]>;

/** Lesson flags as typed ('0.5'), checked: a one-line DownhillError names the flag and the value. */
export function lessonFlags(given: { readonly [K in LessonFlag]?: string | undefined }): LessonSettings {
  const settings: { -readonly [K in LessonFlag]?: number } = {};
  for (const flag of Object.keys(LESSON_FLAG_BOUNDS) as LessonFlag[]) {
    const text = given[flag];
    if (text !== undefined) settings[flag] = parseBounded(text, `--${flag}`, LESSON_FLAG_BOUNDS[flag]);
  }
  return settings;
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    lr: { type: 'string' }, steps: { type: 'string' }, seed: { type: 'string' },
    out: { type: 'string' }, 'no-page': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, 1);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const which = positionals[0];
  if (which === undefined) throw new DownhillError('which lesson? e.g. downhill lesson 4 (downhill lessons lists them)');
  if (values.out !== undefined && values.out.trim() === '') throw new DownhillError('--out needs a folder name');
  const settings = lessonFlags({ lr: values.lr, steps: values.steps, seed: values.seed });
  const lesson = await findLesson(which);
  await runLesson(lesson, { settings, outDir: values['no-page'] ? null : values.out ?? 'out/lessons' });
  return 0;
}
