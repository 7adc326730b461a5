/**
 * The bridge to mathjs: its expression trees to our graphs and back.
 *
 * mathjs trees are only ever built by `parse` (which evaluates nothing) or by
 * `derivative`; user text is never evaluated with mathjs's full function
 * set. `mathjsEvaluator` evaluates our graphs through a mathjs instance that
 * knows only arithmetic and the functions of our table.
 */
import {
  ConstantNode, FunctionNode, OperatorNode, ParenthesisNode, SymbolNode,
  create, addDependencies, subtractDependencies, multiplyDependencies, divideDependencies,
  powDependencies, unaryMinusDependencies, unaryPlusDependencies, compileDependencies,
  type MathNode, type FactoryFunctionMap, type MathJsFunctionNode,
} from './mathjs-lib.ts';
import { DownhillError } from '../errors.ts';
import { functionRule, functionTable, omittedDefaults } from './functions.ts';
import { add, call, constant, div, mul, neg, pow, sub, topoOrder, type Node } from './node.ts';

/** Names mathjs understands as constants, and their values. */
export const namedConstants: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

const binary: Record<string, (a: Node, b: Node) => Node> = {
  add, subtract: sub, multiply: mul, divide: div, pow,
};

/** A short name for a mathjs construct, for error messages. */
export function describeMathjsNode(m: MathNode): string {
  switch (m.type) {
    case 'AssignmentNode': return 'assignment';
    case 'FunctionAssignmentNode': return 'function definition';
    case 'ArrayNode': return 'matrix';
    case 'ObjectNode': return 'object';
    case 'ConditionalNode': return 'conditional (a ? b : c)';
    case 'IndexNode':
    case 'AccessorNode': return 'indexing or property access';
    case 'RangeNode': return 'range (a:b)';
    case 'BlockNode': return 'several statements';
    case 'RelationalNode': return 'comparison';
    default: return m.type;
  }
}

/**
 * Converts a mathjs tree to a graph. `resolve` maps a symbol name to a node
 * (undefined: an ordinary symbol for parse, an error otherwise). Omitted
 * optional arguments get the table's defaults (leaky_relu(u) → leaky_relu(u, 0.01)).
 *
 * Iterative (an explicit stack), so a long chain such as x + x + ... + x
 * cannot overflow the call stack.
 *
 *   fromMathjs(parse('2 * x'), (name) => sym(name))   // mul(2, x)
 */
export function fromMathjs(root: MathNode, resolve: (name: string) => Node | undefined): Node {
  const leaf = (m: MathNode): Node => {
    if (m instanceof ConstantNode) {
      if (typeof m.value !== 'number') throw new DownhillError(`unsupported constant ${JSON.stringify(m.value)}: only numbers are allowed`);
      return constant(m.value);
    }
    if (m instanceof SymbolNode) {
      const hit = resolve(m.name);
      if (hit !== undefined) return hit;
      const c = namedConstants.get(m.name);
      if (c !== undefined) return constant(c);
      throw new DownhillError(`unexpected symbol "${m.name}" in a derivative from mathjs`);
    }
    throw new DownhillError(`unsupported construct: ${describeMathjsNode(m)}`);
  };
  const combine = (m: MathNode, args: Node[]): Node => {
    if (m instanceof ParenthesisNode) return args[0]!;
    if (m instanceof OperatorNode) {
      if (args.length === 1 && m.fn === 'unaryMinus') return neg(args[0]!);
      if (args.length === 1 && m.fn === 'unaryPlus') return args[0]!;
      const f = binary[m.fn];
      if (f && args.length === 2) return f(args[0]!, args[1]!);
      throw new DownhillError(`unsupported operator "${m.op}" (${m.fn})`);
    }
    const name = (m as MathJsFunctionNode).fn.name;
    if (name === 'pow' && args.length === 2) return pow(args[0]!, args[1]!);
    const rule = functionRule(name);
    if (!rule) throw new DownhillError(`unknown function "${name}"`);
    return call(name, ...args, ...omittedDefaults(rule, args.length));
  };
  const inner = (m: MathNode): readonly MathNode[] | undefined =>
    m instanceof ParenthesisNode ? [m.content] : m instanceof OperatorNode || m instanceof FunctionNode ? m.args : undefined;

  // Post-order walk: a frame collects its children's graphs, then combines them.
  const stack: { m: MathNode; kids: readonly MathNode[]; done: Node[] }[] = [];
  const enter = (m: MathNode): Node | undefined => {
    const kids = inner(m);
    if (kids === undefined) return leaf(m);
    stack.push({ m, kids, done: [] });
    return undefined;
  };
  let result = enter(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.done.length < top.kids.length) {
      const child = enter(top.kids[top.done.length]!);
      if (child !== undefined) top.done.push(child);
      continue;
    }
    stack.pop();
    const node = combine(top.m, top.done);
    if (stack.length === 0) result = node;
    else stack[stack.length - 1]!.done.push(node);
  }
  return result!;
}

/**
 * Converts a graph to a mathjs tree (shared nodes become shared subtrees).
 * `symbolName` renames symbols, e.g. to safe names for evaluation.
 */
export function toMathjs(root: Node, symbolName: (name: string) => string = (s) => s): MathNode {
  const done = new Map<number, MathNode>();
  const get = (n: Node): MathNode => done.get(n.id)!;
  for (const n of topoOrder([root])) {
    let m: MathNode;
    switch (n.kind) {
      case 'const':
        m = n.value < 0 ? new OperatorNode('-', 'unaryMinus', [new ConstantNode(-n.value)]) : new ConstantNode(n.value);
        break;
      case 'sym': m = new SymbolNode(symbolName(n.name)); break;
      case 'add': m = new OperatorNode('+', 'add', [get(n.args[0]), get(n.args[1])]); break;
      case 'sub': m = new OperatorNode('-', 'subtract', [get(n.args[0]), get(n.args[1])]); break;
      case 'mul': m = new OperatorNode('*', 'multiply', [get(n.args[0]), get(n.args[1])]); break;
      case 'div': m = new OperatorNode('/', 'divide', [get(n.args[0]), get(n.args[1])]); break;
      case 'pow': m = new OperatorNode('^', 'pow', [get(n.args[0]), get(n.args[1])]); break;
      case 'neg': m = new OperatorNode('-', 'unaryMinus', [get(n.args[0])]); break;
      case 'call': m = new FunctionNode(new SymbolNode(n.fn), n.args.map(get)); break;
    }
    done.set(n.id, m);
  }
  return get(root);
}

/**
 * A mathjs tree from mathjs's own JSON of it (`JSON.stringify(node)`), for the
 * five kinds of node downhill uses; anything else is refused.
 *
 *   mathjsFromJson({ mathjs: 'SymbolNode', name: 'x' })   // new SymbolNode('x')
 */
export function mathjsFromJson(json: unknown): MathNode {
  const j = json as { mathjs?: unknown; value?: unknown; name?: unknown; op?: unknown; fn?: unknown; args?: unknown; implicit?: unknown; isPercentage?: unknown; content?: unknown };
  const args = (): MathNode[] => {
    if (!Array.isArray(j.args)) throw new DownhillError('mathjs JSON: arguments missing');
    return j.args.map(mathjsFromJson);
  };
  switch (j.mathjs) {
    case 'ConstantNode':
      if (typeof j.value !== 'number') throw new DownhillError('mathjs JSON: a constant that is not a number');
      return new ConstantNode(j.value);
    case 'SymbolNode': return new SymbolNode(String(j.name));
    case 'ParenthesisNode': return new ParenthesisNode(mathjsFromJson(j.content));
    case 'OperatorNode': {
      // mathjs's constructor takes isPercentage too (its OperatorNode.fromJSON passes it); its types omit it.
      const Operator = OperatorNode as unknown as new (op: string, fn: string, args: MathNode[], implicit: boolean, isPercentage: boolean) => MathNode;
      return new Operator(String(j.op), String(j.fn), args(), j.implicit === true, j.isPercentage === true);
    }
    case 'FunctionNode': return new FunctionNode(mathjsFromJson(j.fn) as InstanceType<typeof SymbolNode>, args());
    default: throw new DownhillError(`mathjs JSON: unsupported node ${JSON.stringify(j.mathjs)}`);
  }
}

let restricted: ReturnType<typeof create> | undefined;

/**
 * A mathjs instance that knows arithmetic and the function table, nothing
 * else: no `import`, no `evaluate` of text, no units, no matrices.
 */
function restrictedMath(): ReturnType<typeof create> {
  if (restricted) return restricted;
  const dependencies = {
    addDependencies, subtractDependencies, multiplyDependencies, divideDependencies,
    powDependencies, unaryMinusDependencies, unaryPlusDependencies, compileDependencies,
  } as Record<string, FactoryFunctionMap>;
  const math = create(dependencies, { number: 'number' });
  const fns: Record<string, (...xs: number[]) => number> = {};
  for (const [name, rule] of functionTable) fns[name] = rule.numeric;
  math.import(fns, { override: true });
  restricted = math;
  return math;
}

/**
 * Evaluates a graph with mathjs `compile().evaluate()`, the slow path kept
 * for comparison. Symbols are renamed v0, v1, ... so no user text reaches
 * mathjs's scope.
 *
 *   mathjsEvaluator(expr, ['x', 'y'])([1, 2])
 */
export function mathjsEvaluator(root: Node, symbols: readonly string[]): (values: ArrayLike<number>) => number {
  const index = new Map(symbols.map((s, i) => [s, i]));
  const tree = toMathjs(root, (s) => {
    const i = index.get(s);
    if (i === undefined) throw new DownhillError(`no value for symbol "${s}"`);
    return `v${i}`;
  });
  const code = restrictedMath().compile(tree.toString());
  return (values) => {
    const scope = new Map<string, number>();
    for (let i = 0; i < symbols.length; i++) scope.set(`v${i}`, values[i]!);
    return code.evaluate(scope) as number;
  };
}
