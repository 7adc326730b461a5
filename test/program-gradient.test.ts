// Backpropagation through named steps (src/diff/program.ts), against a hand
// computation, the closed-form partials, and finite differences.
import { describe, expect, test } from 'vitest';
import { parseProgram } from '../src/expr/program.ts';
import { programGradient, programGradientAt, programSymbolTex } from '../src/diff/program.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { toTex, toText } from '../src/expr/print.ts';
import { centralDifference, relativeError } from './support/fd.ts';

const classic = 'z = w1*x1 + w2*x2; h = sigmoid(z); L = (y - w3*h)^2';
const point = new Map([['w1', 0.1], ['w2', -0.2], ['w3', 0.3], ['x1', 1], ['x2', 0.5], ['y', 0.7]]);

describe('programGradient', () => {
  test('one line per name, from the output down, each in terms of the names after it', () => {
    const g = programGradient(parseProgram(classic), ['w1', 'w2', 'w3']);
    expect(g.backward.map((b) => `${b.symbol} = ${toText(b.formula)}`)).toEqual([
      '∂L/∂h = -2 * (y - w3 * h) * w3',
      '∂L/∂z = ∂L/∂h * (h * (1 - h))',
      '∂L/∂w1 = ∂L/∂z * x1',
      '∂L/∂w2 = ∂L/∂z * x2',
      '∂L/∂w3 = -2 * (y - w3 * h) * h',
    ]);
    expect(toTex(g.backward[1]!.formula, { symbolTex: programSymbolTex })).toContain('\\frac{\\partial L}{\\partial h}');
  });

  test('the numbers match a hand computation: z = 0, h = 1/2, ∂L/∂h = -2(0.55)(0.3), ∂L/∂z = ∂L/∂h / 4', () => {
    const v = programGradientAt(programGradient(parseProgram(classic), ['w1', 'w2', 'w3']), point);
    expect(v.get('z')).toBe(0);
    expect(v.get('h')).toBe(0.5);
    expect(v.get('∂L/∂h')).toBeCloseTo(-2 * 0.55 * 0.3, 15);
    expect(v.get('∂L/∂z')).toBeCloseTo(-0.33 / 4, 15);
    expect(v.get('∂L/∂w1')).toBeCloseTo(-0.0825, 15);
    expect(v.get('∂L/∂w2')).toBeCloseTo(-0.04125, 15);
    expect(v.get('∂L/∂w3')).toBeCloseTo(-0.55, 15);
  });

  test('a point given as a plain object gives the same numbers as a Map', () => {
    const g = programGradient(parseProgram(classic), ['w1', 'w2', 'w3']);
    expect(programGradientAt(g, Object.fromEntries(point))).toEqual(programGradientAt(g, point));
    expect(() => programGradientAt(g, { w1: 1 })).toThrow(/no value for/);
  });

  test('a name used by two steps adds both paths; the result equals the closed form and finite differences', () => {
    const p = parseProgram('a = w*x; b = sin(a) + a^2; c = a*b; L = log(1 + c^2) + b');
    const g = programGradient(p, ['w', 'x']);
    const at = new Map([['w', 0.7], ['x', -1.3]]);
    const v = programGradientAt(g, at);
    const fd = centralDifference((q) => evaluate(p.expanded, new Map([['w', q[0]!], ['x', q[1]!]])), [0.7, -1.3]);
    g.wrt.forEach((w, i) => {
      const named = v.get(`∂L/∂${w}`)!;
      expect(relativeError(named, evaluate(g.partials[i]!.node, at))).toBeLessThan(1e-12);
      expect(relativeError(named, fd[i]!)).toBeLessThan(1e-7);
    });
    const a = toText(g.backward.find((b) => b.name === 'a')!.formula);
    expect(a).toContain('∂L/∂b * ');
    expect(a).toContain('∂L/∂c * ');
  });

  test('a step name or an unknown name in wrt is an error', () => {
    const p = parseProgram(classic);
    expect(() => programGradient(p, ['h'])).toThrow(/h is a step of the program, not an input/);
    expect(() => programGradient(p, ['q'])).toThrow(/q is not in the expression/);
  });
});
