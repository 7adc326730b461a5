/**
 * mathjs as downhill loads it: mathjs-core.cjs, one file that `npm run build`
 * generates (tools/build-mathjs.ts), loaded with require: an `import` of a
 * 650 kB CommonJS file would first scan it for export names
 * (cjs-module-lexer), about 50 ms of every start-up. The `downhill` command
 * keeps its compiled code between runs (compile-cache.ts).
 *
 * Bundlers for the browser take mathjs-bundle.browser.ts instead (package.json's
 * "browser" field), which imports the same file.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { requireCommonJs } from './compile-cache.ts';
import { DownhillError } from '../errors.ts';

function load(): unknown {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('./mathjs-core.cjs');
  } catch {
    throw new DownhillError(`${fileURLToPath(new URL('mathjs-core.cjs', import.meta.url))} is missing: run "npm run build" (it writes that file)`);
  }
  return requireCommonJs(require, './mathjs-core.cjs');
}

/** mathjs-core.cjs's exports (untyped here; mathjs-lib.ts gives them mathjs's types). */
export const mathjsBundle: unknown = load();
