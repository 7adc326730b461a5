/**
 * mathjs's single-file build (a CommonJS file), loaded the fastest way the
 * platform allows:
 * - in node, with require (node ≥ 20.16 hands it out without an import of
 *   node:module), through the command's code cache (compile-cache.ts): an
 *   `import` of a 700 kB CommonJS file would first scan it for export names
 *   (cjs-module-lexer), about 50 ms of every start-up;
 * - elsewhere (a browser bundle made by Vite or another bundler), with an
 *   import, which the bundler turns into a module.
 */
import { requireCommonJs } from '../compile-cache.ts';

type GetBuiltin = (id: 'node:module') => { createRequire(url: string): NodeJS.Require };

const getBuiltin = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process?.getBuiltinModule;

/** The default mathjs instance (untyped here; mathjs-lib.ts gives it mathjs's types). */
export const mathjsBundle: unknown = getBuiltin
  ? requireCommonJs(getBuiltin('node:module').createRequire(import.meta.url), 'mathjs/lib/browser/math.js')
  : (await import('mathjs/lib/browser/math.js')).default;
