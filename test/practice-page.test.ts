// The practice pages as the site builds them (site/practice.ts): every set
// is a page holding its questions and no answer (the worker derives the
// answers), and the live preview reads a typed answer back as TeX of its
// parsed expression, never as the typed text.
import { describe, expect, test } from 'vitest';
import katex from 'katex';
import { answerText, itemsOf, prepareItem, promptText } from '../src/index.ts';
import { allSets, answerTex, escapeHtml, practiceFile } from '../src/live.ts';
import { roundedNumber } from '../src/expr/number.ts';
import { toTex } from '../src/expr/print.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { practicePage, practicePages } from '../site/practice.ts';

describe('practicePage(set)', () => {
  test('every set\'s page holds each question and no exact answer: not its text, not its TeX in any formula, not in the page\'s data', async () => {
    const sets = await allSets();
    expect(sets.length).toBeGreaterThanOrEqual(12);
    let checked = 0;
    for (const set of sets) {
      const page = practicePage(set, undefined);
      // The page without its style sheet and KaTeX's inline styles (whose lengths read like numbers: --step--1, -0.15em).
      const html = page.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/ style="[^"]*"/g, '');
      expect(html.length).toBeLessThan(page.length);
      const items = itemsOf(set);
      const data = /<script type="application\/json" id="dh-practice">([^<]*)<\/script>/.exec(html);
      expect(JSON.parse(data![1]!)).toEqual({ lesson: set.lesson, name: set.name, items: items.map((i) => ({ id: i.id, kind: i.kind })) });
      for (const item of items) {
        expect(html, `${set.name}/${item.id}: its section`).toContain(`id="item-${item.id}"`);
        // The prompt's words are there (its first few plain words).
        const words = promptText(item).replace(/\$[^$]*\$|`[^`]*`/g, ' ').split(/\s+/).filter((w) => /^[a-z]{4,}$/i.test(w)).slice(0, 3);
        for (const w of words) expect(html, `${set.name}/${item.id}: prompt word ${w}`).toContain(w);
        const p = prepareItem(item);
        const answers: string[] = [];
        switch (item.kind) {
          case 'formula': {
            const text = answerText(p);
            answers.push(text, escapeHtml(text));
            const f = (p as { formula: { exactText: string; exactTex: string } }).formula;
            answers.push(f.exactText, escapeHtml(f.exactText));
            // KaTeX keeps each formula's TeX in its MathML annotation: the answer's TeX must be in none.
            for (const tex of [f.exactTex, toTex(parseExpression(text))]) if (tex.length >= 4) answers.push(`>${escapeHtml(tex)}</annotation>`);
            break;
          }
          case 'matrix': answers.push(item.formula, escapeHtml(item.formula)); break;
          case 'number': answers.push(roundedNumber(item.value, 6)); break;
          case 'prediction': case 'choice': break; // a run's number exists only once it has run; a choice's text is the question's
        }
        // An answer of one to three characters (u, -1, h) is in any page that names its symbols: it says nothing.
        for (const a of answers.filter((t) => t.length >= 4)) {
          expect(html.includes(a), `${set.name}/${item.id}: the page holds its answer ${a}`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  test('the pages are named after their sets, and each lesson links to its own', async () => {
    const { pages, links } = await practicePages(new Map([[4, '04-backprop.html']]));
    const sets = await allSets();
    expect(pages.map((p) => p.file)).toEqual(sets.map(practiceFile));
    expect(links.get(4)!.href).toBe('practice-04-backprop.html');
    expect(links.get(4)!.text).toBe(`practice: ${itemsOf(sets.find((s) => s.lesson === 4)!).length} exercises`);
    const four = pages.find((p) => p.file === 'practice-04-backprop.html')!.html;
    expect(four).toContain('<a href="04-backprop.html">lesson 4</a>');
    // Every answer field has a label naming its exercise, every verdict is announced.
    const fields = four.match(/<input id="answer-[^"]+"/g)!;
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) expect(four).toContain(`<label class="dh-answer-label" for="${f.slice('<input id="'.length, -1)}">`);
    expect(four.match(/role="status" aria-live="polite"/g)!.length).toBe(8);
  });
});

describe('answerTex(item, text): the preview\'s TeX', () => {
  const formula = { kind: 'formula' } as const;
  const matrix = { kind: 'matrix' } as const;

  test.each([
    ['-2*(y - yhat)*h', '-2 \\left(y - \\hat{y}\\right) h'],
    ['sigmoid(z)*(1 - sigmoid(z))', '\\sigma\\left(z\\right) \\left(1 - \\sigma\\left(z\\right)\\right)'],
    ['2/15', '\\frac{2}{15}'],
  ])('a formula %s reads back as %s', (text, tex) => {
    expect(answerTex(formula, text)).toBe(tex);
  });

  test('a matrix answer: the product juxtaposed, ⊙ element by element, ᵀ for the transpose', () => {
    expect(answerTex(matrix, "(W2' * delta2) .* a1 .* (1 - a1)")).toBe('\\left({W_{2}}^{\\top} \\, \\delta_{2}\\right) \\odot a_{1} \\odot \\left(1 - a_{1}\\right)');
    expect(answerTex(matrix, 'transpose(X) ./ N')).toBe('{X}^{\\top} \\oslash N');
    expect(() => answerTex(matrix, 'W2 @ X')).toThrow(/parse|character/i);
  });

  test('a choice has no formula; a text that does not read throws the reader\'s one-line message', () => {
    expect(answerTex({ kind: 'choice' }, 'b')).toBeUndefined();
    expect(() => answerTex(formula, '<img src=x>')).toThrow(/cannot parse/);
    expect(() => answerTex(formula, '\\href{javascript:x}{y}')).toThrow(/cannot parse/);
  });

  test('names that TeX would read as commands stay letters: KaTeX renders them as text, no link, no command', () => {
    for (const text of ['a_b_c_d + 1', 'x__y', 'ω1 * π_2', 'theta_hat']) {
      const tex = answerTex(formula, text)!;
      const html = katex.renderToString(tex, { throwOnError: true, trust: false, output: 'htmlAndMathml' });
      expect(html).not.toMatch(/<a |href=|javascript:/);
    }
  });
});
