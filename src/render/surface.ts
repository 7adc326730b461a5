/**
 * A static 3-D picture of a surface z = f(x, y) (the loss over two weights),
 * with paths drawn on it: a small projection to SVG, no library and no
 * script. The grid's quadrilaterals are projected (turned by `azimuth`
 * about the vertical, tilted by `elevation`), coloured by height and drawn
 * back to front (the painter's algorithm); the paths come last, on top.
 *
 *   await surfacePlot({
 *     f: (w, b) => loss(w, b), xRange: [-1, 3], yRange: [-3, 3],
 *     paths: [{ name: 'η = 0.1', points: run.steps.map((s) => [s.p[0], s.p[1]]) }],
 *     xLabel: 'w', yLabel: 'b', zLabel: 'L',
 *   })   // '<svg …>…</svg>'
 *
 * Like the other plots (plot.ts), it is drawn when first awaited (lazy.ts):
 * the options are checked at the call, the grid is computed only for a page,
 * so `downhill lesson 4 --no-page` computes none.
 *
 * The 2-D contour map (plot.ts, contourPlot) shows the same surface from
 * above; this one shows the mountain the source text talks about.
 */
import { arrayOf, checkArg, checkFields, checkOptions, DownhillError, FUNCTION, NUMBER, objectWith, optional, RANGE, TEXT, type Accepts } from '../errors.ts';
import { roundedNumber } from '../expr/number.ts';
import { lazy } from './lazy.ts';
import { escapeHtml as escapeXml } from './page-html.ts';
import { heightRgb, INK, SURFACE_PATH_COLOURS } from './palette.ts';

export interface SurfacePath {
  readonly name: string;
  /** Points (x, y) of the path; z is f(x, y). */
  readonly points: readonly (readonly [number, number])[];
}

export interface SurfaceOptions {
  readonly f: (x: number, y: number) => number;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  readonly paths?: readonly SurfacePath[];
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly zLabel?: string;
  /** Cells per side of the grid (default 28). */
  readonly cells?: number;
  /** Turn about the vertical axis, degrees (default −60). */
  readonly azimuth?: number;
  /** Tilt of the view above the horizontal, degrees (default 35). */
  readonly elevation?: number;
  /** Heights above this are drawn at it (default: the largest value on the grid). */
  readonly zMax?: number;
  readonly width?: number;
  readonly height?: number;
}

/** A point on the screen and its depth (larger is farther from the viewer). */
export interface Projected {
  readonly sx: number;
  readonly sy: number;
  readonly depth: number;
}

/**
 * The projection of the unit box: x and y in [−1, 1], z in [0, 1], turned by
 * `azimuth` and tilted by `elevation` (radians). Screen y points up.
 */
export function project(x: number, y: number, z: number, azimuth: number, elevation: number): Projected {
  const x1 = x * Math.cos(azimuth) - y * Math.sin(azimuth);
  const y1 = x * Math.sin(azimuth) + y * Math.cos(azimuth);
  return { sx: x1, sy: y1 * Math.sin(elevation) + z * Math.cos(elevation), depth: y1 * Math.cos(elevation) - z * Math.sin(elevation) };
}

/** Low to high: viridis (palette.ts), as the contour maps and the live mountain. */
function colour(t: number): string {
  const [r, g, b] = heightRgb(t);
  return `rgb(${r},${g},${b})`;
}

/** Colour-blind-safe path colours (palette.ts), each over a dark halo on the map and in the legend alike: none is white. */
export const PATH_COLOURS = SURFACE_PATH_COLOURS;
/** The dark halo under a path's line through `points` (an SVG points list). */
const halo = (points: string): string => `<polyline points="${points}" fill="none" stroke="#000" stroke-opacity="0.55" stroke-width="4"/>`;

const SURFACE_PATH: Accepts<SurfacePath> = {
  what: '{ name, points: [[x, y], ...] }',
  test: (v): v is SurfacePath => objectWith('name', 'points').test(v) && typeof v.name === 'string' && Array.isArray(v.points) && v.points.every((p) => Array.isArray(p) && p.length === 2),
};
/** What each option accepts (sizes and ranges are checked where they are read). */
const SURFACE_OPTIONS: Readonly<Record<string, Accepts<unknown>>> = {
  f: FUNCTION, xRange: RANGE, yRange: RANGE, paths: optional(arrayOf(SURFACE_PATH, 'an array of paths { name, points: [[x, y], ...] }')),
  xLabel: optional(TEXT), yLabel: optional(TEXT), zLabel: optional(TEXT),
  cells: optional(NUMBER), azimuth: optional(NUMBER), elevation: optional(NUMBER), zMax: optional(NUMBER), width: optional(NUMBER), height: optional(NUMBER),
};

/**
 * The surface and its paths as an SVG string, drawn when first awaited. Bad
 * options are refused at the call; a surface with no finite point when drawn.
 */
export function surfacePlot(options: SurfaceOptions): Promise<string> {
  checkArg('surfacePlot', 'options', options, objectWith('f', 'xRange', 'yRange'));
  checkOptions('surfacePlot', options, Object.keys(SURFACE_OPTIONS));
  checkFields('surfacePlot', options, SURFACE_OPTIONS);
  const n = options.cells ?? 28;
  const [x0, x1] = options.xRange;
  const [y0, y1] = options.yRange;
  if (!(x1 > x0) || !(y1 > y0)) throw new DownhillError('surfacePlot: each range must run from a smaller to a larger number');
  if (!Number.isInteger(n) || n < 2 || n > 200) throw new DownhillError(`surfacePlot: cells must be a whole number from 2 to 200, got ${n}`);
  return lazy(async () => surfaceSvg(options));
}

/** Surfaces drawn with their axes, without paths, by their heights, view and labels (the last few). */
const grounds = new Map<string, string>();

/** The drawing itself (options checked by surfacePlot). */
function surfaceSvg(options: SurfaceOptions): string {
  const n = options.cells ?? 28;
  const width = options.width ?? 520;
  const height = options.height ?? 380;
  const [x0, x1] = options.xRange;
  const [y0, y1] = options.yRange;
  const az = ((options.azimuth ?? -60) * Math.PI) / 180;
  const el = ((options.elevation ?? 35) * Math.PI) / 180;

  // Heights on the grid.
  const zs: number[][] = [];
  for (let i = 0; i <= n; i++) {
    zs.push([]);
    for (let j = 0; j <= n; j++) zs[i]!.push(options.f(x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * j) / n));
  }
  const finite = zs.flat().filter(Number.isFinite);
  if (finite.length === 0) throw new DownhillError('surfacePlot: f is not a finite number anywhere on the grid');
  const zMin = Math.min(...finite);
  const zMax = options.zMax ?? Math.max(...finite);
  const zSpan = zMax > zMin ? zMax - zMin : 1;
  const clampZ = (z: number): number => (Number.isFinite(z) ? Math.min(zMax, Math.max(zMin, z)) : zMax);
  // Unit box coordinates, then the screen.
  const ux = (x: number): number => (2 * (x - x0)) / (x1 - x0) - 1;
  const uy = (y: number): number => (2 * (y - y0)) / (y1 - y0) - 1;
  const uz = (z: number): number => (clampZ(z) - zMin) / zSpan;
  const at = (x: number, y: number, z: number): Projected => project(ux(x), uy(y), uz(z), az, el);
  // Scale to fit the box's projected corners.
  const corners = [-1, 1].flatMap((a) => [-1, 1].flatMap((b) => [0, 1].map((c) => project(a, b, c, az, el))));
  const minX = Math.min(...corners.map((p) => p.sx));
  const maxX = Math.max(...corners.map((p) => p.sx));
  const minY = Math.min(...corners.map((p) => p.sy));
  const maxY = Math.max(...corners.map((p) => p.sy));
  const margin = 40;
  const scale = Math.min((width - 2 * margin) / (maxX - minX), (height - 2 * margin - 20) / (maxY - minY));
  const X = (p: Projected): number => margin + (p.sx - minX) * scale;
  const Y = (p: Projected): number => height - margin - (p.sy - minY) * scale;
  const fmt = (v: number): string => v.toFixed(1);

  // The surface and its axes depend on the heights and the view alone, not on the paths: drawn once for them
  // (a lesson rerun with a new learning rate draws the same surface under other paths).
  const groundSvg = (): string => {
    // Each point of the grid projected and written once (a corner of up to four quadrilaterals).
    const grid: Projected[][] = [];
    const written: string[][] = [];
    for (let i = 0; i <= n; i++) {
      grid.push([]);
      written.push([]);
      for (let j = 0; j <= n; j++) {
        const p = at(x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * j) / n, zs[i]![j]!);
        grid[i]!.push(p);
        written[i]!.push(`${fmt(X(p))},${fmt(Y(p))}`);
      }
    }
    // The quadrilaterals, farthest first.
    const quads: { depth: number; svg: string }[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const ps = [grid[i]![j]!, grid[i + 1]![j]!, grid[i + 1]![j + 1]!, grid[i]![j + 1]!];
        const mean = (zs[i]![j]! + zs[i + 1]![j]! + zs[i + 1]![j + 1]! + zs[i]![j + 1]!) / 4;
        quads.push({
          depth: ps.reduce((s, p) => s + p.depth, 0) / 4,
          svg: `<polygon points="${written[i]![j]!} ${written[i + 1]![j]!} ${written[i + 1]![j + 1]!} ${written[i]![j + 1]!}" fill="${colour((clampZ(mean) - zMin) / zSpan)}"/>`,
        });
      }
    }
    quads.sort((a, b) => b.depth - a.depth);

    // The axes along three edges of the base, from the corner nearest the viewer's left.
    const base = at(x0, y0, zMin);
    const axis = (to: Projected, label: string | undefined): string => [
      `<line x1="${fmt(X(base))}" y1="${fmt(Y(base))}" x2="${fmt(X(to))}" y2="${fmt(Y(to))}" stroke="#334155" stroke-width="1"/>`,
      label === undefined ? '' : `<text x="${fmt(Math.min(width - 60, Math.max(60, X(to))))}" y="${fmt(Y(to) + 14)}" font-size="13" text-anchor="middle" fill="${INK.text}">${escapeXml(label)}</text>`,
    ].join('');
    const axes = [
      axis(at(x1, y0, zMin), options.xLabel),
      axis(at(x0, y1, zMin), options.yLabel),
      axis(at(x0, y0, zMax), options.zLabel === undefined ? undefined : `${options.zLabel} (up to ${roundedNumber(zMax, 3)})`),
    ].join('\n');

    return `<g class="surface" stroke="#1d1d1f" stroke-opacity="0.25" stroke-width="0.4">${quads.map((q) => q.svg).join('')}</g>\n${axes}`;
  };
  const key = JSON.stringify([zs, x0, x1, y0, y1, n, width, height, az, el, options.zMax ?? null, options.xLabel ?? null, options.yLabel ?? null, options.zLabel ?? null]);
  let ground = grounds.get(key);
  if (ground === undefined) {
    ground = groundSvg();
    if (grounds.size >= 32) grounds.clear();
    grounds.set(key, ground);
  }

  const paths = (options.paths ?? []).map((p, k) => {
    const c = PATH_COLOURS[k % PATH_COLOURS.length]!;
    const pts = p.points.map(([x, y]) => at(x, y, options.f(x, y))).map((q) => `${fmt(X(q))},${fmt(Y(q))}`).join(' ');
    return `<g class="path">${halo(pts)}<polyline points="${pts}" fill="none" stroke="${c}" stroke-width="2"/></g>`;
  });
  const legend = (options.paths ?? []).map((p, k) => {
    const y = 18 + 16 * k;
    const c = PATH_COLOURS[k % PATH_COLOURS.length]!;
    return `<g class="legend">${halo(`12,${y} 32,${y}`)}<polyline points="12,${y} 32,${y}" fill="none" stroke="${c}" stroke-width="2"/><text x="38" y="${y + 4}" font-size="12" fill="${INK.text}">${escapeXml(p.name)}</text></g>`;
  });
  const title = `surface of ${options.zLabel ?? 'f'} over ${options.xLabel ?? 'x'} and ${options.yLabel ?? 'y'}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    ground,
    ...paths,
    ...legend,
    '</svg>',
  ].join('\n');
}
