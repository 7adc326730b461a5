import { describe, expect, test } from 'vitest';
import { fnv1a, sha256Hex, sha256HexAsync } from '../src/hash.ts';
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

describe('sha256HexAsync', () => {
  test("equals node:crypto's SHA-256, by Web Crypto and without it (then sha256Hex)", async () => {
    const texts = ['', 'abc', 'a'.repeat(56), 'θ = w² 漢字 😀'.repeat(9)];
    for (const text of texts) expect(await sha256HexAsync(text)).toBe(createHash('sha256').update(text).digest('hex'));
    const crypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    try {
      for (const text of texts) expect(await sha256HexAsync(text)).toBe(createHash('sha256').update(text).digest('hex'));
    } finally {
      Object.defineProperty(globalThis, 'crypto', crypto);
    }
  });
});
