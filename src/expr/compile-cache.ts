/**
 * V8's code cache for the `downhill` command's start-up. Compiling mathjs's
 * 650 kB single file (mathjs-core.cjs) would be a large part of the time a
 * command like `downhill grad` takes; with the compiled code kept between runs it takes a tenth.
 *
 * - node ≥ 22.1: node's own cache (module.enableCompileCache), for every module;
 * - older node: a cache of mathjs and KaTeX (render/katex-bundle.ts), in a folder of this user's
 *   (defaultCacheDir), written atomically when the command ends, with the code
 *   of every function it ran (a file V8 does not accept is simply compiled again).
 *
 * V8 checks only the source's length against cached data, and cached data is
 * code that runs: so an entry is named by the sha256 of the file's path and content
 * (not its length or time), and the folder is used only if it is this user's
 * and no one else can write in it (cacheFolderUsable). The cache never makes
 * the command fail: any trouble with it loads the file the ordinary way.
 *
 * Only the command turns it on (bin/downhill.js): importing the library
 * writes no file.
 *
 *   enableCompileCache()                             // once, at start-up
 *   requireCommonJs(require, './mathjs-core.cjs')    // its entry, if new, written at exit (saveCompileCache)
 */
import * as fs from 'node:fs';
import nodeModule from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import * as vm from 'node:vm';

let cacheDir: string | undefined;

/** The scripts compiled without a usable entry this run, by the entry's path, to be written at exit. */
const unsaved = new Map<string, vm.Script>();

/** An entry (or a stray temporary file) not modified for this long may be removed when a new one is written. */
const staleMs = 24 * 60 * 60 * 1000;

/**
 * Turns the cache on for this process. `dir` (for tests) keeps downhill's
 * own cache there, whatever the node version.
 */
export function enableCompileCache(dir?: string): void {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (dir === undefined && typeof enable === 'function') {
    enable();
    return;
  }
  cacheDir = dir ?? defaultCacheDir();
}

/** Turns downhill's own cache off again (for tests, which share a process: see vitest.config.ts). */
export function disableCompileCache(): void {
  cacheDir = undefined;
  unsaved.clear();
  process.removeListener('exit', saveCompileCache);
}

/**
 * The cache's folder: `downhill` in the user's cache folder ($XDG_CACHE_HOME,
 * or ~/.cache if it exists), else `downhill-compile-cache-<uid>` in the
 * temporary folder (on Windows, which has no uid, that folder is the user's own).
 */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'downhill');
  try {
    const home = homedir();
    if (home && fs.statSync(join(home, '.cache')).isDirectory()) return join(home, '.cache', 'downhill');
  } catch {
    // No home folder, or no ~/.cache in it.
  }
  const uid = process.getuid?.();
  return join(tmpdir(), uid === undefined ? 'downhill-compile-cache' : `downhill-compile-cache-${uid}`);
}

/**
 * Whether a cache folder may be used, from its lstat: a real folder (not a
 * link), owned by `uid` (this user), that neither its group nor others can
 * write in. Where there are no uids (`uid` undefined: Windows), being a folder is enough.
 */
export function cacheFolderUsable(stat: Pick<fs.Stats, 'isDirectory' | 'uid' | 'mode'>, uid: number | undefined): boolean {
  if (!stat.isDirectory()) return false;
  if (uid === undefined) return true;
  return stat.uid === uid && (stat.mode & 0o022) === 0;
}

/** The cache folder, made private if new, or undefined if it is not safe to use. */
function usableCacheDir(dir: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    stat = fs.lstatSync(dir);
  }
  return cacheFolderUsable(stat, process.getuid?.()) ? dir : undefined;
}

/**
 * `require(id)` for a CommonJS file, through the code cache when it is on.
 * The file runs as node's own require would run it (the same wrapper and arguments).
 */
export function requireCommonJs(require: NodeJS.Require, id: string): unknown {
  const entry = cacheDir === undefined ? undefined : cacheEntry(require, id, cacheDir);
  if (entry === undefined) return require(id);
  const { file, source, cacheFile, cachedData } = entry;
  const script = new vm.Script(nodeModule.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, nodeModule.createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written when the process ends, with the code of every function the command ran by then (V8
    // compiles a function on its first call): written now, the entry would hold the top level only.
    if (unsaved.size === 0) process.once('exit', saveCompileCache);
    unsaved.set(cacheFile, script);
  }
  return module.exports;
}


/**
 * Writes the entries of the files compiled this run without one (at the
 * process's exit; the tests call it directly). Each is written to a temporary
 * file and renamed, so two commands starting at once each read a whole entry
 * or none. Trouble (a read-only folder, a full disk) only leaves the entry unwritten.
 */
export function saveCompileCache(): void {
  for (const [cacheFile, script] of unsaved) {
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temp, cacheFile);
      removeStale(dirname(cacheFile), cacheFile);
      // Earlier builds shared one folder, <tmp>/downhill-compile-cache: its old entries go too if it is this user's.
      const shared = join(tmpdir(), 'downhill-compile-cache');
      if (shared !== dirname(cacheFile) && cacheFolderUsable(fs.lstatSync(shared), process.getuid?.())) removeStale(shared, cacheFile);
    } catch {
      // No cache this time: the next run compiles again.
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // Nothing was written.
      }
    }
  }
  unsaved.clear();
  process.removeListener('exit', saveCompileCache);
}

/**
 * The file, its text, its cache entry's path and the entry's data if there is
 * one; undefined if the cache cannot be used here (then the file is loaded the ordinary way).
 */
function cacheEntry(require: NodeJS.Require, id: string, folder: string): { file: string; source: string; cacheFile: string; cachedData: Buffer | undefined } | undefined {
  try {
    const dir = usableCacheDir(folder);
    if (dir === undefined) return undefined;
    const file = require.resolve(id);
    const bytes = fs.readFileSync(file);
    const cacheFile = join(dir, entryName(file, bytes));
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // not cached yet
    }
    if (cachedData !== undefined) {
      try {
        const now = new Date();
        fs.utimesSync(cacheFile, now, now); // in use, so not stale: removeStale goes by this time
      } catch {
        // Its time stays: it may be compiled again a day from now.
      }
    }
    return { file, source: bytes.toString('utf8'), cacheFile, cachedData };
  } catch {
    return undefined;
  }
}

/**
 * The name of the entry of `file` with content `bytes`, for this node: the
 * file's name, then the sha256 of its path and content. The entry is the cache
 * of exactly this content (V8 would take the code of any source of the same
 * length) at this path (V8 keeps the name of the file it compiled: from another
 * install's entry, a stack trace would name that install's file).
 */
export function entryName(file: string, bytes: Uint8Array): string {
  // node:crypto only here, when the cache is used: importing the library does not load it.
  const { createHash } = nodeModule.createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256').update(file).update('\0').update(bytes).digest('hex');
  return `${basename(file)}-${hash}-${process.version}-${process.arch}.v8`;
}

/**
 * Removes the folder's entries (of any file, any version, left temporary files
 * too) not used for a day, but `keep` (an entry's time is set at each use).
 * Another install's entry of the same file is kept while in use: installs side
 * by side do not remove each other's cache at every run, and an entry removed
 * is only compiled again.
 */
function removeStale(dir: string, keep: string): void {
  const before = Date.now() - staleMs;
  for (const name of fs.readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || !/\.(v8|tmp)$/.test(name)) continue;
    try {
      if (fs.lstatSync(path).mtimeMs < before) fs.rmSync(path, { force: true });
    } catch {
      // Removed meanwhile by another run.
    }
  }
}
