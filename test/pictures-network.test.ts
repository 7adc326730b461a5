import { describe, expect, test } from 'vitest';
import { evaluate } from '../src/expr/evaluate.ts';
import { denseNetwork } from '../src/nn/dense.ts';
import { referenceModel } from '../src/nn/reference.ts';
import { networkDiagram, networkDiagramOutline, networkDiagramSvg } from '../src/pictures/network.ts';
import { displayNumber } from '../src/expr/number.ts';

interface Element { id: string; kind: 'node' | 'edge'; data: Record<string, string>; text: string[] }
function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#45;/g, '-').replace(/&amp;/g, '&');
}
function elements(svg: string): Element[] {
  return [...svg.matchAll(/<g id="([^"]+)" class="(node|edge)[^"]*"([^>]*)>([\s\S]*?)<\/g>/g)].map((m) => ({
    id: m[1]!,
    kind: m[2] as 'node' | 'edge',
    data: Object.fromEntries([...m[3]!.matchAll(/ data-([a-z-]+)="([^"]*)"/g)].map((d) => [d[1]!, decode(d[2]!)])),
    text: [...m[4]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => decode(t[1]!)),
  }));
}

describe('networkDiagramSvg(layers, { p, at })', () => {
  test('the three-weight network: x₁ and x₂ feed a⁽¹⁾₁ through w₁ and w₂, which feeds ŷ through w₃, with values', async () => {
    const m = referenceModel('seed3');
    const x = m.inputs[0]!;
    const svg = await networkDiagramSvg(m.layers, { p: m.p, at: x });
    const all = elements(svg);
    const order = (e: Element): number => Number(e.data['layer']) * 100 + Number(e.data['unit']);
    const units = all.filter((e) => e.kind === 'node').sort((p, q) => order(p) - order(q));
    expect(units.map((u) => u.data['name'])).toEqual(['x₁', 'x₂', 'a⁽¹⁾₁', 'ŷ']);
    const edges = all.filter((e) => e.kind === 'edge').sort((p, q) => p.data['weight']!.localeCompare(q.data['weight']!));
    const name = (id: string): string => units.find((u) => u.id === id)!.data['name']!;
    expect(edges.map((e) => [name(e.data['from']!), e.data['weight'], name(e.data['to']!)])).toEqual([
      ['x₁', 'w1', 'a⁽¹⁾₁'], ['x₂', 'w2', 'a⁽¹⁾₁'], ['a⁽¹⁾₁', 'w3', 'ŷ'],
    ]);
    edges.forEach((e, k) => {
      expect(Number(e.data['value'])).toBe(m.p[k]);
      expect(e.text).toEqual([`w${'₁₂₃'[k]} = ${displayNumber(m.p[k]!)}`]);
    });
    // By hand: z = w₁x₁ + w₂x₂, a = σ(z), ŷ = w₃a.
    const z = m.p[0]! * x[0]! + m.p[1]! * x[1]!;
    const a = 1 / (1 + Math.exp(-z));
    const hidden = units[2]!;
    expect(Number(hidden.data['z'])).toBeCloseTo(z, 15);
    expect(Number(hidden.data['value'])).toBeCloseTo(a, 15);
    expect(hidden.text).toEqual(['a⁽¹⁾₁ = σ(z)', `z = ${displayNumber(z)}, a = ${displayNumber(a)}`]);
    expect(Number(units[3]!.data['value'])).toBeCloseTo(m.p[2]! * a, 15);
  });

  test('indexed names label connections W⁽ˡ⁾ⱼᵢ and biases b⁽ˡ⁾ⱼ; the output matches the engine', async () => {
    const m = referenceModel('xor9');
    const net = denseNetwork(m.layers, { naming: 'indexed' });
    const grad = m.p.map((_, k) => k / 10);
    const svg = await networkDiagramSvg(net, { p: m.p, at: m.inputs[3]!, grad });
    const all = elements(svg);
    const edge = all.find((e) => e.data['weight'] === 'W1_2_1')!;
    expect(edge.text).toEqual([`W⁽¹⁾₂₁ = ${displayNumber(m.p[2]!)}`, `∂L/∂W⁽¹⁾₂₁ = ${displayNumber(0.2)}`]);
    const out = all.find((e) => e.data['name'] === 'ŷ')!;
    expect(out.text).toContain(`bias b⁽²⁾₁ = ${displayNumber(m.p[8]!)}`);
    const point = new Map<string, number>([...net.params.map((p, k): [string, number] => [p, m.p[k]!]), ['x1', 1], ['x2', 1]]);
    expect(Number(out.data['value'])).toBe(evaluate(net.outputs[0]!, point));
  });

  test('deep1249 (89 units) is collapsed to at most 40 boxes, with a note, and the SVG stays under 100 kB', async () => {
    const m = referenceModel('deep1249');
    const diagram = networkDiagram(m.layers, { p: m.p, at: m.inputs[0]! });
    const boxes = diagram.layers.reduce((s, l) => s + (l.collapsed ? 1 : l.units.length), 0);
    expect(boxes).toBeLessThanOrEqual(40);
    expect(diagram.notes[0]).toBe('89 units, collapsed to stay readable:');
    const svg = await networkDiagramSvg(m.layers, { p: m.p, at: m.inputs[0]! });
    expect(svg.length).toBeLessThan(100_000);
    expect(elements(svg).filter((e) => e.kind === 'node')).toHaveLength(boxes);
    expect(svg).toContain('neurons collapsed');
    expect(Number(/height="([\d.]+)pt"/.exec(svg)![1])).toBeGreaterThan(0);
  });

  test('a layer 1024 wide is collapsed, not refused', async () => {
    const layers = [{ in: 3, out: 1024, activation: 'relu', bias: true }, { in: 1024, out: 2, activation: 'identity', bias: true }] as const;
    const svg = await networkDiagramSvg(layers);
    expect(svg.length).toBeLessThan(30_000);
    expect(svg).toContain('1024 neurons collapsed');
  });
});

describe('networkDiagramOutline(diagram)', () => {
  test('writes each neuron as a formula in its weights, with z and a', () => {
    const m = referenceModel('seed3');
    const text = networkDiagramOutline(networkDiagram(m.layers, { p: m.p, at: m.inputs[0]! }));
    expect(text).toContain('network 2 → 1 → 1, 3 parameters\n');
    expect(text).toContain('  a⁽¹⁾₁ = σ(w₁·x₁ + w₂·x₂)   z = ');
    expect(text).toContain('  ŷ = w₃·a⁽¹⁾₁   z = ');
  });
});
