/**
 * Graphviz's layout written as SVG by downhill: Graphviz lays a graph out
 * and says how to draw it (its JSON output: per node and edge a list of
 * drawing operations, xdot), and this file writes each operation as one SVG
 * element. So the SVG's root, its accessible name, each element's id, class
 * and data attributes are written here, never put into Graphviz's own SVG
 * afterwards; what Graphviz's SVG has and a page does not want (an XML
 * prolog, comments, a tooltip per element) is never written.
 *
 *   operation (xdot)              SVG element (y flipped: Graphviz's y points up)
 *   E, e   ellipse (filled, not)  <ellipse cx cy rx ry>
 *   P, p   polygon (filled, not)  <polygon points>   (first point repeated, as Graphviz writes it)
 *   B, b   B-spline (filled, not) <path d="M p0 C p1 p2 p3 …">
 *   L      polyline               <polyline points>
 *   T      text at a point        <text text-anchor x y font-family font-size>
 *   c, C   pen, fill colour       stroke / fill (text: fill) of what follows
 *   F      font                   font-family, font-size of the text that follows; a PostScript font name
 *                                 (Courier-Bold) as Graphviz's SVG writes it: family, weight, stretch, style (POSTSCRIPT)
 *   S      style                  dashed: stroke-dasharray 5,2; dotted: 1,5; setlinewidth(w): stroke-width; bold: 2
 *   t      font characteristics   flags (FONTCHAR): bold font-weight, italic font-style (unless the font name
 *                                 gives them), underline/overline/strike text-decoration, sub/superscript baseline-shift
 *
 * A layout of a picture whose numbers were laid out as slots (stable-layout.ts: `stable`) has its ids and
 * texts written as the picture's: each number in its slot's place, its line aligned as Graphviz aligned it.
 *
 *   writeLayoutSvg(JSON.parse(graphviz json), { title: 'computational graph of L', data })
 *   // '<svg xmlns="http://www.w3.org/2000/svg" width="62pt" height="127pt" viewBox="0 0 62 127" role="img" aria-label="computational graph of L">…'
 */
import { DownhillError } from '../errors.ts';
import { escapeXml } from './labels.ts';
import { restoredText, type StableDot } from './stable-layout.ts';

/** One drawing operation of Graphviz's JSON output. */
export type XdotOp =
  | { readonly op: 'E' | 'e'; readonly rect: readonly [number, number, number, number] }
  | { readonly op: 'P' | 'p' | 'B' | 'b' | 'L'; readonly points: readonly (readonly [number, number])[] }
  | { readonly op: 'T'; readonly pt: readonly [number, number]; readonly align: 'l' | 'c' | 'r'; readonly width: number; readonly text: string }
  | { readonly op: 'c' | 'C'; readonly grad: string; readonly color: string }
  | { readonly op: 'F'; readonly size: number; readonly face: string }
  | { readonly op: 'S'; readonly style: string }
  | { readonly op: 't'; readonly fontchar: number };

/** A node or edge of Graphviz's JSON output: its drawing operations and the attributes given in the DOT (id, class, …). */
export interface XdotObject {
  readonly _draw_?: readonly XdotOp[];
  readonly _ldraw_?: readonly XdotOp[];
  readonly _hdraw_?: readonly XdotOp[];
  readonly _tdraw_?: readonly XdotOp[];
  readonly _hldraw_?: readonly XdotOp[];
  readonly _tldraw_?: readonly XdotOp[];
  readonly id?: string;
  readonly class?: string;
  /** Subgraphs are listed first among the objects; they have their own nodes. */
  readonly nodes?: readonly number[];
}

/** Graphviz's JSON output (format 'json'): the bounding box, the graph's own drawing, its nodes and edges. */
export interface XdotLayout extends XdotObject {
  readonly bb: string;
  readonly objects?: readonly XdotObject[];
  readonly edges?: readonly XdotObject[];
  readonly _subgraph_cnt?: number;
}

/** The margin Graphviz leaves around a drawing, in points (its `pad`). */
const PAD = 4;

/** Generic families after font names without a PostScript font's style, as Graphviz's own SVG writes them. */
const FAMILY: Readonly<Record<string, string>> = {
  Helvetica: 'Helvetica,sans-Serif', 'Times-Roman': 'Times,serif', Times: 'Times,serif', Courier: 'Courier,monospace',
};

/**
 * The 35 standard PostScript fonts Graphviz knows (its ps_font_equiv table; a name matched
 * ignoring case), by family, and how its SVG writes each: the family with a generic one, then
 * what the name's other words say. Graphviz writes the words themselves as the weight (demi,
 * light, roman); here they are CSS's (600, 300, normal: not written), so a browser draws them.
 *
 *   family part        font-family                   names (after "family-")
 *   AvantGarde         URW Gothic L,sans-Serif       Book BookOblique Demi DemiOblique
 *   Bookman            URW Bookman L,serif           Demi DemiItalic Light LightItalic
 *   Courier            Courier,monospace             (none) Bold BoldOblique Oblique
 *   Helvetica          Helvetica,sans-Serif          (none) Bold BoldOblique Narrow Narrow-Bold Narrow-BoldOblique Narrow-Oblique Oblique
 *   NewCenturySchlbk   Century Schoolbook L,serif    Bold BoldItalic Italic Roman
 *   Palatino           Palatino Linotype,serif       Bold BoldItalic Italic Roman
 *   Symbol             Symbol,fantasy                (none)
 *   Times              Times,serif                   Bold BoldItalic Italic Roman
 *   ZapfChancery       URW Chancery L,serif          MediumItalic
 *   ZapfDingbats       Dingbats,fantasy              (none)
 *
 *   word      attribute
 *   Bold      font-weight="bold"
 *   Demi      font-weight="600"
 *   Medium    font-weight="500"
 *   Light     font-weight="300"
 *   Book      (normal: none)
 *   Roman     (normal: none)
 *   Narrow    font-stretch="condensed"
 *   Italic    font-style="italic"
 *   Oblique   font-style="oblique"
 */
const POSTSCRIPT_FAMILIES: readonly (readonly [family: string, fontFamily: string, names: readonly string[]])[] = [
  ['AvantGarde', 'URW Gothic L,sans-Serif', ['Book', 'BookOblique', 'Demi', 'DemiOblique']],
  ['Bookman', 'URW Bookman L,serif', ['Demi', 'DemiItalic', 'Light', 'LightItalic']],
  ['Courier', 'Courier,monospace', ['', 'Bold', 'BoldOblique', 'Oblique']],
  ['Helvetica', 'Helvetica,sans-Serif', ['', 'Bold', 'BoldOblique', 'Narrow', 'Narrow-Bold', 'Narrow-BoldOblique', 'Narrow-Oblique', 'Oblique']],
  ['NewCenturySchlbk', 'Century Schoolbook L,serif', ['Bold', 'BoldItalic', 'Italic', 'Roman']],
  ['Palatino', 'Palatino Linotype,serif', ['Bold', 'BoldItalic', 'Italic', 'Roman']],
  ['Symbol', 'Symbol,fantasy', ['']],
  ['Times', 'Times,serif', ['Bold', 'BoldItalic', 'Italic', 'Roman']],
  ['ZapfChancery', 'URW Chancery L,serif', ['MediumItalic']],
  ['ZapfDingbats', 'Dingbats,fantasy', ['']],
];
const STYLE_WORDS: Readonly<Record<string, { readonly weight?: string; readonly stretch?: string; readonly style?: string }>> = {
  Bold: { weight: 'bold' }, Demi: { weight: '600' }, Medium: { weight: '500' }, Light: { weight: '300' }, Book: {}, Roman: {},
  Narrow: { stretch: 'condensed' }, Italic: { style: 'italic' }, Oblique: { style: 'oblique' },
};

/** A font as SVG attributes: font-family, and the weight, stretch and style a PostScript name gives. */
interface Face { readonly family: string; readonly weight?: string; readonly stretch?: string; readonly style?: string }

const POSTSCRIPT: ReadonlyMap<string, Face> = new Map(POSTSCRIPT_FAMILIES.flatMap(([family, fontFamily, names]) => names.map((name): [string, Face] => {
  const face: { family: string; weight?: string; stretch?: string; style?: string } = { family: fontFamily };
  for (const word of name.match(/[A-Z][a-z]+/g) ?? []) Object.assign(face, STYLE_WORDS[word]);
  return [(name === '' ? family : `${family}-${name}`).toLowerCase(), face];
})));

/** A font name of an F operation as SVG attributes: a PostScript font's (POSTSCRIPT), or else the family as given (FAMILY). */
const faceOf = (name: string): Face => POSTSCRIPT.get(name.toLowerCase()) ?? { family: FAMILY[name] ?? name };

/**
 * The flags of a t operation (Graphviz's font characteristics), and how Graphviz's SVG writes
 * each; bold and italic only when the font's name gives no weight or style. Any other flag is refused.
 *
 *   flag  meaning          attribute
 *   1     bold             font-weight="bold"
 *   2     italic           font-style="italic"
 *   4     underline        text-decoration="underline"     (the decorations together, space-separated,
 *   64    overline         text-decoration="overline"       in this order)
 *   32    strike-through   text-decoration="line-through"
 *   8     superscript      baseline-shift="super"
 *   16    subscript        baseline-shift="sub"
 */
const FONTCHAR = { bold: 1, italic: 2, underline: 4, superscript: 8, subscript: 16, strike: 32, overline: 64 } as const;
const ALL_FONTCHAR = Object.values(FONTCHAR).reduce((a, b) => a | b, 0);

/** A text's font attributes, after its family and size: the face's weight, stretch and style, then the flags'. */
function fontAttrs(face: Face, fontchar: number, where: string): string {
  if ((fontchar & ~ALL_FONTCHAR) !== 0) throw new DownhillError(`graph layout: ${where} has text with font characteristics ${fontchar} (flag ${fontchar & ~ALL_FONTCHAR}), which pictures do not draw`);
  const has = (flag: number): boolean => (fontchar & flag) !== 0;
  const decoration = [[FONTCHAR.underline, 'underline'], [FONTCHAR.overline, 'overline'], [FONTCHAR.strike, 'line-through']] as const;
  const lines = decoration.filter(([flag]) => has(flag)).map(([, name]) => name);
  return attr('font-weight', face.weight ?? (has(FONTCHAR.bold) ? 'bold' : undefined))
    + attr('font-stretch', face.stretch)
    + attr('font-style', face.style ?? (has(FONTCHAR.italic) ? 'italic' : undefined))
    + attr('text-decoration', lines.length === 0 ? undefined : lines.join(' '))
    + attr('baseline-shift', has(FONTCHAR.superscript) ? 'super' : has(FONTCHAR.subscript) ? 'sub' : undefined);
}

/** A coordinate to 2 decimals (a hundredth of a point), as Graphviz prints it: 12.5, not 12.50; no -0. */
const num = (x: number): string => {
  const r = Math.round(x * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
};
/** A point with its y flipped (Graphviz's y grows upward; the drawing is translated down by the height). */
const pt = (p: readonly [number, number]): string => `${num(p[0])},${num(-p[1])}`;

/** A colour of the JSON output (#rrggbb or #rrggbbaa) as an SVG paint: fully transparent is none. */
function paint(color: string): { paint: string; opacity?: string } {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (m === null) return { paint: color };
  const alpha = m[2] === undefined ? 255 : parseInt(m[2], 16);
  if (alpha === 0) return { paint: 'none' };
  return alpha === 255 ? { paint: `#${m[1]}` } : { paint: `#${m[1]}`, opacity: num(alpha / 255) };
}

/** A text of the JSON output as written: Graphviz's JSON keeps xdot's escaped backslashes (\\ for \). */
const xdotText = (text: string): string => text.replace(/\\\\/g, '\\');

/**
 * Refuses a text that Graphviz's JSON output has cut short: after two
 * backslashes in a row in a label (four in the JSON's text, each escaped),
 * Graphviz (16.1.0, in @viz-js/viz 3.31.0) drops the rest of the text, and
 * what is left can end in an odd run. Every correct text has its
 * backslashes in pairs (xdot's escape), and no run longer than one pair.
 *
 *   label (DOT)   text in the JSON   read as
 *   "a\\b"        a\\b               a\b: written
 *   "a\\\\b"      a\\\\              (the b lost): refused
 */
function checkText(text: string, where: string): void {
  const broken = (text.match(/\\+/g) ?? []).some((run) => run.length >= 4 || run.length % 2 === 1);
  if (broken) {
    throw new DownhillError(`graph layout: ${where} has a label with two backslashes in a row ("${xdotText(text)}…"), and Graphviz's JSON output drops the text after them (a Graphviz bug): write the label without them`);
  }
}

/** The pen of the operations that follow in one list. */
interface Pen {
  stroke: string;
  fill: string;
  font: { size: number; face: string };
  fontchar: number;
  dash?: string;
  width?: string;
}

const attr = (name: string, value: string | undefined): string => (value === undefined ? '' : ` ${name}="${escapeXml(value)}"`);

/** The paint attributes of a shape: filled or not, then the pen's style. */
function shapeAttrs(pen: Pen, filled: boolean): string {
  const fill = filled ? paint(pen.fill) : { paint: 'none' };
  const stroke = paint(pen.stroke);
  return attr('fill', fill.paint) + attr('fill-opacity', fill.opacity) + attr('stroke', stroke.paint) + attr('stroke-opacity', stroke.opacity)
    + attr('stroke-width', pen.width) + attr('stroke-dasharray', pen.dash);
}

/**
 * One list of operations as SVG elements, one a line. A line of a stable key's layout (stable-layout.ts) keeps
 * Graphviz's alignment: a number is as wide as its slot at most (by Graphviz's own estimate of widths, to
 * within 0.1 % for the widest number of the smallest class, −0.001234, at Helvetica 9 and 11), so a left-aligned line starts, a centred one is
 * centred and a right-aligned one ends where Graphviz put it, like the lines around it.
 */
function drawOps(ops: readonly XdotOp[], where: string): string[] {
  const pen: Pen = { stroke: '#000000', fill: '#000000', font: { size: 14, face: 'Times-Roman' }, fontchar: 0 };
  const out: string[] = [];
  for (const o of ops) {
    switch (o.op) {
      case 'c': case 'C':
        if (o.grad !== 'none') throw new DownhillError(`graph layout: ${where} has a gradient colour, which pictures do not draw`);
        if (o.op === 'c') pen.stroke = o.color; else pen.fill = o.color;
        break;
      case 'F': pen.font = { size: o.size, face: o.face }; break;
      case 't': pen.fontchar = o.fontchar; break;
      case 'S': {
        const w = /^setlinewidth\(([\d.]+)\)$/.exec(o.style);
        if (w) pen.width = num(Number(w[1]));
        else if (o.style === 'bold') pen.width = '2';
        else if (o.style === 'dashed') pen.dash = '5,2';
        else if (o.style === 'dotted') pen.dash = '1,5';
        else if (o.style === 'solid') delete pen.dash;
        // filled, rounded, invis and the rest shape what Graphviz draws, not how a line is drawn
        break;
      }
      case 'E': case 'e': {
        const [cx, cy, rx, ry] = o.rect;
        out.push(`<ellipse${shapeAttrs(pen, o.op === 'E')} cx="${num(cx)}" cy="${num(-cy)}" rx="${num(rx)}" ry="${num(ry)}"/>`);
        break;
      }
      case 'P': case 'p': {
        const points = [...o.points, o.points[0]!].map(pt).join(' ');
        out.push(`<polygon${shapeAttrs(pen, o.op === 'P')} points="${points}"/>`);
        break;
      }
      case 'B': case 'b': {
        const [first, ...rest] = o.points;
        out.push(`<path${shapeAttrs(pen, o.op === 'B')} d="M${pt(first!)}C${rest.map(pt).join(' ')}"/>`);
        break;
      }
      case 'L':
        out.push(`<polyline${shapeAttrs(pen, false)} points="${o.points.map(pt).join(' ')}"/>`);
        break;
      case 'T': {
        checkText(o.text, where);
        const anchor = o.align === 'c' ? 'middle' : o.align === 'l' ? 'start' : 'end';
        const colour = paint(pen.stroke);
        out.push(`<text xml:space="preserve" text-anchor="${anchor}" x="${num(o.pt[0])}" y="${num(-o.pt[1])}"`
          + `${attr('font-family', faceOf(pen.font.face).family)} font-size="${pen.font.size.toFixed(2)}"`
          + fontAttrs(faceOf(pen.font.face), pen.fontchar, where)
          + `${colour.paint === '#000000' ? '' : attr('fill', colour.paint)}${attr('fill-opacity', colour.opacity)}>${escapeXml(xdotText(o.text))}</text>`);
        break;
      }
      default:
        throw new DownhillError(`graph layout: ${where} has a drawing operation "${(o as { op: string }).op}" that pictures do not draw`);
    }
  }
  return out;
}

/** Data attributes per element id: { value: '0.5' } becomes data-value="0.5". */
export type DataAttributes = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** A cluster, a node or an edge as a group: its id, its class after Graphviz's (cluster, node, edge), its data attributes, its drawing. */
function group(o: XdotObject, kind: 'cluster' | 'node' | 'edge', data: DataAttributes, stable?: StableDot): string {
  const id = o.id === undefined || stable === undefined ? o.id : restoredText(o.id, stable);
  const ops = drawn(o, `${kind} ${id ?? ''}`.trim(), stable);
  if (ops === '') return ''; // invisible (style=invis): nothing to draw
  const extra = Object.entries((id === undefined ? undefined : data.get(id)) ?? {}).map(([k, v]) => attr(`data-${k}`, v)).join('');
  return `<g${attr('id', id)} class="${kind}${o.class === undefined ? '' : ` ${escapeXml(o.class)}`}"${extra}>\n${ops}\n</g>\n`;
}

/** An object's lists of drawing operations, in the order they are drawn (a missing list is undefined). */
export function drawLists(o: XdotObject): (readonly XdotOp[] | undefined)[] {
  return [o._draw_, o._hdraw_, o._tdraw_, o._ldraw_, o._hldraw_, o._tldraw_];
}

/**
 * The drawing of an object of a stable key's layout (render.ts keeps the layout), as written for the key:
 * drawn once, then each picture's numbers and prefix written into its texts (restoredText: the placeholders
 * are only in texts, and what they stand for needs no escaping).
 */
const drawnForKey = new WeakMap<XdotObject, string>();
function drawn(o: XdotObject, where: string, stable: StableDot | undefined): string {
  const lists = drawLists(o);
  if (stable === undefined) return lists.flatMap((list) => drawOps(list ?? [], where)).join('\n');
  let ops = drawnForKey.get(o);
  if (ops === undefined) drawnForKey.set(o, ops = lists.flatMap((list) => drawOps(list ?? [], where)).join('\n'));
  return restoredText(ops, stable);
}

/**
 * A layout (Graphviz's JSON output) as an SVG element: the size Graphviz
 * gives it (its bounding box and a margin of 4 points, rounded to whole points), the
 * graph's own drawing (background, over the margin too; label), then each node and each edge as
 * a group with its id, class and data attributes (`data`, by id), in the
 * order Graphviz lists them. `title` is the SVG's accessible name (role img).
 */
export function writeLayoutSvg(layout: XdotLayout, options: { title?: string; data?: DataAttributes; stable?: StableDot } = {}): string {
  const bb = layout.bb.split(',').map(Number);
  if (bb.length !== 4 || bb.some((v) => !Number.isFinite(v))) throw new DownhillError(`graph layout: a bounding box "${layout.bb}" is not four numbers`);
  const [llx, lly, urx, ury] = bb as [number, number, number, number];
  const w = Math.round(urx - llx + 2 * PAD), h = Math.round(ury - lly + 2 * PAD);
  const data = options.data ?? new Map();
  const stable = options.stable;
  // subgraphs come first among the objects: a cluster draws its box, a rank (rank=same) nothing
  const subgraphs = (layout.objects ?? []).slice(0, layout._subgraph_cnt ?? 0);
  const nodes = (layout.objects ?? []).slice(layout._subgraph_cnt ?? 0);
  const name = options.title === undefined ? '' : ` role="img"${attr('aria-label', options.title)}`;
  // the graph's background covers the margin too, as in Graphviz's own SVG
  const margin: readonly (readonly [number, number])[] = [[llx - PAD, lly - PAD], [llx - PAD, ury + PAD], [urx + PAD, ury + PAD], [urx + PAD, lly - PAD]];
  const background = layout._draw_?.map((o): XdotOp => (o.op === 'P' ? { op: 'P', points: margin } : o));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}pt" height="${h}pt" viewBox="0 0 ${w} ${h}"${name}>\n`,
    `<g${attr('id', layout.id === undefined || stable === undefined ? layout.id : restoredText(layout.id, stable))} class="graph" transform="translate(${num(PAD - llx)} ${num(ury + PAD)})">\n`,
    ...[background, layout._ldraw_].flatMap((ops) => drawOps(ops ?? [], 'the graph').map((line) => `${stable === undefined ? line : restoredText(line, stable)}\n`)),
    ...subgraphs.map((o) => group(o, 'cluster', data, stable)),
    ...nodes.map((o) => group(o, 'node', data, stable)),
    ...(layout.edges ?? []).map((o) => group(o, 'edge', data, stable)),
    '</g>\n</svg>\n',
  ].join('');
}
