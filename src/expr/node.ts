/**
 * Expression graphs: immutable, hash-consed nodes.
 *
 * Every expression downhill handles is a DAG of `Node`s. Building the same
 * subexpression twice returns the same object (hash-consing), so a shared
 * subexpression such as σ(w1·x1 + w2·x2) is one node however often it is
 * used, and the gradient graph can share nodes with the forward graph.
 *
 *   const z = add(mul(sym('w1'), sym('x1')), mul(sym('w2'), sym('x2')))
 *   add(mul(sym('w1'), sym('x1')), mul(sym('w2'), sym('x2'))) === z   // true
 *
 * The builders fold only identities that need no judgement (x + 0, x·1,
 * x·0, x^1, -(-x), constant arithmetic); tidying for display is a separate
 * step (`tidy`).
 */

import { arrayOf, checkArg, FUNCTION, NUMBER, TEXT, type Accepts } from '../errors.ts';

export type BinaryKind = 'add' | 'sub' | 'mul' | 'div' | 'pow';

export type Node =
  | { readonly kind: 'const'; readonly id: number; readonly value: number }
  | { readonly kind: 'sym'; readonly id: number; readonly name: string }
  | { readonly kind: BinaryKind; readonly id: number; readonly args: readonly [Node, Node] }
  | { readonly kind: 'neg'; readonly id: number; readonly args: readonly [Node] }
  | { readonly kind: 'call'; readonly id: number; readonly fn: string; readonly args: readonly Node[] };

export type Operand = Node | number;

const KINDS = new Set<string>(['const', 'sym', 'add', 'sub', 'mul', 'div', 'pow', 'neg', 'call']);

/** Whether a value is an expression node (what parseExpression and the builders return). */
export function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'number' && KINDS.has((v as { kind?: unknown }).kind as string);
}

/** What the functions that take an expression graph accept (see checkArg). */
export const NODE: Accepts<Node> = { what: 'an expression graph (from parseExpression or the builders)', test: isNode };
/** A number or an expression graph: the builders' operands. */
export const OPERAND: Accepts<Operand> = { what: 'a number or an expression graph', test: (v): v is Operand => typeof v === 'number' || isNode(v) };
/** Several expression graphs. */
export const NODES = arrayOf(NODE, 'an array of expression graphs');
/** Several operands. */
export const OPERANDS = arrayOf(OPERAND, 'an array of numbers or expression graphs');

const MAP: Accepts<ReadonlyMap<string, Operand>> = { what: 'a Map from symbol names to numbers or graphs', test: (v): v is ReadonlyMap<string, Operand> => v instanceof Map };

/** An operand checked at a builder's door, lifted to a node. */
function operand(fn: string, what: string, x: unknown): Node {
  if (typeof x === 'number') return constant(x);
  checkArg(fn, what, x, OPERAND);
  return lift(x);
}

// ---------------------------------------------------------------------------
// Interning. Keys name the kind and the children's ids; values are held
// weakly, so graphs that nobody uses any more can be collected.

const table = new Map<string, WeakRef<Node>>();
const registry = new FinalizationRegistry<string>((key) => {
  const ref = table.get(key);
  if (ref && ref.deref() === undefined) table.delete(key);
});
let nextId = 0;

function intern<N extends Node>(key: string, make: (id: number) => N): N {
  const hit = table.get(key)?.deref();
  if (hit) return hit as N;
  const node: N = Object.freeze(make(nextId++));
  table.set(key, new WeakRef<Node>(node));
  registry.register(node, key);
  return node;
}

function constKey(value: number): string {
  return Object.is(value, -0) ? 'c:-0' : `c:${value}`;
}

// ---------------------------------------------------------------------------
// Leaves

/** A numeric constant. `constant(2)` */
export function constant(value: number): Node {
  if (typeof value !== 'number') checkArg('constant', 'value', value, NUMBER);
  return intern(constKey(value), (id) => ({ kind: 'const', id, value }));
}

/** A named symbol: a parameter, an input or a target. `sym('w1')` */
export function sym(name: string): Node {
  checkArg('sym', 'name', name, TEXT);
  return intern(`s:${name}`, (id) => ({ kind: 'sym', id, name }));
}

/** Lifts a number to a constant node; passes nodes through. */
export function lift(x: Operand): Node {
  return typeof x === 'number' ? constant(x) : x;
}

const isConst = (n: Node, v: number): boolean => n.kind === 'const' && n.value === v;

/** A number whose shortest decimal form is short: 0.5, 0.25, 3, not 1/3. */
const isShort = (v: number): boolean => Number.isFinite(v) && String(v).replace(/^-/, '').length <= 8;

// ---------------------------------------------------------------------------
// Raw constructors: hash-consing only, no folding.

/** Builds an operation node exactly as given (no folding). */
export function raw(kind: BinaryKind, a: Node, b: Node): Node;
export function raw(kind: 'neg', a: Node): Node;
export function raw(kind: BinaryKind | 'neg', a: Node, b?: Node): Node {
  if (kind === 'neg') return intern(`neg:${a.id}`, (id) => ({ kind, id, args: [a] as const }));
  const right = b as Node;
  return intern(`${kind}:${a.id},${right.id}`, (id) => ({ kind, id, args: [a, right] as const }));
}

/** A call of a function from the function table, exactly as given. */
export function rawCall(fn: string, args: readonly Node[]): Node {
  return intern(`call:${fn}:${args.map((a) => a.id).join(',')}`, (id) => ({
    kind: 'call',
    id,
    fn,
    args: Object.freeze([...args]),
  }));
}

// ---------------------------------------------------------------------------
// Builders, with the folds that need no judgement.

/** a + b */
export function add(a: Operand, b: Operand): Node {
  const x = operand('add', 'a', a), y = operand('add', 'b', b);
  if (x.kind === 'const' && y.kind === 'const') return constant(x.value + y.value);
  if (isConst(x, 0)) return y;
  if (isConst(y, 0)) return x;
  if (y.kind === 'neg') return sub(x, y.args[0]); // a + (-b) = a - b
  return raw('add', x, y);
}

/** a − b */
export function sub(a: Operand, b: Operand): Node {
  const x = operand('sub', 'a', a), y = operand('sub', 'b', b);
  if (x.kind === 'const' && y.kind === 'const') return constant(x.value - y.value);
  if (isConst(y, 0)) return x;
  if (isConst(x, 0)) return neg(y);
  if (y.kind === 'neg') return add(x, y.args[0]); // a - (-b) = a + b
  return raw('sub', x, y);
}

/** a · b */
export function mul(a: Operand, b: Operand): Node {
  const x = operand('mul', 'a', a), y = operand('mul', 'b', b);
  if (x.kind === 'const' && y.kind === 'const') return constant(x.value * y.value);
  if (isConst(x, 0) || isConst(y, 0)) return constant(0);
  if (isConst(x, 1)) return y;
  if (isConst(y, 1)) return x;
  if (isConst(x, -1)) return neg(y);
  if (isConst(y, -1)) return neg(x);
  if (x.kind === 'neg') return neg(mul(x.args[0], y)); // (-a)·b = -(a·b)
  if (y.kind === 'neg') return neg(mul(x, y.args[0]));
  return raw('mul', x, y);
}

/** a / b */
export function div(a: Operand, b: Operand): Node {
  const x = operand('div', 'a', a), y = operand('div', 'b', b);
  // Fold 6/3 and 1/2, keep 1/3: a fraction reads better than 0.3333333333333333.
  if (x.kind === 'const' && y.kind === 'const' && y.value !== 0 && isShort(x.value / y.value)) return constant(x.value / y.value);
  if (isConst(y, 1)) return x;
  if (isConst(x, 0) && !(y.kind === 'const')) return constant(0);
  if (x.kind === 'neg') return neg(div(x.args[0], y));
  return raw('div', x, y);
}

/** a ^ b */
export function pow(a: Operand, b: Operand): Node {
  const x = operand('pow', 'a', a), y = operand('pow', 'b', b);
  if (x.kind === 'const' && y.kind === 'const') {
    const v = x.value ** y.value;
    if (Number.isFinite(v)) return constant(v);
  }
  if (isConst(y, 1)) return x;
  if (isConst(y, 0)) return constant(1);
  return raw('pow', x, y);
}

/** −a */
export function neg(a: Operand): Node {
  const x = operand('neg', 'a', a);
  if (x.kind === 'const') return constant(-x.value);
  if (x.kind === 'neg') return x.args[0];
  return raw('neg', x);
}

/** A call of a function from the function table: `call('sigmoid', z)`. */
export function call(fn: string, ...args: Operand[]): Node {
  checkArg('call', 'fn', fn, TEXT);
  return rawCall(fn, args.map((a, i) => (typeof a === 'number' || isNode(a) ? lift(a) : operand('call', `argument ${i + 1}`, a))));
}

/** Sum of many terms, left to right: sum([a, b, c]) = (a + b) + c. */
export function sum(terms: readonly Operand[]): Node {
  checkArg('sum', 'terms', terms, OPERANDS);
  let acc: Node | undefined;
  for (const t of terms) acc = acc === undefined ? lift(t) : add(acc, t);
  return acc ?? constant(0);
}

/** Builds a node of the given kind from new children, with the builders' folds. */
export function rebuild(n: Node, args: readonly Node[]): Node {
  switch (n.kind) {
    case 'const':
    case 'sym':
      return n;
    case 'add': return add(args[0]!, args[1]!);
    case 'sub': return sub(args[0]!, args[1]!);
    case 'mul': return mul(args[0]!, args[1]!);
    case 'div': return div(args[0]!, args[1]!);
    case 'pow': return pow(args[0]!, args[1]!);
    case 'neg': return neg(args[0]!);
    case 'call': return rawCall(n.fn, args);
  }
}

// ---------------------------------------------------------------------------
// Traversal. Iterative, so that deep graphs cannot overflow the stack.

/** The children of a node (none for leaves). */
export function children(n: Node): readonly Node[] {
  checkArg('children', 'n', n, NODE);
  return kidsOf(n);
}

/** children(n) unchecked, for the traversals' inner loops. */
export function kidsOf(n: Node): readonly Node[] {
  return n.kind === 'const' || n.kind === 'sym' ? [] : n.args;
}

/**
 * Every node reachable from the roots, children before parents (a
 * topological order), each once.
 */
export function topoOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<number>();
  const stack: { node: Node; next: number }[] = [];
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = kidsOf(top.node);
      if (top.next < kids.length) {
        const kid = kids[top.next++]!;
        if (!seen.has(kid.id)) {
          seen.add(kid.id);
          stack.push({ node: kid, next: 0 });
        }
      } else {
        stack.pop();
        order.push(top.node);
      }
    }
  }
  return order;
}

/** The number of distinct nodes reachable from the roots. */
export function nodeCount(roots: readonly Node[]): number {
  checkArg('nodeCount', 'roots', roots, NODES);
  return topoOrder(roots).length;
}

/** The names of the symbols an expression uses, in order of first appearance. */
export function symbolsOf(roots: readonly Node[]): string[] {
  checkArg('symbolsOf', 'roots', roots, NODES);
  return topoOrder(roots).flatMap((n) => (n.kind === 'sym' ? [n.name] : []));
}

/**
 * Replaces nodes bottom-up: `f` gets each node with its children already
 * replaced and returns its replacement (or undefined to keep the rebuilt node).
 */
export function mapNodes(root: Node, f: (n: Node, rebuilt: Node) => Node | undefined): Node {
  checkArg('mapNodes', 'root', root, NODE);
  checkArg('mapNodes', 'f', f, FUNCTION);
  const done = new Map<number, Node>();
  for (const n of topoOrder([root])) {
    const kids = kidsOf(n);
    const newKids = kids.map((k) => done.get(k.id)!);
    const rebuilt = newKids.some((k, i) => k !== kids[i]) ? rebuild(n, newKids) : n;
    done.set(n.id, f(n, rebuilt) ?? rebuilt);
  }
  return done.get(root.id)!;
}

/** Substitutes nodes for symbols: substitute(expr, { x: constant(2) }). */
export function substitute(root: Node, values: ReadonlyMap<string, Operand>): Node {
  checkArg('substitute', 'root', root, NODE);
  checkArg('substitute', 'values', values, MAP);
  return mapNodes(root, (n) => (n.kind === 'sym' && values.has(n.name) ? lift(values.get(n.name)!) : undefined));
}
