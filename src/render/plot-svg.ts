/**
 * A vega view drawn as an SVG string by vega's own string renderer, set up
 * for pages: the ids it gives (clip paths, gradients) are named by the plot
 * (`prefix`) and numbered in the order it draws them, and the numbers of
 * geometric attributes are written to 2 decimals (a hundredth of a pixel:
 * smaller files, the same picture). Both happen as vega writes each element,
 * never by editing the SVG it wrote.
 *
 *   attribute                               written as
 *   d, transform, x, y, x1, x2, y1, y2,     each number rounded to 2 decimals, as JavaScript prints it (no -0)
 *   width, height
 *   a clip path's id (a clipped mark's      <prefix>-c0, <prefix>-c1, … (vega's own: clip1, clip2, … counted over all plots drawn)
 *   or a clipped group item's)
 *   a gradient's id                         <prefix>-g0, …              (vega's own: gradient_0, …)
 *
 *   await plotSvg(vega, view, 'dh2b1f0c9a4e')   // '<svg xmlns="http://www.w3.org/2000/svg" … clip-path="url(#dh2b1f0c9a4e-c0)" …'
 */
import { DownhillError } from '../errors.ts';

/**
 * What this file uses of a vega View: public methods, and the view's size
 * after autosize (`_viewWidth`, `_viewHeight`), which vega's own toSVG reads
 * (vega-view's render-size.js) and which has no public getter (`width()` is
 * the plot's width before autosize adds the axes).
 */
interface PlotView {
  runAsync(): Promise<unknown>;
  readonly _viewWidth: number;
  readonly _viewHeight: number;
  padding(): { left: number; right: number; top: number; bottom: number };
  origin(): [number, number];
  background(): string | undefined;
  loader(): unknown;
  scenegraph(): { root: unknown };
}

/** vega's SVG string renderer (vega-scenegraph's SVGStringRenderer, re-exported by vega): the methods this file calls or extends. */
interface StringRenderer {
  initialize(el: null, width: number, height: number, origin: [number, number], scaleFactor: number): StringRenderer;
  background(colour: string | undefined): StringRenderer;
  renderAsync(scene: unknown): Promise<StringRenderer>;
  svg(): string;
  mark(m: unknown, scene: MarkScene): unknown;
  attr(scene: unknown, item: Record<string, unknown>, attrs: unknown, tag: string | null): Record<string, unknown>;
}
type StringRendererClass = new (loader: unknown) => StringRenderer;
interface MarkScene { clip?: unknown; clip_id?: string }

/** The attributes whose numbers are rounded: positions, sizes, paths and transforms. */
const GEOMETRY = ['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height'] as const;

/** A number to 2 decimals, as JavaScript prints it; -0 is 0. */
function round2(x: number): number {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}

/** An attribute's value with its numbers rounded: a number, or the numbers with a decimal point in a text (a path, a transform). */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return round2(value);
  if (typeof value !== 'string') return value;
  return value.replace(/-?\d*\.\d+(?:e-?\d+)?/g, (n) => String(round2(Number(n))));
}

/** vega's string renderer, extended to name ids by the plot and round geometry as each element is written. */
function pageRenderer(Base: StringRendererClass, loader: unknown, prefix: string): StringRenderer {
  let clips = 0, gradients = 0;
  class PageSvgRenderer extends Base {
    override mark(m: unknown, scene: MarkScene): unknown {
      // vega names a clip path once per mark (scene.clip_id) when it first draws it
      if (scene.clip && scene.clip_id === undefined) scene.clip_id = `${prefix}-c${clips++}`;
      return super.mark(m, scene);
    }

    override attr(scene: unknown, item: Record<string, unknown>, attrs: unknown, tag: string | null): Record<string, unknown> {
      // and once per clipped group item (item.clip_id), when the group's own attributes are first written (vega-scenegraph's marks/group.js)
      if ((scene as { marktype?: string }).marktype === 'group' && item['clip'] && item['clip_id'] === undefined) item['clip_id'] = `${prefix}-c${clips++}`;
      // and a gradient once per gradient value (its id), when a fill or stroke first uses it
      for (const key of ['fill', 'stroke']) {
        const g = item[key] as { gradient?: unknown; id?: string } | null | undefined;
        if (typeof g === 'object' && g !== null && g.gradient !== undefined && g.id === undefined) g.id = `${prefix}-g${gradients++}`;
      }
      const object = super.attr(scene, item, attrs, tag);
      for (const name of GEOMETRY) if (object[name] !== undefined && object[name] !== null) object[name] = rounded(object[name]);
      return object;
    }
  }
  return new PageSvgRenderer(loader);
}

/**
 * A view drawn: vega's SVG, its size, and where its plotting area starts in
 * it, in pixels from the SVG's top left: the renderer's origin (the view's
 * padding and origin) plus the root group's place (its item's x and y, as
 * the renderer writes them: to 2 decimals). Something drawn over the plot
 * (plot.ts: a contour plot's paths) is placed beside vega's SVG by these
 * numbers, never by reading the SVG.
 */
export interface DrawnView {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  readonly area: { readonly x: number; readonly y: number };
}

/**
 * The view drawn as an SVG string, at the size and origin vega's own
 * `view.toSVG()` gives it (the view's size and its padding, its origin), by
 * vega's string renderer set up for pages (see the top of this file), with
 * its size and the place of its plotting area (DrawnView).
 */
export async function plotSvg(vega: { SVGStringRenderer: unknown }, view: PlotView, prefix: string): Promise<DrawnView> {
  await view.runAsync();
  const pad = view.padding();
  if (!Number.isFinite(view._viewWidth) || !Number.isFinite(view._viewHeight)) throw new DownhillError('plot: this vega does not give its view size (_viewWidth, _viewHeight)');
  const width = Math.max(0, view._viewWidth + pad.left + pad.right);
  const height = Math.max(0, view._viewHeight + pad.top + pad.bottom);
  const [ox, oy] = view.origin();
  const origin: [number, number] = [pad.left + ox, pad.top + oy];
  const renderer = pageRenderer(vega.SVGStringRenderer as StringRendererClass, view.loader(), prefix);
  renderer.initialize(null, width, height, origin, 1).background(view.background());
  const root = view.scenegraph().root as { items?: readonly { x?: number; y?: number }[] };
  await renderer.renderAsync(root);
  // The root group item's translate, as attr() writes it (vega: translate(x || 0, y || 0); attr() rounds it: round2).
  const item = root.items?.[0];
  if (item === undefined) throw new DownhillError('plot: vega drew no root group (nothing to place a plotting area by)');
  const area = { x: origin[0] + round2(item.x || 0), y: origin[1] + round2(item.y || 0) };
  return { svg: renderer.svg(), width, height, area };
}
