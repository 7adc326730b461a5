/**
 * A small log-log plot in plain text, for the terminal: one marker letter
 * per series, powers of ten on the axes. Meant for a dozen points a series
 * (a step sweep), not for dense data.
 *
 *   asciiPlot([{ name: 'central', marker: 'c', points: [[1e-1, 1e-3], [1e-2, 1e-5]] }], { xLabel: 'h', yLabel: 'error', height: 4 })
 *   // error
 *   // 1e-3 |                                               c
 *   // 1e-4 |
 *   //      |
 *   // 1e-5 |c
 *   //      +------------------------------------------------
 *   //       1e-2                                           1e-1   h
 *   //       c central
 */
import { DownhillError } from '../errors.ts';

export interface AsciiSeries {
  readonly name: string;
  /** One character drawn at each point. */
  readonly marker: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface AsciiPlotOptions {
  readonly xLabel: string;
  readonly yLabel: string;
  /** Columns of the plotting area (default 48). */
  readonly width?: number;
  /** Rows of the plotting area (default 14). */
  readonly height?: number;
}

/** 1e-7 for 1.2e-7, as a tick label: the power of ten of log10 value `e`. */
function power(e: number): string {
  return `1e${e}`;
}

/**
 * Plots positive points on log scales for both axes (points ≤ 0 or not
 * finite are left out and counted in a note). Where two series fall on the
 * same cell, '*' is drawn. A legend follows the plot.
 */
export function asciiPlot(series: readonly AsciiSeries[], options: AsciiPlotOptions): string {
  const width = options.width ?? 48;
  const height = options.height ?? 14;
  if (!Number.isInteger(width) || width < 8 || width > 400) throw new DownhillError(`asciiPlot: width must be a whole number from 8 to 400, got ${width}`);
  if (!Number.isInteger(height) || height < 4 || height > 200) throw new DownhillError(`asciiPlot: height must be a whole number from 4 to 200, got ${height}`);
  for (const s of series) if ([...s.marker].length !== 1) throw new DownhillError(`asciiPlot: the marker of "${s.name}" must be one character`);
  let dropped = 0;
  const logs = series.map((s) => s.points.filter(([x, y]) => {
    const ok = x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y);
    if (!ok) dropped++;
    return ok;
  }).map(([x, y]) => [Math.log10(x), Math.log10(y)] as const));
  const all = logs.flat();
  if (all.length === 0) return `(nothing to plot: no positive values${dropped > 0 ? `, ${dropped} points ≤ 0 left out` : ''})`;
  const x0 = Math.floor(Math.min(...all.map((p) => p[0])));
  const x1 = Math.max(x0 + 1, Math.ceil(Math.max(...all.map((p) => p[0]))));
  const y0 = Math.floor(Math.min(...all.map((p) => p[1])));
  const y1 = Math.max(y0 + 1, Math.ceil(Math.max(...all.map((p) => p[1]))));
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const col = (lx: number): number => Math.round(((lx - x0) / (x1 - x0)) * (width - 1));
  const row = (ly: number): number => height - 1 - Math.round(((ly - y0) / (y1 - y0)) * (height - 1));
  logs.forEach((pts, s) => {
    for (const [lx, ly] of pts) {
      const r = grid[row(ly)]!;
      const c = col(lx);
      r[c] = r[c] === ' ' || r[c] === series[s]!.marker ? series[s]!.marker : '*';
    }
  });
  // y tick labels on the rows that hold a power of ten, thinned to fit.
  const yStep = Math.max(1, Math.ceil((y1 - y0) / Math.max(1, Math.floor(height / 2))));
  const yTicks = new Map<number, string>();
  for (let e = y0; e <= y1; e += yStep) yTicks.set(row(e), power(e));
  const labelWidth = Math.max(...[...yTicks.values()].map((t) => t.length));
  const lines = [options.yLabel];
  grid.forEach((cells, r) => lines.push(`${(yTicks.get(r) ?? '').padStart(labelWidth)} |${cells.join('').trimEnd()}`));
  lines.push(`${' '.repeat(labelWidth)} +${'-'.repeat(width)}`);
  // x tick labels under the columns of the powers of ten, where they fit.
  const xStep = Math.max(1, Math.ceil((x1 - x0) / Math.max(1, Math.floor(width / 7))));
  const axis = Array.from({ length: width + 8 }, () => ' ');
  for (let e = x0; e <= x1; e += xStep) {
    const label = power(e);
    const c = Math.min(col(e), width + 8 - label.length);
    if (axis.slice(Math.max(0, c - 1), c + label.length + 1).every((ch) => ch === ' ')) [...label].forEach((ch, i) => { axis[c + i] = ch; });
  }
  lines.push(`${' '.repeat(labelWidth + 2)}${axis.join('').trimEnd()}   ${options.xLabel}`);
  lines.push(`${' '.repeat(labelWidth + 2)}${series.map((s) => `${s.marker} ${s.name}`).join('   ')}${logs.length > 1 ? '   * both' : ''}${dropped > 0 ? `   (${dropped} points ≤ 0 left out)` : ''}`);
  return lines.join('\n');
}
