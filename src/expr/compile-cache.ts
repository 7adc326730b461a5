/**
 * V8's code cache for the `downhill` command's start-up. Compiling mathjs's
 * 650 kB single file (mathjs-core.cjs) would be a large part of the time a
 * command like `downhill grad` takes; with the compiled code kept between runs it takes a tenth.
 *
 * - node ≥ 22.1: node's own cache (module.enableCompileCache), for every module;
 * - older node: a cache of mathjs alone, in <tmpdir>/downhill-compile-cache,
 *   written atomically (a file V8 does not accept is simply compiled again).
 *
 * Only the command turns it on (bin/downhill.js): importing the library
 * writes no file.
 *
 *   enableCompileCache()                             // once, at start-up
 *   requireCommonJs(require, './mathjs-core.cjs')
 */
import * as fs from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as vm from 'node:vm';

let cacheDir: string | undefined;

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
  cacheDir = dir ?? join(tmpdir(), 'downhill-compile-cache');
}

/**
 * `require(id)` for a CommonJS file, through the code cache when it is on.
 * The file runs as node's own require would run it (the same wrapper and arguments).
 */
export function requireCommonJs(require: NodeJS.Require, id: string): unknown {
  if (cacheDir === undefined) return require(id);
  const file = require.resolve(id);
  const source = fs.readFileSync(file, 'utf8');
  // V8 checks only the source's length against the cache: the time of the file's last change tells a rebuilt file apart.
  const changed = Math.round(fs.statSync(file).mtimeMs);
  const [prefix, suffix] = [`${basename(file)}-`, `-${process.version}-${process.arch}.v8`];
  const cacheFile = join(cacheDir, `${prefix}${source.length}-${changed}${suffix}`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(nodeModule.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, nodeModule.createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
      // The caches of earlier builds of the same file are of no more use.
      for (const old of fs.readdirSync(cacheDir)) {
        if (old.startsWith(prefix) && old.endsWith(suffix) && join(cacheDir, old) !== cacheFile) fs.rmSync(join(cacheDir, old), { force: true });
      }
    } catch {
      // No cache this time (a read-only temporary folder): the next run compiles again.
    }
  }
  return module.exports;
}
