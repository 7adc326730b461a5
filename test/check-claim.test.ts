import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { checkClaim, hiddenClaims, parseClaims } from '../src/check/claim.ts';
import { domainAround } from '../src/practice/formula.ts';
import { parseExpression } from '../src/expr/parse.ts';

describe('parseClaims', () => {
  test('parseClaims splits at top-level commas followed by "name:", keeping commas inside calls', () => {
    expect(parseClaims('x: 2*x*cos(x^2), y: max(x, y), z: log(x, 2)')).toEqual(new Map([
      ['x', '2*x*cos(x^2)'], ['y', 'max(x, y)'], ['z', 'log(x, 2)'],
    ]));
  });

  test.each([
    ['2*x', /expected "variable: formula"/],
    ['x: 2*x, x: 3', /x is claimed twice/],
    ['x: ', /empty formula/],
  ])('parseClaims(%j) throws a DownhillError matching %s', (text, message) => {
    expect(() => parseClaims(text)).toThrow(DownhillError);
    expect(() => parseClaims(text)).toThrow(message);
  });
});

describe('checkClaim', () => {
  test('a correct claim written differently from the engine (2x·cos(x²)) is right at every point', () => {
    const r = checkClaim('sin(x^2)', 'x: 2*x*cos(x^2)', { x: 0.7 });
    expect(r.pass).toBe(true);
    expect(r.claims[0]!.correct).toBe(true);
    expect(r.claims[0]!.points.length).toBe(9); // the point and 8 near it
    expect(r.claims[0]!.differing).toEqual([]);
  });

  test('a claim missing the chain-rule factor 2x is wrong, with the exact formula and the points where they differ', () => {
    const r = checkClaim('sin(x^2)', 'x: cos(x^2)', { x: 0.7 });
    expect(r.pass).toBe(false);
    const c = r.claims[0]!;
    expect(c.correct).toBe(false);
    expect(c.exact.text).toMatch(/cos\(x \^ 2\)/);
    expect(c.exact.text).toMatch(/x/);
    // the given point comes first, with both values computed by hand
    const first = c.differing[0]!;
    expect(first.point).toEqual({ x: 0.7 });
    expect(first.exact).toBeCloseTo(2 * 0.7 * Math.cos(0.49), 14);
    expect(first.claimed).toBeCloseTo(Math.cos(0.49), 14);
    expect(first.difference).toBeCloseTo(Math.cos(0.49) - 1.4 * Math.cos(0.49), 14);
    // every differing point really differs, by claimed − exact = cos(x²)(1 − 2x)
    for (const p of c.differing) {
      const x = p.point['x']!;
      expect(p.difference).toBeCloseTo(Math.cos(x * x) * (1 - 2 * x), 12);
    }
    expect(c.differing.length).toBe(9);
  });

  test('a constant missing factor is named: sin(3x) claimed as cos(3x) is 1/3 of the exact derivative', () => {
    const c = checkClaim('sin(3*x)', { x: 'cos(3*x)' }, { x: 0.2 }).claims[0]!;
    expect(c.hint).toMatch(/0\.333333 times the exact derivative/);
  });

  test('a wrong sign and a wrong constant term are named', () => {
    expect(checkClaim('exp(-x)', 'x: exp(-x)', { x: 1 }).claims[0]!.hint).toMatch(/sign is wrong/);
    expect(checkClaim('x^2 + 3*x', 'x: 2*x', { x: 1 }).claims[0]!.hint).toMatch(/plus -3/);
  });

  test('claims for two variables are judged separately: right for y, wrong for x', () => {
    const r = checkClaim('x^2*y', new Map([['x', '2*x'], ['y', 'x^2']]), { x: 3, y: 2 });
    expect(r.claims.map((c) => [c.variable, c.correct])).toEqual([['x', false], ['y', true]]);
    expect(r.pass).toBe(false);
  });

  test('points where the claim is undefined (sqrt of a negative) are skipped and counted', () => {
    const c = checkClaim('x^2', 'x: 2*x*sqrt(x)/sqrt(x)', { x: 0.1 }, { radius: 2, samples: 20 }).claims[0]!;
    expect(c.skipped).toBeGreaterThan(0);
    expect(c.points.length + c.skipped).toBe(21);
    expect(c.correct).toBe(true);
  });

  test.each([
    ['x^2', 'z: 2*z', { x: 1 }, /z is not in the expression/],
    ['x^2', 'x: 2*x*q', { x: 1 }, /claim for x: q is not in the expression/],
    ['x^2', 'x: 2*', { x: 1 }, /claim for x:/],
  ])('checkClaim(%j, %j) at %j throws a DownhillError matching %s', (expr, claim, at, message) => {
    expect(() => checkClaim(expr, claim, at)).toThrow(DownhillError);
    expect(() => checkClaim(expr, claim, at)).toThrow(message);
  });
});

describe('hiddenClaims (check --claim … --hide-answer)', () => {
  // relu(w·x) at w = x = 1: the box around the point (w, x ∈ [0.5, 1.5]) holds only w·x > 0, where relu′ is 1,
  // so a claim that leaves relu′ out agrees with the exact derivative all over it. The exercise-style domain
  // also samples w·x < 0, where the exact derivative is 0 and the claim x is not.
  test('a claim with relu′ left out is refused, its missing factor named; the full claim is right', () => {
    const [left] = hiddenClaims('relu(w*x)', 'w: x', { w: 1, x: 1 }).claims;
    expect(left!.correct).toBe(false);
    // The kind of mistake: relu′ = H(w·x) is the missing factor (or the answer is right on one side only).
    expect(left!.hint).toMatch(/divided by H\(wx\)|right only where/);
    // Independent answer: the claim x and the exact derivative x·[w·x > 0] differ where w·x < 0 (at w = -1, x = 1:
    // 1 against 0), and the domain sampled reaches there: both w and x go below 0.
    const domain = domainAround([parseExpression('relu(w*x)')], new Map([['w', 1], ['x', 1]]));
    expect(domain['w']![0]).toBeLessThan(0);
    expect(domain['x']![0]).toBeLessThan(0);
    expect(hiddenClaims('relu(w*x)', 'w: x*heaviside(w*x)', { w: 1, x: 1 }).claims[0]!.correct).toBe(true);
    // The box alone still samples only w·x > 0: checkClaim (which shows the exact answer) and its points say so.
    expect(checkClaim('relu(w*x)', 'w: x', { w: 1, x: 1 }).claims[0]!.differing).toEqual([]);
  });

  test('a kink far from [-2, 2] is found along the axis: relu(x - 10) at x = 11, the claim 1 is refused, the sides are sampled', () => {
    const domain = domainAround([parseExpression('relu(x - 10)')], new Map([['x', 11]]));
    expect(domain['x']![0]).toBe(-2);
    expect(domain['x']![1]).toBeGreaterThan(10);
    const [claim] = hiddenClaims('relu(x - 10)', 'x: 1', { x: 11 }).claims;
    expect(claim!.correct).toBe(false);
    expect(claim!.method).toMatch(/[1-9]\d* beside kinks/);
    expect(hiddenClaims('relu(x - 10)', 'x: heaviside(x - 10)', { x: 11 }).claims[0]!.correct).toBe(true);
  });

  test('no hint names a factor proportional to the exact answer: a constant claimed for sin(w·x) is told it differs, not "divided by x cos(wx)"', () => {
    const [claim] = hiddenClaims('sin(w*x)', 'w: 1', { w: 1, x: 1 }).claims;
    expect(claim!.correct).toBe(false);
    expect(claim!.hint).not.toMatch(/cos/);
    expect(claim!.hint).toMatch(/differs from the exact one/);
    // A factor that is not the answer is still named: sin(w·x) claimed as cos(w·x) is missing x.
    expect(hiddenClaims('sin(w*x)', 'w: cos(w*x)', { w: 1, x: 1 }).claims[0]!.hint).toMatch(/divided by x\b/);
  });

  test('a smooth expression keeps [-2, 2] and the box: sin(x^2) at x = 5 is sampled over [-2, 7.5]', () => {
    expect(domainAround([parseExpression('sin(x^2)')], new Map([['x', 5]]))).toEqual({ x: [-2, 7.5] });
    expect(hiddenClaims('sin(x^2)', 'x: 2*x*cos(x^2)', { x: 5 }).claims[0]!.correct).toBe(true);
  });
});
