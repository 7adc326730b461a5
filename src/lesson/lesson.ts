/**
 * A lesson: a numbered, named script that tells one part of the story on a
 * `LessonDoc`. Lesson files in lessons/ export one as default:
 *
 *   export default defineLesson({
 *     number: 1, name: 'loss', title: 'The loss function',
 *     summary: 'a one-parameter model and its squared-error loss',
 *     defaults: { seed: 1 },
 *   }, async (doc, { seed }) => {
 *     doc.section('A one-parameter model');
 *     ...
 *   });
 *
 * `defaults` says which settings (lesson/settings.ts: --lr, --steps, --seed,
 * --epochs, --batch, --hidden, --digits, --beta, --bias, --init, ...) the
 * lesson takes, and their values when not given; any other flag is refused.
 */
import { checkArg, DownhillError, FUNCTION, objectWith, OBJECT, optional, TEXT } from '../errors.ts';
import type { LessonDoc } from './doc.ts';
import { checkDefaults, type LessonSettings } from './settings.ts';

export interface LessonInfo {
  /** Its place in the series: 1, 2, ... */
  readonly number: number;
  /** A short name to run it by: `downhill lesson backprop`. */
  readonly name: string;
  readonly title: string;
  /** One line for `downhill lessons`. */
  readonly summary: string;
  /** The flags the lesson takes, with their default values. */
  readonly defaults: LessonSettings;
  /** A limit of one call on its settings together, beyond each one's bounds (limits.ts): throws a one-line DownhillError. */
  readonly limit?: (settings: LessonSettings) => void;
}

export interface Lesson extends LessonInfo {
  /** Tells the lesson on `doc`; `settings` has a value for every flag in `defaults`. */
  readonly run: (doc: LessonDoc, settings: LessonSettings) => Promise<void> | void;
}

/** Declares a lesson; checks its name, number and defaults. Its run gets a value for every flag in `defaults`. */
export function defineLesson<D extends LessonSettings>(
  info: LessonInfo & { readonly defaults: D },
  run: (doc: LessonDoc, settings: Required<D>) => Promise<void> | void,
): Lesson {
  checkArg('defineLesson', 'info', info, objectWith('number', 'name', 'title', 'summary', 'defaults'));
  checkArg('defineLesson', 'run', run, FUNCTION);
  for (const key of ['name', 'title', 'summary'] as const) checkArg('defineLesson', `info.${key}`, info[key], TEXT);
  checkArg('defineLesson', 'info.defaults', info.defaults, OBJECT);
  checkArg('defineLesson', 'info.limit', info.limit, optional(FUNCTION));
  if (!/^[a-z][a-z0-9-]*$/.test(info.name)) throw new DownhillError(`lesson name "${info.name}" must be lower-case letters, digits and '-'`);
  if (!Number.isInteger(info.number) || info.number < 1) throw new DownhillError(`lesson number must be a positive whole number, got ${info.number}`);
  checkDefaults(info);
  return Object.freeze({ ...info, run: run as Lesson['run'] });
}
