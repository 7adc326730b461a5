/**
 * Random expression graphs for property tests: a program of steps, each
 * combining earlier nodes, so that subexpressions are shared (a DAG).
 * Every operation is smooth and real on all of the reals (no kinks, no
 * poles, no logs of negatives), so finite differences are a fair reference
 * everywhere.
 */
import fc from 'fast-check';
import { add, call, mul, pow, sub, sym, div, type Node } from '../../src/expr/node.ts';

export const VARIABLES = ['x', 'y', 'z'] as const;

type Step = { op: number; a: number; b: number };

const unary: ((u: Node) => Node)[] = [
  (u) => call('sin', u),
  (u) => call('cos', u),
  (u) => call('tanh', u),
  (u) => call('sigmoid', u),
  (u) => call('softplus', u),
  (u) => call('exp', call('tanh', u)),
  (u) => call('log', add(1, pow(u, 2))),
  (u) => call('sqrt', add(1, pow(u, 2))),
  (u) => pow(u, 2),
  (u) => pow(u, 3),
  (u) => call('atan', u),
];
const binary: ((u: Node, v: Node) => Node)[] = [
  add,
  sub,
  mul,
  (u, v) => div(u, add(1.5, call('sin', v))),
  (u, v) => call('logsumexp', u, v),
  (u, v) => mul(u, call('sigmoid', v)),
];

function build(steps: readonly Step[]): Node {
  const nodes: Node[] = VARIABLES.map((v) => sym(v));
  for (const { op, a, b } of steps) {
    const u = nodes[a % nodes.length]!;
    const v = nodes[b % nodes.length]!;
    nodes.push(op < unary.length ? unary[op]!(u) : binary[op - unary.length]!(u, v));
  }
  return nodes[nodes.length - 1]!;
}

/** A random graph over x, y, z with 1 to maxSteps operations. */
export function arbitraryGraph(maxSteps = 12): fc.Arbitrary<Node> {
  const step = fc.record({
    op: fc.integer({ min: 0, max: unary.length + binary.length - 1 }),
    a: fc.nat(40),
    b: fc.nat(40),
  });
  return fc.array(step, { minLength: 1, maxLength: maxSteps }).map(build);
}

/** A random point with coordinates in [-2, 2]. */
export const arbitraryPoint = fc.tuple(
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.double({ min: -2, max: 2, noNaN: true }),
);
