// definePractice and variants: a set's items per variant id, reproducible;
// the lesson's own numbers without one; ids and names checked.
import { describe, expect, test } from 'vitest';
import { definePractice, itemsOf, promptText, variant } from '../src/practice/practice.ts';
import { findSet } from '../src/cli/practice.ts';
import { practiceDocument } from '../src/practice/document.ts';
import { documentMarkdown } from '../src/render/markdown.ts';

describe('practice sets', () => {
  test('variant(id).number: the lesson value without an id; a seeded draw in [lo, hi] with one, the same for the same id', () => {
    expect(variant(undefined).number(0.5, 0, 1)).toBe(0.5);
    const a = [variant('alice').number(0.5, 0, 1), variant('alice').number(0.5, 0, 1)];
    expect(a[0]).toBe(a[1]);
    expect(a[0]).toBeGreaterThanOrEqual(0);
    expect(a[0]).toBeLessThanOrEqual(1);
    const draws = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => variant(id).number(0.5, 0, 1, 6)));
    expect(draws.size).toBeGreaterThan(3);
  });

  test('a built-in set under --variant: other numbers, the same skills (same ids and kinds), reproducible', async () => {
    const set = await findSet('4');
    const base = itemsOf(set), alice = itemsOf(set, 'alice'), again = itemsOf(set, 'alice');
    expect(alice.map((i) => [i.id, i.kind])).toEqual(base.map((i) => [i.id, i.kind]));
    expect(alice.map(promptText)).toEqual(again.map(promptText));
    expect(alice.map(promptText)).not.toEqual(base.map(promptText));
  });

  test('definePractice refuses a bad name; itemsOf refuses a repeated or bad item id, naming the set', () => {
    expect(() => definePractice({ lesson: 1, name: 'Bad Name', title: 't' }, () => [])).toThrow(/lower-case/);
    const twice = definePractice({ lesson: 1, name: 'twice', title: 't' }, () => [
      { kind: 'number', id: 'a', prompt: 'p', value: 1, tolerance: 0 }, { kind: 'number', id: 'a', prompt: 'q', value: 2, tolerance: 0 },
    ]);
    expect(() => itemsOf(twice)).toThrow('practice set "twice": two items are called "a"');
  });

  test('the printable page holds every prompt, with its tolerance, and no answer', async () => {
    const set = await findSet('2');
    const items = itemsOf(set);
    const md = documentMarkdown(practiceDocument(set, items));
    expect(md).toContain('Within ±0.001');
    expect(md.match(/Your answer:/g)).toHaveLength(items.length);
    expect(md).not.toContain('15*w - 23.05');
    expect(md).not.toContain('3.95');
  });
});

describe('a session (the lines of downhill practice)', () => {
  async function session(lines: readonly string[], reveal: boolean) {
    const { emptyReports, practise } = await import('../src/cli/practice.ts');
    const { prepareItem } = await import('../src/practice/practice.ts');
    const set = await findSet('1');
    const prepared = itemsOf(set).slice(0, 3).map(prepareItem);
    const reports = emptyReports(prepared.map((p) => p.item));
    let text = '';
    async function* input() { yield* lines; }
    await practise(set, prepared, reports, { lines: input(), write: (t) => { text += t; }, tty: true, reveal });
    return { text, reports };
  }

  test('"reveal" shows the answer only with --reveal, and the report says so; "hint" before an answer asks for one', async () => {
    const refused = await session(['hint', 'reveal', 'skip'], false);
    expect(refused.text).toContain('answer first: the hint is about your answer');
    expect(refused.text).toContain('the answer is shown only with --reveal');
    expect(refused.reports[0]!.revealed).toBe(false);
    const shown = await session(['skip', 'skip', 'reveal'], true);
    expect(shown.text).toContain('the answer: -2 * (y - w * x) * x');
    expect(shown.reports[2]).toMatchObject({ revealed: true, hintsUsed: 3, correct: false });
  });

  test('on a terminal the typed formula is read back in Unicode before the verdict', async () => {
    const { text } = await session(['skip', 'skip', '2*x*(w*x - y)'], false);
    expect(text).toContain('you typed: 2x (wx − y)\n  ✔ Right.');
  });
});

test('src/practice imports no Node module (a browser worker can grade; the engine below it has its browser entry)', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../src/practice/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThanOrEqual(5);
  for (const f of files) expect(readFileSync(new URL(f, dir), 'utf8'), f).not.toMatch(/from\s+['"]node:|import\(\s*['"]node:/);
});
