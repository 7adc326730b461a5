/**
 * KaTeX as downhill loads it in node: its CommonJS build (katex/dist/katex.js,
 * what `require('katex')` resolves to), through the command's code cache
 * (expr/compile-cache.ts). An `import` would compile katex.mjs's 600 kB on
 * every run, a tenth of `downhill lesson 4 --no-page`; with the compiled code
 * kept between runs (that of the parser's functions too: the cache is written
 * when the command ends) it is read instead.
 *
 * Both builds are KaTeX's own of one version (its package.json's `exports`):
 * the same renderer, the same ParseError. Bundlers for the browser take
 * katex-bundle.browser.ts instead (package.json's "browser" field), which imports 'katex'.
 */
import type katexModule from 'katex';
import { createRequire } from 'node:module';
import { requireCommonJs } from '../expr/compile-cache.ts';

/** KaTeX's exports, as `import katex from 'katex'` gives them. */
const katex = requireCommonJs(createRequire(import.meta.url), 'katex') as typeof katexModule;
export default katex;
