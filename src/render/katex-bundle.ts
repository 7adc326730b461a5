/**
 * KaTeX as downhill loads it in node: its CommonJS build (katex/dist/katex.js,
 * what `require('katex')` resolves to), through the command's code cache
 * (expr/compile-cache.ts), and only when a formula needs it. An `import` would
 * compile katex.mjs's 600 kB on every run; with the compiled code kept between
 * runs (that of the parser's functions too: the cache is written when the
 * command ends) it is read instead, and, on node before 22.1 (where the
 * command keeps its own cache folder), a run whose every formula an earlier
 * run's KaTeX accepted (acceptedTex) does not load KaTeX at all.
 *
 * Both builds are KaTeX's own of one version (its package.json's `exports`):
 * the same renderer, the same ParseError. Bundlers for the browser take
 * katex-bundle.browser.ts instead (package.json's "browser" field), which imports 'katex'.
 */
import type katexModule from 'katex';
import { createRequire } from 'node:module';
import { keptStrings, requireCommonJs, type KeptStrings } from '../expr/compile-cache.ts';

const require = createRequire(import.meta.url);
let katex: typeof katexModule | undefined;

/** KaTeX's exports, as `import katex from 'katex'` gives them, loaded on the first call. */
export function loadKatex(): typeof katexModule {
  return (katex ??= requireCommonJs(require, 'katex') as typeof katexModule);
}

/**
 * The formulas (keys of render/katex.ts's checkTex) this KaTeX file, with
 * `settings`, accepted in earlier runs of the command: kept in the code
 * cache's folder, for exactly this katex.js (its path and content) and these
 * settings; empty where the cache is off (the library, the tests).
 */
export function acceptedTex(settings: string): KeptStrings {
  let file: string;
  try {
    file = require.resolve('katex');
  } catch {
    return { has: () => false, add: () => undefined };
  }
  return keptStrings(file, settings);
}
