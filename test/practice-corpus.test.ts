// The practice checker against a corpus of graded answers: right answers in
// many forms (expanded, factored, σ written out, σ′ as e^(−z)/(1 + e^(−z))²,
// the names substituted or not) and the common mistakes (a dropped
// chain-rule factor, the sign, a factor 2, a missing 1/N, σ′ written as σ,
// the wrong variable, a missing transpose, relu′/abs′ right on half the
// domain). Every verdict is worked out by hand here; zero may be wrong. Where
// the kind of mistake is listed, the diagnosis must name it. And no hint at
// level 1 or 2 contains the exact answer's text.
import { describe, expect, test } from 'vitest';
import { allSets } from '../src/cli/practice.ts';
import { answerText, gradeAnswer, itemsOf, prepareItem, type PreparedItem } from '../src/practice/practice.ts';
import { prepareFormula, gradeFormula, shownFormula } from '../src/practice/formula.ts';
import { hintsFor } from '../src/practice/diagnose.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { tidy } from '../src/expr/tidy.ts';
import { corpus } from './fixtures/practice-corpus.ts';

describe('the practice checker on a corpus of graded answers', async () => {
  const sets = await allSets();
  const prepared = new Map<string, PreparedItem>();
  for (const set of sets) for (const item of itemsOf(set)) prepared.set(`${set.lesson}/${item.id}`, prepareItem(item));

  test(`${corpus.length} answers, every verdict as worked out by hand (and the kind of mistake where listed)`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const wrong: string[] = [];
    for (const [lesson, id, answer, expected] of corpus) {
      const p = prepared.get(`${lesson}/${id}`);
      if (!p) throw new Error(`no item ${lesson}/${id}`);
      const v = gradeAnswer(p, answer);
      const [verdict, kind] = expected.split(':');
      if (v.correct !== (verdict === 'right') || (kind !== undefined && v.kind !== kind)) {
        wrong.push(`${lesson}/${id} "${answer}": expected ${expected}, got ${v.correct ? 'right' : `wrong:${v.kind}`} (${v.hints[0]})`);
      }
    }
    expect(wrong).toEqual([]);
    // Both verdicts and every kind of mistake the corpus names are represented.
    const kinds = new Set(corpus.map(([, , , e]) => e.split(':')[1]).filter((k) => k !== undefined));
    for (const k of ['sign', 'constant-factor', 'missing-factor', 'extra-factor', 'function-for-derivative', 'chain-stops', 'wrong-variable', 'part-of-domain', 'transposed', 'shape', 'undefined']) expect(kinds).toContain(k);
  });

  test('no hint at level 1 or 2 contains the exact answer (its text, the key, or its Unicode)', () => {
    let checked = 0;
    for (const [lesson, id, answer] of corpus) {
      const p = prepared.get(`${lesson}/${id}`)!;
      if (p.item.kind === 'prediction') continue; // a prediction's run is shown after the answer, by design
      const v = gradeAnswer(p, answer);
      if (v.correct) continue;
      const key = answerText(p);
      const forms = [key, key.replace(/\s+/g, '')];
      if ('formula' in p) forms.push(p.formula.exactText, shownFormula(tidy(p.formula.exact)), shownFormula(parseExpression(key)));
      for (const hint of v.hints) {
        for (const form of forms) {
          if (form.length < 3 && p.item.kind !== 'number') continue; // a one-character answer (-1, u) is in every sentence
          expect(hint.replace(/\s+/g, ''), `${lesson}/${id} "${answer}"`).not.toContain(form.replace(/\s+/g, ''));
          checked++;
        }
      }
    }
    // Most of the corpus's wrong answers get hints: the check above ran on them, not on none.
    expect(checked).toBeGreaterThan(200);
  });

  test('relu′ left out is refused, though it agrees wherever the unit is on (points on both sides of the kink)', () => {
    const f = prepareFormula({ expression: '(y - yhat)^2', wrt: 'w', names: { z: 'w*x + b', yhat: 'relu(z)' } });
    expect(gradeFormula(f, '-2*(y - yhat)*heaviside(z)*x').correct).toBe(true);
    const v = gradeFormula(f, '-2*(y - yhat)*x');
    expect(v.correct).toBe(false);
    expect(v.diagnosis.kind).toBe('part-of-domain');
    expect(hintsFor(v.diagnosis, f.links, 'w')[0]).toContain('z > 0');
    // The points beside the kink: some with z just above 0, some just below.
    const zs = f.points.map((p) => p.get('w')! * p.get('x')! + p.get('b')!);
    expect(zs.some((z) => z > 0 && z < 1e-4)).toBe(true);
    expect(zs.some((z) => z < 0 && z > -1e-4)).toBe(true);
  });

  // ∂L/∂w₁ = ∂L/∂ŷ · ∂ŷ/∂h · ∂h/∂z · ∂z/∂w₁ = −2(y − ŷ) · w₃ · h(1 − h) · x₁ (by hand). An answer with
  // h(1 + h) for σ′ fits no named kind; its first two factors are the first two links, its third is not ∂h/∂z.
  test('level 2 of an unclassified mistake names the first link of the chain the answer\'s factors do not hold', () => {
    const dw1 = prepared.get('4/dl-dw1')!;
    const sigma = gradeAnswer(dw1, '2*(yhat - y)*w3*h*(1 + h)*x1');
    expect(sigma.kind).toBe('other');
    expect(sigma.hints[1]).toContain('hold ∂L/∂ŷ · ∂ŷ/∂h (up to constants); the next link, ∂h/∂z, is not among them');
    // The same with the product written as one quotient (e^(−z)/(1 + e^(z))²: a slip in the denominator).
    expect(gradeAnswer(dw1, '2*(yhat - y)*w3*x1*exp(-z)/(1 + exp(z))^2').hints[1]).toContain('the next link, ∂h/∂z, is not among them');
    // Lesson 8: v₂ written for v₁ (∂z/∂a₁ = v₁, by hand), the first link right.
    const xor = gradeAnswer(prepared.get('8/dl-dw1')!, '(sigmoid(z) - y)*v2*a1*(1 - a1)*x1');
    expect(xor.kind).toBe('other');
    expect(xor.hints[1]).toContain('hold ∂L/∂z (up to constants); the next link, ∂z/∂a₁, is not among them');
    // Every link there but a factor more: said so, no link named as wrong.
    expect(gradeAnswer(dw1, '2*(yhat - y)*w3*h*(1 - h)*x1*x2').hints[1]).toContain('Every link is among your answer\'s factors');
    // A wrong first link: "start there".
    expect(gradeAnswer(prepared.get('8/dl-dv1')!, '(softplus(z) - y)*a1').hints[1]).toContain('The first link, ∂L/∂z, is not among your answer\'s factors');
  });

  test('an answer undefined where the exact one is defined is refused with the point', () => {
    // d/dx (x |x|) = 2|x|; 2x²/|x| equals it except at x = 0, where it is 0/0.
    const g = prepareFormula({ expression: 'abs(x)*x', wrt: 'x', domain: { x: [-1, 1] } });
    expect(gradeFormula(g, '2*abs(x)').correct).toBe(true);
    const v = gradeFormula(g, '2*x^2/abs(x)');
    expect(v.correct).toBe(false);
    expect(v.diagnosis.kind).toBe('undefined');
    expect(hintsFor(v.diagnosis, [])[0]).toContain('x = 0');
  });
});
