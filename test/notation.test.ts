// One notation across the lessons: every lesson's document (its Exercises
// aside, which the practice pages replace) is held to the table in
// src/lesson/notation.ts: each symbol introduced where the table says, by
// the words it says, and nothing written in its place anywhere else.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Document } from '../src/render/document.ts';
import { NOTATION } from '../src/lesson/notation.ts';
import { undrawnDoc } from './support/lesson-doc.ts';

/** Every piece of text a lesson shows, outside its Exercises: prose, notes, formulas, table headers and cells, captions. */
function texts(doc: Document): string[] {
  const out: string[] = [];
  for (const section of doc.sections) {
    if (section.heading === 'Exercises') continue;
    for (const b of section.blocks) {
      switch (b.kind) {
        case 'paragraph': case 'note': out.push(b.text); break;
        case 'formula': out.push(b.tex, ...(b.caption === undefined ? [] : [b.caption])); break;
        case 'table': out.push(...b.headers, ...b.rows.flat().filter((c): c is string => typeof c === 'string'), ...(b.caption === undefined ? [] : [b.caption])); break;
        case 'plot': out.push(b.caption); break;
        default: break;
      }
    }
  }
  return out;
}

const docs = new Map<number, string[]>();
beforeAll(async () => {
  // Lesson 10 on a few digits: its notation does not depend on how many. The plots and pictures undrawn (support/lesson-doc.ts
  // undrawnDoc): only their captions are read here (the same texts as drawn, lessons 1-10 compared when this was changed).
  for (let n = 1; n <= 10; n++) docs.set(n, texts(await undrawnDoc(String(n), n === 10 ? { digits: 200, epochs: 1 } : {})));
}, 120_000);

describe('the notation table (src/lesson/notation.ts) holds in every lesson', () => {
  for (const rule of NOTATION) {
    test(`${rule.symbol}: ${rule.means}, introduced in lesson ${rule.introduced.lesson}`, () => {
      const where = docs.get(rule.introduced.lesson)!;
      expect(where.some((t) => rule.introduced.by.test(t)), `lesson ${rule.introduced.lesson} introduces ${rule.symbol} by ${rule.introduced.by}`).toBe(true);
      // Introduced once: no other lesson says it again with the same words.
      for (const [n, shown] of docs) if (n !== rule.introduced.lesson) expect(shown.filter((t) => rule.introduced.by.test(t)), `lesson ${n} introduces ${rule.symbol} again`).toEqual([]);
      if (rule.never === undefined) return;
      for (const n of rule.never.lessons) {
        const bad = docs.get(n)!.filter((t) => rule.never!.pattern.test(t));
        expect(bad, `lesson ${n}: ${rule.never.why}`).toEqual([]);
      }
    });
  }

  test('the table is not empty-handed: each rule with a "never" names some lessons, and a pattern that matches what it forbids', () => {
    expect(NOTATION.map((r) => r.symbol)).toEqual(['L', 'h', 'a^{(l)}', '\\partial L/\\partial \\text{node}', '\\delta', '(y - \\hat{y})^{2}']);
    expect(NOTATION.find((r) => r.symbol === 'L')!.never!.pattern.test('f(w_{1}, w_{2})')).toBe(true);
    expect(NOTATION.find((r) => r.symbol === 'h')!.never!.pattern.test('a_{1}')).toBe(true);
    expect(NOTATION.find((r) => r.symbol === 'h')!.never!.pattern.test('\\beta_{1}'), "Adam's β₁ is not a hidden activation").toBe(false);
    expect(NOTATION.find((r) => r.symbol === '\\delta')!.never!.pattern.test('\\operatorname{huber}_{\\delta}')).toBe(true);
  });
});
