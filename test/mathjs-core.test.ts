/**
 * src/expr/mathjs-core.cjs (npm run build: tools/build-mathjs.ts) is mathjs
 * without units: it must parse, differentiate and simplify exactly as mathjs
 * from npm does, and ship the licences of what it bundles.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as npmMathjs from 'mathjs';
import { math } from '../src/expr/mathjs-lib.ts';
import { functionTable } from '../src/expr/functions.ts';

const root = join(import.meta.dirname, '..');

// Operator templates, constant exponents, every function of the table (one to three arguments),
// constants mathjs folds (log(2), 1/3, exp(0)), and unit names, which stay symbols.
const expressions = [
  'u0 + u1', 'u0 - u1', 'u0 * u1', 'u0 / u1', '-u0', 'u0 ^ u1', '2 ^ u0', 'u0 ^ (1/3)', 'sqrt(u0) * log(2)',
  'exp(0) * u0', 'u0 / 3', 'cos(2) * u0 ^ 2', 'u0 ^ 2.5', 'u0 ^ (-2)', '(u0 + 1) ^ 3', 'cm * u0 + s', '2 x y + 3 x',
  ...[...functionTable.keys()].flatMap((f) => [`${f}(u0)`, `${f}(u0, u1)`, `${f}(u0, u1, u2)`]),
];

const tree = (f: () => unknown): string => {
  try {
    return JSON.stringify(f());
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

describe('mathjs-core.cjs', () => {
  test.each(expressions.map((e) => [e]))('%s: parse, derivative and simplify give the trees mathjs from npm gives', (text) => {
    expect(tree(() => math.parse(text))).toBe(tree(() => npmMathjs.parse(text)));
    for (const v of ['u0', 'u1']) {
      expect(tree(() => math.derivative(math.parse(text), v))).toBe(tree(() => npmMathjs.derivative(npmMathjs.parse(text), v)));
      expect(tree(() => math.derivative(math.parse(text), v, { simplify: false }))).toBe(tree(() => npmMathjs.derivative(npmMathjs.parse(text), v, { simplify: false })));
    }
    expect(tree(() => math.simplify(math.parse(text)))).toBe(tree(() => npmMathjs.simplify(npmMathjs.parse(text))));
  });

  test('it has no units (mathjs from npm has them)', () => {
    expect(typeof npmMathjs.unit).toBe('function');
    expect((math as unknown as Record<string, unknown>)['unit']).toBeUndefined();
    expect((math as unknown as Record<string, unknown>)['Unit']).toBeUndefined();
    expect(math.version).toBe(npmMathjs.version);
  });

  test('loading it loads none of node\'s modules (seedrandom\'s require of crypto, for an unseeded start, is left out)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'downhill-core-'));
    try {
      const script = join(dir, 'load.cjs');
      writeFileSync(script, [
        'const before = new Set(process.moduleLoadList);',
        `const { math } = require(${JSON.stringify(join(root, 'src/expr/mathjs-core.cjs'))});`,
        'math.parse("x^2");',
        'console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));',
      ].join('\n'));
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout) as string[]).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('mathjs-core.LICENSES.txt holds the licence of mathjs and of each package mathjs depends on', () => {
    const text = readFileSync(join(root, 'src/expr/mathjs-core.LICENSES.txt'), 'utf8');
    const require = createRequire(import.meta.url);
    const mathjsDir = dirname(require.resolve('mathjs/package.json'));
    const { dependencies } = JSON.parse(readFileSync(join(mathjsDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(text).toContain(`mathjs ${npmMathjs.version}\n`);
    expect(text).toContain('Apache License');
    expect(text).toContain(readFileSync(join(mathjsDir, 'NOTICE'), 'utf8').trim());
    for (const name of Object.keys(dependencies)) expect(text, name).toMatch(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\d`, 'm'));
    expect(text.match(/Permission is hereby granted/g)?.length).toBeGreaterThanOrEqual(5);
  });
});
