/**
 * Small raster pictures (a digit, a hidden unit's weights) as PNG data URIs
 * inside SVG, written in plain JavaScript (no zlib: stored deflate blocks),
 * so they work in Node and in browsers alike.
 *
 *   const uri = pngDataUri(28, 28, greyToRgb(pixels))   // 'data:image/png;base64,...'
 *   imageGridSvg([{ pixels, caption: '7' }], { width: 28, height: 28 })
 */
import { escapeHtml } from './page-html.ts';
import { arrayOf, checkArg, checkOptions, checkWhole, describeValue, DownhillError, NUMBER, NUMBERS, objectWith, TEXT } from '../errors.ts';

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** zlib stream of stored (uncompressed) deflate blocks. */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + raw.length + 4);
  out[0] = 0x78; out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535, len = Math.min(65535, raw.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = len & 0xff; out[o++] = len >>> 8;
    out[o++] = ~len & 0xff; out[o++] = (~len >>> 8) & 0xff;
    out.set(raw.subarray(start, start + len), o);
    o += len;
  }
  let a = 1, s = 0;
  for (const v of raw) { a = (a + v) % 65521; s = (s + a) % 65521; }
  new DataView(out.buffer).setUint32(o, ((s << 16) | a) >>> 0);
  return out;
}

/** An RGB image (3 bytes a pixel, row by row), or RGBA with `alpha` (4 bytes a pixel; 0 is transparent), as a PNG data URI. */
export function pngDataUri(width: number, height: number, rgb: Uint8Array, alpha = false): string {
  const bytes = alpha ? 4 : 3;
  const raw = new Uint8Array(height * (1 + bytes * width));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * bytes * width, (y + 1) * bytes * width), y * (1 + bytes * width) + 1);
  const header = new Uint8Array(13);
  const v = new DataView(header.buffer);
  v.setUint32(0, width); v.setUint32(4, height);
  header[8] = 8; header[9] = alpha ? 6 : 2; // 8 bits, RGB or RGBA
  const parts = [Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10), chunk('IHDR', header), chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array(0))];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { png.set(p, o); o += p.length; }
  let bin = '';
  for (const b of png) bin += String.fromCharCode(b);
  return `data:image/png;base64,${btoa(bin)}`;
}

/** The door of the colourings: values an array of numbers, no more than one grid's pixels. */
function checkPixels(fn: string, values: unknown): asserts values is ArrayLike<number> {
  checkArg(fn, 'values', values, NUMBERS);
  if (values.length > MAX_GRID_PIXELS) throw new DownhillError(`${fn}: values has ${values.length.toLocaleString('en')} numbers: at most ${MAX_GRID_PIXELS.toLocaleString('en')} pixels`);
}

/** Grey levels in [0, 1] (ink = 1) as dark ink on white. */
export function greyToRgb(values: ArrayLike<number>): Uint8Array {
  checkPixels('greyToRgb', values);
  const out = new Uint8Array(values.length * 3);
  for (let i = 0; i < values.length; i++) out.fill(Math.round(255 * (1 - Math.min(1, Math.max(0, values[i]!)))), 3 * i, 3 * i + 3);
  return out;
}

/** Signed values as blue (negative) through white to red (positive), ±`limit` saturating. */
export function divergingRgb(values: ArrayLike<number>, limit: number): Uint8Array {
  checkPixels('divergingRgb', values);
  checkArg('divergingRgb', 'limit', limit, NUMBER);
  const out = new Uint8Array(values.length * 3);
  for (let i = 0; i < values.length; i++) {
    const t = Math.max(-1, Math.min(1, values[i]! / (limit || 1)));
    const fade = Math.round(255 * (1 - Math.abs(t)));
    if (t >= 0) out.set([255, fade, fade], 3 * i);
    else out.set([fade, fade, 255], 3 * i);
  }
  return out;
}

export interface GridImage {
  /** Pixels as RGB bytes, width·height·3. */
  readonly rgb: Uint8Array;
  readonly caption: string;
  /** Draw the caption in red (a wrong prediction). */
  readonly alert?: boolean;
}

/** The largest image side and the most pixels of one grid imageGridSvg draws. */
const MAX_IMAGE_SIDE = 4096;
const MAX_GRID_PIXELS = 50_000_000;

/** Images in a grid, each scaled up `scale` times with its caption under it, as one SVG. */
export function imageGridSvg(images: readonly GridImage[], options: { width: number; height: number; columns?: number; scale?: number }): string {
  const fn = 'imageGridSvg';
  if (!Array.isArray(images)) throw new DownhillError(`${fn}: images must be an array of { rgb, caption }, got ${describeValue(images)}`);
  if (options === null || typeof options !== 'object') throw new DownhillError(`${fn}: options must be an object { width, height, columns, scale }, got ${describeValue(options)}`);
  checkOptions(fn, options, ['width', 'height', 'columns', 'scale']);
  // Each image is a PNG of width × height pixels in the SVG's text: 4,096 a side is a large photograph.
  checkWhole(fn, 'width', options.width, 1, MAX_IMAGE_SIDE);
  checkWhole(fn, 'height', options.height, 1, MAX_IMAGE_SIDE);
  if (options.columns !== undefined) checkWhole(fn, 'columns', options.columns, 1, 1000);
  if (options.scale !== undefined) checkWhole(fn, 'scale', options.scale, 1, 64);
  if (images.length * options.width * options.height > MAX_GRID_PIXELS) throw new DownhillError(`${fn}: ${images.length} images of ${options.width} × ${options.height} pixels: at most ${MAX_GRID_PIXELS.toLocaleString('en')} pixels in one grid`);
  images.forEach((im: unknown, k) => {
    const rgb = (im as { rgb?: unknown } | null)?.rgb;
    if (!(rgb instanceof Uint8Array) || rgb.length !== options.width * options.height * 3) {
      throw new DownhillError(`${fn}: images[${k}].rgb must be a Uint8Array of ${options.width} × ${options.height} × 3 bytes, got ${describeValue(rgb)}`);
    }
    if (typeof (im as { caption?: unknown }).caption !== 'string') throw new DownhillError(`${fn}: images[${k}].caption must be text, got ${describeValue((im as { caption?: unknown }).caption)}`);
  });
  const scale = options.scale ?? 2, cols = Math.max(1, Math.min(options.columns ?? 10, images.length));
  const w = options.width * scale, h = options.height * scale, cellW = w + 8, cellH = h + 20;
  const rows = Math.ceil(images.length / cols);
  const cells = images.map((im, k) => {
    const x = (k % cols) * cellW + 4, y = Math.floor(k / cols) * cellH + 4;
    return `<image x="${x}" y="${y}" width="${w}" height="${h}" style="image-rendering:pixelated" href="${pngDataUri(options.width, options.height, im.rgb)}"/>`
      + `<text x="${x + w / 2}" y="${y + h + 13}" text-anchor="middle" font-size="11" font-family="sans-serif" fill="${im.alert ? '#c00' : '#222'}">${escapeHtml(im.caption)}</text>`;
  });
  // one image to a screen reader, named by what it holds (a figure's caption says the rest)
  const name = `${images.length === 1 ? 'an image' : `${images.length} images`}, each with its caption under it`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${cols * cellW}" height="${rows * cellH}" viewBox="0 0 ${cols * cellW} ${rows * cellH}" role="img" aria-label="${name}">${cells.join('')}</svg>`;
}

/** The most classes countMatrixSvg draws (34 pixels a cell). */
const MAX_COUNT_CLASSES = 100;

/** A matrix of counts as a heat map with the numbers in the cells (rows: true class, columns: predicted). */
export function countMatrixSvg(counts: readonly (readonly number[])[], options: { rowLabel: string; columnLabel: string }): string {
  const fn = 'countMatrixSvg';
  checkArg(fn, 'counts', counts, arrayOf(NUMBERS, 'a square array of rows of counts'));
  if (counts.length < 1 || counts.length > MAX_COUNT_CLASSES || counts.some((row) => row.length !== counts.length)) {
    throw new DownhillError(`${fn}: counts must be a square array of 1 to ${MAX_COUNT_CLASSES} rows of as many counts, got ${counts.length} rows of ${[...new Set(counts.map((r) => r.length))].join(', ') || 'none'}`);
  }
  checkArg(fn, 'options', options, objectWith('rowLabel', 'columnLabel'));
  checkOptions(fn, options, ['rowLabel', 'columnLabel']);
  checkArg(fn, 'rowLabel', options.rowLabel, TEXT);
  checkArg(fn, 'columnLabel', options.columnLabel, TEXT);
  const n = counts.length, cell = 34, left = 60, top = 44;
  const max = Math.max(1, ...counts.flat());
  const parts: string[] = [];
  counts.forEach((row, i) => row.forEach((v, j) => {
    const t = v / max, x = left + j * cell, y = top + i * cell;
    const fill = i === j ? `rgb(${Math.round(255 - 200 * t)},${Math.round(255 - 90 * t)},${Math.round(255 - 200 * t)})` : `rgb(255,${Math.round(255 - 220 * Math.sqrt(t))},${Math.round(255 - 220 * Math.sqrt(t))})`;
    parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ddd"/>`);
    if (v > 0) parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" font-size="11" font-family="sans-serif">${v}</text>`);
  }));
  for (let k = 0; k < n; k++) {
    parts.push(`<text x="${left + k * cell + cell / 2}" y="${top - 6}" text-anchor="middle" font-size="12" font-family="sans-serif">${k}</text>`);
    parts.push(`<text x="${left - 8}" y="${top + k * cell + cell / 2 + 4}" text-anchor="end" font-size="12" font-family="sans-serif">${k}</text>`);
  }
  parts.push(`<text x="${left + (n * cell) / 2}" y="14" text-anchor="middle" font-size="12" font-family="sans-serif">${escapeHtml(options.columnLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${top + (n * cell) / 2}) rotate(-90)" text-anchor="middle" font-size="12" font-family="sans-serif">${escapeHtml(options.rowLabel)}</text>`);
  const W = left + n * cell + 10, H = top + n * cell + 10;
  // one image to a screen reader: "counts of true digit against predicted digit"
  const name = escapeHtml(`counts of ${options.rowLabel} against ${options.columnLabel}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${name}">${parts.join('')}</svg>`;
}
