/**
 * `downhill lesson <number | name | file.ts> [--lr 0.5] [--steps 200] [--seed 1] [... every setting of lesson/settings.ts] [--out <folder>] [--no-page] [--json | --markdown]`
 */
import { watchFile } from 'node:fs';
import { resolve } from 'node:path';
import { DownhillError, LessonError, visible } from '../errors.ts';
import { lessonFailure, reportHow } from '../lesson/failure.ts';
import { importedFiles } from '../lesson/import.ts';
import { findLesson, isLessonPath } from '../lesson/registry.ts';
import { documentJson } from '../render/document.ts';
import { lessonDocument, runLesson } from '../lesson/run.ts';
import { documentMarkdown } from '../render/markdown.ts';
import type { Lesson } from '../lesson/lesson.ts';
import { readSettings, settingFlags, settingsHelp, typedFromFlags } from '../lesson/settings.ts';
import { parseFlags } from './args.ts';

const help = () => `usage: downhill lesson <number | name | file.ts> [flags]

A lesson's settings (each lesson takes a few, and names them when given another):
${settingsHelp().join('\n')}

  --out <folder>  where the HTML page goes (default out/lessons)
  --no-page       terminal only
  --json          print the lesson's document as JSON instead (no page)
  --markdown      print the lesson as Markdown instead (no page)
  --watch         (a lesson file) run again, and write the page again, on every save

"downhill lessons" lists the lessons.`;

/** The command; a failure in the lesson's own files is told as the lesson's (failure.ts): file:line:column, its line, exit 1. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    return await command(argv);
  } catch (e) {
    throw lessonFailure(e);
  }
}

async function command(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...settingFlags(),
    out: { type: 'string' }, 'no-page': { type: 'boolean' }, json: { type: 'boolean' }, markdown: { type: 'boolean' }, watch: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, 1);
  if (values.help) {
    process.stdout.write(`${help()}\n`);
    return 0;
  }
  const which = positionals[0];
  if (which === undefined) throw new DownhillError('which lesson? e.g. downhill lesson 4 (downhill lessons lists them)');
  if (values.out !== undefined && values.out.trim() === '') throw new DownhillError('--out needs a folder name');
  const settings = readSettings(typedFromFlags(values));
  const find = (version = 0): Promise<Lesson> => findLesson(which, version);
  if (values.json || values.markdown) {
    if (values.watch) throw new DownhillError(`--watch writes the page again on every save: drop --${values.json ? 'json' : 'markdown'}`);
    const doc = await lessonDocument(await find(), settings);
    process.stdout.write(values.json ? `${documentJson(doc)}\n` : documentMarkdown(doc));
    return 0;
  }
  const outDir = values['no-page'] ? null : values.out ?? 'out/lessons';
  if (!values.watch) {
    await runLesson(await find(), { settings, outDir });
    return 0;
  }
  if (!isLessonPath(which)) throw new DownhillError(`--watch goes with a lesson file (downhill lesson ./my-lesson.ts --watch), not "${which}"`);
  return watchLesson(which, (version) => find(version).then((lesson) => runLesson(lesson, { settings, outDir })));
}

/** How often --watch looks at each file (ms): polling by path survives a file replaced, renamed and restored, or its folder removed and made again. */
const WATCH_INTERVAL = 200;

/**
 * Runs the lesson, then again whenever it or any local file it imports (its
 * module graph, import.ts) is saved, with the new code of each, until
 * Ctrl-C. A failed run prints its error (the lesson's place and line, when
 * it is the lesson's) and waits for the next save.
 */
async function watchLesson(file: string, once: (version: number) => Promise<unknown>): Promise<number> {
  let version = 0;
  const watched = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const changed = (now: { mtimeMs: number; ino: number; size: number }, before: { mtimeMs: number; ino: number; size: number }): void => {
    if (now.mtimeMs === before.mtimeMs && now.ino === before.ino && now.size === before.size) return;
    clearTimeout(timer);
    timer = setTimeout(() => { running = running.then(attempt); }, 150);
  };
  const follow = (path: string): void => {
    if (watched.has(path)) return;
    watched.add(path);
    watchFile(path, { interval: WATCH_INTERVAL }, changed);
  };
  const attempt = async (): Promise<void> => {
    try {
      await once(version++);
    } catch (caught) {
      // As the command's own handler (cli.ts): a failure's text may come from the lesson file, so control characters are shown, not sent.
      const e = lessonFailure(caught);
      const message = e instanceof DownhillError ? e.message : `internal error: ${visible((e instanceof Error ? e.message : String(e)).split('\n')[0]!)}: a bug in downhill, ${reportHow()}`;
      const frame = e instanceof LessonError && e.frame !== '' ? `${e.frame.split('\n').map(visible).join('\n')}\n` : '';
      process.stderr.write(`downhill lesson: ${message}\n${frame}`);
    }
    follow(resolve(file));
    for (const path of importedFiles()) follow(path);
    const others = watched.size - 1;
    process.stderr.write(`\nwatching ${file}${others === 0 ? '' : ` and the ${others} local file${others === 1 ? '' : 's'} it imports`}: the lesson runs again on every save (Ctrl-C to stop)\n`);
  };
  await attempt();
  return new Promise<number>(() => undefined);
}
