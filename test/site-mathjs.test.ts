/**
 * site/mathjs-browser.ts, mathjs as the engine's worker loads it: a parser
 * made of `parse`'s factories only, and the whole of mathjs-core.cjs run on
 * first use. Both must give the trees mathjs from npm gives, and the parser
 * must not load the whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as npmMathjs from 'mathjs';
import type { MathJsInstance, MathNode } from 'mathjs';
import { EVALUATION_ONLY, PARSE_FACTORIES, siteMathjs } from '../site/mathjs-browser.ts';
import { functionTable } from '../src/expr/functions.ts';

const root = join(import.meta.dirname, '..');
const coreSource = readFileSync(join(root, 'src/expr/mathjs-core.cjs'), 'utf8');

/** A fresh site mathjs, counting how often it read mathjs-core.cjs's source. */
function fresh(): { math: MathJsInstance; loads: () => number; module: Record<string, unknown> } {
  let loads = 0;
  const module = siteMathjs(() => {
    loads++;
    return coreSource;
  });
  return { math: module['math'] as MathJsInstance, loads: () => loads, module };
}

const tree = (f: () => unknown): string => {
  try {
    return JSON.stringify(f());
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

// As test/mathjs-core.test.ts: operator templates, constant exponents, every function of the table, folded constants, unit names.
const expressions = [
  'u0 + u1', 'u0 - u1', 'u0 * u1', 'u0 / u1', '-u0', 'u0 ^ u1', '2 ^ u0', 'u0 ^ (1/3)', 'sqrt(u0) * log(2)',
  'exp(0) * u0', 'u0 / 3', 'cos(2) * u0 ^ 2', 'u0 ^ 2.5', 'u0 ^ (-2)', '(u0 + 1) ^ 3', 'cm * u0 + s', '2 x y + 3 x',
  '0x1F * u0', '1e400 * u0', '.5u0', 'u0!', 'a ? b : c', '[1, 2]', 'x = 3', 'f(x) = x^2', 'a.b', 'a[1]', '1:3', 'u0 == u1', '"text"',
  ...[...functionTable.keys()].flatMap((f) => [`${f}(u0)`, `${f}(u0, u1)`, `${f}(u0, u1, u2)`]),
];

describe('site/mathjs-browser.ts', () => {
  const site = fresh();

  test.each(expressions.map((e) => [e]))('%s: parse and derivative give the trees mathjs from npm gives', (text) => {
    expect(tree(() => site.math.parse(text))).toBe(tree(() => npmMathjs.parse(text)));
    for (const v of ['u0', 'u1']) {
      expect(tree(() => site.math.derivative(site.math.parse(text), v))).toBe(tree(() => npmMathjs.derivative(npmMathjs.parse(text), v)));
      expect(tree(() => site.math.derivative(site.math.parse(text), v, { simplify: false }))).toBe(tree(() => npmMathjs.derivative(npmMathjs.parse(text), v, { simplify: false })));
    }
  });

  test('every loss of every lesson parses to mathjs\'s tree', () => {
    const texts = new Set<string>();
    for (const file of readdirSync(join(root, 'lessons')).filter((f) => /^\d\d-.*\.ts$/.test(f))) {
      const source = readFileSync(join(root, 'lessons', file), 'utf8');
      for (const m of source.matchAll(/(?:parseExpression|parse|loss:)\s*\(?\s*'([^']+)'/g)) texts.add(m[1]!);
    }
    expect(texts.size).toBeGreaterThan(3);
    for (const text of texts) expect(tree(() => site.math.parse(text)), text).toBe(tree(() => npmMathjs.parse(text)));
  });

  test('a derivative comes back as nodes of the parser\'s classes (instanceof holds), and equals mathjs\'s', () => {
    const d = site.math.derivative(site.math.parse('u0 ^ 3.7'), 'u0') as MathNode;
    const { ConstantNode, OperatorNode, SymbolNode } = site.math;
    let nodes = 0;
    d.traverse((n) => {
      nodes++;
      expect(n instanceof ConstantNode || n instanceof OperatorNode || n instanceof SymbolNode, n.type).toBe(true);
    });
    expect(nodes).toBeGreaterThan(2);
    expect(d.toString()).toBe(npmMathjs.derivative('u0 ^ 3.7', 'u0').toString());
  });

  test('numbers JSON has no word for (Infinity, -0) cross between the two instances unchanged', () => {
    const d = site.math.derivative(new site.math.OperatorNode('*', 'multiply', [new site.math.ConstantNode(-0), site.math.parse('u0 ^ 2')]), 'u0', { simplify: false });
    const zero = (d as unknown as { args: { value?: number }[] }).args.map((a) => a.value).find((v) => v !== undefined);
    expect(Object.is(zero, -0)).toBe(true);
    const inf = site.math.derivative('1e400 * u0', 'u0', { simplify: false }) as unknown as { args: { value?: number }[] };
    expect(inf.args.some((a) => a.value === Infinity)).toBe(true);
  });

  test('parsing and the node classes do not load the whole of mathjs; a derivative loads it once', () => {
    const s = fresh();
    s.math.parse('(y - (w*x + b))^2');
    expect(new s.math.ConstantNode(2).toString()).toBe('2');
    expect(s.math.version).toBe(npmMathjs.version);
    expect(s.loads()).toBe(0);
    s.math.derivative(s.math.parse('u0 ^ 3'), 'u0');
    s.math.derivative(s.math.parse('u0 ^ 4'), 'u0');
    expect(s.loads()).toBe(1);
  });

  test('create, from the named dependencies, makes an instance of the whole mathjs (src/expr/mathjs.ts\'s restricted one)', () => {
    const s = fresh();
    const create = s.module['create'] as (deps: Record<string, unknown>, config?: object) => MathJsInstance;
    const math = create({ addDependencies: s.module['addDependencies'], multiplyDependencies: s.module['multiplyDependencies'], compileDependencies: s.module['compileDependencies'] }, { number: 'number' });
    expect(math.compile('2 * 3 + 1').evaluate()).toBe(7);
    expect((math as unknown as Record<string, unknown>)['sqrt']).toBeUndefined();
  });

  test('PARSE_FACTORIES are exactly what parse requires, transitively, without units, EVALUATION_ONLY\'s as stand-ins (a mathjs upgrade that changes them fails here)', () => {
    const all = npmMathjs.all as unknown as Record<string, { dependencies?: readonly string[] }>;
    // By the name each factory makes (a transform, for expressions mathjs evaluates, shares its function's name).
    const factoryOf = new Map(Object.entries(all)
      .filter(([, f]) => (f as { meta?: { isTransformFunction?: boolean } }).meta?.isTransformFunction !== true)
      .map(([key, f]) => [(f as { fn?: string }).fn ?? key, key]));
    const need = new Set<string>();
    const queue = ['parse'];
    // Not factories: the instance's own (its configuration, the namespace, the classes).
    const given = new Set(['config', 'math', 'mathWithTransform', 'classes']);
    const standIns = new Set<string>(EVALUATION_ONLY);
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (need.has(name) || given.has(name)) continue;
      const key = factoryOf.get(name);
      expect(key, name).toBeDefined();
      need.add(key!);
      // A stand-in depends on nothing (its real factory's dependencies are left out).
      if (standIns.has(name)) continue;
      for (const d of all[key!]!.dependencies ?? []) if (!d.startsWith('?')) queue.push(d);
    }
    expect([...need].sort()).toEqual(Object.keys(PARSE_FACTORIES).sort());
    expect([...need].some((k) => /Unit/.test(k))).toBe(false);
    for (const name of EVALUATION_ONLY) expect((PARSE_FACTORIES[factoryOf.get(name)!] as unknown as { dependencies: string[] }).dependencies).toEqual([]);
  });

  test('the stand-ins change no tree, text or TeX: the parser equals one made with mathjs\'s own subset and size', () => {
    // The same closure with mathjs's real factories of EVALUATION_ONLY's names, and all they need.
    const all = npmMathjs.all as unknown as Record<string, { dependencies?: readonly string[]; fn?: string; meta?: { isTransformFunction?: boolean } }>;
    const keyOf = new Map(Object.entries(all).filter(([, f]) => f.meta?.isTransformFunction !== true).map(([key, f]) => [f.fn ?? key, key]));
    const real: Record<string, unknown> = { ...PARSE_FACTORIES };
    const queue: string[] = [...EVALUATION_ONLY];
    const done = new Set(['config', 'math', 'mathWithTransform', 'classes']);
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (done.has(name)) continue;
      done.add(name);
      const key = keyOf.get(name);
      expect(key, name).toBeDefined();
      real[key!] = all[key!];
      for (const d of all[key!]!.dependencies ?? []) if (!d.startsWith('?')) queue.push(d);
    }
    const reference = npmMathjs.create(real as npmMathjs.FactoryFunctionMap) as MathJsInstance;
    const site = fresh();
    expect(String((reference as unknown as { size: (x: unknown) => unknown }).size([[1, 2, 3]]))).toBe('1,3'); // mathjs's own size (an array's: [1, 3])
    for (const text of expressions) {
      const faces = (m: MathJsInstance): string => tree(() => {
        const node = m.parse(text);
        return [node, node.toString(), node.toTex(), node.toString({ parenthesis: 'all' })];
      });
      expect(faces(site.math), text).toBe(faces(reference));
    }
  });

});
