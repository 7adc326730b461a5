/**
 * Lesson settings: every flag a lesson may take, one row each (its kind, its
 * bounds, its description), and one reader from what was typed to the
 * values a lesson runs with. `downhill lesson` and the live page both read
 * through it, so a value refused by one is refused by the other with the
 * same line.
 *
 *   readSettings({ lr: '0.5', bias: true })               // { lr: 0.5, bias: true }
 *   readSettings({ lr: '0' })                             // DownhillError: --lr expects a number > 0, got 0
 *   settingsFor(lesson, { seed: 7 })                      // the lesson's defaults with seed 7
 *
 * A lesson says which settings it takes by giving each a default
 * (`defineLesson({ ..., defaults: { lr: 0.5, steps: 200, init: 'equal' } })`);
 * any other is refused. Kinds:
 * - number: a literal or constant expression (pi/4), within bounds, maybe whole;
 * - boolean: `--bias` sets it, `--no-bias` clears it;
 * - choice: one of a few words, `--init equal|random`.
 */
import { DownhillError } from '../errors.ts';
import { parseBounded, type NumberBounds } from '../expr/read-number.ts';
import { checkLessonSteps, checkTrainingWork } from '../limits.ts';

interface Described {
  /** What it is, as the page's field and the command's help both say it: 'learning rate η'. */
  readonly text: string;
  /** Where it applies, for the command's help: 'lessons that train'. */
  readonly note?: string;
}

export type SettingSpec =
  | Described & NumberBounds & {
    readonly kind: 'number';
    /** A limit of one call beyond the bounds, with its own message (limits.ts). */
    readonly limit?: (v: number) => void;
  }
  | Described & { readonly kind: 'boolean' }
  | Described & { readonly kind: 'choice'; readonly choices: readonly string[] };

/**
 * Every lesson setting. Bounds in maths:
 *   lr > 0;  1 ≤ steps ≤ 10,000 (whole);  0 ≤ seed ≤ 2³² − 1 (whole);
 *   1 ≤ epochs ≤ 1000, 1 ≤ batch ≤ 10,000, 1 ≤ hidden ≤ 1024, 10 ≤ digits ≤ 10,000, 10 ≤ sequences ≤ 10,000 (whole);
 *   0 ≤ β, β₁, β₂ < 1 (momentum and Adam's decay rates);  ε > 0;
 *   the guess w: any number;  the tangent's point: −10 ≤ w₀ ≤ 10;  h > 0;  0 < k ≤ 1000.
 */
export const LESSON_SETTINGS = {
  lr: { kind: 'number', min: 0, exclusiveMin: true, text: 'learning rate η', note: 'lessons that train' },
  steps: { kind: 'number', min: 1, integer: true, limit: checkLessonSteps, text: 'descent steps', note: 'at most 10,000: the limits of one call' },
  seed: { kind: 'number', min: 0, max: 2 ** 32 - 1, integer: true, text: 'seed', note: 'of the random initial weights and data' },
  epochs: { kind: 'number', min: 1, max: 1000, integer: true, text: 'epochs', note: 'passes over the training data' },
  batch: { kind: 'number', min: 1, max: 10_000, integer: true, text: 'batch size', note: 'samples per mini-batch' },
  hidden: { kind: 'number', min: 1, max: 1024, integer: true, text: 'hidden units' },
  digits: { kind: 'number', min: 10, max: 10_000, integer: true, text: 'digits used', note: '4/5 to train, 1/5 to test' },
  sequences: { kind: 'number', min: 10, max: 10_000, integer: true, text: 'training sequences', note: 'as many more held out, at most 1,000' },
  beta: { kind: 'number', min: 0, max: 1, exclusiveMax: true, text: 'momentum β' },
  beta1: { kind: 'number', min: 0, max: 1, exclusiveMax: true, text: 'Adam\'s β₁', note: 'decay of the mean gradient' },
  beta2: { kind: 'number', min: 0, max: 1, exclusiveMax: true, text: 'Adam\'s β₂', note: 'decay of the mean squared gradient' },
  eps: { kind: 'number', min: 0, exclusiveMin: true, text: 'ε', note: 'added to the divisor' },
  guess: { kind: 'number', text: 'the guess w tried', note: 'lesson 1' },
  point: { kind: 'number', min: -10, max: 10, text: 'a point w₀ for a tangent', note: 'lesson 2: from −10 to 10' },
  h: { kind: 'number', min: 0, exclusiveMin: true, text: 'finite-difference step h', note: 'lesson 6' },
  k: { kind: 'number', min: 0, exclusiveMin: true, max: 1000, text: 'Huber\'s threshold k', note: 'lesson 7' },
  bias: { kind: 'boolean', text: 'bias', note: '--no-bias for none' },
  init: { kind: 'choice', choices: ['equal', 'random'], text: 'initial weights' },
} as const satisfies Record<string, SettingSpec>;

export type LessonFlag = keyof typeof LESSON_SETTINGS;

/** The value a setting takes: a number, a boolean or one of its choices. */
export type SettingValue<S> = S extends { readonly kind: 'number' } ? number
  : S extends { readonly kind: 'boolean' } ? boolean
    : S extends { readonly kind: 'choice'; readonly choices: readonly (infer C)[] } ? C : never;

export type LessonSettings = { readonly [K in LessonFlag]?: SettingValue<(typeof LESSON_SETTINGS)[K]> };

/** Settings as typed: text for numbers and choices, true/false (or 'true'/'false') for booleans. */
export type TypedSettings = { readonly [K in LessonFlag]?: string | boolean | undefined };

export const LESSON_FLAGS = Object.keys(LESSON_SETTINGS) as LessonFlag[];

const isFlag = (name: string): name is LessonFlag => Object.hasOwn(LESSON_SETTINGS, name);

/** One setting as typed, read and checked: a one-line DownhillError names the flag and the value. */
export function readSetting(flag: LessonFlag, typed: string | boolean): number | boolean | string {
  const spec: SettingSpec = LESSON_SETTINGS[flag];
  const name = `--${flag}`;
  switch (spec.kind) {
    case 'number': {
      if (typeof typed !== 'string') throw new DownhillError(`${name} needs a number`);
      const v = parseBounded(typed, name, spec);
      spec.limit?.(v);
      return v;
    }
    case 'boolean': {
      if (typeof typed === 'boolean') return typed;
      if (typed === 'true' || typed === 'false') return typed === 'true';
      throw new DownhillError(`${name} takes no value (--no-${flag} for false), got ${typed}`);
    }
    case 'choice': {
      if (typeof typed !== 'string' || !spec.choices.includes(typed.trim())) {
        throw new DownhillError(`${name} expects one of ${spec.choices.join(', ')}, got ${String(typed).trim() || 'nothing'}`);
      }
      return typed.trim();
    }
  }
}

/** Settings as typed, each read and checked (see readSetting); those not given are left out. */
export function readSettings(typed: TypedSettings): LessonSettings {
  const out: Partial<Record<LessonFlag, number | boolean | string>> = {};
  for (const flag of LESSON_FLAGS) {
    const t = typed[flag];
    if (t !== undefined) out[flag] = readSetting(flag, t);
  }
  return out as LessonSettings;
}

/** What a lesson takes: its defaults say which settings. */
interface Takes { readonly number: number; readonly name: string; readonly defaults: LessonSettings; readonly limit?: (settings: LessonSettings) => void }

/**
 * A lesson's settings: its defaults, overridden by the given ones (each one
 * the lesson takes), checked together against the limits of one call.
 */
export function settingsFor(lesson: Takes, given: LessonSettings = {}): LessonSettings {
  const takes = Object.keys(lesson.defaults);
  for (const flag of Object.keys(given)) {
    if (given[flag as LessonFlag] !== undefined && !takes.includes(flag)) {
      const list = takes.length === 0 ? 'no flags' : takes.map((f) => `--${f}`).join(', ');
      throw new DownhillError(`lesson ${lesson.number} (${lesson.name}) takes no --${flag} (it takes ${list})`);
    }
  }
  const merged = { ...lesson.defaults, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) } as LessonSettings;
  checkTrainingWork(merged);
  lesson.limit?.(merged);
  return merged;
}

/** Throws unless every default of a lesson is a known setting with a value it accepts. */
export function checkDefaults(lesson: Takes): void {
  for (const [flag, value] of Object.entries(lesson.defaults)) {
    if (!isFlag(flag)) throw new DownhillError(`lesson ${lesson.number} (${lesson.name}): no setting "${flag}" (known: ${LESSON_FLAGS.join(', ')})`);
    const spec: SettingSpec = LESSON_SETTINGS[flag];
    const ok = spec.kind === 'number' ? typeof value === 'number' : spec.kind === 'boolean' ? typeof value === 'boolean' : typeof value === 'string';
    if (!ok) throw new DownhillError(`lesson ${lesson.number} (${lesson.name}): the default of --${flag} must be a ${spec.kind === 'choice' ? `one of ${spec.choices.join(', ')}` : spec.kind}`);
    try {
      readSetting(flag, typeof value === 'number' ? String(value) : value as string | boolean);
    } catch (e) {
      if (e instanceof DownhillError) throw new DownhillError(`lesson ${lesson.number} (${lesson.name}): default ${e.message}`);
      throw e;
    }
  }
}

/** The command-line flags for every setting (util.parseArgs options): a boolean also as --no-<flag>. */
export function settingFlags(): Record<string, { type: 'string' | 'boolean' }> {
  const out: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const flag of LESSON_FLAGS) {
    if (LESSON_SETTINGS[flag].kind === 'boolean') {
      out[flag] = { type: 'boolean' };
      out[`no-${flag}`] = { type: 'boolean' };
    } else {
      out[flag] = { type: 'string' };
    }
  }
  return out;
}

/** Parsed flags (from settingFlags) as typed settings: --no-bias is bias false; both given is refused. */
export function typedFromFlags(values: Readonly<Record<string, string | boolean | undefined>>): TypedSettings {
  const out: Partial<Record<LessonFlag, string | boolean>> = {};
  for (const flag of LESSON_FLAGS) {
    const v = values[flag];
    if (LESSON_SETTINGS[flag].kind === 'boolean') {
      const no = values[`no-${flag}`];
      if (v === true && no === true) throw new DownhillError(`--${flag} and --no-${flag} say opposite things: give one`);
      if (v === true) out[flag] = true;
      else if (no === true) out[flag] = false;
    } else if (typeof v === 'string') {
      out[flag] = v;
    }
  }
  return out;
}

/** The command's help lines for the settings, from the table: "  --lr <number>   learning rate η (lessons that train)". */
export function settingsHelp(): string[] {
  const left = (flag: LessonFlag): string => {
    const spec: SettingSpec = LESSON_SETTINGS[flag];
    return spec.kind === 'number' ? `--${flag} <${spec.integer ? 'whole number' : 'number'}>` : spec.kind === 'boolean' ? `--${flag}, --no-${flag}` : `--${flag} ${spec.choices.join('|')}`;
  };
  const width = Math.max(...LESSON_FLAGS.map((f) => left(f).length)) + 2;
  return LESSON_FLAGS.map((flag) => {
    const spec: SettingSpec = LESSON_SETTINGS[flag];
    return `  ${left(flag).padEnd(width)}${spec.text}${spec.note === undefined ? '' : ` (${spec.note})`}`;
  });
}

/** The page's label of a setting, the same words as the help: 'learning rate η (--lr)'. */
export const settingLabel = (flag: LessonFlag): string => `${LESSON_SETTINGS[flag].text} (--${flag})`;
