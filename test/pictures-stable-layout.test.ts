import { describe, expect, test, vi } from 'vitest';
import { displayNumber } from '../src/expr/number.ts';
import { labelNumber, stableDot } from '../src/pictures/stable-layout.ts';

// Every DOT Graphviz is given, to count its layouts.
const laidOut = vi.hoisted(() => [] as string[]);
vi.mock('@viz-js/viz', async (importOriginal) => {
  const viz = await importOriginal<typeof import('@viz-js/viz')>();
  return {
    ...viz,
    instance: async () => {
      const real = await viz.instance();
      return new Proxy(real, {
        get: (target, key) => (key === 'render'
          ? (dot: string, options: Parameters<typeof real.render>[1]) => (laidOut.push(dot), target.render(dot, options))
          : Reflect.get(target, key, target)),
      });
    },
  };
});

const LOSS = '(y - w3*sigmoid(w1*x1 + w2*x2))^2';
const pointA = { w1: 0.2541, w2: -0.9945, w3: 0.05489, x1: 1, x2: 0.5, y: 0.8 };
const pointB = { w1: -0.61, w2: 0.0123, w3: 0.9, x1: 1, x2: 0.5, y: 0.8 };

/** The SVG without its texts and with its id prefix as one name: what the layout decides. */
const shapes = (svg: string): string => svg.replace(/<text[^>]*>[^<]*<\/text>/g, '').replace(/ data-[a-z-]+="[^"]*"/g, '').replace(/dh[0-9a-z]+/g, 'ID');
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

/** The library as loaded fresh (no layout kept: its expressions are its own), with Graphviz's layouts counted from here. */
async function freshPictures(): Promise<typeof import('../src/index.ts') & typeof import('../src/pictures/computational.ts')> {
  vi.resetModules();
  laidOut.length = 0;
  return { ...await import('../src/index.ts'), ...await import('../src/pictures/computational.ts') };
}

describe('a picture\'s layout does not depend on its numbers (stable-layout.ts)', () => {
  test('the computational graph at a second point is not laid out again; it shows that point\'s numbers, and equals a fresh layout\'s SVG', async () => {
    const { computationalGraphSvg, parseExpression, evaluate } = await freshPictures();
    const L = parseExpression(LOSS);
    const a = await computationalGraphSvg(L, { at: pointA, wrt: ['w1', 'w2', 'w3'] });
    const b = await computationalGraphSvg(L, { at: pointB, wrt: ['w1', 'w2', 'w3'] });
    expect(laidOut).toHaveLength(1);
    expect(shapes(b)).toBe(shapes(a));
    // The loss's box shows each point's loss, as the engine evaluates it (not the first point's numbers).
    for (const [svg, at] of [[a, pointA], [b, pointB]] as const) expect(texts(svg)).toContain(`= ${displayNumber(evaluate(L, at))}`);
    expect(texts(b)).not.toContain(`= ${displayNumber(evaluate(L, pointA))}`);
    expect(b).not.toMatch(/[\uE000-\uF8FF]/);
    // A fresh module (nothing kept) lays the second point out itself, and draws the same SVG, bit for bit.
    const fresh = await freshPictures();
    expect(await fresh.computationalGraphSvg(fresh.parseExpression(LOSS), { at: pointB, wrt: ['w1', 'w2', 'w3'] })).toBe(b);
    expect(laidOut).toHaveLength(1);
  });

  test('each line keeps the alignment Graphviz gives it without slots (a left-aligned edge label stays left-aligned, number lines included)', async () => {
    const { computationalGraph, computationalGraphDot, parseExpression } = await freshPictures();
    const { renderDot } = await import('../src/pictures/render.ts');
    const graph = computationalGraph(parseExpression(LOSS), { at: pointA, wrt: ['w1', 'w2', 'w3'] });
    const anchors = (svg: string): string[] => [...svg.matchAll(/<text[^>]*text-anchor="([a-z]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => `${m[1]} ${m[2]}`);
    const stable = anchors(await renderDot(computationalGraphDot(graph, { stableNumbers: true })));
    const plain = anchors(await renderDot(computationalGraphDot(graph)));
    expect(stable).toEqual(plain);
    expect(stable.some((line) => line.startsWith('start ='))).toBe(true);
  });

  test('the network diagram with other weights is not laid out again, and shows its weights', async () => {
    const { networkDiagramSvg, network } = await freshPictures();
    const net = network([2, 1, 1], { hidden: 'sigmoid', output: 'identity', bias: false });
    const a = await networkDiagramSvg(net, { p: [0.2541, -0.9945, 0.05489], at: [1, 0.5], hiddenNames: [['h']] });
    const b = await networkDiagramSvg(net, { p: [-0.5, 0.25, 1.75], at: [1, 0.5], hiddenNames: [['h']] });
    expect(laidOut).toHaveLength(1);
    expect(shapes(b)).toBe(shapes(a));
    expect(texts(b)).toEqual(expect.arrayContaining(['w₁ = −0.5', 'w₂ = 0.25', 'w₃ = 1.75']));
    expect(texts(a)).toEqual(expect.arrayContaining(['w₁ = 0.2541', 'w₂ = −0.9945', 'w₃ = 0.05489']));
  });

  test('a number wider than 4 significant digits take gets a wider slot (its own layout), never one narrower than itself', () => {
    const dot = (v: string): string => `digraph { graph [id="dh1"]; dh1_n0 [id="dh1_n0", label="= ${labelNumber(v)}"]; }`;
    const usual = stableDot(dot('0.25'))!;
    expect(usual).toMatchObject({ numbers: ['0.25'], prefix: 'dh1' });
    expect(stableDot(dot('−0.001234'))!.key).toBe(usual.key);
    const wide = stableDot(dot('−1.234e−10'))!;
    expect(wide.key).not.toBe(usual.key);
    expect(wide.slots[0]!).toBeGreaterThan(usual.slots[0]!);
    // The id prefix is one placeholder in ids and names: two pictures' prefixes lay out alike.
    expect(stableDot(dot('0.25').replaceAll('dh1', 'dhzz9'))!.key).toBe(usual.key);
  });

  test('a DOT with placeholder characters of its own, or a marked text that is not a number, is laid out as it is', async () => {
    expect(stableDot('digraph { a [label="\uE100 = 1"]; }')).toBeUndefined();
    expect(stableDot(`digraph { a [label="${labelNumber('"x"')}"]; }`)).toBeUndefined();
    const { renderDot } = await import('../src/pictures/render.ts');
    const svg = await renderDot(`digraph { graph [id="g"]; g_a [id="g_a", label="${labelNumber('1 & 2')}"]; }`);
    expect(texts(svg)).toEqual(['1 &amp; 2']);
  });

  test('a label\'s markup around a number stays text: the SVG holds no element the label wrote', async () => {
    const { renderDot } = await import('../src/pictures/render.ts');
    const svg = await renderDot(`digraph { graph [id="g"]; g_a [id="g_a", label="<b>x</b> = ${labelNumber('1.5')}"]; }`);
    expect(texts(svg)).toEqual(['&lt;b&gt;x&lt;/b&gt; = 1.5']);
    expect(svg).not.toContain('<b>');
  });
});
