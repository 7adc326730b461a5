/**
 * mathjs's single-file build (a CommonJS file), loaded with require: an
 * `import` of a 700 kB CommonJS file would first scan it for export names
 * (cjs-module-lexer), about 50 ms of every start-up. The `downhill` command
 * keeps its compiled code between runs (compile-cache.ts).
 *
 * Bundlers for the browser take mathjs-bundle.browser.ts instead (package.json's
 * "browser" field), which imports the same file.
 */
import { createRequire } from 'node:module';
import { requireCommonJs } from './compile-cache.ts';

/** The default mathjs instance (untyped here; mathjs-lib.ts gives it mathjs's types). */
export const mathjsBundle: unknown = requireCommonJs(createRequire(import.meta.url), 'mathjs/lib/browser/math.js');
