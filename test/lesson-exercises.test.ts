// Every lesson of the series (1–9) ends with exercises, each with a way to check the answer. The
// `downhill check … --claim` commands must accept the right answer (worked
// out here by hand) and refuse a wrong one (checked with checkClaim, what the
// command runs); the `downhill lesson …` commands
// must use flags the lesson takes.
import { describe, expect, test } from 'vitest';
import { allLessons } from '../src/lesson/registry.ts';
import { settingsFor } from '../src/lesson/settings.ts';
import { lessonDoc } from './support/lesson-doc.ts';
import { checkClaim } from '../src/check/claim.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { parseExpression } from '../src/expr/parse.ts';

/** The right answers to the placeholders, by lesson: derived by hand. */
const answers: Record<number, Record<string, string>> = {
  1: { '<your answer>': '-2*x*(y - w*x)' }, // d/dw (y − wx)² = 2(y − wx)·(−x)
  2: { '<a>': '15', '<b>': '-23.05' }, // (2/4)·Σ x(wx − y) = (30w − 46.1)/2
  4: { '<your answer>': '-2*(y - w3*sigmoid(w1*x1 + w2*x2))*sigmoid(w1*x1 + w2*x2)' }, // ∂L/∂ŷ · ∂ŷ/∂w3 = −2(y − ŷ)·h
  7: { '<your answer>': '(sigmoid(w*x) - y)*x', '<slope>': '-1' }, // lesson 7's result; |y − ŷ| with y > ŷ is y − ŷ, slope −1
};

/** The words of a command line, quotes removed. */
const words = (command: string): string[] => (command.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"|"$/g, ''));

describe('the exercises at the end of each lesson', async () => {
  // The series of lessons 1–9 (lesson 10, the digits, has its own tests).
  const lessons = (await allLessons()).filter((l) => l.number <= 9);
  const all = await Promise.all(lessons.map(async (l) => ({
    lesson: l,
    exercises: (await lessonDoc(String(l.number))).sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === 'exercise' ? [b] : [])),
  })));

  test('every lesson has two or three, each with a check', () => {
    for (const { lesson, exercises } of all) {
      expect(exercises.length, `lesson ${lesson.number}`).toBeGreaterThanOrEqual(2);
      expect(exercises.length, `lesson ${lesson.number}`).toBeLessThanOrEqual(3);
      for (const e of exercises) expect(e.check.length).toBeGreaterThan(0);
    }
  });

  test('each `downhill lesson` command uses flags its lesson takes', () => {
    for (const { exercises } of all) {
      for (const e of exercises) {
        for (const command of e.check.match(/`downhill lesson [^`]*`/g) ?? []) {
          const [, , which, ...flags] = words(command.slice(1, -1));
          const lesson = lessons.find((l) => String(l.number) === which)!;
          const settings: Record<string, number> = {};
          for (let i = 0; i < flags.length; i += 2) settings[flags[i]!.replace(/^--/, '')] = Number(flags[i + 1]);
          expect(() => settingsFor(lesson, settings), command).not.toThrow();
        }
      }
    }
  });

  test('each `downhill check --claim` accepts the right answer and refuses a wrong one; other checks parse', () => {
    let checked = 0;
    for (const { lesson, exercises } of all) {
      for (const e of exercises) {
        for (const command of e.check.match(/`downhill check [^`]*`/g) ?? []) {
          const args = words(command.slice(1, -1)).slice(2);
          const expression = parseExpression(args[0]!);
          const at = Object.fromEntries(args[args.indexOf('--at') + 1]!.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k!, Number(v)]));
          const claim = args.indexOf('--claim');
          if (claim < 0) {
            expect(args, command).toContain('--sweep');
            expect(Number.isFinite(evaluate(expression, at)), command).toBe(true);
            continue;
          }
          const fill = (with_: (placeholder: string) => string): string => args[claim + 1]!.replace(/<[^>]+>/g, with_);
          expect(checkClaim(expression, fill((p) => answers[lesson.number]![p]!), at).pass, `${command} with the right answer`).toBe(true);
          expect(checkClaim(expression, fill(() => '7'), at).pass, `${command} with a wrong answer`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe(5);
  });
});
