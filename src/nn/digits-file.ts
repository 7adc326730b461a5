/**
 * The digits file, data/digits.bin.gz: the 10,000 MNIST digits in 1.8 MB,
 * read alike by Node and by a browser (gzip, undone by DecompressionStream,
 * which both have). tools/build-digits.ts writes it from the `mnist` package.
 *
 * Layout (little-endian), after gunzip:
 *   offset          size            what
 *   0               4               "DHDG"
 *   4               1               version: 1
 *   5               4               n: the number of digits
 *   9               2               t: the number of grey levels (≤ 256)
 *   11              2t              each grey level in thousandths (level = k / 1000, the package's own number)
 *   11 + 2t         n               each digit's label, 0–9
 *   11 + 2t + n     784 n           each digit's pixels, row by row: the index of its grey level
 *
 *   const { pixels, labels } = decodeDigits(await gunzip(bytes))
 */
import { DownhillError } from '../errors.ts';

const MAGIC = 'DHDG';
/** Pixels of a digit, 28 × 28 (digits.ts's DIGIT_PIXELS; not imported from there, which imports this file). */
const DIGIT_PIXELS = 784;

/** Every digit as the package has them: pixels (n × 784 grey levels in [0, 1]) and labels. */
export interface DigitTable {
  readonly pixels: Float64Array;
  readonly labels: Uint8Array;
}

/** The file's bytes (before gzip) of a table of digits whose grey levels are whole thousandths, at most 256 of them. */
export function encodeDigits({ pixels, labels }: DigitTable): Uint8Array {
  const n = labels.length;
  const levels = [...new Set(pixels)].sort((a, b) => a - b);
  if (levels.length > 256) throw new DownhillError(`digits file: ${levels.length} grey levels, at most 256`);
  const index = new Map(levels.map((v, k) => [v, k]));
  for (const v of levels) if (Math.round(v * 1000) / 1000 !== v) throw new DownhillError(`digits file: grey level ${v} is not a whole number of thousandths`);
  const t = levels.length;
  const bytes = new Uint8Array(11 + 2 * t + n + DIGIT_PIXELS * n);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  bytes[4] = 1;
  view.setUint32(5, n, true);
  view.setUint16(9, t, true);
  levels.forEach((v, k) => view.setUint16(11 + 2 * k, Math.round(v * 1000), true));
  bytes.set(labels, 11 + 2 * t);
  const start = 11 + 2 * t + n;
  for (let i = 0; i < pixels.length; i++) bytes[start + i] = index.get(pixels[i]!)!;
  return bytes;
}

/** The digits of the file's bytes (after gunzip); a DownhillError names what is wrong with a file that is not one. */
export function decodeDigits(bytes: Uint8Array): DigitTable {
  const bad = (what: string): DownhillError => new DownhillError(`digits file: ${what}`);
  if (bytes.length < 11 || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) throw bad('not a downhill digits file (no "DHDG" at its start)');
  if (bytes[4] !== 1) throw bad(`version ${bytes[4]}, this downhill reads version 1`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(5, true);
  const t = view.getUint16(9, true);
  const start = 11 + 2 * t + n;
  if (bytes.length !== start + DIGIT_PIXELS * n) throw bad(`${bytes.length} bytes, ${start + DIGIT_PIXELS * n} expected for ${n} digits`);
  // k / 1000 is the double nearest the decimal k thousandths: the number JSON.parse gives for it.
  const levels = Float64Array.from({ length: t }, (_, k) => view.getUint16(11 + 2 * k, true) / 1000);
  const labels = bytes.slice(11 + 2 * t, start);
  const pixels = new Float64Array(DIGIT_PIXELS * n);
  for (let i = 0; i < pixels.length; i++) {
    const level = levels[bytes[start + i]!];
    if (level === undefined) throw bad(`pixel ${i} names grey level ${bytes[start + i]}, of ${t}`);
    pixels[i] = level;
  }
  return { pixels, labels };
}

/** Gzip undone with DecompressionStream: the same code in Node (18+) and in a browser. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** node:fs/promises, by process.getBuiltinModule (node 20.16+) or, before it, an import whose name a bundler does not follow. */
async function nodeFs(): Promise<typeof import('node:fs/promises')> {
  const builtin = (globalThis.process as { getBuiltinModule?: (name: string) => unknown } | undefined)?.getBuiltinModule;
  if (typeof builtin === 'function') return builtin('node:fs/promises') as typeof import('node:fs/promises');
  const name = ['node:fs', 'promises'].join('/');
  return import(/* @vite-ignore */ name) as Promise<typeof import('node:fs/promises')>;
}

/** Where the file's bytes come from in place of the disk (useDigitsBytes). */
let bytesSource: (() => Promise<Uint8Array>) | undefined;

/**
 * Reads the digits file's bytes (gzipped, as on disk) from `source` from now
 * on, in place of the disk: the live site's worker, which has no disk, gets
 * them from its page.
 */
export function useDigitsBytes(source: () => Promise<Uint8Array>): void {
  if (typeof source !== 'function') throw new DownhillError('useDigitsBytes: source must be a function returning the file\'s bytes');
  bytesSource = source;
}

/** The digits file shipped with the package, read from disk (in Node), or from where useDigitsBytes says. */
export async function readDigitsFile(): Promise<DigitTable> {
  if (bytesSource !== undefined) return decodeDigits(await gunzip(await bytesSource()));
  // data/ is beside src/ in a checkout, two folders up from dist/src/nn/ when built.
  const file = new URL(import.meta.url.endsWith('.ts') ? '../../data/digits.bin.gz' : '../../../data/digits.bin.gz', import.meta.url);
  // Node's own module, asked for at run time: a browser bundle of the library never sees a node: import (a bundler would warn, or fail).
  const { readFile } = await nodeFs();
  const bytes = await readFile(file).catch(() => {
    throw new DownhillError(`the digits file ${file.pathname} is missing: reinstall downhill (or, in a checkout, npm run digits)`);
  });
  return decodeDigits(await gunzip(bytes));
}
