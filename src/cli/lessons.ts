/**
 * `downhill lessons [--html <folder>]`: the list, one lesson a line
 * starting with its number; with --html, every page and an index.
 */
import { DownhillError } from '../errors.ts';
import { allLessons } from '../lesson/registry.ts';
import { writeLessonSite } from '../lesson/run.ts';
import { parseFlags } from './args.ts';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { html: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, 0);
  if (values.help) {
    process.stdout.write('usage: downhill lessons [--html <folder>]\n');
    return 0;
  }
  if (values.html !== undefined && values.html.trim() === '') throw new DownhillError('--html needs a folder name');
  const lessons = await allLessons();
  if (values.html !== undefined) {
    const index = await writeLessonSite(lessons, values.html);
    process.stdout.write(`${lessons.length} lesson pages and the index: ${index}\n`);
    return 0;
  }
  const width = Math.max(0, ...lessons.map((l) => l.name.length));
  for (const l of lessons) process.stdout.write(`${l.number}  ${l.name.padEnd(width)}  ${l.title}: ${l.summary}\n`);
  return 0;
}
