// Every lesson (1–10) ends with the exercises of its practice set
// (lessons/practice/NN-name.ts): each question is an item's prompt and its
// check is `downhill practice N` (exercise k), sometimes with a lesson
// command to run afterwards. Every such command runs as printed and answers
// its question: `downhill practice N` fed the key's answers scores every
// exercise right (and a wrong answer to each is refused), and each lesson
// command shows the number its prediction's run finds.
import { describe, expect, test } from 'vitest';
import { allLessons } from '../src/lesson/registry.ts';
import { settingsFor } from '../src/lesson/settings.ts';
import { lessonDoc, table, column } from './support/lesson-doc.ts';
import { allSets, emptyReports, practise } from '../src/cli/practice.ts';
import { answerText, gradeAnswer, itemsOf, prepareItem, promptText } from '../src/practice/practice.ts';
import { normalizeProse, type Document } from '../src/render/document.ts';

/** The words of a command line, quotes removed. */
const words = (command: string): string[] => (command.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ''));

const exercisesOf = (doc: Document) => doc.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === 'exercise' ? [b] : []));

/** A lesson's document; lessons 10 (real digits, ten epochs) and 12 (attention, forty epochs) at small settings: the exercises do not depend on them. */
const SMALL: Readonly<Record<number, Record<string, number>>> = {
  10: { digits: 300, epochs: 1, hidden: 10, batch: 50 },
  11: { digits: 100, epochs: 1, batch: 20 },
  12: { sequences: 40, epochs: 1, batch: 10 },
};
const docOf = (n: number, settings: Record<string, number> = {}): Promise<Document> =>
  lessonDoc(String(n), { ...SMALL[n], ...settings });

describe('the exercises at the end of each lesson', async () => {
  const lessons = await allLessons();
  const sets = await allSets();
  const docs = new Map(await Promise.all(lessons.map(async (l) => [l.number, await docOf(l.number)] as const)));

  test('every lesson 1–10 has a practice set of 4–8 exercises, printed as its exercises with `downhill practice N`', () => {
    expect(sets.map((s) => s.lesson)).toEqual(lessons.map((l) => l.number));
    for (const set of sets) {
      const items = itemsOf(set);
      expect(items.length, set.name).toBeGreaterThanOrEqual(4);
      expect(items.length, set.name).toBeLessThanOrEqual(8);
      const exercises = exercisesOf(docs.get(set.lesson)!);
      expect(exercises.map((e) => e.question)).toEqual(items.map((i) => normalizeProse(promptText(i))));
      exercises.forEach((e, k) => expect(e.check.startsWith(`\`downhill practice ${set.lesson}\` (exercise ${k + 1})`), e.check).toBe(true));
    }
  });

  test('`downhill practice N`, fed the answer key line by line, scores every exercise right; a wrong line is refused', async () => {
    for (const set of sets) {
      const prepared = itemsOf(set).map(prepareItem);
      // The key as a learner types it: a prediction's number without the run's report, a choice's letter.
      const key = prepared.map((p) => (p.item.kind === 'prediction' ? answerText(p).replace(/ \(.*\)$/, '') : p.item.kind === 'choice' ? answerText(p).slice(0, 1) : answerText(p)));
      const reports = emptyReports(prepared.map((p) => p.item));
      let text = '';
      async function* lines() { yield* key; }
      await practise(set, prepared, reports, { lines: lines(), write: (t) => { text += t; }, tty: false, reveal: false });
      expect(reports.filter((r) => !r.correct).map((r) => `${set.name}/${r.id}: ${r.verdict}`)).toEqual([]);
      expect(text).toContain(`${set.title}: ${prepared.length} exercises`);
      for (const p of prepared) if (p.item.kind !== 'prediction') expect(gradeAnswer(p, '7*7').correct, `${set.name}/${p.item.id}`).toBe(false);
    }
  });

  test('each lesson command in a check uses flags its lesson takes, and shows the number of its prediction\'s run', async () => {
    let shown = 0;
    for (const set of sets) {
      for (const item of itemsOf(set)) {
        if (item.see === undefined) continue;
        for (const command of item.see.match(/`downhill lesson [^`]*`/g) ?? []) {
          const [, , which, ...flags] = words(command.slice(1, -1));
          const lesson = lessons.find((l) => String(l.number) === which)!;
          const settings: Record<string, number> = {};
          for (let i = 0; i < flags.length; i += 2) settings[flags[i]!.replace(/^--/, '')] = Number(flags[i + 1]);
          expect(() => settingsFor(lesson, settings), command).not.toThrow();
          if (item.kind !== 'prediction') continue;
          const doc = await docOf(lesson.number, settings);
          const { value } = item.run();
          const text = JSON.stringify(doc);
          if (set.lesson === 9) {
            const race = table(doc, 'first step with');
            expect(race.rows[0]![column(race, 'first step with')], command).toBe(value);
          } else {
            expect(text, command).toContain(`${value} of 4 rows classified correctly`);
          }
          shown++;
        }
      }
    }
    expect(shown).toBe(4);
  });
});
