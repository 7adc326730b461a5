import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { gradient } from '../src/diff/gradient.ts';
import { derivative } from '../src/diff/derivative.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { children, nodeCount, sym, add, mul, call, type Node } from '../src/expr/node.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { toText } from '../src/expr/print.ts';
import { DownhillError } from '../src/errors.ts';
import { arbitraryGraph, arbitraryPoint, VARIABLES } from './support/random-graph.ts';
import { centralDifference, relativeError } from './support/fd.ts';

const runs = Number(process.env['FUZZ_RUNS'] ?? 200);

describe('gradient(loss, wrt): reverse mode', () => {
  test('on random graphs: reverse mode = closed form = compiled = central finite difference', () => {
    fc.assert(
      fc.property(arbitraryGraph(), arbitraryPoint, (f, point) => {
        const at = new Map(VARIABLES.map((v, i) => [v, point[i]!]));
        const value = evaluate(f, at);
        fc.pre(Number.isFinite(value) && Math.abs(value) < 1e6);
        const { partials } = gradient(f, [...VARIABLES]);
        const compiled = compileGradient(f, { params: [...VARIABLES] });
        const g = new Float64Array(3);
        const p = Float64Array.from(point);
        // Compiled code and the interpreter do the same operations: equal to the last bit (0 + -0 aside).
        expect(compiled.lossAndGradient(p, g) - value).toBe(0);
        const fd = centralDifference((q) => evaluate(f, new Map(VARIABLES.map((v, i) => [v, q[i]!]))), point, 1e-5);
        VARIABLES.forEach((v, i) => {
          const reverse = evaluate(partials[i]!, at);
          const closed = evaluate(derivative(f, v).node, at);
          const where = `∂/∂${v} of ${toText(f)} at ${point}`;
          expect(relativeError(reverse, g[i]!, 1e-100), where).toBe(0);
          expect(relativeError(reverse, closed), where).toBeLessThanOrEqual(1e-10);
          expect(relativeError(reverse, fd[i]!), where).toBeLessThanOrEqual(1e-6);
        });
      }),
      { numRuns: runs, seed: 20261128 },
    );
  });

  test('the gradient graph grows like the forward graph, not like P × its size', () => {
    // A chain of 200 layers of one neuron each: P = 200 parameters.
    let a: Node = sym('x');
    const params: string[] = [];
    for (let l = 1; l <= 200; l++) {
      params.push(`w${l}`);
      a = call('tanh', mul(sym(`w${l}`), a));
    }
    const { partials } = gradient(a, params);
    const forward = nodeCount([a]);
    const both = nodeCount([a, ...partials]);
    expect(both / forward).toBeLessThan(4);
  });

  test('a shared node receives the sum of its consumers’ contributions', () => {
    // f = s·s + s with s = sin(x): df/dx = (2s + 1)·cos(x)
    const s = call('sin', sym('x'));
    const f = add(mul(s, s), s);
    const { partials, trace } = gradient(f, ['x']);
    const x = 0.7;
    expect(evaluate(partials[0]!, { x })).toBeCloseTo((2 * Math.sin(x) + 1) * Math.cos(x), 14);
    const sEntry = trace.find((t) => t.node === s)!;
    expect(evaluate(sEntry.adjoint, { x })).toBeCloseTo(2 * Math.sin(x) + 1, 14);
  });

  test('the chain-rule trace of the three-weight loss: every node, its adjoint and its edges', () => {
    const L = parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2');
    const { trace } = gradient(L, ['w1', 'w2', 'w3']);
    const at = { w1: 0.1, w2: -0.2, w3: 0.3, x1: 1, x2: 0.5, y: 0.7 };
    // By hand: z = 0, h = 0.5, ŷ = 0.15, y − ŷ = 0.55, ∂L/∂ŷ = −2·0.55 = −1.1
    const byText = new Map(trace.map((t) => [toText(t.node), t]));
    expect(evaluate(byText.get('w3 * sigmoid(w1 * x1 + w2 * x2)')!.adjoint, at)).toBeCloseTo(-1.1, 14);
    expect(evaluate(byText.get('sigmoid(w1 * x1 + w2 * x2)')!.adjoint, at)).toBeCloseTo(-1.1 * 0.3, 14);
    expect(evaluate(byText.get('w1 * x1 + w2 * x2')!.adjoint, at)).toBeCloseTo(-1.1 * 0.3 * 0.25, 14);
    expect(evaluate(byText.get('w1')!.adjoint, at)).toBeCloseTo(-1.1 * 0.3 * 0.25 * 1, 14);
    // Edges: σ passes its adjoint to z with σ'(0) = 0.25; w1·x1 + w2·x2 to both products with 1.
    const sigmoidEdges = byText.get('sigmoid(w1 * x1 + w2 * x2)')!.edges;
    expect(sigmoidEdges.map((e) => toText(e.child))).toEqual(['w1 * x1 + w2 * x2']);
    expect(evaluate(sigmoidEdges[0]!.local, at)).toBeCloseTo(0.25, 15);
    expect(byText.get('w1 * x1 + w2 * x2')!.edges.map((e) => evaluate(e.local, at))).toEqual([1, 1]);
    expect(trace[0]!.node).toBe(L);
    expect(trace.at(-1)!.node).toBe(sym('w3'));
  });

  test('each edge keeps its child’s position among the node’s children; children that depend on no variable get no edge', () => {
    const L = parseExpression('w3 * sigmoid(w1 * x1)');
    const top = gradient(L, ['w1']).trace[0]!;
    expect(top.node).toBe(L);
    expect(top.edges.map((e) => [e.index, toText(e.child)])).toEqual([[1, 'sigmoid(w1 * x1)']]);
    expect(evaluate(top.edges[0]!.local, { w3: 0.3, w1: 2, x1: 5 })).toBe(0.3); // ∂(w3·s)/∂s = w3
    const x = sym('x');
    const square = gradient(mul(x, x), ['x']).trace[0]!;
    expect(square.edges.map((e) => [e.index, e.child])).toEqual([[0, x], [1, x]]);
    expect(square.edges.map((e) => evaluate(e.local, { x: 3 }))).toEqual([3, 3]); // ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
    for (const entry of gradient(parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2'), ['w1', 'w2', 'w3']).trace) {
      for (const e of entry.edges) expect(children(entry.node)[e.index]).toBe(e.child);
    }
  });

  test('a variable the loss does not use has gradient 0', () => {
    expect(evaluate(gradient(parseExpression('x^2'), ['y']).partials[0]!, {})).toBe(0);
  });

  test('a variable listed twice is refused', () => {
    expect(() => gradient(parseExpression('x'), ['x', 'x'])).toThrow(DownhillError);
  });
});
