import { describe, expect, test } from 'vitest';
import { fnv1a, sha256Hex } from '../src/hash.ts';
import { createHash } from 'node:crypto';

// Published FNV-1a 32-bit test vectors.
test.each([
  ['', 0x811c9dc5],
  ['a', 0xe40c292c],
  ['foobar', 0xbf9cf968],
])('fnv1a(%j) = %d', (text, want) => {
  expect(fnv1a(text)).toBe(want);
});

describe('sha256Hex', () => {
  test("equals node:crypto's SHA-256 on the FIPS example, empty text, block edges (55, 56, 64 bytes) and multi-byte UTF-8", () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const text of ['', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), 'θ = w² 漢字 😀'.repeat(9)]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });
});
