import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { alignTable, thinSteps } from '../src/render/table.ts';
import { formatCell } from '../src/expr/number.ts';

describe('formatCell(x, digits)', () => {
  test.each([
    [0.1 + 0.2, 6, '0.3'],
    [Math.PI, 3, '3.14'],
    [Math.PI, 6, '3.14159'],
    [2, 6, '2'],
    [-0.5, 6, '-0.5'],
    [100, 6, '100'],
    [123456.7, 3, '123000'],
    [999999.9, 3, '1e+6'],
    [1234567.8, 4, '1.235e+6'],
    [0.0000123456, 3, '1.23e-5'],
    [-2.5e-9, 6, '-2.5e-9'],
    [1e21, 6, '1e+21'],
    [0.0001, 6, '0.0001'],
    [-0, 6, '0'],
    [0, 6, '0'],
  ])('formatCell(%d, %i) is %s', (x, digits, expected) => {
    expect(formatCell(x, digits)).toBe(expected);
  });

  test.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('formatCell(%d) prints the word %s', (x, expected) => {
    expect(formatCell(x)).toBe(expected);
  });

  test('the printed number parses back within the requested precision', () => {
    for (const x of [1 / 3, -7.123456789e-12, 98765.4321, 6.02214076e23, 0.000099999]) {
      const back = Number(formatCell(x, 5));
      expect(Math.abs(back - x) / Math.abs(x)).toBeLessThan(5e-5);
    }
  });

  test('formatCell(x, 0) throws DownhillError', () => {
    expect(() => formatCell(1, 0)).toThrow(DownhillError);
  });
});

describe('alignTable(headers, rows)', () => {
  test('right-aligns numeric columns (headers too), left-aligns text columns, and formats numbers', () => {
    const table = alignTable(['step', 'loss', '∂L/∂w'], [
      [0, 1.5, 'a'],
      [10, 1 / 3, 'σ(z)'],
    ], { digits: 3 });
    expect(table.split('\n')).toEqual([
      'step   loss  ∂L/∂w',
      '----  -----  -----',
      '   0    1.5  a',
      '  10  0.333  σ(z)',
    ]);
  });

  test('numeric strings (and NaN) count as numbers for alignment', () => {
    const table = alignTable(['x'], [['1.5'], ['NaN'], ['-12e3']]);
    expect(table.split('\n').slice(2)).toEqual(['  1.5', '  NaN', '-12e3']);
  });

  test("'' and '—' (no value) keep a number column right-aligned; other text makes it left-aligned", () => {
    expect(alignTable(['loss'], [[12.5], ['—'], ['']]).split('\n').slice(2)).toEqual(['12.5', '   —', '']);
    expect(alignTable(['loss'], [[12.5], ['n/a']]).split('\n').slice(2)).toEqual(['12.5', 'n/a']);
  });

  test('a row with the wrong number of cells throws a DownhillError naming the row', () => {
    expect(() => alignTable(['a', 'b'], [[1, 2], [3]])).toThrow(/row 1 has 1 cells but there are 2 headers/);
  });

  test('a custom gap separates columns', () => {
    expect(alignTable(['a', 'b'], [[1, 2]], { gap: ' | ' }).split('\n')[2]).toBe('1 | 2');
  });
});

describe('thinSteps(n, {head, every, tail})', () => {
  test.each([
    [4, {}, [0, 1, 2, 3]],
    [100, { head: 3, every: 25, tail: 2 }, [0, 1, 2, 25, 50, 75, 98, 99]],
    [12, { head: 2, every: 5, tail: 1 }, [0, 1, 5, 10, 11]],
    [0, {}, []],
    [10, { head: 0, every: 100, tail: 0 }, [0]],
  ])('thinSteps(%i, %j) is %j', (n, options, expected) => {
    expect(thinSteps(n, options)).toEqual(expected);
  });

  test('by default a long run shows about 20 rows, always including the first and the last', () => {
    const shown = thinSteps(10_000);
    expect(shown.length).toBeGreaterThan(15);
    expect(shown.length).toBeLessThan(30);
    expect(shown[0]).toBe(0);
    expect(shown.at(-1)).toBe(9999);
    expect([...shown].sort((a, b) => a - b)).toEqual(shown);
    expect(new Set(shown).size).toBe(shown.length);
  });

  test.each([[-1, {}], [2.5, {}], [10, { every: 0 }], [10, { head: -1 }]])(
    'thinSteps(%d, %j) throws DownhillError',
    (n, options) => {
      expect(() => thinSteps(n, options)).toThrow(DownhillError);
    },
  );
});
