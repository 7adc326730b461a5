import { describe, expect, test } from 'vitest';
import { parseExpression } from '../src/expr/parse.ts';
import { computationalGraph } from '../src/pictures/computational.ts';
import { stepThroughHtml } from '../src/pictures/steps.ts';
import { STEP_THROUGH_SCRIPT } from '../src/render/step-through.ts';
import { displayNumber } from '../src/expr/number.ts';

const L = parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2');
const at = { w1: 0.5, w2: -0.3, w3: 0.8, x1: 1, x2: 0.5, y: 1 };

describe('stepThroughHtml(loss, { at, wrt })', () => {
  test('numbers every drawn node in forward order, then every node with a gradient in backward order', async () => {
    const options = { at, wrt: ['w1', 'w2', 'w3'] };
    const html = await stepThroughHtml(L, options);
    const graph = computationalGraph(L, options);
    const fwd = [...html.matchAll(/<g id="([^"]+)" class="node[^"]*"[^>]* data-fwd="(\d+)"/g)].map((m) => [m[1], Number(m[2])] as const);
    const bwd = [...html.matchAll(/<g id="([^"]+)" class="node[^"]*"[^>]* data-bwd="(\d+)"/g)].map((m) => [m[1], Number(m[2])] as const);
    // 6 symbols and 7 operations are computed forward; the loss, 6 operations and 3 weights get a gradient.
    expect(fwd.map(([, k]) => k).sort((a, b) => a - b)).toEqual([...Array(13).keys()]);
    expect(bwd.map(([, k]) => k).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    // Backward order: the loss first, the weights last.
    const first = graph.boxes.find((b) => b.backward === 0)!;
    expect(first.kind).toBe('loss');
    expect(graph.boxes.filter((b) => b.backward! >= 7).map((b) => b.name).sort()).toEqual(['w₁', 'w₂', 'w₃']);
    // Forward order: every node after the nodes it uses.
    const position = new Map(graph.boxes.map((b) => [b.id, b.forward]));
    for (const a of graph.arrows) expect(position.get(a.from)!).toBeLessThan(position.get(a.to)!);
  });

  test('holds the picture, three buttons, a status line and one self-contained script', async () => {
    const html = await stepThroughHtml(L, { at, wrt: ['w1', 'w2', 'w3'], caption: 'σ & friends' });
    expect(html).toMatch(/^<div class="dh-steps" id="dh\w+_steps">/);
    expect(html.match(/<button type="button" data-step="(back|next|reset)">/g)).toHaveLength(3);
    expect(html).toContain('<figcaption>σ &amp; friends</figcaption>');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain(`<script>${STEP_THROUGH_SCRIPT}</script>`);
    // Offline: no external resource of any kind.
    expect(html).not.toMatch(/\bsrc=|href=|https?:\/\/(?!www\.w3\.org)/);
    // The highlight styles are scoped to this picture.
    const id = /id="(dh\w+)_steps"/.exec(html)![1]!;
    expect(html).toContain(`#${id} .dh_on > path`);
    // They stand beside the picture: its SVG goes in as drawn, nothing written into it.
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).toContain(`id="${id}"`);
    expect(svg).not.toContain('<style>');
    expect(html.indexOf('<style>')).toBeLessThan(html.indexOf('<svg'));
    // The status texts read out the numbers: the value of v₄ = σ(v₃) is σ(0.35).
    expect(html).toContain(`data-say-fwd="v₄ = σ(v₃) = ${displayNumber(1 / (1 + Math.exp(-0.35)))}"`);
  });

  test('refuses to step through without a point', async () => {
    await expect(stepThroughHtml(L, {} as never)).rejects.toThrow('the step-through needs a point');
  });
});
