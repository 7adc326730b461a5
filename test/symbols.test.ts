import { describe, expect, test } from 'vitest';
import { GREEK_LETTERS, isGreek, symbolParts } from '../src/expr/symbols.ts';
import { symbolTex } from '../src/expr/print.ts';
import { unicodeName } from '../src/pictures/labels.ts';

describe('symbolParts: one reading of a symbol name for TeX and for pictures', () => {
  test.each([
    ['w1', { kind: 'indexed', base: 'w', index: '1' }],
    ['x_12', { kind: 'indexed', base: 'x', index: '12' }],
    ['W2_1_3', { kind: 'layer', base: 'W', layer: '2', indices: ['1', '3'] }],
    ['b2_1', { kind: 'layer', base: 'b', layer: '2', indices: ['1'] }],
    ['y_hat', { kind: 'hat', base: 'y' }],
    ['yhat', { kind: 'hat', base: 'y' }],
    ['x_max', { kind: 'subscript', base: 'x', subscript: 'max' }],
    ['alpha', { kind: 'word', base: 'alpha' }],
    ['x1_', { kind: 'other', name: 'x1_' }],
    ['__proto__', { kind: 'other', name: '__proto__' }],
  ])('%s', (name, parts) => {
    expect(symbolParts(name)).toEqual(parts);
  });

  test('the Greek letters: 34 names, each its own letter; names inherited by every object are not among them', () => {
    expect(Object.keys(GREEK_LETTERS)).toHaveLength(34);
    expect(new Set(Object.values(GREEK_LETTERS)).size).toBe(34);
    expect(isGreek('Sigma')).toBe(true);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(isGreek(name)).toBe(false);
  });

  test('both printers follow it: TeX and picture labels of the same names', () => {
    const names = ['w1', 'x_12', 'W2_1_3', 'y_hat', 'alpha', 'Sigma2'];
    expect(names.map(symbolTex)).toEqual(['w_{1}', 'x_{12}', 'W^{(2)}_{13}', '\\hat{y}', '\\alpha', '\\Sigma_{2}']);
    expect(names.map(unicodeName)).toEqual(['w₁', 'x₁₂', 'W⁽²⁾₁₃', 'ŷ', 'α', 'Σ₂']);
  });

  test('a symbol named like an Object property is shown as its name, not as the property', () => {
    expect(unicodeName('constructor')).toBe('constructor');
    expect(unicodeName('toString1')).toBe('toString₁');
    expect(symbolTex('constructor')).toBe('\\mathrm{constructor}');
  });
});
