/**
 * Code generation is safe by construction: user text never reaches
 * generated source, symbols named like JavaScript internals are ordinary
 * symbols that touch no prototype, mathjs's known expression-parser escapes
 * are refused, and mathjs is at least 15.2.0.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { add, call, constant, mul, pow, sub, substitute, sym, type Node } from '../src/expr/node.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { gradient } from '../src/diff/gradient.ts';
import { derivative } from '../src/diff/derivative.ts';
import { assertSafeSource, compileGradient } from '../src/compile/compile.ts';
import { packBatch } from '../src/nn/datasets.ts';
import { functionTable } from '../src/expr/functions.ts';
import { parsePoint } from '../src/cli/args.ts';
import { referenceIds, referenceModel } from '../src/nn/reference.ts';
import { networkLoss } from '../src/nn/network-loss.ts';
import { command } from '../src/cli.ts';
import { arbitraryGraph, arbitraryPoint, VARIABLES } from './support/random-graph.ts';

const root = new URL('..', import.meta.url).pathname;

/** Own property names of the prototypes an attack would reach for. */
function prototypeSnapshot(): string {
  const targets: object[] = [Object.prototype, Function.prototype, Array.prototype, Number.prototype, String.prototype, Map.prototype];
  return JSON.stringify(targets.map((t) => Reflect.ownKeys(t).map(String).sort()));
}

describe('mathjs', () => {
  test('the installed mathjs, which npm run build bundles into src/expr/mathjs-core.cjs, is at least 15.2.0 (its expression-parser advisories are fixed there)', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('mathjs/package.json'), 'utf8')) as { version: string };
    const [major, minor] = pkg.version.split('.').map(Number) as [number, number];
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(15 * 1000 + 2);
    // A development dependency: the package ships the bundle, not mathjs.
    const declared = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['mathjs']!;
    const [dMajor, dMinor] = declared.replace(/^[\^~>=]*/, '').split('.').map(Number) as [number, number];
    expect(dMajor * 1000 + dMinor).toBeGreaterThanOrEqual(15 * 1000 + 2);
  });

  test('the mathjs actually loaded (src/expr/mathjs-core.cjs, behind src/expr/mathjs-lib.ts) is at least 15.2.0', async () => {
    const { version } = await import('../src/expr/mathjs-lib.ts');
    const [major, minor] = String(version).split('.').map(Number) as [number, number];
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(15 * 1000 + 2);
  });

  test('no source file evaluates text with mathjs: only parse, derivative, node classes and a restricted instance are imported', () => {
    const allowed = new Set([
      'parse', 'derivative', 'MathNode', 'ConstantNode', 'FunctionNode', 'OperatorNode', 'SymbolNode', 'ParenthesisNode',
      'create', 'FactoryFunctionMap', 'EvalFunction', 'MathJsFunctionNode', 'version',
    ]);
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(root, 'src'));
    const imported: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      // mathjs itself, or the module that loads it (src/expr/mathjs-lib.ts).
      for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(mathjs|[./]+(?:expr\/)?mathjs-lib\.ts)'/g)) {
        for (const raw of m[1]!.split(',')) {
          const name = raw.trim().replace(/^type\s+/, '').replace(/\s+as\s+\w+$/, '');
          if (name !== '') imported.push(name);
        }
      }
      if (!f.endsWith('mathjs-lib.ts')) expect(text, f).not.toMatch(/require\(\s*'mathjs|import\s*\*\s*as\s*\w+\s*from\s*'mathjs'/);
      // src/expr/mathjs.ts builds the one restricted instance (arithmetic and our table) and compiles our own graphs with it.
      if (!f.endsWith('expr/mathjs.ts')) expect(text, f).not.toMatch(/\bmath(js)?\.(evaluate|compile|import|createUnit|simplify)\(/);
      else expect(text).toMatch(/restrictedMath\(\)\.compile\(/);
    }
    expect(imported.length).toBeGreaterThan(5); // the scan sees the real imports
    const unexpected = imported.filter((n) => !allowed.has(n) && !/Dependencies$/.test(n));
    expect(unexpected).toEqual([]);
  });
});

describe('mathjs expression-parser escapes are refused with a one-line error', () => {
  // Payloads from mathjs's advisories and issues (#821, #822, GHSA-5v89-rwgr-qj6g,
  // GHSA-29qv-4j9f-fjw5 and earlier): constructor walks, property access on
  // functions, import/createUnit/evaluate/parse/simplify as functions,
  // definitions and assignments.
  const payloads = [
    'cos.constructor("return process")()',
    'cos.constructor("globalThis.pwned = 1")(1)',
    'sin.constructor',
    '[].map.constructor("return this")()',
    '[1].map(cos.constructor)',
    '["//","a/*\\nreturn process.mainModule.require"]._data.map(cos.constructor)[1]()',
    'import({matrix: cos.constructor}, {override: 1})',
    'a = ["process.exit()"]._data; a.isRange = true; x = {subset: cos.constructor}[a]; x()',
    '{}.constructor.assign(cos.constructor, {binding: cos.bind})',
    'evaluate("1 + 1")',
    'parse("x")',
    'compile("x").evaluate()',
    'simplify("x")',
    'createUnit("pwned")',
    'reviver("a", 1)',
    'chain(3).done()',
    'f(x) = x^2',
    'f = cos.constructor',
    'x = 3',
    'x.__proto__.polluted = 1',
    'x["constructor"]',
    '(1).constructor.constructor("return process")()',
    'e.constructor',
    'constructor(x)',
    '__proto__(x)',
    'toString()',
    'hasOwnProperty(x)',
    'Function("return process")()',
    'eval("1")',
    'require("child_process")',
    'process.exit(3)',
    '"a".constructor',
    'x ? cos.constructor : 0',
  ];

  let snapshot = '';
  beforeEach(() => {
    snapshot = prototypeSnapshot();
  });
  afterEach(() => {
    expect(prototypeSnapshot()).toBe(snapshot);
    expect('pwned' in globalThis).toBe(false);
  });

  test.each(payloads)('parseExpression(%j) is refused', (text) => {
    expect(() => parseExpression(text)).toThrow(DownhillError);
    try {
      parseExpression(text);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });

  test.each(payloads)('derivative(%j, "x") is refused', (text) => {
    expect(() => derivative(text, 'x')).toThrow(DownhillError);
  });

  test.each(payloads.slice(0, 6))('a flag value %j is refused (--at x=...)', (text) => {
    expect(() => parsePoint(`x=${text}`, '--at')).toThrow(DownhillError);
  });
});

describe('symbols named like JavaScript internals are ordinary symbols', () => {
  const names = [
    'constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'process', 'require',
    'eval', 'Function', 'globalThis', 'this', 'import', '__defineGetter__', 'Math', 'F', 'p', 'g', 'o', 'n', 'N', 'L', 'k', 't',
    'v0', 'f_exp', 'chunk0', 'e1',
  ];
  let snapshot = '';
  beforeEach(() => {
    snapshot = prototypeSnapshot();
  });
  afterEach(() => {
    expect(prototypeSnapshot()).toBe(snapshot);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('a polynomial over all of them: value, gradient and compiled gradient match the closed form', () => {
    // f = Σ_i (i+1)·s_i² + s_0·s_1, so ∂f/∂s_i = 2(i+1)s_i (+ s_1 or s_0).
    const text = names.map((s, i) => `${i + 1} * ${s}^2`).join(' + ') + ` + ${names[0]} * ${names[1]}`;
    const f = parseExpression(text);
    const values = names.map((_, i) => 0.1 * (i + 1) - 1);
    const point = new Map(names.map((s, i) => [s, values[i]!]));
    const expected = values.reduce((acc, v, i) => acc + (i + 1) * v * v, 0) + values[0]! * values[1]!;
    expect(evaluate(f, point)).toBeCloseTo(expected, 12);
    // An object built from JSON has __proto__ as an own key, as a user's values would.
    const object = JSON.parse(JSON.stringify(Object.fromEntries(point))) as Record<string, number>;
    expect(evaluate(f, object)).toBeCloseTo(expected, 12);

    const exact = values.map((v, i) => 2 * (i + 1) * v + (i === 0 ? values[1]! : i === 1 ? values[0]! : 0));
    const { partials } = gradient(f, names);
    partials.forEach((d, i) => expect(evaluate(d, point)).toBeCloseTo(exact[i]!, 12));

    const compiled = compileGradient(f, { params: names });
    const g = new Float64Array(names.length);
    expect(compiled.lossAndGradient(Float64Array.from(values), g)).toBeCloseTo(expected, 12);
    g.forEach((x, i) => expect(x).toBeCloseTo(exact[i]!, 12));
    expect(unsafeTokens(compiled.source.gradient)).toEqual([]);
  });

  test('as data symbols too: each row is read by index, whatever its name', () => {
    const f = parseExpression('(constructor * __proto__ - prototype)^2');
    const compiled = compileGradient(f, { params: ['constructor'], data: ['__proto__', 'prototype'] });
    const g = new Float64Array(1);
    const w = 1.5;
    const rows = [[2, 1], [-1, 0.5]];
    const L = compiled.lossAndGradient(new Float64Array([w]), g, packBatch(rows));
    const meanLoss = rows.reduce((a, [x, y]) => a + (w * x! - y!) ** 2, 0) / rows.length;
    const meanGrad = rows.reduce((a, [x, y]) => a + 2 * (w * x! - y!) * x!, 0) / rows.length;
    expect(L).toBeCloseTo(meanLoss, 14);
    expect(g[0]).toBeCloseTo(meanGrad, 14);
  });

  test('--at __proto__=2,constructor=3 on the command line gives the right values and pollutes nothing', async () => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
    try {
      const code = await command(['grad', '__proto__^2 * constructor', '--at', '__proto__=2,constructor=3', '--json']);
      expect(code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const json = JSON.parse(out) as { value: number; gradient: Record<string, number> };
    expect(json.value).toBe(12);
    expect(Object.getOwnPropertyDescriptor(json.gradient, '__proto__')?.value).toBe(12); // 2·2·3
    expect(json.gradient['constructor']).toBe(4);
  });

  test('functions named like JavaScript internals are unknown functions, from text or from the builders', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(() => parseExpression(`${name}(x)`)).toThrow(`unknown function "${name}"`);
      const node = call(name, sym('x'));
      expect(() => evaluate(node, { x: 1 })).toThrow(DownhillError);
      expect(() => gradient(node, ['x'])).toThrow(DownhillError);
      expect(() => compileGradient(node, { params: ['x'] })).toThrow(DownhillError);
    }
  });
});

/** Identifiers that must never appear in generated code, whatever else changes. */
const forbidden = new Set([
  'constructor', '__proto__', 'prototype', 'process', 'require', 'eval', 'Function', 'globalThis', 'global', 'window',
  'this', 'import', 'module', 'exports', 'Object', 'Reflect', 'Proxy', 'setTimeout', 'setInterval', 'toString', 'valueOf',
  'hasOwnProperty', '__defineGetter__', 'call', 'apply', 'bind', 'arguments', 'with', 'await', 'async', 'yield',
]);

/**
 * An independent scan of generated source (not assertSafeSource's list):
 * every token is whitespace, punctuation, a decimal number, or an
 * identifier of a generated shape (one letter and digits, chunkN, f_<table
 * function>, a table function after "F.", or a keyword the generator uses).
 */
function unsafeTokens(source: string): string[] {
  const fnNames = new Set([...functionTable.keys()]);
  const words = new Set(['const', 'let', 'for', 'function', 'return', 'new', 'if', 'else', 'Float64Array', 'Math', 'sqrt',
    'fill', 'length', 'loss', 'lossAndGradient']);
  const bad: string[] = [];
  const token = /\s+|(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|([A-Za-z_$][\w$]*)|(\*\*|[-+*/=<>;,(){}[\].?:!&|])|([^])/gy;
  for (const m of source.matchAll(token)) {
    const [, , word, , other] = m;
    if (other !== undefined) bad.push(other);
    else if (word !== undefined) {
      const ok = !forbidden.has(word) && (words.has(word) || /^[A-Za-z]\d*$|^chunk\d+$/.test(word)
        || (word.startsWith('f_') && fnNames.has(word.slice(2))) || fnNames.has(word));
      if (!ok) bad.push(word);
    }
  }
  return bad;
}

/** The source with generated node names numbered by first appearance, so two graphs of the same shape compare equal. */
function normalized(source: string): string {
  const names = new Map<string, string>();
  return source.replace(/\bv\d+\b/g, (v) => {
    if (!names.has(v)) names.set(v, `v${names.size}`);
    return names.get(v)!;
  });
}

describe('generated source holds only fixed tokens', () => {
  const hostile = ['constructor', '__proto__', 'process', 'require', 'this', 'eval', 'Function', 'toString', 'prototype', 'globalThis', 'import', 'x', 'g', 'F'];

  test('every function of the table, applied to hostile symbols, compiles to safe source', () => {
    for (const [name, rule] of functionTable) {
      const args: Node[] = [];
      const arity = Math.min(rule.defaults ? rule.arity[1] : Math.max(rule.arity[0], 1), 3);
      for (let i = 0; i < arity; i++) args.push(add(mul(sym(hostile[i]!), sym(hostile[i + 3]!)), constant(0.25 * (i + 1))));
      const f = pow(call(name, ...args), 2);
      const params = hostile.slice(0, arity);
      const data = hostile.slice(3, 3 + params.length);
      const c = compileGradient(f, { params, data });
      expect(unsafeTokens(c.source.loss), name).toEqual([]);
      expect(unsafeTokens(c.source.gradient), name).toEqual([]);
    }
  });

  test('random graphs over hostile names: safe source, and the compiled gradient equals the interpreted one', () => {
    const rename = new Map(VARIABLES.map((v, i) => [v, sym(hostile[i]!)]));
    fc.assert(fc.property(arbitraryGraph(14), arbitraryPoint, fc.integer({ min: 1, max: 4 }), (graph, point, chunkSize) => {
      const f = mul(graph, sub(sym('w'), 1));
      const renamed = substitute(f, new Map([...rename, ['w', sym('prototype')]]));
      const params = [...VARIABLES, 'w'].map((v) => (v === 'w' ? 'prototype' : hostile[VARIABLES.indexOf(v as 'x')]!));
      const c = compileGradient(renamed, { params, chunkSize });
      if (unsafeTokens(c.source.loss).length > 0 || unsafeTokens(c.source.gradient).length > 0) return false;
      // The source depends on the graph's shape only: the same graph over plain names compiles to the same text.
      const plain = compileGradient(f, { params: [...VARIABLES, 'w'], chunkSize });
      if (normalized(plain.source.gradient) !== normalized(c.source.gradient)) return false;
      const p = Float64Array.from([...point, 0.75]);
      const g = new Float64Array(params.length);
      const L = c.lossAndGradient(p, g);
      const values = new Map(params.map((s, i) => [s, p[i]!]));
      const { partials } = gradient(renamed, params);
      if (Math.abs(L - evaluate(renamed, values)) > 1e-9 * Math.max(1, Math.abs(L))) return false;
      return partials.every((d, i) => {
        const want = evaluate(d, values);
        return Math.abs(g[i]! - want) <= 1e-9 * Math.max(1, Math.abs(want));
      });
    }), { numRuns: 60, seed: 8 });
  });

  test('the six reference models compile to safe source', () => {
    for (const id of referenceIds) {
      const model = referenceModel(id);
      const m = networkLoss(model.layers, model.loss);
      const c = compileGradient(m.loss, { params: m.params, data: m.data, reduce: m.reduce, chunkSize: 200 });
      expect(unsafeTokens(c.source.gradient), id).toEqual([]);
    }
  });

  test.each([
    ['a string', 'const v1 = "x";'],
    ['a template', 'const v1 = `${p}`;'],
    ['a foreign name', 'const v1 = process.exit(1);'],
    ['a constructor walk', 'const v1 = F.constructor;'],
    ['a backslash escape', 'const v1 = \\u0070;'],
  ])('assertSafeSource refuses %s', (_, source) => {
    expect(() => assertSafeSource(source)).toThrow(DownhillError);
    expect(unsafeTokens(source).length).toBeGreaterThan(0);
  });
});
