/**
 * A practice set: a lesson's exercises, each graded by the engine. Set files
 * in lessons/practice/ export one as default, the way lessons export theirs:
 *
 *   export default definePractice({
 *     lesson: 1, name: 'loss', title: 'Practice: the loss function',
 *   }, (v) => [
 *     { kind: 'formula', id: 'de-dw', prompt: 'Differentiate $e = (y - w x)^2$ by $w$.',
 *       expression: '(y - w*x)^2', wrt: 'w' },
 *     { kind: 'number', id: 'loss-at-2', prompt: 'Compute $L(2)$.', value: 0.205, tolerance: 0.001 },
 *   ]);
 *
 * `v` is the variant: `v.number(lessonValue, lo, hi)` is the lesson's own
 * number without --variant and a seeded draw with one (other numbers, the
 * same skills; the teacher regenerates any variant from its id).
 *
 * Item kinds (an exhaustive switch grades each):
 *   formula     a derivative (expression + wrt) or a formula, typed in mathjs syntax
 *   number      a value, with the tolerance stated in the prompt
 *   prediction  a number about a run, checked against the run itself (run after the answer)
 *   matrix      a matrix equation, shapes checked (lesson 10)
 *   choice      one of a few answers, only where nothing else fits
 */
import { checkArg, describeValue, DownhillError, FUNCTION, kindOf, objectWith, optional, TEXT, type Accepts } from '../errors.ts';
import { fnv1a } from '../hash.ts';
import { mulberry32 } from '../nn/random.ts';
import { roundedNumber } from '../expr/number.ts';
import { parseWithSymbols } from '../expr/parse.ts';
import { evaluate } from '../expr/evaluate.ts';
import { gradeFormula, prepareFormula, type FormulaSpec, type PreparedFormula } from './formula.ts';
import { gradeMatrix, prepareMatrix, type MatrixSpec, type PreparedMatrix } from './matrix.ts';
import { hintsFor, type Diagnosis, type MistakeKind } from './diagnose.ts';

interface ItemBase {
  /** Short and stable: the report and --answers files name items by it. */
  readonly id: string;
  /** The question (prose with $TeX$). */
  readonly prompt: string;
  /** A level-2 hint in the author's words (number, prediction, choice items). */
  readonly hint?: string;
  /** A command that shows the same in the lesson, to run after answering (prose: '`downhill lesson 9 --steps 5000`: the race table's last column'). */
  readonly see?: string;
}

export type PracticeItem =
  | (ItemBase & FormulaSpec & { readonly kind: 'formula'; readonly key?: string })
  | (ItemBase & { readonly kind: 'number'; readonly value: number; readonly tolerance: number })
  | (ItemBase & { readonly kind: 'prediction'; readonly tolerance: number; readonly relative?: boolean; readonly run: () => PredictionRun })
  | (ItemBase & MatrixSpec & { readonly kind: 'matrix' })
  | (ItemBase & { readonly kind: 'choice'; readonly choices: readonly string[]; readonly answer: number });

export type ItemKind = PracticeItem['kind'];

/** What a prediction's run found: the number, and a line saying what the run did. */
export interface PredictionRun {
  readonly value: number;
  readonly report: string;
}

/** The variant of a set: the lesson's numbers, or seeded other ones. */
export interface Variant {
  /** The --variant id, or undefined for the lesson's own numbers. */
  readonly id: string | undefined;
  /** The lesson's value without a variant; with one, a draw from [lo, hi] rounded to `digits` significant digits (default 2). */
  number(lessonValue: number, lo: number, hi: number, digits?: number): number;
  /** The first value without a variant; with one, a seeded pick. */
  pick<T>(values: readonly T[]): T;
}

export interface PracticeSet {
  /** The lesson it practises. */
  readonly lesson: number;
  readonly name: string;
  readonly title: string;
  /** The items of one variant. */
  readonly items: (variant: Variant) => readonly PracticeItem[];
}

/** What the functions below accept: an item (of any kind), a prepared item, a set, a set's description. */
const ITEM: Accepts<PracticeItem> = kindOf('a practice item ({ kind, id, prompt, ... }, kind formula, number, prediction, matrix or choice)', ['formula', 'number', 'prediction', 'matrix', 'choice']);
const PREPARED: Accepts<PreparedItem> = { what: "a prepared item (prepareItem's result)", test: (v): v is PreparedItem => objectWith('item').test(v) && ITEM.test(v.item) };
const SET: Accepts<PracticeSet> = { what: "a practice set (definePractice's result)", test: (v): v is PracticeSet => objectWith('lesson', 'name', 'title', 'items').test(v) && typeof v.items === 'function' };
const INFO: Accepts<Omit<PracticeSet, 'items'>> = objectWith('lesson', 'name', 'title');

/** A variant from its id (undefined: the lesson's numbers). */
export function variant(id: string | undefined): Variant {
  const rng = id === undefined ? undefined : mulberry32(fnv1a(`variant:${id}`));
  return {
    id,
    number(lessonValue, lo, hi, digits = 2) {
      if (rng === undefined) return lessonValue;
      let v = Number((lo + (hi - lo) * rng()).toPrecision(digits));
      if (v === 0) v = hi;
      return v;
    },
    pick(values) {
      if (values.length === 0) throw new DownhillError('practice: pick from an empty list');
      return rng === undefined ? values[0]! : values[Math.floor(rng() * values.length)]!;
    },
  };
}

/** Declares a practice set; checks its name and, per variant, its items' ids. */
export function definePractice(info: Omit<PracticeSet, 'items'>, items: (variant: Variant) => readonly PracticeItem[]): PracticeSet {
  checkArg('definePractice', 'info', info, INFO);
  checkArg('definePractice', 'items', items, FUNCTION);
  checkArg('definePractice', 'info.name', info.name, TEXT);
  if (!/^[a-z][a-z0-9-]*$/.test(info.name)) throw new DownhillError(`practice set name "${info.name}" must be lower-case letters, digits and '-'`);
  if (!Number.isInteger(info.lesson) || info.lesson < 1) throw new DownhillError(`practice set "${info.name}": lesson must be a positive whole number, got ${info.lesson}`);
  return Object.freeze({ ...info, items });
}

/** The items of a set for one variant, with their ids checked. */
export function itemsOf(set: PracticeSet, id?: string): readonly PracticeItem[] {
  checkArg('itemsOf', 'set', set, SET);
  checkArg('itemsOf', 'id', id, optional(TEXT));
  const items = set.items(variant(id));
  if (!Array.isArray(items)) throw new DownhillError(`practice set "${set.name}": its items function must return an array of items, got ${describeValue(items)}`);
  const seen = new Set<string>();
  for (const item of items) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(item.id)) throw new DownhillError(`practice set "${set.name}": item id "${item.id}" must be lower-case letters, digits and '-'`);
    if (seen.has(item.id)) throw new DownhillError(`practice set "${set.name}": two items are called "${item.id}"`);
    seen.add(item.id);
  }
  return items;
}

/** An item with its exact answer worked out (once: grading many answers reuses it). */
export type PreparedItem =
  | { readonly item: Extract<PracticeItem, { kind: 'formula' }>; readonly formula: PreparedFormula }
  | { readonly item: Extract<PracticeItem, { kind: 'matrix' }>; readonly matrix: PreparedMatrix }
  | { readonly item: Extract<PracticeItem, { kind: 'number' | 'prediction' | 'choice' }> };

export function prepareItem(item: PracticeItem): PreparedItem {
  checkArg('prepareItem', 'item', item, ITEM);
  switch (item.kind) {
    case 'formula': return { item, formula: prepareFormula(item, fnv1a(item.id)) };
    case 'matrix': return { item, matrix: prepareMatrix(item, fnv1a(item.id)) };
    case 'number': case 'prediction': case 'choice': return { item };
  }
}

/** The verdict on one answer, with both hint levels (the answer itself is never in them). */
export interface Verdict {
  readonly correct: boolean;
  readonly kind: MistakeKind;
  /** Level 1 (the verdict and the kind of mistake) and level 2 (where). */
  readonly hints: readonly [string, string];
  /** How the verdict was reached: points and tolerance. */
  readonly method: string;
  /** The answer read back: mathjs text and Unicode. */
  readonly typed?: { readonly text: string; readonly shown: string };
  /** A prediction: what the run did, shown after the answer (both numbers). */
  readonly run?: { readonly said: number; readonly value: number; readonly report: string };
}

/** A number typed as an expression without symbols (2/15 and 1e-8 are numbers). */
function readNumber(text: string): number | Diagnosis {
  try {
    const { node, symbols } = parseWithSymbols(text);
    if (symbols.length > 0) return { kind: 'unreadable', detail: `a number is asked for, not a formula in ${symbols.join(', ')}` };
    const v = evaluate(node, {});
    return Number.isFinite(v) ? v : { kind: 'unreadable', detail: `${text.trim()} is not a finite number` };
  } catch (e) {
    if (e instanceof DownhillError) return { kind: 'unreadable', detail: e.message };
    throw e;
  }
}

/** Too high, too low, the sign, or a factor: a number's mistake without its value. */
function numberVerdict(said: number, value: number, tolerance: number, hint: string | undefined, method: string): Verdict {
  if (Math.abs(said - value) <= tolerance) return { correct: true, kind: 'right', hints: ['Right.', 'Right.'], method };
  const level2 = hint ?? 'Redo the computation one step at a time.';
  if (value !== 0 && Math.abs(said + value) <= tolerance) return { correct: false, kind: 'sign', hints: ['Not yet: the sign is wrong.', level2], method };
  const ratio = said / value;
  for (const k of [2, 0.5, 4, 0.25]) {
    if (Math.abs(ratio - k) < 1e-3) return { correct: false, kind: 'constant-factor', hints: [`Not yet: your number is ${k} times the right one.`, level2], method };
  }
  return { correct: false, kind: 'other', hints: [`Not yet: your number is too ${said > value ? 'high' : 'low'}.`, level2], method };
}

const choiceLetters = 'abcdefgh';

function unreadableNumber(d: Diagnosis): Verdict {
  return { correct: false, kind: d.kind, hints: [hintsFor(d, [])[0], 'Type a number: 0.25, 2/15 and 1e-8 are numbers.'], method: 'not graded: the answer could not be read' };
}

/** Grades one answer to an item. A prediction runs its run after the answer. */
export function gradeAnswer(prepared: PreparedItem, answer: string): Verdict {
  checkArg('gradeAnswer', 'prepared', prepared, PREPARED);
  checkArg('gradeAnswer', 'answer', answer, TEXT);
  const item = prepared.item;
  switch (item.kind) {
    case 'formula': {
      const f = (prepared as Extract<PreparedItem, { formula: PreparedFormula }>).formula;
      const v = gradeFormula(f, answer);
      return { correct: v.correct, kind: v.diagnosis.kind, hints: hintsFor(v.diagnosis, f.links, item.wrt), method: v.method, ...(v.typed ? { typed: v.typed } : {}) };
    }
    case 'matrix': {
      const m = (prepared as Extract<PreparedItem, { matrix: PreparedMatrix }>).matrix;
      const v = gradeMatrix(m, answer);
      return { correct: v.correct, kind: v.diagnosis.kind, hints: hintsFor(v.diagnosis, []), method: v.method };
    }
    case 'number': {
      const said = readNumber(answer);
      if (typeof said !== 'number') return unreadableNumber(said);
      return numberVerdict(said, item.value, item.tolerance, item.hint, `compared with the exact value, tolerance ±${item.tolerance}`);
    }
    case 'prediction': {
      const said = readNumber(answer);
      if (typeof said !== 'number') return unreadableNumber(said);
      const run = item.run();
      const tolerance = item.relative ? item.tolerance * Math.abs(run.value) : item.tolerance;
      const v = numberVerdict(said, run.value, tolerance, item.hint, `compared with the run, tolerance ${item.relative ? `${item.tolerance * 100}%` : `±${item.tolerance}`}`);
      return { ...v, run: { said, value: run.value, report: run.report } };
    }
    case 'choice': {
      const t = answer.trim().toLowerCase();
      const k = t.length === 1 && choiceLetters.includes(t) ? choiceLetters.indexOf(t)
        : /^\d+$/.test(t) ? Number(t) - 1
          : item.choices.findIndex((c) => c.toLowerCase() === t);
      if (k < 0 || k >= item.choices.length) {
        return { correct: false, kind: 'unreadable', hints: [`Could not read your answer: give a letter from a to ${choiceLetters[item.choices.length - 1]}.`, item.hint ?? 'Give one letter.'], method: 'one choice' };
      }
      return k === item.answer
        ? { correct: true, kind: 'right', hints: ['Right.', 'Right.'], method: 'one choice' }
        : { correct: false, kind: 'other', hints: ['Not yet: another choice.', item.hint ?? 'Reread the lesson\'s section on it.'], method: 'one choice' };
    }
  }
}

/**
 * One throwaway verdict (the answer 0 to the first formula item), so that V8
 * compiles the checker before the learner's first answer rather than during it.
 */
export function warmUp(prepared: Iterable<PreparedItem>): void {
  for (const p of prepared) {
    if (p.item.kind === 'formula') {
      gradeAnswer(p, '0');
      return;
    }
  }
}

/** The answer (level 3, on request only; the key for the teacher). A prediction's key runs the run. */
export function answerText(prepared: PreparedItem): string {
  checkArg('answerText', 'prepared', prepared, PREPARED);
  const item = prepared.item;
  switch (item.kind) {
    case 'formula': return item.key ?? (prepared as Extract<PreparedItem, { formula: PreparedFormula }>).formula.exactText;
    case 'matrix': return item.formula;
    case 'number': return roundedNumber(item.value, 6);
    case 'prediction': {
      const run = item.run();
      return `${roundedNumber(run.value, 6)} (${run.report})`;
    }
    case 'choice': return `${choiceLetters[item.answer]}) ${item.choices[item.answer]}`;
  }
}

/** The prompt with what the learner needs to answer it: the tolerance, the choices. */
export function promptText(item: PracticeItem): string {
  checkArg('promptText', 'item', item, ITEM);
  switch (item.kind) {
    case 'formula': return item.names && Object.keys(item.names).length > 0
      ? `${item.prompt} (You may use ${Object.keys(item.names).map((n) => `\`${n}\``).join(', ')}.)`
      : item.prompt;
    case 'matrix': return `${item.prompt} (Matrices: ${Object.entries(item.shapes).map(([n, [r, c]]) => `\`${n}\` ${item.sizes[r]} × ${item.sizes[c]}`).join(', ')}${item.names ? `; names: ${Object.keys(item.names).map((n) => `\`${n}\``).join(', ')}` : ''}. Write \`*\` for the matrix product, \`.*\` element by element, \`X'\` for the transpose.)`;
    case 'number': return `${item.prompt} (${item.tolerance === 0 ? 'Exactly' : `Within ±${item.tolerance}`}.)`;
    case 'prediction': return `${item.prompt} (${item.tolerance === 0 ? 'Exactly what the run does' : `Within ${item.relative ? `${item.tolerance * 100}%` : `±${item.tolerance}`} of what the run does`}; the run is done after you answer.)`;
    case 'choice': return `${item.prompt} ${item.choices.map((c, i) => `${choiceLetters[i]}) ${c}`).join('; ')}.`;
  }
}
