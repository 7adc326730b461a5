import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MAX_NESTING, PARSE_DEPTH, parseExpression, parseWithSymbols } from '../src/expr/parse.ts';
import { add, call, constant, mul, pow, sub, sym, symbolsOf, type Node } from '../src/expr/node.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { DownhillError } from '../src/errors.ts';

describe('parseExpression(text)', () => {
  test('gives the same graph as the builders', () => {
    const built = pow(sub(sym('y'), mul(sym('w3'), call('sigmoid', add(mul(sym('w1'), sym('x1')), mul(sym('w2'), sym('x2')))))), 2);
    expect(parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2')).toBe(built);
  });

  test('mathjs unit names are ordinary symbols', () => {
    const e = parseExpression('b*m + s*g - h/L + A*N*W*K');
    expect(evaluate(e, { b: 2, m: 3, s: 5, g: 7, h: 4, L: 2, A: 1, N: 2, W: 3, K: 4 })).toBe(2 * 3 + 5 * 7 - 4 / 2 + 1 * 2 * 3 * 4);
  });

  test('pi and e are the constants', () => {
    expect(parseExpression('pi')).toBe(constant(Math.PI));
    expect(parseExpression('e^x')).toBe(pow(constant(Math.E), sym('x')));
  });

  test('omitted optional arguments get their defaults', () => {
    expect(parseExpression('leaky_relu(x)')).toBe(call('leaky_relu', sym('x'), 0.01));
    expect(parseExpression('huber(x)')).toBe(call('huber', sym('x'), 1));
  });

  test('implicit multiplication works as in mathjs: 2x y', () => {
    expect(evaluate(parseExpression('2x y'), { x: 3, y: 5 })).toBe(30);
  });

  test.each([
    ['', /empty expression/],
    ['(x + 1', /unbalanced parentheses/],
    ['x + * y', /column 5/],
    ['gamma(x)', /unknown function "gamma" at column 1/],
    ['x + foo(2)', /unknown function "foo" at column 5/],
    ['f(x) = x^2', /function definition/],
    ['a = 2', /assignment/],
    ['[1, 2]', /matrix/],
    ['x > 0 ? x : 0', /conditional/],
    ['"text"', /strings/],
    ['x!', /factorial/],
    ['x mod 2', /modulo/],
    ['x == 2', /comparison/],
    ['5 cm to inch', /unit conversion/],
    ['sigmoid(x, y)', /takes 1 argument, got 2/],
    ['Infinity * x', /not a finite number/],
    ['x + 1e999', /the number Infinity is not a finite number at column 5/],
    ['x'.repeat(30_000), /too long/],
    ['('.repeat(5000) + 'x' + ')'.repeat(5000), /nested too deeply/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseExpression(text)).toThrow(DownhillError);
    expect(() => parseExpression(text)).toThrow(message);
  });

  test('a long chain of unary minus is refused or parsed, never a stack overflow', () => {
    const text = '-'.repeat(15_000) + 'x';
    let result: unknown;
    try {
      result = evaluate(parseExpression(text), { x: 2 });
    } catch (e) {
      result = e;
    }
    expect(result === 2 || result instanceof DownhillError).toBe(true);
  });
});

describe('parseWithSymbols(text)', () => {
  test.each([
    ['0*x + y', ['y', 'x']],
    ['0*b + 0*a', ['b', 'a']],
    ['sin(w)*pi + e', ['w']],
    ['α*β', ['α', 'β']],
  ])('%s names %j (folded-away symbols last, in text order)', (text, symbols) => {
    expect(parseWithSymbols(text).symbols).toEqual(symbols);
    expect(parseWithSymbols(text).node).toBe(parseExpression(text));
  });
});

describe('parseExpression(text) nested deeper than one call of mathjs parse goes (PARSE_DEPTH)', () => {
  const nest = (open: string, inner: string, n: number): string => open.repeat(n) + inner + ')'.repeat(n);
  const fold = (n: number, inner: Node, wrap: (a: Node) => Node): Node => Array.from({ length: n }).reduce<Node>((a) => wrap(a), inner);

  test.each([
    ['200 redundant brackets', nest('(', 'w*x', MAX_NESTING), mul(sym('w'), sym('x'))],
    ['200 sums', nest('(x+', 'w', MAX_NESTING), fold(MAX_NESTING, sym('w'), (a) => add(sym('x'), a))],
    ['120 calls', nest('sin(', 'w', 120), fold(120, sym('w'), (a) => call('sin', a))],
    ['two arguments, each deep', `max(${nest('(x+', 'w', 100)}, ${nest('(y*', 'w', 90)})`,
      call('max', fold(100, sym('w'), (a) => add(sym('x'), a)), fold(90, sym('w'), (a) => mul(sym('y'), a)))],
  ])('%s: the graph the builders give', (_, text, built) => {
    expect(text.length).toBeGreaterThan(PARSE_DEPTH);
    expect(parseExpression(text)).toBe(built);
  });

  // Columns counted by hand: 60 × "(x+" is 180 characters.
  test.each([
    [nest('(x+', 'w +', 60), 'cannot parse expression: Value expected at column 184'],
    [nest('(x+', 'gamma(w)', 60), 'unknown function "gamma" at column 181'],
    [nest('(x+', 'w ! 2', 60), 'unsupported construct: factorial (!) at column 183'],
    [nest('(x+', '_dh0 + w', 60), undefined],
  ])('errors deep inside name the column in the whole text: %#', (text, message) => {
    if (message === undefined) expect(symbolsOf([parseExpression(text)])).toEqual(['x', '_dh0', 'w']);
    else expect(() => parseExpression(text)).toThrow(message);
  });

  test('200 levels parse with the stack of a browser worker (about 140 levels of one mathjs call)', () => {
    const script = `import('./src/expr/parse.ts').then((m) => { for (const n of [140, 200]) m.parseExpression('(x+'.repeat(n) + 'w' + ')'.repeat(n)); console.log('ok'); })`;
    const r = spawnSync(process.execPath, ['--stack-size=500', '--import', 'tsx', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });
});
