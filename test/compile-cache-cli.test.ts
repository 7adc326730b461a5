/**
 * The command's code cache as a user meets it (bin/downhill.js on the build;
 * src/expr/compile-cache.ts, mathjs and KaTeX through it): the command prints
 * the same bytes with no cache, an empty one, a filled one, corrupt entries and
 * entries it cannot write, also when two commands start at once; a filled
 * entry is used, not written again; nothing is written in the project's folder.
 * `check` loads both mathjs and KaTeX and takes a second, where lesson 4 takes several.
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { entryName } from '../src/expr/compile-cache.ts';

const bin = fileURLToPath(new URL('../bin/downhill.js', import.meta.url));
const args = ['check', 'sin(x)*y', '--at', 'x=1,y=2'];
/** Node ≥ 22.1 has its own compile cache (module.enableCompileCache), which the command uses instead of downhill's. */
const ownCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

const dir = mkdtempSync(join(tmpdir(), 'downhill-cache-cli-'));
/** The user's project: the command runs here and must leave it empty. */
const project = join(dir, 'project');

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** `downhill check …` with $XDG_CACHE_HOME = `cacheHome` (the cache is `cacheHome`/downhill). */
function run(cacheHome: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: project, env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome }, stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const entries = (folder: string): string[] => readdirSync(folder).sort();

/** The cache entries the command writes: KaTeX's CommonJS build and mathjs-core.cjs, as the build in dist/ loads them. */
const expected = [createRequire(fileURLToPath(new URL('../dist/src/render/katex-bundle.js', import.meta.url))).resolve('katex'), fileURLToPath(new URL('../dist/src/expr/mathjs-core.cjs', import.meta.url))]
  .map((file) => entryName(file, readFileSync(file))).sort();

let plain: Run;
beforeAll(async () => {
  mkdirSync(project);
  // No cache: $XDG_CACHE_HOME under a file, where no folder can be made (the ordinary load).
  writeFileSync(join(dir, 'a-file'), 'not a folder');
  plain = await run(join(dir, 'a-file'));
  expect(plain.code).toBe(0);
  expect(plain.stderr).toBe('');
  expect(plain.stdout).toMatch(/agree|pass/i);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the command with its code cache', () => {
  test('two commands starting at once on an empty cache, then a third: the same bytes, two entries written whole and then used', async () => {
    const home = join(dir, 'home');
    const both = await Promise.all([run(home), run(home)]);
    for (const r of both) expect(r).toEqual(plain);
    const cache = join(home, 'downhill');
    if (!ownCache) {
      expect(readdirSync(home)).toEqual([]); // node's own cache instead, elsewhere
      return;
    }
    // One entry each for mathjs-core.cjs and KaTeX's katex.js; no temporary file left by either writer.
    const names = entries(cache);
    expect(names).toEqual(expected);
    const written = names.map((n) => ({ ino: lstatSync(join(cache, n)).ino, bytes: readFileSync(join(cache, n)) }));
    expect((await run(home))).toEqual(plain);
    // Used, not written again: a rejected or missing entry would be replaced by a new file (a new inode).
    expect(entries(cache)).toEqual(names);
    names.forEach((n, i) => {
      expect(lstatSync(join(cache, n)).ino).toBe(written[i]!.ino);
      expect(readFileSync(join(cache, n)).equals(written[i]!.bytes)).toBe(true);
    });
    expect(readdirSync(project)).toEqual([]);
  });

  test('corrupt entries: the same bytes, and the entries are written again', async () => {
    const home = join(dir, 'corrupt');
    expect(await run(home)).toEqual(plain);
    if (!ownCache) return;
    const cache = join(home, 'downhill');
    const names = entries(cache);
    expect(names).toEqual(expected);
    // One entry filled with garbage of its own length, the other cut in half.
    const garbage = Buffer.alloc(lstatSync(join(cache, names[0]!)).size, 0x5a);
    writeFileSync(join(cache, names[0]!), garbage);
    const cut = readFileSync(join(cache, names[1]!)).subarray(0, 1000);
    writeFileSync(join(cache, names[1]!), cut);
    expect(await run(home)).toEqual(plain);
    expect(entries(cache)).toEqual(names);
    expect(readFileSync(join(cache, names[0]!)).equals(garbage)).toBe(false);
    expect(readFileSync(join(cache, names[1]!)).length).toBeGreaterThan(cut.length);
    expect(readdirSync(project)).toEqual([]);
  });

  test('entries it cannot write (a folder where each goes): the same bytes, the folders untouched, no temporary file left', async () => {
    if (!ownCache) {
      expect(await run(join(dir, 'blocked'))).toEqual(plain);
      return;
    }
    const names = expected;
    const cache = join(dir, 'blocked', 'downhill');
    for (const n of names) mkdirSync(join(cache, n, 'a user file'), { recursive: true, mode: 0o700 });
    expect(await run(join(dir, 'blocked'))).toEqual(plain);
    expect(entries(cache)).toEqual(names);
    for (const n of names) expect(readdirSync(join(cache, n))).toEqual(['a user file']);
    expect(readdirSync(project)).toEqual([]);
  });
});
