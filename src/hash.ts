/**
 * FNV-1a, a 32-bit hash of a string: deterministic seeds and ids from names.
 *
 *   fnv1a('')   // 2166136261
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
