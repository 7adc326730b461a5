/**
 * V8's code cache for the `downhill` command's start-up. Compiling mathjs's
 * 700 kB single-file build is most of the time a command like `downhill grad`
 * takes; with the compiled code kept between runs it takes a tenth.
 *
 * - node ≥ 22.1: node's own cache (module.enableCompileCache), for every module;
 * - older node: a cache of mathjs alone, in <tmpdir>/downhill-compile-cache,
 *   written atomically (a file V8 does not accept is simply compiled again).
 *
 * Only the command turns it on (bin/downhill.js): importing the library
 * writes no file. Nothing here imports a node module at load time, so the
 * library still bundles for a browser.
 *
 *   enableCompileCache()                             // once, at start-up
 *   requireCommonJs(require, 'mathjs/lib/browser/math.js')
 */
type Builtin = <T>(id: string) => T;
const builtin = (globalThis as { process?: { getBuiltinModule?: Builtin } }).process?.getBuiltinModule;

let cacheDir: string | undefined;

/** Turns the cache on for this process. */
export function enableCompileCache(): void {
  if (!builtin) return;
  const module = builtin<{ enableCompileCache?: () => unknown }>('node:module');
  if (typeof module.enableCompileCache === 'function') {
    module.enableCompileCache();
    return;
  }
  const { tmpdir } = builtin<typeof import('node:os')>('node:os');
  const { join } = builtin<typeof import('node:path')>('node:path');
  cacheDir = join(tmpdir(), 'downhill-compile-cache');
}

/**
 * `require(id)` for a CommonJS file, through the code cache when it is on.
 * The file runs as node's own require would run it (the same wrapper and arguments).
 */
export function requireCommonJs(require: NodeJS.Require, id: string): unknown {
  if (cacheDir === undefined || !builtin) return require(id);
  const fs = builtin<typeof import('node:fs')>('node:fs');
  const { basename, dirname, join } = builtin<typeof import('node:path')>('node:path');
  const vm = builtin<typeof import('node:vm')>('node:vm');
  const { wrap, createRequire } = builtin<{ wrap(source: string): string; createRequire(path: string): NodeJS.Require }>('node:module');
  const file = require.resolve(id);
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = join(cacheDir, `${basename(file)}-${source.length}-${process.version}-${process.arch}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
    } catch {
      // No cache this time (a read-only temporary folder): the next run compiles again.
    }
  }
  return module.exports;
}
