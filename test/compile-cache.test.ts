/**
 * src/expr/compile-cache.ts: the command's own V8 code cache (node < 22.1).
 * A cached file must run as the file now reads, and the cache keeps one entry per file.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { enableCompileCache, requireCommonJs } from '../src/expr/compile-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'downhill-cache-test-'));
const cacheDir = join(dir, 'cache');
const file = join(dir, 'mod.cjs');
const load = (): { n: number; twice: (x: number) => number } =>
  requireCommonJs(createRequire(file), './mod.cjs') as { n: number; twice: (x: number) => number };
const entries = (): string[] => readdirSync(cacheDir).filter((f) => f.startsWith('mod.cjs-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('requireCommonJs with the cache on', () => {
  test('runs the file, keeps one cache entry, and runs an edited file of the same length as it now reads', () => {
    enableCompileCache(cacheDir);
    writeFileSync(file, 'module.exports = { n: 1, twice: (x) => 2 * x };\n');
    utimesSync(file, 1_000, 1_000);
    expect(load().n).toBe(1);
    expect(entries()).toHaveLength(1);
    const first = entries()[0];
    expect(load().twice(21)).toBe(42); // from the cache this time
    expect(entries()).toEqual([first]);

    // Same length, other content, later modification time: V8 alone would take the old cache.
    writeFileSync(file, 'module.exports = { n: 7, twice: (x) => 3 * x };\n');
    utimesSync(file, 2_000, 2_000);
    const edited = load();
    expect([edited.n, edited.twice(2)]).toEqual([7, 6]);
    expect(entries()).toHaveLength(1);
    expect(entries()[0]).not.toBe(first);
  });
});
