/**
 * mathjs as the engine's worker loads it (site/build.ts puts it in place of
 * src/expr/mathjs-bundle.ts in engine.js): mathjs's parser now, the rest of
 * mathjs on first use.
 *
 * The worker's first answer needs only `parse` and the node classes (the
 * common templates' derivatives were computed at build time:
 * src/diff/known-derivatives.ts). The whole of mathjs (mathjs-core.cjs,
 * 650 kB) took most of the worker's start in Chromium: compiling and
 * running it, ~1 s of a 1.9 s first answer. So engine.js holds
 *
 * - an instance made of the parser's factories only (PARSE_FACTORIES, the
 *   closure of `parse`'s dependencies without units and optional ones, and
 *   with stand-ins for those only evaluation uses: EVALUATION_ONLY), whose
 *   `parse` and node classes downhill uses; and
 * - mathjs-core.cjs's source as a string (sent to the worker beside the
 *   engine's source, not in it: site/build.ts's EngineTexts), run on first use of anything else: `derivative` of a template not
 *   known at build time, `create` (src/expr/mathjs.ts's restricted instance).
 *
 * `derivative` goes through mathjs's JSON of the tree (as known-derivatives.ts
 * does): the whole instance reads the parser's tree from its JSON, and its
 * answer comes back as nodes of the parser's classes, so `instanceof
 * ConstantNode` holds everywhere. test/site-mathjs.test.ts checks that both
 * give mathjs's own trees.
 */
import {
  create, factory,
  createAccessorNode, createArrayNode, createAssignmentNode, createBlockNode,
  createConditionalNode, createConstantNode, createFunctionAssignmentNode, createFunctionNode, createIndexNode, createIsBounded,
  createNode, createNumber, createNumeric, createObjectNode, createOperatorNode, createParenthesisNode,
  createParse, createRangeNode, createRelationalNode, createResultSet, createSymbolNode, createTyped, version,
  type FactoryFunctionMap, type MathJsInstance, type MathNode,
} from 'mathjs';

// mathjs exports each function's factory (createParse, …); its types do not declare them.
declare module 'mathjs' {
  const createAccessorNode: FactoryFunctionMap[string];
  const createArrayNode: FactoryFunctionMap[string];
  const createAssignmentNode: FactoryFunctionMap[string];
  const createBlockNode: FactoryFunctionMap[string];
  const createConditionalNode: FactoryFunctionMap[string];
  const createConstantNode: FactoryFunctionMap[string];
  const createFunctionAssignmentNode: FactoryFunctionMap[string];
  const createFunctionNode: FactoryFunctionMap[string];
  const createIndexNode: FactoryFunctionMap[string];
  const createIsBounded: FactoryFunctionMap[string];
  const createNode: FactoryFunctionMap[string];
  const createNumber: FactoryFunctionMap[string];
  const createNumeric: FactoryFunctionMap[string];
  const createObjectNode: FactoryFunctionMap[string];
  const createOperatorNode: FactoryFunctionMap[string];
  const createParenthesisNode: FactoryFunctionMap[string];
  const createParse: FactoryFunctionMap[string];
  const createRangeNode: FactoryFunctionMap[string];
  const createRelationalNode: FactoryFunctionMap[string];
  const createResultSet: FactoryFunctionMap[string];
  const createSymbolNode: FactoryFunctionMap[string];
  const createTyped: FactoryFunctionMap[string];
}

/**
 * `parse`'s dependencies that mathjs uses only to evaluate a node (AccessorNode's, AssignmentNode's and IndexNode's
 * `_compile`), which downhill never asks of the parser's nodes: it evaluates with the whole instance
 * (src/expr/mathjs.ts compiles an expression's text). Each is made as a function that fails, naming itself. mathjs's
 * own `subset` and `size`, with what they need (matrices, zeros, add, equal, concat: typed functions of many
 * signatures each), took ~90 % of the parser's set-up: 75-150 ms of the first `parse` in Node, 180-480 ms in the
 * worker at load 15-18, on the way to its first answer; ~5 ms without them.
 */
export const EVALUATION_ONLY = ['subset', 'size'] as const;

const evaluationOnly = (name: string): FactoryFunctionMap[string] => factory(name, [], () => () => {
  throw new Error(`mathjs ${name}: the parser's instance evaluates nothing (site/mathjs-browser.ts)`);
}) as FactoryFunctionMap[string];

/**
 * The factories `parse` depends on (required ones, transitively; units left out, as in mathjs-core.cjs; EVALUATION_ONLY's
 * as stand-ins, and so without what they depend on).
 */
export const PARSE_FACTORIES = {
  createAccessorNode, createArrayNode, createAssignmentNode, createBlockNode,
  createConditionalNode, createConstantNode, createFunctionAssignmentNode, createFunctionNode, createIndexNode, createIsBounded,
  createNode, createNumber, createNumeric, createObjectNode, createOperatorNode, createParenthesisNode,
  createParse, createRangeNode, createRelationalNode, createResultSet, createSymbolNode, createTyped,
  ...Object.fromEntries(EVALUATION_ONLY.map((name) => [`create${name[0]!.toUpperCase()}${name.slice(1)}`, evaluationOnly(name)])),
} as unknown as FactoryFunctionMap;

/** What mathjs-core.cjs exports (tools/mathjs-core.entry.ts). */
interface Core { readonly math: MathJsInstance; readonly create: typeof create; readonly [dependencies: string]: unknown }

/** The key of a number JSON cannot hold, in a tree's JSON between the two instances. */
const NUMBER = 'downhill-number';

/** What the parser's instance answers itself; anything else is the whole instance's. */
const PARSER_NAMES = new Set(['parse', 'ConstantNode', 'FunctionNode', 'OperatorNode', 'ParenthesisNode', 'SymbolNode', 'Node']);

/**
 * The module src/expr/mathjs-lib.ts reads (mathjs-bundle.ts's `mathjsBundle`): `math`, `create` and the
 * `…Dependencies` it names. `coreSource` gives mathjs-core.cjs's text, asked for on first use of the whole instance.
 */
export function siteMathjs(coreSource: () => string): Record<string, unknown> {
  const parser = create(PARSE_FACTORIES);
  let core: Core | undefined;
  const whole = (): Core => {
    if (core === undefined) {
      const module = { exports: {} as Core };
      // A CommonJS bundle that requires nothing (test/mathjs-core.test.ts), run as a function of its module.
      new Function('module', 'exports', coreSource())(module, module.exports);
      core = module.exports;
    }
    return core;
  };
  /** mathjs's JSON of a tree, read back as nodes of `instance`'s classes (the whole instance has no reviver: it has no `classes`, which include units). */
  const nodesOf = (instance: object, json: string): MathNode => JSON.parse(json, (_key, value: unknown) => {
    const number = (value as { [NUMBER]?: unknown } | null)?.[NUMBER];
    if (typeof number === 'string') return Number(number);
    const kind = (value as { mathjs?: unknown } | null)?.mathjs;
    if (typeof kind !== 'string') return value;
    const type = (instance as Record<string, { fromJSON?: (json: unknown) => MathNode } | undefined>)[kind];
    if (type?.fromJSON === undefined) throw new Error(`mathjs JSON: no node class ${kind}`);
    return type.fromJSON(value);
  }) as MathNode;
  /** A tree's JSON, keeping what JSON has no number for (Infinity, NaN, -0). */
  const json = (tree: unknown): string => JSON.stringify(tree, (_key, value: unknown) =>
    (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)) ? { [NUMBER]: Object.is(value, -0) ? '-0' : String(value) } : value));
  const derivative = (expr: MathNode | string, variable: MathNode | string, options?: { simplify: boolean }): MathNode => {
    const m = whole().math;
    const tree = typeof expr === 'string' ? m.parse(expr) : nodesOf(m, json(expr));
    const wrt = typeof variable === 'string' ? variable : nodesOf(m, json(variable));
    return nodesOf(parser, json(options === undefined ? m.derivative(tree, wrt) : m.derivative(tree, wrt, options)));
  };
  const math = new Proxy({} as Record<string | symbol, unknown>, {
    get: (_t, key) => {
      if (key === 'derivative') return derivative;
      if (key === 'version') return version;
      if (typeof key === 'string' && PARSER_NAMES.has(key)) return (parser as unknown as Record<string, unknown>)[key];
      return (whole().math as unknown as Record<string | symbol, unknown>)[key];
    },
  });
  // src/expr/mathjs.ts's restricted instance: created by the whole mathjs, from its own factories of the names given.
  const wholeCreate = (dependencies: Record<string, unknown>, config?: object): unknown =>
    whole().create(Object.fromEntries(Object.keys(dependencies).map((name) => [name, whole()[name]])) as FactoryFunctionMap, config);
  const names = ['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus', 'compile'].map((n) => `${n}Dependencies`);
  return { math, create: wholeCreate, ...Object.fromEntries(names.map((n) => [n, { lazy: n }])) };
}
