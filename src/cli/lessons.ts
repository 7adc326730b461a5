/**
 * `downhill lessons [--html <folder>] [--json]`: the list, one lesson a line
 * starting with its number; with --html, every page and an index (progress
 * on stderr when it is a terminal).
 */
import { DownhillError } from '../errors.ts';
import { allLessons, lessonList, pageFile } from '../lesson/registry.ts';
import { parseFlags } from './flags.ts';
import { progress } from './progress.ts';

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { html: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 0);
  if (values.help) {
    process.stdout.write('usage: downhill lessons [--html <folder>] [--json]\n\n  --html <folder>  write every lesson\'s page and an index there\n  --json           the list (or what was written) as one JSON object\n');
    return 0;
  }
  if (values.html !== undefined && values.html.trim() === '') throw new DownhillError('--html needs a folder name');
  // From the manifest: listing the lessons imports none of them (writing their pages imports each once).
  const lessons = await lessonList();
  const list = lessons.map((l) => ({ number: l.number, name: l.name, title: l.title, summary: l.summary, page: pageFile(l) }));
  if (values.html !== undefined) {
    const step = progress('lessons');
    const { writeLessonSite } = await import('../lesson/run.ts'); // loaded only to write pages: listing stays light
    const index = await writeLessonSite(await allLessons(), values.html, (l, k) => step(`page ${k + 1} of ${lessons.length}: ${pageFile(l)}`));
    step.done();
    process.stdout.write(values.json
      ? `${JSON.stringify({ index, lessons: list }, null, 2)}\n`
      : `${lessons.length} lesson pages and the index: ${index}\n`);
    return 0;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ lessons: list }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(0, ...lessons.map((l) => l.name.length));
  const numberWidth = Math.max(0, ...lessons.map((l) => String(l.number).length));
  for (const l of lessons) process.stdout.write(`${String(l.number).padStart(numberWidth)}  ${l.name.padEnd(width)}  ${l.title}: ${l.summary}\n`);
  return 0;
}
