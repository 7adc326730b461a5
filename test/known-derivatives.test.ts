/**
 * src/diff/known-derivatives.ts (written by npm run build) holds mathjs's
 * derivatives of the common local templates, so a command need not set up
 * mathjs's `derivative`. Each entry must be exactly the tree mathjs gives now.
 */
import { describe, expect, test } from 'vitest';
import { derivative, parse, version } from '../src/expr/mathjs-lib.ts';
import { mathjsFromJson } from '../src/expr/mathjs.ts';
import { knownDerivatives, knownDerivativesVersion } from '../src/diff/known-derivatives.ts';
import { templateDerivative } from '../src/diff/local.ts';
import { knownDerivativesNow } from '../tools/build-known-derivatives.ts';

const entries = Object.entries(knownDerivatives);

describe('known-derivatives.ts: mathjs derivatives of local templates, computed at build time', () => {
  test('it was written by the mathjs that is loaded, for every template the generator lists (else: npm run build)', () => {
    expect(knownDerivativesVersion).toBe(version);
    expect(Object.keys(knownDerivatives).sort()).toEqual(Object.keys(knownDerivativesNow()).sort());
    expect(entries.length).toBeGreaterThan(40);
  });

  test.each(entries.map(([key, json]) => [key, json]))('%s: the stored tree is mathjs\'s derivative now', (key, json) => {
    const [text, i] = key.split('|') as [string, string];
    const live = derivative(parse(text), `u${i}`);
    expect(JSON.stringify(mathjsFromJson(json))).toBe(JSON.stringify(live));
    expect(JSON.stringify(templateDerivative(text, Number(i)))).toBe(JSON.stringify(live));
  });

  test('a template not in the file goes to mathjs: u0 ^ 7 gives 7 * u0 ^ 6', () => {
    expect(knownDerivatives['u0 ^ 7|0']).toBeUndefined();
    expect(templateDerivative('u0 ^ 7', 0).toString()).toBe('7 * u0 ^ 6');
  });
});

describe('mathjsFromJson', () => {
  test('rebuilds the five node kinds exactly: (2x + sin(y))^-1', () => {
    const tree = parse('(2x + sin(y)) ^ -1');
    const back = mathjsFromJson(JSON.parse(JSON.stringify(tree)));
    expect(JSON.stringify(back)).toBe(JSON.stringify(tree));
    expect(back.toString()).toBe('(2 x + sin(y)) ^ (-1)');
  });

  test('refuses other nodes and non-number constants with one line', () => {
    expect(() => mathjsFromJson(JSON.parse(JSON.stringify(parse('[1, 2]'))))).toThrow(/^mathjs JSON: unsupported node "ArrayNode"$/);
    expect(() => mathjsFromJson({ mathjs: 'ConstantNode', value: 'x' })).toThrow(/^mathjs JSON: a constant that is not a number$/);
  });
});
