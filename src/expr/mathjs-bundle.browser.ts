/**
 * mathjs-bundle.ts for browser bundles (package.json's "browser" field maps
 * dist/src/expr/mathjs-bundle.js here): the same single-file mathjs, by an
 * import that the bundler turns into a module.
 */
import math from 'mathjs/lib/browser/math.js';

/** The default mathjs instance (untyped here; mathjs-lib.ts gives it mathjs's types). */
export const mathjsBundle: unknown = math;
