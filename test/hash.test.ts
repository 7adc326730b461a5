import { expect, test } from 'vitest';
import { fnv1a } from '../src/hash.ts';

// Published FNV-1a 32-bit test vectors.
test.each([
  ['', 0x811c9dc5],
  ['a', 0xe40c292c],
  ['foobar', 0xbf9cf968],
])('fnv1a(%j) = %d', (text, want) => {
  expect(fnv1a(text)).toBe(want);
});
