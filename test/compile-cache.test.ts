/**
 * src/expr/compile-cache.ts: the command's own V8 code cache (node < 22.1).
 * A cached file must run as the file now reads (V8 itself checks only the
 * source's length), the cache lives in a folder no one else can write in, and
 * it keeps one entry per file content, removing only entries a day old.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vm from 'node:vm';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { cacheFolderUsable, defaultCacheDir, disableCompileCache, enableCompileCache, requireCommonJs, saveCompileCache, entryName } from '../src/expr/compile-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'downhill-cache-test-'));
const cacheDir = join(dir, 'cache');
const file = join(dir, 'mod.cjs');
type Mod = { n: number; twice: (x: number) => number };
/** Loads a file as one run of the command does: through the cache, whose new entries are written as the run ends. */
const loadFile = (path: string): Mod => {
  try {
    return requireCommonJs(createRequire(path), path) as Mod;
  } finally {
    saveCompileCache();
  }
};
const load = (): Mod => loadFile(file);
const entries = (folder = cacheDir): string[] => readdirSync(folder).filter((f) => f.startsWith('mod.cjs-')).sort();
/** Two bodies of the same length: V8 would run either's cached code for the other. */
const bodyOne = 'module.exports = { n: 1, twice: (x) => 2 * x };\n';
const bodySeven = 'module.exports = { n: 7, twice: (x) => 3 * x };\n';
const dayMs = 24 * 60 * 60 * 1000;
/** Sets a file's modification time `ms` milliseconds ago. */
const age = (path: string, ms: number): void => utimesSync(path, new Date(Date.now() - ms), new Date(Date.now() - ms));

// The temporary folder is this test's own: the cache may clean earlier builds' shared folder in it.
const tmpBefore = process.env.TMPDIR;
process.env.TMPDIR = join(dir, 'tmp-own');
mkdirSync(process.env.TMPDIR);
afterAll(() => {
  // The files after this one in the same worker (isolate: false) load mathjs without this test's cache folder.
  disableCompileCache();
  delete (globalThis as { downhillCacheRuns?: number }).downhillCacheRuns;
  if (tmpBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpBefore;
  rmSync(dir, { recursive: true, force: true });
});

describe('requireCommonJs with the cache on', () => {
  test('runs the file, keeps one cache entry per content, and runs an edited file of the same length as it now reads', () => {
    enableCompileCache(cacheDir);
    writeFileSync(file, bodyOne);
    utimesSync(file, 1_000, 1_000);
    expect(load().n).toBe(1);
    expect(entries()).toHaveLength(1);
    const first = entries()[0];
    expect(load().twice(21)).toBe(42); // from the cache this time
    expect(entries()).toEqual([first]);

    // Same length, other content, later modification time: V8 alone would take the old cache.
    writeFileSync(file, bodySeven);
    utimesSync(file, 2_000, 2_000);
    const edited = load();
    expect([edited.n, edited.twice(2)]).toEqual([7, 6]);
    // The first content's entry is less than a day old: kept (another install may be using it).
    expect(entries()).toHaveLength(2);
    expect(entries()).toContain(first);
  });

  test('a file of the same length and modification time as a cached one, other content (two tarball versions), runs as it reads', () => {
    const folder = join(dir, 'same-mtime');
    enableCompileCache(folder);
    const path = join(dir, 'same-mtime.cjs');
    writeFileSync(path, bodySeven);
    utimesSync(path, 5_000, 5_000);
    expect(loadFile(path).n).toBe(7);
    writeFileSync(path, bodyOne);
    utimesSync(path, 5_000, 5_000);
    const now = loadFile(path);
    expect([now.n, now.twice(2)]).toEqual([1, 4]);
  });

  test('cached code planted in a folder others can write in is not run, and nothing is written there', () => {
    const folder = join(dir, 'open');
    enableCompileCache(folder);
    // Bodies this process has not compiled yet (V8 keeps compiled scripts in memory and would not read the cache).
    const [body, plantedBody] = ['module.exports = { n: 2, twice: (x) => 5 * x };\n', 'module.exports = { n: 9, twice: (x) => 6 * x };\n'];
    // Two copies of the file (two installs), never compiled in this process.
    const [first, second] = [join(dir, 'open-first', 'open.cjs'), join(dir, 'open-second', 'open.cjs')];
    for (const path of [first, second]) {
      mkdirSync(join(path, '..'));
      writeFileSync(path, body);
    }
    // Another user can write in the folder, and plants under each copy's entry name the compiled code of a same-length body.
    mkdirSync(folder, { mode: 0o700 });
    const planted = (path: string): Buffer => new vm.Script(nodeModule.wrap(plantedBody), { filename: path }).createCachedData();
    const names = [first, second].map((path) => entryName(path, Buffer.from(body)));
    chmodSync(folder, 0o777);
    writeFileSync(join(folder, names[0]!), planted(first));
    writeFileSync(join(folder, names[1]!), planted(second));
    const now = loadFile(first);
    expect([now.n, now.twice(2)]).toEqual([2, 10]);
    expect(readdirSync(folder).sort()).toEqual([...names].sort());
    expect(readFileSync(join(folder, names[0]!)).equals(planted(first))).toBe(true);
    // What the folder check prevents: from a folder only this user can write in, V8 runs the entry's code whatever
    // the file says (the planted top level here, n: 9; functions not compiled in the entry come from the file).
    chmodSync(folder, 0o700);
    expect(loadFile(second).n).toBe(9);
  });

  test("a new entry is written when the run ends, not at load, and holds the code of the functions the run called", () => {
    const folder = join(dir, 'at-exit');
    enableCompileCache(folder);
    const body = (n: number): string => `module.exports = { n: ${n}, twice(x) { let s = 0; for (let i = 0; i < x; i++) { s += 2; } return [s, 'one', 'two', { s }][0]; } };\n`;
    const [called, uncalled] = [join(dir, 'called.cjs'), join(dir, 'uncalled.cjs')];
    writeFileSync(called, body(3));
    writeFileSync(uncalled, body(4));
    expect((requireCommonJs(createRequire(called), called) as Mod).twice(21)).toBe(42);
    expect((requireCommonJs(createRequire(uncalled), uncalled) as Mod).n).toBe(4);
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
    saveCompileCache();
    const size = (path: string): number => lstatSync(join(folder, entryName(path, readFileSync(path)))).size;
    // The same code but for n's digit: the called file's entry also holds twice's compiled code.
    expect(size(called)).toBeGreaterThan(size(uncalled));
    expect(readdirSync(folder)).toHaveLength(2);
    saveCompileCache(); // nothing left to write: no new file
    expect(readdirSync(folder)).toHaveLength(2);
  });

  test('a corrupt or cut entry is not run: the file loads as it reads and the entry is written again', () => {
    const folder = join(dir, 'corrupt');
    enableCompileCache(folder);
    mkdirSync(folder, { mode: 0o700 });
    for (const [name, bad] of [['garbage.cjs', (valid: Buffer) => Buffer.alloc(valid.length, 0x5a)], ['cut.cjs', (valid: Buffer) => valid.subarray(0, valid.length >> 1)]] as const) {
      const path = join(dir, name);
      const body = `module.exports = { n: ${name.length}, twice: (x) => 2 * x };\n`;
      writeFileSync(path, body);
      // Valid data for this source, compiled under another name (this process then has not compiled the file itself).
      const valid = new vm.Script(nodeModule.wrap(body), { filename: join(dir, `other-${name}`) }).createCachedData();
      const entry = join(folder, entryName(path, Buffer.from(body)));
      writeFileSync(entry, bad(valid));
      const loaded = loadFile(path);
      expect([loaded.n, loaded.twice(4)]).toEqual([name.length, 8]);
      expect(readFileSync(entry).equals(bad(valid))).toBe(false);
      expect(readFileSync(entry).length).toBeGreaterThan(100);
    }
  });

  test('an entry that cannot be written (a folder in its place): the file loads, and no temporary file is left', () => {
    const folder = join(dir, 'blocked');
    enableCompileCache(folder);
    const path = join(dir, 'blocked.cjs');
    const body = 'module.exports = { n: 5, twice: (x) => 2 * x };\n';
    writeFileSync(path, body);
    const entry = join(folder, entryName(path, Buffer.from(body)));
    mkdirSync(join(entry, 'inside'), { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o700);
    expect(loadFile(path).twice(8)).toBe(16);
    expect(readdirSync(folder)).toEqual([entryName(path, Buffer.from(body))]);
    expect(readdirSync(entry)).toEqual(['inside']);
  });

  test('the same content at two paths has two entries, and an error names the file that threw', () => {
    const folder = join(dir, 'two-paths');
    enableCompileCache(folder);
    const body = "module.exports = { n: 6, boom() { throw new Error('boom'); } };\n";
    const [a, b] = [join(dir, 'path-a', 'boom.cjs'), join(dir, 'path-b', 'boom.cjs')];
    for (const path of [a, b]) {
      mkdirSync(join(path, '..'));
      writeFileSync(path, body);
    }
    const stack = (path: string): string => {
      try {
        (loadFile(path) as unknown as { boom: () => void }).boom();
      } catch (e) {
        return (e as Error).stack ?? '';
      }
      return '';
    };
    expect(stack(a)).toContain(a);
    const second = stack(b);
    expect(second).toContain(b);
    expect(second).not.toContain(a);
    expect(readdirSync(folder).sort()).toEqual([entryName(a, Buffer.from(body)), entryName(b, Buffer.from(body))].sort());
  });

  test('the folder and entries it makes are private to the user (0700, 0600)', () => {
    const folder = join(dir, 'new', 'cache');
    enableCompileCache(folder);
    const path = join(dir, 'private.cjs');
    writeFileSync(path, bodyOne);
    expect(loadFile(path).n).toBe(1);
    expect(lstatSync(folder).mode & 0o777).toBe(0o700);
    const names = readdirSync(folder);
    expect(names).toHaveLength(1);
    expect(lstatSync(join(folder, names[0]!)).mode & 0o077).toBe(0);
  });

  test("two installs' same-named files keep both entries; entries unchanged for a day are removed when one is written", () => {
    const folder = join(dir, 'installs');
    enableCompileCache(folder);
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'mod.cjs'), bodyOne);
    writeFileSync(join(b, 'mod.cjs'), bodySeven);
    expect(loadFile(join(a, 'mod.cjs')).n).toBe(1);
    expect(loadFile(join(b, 'mod.cjs')).n).toBe(7);
    expect(entries(folder)).toHaveLength(2);
    expect(loadFile(join(a, 'mod.cjs')).n).toBe(1);
    expect(entries(folder)).toHaveLength(2);
    const [recentA, recentB] = entries(folder);

    // An old build's entry of the same file, an old-format entry and a left temporary file, all two days old;
    // a recent entry of another file; a file that is no entry.
    const old = ['mod.cjs-0123-v20.0.0-x64.v8', 'math.js-649711-v20.20.2-x64.v8', 'mod.cjs-1.v8.99.tmp'];
    const kept = ['other.cjs-4567-v20.0.0-x64.v8', 'notes.txt'];
    for (const name of [...old, ...kept]) writeFileSync(join(folder, name), 'x');
    for (const name of [...old, 'notes.txt']) age(join(folder, name), 2 * dayMs);
    age(join(folder, recentA!), dayMs - 60_000); // a day old less a minute: kept

    writeFileSync(join(dir, 'third.cjs'), 'module.exports = { n: 3, twice: (x) => 4 * x };\n');
    expect(loadFile(join(dir, 'third.cjs')).n).toBe(3);
    const left = readdirSync(folder);
    for (const name of old) expect(left).not.toContain(name);
    for (const name of [...kept, recentA!, recentB!]) expect(left).toContain(name);
    expect(left.filter((f) => f.startsWith('third.cjs-'))).toHaveLength(1);
  });

  test('an entry written two days ago but used today is kept when another is written', () => {
    const folder = join(dir, 'in-use');
    enableCompileCache(folder);
    const [used, other] = [join(dir, 'used.cjs'), join(dir, 'other-now.cjs')];
    writeFileSync(used, bodyOne);
    writeFileSync(other, bodySeven);
    expect(loadFile(used).n).toBe(1);
    const [entry] = readdirSync(folder);
    age(join(folder, entry!), 2 * dayMs);
    expect(loadFile(used).n).toBe(1); // a hit: the entry is in use
    expect(loadFile(other).n).toBe(7); // writes an entry, removing stale ones
    expect(readdirSync(folder)).toContain(entry);
  });

  test("the file's own error reaches the caller and the file runs once, whether the cache is used or not", () => {
    const body = "globalThis.downhillCacheRuns = (globalThis.downhillCacheRuns ?? 0) + 1; throw new Error('boom in the file');\n";
    const runs = (): unknown => (globalThis as { downhillCacheRuns?: number }).downhillCacheRuns;
    const open = join(dir, 'throws-open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    for (const [folder, name] of [[join(dir, 'throws-cache'), 'throws-a.cjs'], [open, 'throws-b.cjs']] as const) {
      enableCompileCache(folder);
      const path = join(dir, name);
      writeFileSync(path, body);
      (globalThis as { downhillCacheRuns?: number }).downhillCacheRuns = 0;
      expect(() => loadFile(path)).toThrow('boom in the file');
      expect(runs()).toBe(1);
    }
  });

  test('a cache path that cannot be a folder: the file loads the ordinary way', () => {
    const notFolder = join(dir, 'a-file');
    writeFileSync(notFolder, 'x');
    enableCompileCache(join(notFolder, 'cache'));
    const path = join(dir, 'plain.cjs');
    writeFileSync(path, bodySeven);
    expect(loadFile(path).twice(5)).toBe(15);
  });
});

describe('where the cache lives', () => {
  const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test("defaultCacheDir: $XDG_CACHE_HOME/downhill, else ~/.cache/downhill if ~/.cache exists, else a folder of this user's uid in the temporary folder", () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.cache'), { recursive: true });
    const bare = join(dir, 'bare-home');
    mkdirSync(bare);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    process.env.TMPDIR = tmp;

    process.env.XDG_CACHE_HOME = '/x/cache';
    process.env.HOME = home;
    expect(defaultCacheDir()).toBe(join('/x/cache', 'downhill'));
    process.env.XDG_CACHE_HOME = 'relative/cache'; // not absolute: ignored, as the XDG specification says
    expect(defaultCacheDir()).toBe(join(home, '.cache', 'downhill'));
    delete process.env.XDG_CACHE_HOME;
    expect(defaultCacheDir()).toBe(join(home, '.cache', 'downhill'));
    process.env.HOME = bare;
    expect(defaultCacheDir()).toBe(join(tmp, `downhill-compile-cache-${process.getuid!()}`));
  });

  test("earlier builds' shared folder in the temporary folder loses its day-old entries when it is this user's", () => {
    const tmp = join(dir, 'tmp-shared');
    const shared = join(tmp, 'downhill-compile-cache');
    mkdirSync(shared, { recursive: true, mode: 0o755 });
    chmodSync(shared, 0o755);
    process.env.TMPDIR = tmp;
    for (const name of ['math.js-649711-v20.20.2-x64.v8', 'mathjs-core.cjs-668000-1796028529076-v20.20.2-x64.v8', 'recent.cjs-1-v20.0.0-x64.v8']) writeFileSync(join(shared, name), 'x');
    age(join(shared, 'math.js-649711-v20.20.2-x64.v8'), 2 * dayMs);
    age(join(shared, 'mathjs-core.cjs-668000-1796028529076-v20.20.2-x64.v8'), 2 * dayMs);
    enableCompileCache(join(dir, 'after-shared'));
    const path = join(dir, 'shared.cjs');
    writeFileSync(path, bodyOne);
    expect(loadFile(path).n).toBe(1);
    expect(readdirSync(shared)).toEqual(['recent.cjs-1-v20.0.0-x64.v8']);
  });
});

describe('cacheFolderUsable', () => {
  const folder = (uid: number, mode: number, isFolder = true) => ({ isDirectory: () => isFolder, uid, mode: (isFolder ? 0o040000 : 0o120000) | mode });
  test("only a folder of this user's that its group and others cannot write in", () => {
    expect(cacheFolderUsable(folder(1000, 0o700), 1000)).toBe(true);
    expect(cacheFolderUsable(folder(1000, 0o755), 1000)).toBe(true); // others may read compiled mathjs, not change it
    expect(cacheFolderUsable(folder(1001, 0o700), 1000)).toBe(false); // another user's
    expect(cacheFolderUsable(folder(0, 0o700), 1000)).toBe(false);
    expect(cacheFolderUsable(folder(1000, 0o770), 1000)).toBe(false); // group-writable
    expect(cacheFolderUsable(folder(1000, 0o702), 1000)).toBe(false); // world-writable
    expect(cacheFolderUsable(folder(1000, 0o1777), 1000)).toBe(false); // like /tmp itself
    expect(cacheFolderUsable(folder(1000, 0o777, false), 1000)).toBe(false); // a symbolic link (lstat)
    expect(cacheFolderUsable(folder(1000, 0o777), undefined)).toBe(true); // Windows: no uids, no modes
    expect(cacheFolderUsable(folder(1000, 0o700, false), undefined)).toBe(false);
  });
});
