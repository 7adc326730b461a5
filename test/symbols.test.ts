import { describe, expect, test } from 'vitest';
import { GREEK_LETTERS, isGreek, symbolParts } from '../src/expr/symbols.ts';
import { DownhillError } from '../src/errors.ts';
import { isSymbolName, parseExpression } from '../src/expr/parse.ts';
import { parseProgram } from '../src/expr/program.ts';
import { parseNameList, parsePoint } from '../src/cli/args.ts';
import { parseClaims } from '../src/check/claim.ts';
import { runCli } from './support/cli.ts';
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

describe('one definition of a symbol name: the parser, --at, --wrt, --claim and named steps agree', () => {
  // Each candidate either works in every place or in none.
  const candidates = ['θ', 'θ1', 'x$y', '$x', '_b', 'σ_2', 'w1', 'Δw', 'é', 'x_hat', 'pi', 'e', 'x²', '2x', 'x y', 'x÷2', 'x-y', '', 'x.y', 'sin'];
  test.each(candidates)('%j', (name) => {
    const parsed = (() => {
      try {
        const n = parseExpression(name);
        return n.kind === 'sym' && n.name === name;
      } catch {
        return false;
      }
    })();
    const accepts = (f: () => unknown): boolean => {
      try {
        f();
        return true;
      } catch (e) {
        if (!(e instanceof DownhillError)) throw e;
        return false;
      }
    };
    const places = {
      isSymbolName: isSymbolName(name),
      '--at': accepts(() => parsePoint(`${name}=1`, '--at')),
      '--wrt': accepts(() => parseNameList(name, '--wrt')),
      '--claim': accepts(() => parseClaims(`${name}: 1`)),
      'named step': accepts(() => parseProgram(`${name} = w^2; L = ${name}*x`)),
    };
    expect(places).toEqual(Object.fromEntries(Object.keys(places).map((k) => [k, parsed])));
  });

  test('the CLI: grad "(θ*x - y)^2" --at θ=1,x=2,y=1 --wrt θ gives 2(θx − y)x = 4; the named step θ = w^2; check "x$y^2" --at x$y=1', () => {
    const grad = runCli(['grad', '(θ*x - y)^2', '--at', 'θ=1,x=2,y=1', '--wrt', 'θ']);
    expect(grad.stderr).toBe('');
    expect(grad.stdout).toContain('∂f/∂θ = 4'); // 2 · (1·2 − 1) · 2
    const steps = runCli(['grad', 'θ = w^2; L = θ*x', '--at', 'w=3,x=2']);
    expect(steps.stderr).toBe('');
    expect(steps.stdout).toMatch(/∂L\/∂w = 12\b/); // x · 2w
    const check = runCli(['check', 'x$y^2', '--at', 'x$y=1', '--claim', 'x$y: 2*x$y']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  });
});
