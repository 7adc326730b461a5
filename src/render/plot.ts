/**
 * Plots as self-contained SVG strings, rendered on the server with vega-lite
 * (the spec) and vega (the renderer, headless).
 *
 * Promises every plot keeps:
 * - no NaN or ±Infinity reaches vega: such points (and points ≤ 0 on a log
 *   axis) are dropped, and the plot says so in its subtitle;
 * - the same input gives the same SVG, byte for byte;
 * - no external resources: the SVG's internal ids (clip paths, gradients) are
 *   named after a hash of the plot's spec and data as vega writes them
 *   (plot-svg.ts), so several plots can be inlined in one page without
 *   clashing.
 */
import type { TopLevelSpec } from 'vega-lite';
import { arrayOf, checkArg, checkFields, checkOneOf, checkOptions, DownhillError, ensure, FUNCTION, kindOf, NUMBER, NUMBERS, objectWith, optional, RANGE, TEXT, type Accepts } from '../errors.ts';
import { sha256HexAsync } from '../hash.ts';
import { formatCell } from '../expr/number.ts';
import { lazy } from './lazy.ts';
import { CONTOUR_PATH_COLOURS, INK, rampRgb, ROLE, SERIES_COLOURS, VIRIDIS_COLOURS, type Role } from './palette.ts';
import { pngDataUri } from './pixels.ts';
import { escapeHtml } from './page-html.ts';
import { plotSvg, type DrawnView } from './plot-svg.ts';

/** A point `[x, y]`. */
export type Point = readonly [number, number];

/** A named polyline, drawn in the order given (not sorted by x). */
export interface Series {
  readonly name: string;
  readonly points: readonly Point[];
  /** What the line shows, drawn in that role's colour (palette.ts): 'grad' for a derivative, 'loss' for a loss. Others take the next colour free. */
  readonly role?: Role;
}

/** Each series' colour: its role's, or else the first of SERIES_COLOURS that no other series has. */
export function seriesColours(series: readonly { readonly role?: Role }[]): string[] {
  const taken = new Set(series.flatMap((s) => (s.role === undefined ? [] : [ROLE[s.role].strong])));
  const free = SERIES_COLOURS.filter((c) => !taken.has(c));
  let k = 0;
  return series.map((s) => (s.role === undefined ? free[k++ % free.length]! : ROLE[s.role].strong));
}

/** Options every plot accepts. */
export interface PlotOptions {
  /** A title above the plot. */
  readonly title?: string;
  /** Width of the plotting area in pixels (axes and legend come on top). */
  readonly width?: number;
  /** Height of the plotting area in pixels. */
  readonly height?: number;
}

/** Options of `linePlot`. */
export interface LinePlotOptions extends PlotOptions {
  readonly series: readonly Series[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  /** Draw a dot at every point as well as the line (default false). */
  readonly points?: boolean;
}

/** A group of points of one category (one class of a data set). */
export interface Category {
  readonly name: string;
  readonly points: readonly Point[];
}

/**
 * A background computed on a grid over the plotted area: either a
 * probability in [0, 1] (a shaded map, e.g. P(class 1 | x, y)) or a category
 * name (regions coloured like the points of that category).
 */
export type Background =
  | { readonly kind: 'probability'; readonly f: (x: number, y: number) => number; readonly label?: string }
  | { readonly kind: 'class'; readonly f: (x: number, y: number) => string };

/** Options of `scatterPlot`. */
export interface ScatterPlotOptions extends PlotOptions {
  readonly categories: readonly Category[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Domain of the x axis (default: the extent of the points, padded by 10 %). */
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  /** A heat map under the points, e.g. a classifier's decision regions. */
  readonly background?: Background;
  /** Cells per side of the background grid (default 40). */
  readonly gridSize?: number;
  /**
   * Lines drawn over the points, e.g. a decision boundary; or a function giving them, called when the plot is
   * drawn (a boundary found by search, with the background's map: work a live page may do after showing its numbers).
   */
  readonly lines?: readonly Series[] | (() => readonly Series[]);
}

/** Options of `contourPlot`. */
export interface ContourPlotOptions extends PlotOptions {
  /** The function to map, typically a loss over two parameters. */
  readonly f: (x: number, y: number) => number;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  /** Descent paths drawn over the map, in order, with a dot at each step. */
  readonly paths?: readonly Series[];
  /** Number of contour lines (default 10), or their exact values; 0 or [] for none. */
  readonly levels?: number | readonly number[];
  /** Colour scale of the map: 'log' needs f > 0; 'auto' (default) picks log when f > 0 spans over two decades. */
  readonly colorScale?: 'log' | 'linear' | 'auto';
  /** Cells per side of the grid (default 40). */
  readonly gridSize?: number;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Legend title for the colour (default 'f'). */
  readonly valueLabel?: string;
}

// The doors of the three plots: the options an object with the keys each
// takes, each of its kind. Values (finite, in range, distinct names) are
// checked where they are read, with the plot's own words.
const POINT_PAIR: Accepts<Point> = { what: '[x, y]', test: (v): v is Point => Array.isArray(v) && v.length === 2 };
const POINTS: Accepts<readonly Point[]> = arrayOf(POINT_PAIR, 'an array of points [x, y]');
const NAMED_POINTS: Accepts<Series> = { what: '{ name, points: [[x, y], ...] }', test: (v): v is Series => objectWith('name', 'points').test(v) && typeof v.name === 'string' && POINTS.test(v.points) };
const SERIES: Accepts<readonly Series[]> = arrayOf(NAMED_POINTS, 'an array of series { name, points: [[x, y], ...] }');
const PLOT_OPTIONS = ['title', 'width', 'height'] as const;

/** Checks a plot's options: an object with `required`, no key outside `required` and `more`, and each key of `accepts` of its kind. */
function checkPlot(fn: string, options: unknown, required: readonly string[], more: readonly string[], accepts: Readonly<Record<string, Accepts<unknown>>>): void {
  checkArg(fn, 'options', options, objectWith(...required));
  checkOptions(fn, options, [...required, ...more, ...PLOT_OPTIONS]);
  const o = options as Record<string, unknown>;
  for (const key of ['title']) checkArg(fn, key, o[key], optional(TEXT));
  for (const key of ['width', 'height']) checkArg(fn, key, o[key], optional(NUMBER, 'a number of pixels (or nothing)'));
  checkFields(fn, options, accepts);
}

const FLAG = optional({ what: 'true or false', test: (v): v is boolean => typeof v === 'boolean' });
const GRID = optional(NUMBER, 'a number of cells (or nothing)');

const DEFAULT_WIDTH = 480;
const DEFAULT_HEIGHT = 300;
/** Colours of descent paths: visible on the viridis map and on the white legend alike (palette.ts). */
const PATH_COLOURS = [...CONTOUR_PATH_COLOURS];
/** Colours of categories (vega's tableau10), and the same mixed 75 % with white for background regions. */
const CATEGORY_COLOURS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
const REGION_COLOURS = CATEGORY_COLOURS.map((hex) => {
  const mix = (k: number): string => Math.round(parseInt(hex.slice(k, k + 2), 16) * 0.25 + 255 * 0.75).toString(16).padStart(2, '0');
  return `#${mix(1)}${mix(3)}${mix(5)}`;
});
const REGION_RGB = REGION_COLOURS.map((hex) => rampRgb([hex], 0));
/** Background for probabilities: light blue (0), white (0.5), light orange (1), so points stay readable. */
const PROBABILITY_COLOURS = ['#8eb3d6', '#f7f7f7', '#f7b77c'];
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Counts what was dropped so that the plot can say so. */
class Dropped {
  private readonly notes = new Map<string, number>();
  add(what: string, count = 1): void {
    if (count > 0) this.notes.set(what, (this.notes.get(what) ?? 0) + count);
  }
  /** One line such as 'omitted: 3 non-finite points of "lr = 1"', or undefined when nothing was dropped. */
  message(): string | undefined {
    if (this.notes.size === 0) return undefined;
    return 'omitted: ' + [...this.notes].map(([what, n]) => `${n} ${what}`).join('; ');
  }
}

function checkSize(options: PlotOptions, width: number, height: number): { width: number; height: number } {
  const w = options.width ?? width;
  const h = options.height ?? height;
  ensure(Number.isFinite(w) && w >= 20 && w <= 5000, () => `plot width must be between 20 and 5000 pixels, got ${w}`);
  ensure(Number.isFinite(h) && h >= 20 && h <= 5000, () => `plot height must be between 20 and 5000 pixels, got ${h}`);
  return { width: w, height: h };
}

function checkRange(name: string, range: readonly [number, number]): void {
  const [lo, hi] = range;
  ensure(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi, () => `${name} must be [low, high] with finite low < high, got [${lo}, ${hi}]`);
}

function checkNames(kind: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new DownhillError(`two ${kind} are named "${name}": names must be distinct`);
    seen.add(name);
  }
}

/** Whether a point can be drawn: finite, and positive on a log axis. Counts the others in `dropped`. */
function keepPoint(p: Point, owner: string, logX: boolean, logY: boolean, dropped: Dropped): boolean {
  const [x, y] = p;
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    dropped.add(`non-finite point(s) of "${owner}"`);
    return false;
  }
  if ((logX && x <= 0) || (logY && y <= 0)) {
    dropped.add(`point(s) ≤ 0 on a log axis of "${owner}"`);
    return false;
  }
  return true;
}

/** Title block: the title, plus a subtitle that reports dropped points (the note alone, in plain type, when there is no title). */
function titleOf(
  title: string | undefined,
  dropped: Dropped,
): { title?: { text: string; subtitle?: string; anchor: 'start'; fontSize?: number; fontWeight?: 'normal' } } {
  const note = dropped.message();
  if (title === undefined) {
    return note === undefined ? {} : { title: { text: note, anchor: 'start', fontSize: 12, fontWeight: 'normal' } };
  }
  return { title: { text: title, anchor: 'start', ...(note === undefined ? {} : { subtitle: note }) } };
}

/** A row of the data table fed to vega-lite. */
type Row = Record<string, number | string>;

/** Axis and legend text at 12 px (vega-lite's defaults, 10 and 11 px, are small on a page), in the page's ink; a spec's own settings win. */
const readableText = { labelFontSize: 12, titleFontSize: 12, labelColor: INK.muted, titleColor: INK.text, labelFont: 'system-ui, sans-serif', titleFont: 'system-ui, sans-serif' } as const;

/** The site's look (palette.ts): series in the roles' order (the loss first), quiet grid and axes, the page's fonts. */
function withReadableText(spec: TopLevelSpec): TopLevelSpec {
  const config = spec.config ?? {};
  return {
    ...spec,
    config: {
      ...config,
      font: 'system-ui, sans-serif',
      range: { category: [...SERIES_COLOURS], ...config.range },
      title: { color: INK.text, subtitleColor: INK.muted, font: 'system-ui, sans-serif', fontWeight: 600, ...config.title },
      view: { stroke: null, ...config.view },
      axis: { ...readableText, domainColor: INK.line, tickColor: INK.line, gridColor: '#e6e6ea', ...config.axis },
      legend: { ...readableText, ...config.legend },
    },
  } as TopLevelSpec;
}

/*
 * The exported functions take a vega-lite spec as `object`, not vega-lite's
 * TopLevelSpec: this file's .d.ts is reached from index.d.ts, and vega-lite's
 * own .d.ts files do not type-check under every user's settings (`tsc --init`'s
 * exactOptionalPropertyTypes with skipLibCheck off: TS2320 in axis.d.ts).
 */

/**
 * Renders a vega-lite spec (vega-lite's TopLevelSpec) to SVG, with `overlay` drawn over its plotting area
 * (overlaid). Internal ids are named after a hash of the spec and its data as vega writes them (plot-svg.ts),
 * so the output is deterministic and ids do not clash between plots inlined in one page; any reference to
 * an outside resource is an error.
 */
export function renderSpec(spec: object, overlay?: PlotOverlay): Promise<string> {
  return plotRenderer.render(spec, overlay);
}

/**
 * What is drawn over a plot outside its spec (a contour plot's descent paths): SVG in the plotting
 * area's pixels (x from 0 to width, y from 0 at the top to height), clipped to that area.
 */
export interface PlotOverlay {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/**
 * vega's drawing of a spec: its SVG (vega's bytes, as plot-svg.ts writes them), its size, where its
 * plotting area starts (plot-svg.ts's DrawnView), and its accessible name (plotName).
 */
export interface VegaPlot extends DrawnView {
  readonly name: string;
}

/**
 * A plot with `overlay` drawn over its plotting area, composed beside vega's SVG, which is kept as
 * it is (never read or edited): an outer SVG of the same size, named like the plot (role img), that
 * holds vega's SVG and, over it, the overlay moved to the plotting area (`plot.area`, given by the
 * renderer) in a nested SVG of the area's size, which clips it (no id to clash). No overlay: vega's SVG.
 *
 *   overlaid(plot, { svg: '<path d="M0,0L10,10"/>', width: 420, height: 360 })
 *   // '<svg … role="img" aria-label="plot of b against w"><svg … class="marks" …>…</svg><g transform="translate(67,11)" aria-hidden="true"><svg width="420" …'
 */
export function overlaid(plot: VegaPlot, overlay?: PlotOverlay): string {
  if (overlay === undefined) return plot.svg;
  const { width, height, area } = plot;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(plot.name)}">`
    + plot.svg
    + `<g transform="translate(${area.x},${area.y})" aria-hidden="true"><svg width="${overlay.width}" height="${overlay.height}" overflow="hidden">${overlay.svg}</svg></g></svg>`;
}

/** How a spec becomes vega's drawing (VegaPlot). */
export type VegaDraw = (spec: object) => Promise<VegaPlot>;
/** How a plot's spec becomes SVG, with what is drawn over it outside the spec (overlaid). */
export type PlotDraw = (spec: object, overlay?: PlotOverlay) => Promise<string>;
/**
 * A host's way of leaving a plot for later: given the work that makes it (its data, its spec, its drawing) and
 * its plotting area's size, the SVG to show meanwhile (a placeholder: the host does `make` afterwards), or
 * undefined to make it now. Offered for a scatter plot with a background (a map computed from a function).
 */
export type PlotLater = (make: () => Promise<string>, size: readonly [number, number]) => Promise<string> | undefined;

/**
 * How every plot's spec (a vega-lite TopLevelSpec) becomes SVG: `vega` draws the spec, `render` draws
 * the plot, by default vega's drawing with its overlay composed beside it (overlaid). A host may give
 * its own `render` around `vega` (the live site's worker keeps vega's drawing of each spec it drew and
 * composes each call's overlay with it, and answers before vega has loaded: src/live.ts's useRenderers).
 */
export const plotRenderer: { readonly vega: VegaDraw; render: PlotDraw; later?: PlotLater } = {
  vega: (spec) => vegaPlot(spec),
  render: async (spec, overlay) => overlaid(await plotRenderer.vega(spec), overlay),
};

/**
 * A spec with its inline data named instead (`data: { values }` becomes `data: { name: 'dhN' }`, here
 * and in each layer), and the data by name; and each scale domain that lists names for no legend (a single
 * series named after a setting, 'loss (η = 0.5)') given as a signal (`{ signal: 'dhdN' }`), its names
 * by signal: the spec's structure, the same for a plot redrawn with new numbers or new series names.
 */
function namedData(spec: object): { structure: object; datasets: [string, unknown[]][]; domains: [string, string[]][] } {
  const datasets: [string, unknown[]][] = [];
  const domains: [string, string[]][] = [];
  const named = (channel: unknown): unknown => {
    const scale = (channel as { scale?: { domain?: unknown } } | undefined)?.scale;
    const domain = scale?.domain;
    // (Only a scale without a legend: vega draws a legend of a signal's domain otherwise than of a list's.)
    if ((channel as { legend?: unknown }).legend !== null || !Array.isArray(domain) || domain.length === 0 || !domain.every((d) => typeof d === 'string')) return channel;
    const signal = `dhd${domains.length}`;
    domains.push([signal, domain as string[]]);
    return { ...(channel as object), scale: { ...scale, domain: { signal } } };
  };
  const name = (part: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...part };
    const data = part.data as { values?: unknown } | undefined;
    if (data !== undefined && Array.isArray(data.values)) {
      out.data = { name: `dh${datasets.length}` };
      datasets.push([`dh${datasets.length}`, data.values]);
    }
    const encoding = part.encoding as Record<string, unknown> | undefined;
    if (encoding !== undefined && typeof encoding === 'object') out.encoding = Object.fromEntries(Object.entries(encoding).map(([k, v]) => [k, named(v)]));
    if (Array.isArray(part.layer)) out.layer = part.layer.map((l: Record<string, unknown>) => name(l));
    return out;
  };
  return { structure: name(spec as Record<string, unknown>), datasets, domains };
}

/**
 * vega's parsed dataflow of each spec structure (namedData), compiled by vega-lite and parsed by vega once:
 * those two steps take most of a small plot's time, and a lesson rerun draws the same plots with new
 * numbers. The same SVG as compiling the spec with its data and domains inline (test/plot.test.ts). Emptied when full.
 */
const parsedPlots = new Map<string, object>();

async function vegaPlot(spec: object): Promise<VegaPlot> {
  // vega and vega-lite (hundreds of modules) load on the first plot, not with the package.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const { structure, datasets, domains } = namedData(withReadableText(spec as TopLevelSpec));
  const key = JSON.stringify(structure);
  let runtime = parsedPlots.get(key);
  if (runtime === undefined) {
    if (parsedPlots.size >= 200) parsedPlots.clear();
    // Warnings go nowhere (the specs here are built to be valid); errors still throw.
    const { spec: vgSpec } = compile(structure as TopLevelSpec, { logger: vega.logger(vega.Error) });
    // The domains' signals, set for each drawing below.
    const signals = [...(vgSpec.signals ?? []), ...domains.map(([name]) => ({ name, value: [] as string[] }))];
    runtime = vega.parse(named({ ...vgSpec, signals }, plotName(spec)));
    parsedPlots.set(key, runtime);
  }
  const view = new vega.View(runtime as ReturnType<typeof vega.parse>, { renderer: 'none', logLevel: vega.Error });
  for (const [name, values] of domains) view.signal(name, [...values]);
  // Copies of the rows: vega marks the rows it is given.
  for (const [name, values] of datasets) view.data(name, values.map((row) => (typeof row === 'object' && row !== null ? { ...row } : row)) as object[]);
  try {
    // ids named after the plot's spec, data and domains: the same plot, the same ids; another plot, others
    const prefix = `dh${(await sha256HexAsync(`${key}\n${JSON.stringify(datasets)}\n${JSON.stringify(domains)}`)).slice(0, 10)}`;
    const drawn = await plotSvg(vega as unknown as { SVGStringRenderer: unknown }, view as never, prefix);
    checkedSvg(drawn.svg);
    return { ...drawn, name: plotName(spec) };
  } finally {
    view.finalize();
  }
}

/**
 * A plot's accessible name, "plot of <y> against <x>" from its axes' titles: the SVG is one image to a
 * screen reader (role="img"), not hundreds of marks; the figure's caption says the rest.
 */
function plotName(spec: object): string {
  type Enc = { x?: { title?: unknown }; y?: { title?: unknown } };
  const s = spec as { encoding?: Enc; layer?: { encoding?: Enc }[] };
  const enc = s.encoding ?? s.layer?.find((l) => l.encoding?.x !== undefined)?.encoding;
  const x = enc?.x?.title;
  const y = enc?.y?.title;
  return typeof x === 'string' && typeof y === 'string' && x !== '' && y !== '' ? `plot of ${y} against ${x}` : typeof x === 'string' && x !== '' ? `plot over ${x}` : 'plot';
}

/**
 * The vega spec with its accessible name: the root group, which holds every
 * mark, is one image (role img) named `name`, so vega writes
 * `<g aria-label="plot of L against step" role="img" …>` itself and a
 * screen reader announces one image, not hundreds of marks.
 */
function named<T extends { encode?: Record<string, unknown> }>(vgSpec: T, name: string): T {
  const encode = vgSpec.encode ?? {};
  const update = (encode['update'] ?? {}) as Record<string, unknown>;
  return { ...vgSpec, encode: { ...encode, update: { ...update, description: { value: name }, ariaRole: { value: 'img' }, ariaRoleDescription: { value: 'plot' } } } };
}

/** A plot's SVG refers to nothing outside itself: a background map is a PNG inside it (a data URI), ids are its own. */
function checkedSvg(svg: string): void {
  const external = svg.match(/(?:href|src)="(?!#|data:image\/png;base64,[A-Za-z0-9+/=]*")[^"]*"|url\((?!#)[^)]*\)|@import/);
  if (external) throw new DownhillError(`plot SVG refers to an external resource: ${external[0]}`);
}

/**
 * A line plot of one or more named series, points joined in the order given
 * (so a path that turns back is drawn as such). Tangent lines, targets, etc.
 * are just more series.
 *
 * Syntax:
 *   await linePlot({ series, xLabel, yLabel })
 *   await linePlot({ series, xLabel, yLabel, title, logX, logY, width, height, points })
 *
 * Examples:
 *   const svg = await linePlot({
 *     series: [{ name: 'loss', points: [[0, 2.3], [1, 1.1], [2, 0.6]] }],
 *     xLabel: 'step', yLabel: 'loss', logY: true,
 *   })
 *   // returns '<svg xmlns="http://www.w3.org/2000/svg" … </svg>'
 *
 * See also: scatterPlot, contourPlot
 */
export function linePlot(options: LinePlotOptions): Promise<string> {
  checkPlot('linePlot', options, ['series', 'xLabel', 'yLabel'], ['logX', 'logY', 'points'], {
    series: SERIES, xLabel: TEXT, yLabel: TEXT, logX: FLAG, logY: FLAG, points: FLAG,
  });
  return lazy(() => linePlotNow(options));
}

async function linePlotNow(options: LinePlotOptions): Promise<string> {
  ensure(options.series.length > 0, 'linePlot: give at least one series');
  checkNames('series', options.series.map((s) => s.name));
  const size = checkSize(options, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  const logX = options.logX ?? false;
  const logY = options.logY ?? false;
  const dropped = new Dropped();
  const values: Row[] = [];
  for (const s of options.series) {
    s.points.forEach((p, i) => {
      if (keepPoint(p, s.name, logX, logY, dropped)) values.push({ series: s.name, i, x: p[0], y: p[1] });
    });
  }
  ensure(values.length > 0, () => `linePlot: nothing to draw: every point of ${options.series.map((s) => `"${s.name}"`).join(', ')} is missing, not finite${logX || logY ? ', or not positive on a log axis' : ''}`);
  const names = options.series.map((s) => s.name);
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    ...size,
    ...titleOf(options.title, dropped),
    data: { values },
    mark: { type: 'line', point: options.points ?? false, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xLabel, scale: logX ? { type: 'log' } : { zero: false } },
      y: { field: 'y', type: 'quantitative', title: options.yLabel, scale: logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: names, range: seriesColours(options.series) }, legend: names.length > 1 ? {} : null },
      order: { field: 'i', type: 'quantitative' },
    },
  };
  return renderSpec(spec);
}

/** `n` cell edges from lo to hi, inclusive. */
function edges(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, k) => (k === n ? hi : lo + ((hi - lo) * k) / n));
}

type Scale = { domain: number[]; nice: boolean; zero: boolean };
/** The fill channel of a layer. */
type Fill = NonNullable<NonNullable<Extract<TopLevelLayer, { encoding?: unknown }>['encoding']>['fill']>;
type Rgb = readonly [number, number, number];

/**
 * The background of a scatter or contour plot: a map of grid cells as one
 * raster image (a PNG data URI, one pixel per cell, drawn over the plotted
 * area and smoothed by the viewer), not a rectangle per cell: a 40 × 40 grid
 * is 1,600 marks for vega to lay out and 200 KB of SVG, the image 7 KB.
 * `colour(i, j)` is cell (i, j)'s colour (x cell i from the left, y cell j
 * from the bottom), undefined where nothing is drawn (transparent). With a
 * `legend`, a layer of two invisible points carries the fill scale, so that
 * vega draws its legend (the image's colours come from the same ramp:
 * palette.ts's rampRgb).
 */
function mapLayers(
  gridSize: number, colour: (i: number, j: number) => Rgb | undefined, xTitle: string, yTitle: string, xScale: Scale, yScale: Scale,
  legend?: { readonly values: readonly number[]; readonly fill: Fill },
): TopLevelLayer[] {
  const rgba = new Uint8Array(gridSize * gridSize * 4);
  for (let row = 0; row < gridSize; row++) {
    for (let i = 0; i < gridSize; i++) {
      const c = colour(i, gridSize - 1 - row); // the image's top row is the highest y
      if (c !== undefined) rgba.set([c[0], c[1], c[2], 255], 4 * (row * gridSize + i));
    }
  }
  const image: TopLevelLayer = {
    data: { values: [{ x0: xScale.domain[0]!, x1: xScale.domain[1]!, y0: yScale.domain[0]!, y1: yScale.domain[1]!, url: pngDataUri(gridSize, gridSize, rgba, true) }] },
    mark: { type: 'image', aspect: false, clip: true, aria: false },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: xTitle, scale: xScale },
      x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative', title: yTitle, scale: yScale },
      y2: { field: 'y1' },
      url: { field: 'url', type: 'nominal' },
    },
  };
  if (legend === undefined) return [image];
  return [image, {
    data: { values: legend.values.map((v) => ({ v })) },
    mark: { type: 'point', opacity: 0, aria: false },
    encoding: { fill: legend.fill },
  }];
}

/** The drawable points of named polylines as rows { [field]: name, i, x, y }; the others are counted in `dropped`. */
function polylineRows(lines: readonly { readonly name: string; readonly points: readonly Point[] }[], field: string, dropped: Dropped): Row[] {
  const values: Row[] = [];
  for (const l of lines) {
    l.points.forEach((p, i) => {
      if (keepPoint(p, l.name, false, false, dropped)) values.push({ [field]: l.name, i, x: p[0], y: p[1] });
    });
  }
  return values;
}

/** A spec of layers over shared axes, with the title (and the dropped-points note); `grid: false` where a background map would show grid lines through. */
function layeredSpec(size: ReturnType<typeof checkSize>, title: string | undefined, dropped: Dropped, layers: TopLevelLayer[], grid: boolean): TopLevelSpec {
  return {
    $schema: SCHEMA,
    ...size,
    ...titleOf(title, dropped),
    layer: layers,
    ...(grid ? {} : { config: { axis: { grid: false } } }),
  };
}

function checkGrid(gridSize: number): void {
  ensure(Number.isInteger(gridSize) && gridSize >= 2 && gridSize <= 200, () => `gridSize must be an integer from 2 to 200, got ${gridSize}`);
}

/** The extent of the points, padded by 10 % (or ±1 around a single value). */
function paddedExtent(values: readonly number[]): [number, number] {
  if (values.length === 0) return [-1, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.1;
  return [lo - pad, hi + pad];
}

/**
 * A scatter plot of points in categories (classes of a data set), optionally
 * over a background grid: the probability a model gives (a shaded map from 0
 * to 1) or the class it predicts (regions coloured like the points).
 *
 * Syntax:
 *   await scatterPlot({ categories, xLabel, yLabel })
 *   await scatterPlot({ categories, xLabel, yLabel, background, xRange, yRange, gridSize, lines, title })
 *
 * Examples:
 *   const svg = await scatterPlot({
 *     categories: [{ name: 'class 0', points: [[0, 0]] }, { name: 'class 1', points: [[1, 1]] }],
 *     xLabel: 'x₁', yLabel: 'x₂',
 *     background: { kind: 'probability', f: (x, y) => 1 / (1 + Math.exp(-(x + y - 1))), label: 'P(class 1)' },
 *   })
 *
 * See also: linePlot, contourPlot
 */
export function scatterPlot(options: ScatterPlotOptions): Promise<string> {
  checkPlot('scatterPlot', options, ['categories', 'xLabel', 'yLabel'], ['xRange', 'yRange', 'background', 'gridSize', 'lines'], {
    categories: arrayOf(NAMED_POINTS, 'an array of categories { name, points: [[x, y], ...] }'), xLabel: TEXT, yLabel: TEXT,
    xRange: optional(RANGE), yRange: optional(RANGE), gridSize: GRID, lines: optional({ what: `${SERIES.what}, or a function giving one`, test: (v): v is unknown => typeof v === 'function' || SERIES.test(v) }),
    background: optional({ ...kindOf<Background>("a background { kind: 'probability' or 'class', f(x, y) }", ['probability', 'class']), test: (v): v is Background => kindOf<Background>('', ['probability', 'class']).test(v) && typeof v.f === 'function' }),
  });
  // A map computed from a function (and lines from one) has no input to key it by but its drawing: a host may draw it later.
  const later = options.background === undefined ? undefined : plotRenderer.later;
  return lazy(() => later?.(() => scatterPlotNow(options), [options.width ?? 400, options.height ?? 400]) ?? scatterPlotNow(options));
}

async function scatterPlotNow(options: ScatterPlotOptions): Promise<string> {
  ensure(options.categories.length > 0, 'scatterPlot: give at least one category');
  const names = options.categories.map((c) => c.name);
  checkNames('categories', names);
  const lines = typeof options.lines === 'function' ? options.lines() : options.lines ?? [];
  if (typeof options.lines === 'function') checkArg('scatterPlot', 'lines()', lines, SERIES);
  checkNames('lines', lines.map((l) => l.name));
  const size = checkSize(options, 400, 400);
  const gridSize = options.gridSize ?? 40;
  checkGrid(gridSize);
  const dropped = new Dropped();

  const points: Row[] = [];
  for (const c of options.categories) {
    for (const p of c.points) {
      if (keepPoint(p, c.name, false, false, dropped)) points.push({ category: c.name, x: p[0], y: p[1] });
    }
  }
  const xRange = options.xRange ?? paddedExtent(points.map((p) => p.x as number));
  const yRange = options.yRange ?? paddedExtent(points.map((p) => p.y as number));
  checkRange('xRange', xRange);
  checkRange('yRange', yRange);
  const xScale = { domain: [xRange[0], xRange[1]], nice: false, zero: false };
  const yScale = { domain: [yRange[0], yRange[1]], nice: false, zero: false };
  const x = { field: 'x', type: 'quantitative', title: options.xLabel, scale: xScale } as const;
  const y = { field: 'y', type: 'quantitative', title: options.yLabel, scale: yScale } as const;

  const layers: TopLevelLayer[] = [];
  const bg = options.background;
  if (bg !== undefined) {
    const xs = edges(xRange[0], xRange[1], gridSize);
    const ys = edges(yRange[0], yRange[1], gridSize);
    // Each cell's colour, from f at its centre: a probability on the blue–white–orange ramp, a class in its region colour.
    const colours: (Rgb | undefined)[][] = [];
    for (let i = 0; i < gridSize; i++) {
      const column: (Rgb | undefined)[] = [];
      for (let j = 0; j < gridSize; j++) {
        const cx = ((xs[i] ?? 0) + (xs[i + 1] ?? 0)) / 2, cy = ((ys[j] ?? 0) + (ys[j + 1] ?? 0)) / 2;
        if (bg.kind === 'probability') {
          const v = bg.f(cx, cy);
          if (!Number.isFinite(v)) {
            dropped.add('background cell(s) where the probability is not finite');
            column.push(undefined);
            continue;
          }
          ensure(v >= -1e-9 && v <= 1 + 1e-9, () => `scatterPlot: background probability must lie in [0, 1], got ${v} at (${cx}, ${cy})`);
          column.push(rampRgb(PROBABILITY_COLOURS, v));
        } else {
          const v = bg.f(cx, cy);
          const k = names.indexOf(v);
          ensure(k >= 0, () => `scatterPlot: background class "${v}" at (${cx}, ${cy}) is not one of the categories`);
          column.push(REGION_RGB[k % REGION_RGB.length]);
        }
      }
      colours.push(column);
    }
    layers.push(...mapLayers(gridSize, (i, j) => colours[i]![j], options.xLabel, options.yLabel, xScale, yScale, bg.kind === 'probability'
      // The legend's ramp mixed in RGB, as the image's is (vega-lite's default mixes in HCL).
      ? { values: [0, 1], fill: { field: 'v', type: 'quantitative', title: bg.label ?? 'probability', scale: { domain: [0, 0.5, 1], range: PROBABILITY_COLOURS, interpolate: 'rgb' } } }
      : undefined));
  }

  layers.push({
    data: { values: points },
    mark: { type: 'point', filled: true, size: 40, opacity: 0.9, stroke: 'white', strokeWidth: 0.5, clip: true },
    encoding: {
      x,
      y,
      color: { field: 'category', type: 'nominal', title: null, scale: { domain: names, range: CATEGORY_COLOURS } },
      shape: { field: 'category', type: 'nominal', title: null, scale: { domain: names } },
    },
  });

  if (lines.length > 0) {
    const values = polylineRows(lines, 'line', dropped);
    layers.push({
      data: { values },
      mark: { type: 'line', color: '#222', strokeWidth: 2, clip: true },
      encoding: {
        x,
        y,
        detail: { field: 'line', type: 'nominal' },
        strokeDash: { field: 'line', type: 'nominal', title: null, scale: { domain: lines.map((l) => l.name) } },
        order: { field: 'i', type: 'quantitative' },
      },
    });
  }

  // Grid lines would show through the background map.
  return renderSpec(layeredSpec(size, options.title, dropped, layers, bg === undefined));
}

/** One layer of a layered spec. */
type TopLevelLayer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** A segment of a contour line. */
interface Segment {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly level: number;
}

/**
 * Marching squares: the segments where the bilinear interpolation of grid
 * values `z[i][j]` (at `xs[i]`, `ys[j]`) crosses `level`. Cells with a
 * non-finite corner are skipped. Saddle cells are split by the centre value.
 */
export function contourSegments(xs: readonly number[], ys: readonly number[], z: readonly (readonly number[])[], level: number): Segment[] {
  const out: Segment[] = [];
  const at = (i: number, j: number): number => z[i]?.[j] ?? NaN;
  // Interpolated crossing point on the edge from corner a (value va) to corner b (value vb).
  const cross = (ax: number, ay: number, va: number, bx: number, by: number, vb: number): [number, number] => {
    const t = (level - va) / (vb - va);
    return [ax + t * (bx - ax), ay + t * (by - ay)];
  };
  for (let i = 0; i + 1 < xs.length; i++) {
    for (let j = 0; j + 1 < ys.length; j++) {
      const x0 = xs[i] ?? 0, x1 = xs[i + 1] ?? 0, y0 = ys[j] ?? 0, y1 = ys[j + 1] ?? 0;
      // Corners counter-clockwise: a = (x0,y0), b = (x1,y0), c = (x1,y1), d = (x0,y1).
      const va = at(i, j), vb = at(i + 1, j), vc = at(i + 1, j + 1), vd = at(i, j + 1);
      if (![va, vb, vc, vd].every(Number.isFinite)) continue;
      const code = (va > level ? 1 : 0) | (vb > level ? 2 : 0) | (vc > level ? 4 : 0) | (vd > level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const bottom = (): [number, number] => cross(x0, y0, va, x1, y0, vb);
      const right = (): [number, number] => cross(x1, y0, vb, x1, y1, vc);
      const top = (): [number, number] => cross(x1, y1, vc, x0, y1, vd);
      const left = (): [number, number] => cross(x0, y1, vd, x0, y0, va);
      const pairs: [() => [number, number], () => [number, number]][] = [];
      switch (code) {
        case 1: case 14: pairs.push([left, bottom]); break;
        case 2: case 13: pairs.push([bottom, right]); break;
        case 3: case 12: pairs.push([left, right]); break;
        case 4: case 11: pairs.push([right, top]); break;
        case 6: case 9: pairs.push([bottom, top]); break;
        case 7: case 8: pairs.push([left, top]); break;
        case 5: case 10: {
          // Saddle: a and c on one side, b and d on the other; the centre decides which pairs connect.
          const centreAbove = (va + vb + vc + vd) / 4 > level;
          const acAbove = code === 5;
          if (centreAbove === acAbove) pairs.push([left, top], [bottom, right]);
          else pairs.push([left, bottom], [right, top]);
          break;
        }
        default:
          throw new DownhillError(`contourSegments: impossible cell code ${code}`);
      }
      for (const [p, q] of pairs) {
        const [sx, sy] = p();
        const [ex, ey] = q();
        out.push({ x0: sx, y0: sy, x1: ex, y1: ey, level });
      }
    }
  }
  return out;
}

/**
 * Joins a level's segments end to end into polylines (each drawn as one SVG
 * path, not a line per segment). Two ends meet when they are the same point
 * to 1e-9 of the plotted range: neighbouring cells compute a shared edge's
 * crossing from its two ends, equal up to rounding. A polyline that closes
 * ends where it began.
 */
export function chainSegments(segments: readonly Segment[], xRange: readonly [number, number], yRange: readonly [number, number]): Point[][] {
  const qx = (xRange[1] - xRange[0]) * 1e-9 || 1e-9;
  const qy = (yRange[1] - yRange[0]) * 1e-9 || 1e-9;
  const key = (x: number, y: number): string => `${Math.round(x / qx)},${Math.round(y / qy)}`;
  // The segments at each end point (a point is the end of at most two segments of one level).
  const at = new Map<string, number[]>();
  const ends = segments.map((s) => [key(s.x0, s.y0), key(s.x1, s.y1)] as const);
  ends.forEach(([a, b], k) => {
    for (const e of [a, b]) {
      const list = at.get(e);
      if (list === undefined) at.set(e, [k]);
      else list.push(k);
    }
  });
  const used = new Uint8Array(segments.length);
  /** Walks on from the point with key `from` (reached by segment k), appending points, until no unused segment continues. */
  const walk = (k: number, from: string, out: Point[]): void => {
    for (;;) {
      const next = at.get(from)?.find((n) => used[n] === 0);
      if (next === undefined) return;
      used[next] = 1;
      const s = segments[next]!;
      const [a] = ends[next]!;
      const forward = a === from;
      out.push(forward ? [s.x1, s.y1] : [s.x0, s.y0]);
      from = forward ? ends[next]![1] : a;
      k = next;
    }
  };
  const lines: Point[][] = [];
  segments.forEach((s, k) => {
    if (used[k] === 1) return;
    used[k] = 1;
    const ahead: Point[] = [[s.x0, s.y0], [s.x1, s.y1]];
    walk(k, ends[k]![1], ahead);
    const behind: Point[] = [];
    walk(k, ends[k]![0], behind);
    lines.push([...behind.reverse(), ...ahead]);
  });
  return lines;
}

/** `v` rounded to a millionth of `range`'s width (in decimal digits, so the spec shows no float noise). */
function fine(v: number, range: readonly [number, number]): number {
  const digits = Math.min(20, Math.max(0, 6 - Math.floor(Math.log10(range[1] - range[0]))));
  return Number(v.toFixed(digits));
}

/** Default contour levels: `n` values strictly between lo and hi, evenly spaced (geometrically on a log scale). */
function defaultLevels(lo: number, hi: number, n: number, log: boolean): number[] {
  if (n === 0 || !(hi > lo)) return [];
  return Array.from({ length: n }, (_, k) => {
    const t = (k + 1) / (n + 1);
    return log ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo);
  });
}

/**
 * A shaded map of a function of two variables (a loss surface seen from
 * above), with contour lines and descent paths drawn over it. The map is a
 * grid of cells coloured by f at each cell's centre; the colour scale is
 * logarithmic when f > 0 spans more than two decades (a valley stays
 * visible), linear otherwise. Contour lines are computed by marching squares
 * on the grid corners.
 *
 * Syntax:
 *   await contourPlot({ f, xRange, yRange })
 *   await contourPlot({ f, xRange, yRange, paths, levels, colorScale, gridSize, xLabel, yLabel, valueLabel, title })
 *
 * Examples:
 *   const svg = await contourPlot({
 *     f: (w, b) => (w - 1) ** 2 + 10 * (b + 0.5) ** 2,
 *     xRange: [-2, 3], yRange: [-2, 1],
 *     paths: [{ name: 'η = 0.05', points: [[-1.5, 0.5], [-1.25, -0.5], [-1.0, -0.5]] }],
 *     xLabel: 'w', yLabel: 'b', valueLabel: 'L',
 *   })
 *
 * See also: linePlot, scatterPlot, contourSegments
 */
export function contourPlot(options: ContourPlotOptions): Promise<string> {
  checkPlot('contourPlot', options, ['f', 'xRange', 'yRange'], ['paths', 'levels', 'colorScale', 'gridSize', 'xLabel', 'yLabel', 'valueLabel'], {
    f: FUNCTION, xRange: RANGE, yRange: RANGE, paths: optional(SERIES), gridSize: GRID,
    levels: optional({ what: 'a number of levels or an array of levels', test: (v): v is number | readonly number[] => typeof v === 'number' || NUMBERS.test(v) }),
    xLabel: optional(TEXT), yLabel: optional(TEXT), valueLabel: optional(TEXT),
  });
  if (options.colorScale !== undefined) checkOneOf('contourPlot', 'colorScale', options.colorScale, ['log', 'linear', 'auto']);
  return lazy(() => contourPlotNow(options));
}

async function contourPlotNow(options: ContourPlotOptions): Promise<string> {
  checkRange('xRange', options.xRange);
  checkRange('yRange', options.yRange);
  const gridSize = options.gridSize ?? 40;
  checkGrid(gridSize);
  const paths = options.paths ?? [];
  checkNames('paths', paths.map((p) => p.name));
  const size = checkSize(options, 420, 360);
  const dropped = new Dropped();
  const [xlo, xhi] = options.xRange;
  const [ylo, yhi] = options.yRange;

  // Values at the grid corners (for contour lines) and at the cell centres (for colour).
  const xs = edges(xlo, xhi, gridSize);
  const ys = edges(ylo, yhi, gridSize);
  const corners = xs.map((x) => ys.map((y) => options.f(x, y)));
  const centres: number[][] = [];
  for (let i = 0; i < gridSize; i++) {
    const column: number[] = [];
    for (let j = 0; j < gridSize; j++) column.push(options.f(((xs[i] ?? 0) + (xs[i + 1] ?? 0)) / 2, ((ys[j] ?? 0) + (ys[j + 1] ?? 0)) / 2));
    centres.push(column);
  }
  // The map (its colours, contour lines, axes and legend) is a function of these values and the options but the paths:
  // made once for the same values, bit for bit (a live page redraws lesson 9's valley, the same, at every new learning rate).
  const key = mapKey(options, gridSize, size, corners, centres);
  let map = contourMaps.get(key);
  if (map === undefined) {
    map = contourMap(options, gridSize, xs, ys, corners, centres);
    if (contourMaps.size >= 16) contourMaps.clear();
    contourMaps.set(key, map);
  }
  dropped.add('grid cell(s) where f is not finite', map.nonFinite);
  const { xScale, yScale } = map;
  const layers = [...map.layers];
  if (paths.length === 0) return renderSpec(layeredSpec(size, options.title, dropped, layers, false));
  // The paths are drawn over vega's plot (pathsOverlay), so that the plot without them, its map, lines, axes and legend, is the
  // same spec whatever the paths are: a host that keeps the SVG of each spec (the live site's worker) draws it once.
  // Here vega draws only each path's legend entry, from two points far outside the plotted area (clipped).
  const drawn = paths.map((p) => ({ name: p.name, points: p.points.filter((q) => keepPoint(q, p.name, false, false, dropped)) }));
  const names = paths.map((p) => p.name);
  const outside = (range: readonly [number, number]): number => range[0] - 10 * (range[1] - range[0]);
  // The same spec object for the same map, title, names and notes: a host keyed by the spec's text (the worker) writes it once.
  const specKey = `${key}\n${JSON.stringify([options.title ?? null, names, dropped.message() ?? null])}`;
  let spec = map.specs.get(specKey);
  if (spec === undefined) {
    layers.push({
      data: { values: names.flatMap((path) => [0, 1].map((i) => ({ path, i, x: outside(options.xRange), y: outside(options.yRange) }))) },
      mark: { type: 'line', point: { filled: true, size: PATH_DOT_AREA }, strokeWidth: 2, clip: true, aria: false },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: xScale },
        y: { field: 'y', type: 'quantitative', scale: yScale },
        color: { field: 'path', type: 'nominal', title: null, scale: { domain: names, range: PATH_COLOURS } },
        order: { field: 'i', type: 'quantitative' },
      },
    });
    spec = layeredSpec(size, options.title, dropped, layers, false);
    if (map.specs.size >= 16) map.specs.clear();
    map.specs.set(specKey, spec);
  }
  return renderSpec(spec, pathsOverlay(drawn, options.xRange, options.yRange, size));
}

/** A contour plot's map, without its paths: the layers of its colours and lines, its scales, and the cells where f is not finite. */
interface ContourMap {
  readonly layers: readonly TopLevelLayer[];
  readonly xScale: Scale;
  readonly yScale: Scale;
  readonly nonFinite: number;
  /** The whole specs made with this map, by the plot's title, the paths' names and the plot's notes (see contourPlotNow). */
  readonly specs: Map<string, TopLevelSpec>;
}

/** Maps made, by mapKey (the last few). */
const contourMaps = new Map<string, ContourMap>();

/**
 * A map's inputs as exact text: the options that shape it (not f, not the paths) as JSON, then every value of f on the
 * grid as its 64 bits (four characters of 16 bits), so that equal keys mean the same values to the bit.
 */
function mapKey(options: ContourPlotOptions, gridSize: number, size: { width: number; height: number }, corners: readonly (readonly number[])[], centres: readonly (readonly number[])[]): string {
  const { xRange, yRange, levels, colorScale, xLabel, yLabel, valueLabel } = options;
  const head = JSON.stringify([xRange, yRange, levels ?? null, colorScale ?? null, xLabel ?? null, yLabel ?? null, valueLabel ?? null, gridSize, size]);
  const values = new Float64Array(corners.length * (corners[0]?.length ?? 0) + centres.length * gridSize);
  let k = 0;
  for (const column of corners) for (const v of column) values[k++] = v;
  for (const column of centres) for (const v of column) values[k++] = v;
  const units = new Uint16Array(values.buffer);
  let text = '';
  for (let at = 0; at < units.length; at += 8192) text += String.fromCharCode(...units.subarray(at, at + 8192));
  return `${head}\n${text}`;
}

/** The map of a contour plot (contourPlotNow) from f's values at the grid's corners and cells' centres. */
function contourMap(options: ContourPlotOptions, gridSize: number, xs: readonly number[], ys: readonly number[], corners: readonly (readonly number[])[], centres: readonly (readonly number[])[]): ContourMap {
  const [xlo, xhi] = options.xRange;
  const [ylo, yhi] = options.yRange;
  let vmin = Infinity;
  let vmax = -Infinity;
  let nonFinite = 0;
  for (const column of centres) {
    for (const v of column) {
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      vmin = Math.min(vmin, v);
      vmax = Math.max(vmax, v);
    }
  }
  ensure(vmin <= vmax, 'contourPlot: f is not finite anywhere on the grid');
  const requested = options.colorScale ?? 'auto';
  if (requested === 'log' && vmin <= 0) {
    throw new DownhillError(`contourPlot: a log colour scale needs f > 0, but f reaches ${formatCell(vmin)}`);
  }
  const log = requested === 'log' || (requested === 'auto' && vmin > 0 && vmax / vmin > 100);

  const levelOption = options.levels ?? 10;
  let levels: readonly number[];
  if (typeof levelOption === 'number') {
    ensure(Number.isInteger(levelOption) && levelOption >= 0 && levelOption <= 100, () => `contourPlot: levels must be an integer from 0 to 100, got ${levelOption}`);
    levels = defaultLevels(vmin, vmax, levelOption, log);
  } else {
    ensure(levelOption.every(Number.isFinite), 'contourPlot: contour levels must be finite numbers');
    levels = levelOption;
  }
  const contours = levels.flatMap((level) => chainSegments(contourSegments(xs, ys, corners, level), options.xRange, options.yRange));

  const xScale = { domain: [xlo, xhi], nice: false, zero: false };
  const yScale = { domain: [ylo, yhi], nice: false, zero: false };
  const xLabel = options.xLabel ?? 'x';
  const yLabel = options.yLabel ?? 'y';
  // A cell's place on the colour scale, as vega's log or linear scale over [vmin, vmax] puts it (0.5 when they are equal).
  const place = log
    ? (v: number): number => (vmax === vmin ? 0.5 : (Math.log(v) - Math.log(vmin)) / (Math.log(vmax) - Math.log(vmin)))
    : (v: number): number => (vmax === vmin ? 0.5 : (v - vmin) / (vmax - vmin));
  const layers: TopLevelLayer[] = mapLayers(gridSize, (i, j) => {
    const v = centres[i]![j]!;
    return Number.isFinite(v) ? rampRgb(VIRIDIS_COLOURS, place(v)) : undefined;
  }, xLabel, yLabel, xScale, yScale, {
    values: [vmin, vmax],
    fill: {
      field: 'v',
      type: 'quantitative',
      title: options.valueLabel ?? 'f',
      scale: log ? { type: 'log', scheme: 'viridis', domain: [vmin, vmax] } : { scheme: 'viridis', domain: [vmin, vmax], zero: false },
    },
  });
  if (contours.length > 0) {
    layers.push({
      // All the lines as one path, each polyline a piece of it (a point of nulls between them breaks the path),
      // at a millionth of the range (far under a pixel: a shorter spec for vega to read).
      data: { values: contours.flatMap((line) => [...line.map(([x, y]) => ({ x: fine(x, options.xRange), y: fine(y, options.yRange) })), { x: null, y: null }]).map((r, i) => ({ ...r, i })) },
      mark: { type: 'line', color: 'white', strokeWidth: 0.8, opacity: 0.6, clip: true, aria: false, invalid: 'break-paths-filter-domains' },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: xScale },
        y: { field: 'y', type: 'quantitative', scale: yScale },
        order: { field: 'i', type: 'quantitative' },
      },
    });
  }
  return { layers, xScale, yScale, nonFinite, specs: new Map() };
}

/** The area of a path's dots, in square pixels (vega's point size). */
const PATH_DOT_AREA = 18;

/**
 * Descent paths drawn over a contour plot (vega's, without them), as vega
 * would draw its line-with-points mark: each path a line in its colour
 * (PATH_COLOURS, in order) with a dot at each point, in the plotting area's
 * pixels: linear scales from the ranges to its width and height (y upwards).
 *
 *   pathsOverlay([{ name: 'η = 0.1', points: [[0, 1], [0.5, 0.5]] }], [-1, 1], [0, 2], { width: 420, height: 360 })
 */
function pathsOverlay(paths: readonly Series[], xRange: readonly [number, number], yRange: readonly [number, number], size: { width: number; height: number }): PlotOverlay {
  const px = (x: number): number => Math.round(((x - xRange[0]) / (xRange[1] - xRange[0])) * size.width * 100) / 100;
  const py = (y: number): number => Math.round((1 - (y - yRange[0]) / (yRange[1] - yRange[0])) * size.height * 100) / 100;
  const r = Math.round(Math.sqrt(PATH_DOT_AREA / Math.PI) * 1000) / 1000;
  const drawn = paths.map((p, k) => {
    if (p.points.length === 0) return '';
    const colour = PATH_COLOURS[k % PATH_COLOURS.length]!;
    const at = p.points.map(([x, y]) => [px(x), py(y)] as const);
    const line = `M${at.map(([x, y]) => `${x},${y}`).join('L')}`;
    const dots = at.map(([x, y]) => `M${Math.round((x - r) * 1000) / 1000},${y}a${r},${r},0,1,0,${2 * r},0a${r},${r},0,1,0,${-2 * r},0`).join('');
    return `<path d="${line}" fill="none" stroke="${colour}" stroke-width="2"/><path d="${dots}" fill="${colour}"/>`;
  }).join('');
  return { svg: drawn, ...size };
}
