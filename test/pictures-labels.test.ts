import { describe, expect, test } from 'vitest';
import { dotString, prettyText, shorten, unicodeName } from '../src/pictures/labels.ts';
import { displayNumber } from '../src/expr/number.ts';

describe('picture labels', () => {
  test.each([
    ['w1', 'w₁'], ['x_12', 'x₁₂'], ['W1_2_1', 'W⁽¹⁾₂₁'], ['W2_12_3', 'W⁽²⁾₁₂,₃'], ['b2_1', 'b⁽²⁾₁'],
    ['alpha', 'α'], ['y_hat', 'ŷ'], ['loss', 'loss'],
  ])('unicodeName(%j) is %j', (name, shown) => {
    expect(unicodeName(name)).toBe(shown);
  });

  test('displayNumber rounds to 4 significant digits with a true minus sign', () => {
    expect(displayNumber(-0.123456)).toBe('−0.1235');
    expect(displayNumber(2)).toBe('2');
    expect(displayNumber(1.5e-7)).toBe('1.5e−7');
  });

  test('prettyText writes products with ·, minus with −, squares as ²', () => {
    expect(prettyText('-2 * (y - v5) ^ 2 * sigmoid(v1)')).toBe('−2 · (y − v5)² · σ(v1)');
  });

  test('shorten cuts long labels with an ellipsis', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abc', 4)).toBe('abc');
  });

  test('dotString escapes quotes and backslashes for DOT and markup characters as entities', () => {
    expect(dotString('a"b\\c<d>&e\nf')).toBe('"a\\"b\\\\c&lt;d&gt;&amp;e f"');
  });
});
