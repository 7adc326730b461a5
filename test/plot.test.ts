import { inflateSync } from 'node:zlib';
import * as vega from 'vega';
import { describe, expect, test, vi } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { chainSegments, contourPlot, contourSegments, linePlot, plotRenderer, scatterPlot, seriesColours, type Point } from '../src/render/plot.ts';
import { rampRgb, ROLE, SERIES_COLOURS, VIRIDIS_COLOURS } from '../src/render/palette.ts';
import { figure } from '../src/render/page-html.ts';

// ---- small SVG readers --------------------------------------------------------

/** The elements of the mark group whose class starts with `cls` (vega puts each mark's items in one <g>). */
function markGroups(svg: string, cls: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<g class="${cls}[^"]*"[^>]*>(.*?)</g>`, 'g');
  for (const m of svg.matchAll(re)) out.push(m[1] ?? '');
  return out;
}

/** Number of drawn items (vega draws rules as <line>, everything else here as <path>). */
function countPaths(fragment: string): number {
  return (fragment.match(/<(path|line)\b/g) ?? []).length;
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&lt;': '<', '&gt;': '>', '&#39;': "'", '&amp;': '&' };

/** The text content of every <text> element, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => (m[1] ?? '').replace(/&(quot|lt|gt|#39|amp);/g, (e) => ENTITIES[e] ?? e));
}

/** Line marks (one per drawn series), as their path data. */
function linePaths(svg: string): string[] {
  return [...svg.matchAll(/aria-roledescription="line mark" d="([^"]*)"/g)].map((m) => m[1] ?? '');
}

function vertices(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Checks that every url(#…) and href="#…" refers to an id defined in the same SVG, and nothing external. */
function expectSelfContained(svg: string): void {
  const ids = new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
  for (const m of svg.matchAll(/url\(#([^)]+)\)|href="#([^"]+)"/g)) expect(ids.has(m[1] ?? m[2])).toBe(true);
  expect(svg).not.toMatch(/url\((?!#)|href="(?!#|data:image\/png;base64,)|src=|@import/);
  expect(svg.replace(/xmlns(:xlink)?="[^"]*"/g, '')).not.toContain('http');
  expect(svg).not.toMatch(/NaN|Infinity/);
}

/**
 * The plot's background map: its one <image>, decoded with node:zlib (an
 * independent inflate), as the colour of each pixel ('rgb(r, g, b)', vega's
 * notation, or 'none' where transparent), by row from the top.
 */
function mapPixels(svg: string): { width: number; height: number; rows: string[][] } {
  const images = [...svg.matchAll(/<image [^>]*href="data:image\/png;base64,([^"]+)"/g)];
  expect(images).toHaveLength(1);
  const png = Buffer.from(images[0]![1]!, 'base64');
  let at = 8;
  let width = 0, height = 0, colourType = 0;
  const data: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') [width, height, colourType] = [body.readUInt32BE(0), body.readUInt32BE(4), body[9]!];
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  expect(colourType).toBe(6); // RGBA
  const raw = inflateSync(Buffer.concat(data));
  const rows = Array.from({ length: height }, (_, y) => {
    const row = raw.subarray(y * (1 + 4 * width), (y + 1) * (1 + 4 * width));
    expect(row[0]).toBe(0); // no filter
    return Array.from({ length: width }, (_, x) => {
      const [r, g, b, a] = row.subarray(1 + 4 * x, 5 + 4 * x);
      return a === 0 ? 'none' : `rgb(${r}, ${g}, ${b})`;
    });
  });
  return { width, height, rows };
}

/** The white contour lines (one path, a piece per polyline), as each piece's path data. */
function contourPaths(svg: string): string[] {
  const paths = [...svg.matchAll(/<path d="([^"]*)" stroke="white"/g)].map((m) => m[1] ?? '');
  expect(paths.length).toBeLessThanOrEqual(1);
  return paths.flatMap((d) => d.split(/(?=M)/));
}

const decay = (n: number, rate: number): Point[] => Array.from({ length: n }, (_, i) => [i, Math.exp(-rate * i)] as const);

// ---- linePlot -----------------------------------------------------------------

describe('linePlot({series, xLabel, yLabel, ...})', () => {
  test('a series with a role is drawn in its role\'s colour; the others take the free colours in order, the loss\'s first', async () => {
    expect(seriesColours([{}, { role: 'grad' }, {}])).toEqual([ROLE.loss.strong, ROLE.grad.strong, ROLE.param.strong]);
    expect(seriesColours([{ role: 'loss' }, {}])).toEqual([ROLE.loss.strong, SERIES_COLOURS[1]]);
    const svg = await linePlot({ series: [{ name: 'f', points: [[0, 0], [1, 1]] }, { name: 'df', points: [[0, 1], [1, 1]], role: 'grad' }], xLabel: 'x', yLabel: 'y' });
    expect(svg.toLowerCase()).toContain(`stroke="${ROLE.grad.strong.toLowerCase()}"`);
    expect(svg.toLowerCase()).toContain(`stroke="${ROLE.loss.strong.toLowerCase()}"`);
    // One image to a screen reader, named after its axes: vega writes the name its spec gives the group that holds every mark.
    expect(svg).toMatch(/^<svg [^>]*><rect [^>]*\/><g [^>]*><g class="mark-group role-frame root"[^>]*><g aria-label="plot of y against x" role="img" /);
    expect(svg.match(/role="img"/g)).toHaveLength(1);
    // A name with markup in it stays text.
    expect(await linePlot({ series: [{ name: 'f', points: [[0, 0], [1, 1]] }], xLabel: '<b>', yLabel: 'a"b' })).toContain('aria-label="plot of a&quot;b against &lt;b&gt;"');
    // A figure leaves a plot that names itself as it is (no second name, no caption id).
    expect(figure(svg, 'a caption')).toBe(`<figure>${svg.trim()}<figcaption>a caption</figcaption></figure>`);
  });

  test('draws one line per series, with axis titles, a legend and the title', async () => {
    const svg = await linePlot({
      series: [{ name: 'η = 0.1', points: decay(20, 0.1) }, { name: 'η = 0.5', points: decay(20, 0.5) }],
      xLabel: 'step',
      yLabel: 'loss',
      title: 'Two learning rates',
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(linePaths(svg)).toHaveLength(2);
    expect(linePaths(svg).map((d) => vertices(d).length)).toEqual([20, 20]);
    const t = texts(svg);
    expect(t).toContain('step');
    expect(t).toContain('loss');
    expect(t).toContain('Two learning rates');
    expect(t).toContain('η = 0.1');
    expect(t).toContain('η = 0.5');
    expectSelfContained(svg);
  });

  test('points: true adds a dot per point; a single series has no legend', async () => {
    const svg = await linePlot({ series: [{ name: 'loss', points: decay(7, 0.3) }], xLabel: 'step', yLabel: 'loss', points: true });
    expect(markGroups(svg, 'mark-symbol role-mark').map(countPaths)).toEqual([7]);
    expect(markGroups(svg, 'mark-group role-legend')).toHaveLength(0);
  });

  test('joins points in the order given, not sorted by x', async () => {
    const svg = await linePlot({ series: [{ name: 'path', points: [[0, 0], [2, 1], [1, 2]] }], xLabel: 'w', yLabel: 'b' });
    const [first, second, third] = vertices(linePaths(svg)[0] ?? '').map(([x]) => x);
    expect(second).toBeGreaterThan(first ?? Infinity);
    expect(third).toBeLessThan(second ?? -Infinity);
  });

  test('drops NaN and ±Infinity, draws the rest, and says so in the subtitle', async () => {
    const svg = await linePlot({
      series: [{ name: 'diverged', points: [[0, 1], [1, NaN], [2, 3], [3, Infinity], [-Infinity, 2], [4, 5]] }],
      xLabel: 'step',
      yLabel: 'loss',
      points: true,
    });
    expect(markGroups(svg, 'mark-symbol role-mark').map(countPaths)).toEqual([3]);
    expect(texts(svg)).toContain('omitted: 3 non-finite point(s) of "diverged"');
    expectSelfContained(svg);
  });

  test('on a log axis drops points ≤ 0 and says so; tick labels are powers of ten', async () => {
    const svg = await linePlot({
      series: [{ name: 'loss', points: [[0, 1], [1, 0.1], [2, 0], [3, 0.001]] }],
      xLabel: 'step',
      yLabel: 'loss',
      logY: true,
      points: true,
    });
    expect(markGroups(svg, 'mark-symbol role-mark').map(countPaths)).toEqual([3]);
    expect(texts(svg)).toContain('omitted: 1 point(s) ≤ 0 on a log axis of "loss"');
    expect(texts(svg)).toEqual(expect.arrayContaining(['0.001', '0.01', '0.1', '1']));
  });

  test('the same input gives the same SVG; different plots get different ids', async () => {
    const options = { series: [{ name: 'a', points: decay(10, 0.2) }], xLabel: 'x', yLabel: 'y' };
    const a = await linePlot(options);
    await linePlot({ ...options, title: 'something else in between' });
    const b = await linePlot(options);
    expect(b).toBe(a);
    const other = await linePlot({ ...options, yLabel: 'z' });
    const idsOf = (svg: string): Set<string> => new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1] ?? ''));
    const shared = [...idsOf(a)].filter((id) => idsOf(other).has(id));
    expect(idsOf(a).size).toBeGreaterThan(0);
    expect(shared).toEqual([]);
  });

  test('one series named after a setting: a plot redrawn under another name and numbers draws its line in the series colour, the SVG that name\'s first drawing gives', async () => {
    // The name is a scale's domain (no legend): the second drawing reuses the first's parsed plot, its domain set anew.
    const plot = (name: string, rate: number) => linePlot({ series: [{ name, points: decay(12, rate) }], xLabel: 'step', yLabel: 'loss', logY: true });
    const first = await plot('loss (η = 0.5)', 0.5);
    const second = await plot('loss (η = 0.6)', 0.6);
    const third = await plot('loss (η = 0.5)', 0.5);
    expect(third).toBe(first);
    expect(second).not.toBe(first);
    const [colour] = seriesColours([{}]);
    for (const svg of [first, second]) expect(svg).toMatch(new RegExp(`<path [^>]*stroke="${colour}"`));
  });

  test('escapes names that look like markup', async () => {
    const svg = await linePlot({ series: [{ name: '<b>&', points: decay(3, 1) }, { name: 'ok', points: decay(3, 2) }], xLabel: 'x', yLabel: 'y' });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;');
  });

  test.each([
    [{ series: [], xLabel: 'x', yLabel: 'y' }, /at least one series/],
    [{ series: [{ name: 'a', points: [] }, { name: 'a', points: [] }], xLabel: 'x', yLabel: 'y' }, /two series are named "a"/],
    [{ series: [{ name: 'a', points: [] }], xLabel: 'x', yLabel: 'y', width: 0 }, /width/],
  ])('bad options throw a DownhillError (%#)', async (options, message) => {
    await expect(linePlot(options)).rejects.toThrow(DownhillError);
    await expect(linePlot(options)).rejects.toThrow(message);
  });
});

// ---- scatterPlot --------------------------------------------------------------

const twoClasses = [
  { name: 'class 0', points: [[0, 0], [0.5, 0.2], [0.2, 0.8]] as Point[] },
  { name: 'class 1', points: [[2, 2], [1.6, 2.2], [2.4, 1.5], [2, 1]] as Point[] },
];

describe('scatterPlot({categories, xLabel, yLabel, background?, lines?})', () => {
  test('draws every point with a legend entry per category', async () => {
    const svg = await scatterPlot({ categories: twoClasses, xLabel: 'x₁', yLabel: 'x₂' });
    expect(markGroups(svg, 'mark-symbol role-mark').map(countPaths)).toEqual([7]);
    expect(texts(svg)).toEqual(expect.arrayContaining(['x₁', 'x₂', 'class 0', 'class 1']));
    expectSelfContained(svg);
  });

  test('a probability background is a gridSize × gridSize grid with its own legend', async () => {
    const svg = await scatterPlot({
      categories: twoClasses,
      xLabel: 'x₁',
      yLabel: 'x₂',
      xRange: [-1, 3],
      yRange: [-1, 3],
      gridSize: 12,
      background: { kind: 'probability', f: (x, y) => 1 / (1 + Math.exp(-(x + y - 2))), label: 'P(class 1)' },
      lines: [{ name: 'boundary', points: [[-1, 3], [3, -1]] }],
    });
    // One image of 12 × 12 cells, each the colour vega's own scale gives f at the cell's centre (the legend's scale: rgb ramp over [0, 0.5, 1]).
    const map = mapPixels(svg);
    expect([map.width, map.height]).toEqual([12, 12]);
    const ramp = (vega as unknown as { interpolateColors(colours: string[], type: string): (t: number) => string }).interpolateColors(['#8eb3d6', '#f7f7f7', '#f7b77c'], 'rgb');
    const centre = (k: number): number => -1 + (4 * (k + 0.5)) / 12;
    for (const [i, row] of [[0, 11], [5, 6], [11, 0], [3, 9]]) {
      const p = 1 / (1 + Math.exp(-(centre(i!) + centre(11 - row!) - 2)));
      expect(map.rows[row!]![i!]).toBe(ramp(p));
    }
    expect(svg).toContain('class="mark-image role-mark');
    expect(markGroups(svg, 'mark-rect role-mark')).toHaveLength(0);
    expect(linePaths(svg)).toHaveLength(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['P(class 1)', 'boundary']));
    expectSelfContained(svg);
  });

  test('a class background colours cells like their category, lighter', async () => {
    const svg = await scatterPlot({
      categories: twoClasses,
      xLabel: 'x₁',
      yLabel: 'x₂',
      gridSize: 4,
      background: { kind: 'class', f: (x) => (x < 1 ? 'class 0' : 'class 1') },
    });
    const map = mapPixels(svg);
    expect(map.rows.flat()).toHaveLength(16);
    expect(new Set(map.rows.flat()).size).toBe(2);
    // Cells left of x = 1 are class 0's region colour (tableau blue #4c78a8 mixed 75 % with white).
    const light = (c: number): number => Math.round(c * 0.25 + 255 * 0.75);
    expect(map.rows[0]![0]).toBe(`rgb(${light(0x4c)}, ${light(0x78)}, ${light(0xa8)})`);
  });

  test('lines given as a function are found when the plot is drawn, and a host may leave such a plot for later (plotRenderer.later)', async () => {
    const f = (x: number, y: number): number => 1 / (1 + Math.exp(-(x + y - 2)));
    const given = { categories: twoClasses, xLabel: 'x₁', yLabel: 'x₂', xRange: [-1, 3] as const, yRange: [-1, 3] as const, gridSize: 8, background: { kind: 'probability' as const, f } };
    const boundary = [{ name: 'boundary', points: [[-1, 3], [3, -1]] as Point[] }];
    const drawn = await scatterPlot({ ...given, lines: boundary });
    let found = 0;
    const lines = (): typeof boundary => (found++, boundary);
    // Without a host's `later`, the function is called once, and the plot is the one with the lines given.
    expect(await scatterPlot({ ...given, lines })).toBe(drawn);
    expect(found).toBe(1);
    // With one, the host's stand-in is shown and nothing is computed (not the map, not the lines) until it makes the plot.
    let make: (() => Promise<string>) | undefined;
    let mapCells = 0;
    plotRenderer.later = (work, size) => {
      make = work;
      expect(size).toEqual([400, 400]);
      return Promise.resolve('<svg>later</svg>');
    };
    try {
      const counted = { ...given, background: { kind: 'probability' as const, f: (x: number, y: number) => (mapCells++, f(x, y)) } };
      expect(await scatterPlot({ ...counted, lines })).toBe('<svg>later</svg>');
      expect([found, mapCells]).toEqual([1, 0]);
      // (a plot with no background is not offered: there is no work to leave)
      expect(await scatterPlot({ categories: twoClasses, xLabel: 'x₁', yLabel: 'x₂' })).not.toBe('<svg>later</svg>');
      expect(await make!()).toBe(drawn);
      expect([found, mapCells]).toEqual([2, 64]);
    } finally {
      delete plotRenderer.later;
    }
    await expect(scatterPlot({ ...given, lines: () => [{ name: 'b', points: 'no' }] as never })).rejects.toThrow(/scatterPlot: lines\(\)/);
  });

  test('a background probability outside [0, 1] or an unknown class throws DownhillError', async () => {
    await expect(
      scatterPlot({ categories: twoClasses, xLabel: 'x', yLabel: 'y', background: { kind: 'probability', f: () => 1.5 } }),
    ).rejects.toThrow(/must lie in \[0, 1\], got 1.5/);
    await expect(
      scatterPlot({ categories: twoClasses, xLabel: 'x', yLabel: 'y', background: { kind: 'class', f: () => 'class 7' } }),
    ).rejects.toThrow(DownhillError);
  });
});

// ---- contourPlot --------------------------------------------------------------

describe('contourSegments(xs, ys, z, level)', () => {
  const grid = (n: number, lo: number, hi: number): number[] => Array.from({ length: n + 1 }, (_, k) => lo + ((hi - lo) * k) / n);

  test('on a plane f = x the level set x = c is found exactly', () => {
    const xs = grid(10, -1, 1);
    const ys = grid(10, -1, 1);
    const z = xs.map((x) => ys.map(() => x));
    const segments = contourSegments(xs, ys, z, 0.25);
    expect(segments).toHaveLength(10);
    for (const s of segments) {
      expect(s.x0).toBeCloseTo(0.25, 12);
      expect(s.x1).toBeCloseTo(0.25, 12);
    }
  });

  test('on a bowl f = x² + y² the level r² lies on the circle of radius r (within the grid error)', () => {
    const xs = grid(40, -2, 2);
    const ys = grid(40, -2, 2);
    const z = xs.map((x) => ys.map((y) => x * x + y * y));
    const segments = contourSegments(xs, ys, z, 1);
    expect(segments.length).toBeGreaterThan(20);
    for (const s of segments) {
      expect(Math.hypot(s.x0, s.y0)).toBeCloseTo(1, 2);
      expect(Math.hypot(s.x1, s.y1)).toBeCloseTo(1, 2);
    }
    // The total length approximates the circumference 2π.
    const length = segments.reduce((sum, s) => sum + Math.hypot(s.x1 - s.x0, s.y1 - s.y0), 0);
    expect(length).toBeCloseTo(2 * Math.PI, 1);
  });

  test('skips cells with a non-finite corner', () => {
    const xs = [0, 1, 2];
    const ys = [0, 1];
    const z = [[0, 0], [1, 1], [NaN, 2]];
    expect(contourSegments(xs, ys, z, 0.5)).toHaveLength(1);
  });
});

describe('chainSegments(segments, xRange, yRange)', () => {
  const grid = (n: number, lo: number, hi: number): number[] => Array.from({ length: n + 1 }, (_, k) => lo + ((hi - lo) * k) / n);

  test('a circle\'s segments join into one closed polyline; a straight level set into one open one', () => {
    const xs = grid(40, -2, 2);
    const z = xs.map((x) => xs.map((y) => x * x + y * y));
    const segments = contourSegments(xs, xs, z, 1.1);
    const [circle, ...rest] = chainSegments(segments, [-2, 2], [-2, 2]);
    expect(rest).toHaveLength(0);
    expect(circle).toHaveLength(segments.length + 1);
    // Consecutive points are a segment's two ends, in either direction; the last point is the first (computed in another cell: equal to rounding).
    const near = (p: Point, q: Point): boolean => Math.abs(p[0] - q[0]) < 1e-12 && Math.abs(p[1] - q[1]) < 1e-12;
    expect(near(circle![0]!, circle![circle!.length - 1]!)).toBe(true);
    for (let k = 1; k < circle!.length; k++) {
      const [p, q] = [circle![k - 1]!, circle![k]!];
      expect(segments.some((s) => (near(p, [s.x0, s.y0]) && near(q, [s.x1, s.y1])) || (near(q, [s.x0, s.y0]) && near(p, [s.x1, s.y1])))).toBe(true);
    }
    const plane = xs.map((x) => xs.map(() => x));
    const lines = chainSegments(contourSegments(xs, xs, plane, 0.25), [-2, 2], [-2, 2]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(41);
    expect(lines[0]!.every(([x]) => Math.abs(x - 0.25) < 1e-12)).toBe(true);
  });

  test('ramps: rampRgb is vega\'s viridis scheme at every t', () => {
    for (let k = 0; k <= 200; k++) {
      const [r, g, b] = rampRgb(VIRIDIS_COLOURS, k / 200);
      expect(`rgb(${r}, ${g}, ${b})`).toBe(vega.scheme('viridis')(k / 200));
    }
  });
});

describe('contourPlot({f, xRange, yRange, paths?, levels?})', () => {
  const bowl = (w: number, b: number): number => (w - 1) ** 2 + 10 * (b + 0.5) ** 2;
  const descent = (): Point[] => {
    const out: Point[] = [];
    let w = -1.5;
    let b = 0.8;
    for (let k = 0; k < 15; k++) {
      out.push([w, b]);
      w -= 0.1 * 2 * (w - 1);
      b -= 0.09 * 20 * (b + 0.5);
    }
    return out;
  };

  test('draws the grid, the contour lines and each path with a dot per step', async () => {
    const specs: object[] = [];
    const render = plotRenderer.render;
    plotRenderer.render = (spec, overlay) => {
      specs.push(spec);
      return render(spec, overlay);
    };
    const svg = await contourPlot({
      f: bowl,
      xRange: [-2, 3],
      yRange: [-2, 1],
      gridSize: 20,
      levels: [0.5, 2, 8],
      paths: [{ name: 'η = 0.09', points: descent() }],
      xLabel: 'w',
      yLabel: 'b',
      valueLabel: 'L',
    }).finally(() => (plotRenderer.render = render));
    // The map: 20 × 20 cells, each viridis at f's place between its least and greatest value on a log scale (vega's scheme, as in the legend).
    const map = mapPixels(svg);
    expect([map.width, map.height]).toEqual([20, 20]);
    const centres = Array.from({ length: 20 }, (_, i) => Array.from({ length: 20 }, (_, j) => bowl(-2 + (5 * (i + 0.5)) / 20, -2 + (3 * (j + 0.5)) / 20))).flat();
    const [lo, hi] = [Math.min(...centres), Math.max(...centres)];
    for (const [i, j] of [[0, 0], [12, 10], [19, 19], [7, 3]]) {
      const t = (Math.log(bowl(-2 + (5 * (i! + 0.5)) / 20, -2 + (3 * (j! + 0.5)) / 20)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
      expect(map.rows[19 - j!]![i!]).toBe(vega.scheme('viridis')(t));
    }
    // Each level's lines joined into polylines: the ellipses of levels 0.5 and 2 lie inside the range (closed), 8's leaves it.
    const lines = contourPaths(svg);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const d of lines.slice(0, 2)) {
      const v = vertices(d);
      expect(v.length).toBeGreaterThan(8);
      expect(v[0]).toEqual(v[v.length - 1]);
    }
    // The path is composed beside vega's plot, whose SVG is kept byte for byte (vega's drawing of the spec alone): an outer SVG of
    // its size, named like it, holding it and, over it, a group moved to the plotting area (where vega's SVG puts its frame) with
    // the path in an SVG of the area's size, 420 × 360, that clips it (overflow hidden). Its line through the 15 points at
    // w ↦ 420·(w + 2)/5, b ↦ 360·(1 − (b + 2)/3), in the first path colour, and a dot at each.
    expect(specs).toHaveLength(1);
    const vegaSvg = (await plotRenderer.vega(specs[0]!)).svg;
    const size = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(vegaSvg)!;
    const frame = /<g fill="none" stroke-miterlimit="4" transform="translate\((\d+),(\d+)\)"><g class="mark-group role-frame root"[^>]*><g [^>]*transform="translate\(0,0\)">/.exec(vegaSvg)!;
    const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${size[1]}" height="${size[2]}" viewBox="0 0 ${size[1]} ${size[2]}" role="img" aria-label="plot of b against w">`;
    const area = `<g transform="translate(${frame[1]},${frame[2]})" aria-hidden="true"><svg width="420" height="360" overflow="hidden">`;
    expect(svg.startsWith(`${open}${vegaSvg}${area}`)).toBe(true);
    expect(svg.endsWith('</svg></g></svg>')).toBe(true);
    const overlay = svg.slice(`${open}${vegaSvg}${area}`.length, -'</svg></g></svg>'.length);
    expect(figure(svg, 'paths')).toBe(`<figure>${svg}<figcaption>paths</figcaption></figure>`); // it names itself
    const [line, dots] = [...overlay.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
    const expected = descent().map(([w, b]) => [420 * (w + 2) / 5, 360 * (1 - (b + 2) / 3)]);
    const drawn = vertices(line!);
    expect(drawn).toHaveLength(15);
    drawn.forEach(([x, y], k) => {
      expect(x).toBeCloseTo(expected[k]![0]!, 1);
      expect(y).toBeCloseTo(expected[k]![1]!, 1);
    });
    expect(overlay).toContain('stroke="#D55E00"');
    expect(dots!.match(/M/g)).toHaveLength(15);
    // Vega draws the legend: two invisible points carry the colour legend, two clipped points far outside the path's entry.
    expect(markGroups(svg, 'mark-symbol role-mark').map(countPaths)).toEqual([2, 2]);
    expect(texts(svg)).toEqual(expect.arrayContaining(['w', 'b', 'L', 'η = 0.09']));
    expectSelfContained(svg);
  });

  test('the plot under the paths is one vega spec whatever the paths (a host that keeps each spec\'s SVG draws it once)', async () => {
    const specs: string[] = [];
    const render = plotRenderer.render;
    plotRenderer.render = (spec, overlay) => {
      specs.push(JSON.stringify(spec));
      return render(spec, overlay);
    };
    try {
      const plot = (points: Point[]): Promise<string> => contourPlot({ f: bowl, xRange: [-2, 3], yRange: [-2, 1], gridSize: 10, paths: [{ name: 'η', points }] });
      const [a, b] = await Promise.all([plot(descent()), plot(descent().slice(0, 5))]);
      expect(specs).toHaveLength(2);
      expect(specs[0]).toBe(specs[1]);
      expect(a).not.toBe(b);
    } finally {
      plotRenderer.render = render;
    }
  });

  test('the map is made once for the same values of f (the same spec object), and anew when one value differs by one bit', async () => {
    const specs: object[] = [];
    const render = plotRenderer.render;
    plotRenderer.render = (spec, overlay) => {
      specs.push(spec);
      return render(spec, overlay);
    };
    try {
      const options = { xRange: [-2, 3] as const, yRange: [-2, 1] as const, gridSize: 10, levels: [0.5, 2] };
      const plot = (f: (x: number, y: number) => number, points: Point[]): Promise<string> => contourPlot({ ...options, f, paths: [{ name: 'η', points }] });
      // Another function object with the same values: the same map and spec; other paths: drawn over it.
      const a = await plot(bowl, descent());
      const b = await plot((x, y) => bowl(x, y), descent().slice(0, 5));
      expect(specs[1]).toBe(specs[0]);
      expect(b).not.toBe(a);
      // f one ulp larger in the top left corner (the largest cell centre, and the corner (-2, 1)): a new map, its colour legend's maximum that value.
      const nudged = (x: number, y: number): number => (x < -1.7 && y > 0.8 ? bowl(x, y) * (1 + Number.EPSILON) : bowl(x, y));
      const c = await plot(nudged, descent());
      expect(specs[2]).not.toBe(specs[0]);
      expect(JSON.stringify(specs[2])).not.toBe(JSON.stringify(specs[0]));
      // The values as before: the first map again, and the first SVG byte for byte.
      expect(await plot(bowl, descent())).toBe(a);
      expect(specs[3]).toBe(specs[0]);
      expect(c).not.toBe(a);
      // The same values with a title: the same map, another spec, whose SVG carries that title (and the next, its own).
      const titled = (title: string): Promise<string> => contourPlot({ ...options, f: bowl, title, paths: [{ name: 'η', points: descent() }] });
      const first = await titled('First title');
      const second = await titled('Second title');
      expect(first).toContain('First title');
      expect(second).toContain('Second title');
      expect(second).not.toContain('First title');
    } finally {
      plotRenderer.render = render;
    }
  });

  test('uses a log colour scale when f > 0 spans decades (legend labels are powers of ten)', async () => {
    const svg = await contourPlot({ f: (x) => Math.exp(x), xRange: [0, 10], yRange: [0, 1], gridSize: 10, levels: 0, valueLabel: 'L' });
    expect(contourPaths(svg)).toHaveLength(0);
    const labels = texts(svg);
    const legend = labels.slice(labels.indexOf('y') + 1, labels.indexOf('L'));
    expect(legend).toEqual(['10', '100', '1,000', '10,000']);
  });

  test('uses a linear colour scale when f takes values ≤ 0', async () => {
    const svg = await contourPlot({ f: (x) => x, xRange: [-10, 10], yRange: [0, 1], gridSize: 10, levels: 0, valueLabel: 'L' });
    const labels = texts(svg);
    const legend = labels.slice(labels.indexOf('y') + 1, labels.indexOf('L'));
    expect(legend).toEqual(['−5', '0', '5']);
  });

  test('contour lines on f = x lie on the vertical lines x = level', async () => {
    const svg = await contourPlot({ f: (x) => x, xRange: [0, 4], yRange: [0, 1], gridSize: 8, levels: [1, 3], width: 400, height: 100 });
    // One polyline per level, through the 9 grid rows: x = 1 and x = 3 are at 100 and 300 pixels, from the bottom (y = 100) to the top.
    const lines = contourPaths(svg).map(vertices);
    expect(lines).toHaveLength(2);
    for (const [k, line] of lines.entries()) {
      expect(line).toHaveLength(9);
      expect(new Set(line.map(([x]) => x))).toEqual(new Set([[100, 300][k]]));
      expect(line.map(([, y]) => y)).toEqual([100, 87.5, 75, 62.5, 50, 37.5, 25, 12.5, 0]);
    }
  });

  test('cells where f is not finite are left out and reported', async () => {
    const svg = await contourPlot({ f: (x, y) => Math.log(x) + y, xRange: [-1, 1], yRange: [0, 1], gridSize: 10, levels: 3 });
    // log x is not finite for x ≤ 0: the left half of the cells, transparent in the image.
    expect(mapPixels(svg).rows.flat().filter((c) => c === 'none')).toHaveLength(50);
    expect(mapPixels(svg).rows.every((row) => row.slice(0, 5).every((c) => c === 'none') && row.slice(5).every((c) => c !== 'none'))).toBe(true);
    expect(texts(svg)).toContain('omitted: 50 grid cell(s) where f is not finite');
    expectSelfContained(svg);
  });

  test.each([
    [{ f: bowl, xRange: [1, 1] as const, yRange: [0, 1] as const }, /xRange must be/],
    [{ f: (x: number) => x, xRange: [-1, 1] as const, yRange: [0, 1] as const, colorScale: 'log' as const }, /log colour scale needs f > 0/],
    [{ f: () => NaN, xRange: [0, 1] as const, yRange: [0, 1] as const }, /not finite anywhere/],
    [{ f: bowl, xRange: [0, 1] as const, yRange: [0, 1] as const, gridSize: 1 }, /gridSize/],
  ])('bad options throw a DownhillError (%#)', async (options, message) => {
    await expect(contourPlot(options)).rejects.toThrow(DownhillError);
    await expect(contourPlot(options)).rejects.toThrow(message);
  });
});

test('a plot drawn with the dataflow parsed for an earlier plot of the same structure is the SVG a fresh compile gives', async () => {
  const plot = (rate: number): Promise<string> => linePlot({ series: [{ name: 'loss', points: decay(30, rate) }, { name: 'other', points: decay(10, 2 * rate) }], xLabel: 'step', yLabel: 'loss', logY: true });
  await plot(0.1); // parses the structure
  const [again, other] = [await plot(0.3), await plot(0.1)];
  expect(again).not.toBe(other);
  vi.resetModules(); // a new plot.ts, with nothing parsed yet
  const fresh = await import('../src/render/plot.ts');
  const drawnFresh = await fresh.linePlot({ series: [{ name: 'loss', points: decay(30, 0.3) }, { name: 'other', points: decay(10, 0.6) }], xLabel: 'step', yLabel: 'loss', logY: true });
  expect(again).toBe(drawnFresh);
});

test('linePlot refuses a plot whose every point is dropped, instead of axes from NaN to NaN', async () => {
  await expect(linePlot({ series: [{ name: 'loss', points: [[1, 0], [2, -1]] }], xLabel: 'step', yLabel: 'loss', logY: true }))
    .rejects.toThrow(/nothing to draw: every point of "loss"/);
});
