import { describe, expect, test } from 'vitest';
import { ROLE } from '../src/render/palette.ts';
import { mapNodes, sym, topoOrder, type Node } from '../src/expr/node.ts';
import { evaluate, evaluateAll } from '../src/expr/evaluate.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { gradient } from '../src/diff/gradient.ts';
import { networkLoss } from '../src/nn/network-loss.ts';
import { referenceModel } from '../src/nn/reference.ts';
import {
  computationalGraph, computationalGraphDot, computationalGraphOutline, computationalGraphSvg, computationalGraphSvgOf,
} from '../src/pictures/computational.ts';
import { displayNumber } from '../src/expr/number.ts';
import { centralDifference, relativeError, scaledStep } from '../src/diff/finite-difference.ts';

/** The elements of an SVG with an id, their data-* attributes and their text lines (entities decoded). */
interface Element { id: string; kind: 'node' | 'edge'; cls: string; data: Record<string, string>; text: string[] }
function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#45;/g, '-').replace(/&amp;/g, '&');
}
function elements(svg: string): Element[] {
  const out: Element[] = [];
  for (const m of svg.matchAll(/<g id="([^"]+)" class="(node|edge)([^"]*)"([^>]*)>([\s\S]*?)<\/g>/g)) {
    const data: Record<string, string> = {};
    for (const d of m[4]!.matchAll(/ data-([a-z-]+)="([^"]*)"/g)) data[d[1]!] = decode(d[2]!);
    const text = [...m[5]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => decode(t[1]!));
    out.push({ id: m[1]!, kind: m[2] as 'node' | 'edge', cls: decode(m[3]!).trim(), data, text });
  }
  return out;
}

/** ∂L/∂n by a central difference: n replaced by a symbol t, moved around its value. */
function nodeGradientFd(loss: Node, n: Node, at: ReadonlyMap<string, number>, value: number): number {
  const lt = mapNodes(loss, (orig) => (orig.id === n.id ? sym('t__') : undefined));
  return centralDifference((d) => evaluate(lt, new Map([...at, ['t__', value + d]])), scaledStep(value, 1e-6));
}

const seed3 = referenceModel('seed3');
const seed3Loss = networkLoss(seed3.layers, seed3.loss, 'short');
const seed3At = new Map<string, number>([
  ...seed3Loss.params.map((p, k): [string, number] => [p, seed3.p[k]!]),
  ...seed3Loss.data.map((d, k): [string, number] => [d, [...seed3.inputs[0]!, ...seed3.targets[0]!][k]!]),
]);

describe('the computational graph in the roles\' colours (render/palette.ts)', () => {
  test('parameters, data and the loss are filled with their tints; every ∂L/∂… line is in the gradients\' colour, no other line is', async () => {
    const svg = await computationalGraphSvg(parseExpression('(y - w*x)^2'), { at: { w: 0.5, x: 1, y: 2 }, wrt: ['w'] });
    const fill = (id: string): string | undefined => new RegExp(`<g id="[^"]*" class="node dh_${id}"[^]*?fill="([^"]+)"`).exec(svg)?.[1];
    expect(fill('param')).toBe(ROLE.param.tint);
    expect(fill('data')).toBe(ROLE.data.tint);
    expect(fill('loss')).toBe(ROLE.loss.tint);
    const texts = [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((m) => ({ attrs: m[1]!, text: m[2]! }));
    const grads = texts.filter((t) => t.text.startsWith('∂L/∂'));
    expect(grads.length).toBeGreaterThan(2);
    // The colour comes from the DOT (<FONT COLOR>), which Graphviz writes in lower case.
    for (const t of texts) expect(t.attrs.toLowerCase().includes(`fill="${ROLE.grad.text.toLowerCase()}"`), t.text).toBe(t.text.startsWith('∂L/∂'));
    // Nothing is put into the SVG afterwards: it is Graphviz's drawing of the DOT, which names the colour.
    expect(computationalGraphDot(computationalGraph(parseExpression('(y - w*x)^2'), { at: { w: 0.5, x: 1, y: 2 }, wrt: ['w'] }))).toContain(`<FONT COLOR="${ROLE.grad.text}">∂L/∂w = −3</FONT>`);
  });
});

describe('computationalGraphSvg(loss, { at, wrt })', () => {
  test('on the three-weight network, every node shows the engine value and gradient, and finite differences agree', async () => {
    const { loss, params } = seed3Loss;
    const svg = await computationalGraphSvg(loss, { at: seed3At, wrt: params });
    const nodes = elements(svg).filter((e) => e.kind === 'node');
    const drawn = topoOrder([loss]).filter((n) => n.kind !== 'const');
    expect(nodes).toHaveLength(drawn.length);

    const values = evaluateAll([loss], seed3At);
    const { trace } = gradient(loss, params);
    const adjoint = new Map(trace.map((t) => [t.node.id, evaluate(t.adjoint, seed3At)]));
    const byName = new Map(nodes.map((e) => [e.data['name']!, e]));
    const graph = computationalGraph(loss, { at: seed3At, wrt: params });
    for (const box of graph.boxes) {
      const el = nodes.find((e) => e.id === box.id)!;
      const n = box.node!;
      // The value: exactly the engine's, and shown rounded in the label.
      expect(Number(el.data['value'])).toBe(values.get(n.id));
      expect(el.text).toContain(`= ${displayNumber(values.get(n.id)!)}`);
      if (n.kind === 'sym' && !params.includes(n.name)) {
        expect(el.data['grad']).toBeUndefined(); // data (x₁, x₂, y) is not differentiated
        continue;
      }
      const g = Number(el.data['grad']);
      expect(g).toBe(adjoint.get(n.id));
      expect(el.text).toContain(`∂L/∂${box.name} = ${displayNumber(g)}`);
      expect(relativeError(g, nodeGradientFd(loss, n, seed3At, values.get(n.id)!), 1e-3)).toBeLessThan(1e-6);
    }
    // The parameters by name, against the reference numbers: L = (y − w₃σ(w₁x₁ + w₂x₂))².
    const [x1, x2] = seed3.inputs[0]!;
    const [w1, w2, w3] = seed3.p;
    const h = 1 / (1 + Math.exp(-(w1! * x1! + w2! * x2!)));
    const r = seed3.targets[0]![0]! - w3! * h;
    expect(Number(byName.get('L')!.data['value'])).toBeCloseTo(seed3.initialLoss, 15);
    expect(Number(byName.get('w₃')!.data['grad'])).toBeCloseTo(-2 * r * h, 14);
    expect(Number(byName.get('w₁')!.data['grad'])).toBeCloseTo(-2 * r * w3! * h * (1 - h) * x1!, 14);
  });

  test('a shared subexpression is drawn once, with two outgoing edges whose contributions add up to its gradient', async () => {
    // L = x·y + sin(x·y): ∂L/∂(x·y) = 1 + cos(x·y)
    const L = parseExpression('x*y + sin(x*y)');
    const at = { x: 2, y: 3 };
    const svg = await computationalGraphSvg(L, { at });
    const all = elements(svg);
    const shared = all.filter((e) => e.kind === 'node' && e.text[0] === 'v₁ = x · y');
    expect(shared).toHaveLength(1);
    const node = shared[0]!;
    expect(Number(node.data['value'])).toBe(6);
    const out = all.filter((e) => e.kind === 'edge' && e.data['from'] === node.id);
    expect(out).toHaveLength(2);
    const contributions = out.map((e) => Number(e.data['contribution']));
    expect(contributions.sort()).toEqual([Math.cos(6), 1].sort());
    expect(Number(node.data['grad'])).toBeCloseTo(contributions[0]! + contributions[1]!, 15);
    expect(Number(node.data['grad'])).toBeCloseTo(1 + Math.cos(6), 15);
    // Each edge shows its local derivative and what it adds, so a student can do the sum.
    const sinEdge = out.find((e) => e.text[0]!.includes('cos(v₁)'))!;
    expect(sinEdge.text).toEqual(['∂v₂/∂v₁ = cos(v₁)', `= ${displayNumber(Math.cos(6))}`, `∂L/∂v₁ += ${displayNumber(Math.cos(6))}`]);
    // x and y: ∂L/∂x = y(1 + cos(xy)), ∂L/∂y = x(1 + cos(xy)).
    const x = all.find((e) => e.data['name'] === 'x')!;
    expect(Number(x.data['grad'])).toBeCloseTo(3 * (1 + Math.cos(6)), 14);
    // The step-through's backward text for the shared node spells out the sum.
    expect(node.data['say-bwd']).toBe(`∂L/∂v₁ = ${contributions.map((c) => displayNumber(c)).join(' + ')} = ${displayNumber(1 + Math.cos(6))}`);
  });

  test('the SVG has a positive size, and the same input gives the same SVG', async () => {
    const L = parseExpression('exp(-x^2) / (1 + y)');
    const a = await computationalGraphSvg(L, { at: { x: 0.5, y: 2 } });
    const b = await computationalGraphSvg(L, { at: { x: 0.5, y: 2 } });
    expect(a).toBe(b);
    const m = /^<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"/.exec(a)!;
    expect(Number(m[1])).toBeGreaterThan(50);
    expect(Number(m[2])).toBeGreaterThan(50);
    expect(a).not.toMatch(/<\?xml|<!DOCTYPE|<script|https?:\/\/(?!www\.w3\.org)/);
  });

  test('without a point, nodes show operations and edges formulas, with no numbers', async () => {
    const svg = await computationalGraphSvg(parseExpression('sigmoid(w*x)'), { wrt: ['w'] });
    const all = elements(svg);
    expect(all.every((e) => e.data['value'] === undefined && e.data['grad'] === undefined)).toBe(true);
    expect(all.find((e) => e.kind === 'node' && e.text[0] === 'L = σ(v₁)')).toBeDefined();
    expect(all.find((e) => e.kind === 'edge' && e.text[0] === '∂L/∂v₁ = L · (1 − L)')).toBeDefined();
  });

  test('symbol names are escaped for DOT and SVG', async () => {
    const weird = 'a"b\\c<d>&e';
    const svg = await computationalGraphSvg(sym(weird), { at: new Map([[weird, 1]]) });
    expect(svg).not.toContain('<d>');
    const el = elements(svg).find((e) => e.kind === 'node')!;
    expect(el.text[0]).toBe(weird);
    expect(el.data['name']).toBe(weird);
  });
});

describe('collapsing large graphs', () => {
  test('deep1249 is collapsed layer by layer, not refused, and the SVG stays under 200 kB', async () => {
    const m = referenceModel('deep1249');
    const nl = networkLoss(m.layers, m.loss, 'indexed');
    const at = new Map<string, number>([
      ...nl.params.map((p, k): [string, number] => [p, m.p[k]!]),
      ...nl.data.map((d, k): [string, number] => [d, [...m.inputs[0]!, ...m.targets[0]!][k]!]),
    ]);
    const graph = computationalGraph(nl.loss, { at, wrt: nl.params, network: nl.network });
    expect(graph.boxes.length).toBeLessThanOrEqual(60);
    expect(graph.notes[0]).toMatch(/^\d+ nodes, collapsed to stay readable:$/);
    // By hand: layer 1 holds 128 weights, 16 biases, 128 products, 128 sums and 16 tanh = 416 nodes;
    // a 16 → 16 layer 256 + 16 + 256 + 256 + 16 = 800.
    expect(graph.notes).toContain('layer 1: 8 → 16 tanh (416 nodes)');
    expect(graph.notes).toContain('layer 5: 16 → 16 tanh (800 nodes)');
    const collapsed = graph.boxes.filter((b) => b.kind === 'collapsed');
    expect(collapsed.length).toBeGreaterThanOrEqual(5);
    // The loss is still drawn with its exact value.
    const root = graph.boxes.find((b) => b.kind === 'loss')!;
    expect(root.value).toBe(evaluate(nl.loss, at));
    const svg = await computationalGraphSvgOf(graph);
    expect(svg.length).toBeLessThan(200_000);
    expect(svg).toContain('class="node dh_collapsed"');
    expect(svg).toContain('collapsed to stay readable');
  });

  test('without layers, the nodes far from the loss are collapsed into one box', () => {
    const terms = Array.from({ length: 40 }, (_, i) => `sin(w${i + 1}*x${i + 1})`).join(' + ');
    const L = parseExpression(`(${terms})^2`);
    const graph = computationalGraph(L, { maxNodes: 30 });
    expect(graph.boxes.length).toBeLessThanOrEqual(30);
    const rest = graph.boxes.filter((b) => b.kind === 'collapsed');
    expect(rest).toHaveLength(1);
    const drawn = topoOrder([L]).filter((n) => n.kind !== 'const').length;
    expect(rest[0]!.size! + graph.boxes.length - 1).toBe(drawn);
    expect(graph.boxes.find((b) => b.kind === 'loss')?.name).toBe('L');
  });
});

describe('computationalGraphOutline(graph)', () => {
  test('lists the forward pass with values and the backward pass with each edge', () => {
    const graph = computationalGraph(parseExpression('x*y + sin(x*y)'), { at: { x: 2, y: 3 } });
    const text = computationalGraphOutline(graph);
    expect(text).toContain('  v₁ = x · y = 6\n');
    expect(text).toContain('  L = v₁ + v₂ = 5.721\n');
    expect(text).toContain(`  ∂L/∂v₁ = ${displayNumber(1 + Math.cos(6))}\n      via v₂: ∂v₂/∂v₁ = cos(v₁) = 0.9602, adds 0.9602\n      via L: ∂L/∂v₁ = 1, adds 1\n`);
  });
});
