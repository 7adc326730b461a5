import { describe, expect, test } from 'vitest';
import { PATH_COLOURS, project, surfacePlot } from '../src/render/surface.ts';
import { DownhillError } from '../src/errors.ts';

describe('project(x, y, z, azimuth, elevation)', () => {
  test.each([
    // Seen from the front, level: x across, z up, y away from the viewer.
    [[0.5, 0.25, 0.75, 0, 0], { sx: 0.5, sy: 0.75, depth: 0.25 }],
    // Turned a quarter: x goes away, y comes across (with its sign flipped).
    [[0.5, 0.25, 0, Math.PI / 2, 0], { sx: -0.25, sy: 0, depth: 0.5 }],
    // From straight above: y is up the screen, height is nearness.
    [[0.5, 0.25, 0.75, 0, Math.PI / 2], { sx: 0.5, sy: 0.25, depth: -0.75 }],
  ] as const)('project(%j) = %j', (args, want) => {
    const p = project(args[0], args[1], args[2], args[3], args[4]);
    expect(p.sx).toBeCloseTo(want.sx, 12);
    expect(p.sy).toBeCloseTo(want.sy, 12);
    expect(p.depth).toBeCloseTo(want.depth, 12);
  });
});

describe('surfacePlot', () => {
  const polygons = (svg: string): string[] => [...svg.matchAll(/<polygon points="([^"]+)" fill="([^"]+)"/g)].map((m) => m[2]!);

  test('the surface is drawn once per heights and view: other paths over the same surface change only the paths; another surface is drawn anew', async () => {
    const ground = (svg: string): string => svg.slice(svg.indexOf('<g class="surface"'), svg.indexOf('<g class="path">'));
    const bowl = (x: number, y: number): number => x * x + y * y;
    const one = await surfacePlot({ f: bowl, xRange: [-1, 1], yRange: [-1, 1], cells: 6, paths: [{ name: 'a', points: [[1, 1], [0.5, 0.5]] }] });
    const two = await surfacePlot({ f: (x, y) => x * x + y * y, xRange: [-1, 1], yRange: [-1, 1], cells: 6, paths: [{ name: 'a', points: [[-1, 1], [0, 0]] }] });
    expect(ground(two)).toBe(ground(one));
    expect(two).not.toBe(one);
    // The paths start at different corners of the bowl, (1, 1) and (−1, 1): different points on the screen.
    expect(two.match(/<polyline points="([^"]+)" fill="none" stroke="#/)![1]).not.toBe(one.match(/<polyline points="([^"]+)" fill="none" stroke="#/)![1]);
    // Twice as high everywhere: the same shape on a scale to 4, not 2, so the same colours but another z label.
    const higher = await surfacePlot({ f: (x, y) => 2 * (x * x + y * y), xRange: [-1, 1], yRange: [-1, 1], cells: 6, zLabel: 'L', paths: [{ name: 'a', points: [[1, 1]] }] });
    expect(higher).toContain('L (up to 4)');
    const tilted = await surfacePlot({ f: (x, y) => x + y, xRange: [-1, 1], yRange: [-1, 1], cells: 6, paths: [{ name: 'a', points: [[1, 1], [0.5, 0.5]] }] });
    expect(polygons(ground(tilted))).not.toEqual(polygons(ground(one)));
  });

  test('one quadrilateral per grid cell, coloured by height: on the plane z = x the low edge is dark and the high edge yellow', async () => {
    const svg = await surfacePlot({ f: (x) => x, xRange: [0, 1], yRange: [0, 1], cells: 10 });
    const fills = polygons(svg);
    expect(fills).toHaveLength(100);
    // The mean height of the lowest cells is 0.05 of the span, of the highest 0.95: near the ends of the scale.
    const rgb = (c: string): number[] => c.slice(4, -1).split(',').map(Number);
    const brightest = fills.map(rgb).reduce((a, b) => (a[1]! > b[1]! ? a : b));
    const darkest = fills.map(rgb).reduce((a, b) => (a[1]! < b[1]! ? a : b));
    expect(brightest[0]).toBeGreaterThan(200); // yellow: red and green high
    expect(darkest[1]).toBeLessThan(40); // dark purple
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  test('draws the back first: with the viewer in front (azimuth 0, level), the cells nearest y = 1 come first', async () => {
    const svg = await surfacePlot({ f: () => 0, xRange: [0, 1], yRange: [0, 1], cells: 4, azimuth: 0, elevation: 20 });
    const firstY = [...svg.matchAll(/<polygon points="([^"]+)"/g)].map((m) => Math.min(...m[1]!.split(' ').map((p) => Number(p.split(',')[1]))));
    // Farther cells are higher on the screen (smaller SVG y) on a tilted flat floor: the order runs top to bottom.
    expect(firstY).toEqual([...firstY].sort((a, b) => a - b));
  });

  test('each path is a polyline through its points, on the surface, named in the legend', async () => {
    const svg = await surfacePlot({
      f: (x, y) => x * x + y * y, xRange: [-1, 1], yRange: [-1, 1],
      paths: [{ name: 'η = 0.1', points: [[1, 1], [0.8, 0.8], [0.64, 0.64]] }],
    });
    const line = new RegExp(`<polyline points="([^"]+)" fill="none" stroke="${PATH_COLOURS[0]}"`).exec(svg)!;
    expect(line[1]!.split(' ')).toHaveLength(3);
    expect(svg).toContain('>η = 0.1</text>');
  });

  test('every path has a legend entry drawn as the path is (its colour over a dark halo), no colour is white, no two alike', async () => {
    const paths = PATH_COLOURS.map((_, k) => ({ name: `run ${k}`, points: [[1, 1], [0.5, 0.5]] as [number, number][] }));
    const svg = await surfacePlot({ f: (x, y) => x * x + y * y, xRange: [-1, 1], yRange: [-1, 1], paths });
    const entries = [...svg.matchAll(/<g class="legend">(.*?)<\/g>/g)].map((m) => m[1]!);
    expect(entries).toHaveLength(paths.length);
    entries.forEach((entry, k) => {
      expect(entry).toMatch(/stroke="#000" stroke-opacity="0.55" stroke-width="4"/);
      expect(entry).toContain(`stroke="${PATH_COLOURS[k]}"`);
      expect(entry).toContain(`>run ${k}</text>`);
    });
    expect(PATH_COLOURS.map((c) => c.toLowerCase())).not.toContain('#ffffff');
    expect(new Set(PATH_COLOURS).size).toBe(PATH_COLOURS.length);
  });

  test('draws only when awaited (a terminal-only lesson computes no grid): f is first called then, once per grid corner', async () => {
    let calls = 0;
    const svg = surfacePlot({ f: (x) => { calls++; return x; }, xRange: [0, 1], yRange: [0, 1], cells: 2 });
    expect(calls).toBe(0);
    expect(await svg).toMatch(/^<svg /);
    expect(calls).toBe(9); // (2 + 1)² corners, no path
    await svg;
    expect(calls).toBe(9); // drawn once
  });

  test('refuses an empty range and a surface with no finite point', async () => {
    // A bad range at the call; a surface with no finite point when it is drawn (awaited), as the other plots.
    expect(() => surfacePlot({ f: () => 0, xRange: [1, 1], yRange: [0, 1] })).toThrow(DownhillError);
    await expect(surfacePlot({ f: () => NaN, xRange: [0, 1], yRange: [0, 1] })).rejects.toThrow(/not a finite number anywhere/);
    await expect(surfacePlot({ f: () => NaN, xRange: [0, 1], yRange: [0, 1] })).rejects.toBeInstanceOf(DownhillError);
  });
});
