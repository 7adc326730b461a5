/**
 * `downhill lesson <number | name | file.ts> [--lr 0.5] [--steps 200] [--seed 1] [--out <folder>] [--no-page]`
 */
import { DownhillError } from '../errors.ts';
import { findLesson } from '../lesson/registry.ts';
import { runLesson } from '../lesson/run.ts';
import type { LessonSettings } from '../lesson/lesson.ts';
import { parseBounded, parseFlags } from './args.ts';

const help = `usage: downhill lesson <number | name | file.ts> [flags]

  --lr 0.5        learning rate (lessons that train)
  --steps 200     number of descent steps
  --seed 1        seed of the random initial weights and data
  --epochs 10     passes over the training data (lesson 10)
  --batch 32      samples per mini-batch (lesson 10)
  --hidden 30     hidden units (lesson 10)
  --digits 10000  how many of the 10,000 digits to use, 4/5 to train, 1/5 to test (lesson 10)
  --out <folder>  where the HTML page goes (default out/lessons)
  --no-page       terminal only

"downhill lessons" lists the lessons.`;

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    lr: { type: 'string' }, steps: { type: 'string' }, seed: { type: 'string' },
    epochs: { type: 'string' }, batch: { type: 'string' }, hidden: { type: 'string' }, digits: { type: 'string' },
    out: { type: 'string' }, 'no-page': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
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
  if (values.epochs !== undefined) settings.epochs = parseBounded(values.epochs, '--epochs', { min: 1, max: 1000, integer: true });
  if (values.batch !== undefined) settings.batch = parseBounded(values.batch, '--batch', { min: 1, max: 10_000, integer: true });
  if (values.hidden !== undefined) settings.hidden = parseBounded(values.hidden, '--hidden', { min: 1, max: 1024, integer: true });
  if (values.digits !== undefined) settings.digits = parseBounded(values.digits, '--digits', { min: 10, max: 10_000, integer: true });
  const lesson = await findLesson(which);
  await runLesson(lesson, { settings, outDir: values['no-page'] ? null : values.out ?? 'out/lessons' });
  return 0;
}
