// The number styles of expr/number.ts, each against a value written by hand.
import { describe, expect, test } from 'vitest';
import { displayNumber, formatCell, formatNumber, numberTex, proseNumber, proseTextNumber, roundedNumber, texNumber } from '../src/expr/number.ts';
import { numberText } from '../src/render/terminal.ts';
import { toTex } from '../src/expr/print.ts';
import { parseExpression } from '../src/expr/parse.ts';

describe('one number, every style', () => {
  test.each([
    // v, exact, table (6 digits), tex (6 digits), label (4 digits), terminal (6 digits)
    [0.1 + 0.2, '0.30000000000000004', '0.3', '0.3', '0.3', '0.3'],
    [-2 / 3, '-0.6666666666666666', '-0.666667', '-0.666667', '−0.6667', '−0.666667'],
    [2.220446049250313e-16, '2.220446049250313e-16', '2.22045e-16', '2.22045 \\times 10^{-16}', '2.22e−16', '2.22045 × 10⁻¹⁶'],
    [1234567.8, '1234567.8', '1.23457e+6', '1.23457 \\times 10^{6}', '1.235e6', '1.23457 × 10⁶'],
    [-Infinity, '-Infinity', '-Infinity', '-\\infty', '−Infinity', '−Infinity'],
  ])('%s', (v, exact, table, tex, label, terminal) => {
    expect(formatNumber(v)).toBe(exact);
    expect(formatCell(v)).toBe(table);
    expect(texNumber(v)).toBe(tex);
    expect(displayNumber(v)).toBe(label);
    expect(numberText(v)).toBe(terminal);
  });

  test('exact numbers in formulas are powers of ten in TeX, also from 1e21 up (String(1e21) is "1e+21")', () => {
    expect(numberTex(1e-7)).toBe('1 \\times 10^{-7}');
    expect(numberTex(1e21)).toBe('1 \\times 10^{21}');
    expect(toTex(parseExpression('x * 1e21'))).toBe('x \\cdot 1 \\times 10^{21}');
  });
});

describe('the prose style of run diagnoses', () => {
  test.each([
    [0, '0'],
    [0.123456, '0.1235'],
    [-2500.5, '-2501'],
    [0.000123456, '1.23 \\times 10^{-4}'],
    [1234567, '1.23 \\times 10^{6}'],
  ])('proseNumber(%s) = %s', (v, want) => expect(proseNumber(v)).toBe(want));
});

describe('proseTextNumber: the prose style as plain text', () => {
  test('4 significant digits, × 10ⁿ with superscripts outside [10⁻³, 10⁶), the same digits as proseNumber', () => {
    expect(proseTextNumber(39794600)).toBe('3.98 × 10⁷');
    expect(proseTextNumber(2.16014e19)).toBe('2.16 × 10¹⁹');
    expect(proseTextNumber(1.5e-7)).toBe('1.5 × 10⁻⁷');
    expect(proseTextNumber(17.7275)).toBe('17.73');
    expect(proseTextNumber(Infinity)).toBe('Infinity');
  });
});

describe('the rounded style of run messages and factors', () => {
  test.each([
    [1 / 3, 6, '0.333333'],
    [0.999984999, 6, '0.999985'],
    [0.5, 4, '0.5'],
    [-2.5e-7, 6, '-2.5e-7'],
    [1.5e21, 6, '1.5e+21'],
    [1234567, 6, '1234570'],
    [3.0000000000000004e-12, 2, '3e-12'],
    [NaN, 6, 'NaN'],
    [-Infinity, 6, '-Infinity'],
  ])('roundedNumber(%s, %s) = %s', (v, digits, want) => expect(roundedNumber(v, digits)).toBe(want));
});
