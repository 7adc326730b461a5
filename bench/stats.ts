/**
 * Small numeric helpers of the benchmark.
 *
 *   median([3, 1, 2])                       // returns 2
 *   linearFit([1, 2, 3], [2, 4, 6])         // returns { slope: 2, intercept: 0, r2: 1 }
 *   relativeDifference(1, 1.000001, 1e-12)  // returns about 1e-6
 */
import { realpathSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The median (the mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Least-squares line y ≈ slope·x + intercept, with r² (1 = a perfect fit). */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx, dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/** |a − b| / max(|a|, |b|, floor): relative, but absolute below `floor`. */
export function relativeDifference(a: number, b: number, floor: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** The largest relativeDifference over two vectors, with the floor relative to the largest |a[k]|. */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>, floorFraction = 1e-6): number {
  let scale = 0;
  for (let k = 0; k < a.length; k++) scale = Math.max(scale, Math.abs(a[k]!));
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, relativeDifference(a[k]!, b[k]!, floorFraction * scale));
  return worst;
}

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(fileURLToPath(url)) === realpathSync(script);
  } catch {
    return false;
  }
}

/**
 * A warning for a busy machine (1-minute load average above cores − 1: less
 * than one idle core), whose timings can be several times off; undefined when it is quiet.
 */
export function busyMachineWarning(tool: string, load = loadavg()[0]!): string | undefined {
  if (load <= cpus().length - 1) return undefined;
  return `${tool}: warning: the machine is busy (load average ${load.toFixed(2)} on ${cpus().length} cores): timings can be several times off; run again on a quiet machine`;
}
