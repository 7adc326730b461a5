// vega's string renderer set up for pages (src/render/plot-svg.ts), checked
// against vega's own view.toSVG() of the same view: the same SVG once the
// test rounds its geometry to 2 decimals and renames its ids in order.
import { describe, expect, test } from 'vitest';
import { plotSvg } from '../src/render/plot-svg.ts';

const SPEC = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width: 200, height: 120,
  // a clipped layer (clip: true) and a gradient legend: both kinds of id vega names
  layer: [
    { mark: { type: 'line', clip: true }, encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [0, 2] } }, y: { field: 'y', type: 'quantitative' } } },
    { mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'y', type: 'quantitative' } } },
  ],
  data: { values: [{ x: 0, y: 0.123456 }, { x: 1 / 3, y: 2 / 7 }, { x: 2.5, y: Math.PI }] },
};

async function view(): Promise<{ vega: typeof import('vega'); view: import('vega').View }> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const runtime = vega.parse(compile(SPEC as never).spec);
  return { vega, view: new vega.View(runtime, { renderer: 'none' }) };
}

/** vega's own SVG as the page renderer should write it: geometry to 2 decimals, ids named in order of first appearance. */
function expected(svg: string, prefix: string): string {
  const round = (n: string): string => {
    const r = Math.round(Number(n) * 100) / 100;
    return String(Object.is(r, -0) ? 0 : r);
  };
  const rounded = svg.replace(/\s(d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g, (_, name: string, value: string) =>
    ` ${name}="${value.replace(/-?\d*\.\d+(?:e-?\d+)?/g, round)}"`);
  const names = new Map<string, string>();
  let clips = 0, gradients = 0;
  for (const m of rounded.matchAll(/url\(#([^)]+)\)/g)) {
    const id = m[1]!;
    if (!names.has(id)) names.set(id, id.startsWith('clip') ? `${prefix}-c${clips++}` : `${prefix}-g${gradients++}`);
  }
  return rounded.replace(/\bid="([^"]+)"|url\(#([^)]+)\)/g, (whole, a?: string, b?: string) =>
    a !== undefined ? `id="${names.get(a) ?? a}"` : `url(#${names.get(b!) ?? b})`);
}

describe('plotSvg(vega, view, prefix)', () => {
  test('vega\'s own SVG of the view, with geometry to 2 decimals and ids named by the plot in order', async () => {
    const a = await view();
    const theirs = await a.view.toSVG();
    const b = await view();
    const ours = (await plotSvg(b.vega as never, b.view as never, 'dhtest')).svg;
    expect(theirs).toMatch(/\d\.\d{3,}/); // vega's own has more digits
    expect(theirs).toMatch(/id="clip\d+"/);
    expect(ours).toBe(expected(theirs, 'dhtest'));
    expect(ours).toContain('id="dhtest-c0"');
    expect(ours).toMatch(/id="dhtest-g0"/);
    // every geometric number has at most 2 decimals
    for (const m of ours.matchAll(/\s(?:d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g)) expect(m[1]).not.toMatch(/\.\d{3}/);
  });

  test('the same view twice gives the same SVG (vega\'s own counters do not leak in)', async () => {
    const a = await view(), b = await view();
    expect((await plotSvg(a.vega as never, a.view as never, 'dhx')).svg).toBe((await plotSvg(b.vega as never, b.view as never, 'dhx')).svg);
  });

  test('gives the size and where the plotting area starts: the padding plus the root group\'s place, as the SVG draws them', async () => {
    const vega = await import('vega');
    // padding 7 left, 3 top; the root group moved to (12.3456, 5), written to 2 decimals: the area starts at (7 + 12.35, 3 + 5)
    const spec = {
      width: 100, height: 50, autosize: 'none', padding: { left: 7, top: 3, right: 0, bottom: 0 },
      encode: { update: { x: { value: 12.3456 }, y: { value: 5 } } },
      marks: [{ type: 'rect', encode: { update: { x: { value: 0 }, y: { value: 0 }, width: { value: 10 }, height: { value: 10 }, fill: { value: 'red' } } } }],
    };
    const drawn = await plotSvg(vega as never, new vega.View(vega.parse(spec as never), { renderer: 'none' }) as never, 'dha');
    expect(drawn.area).toEqual({ x: 19.35, y: 8 });
    expect([drawn.width, drawn.height]).toEqual([107, 53]);
    // the SVG puts its content there: the renderer's translate, then the root group's
    expect(drawn.svg).toMatch(/^<svg [^>]*width="107" height="53"[^>]*><g [^>]*transform="translate\(7,3\)"><g class="mark-group role-frame root"[^>]*><g transform="translate\(12\.35,5\)">/);
  });

  test('a clipped group\'s clip path is named by the plot too, the same whatever was drawn before (vega counts them over all plots)', async () => {
    const vega = await import('vega');
    // a group (clip: true) holding a rect that overflows it: vega names the group's clip path from its process-wide counter
    const spec = {
      width: 100, height: 50, autosize: 'none',
      marks: [{
        type: 'group',
        encode: { update: { x: { value: 10 }, y: { value: 5 }, width: { value: 40 }, height: { value: 30 }, clip: { value: true } } },
        marks: [{ type: 'rect', encode: { update: { x: { value: -5 }, y: { value: -5 }, width: { value: 80 }, height: { value: 80 }, fill: { value: 'red' } } } }],
      }],
    };
    const drawn = (): import('vega').View => new vega.View(vega.parse(spec as never), { renderer: 'none' });
    const theirs = await drawn().toSVG();
    const again = await drawn().toSVG();
    expect(theirs).toMatch(/clip-path="url\(#clip\d+\)"/);
    expect(again).not.toBe(theirs); // vega's own id moved on
    const ours = (await plotSvg(vega as never, drawn() as never, 'dhg')).svg;
    expect(ours).toBe(expected(theirs, 'dhg'));
    expect(ours).toContain('<clipPath id="dhg-c0"><rect x="0" y="0" width="40" height="30"/></clipPath>');
    expect(ours).toMatch(/<g [^>]*clip-path="url\(#dhg-c0\)"/);
    expect((await plotSvg(vega as never, drawn() as never, 'dhg')).svg).toBe(ours);
  });
});
