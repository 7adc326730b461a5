/**
 * `downhill lesson <number | name | file.ts> [--lr 0.5] [--steps 200] [--seed 1] [--out <folder>] [--no-page] [--json | --markdown]`
 */
import { DownhillError } from '../errors.ts';
import { findLesson } from '../lesson/registry.ts';
import { documentJson } from '../render/document.ts';
import { lessonDocument, runLesson } from '../lesson/run.ts';
import { documentMarkdown } from '../render/markdown.ts';
import type { LessonSettings } from '../lesson/lesson.ts';
import { parseBounded, parseFlags } from './args.ts';

const help = `usage: downhill lesson <number | name | file.ts> [flags]

  --lr 0.5        learning rate (lessons that train)
  --steps 200     number of descent steps
  --seed 1        seed of the random initial weights and data
  --out <folder>  where the HTML page goes (default out/lessons)
  --no-page       terminal only
  --json          print the lesson's document as JSON instead (no page)
  --markdown      print the lesson as Markdown instead (no page)

"downhill lessons" lists the lessons.`;

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    lr: { type: 'string' }, steps: { type: 'string' }, seed: { type: 'string' },
    out: { type: 'string' }, 'no-page': { type: 'boolean' }, json: { type: 'boolean' }, markdown: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, 1);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const which = positionals[0];
  if (which === undefined) throw new DownhillError('which lesson? e.g. downhill lesson 4 (downhill lessons lists them)');
  if (values.out !== undefined && values.out.trim() === '') throw new DownhillError('--out needs a folder name');
  const settings: { -readonly [K in keyof LessonSettings]: number } = {};
  if (values.lr !== undefined) settings.lr = parseBounded(values.lr, '--lr', { min: 0, exclusiveMin: true });
  if (values.steps !== undefined) settings.steps = parseBounded(values.steps, '--steps', { min: 1, max: 1_000_000, integer: true });
  if (values.seed !== undefined) settings.seed = parseBounded(values.seed, '--seed', { min: 0, max: 2 ** 32 - 1, integer: true });
  const lesson = await findLesson(which);
  if (values.json || values.markdown) {
    const doc = await lessonDocument(lesson, settings);
    process.stdout.write(values.json ? `${documentJson(doc)}\n` : documentMarkdown(doc));
    return 0;
  }
  await runLesson(lesson, { settings, outDir: values['no-page'] ? null : values.out ?? 'out/lessons' });
  return 0;
}
