// Graphviz's layout written as SVG by downhill (src/pictures/xdot.ts), checked
// against Graphviz's own SVG of the same DOT: the same shapes at the same
// coordinates, the same texts where Graphviz puts them.
import { describe, expect, test } from 'vitest';
import { renderDot } from '../src/pictures/render.ts';
import { writeLayoutSvg, type XdotLayout } from '../src/pictures/xdot.ts';
import { DownhillError } from '../src/errors.ts';

const DOT = `digraph G {
  graph [id="g", rankdir=BT, fontname="Helvetica", fontsize=11, labelloc=b, label="a note"];
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#475569"];
  a [id="g_n0", class="dh_param", fillcolor="#d7e9f5", label="w = 0.5"];
  b [id="g_n1", class="dh_op", shape=ellipse, fillcolor="#ffffff", penwidth=2, label=<v = 1<BR/><FONT COLOR="#b45309">∂L/∂v = 2</FONT>>];
  c [id="g_n2", shape=plaintext, style="", label="3 &amp; &lt;4&gt;"];
  a -> b [id="g_e0", class="dh_edge", fontsize=9, label="∂v/∂w = x"];
  c -> b [id="g_e1", style=dashed];
  a -> c [style=invis];
}`;

/** The geometry and text of every shape of an SVG, one line each, sorted: what a reader sees, not how it is written. */
function shapes(svg: string): string[] {
  const pick = (tag: string, attrs: string[]): string[] =>
    [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>(?:([^<]*)</${tag}>)?`, 'g'))].map((m) =>
      `${tag} ${attrs.map((a) => new RegExp(`\\s${a}="([^"]*)"`).exec(m[1]!)?.[1] ?? '-').join(' ')}${m[2] === undefined ? '' : ` "${m[2]}"`}`);
  return [
    ...pick('ellipse', ['cx', 'cy', 'rx', 'ry', 'stroke-width']),
    // (the background too: it covers the margin)
    ...pick('polygon', ['points', 'stroke-dasharray']),
    ...pick('path', ['d', 'stroke-dasharray']),
    ...pick('text', ['text-anchor', 'x', 'y', 'font-size', 'fill']),
  ].sort();
}

describe('renderDot(dot, data, title): Graphviz lays out, downhill writes the SVG', () => {
  test('the same shapes and texts at the same coordinates as Graphviz\'s own SVG', async () => {
    const ours = await renderDot(DOT);
    const { instance } = await import('@viz-js/viz');
    const theirs = (await instance()).render(DOT, { format: 'svg' }).output ?? '';
    const mine = shapes(ours);
    expect(mine.length).toBeGreaterThan(10);
    expect(mine).toEqual(shapes(theirs));
    // the same size: width, height and viewBox
    const size = (svg: string): number[] => ['width', 'height'].map((a) => Number(new RegExp(`<svg[^>]*\\s${a}="([\\d.]+)pt"`).exec(svg)![1]));
    expect(size(ours)).toEqual(size(theirs));
  });

  test('the accessible name is on the root, data attributes on the elements by id (escaped), and nothing a page does not want', async () => {
    const svg = await renderDot(DOT, new Map([['g_n0', { name: 'w', say: 'a "quote" & <tag>' }], ['g_e0', { from: 'g_n0' }]]), 'graph of "L" & <M>');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+pt" height="\d+pt" viewBox="0 0 \d+ \d+" role="img" aria-label="graph of &quot;L&quot; &amp; &lt;M&gt;">\n/);
    expect(svg).toContain('<g id="g_n0" class="node dh_param" data-name="w" data-say="a &quot;quote&quot; &amp; &lt;tag&gt;">');
    expect(svg).toContain('<g id="g_e0" class="edge dh_edge" data-from="g_n0">');
    expect(svg).toContain('<g id="g_n1" class="node dh_op">');
    expect(svg).not.toMatch(/<title|<!--|<\?xml|xlink/);
    // the invisible edge is not drawn; the text is escaped once
    expect(svg.match(/class="edge/g)).toHaveLength(2);
    expect(svg).toContain('>3 &amp; &lt;4&gt;</text>');
    // no name: no role
    expect(await renderDot(DOT)).not.toContain('role=');
  });
});

describe('fonts: PostScript font names and font characteristics as Graphviz\'s own SVG writes them', () => {
  // The 35 standard PostScript fonts (one name in lower case: Graphviz matches them ignoring case), a font it does not know, and
  // every font characteristic Graphviz has (an HTML label's <B>, <I>, <U>, <O>, <S>, <SUB>, <SUP>), alone and together.
  const FONTS = [
    'AvantGarde-Book', 'AvantGarde-BookOblique', 'AvantGarde-Demi', 'AvantGarde-DemiOblique', 'Bookman-Demi', 'Bookman-DemiItalic', 'Bookman-Light',
    'Bookman-LightItalic', 'Courier', 'courier-bold', 'Courier-BoldOblique', 'Courier-Oblique', 'Helvetica', 'Helvetica-Bold', 'Helvetica-BoldOblique',
    'Helvetica-Narrow', 'Helvetica-Narrow-Bold', 'Helvetica-Narrow-BoldOblique', 'Helvetica-Narrow-Oblique', 'Helvetica-Oblique', 'NewCenturySchlbk-Bold',
    'NewCenturySchlbk-BoldItalic', 'NewCenturySchlbk-Italic', 'NewCenturySchlbk-Roman', 'Palatino-Bold', 'Palatino-BoldItalic', 'Palatino-Italic',
    'Palatino-Roman', 'Symbol', 'Times-Bold', 'Times-BoldItalic', 'Times-Italic', 'Times-Roman', 'ZapfChancery-MediumItalic', 'ZapfDingbats', 'DejaVu Sans',
  ];
  const DOT = `digraph {
    ${FONTS.map((f, i) => `f${i} [fontname="${f}", label="${f}"];`).join('\n    ')}
    flags [shape=plaintext, label=<x<SUB>i</SUB> y<SUP>2</SUP> <U>u</U> <O>o</O> <S>s</S> <B>b</B> <I>i</I> <B><I><U><O>all</O></U></I></B> <FONT FACE="Courier-Oblique"><B><I>ci</I></B></FONT>>];
  }`;
  /** Each text's font attributes, by its text, in one order; Graphviz's weights that are not CSS's written as CSS's (by hand: demi 600, medium 500, light 300; roman and book normal, not written), its decorations space-separated (CSS; Graphviz writes commas). */
  function fonts(svg: string): string[] {
    const css: Record<string, string | undefined> = { demi: '600', medium: '500', light: '300', roman: undefined, book: undefined };
    return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)].map((m) => {
      const value = (a: string): string | undefined => new RegExp(`\\s${a}="([^"]*)"`).exec(m[1]!)?.[1];
      const weight = value('font-weight');
      const shown = [
        value('font-family'), weight !== undefined && weight in css ? css[weight] : weight, value('font-stretch'), value('font-style'),
        value('text-decoration')?.replaceAll(',', ' '), value('baseline-shift'),
      ];
      return `${m[2]!.replaceAll('&#45;', '-')}: ${shown.map((v) => v ?? '-').join(' | ')}`; // (Graphviz writes a hyphen as &#45;)
    });
  }

  test('family, weight, stretch and style of each PostScript font; decorations and sub/superscripts; the same as Graphviz\'s own SVG', async () => {
    const ours = await renderDot(DOT);
    const { instance } = await import('@viz-js/viz');
    const theirs = (await instance()).render(DOT, { format: 'svg' }).output ?? '';
    const mine = fonts(ours);
    expect(mine).toEqual(fonts(theirs));
    expect(mine).toHaveLength(FONTS.length + 18); // the label: 9 pieces and the 9 spaces between them
    // by hand, a few: Graphviz's "demi" as CSS's 600, a narrow font condensed, a name matched ignoring case, every flag at once
    expect(mine).toContain('AvantGarde-DemiOblique: URW Gothic L,sans-Serif | 600 | - | oblique | - | -');
    expect(mine).toContain('Helvetica-Narrow-Bold: Helvetica,sans-Serif | bold | condensed | - | - | -');
    expect(mine).toContain('courier-bold: Courier,monospace | bold | - | - | - | -');
    expect(mine).toContain('DejaVu Sans: DejaVu Sans | - | - | - | - | -');
    expect(mine).toContain('all: Times,serif | bold | - | italic | underline overline | -');
    expect(mine).toContain('i: Times,serif | - | - | - | - | sub');
    expect(mine).toContain('2: Times,serif | - | - | - | - | super');
    // a PostScript name's style wins over the flags (Graphviz's rule): Courier-Oblique in <I> is oblique
    expect(mine).toContain('ci: Courier,monospace | bold | - | oblique | - | -');
  });

  test('a font characteristic Graphviz does not have is refused, naming it', () => {
    const layout: XdotLayout = { bb: '0,0,10,20', objects: [{ id: 'n', _ldraw_: [{ op: 't', fontchar: 128 + 1 }, { op: 'T', pt: [1, 2], align: 'l', width: 4, text: 'a' }] }] };
    expect(() => writeLayoutSvg(layout)).toThrow(new DownhillError('graph layout: node n has text with font characteristics 129 (flag 128), which pictures do not draw'));
  });
});

describe('backslashes: Graphviz\'s JSON output drops the text after two in a row (a Graphviz bug)', () => {
  test('one backslash is written; two in a row are refused in one line naming the node, not drawn cut short', async () => {
    // DOT "a\\b" is the text a\b: Graphviz's own SVG and ours say the same
    const one = 'digraph { n [id="n", label="a\\\\b c"] }';
    const { instance } = await import('@viz-js/viz');
    const viz = await instance();
    expect(viz.render(one, { format: 'svg' }).output).toContain('>a\\b c</text>');
    expect(await renderDot(one)).toContain('>a\\b c</text>');
    // DOT "x\\\\y z" is the text x\\y z: Graphviz's own SVG has it whole, its JSON cuts it short (the bug this guards against)
    const two = 'digraph { n [id="n", label="x\\\\\\\\y z"] }';
    expect(viz.render(two, { format: 'svg' }).output).toContain('>x\\\\y z</text>');
    const json = JSON.parse(viz.render(two, { format: 'json' }).output!) as XdotLayout;
    const text = json.objects![0]!._ldraw_!.find((o) => o.op === 'T');
    expect(text).toBeDefined();
    expect((text as { text: string }).text).not.toContain('z');
    await expect(renderDot(two)).rejects.toThrow(new DownhillError('graph layout: node n has a label with two backslashes in a row ("x\\\\y …"), and Graphviz\'s JSON output drops the text after them (a Graphviz bug): write the label without them'));
    // at the end of a label too (the JSON's text then ends in an odd run)
    await expect(renderDot('digraph { n [id="n", label="p\\\\\\\\"] }')).rejects.toThrow(DownhillError);
  });
});

describe('writeLayoutSvg(layout)', () => {
  const layout = (ops: NonNullable<XdotLayout['_draw_']>): XdotLayout => ({ bb: '0,0,10,20', objects: [{ id: 'n', _draw_: ops }] });

  test('colours: transparent is none, a partial alpha an opacity; bold and italic text; the y axis flipped', () => {
    const svg = writeLayoutSvg(layout([
      { op: 'c', grad: 'none', color: '#11223380' }, { op: 'C', grad: 'none', color: '#ffffff00' },
      { op: 'E', rect: [5, 10, 2, 3] },
      { op: 'F', size: 9, face: 'Courier' }, { op: 't', fontchar: 3 }, { op: 'T', pt: [1.234, 2.5], align: 'r', width: 4, text: 'a\\\\b' },
    ]));
    expect(svg).toContain('<ellipse fill="none" stroke="#112233" stroke-opacity="0.5" cx="5" cy="-10" rx="2" ry="3"/>');
    // Graphviz's JSON doubles a backslash (xdot's escape): one is written
    expect(svg).toContain('<text xml:space="preserve" text-anchor="end" x="1.23" y="-2.5" font-family="Courier,monospace" font-size="9.00" font-weight="bold" font-style="italic" fill="#112233" fill-opacity="0.5">a\\b</text>');
    // width and height: the bounding box and a margin of 4 points each side
    expect(svg).toContain('width="18pt" height="28pt" viewBox="0 0 18 28"');
    expect(svg).toContain('transform="translate(4 24)"');
  });

  test('what pictures do not draw is refused in one line: a gradient, an unknown operation, a bad bounding box', () => {
    expect(() => writeLayoutSvg(layout([{ op: 'C', grad: 'linear', color: '#000000' }]))).toThrow(new DownhillError('graph layout: node n has a gradient colour, which pictures do not draw'));
    expect(() => writeLayoutSvg(layout([{ op: 'I' } as never]))).toThrow('graph layout: node n has a drawing operation "I" that pictures do not draw');
    expect(() => writeLayoutSvg({ bb: '0,0,x' })).toThrow('graph layout: a bounding box "0,0,x" is not four numbers');
  });
});
