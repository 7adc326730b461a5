/**
 * mathjs-bundle.ts for browser bundles (package.json's "browser" field maps
 * dist/src/expr/mathjs-bundle.js here): the same mathjs-core.cjs, by an
 * import that the bundler turns into a module.
 */
import * as core from './mathjs-core.cjs';

/** mathjs-core.cjs's exports (untyped here; mathjs-lib.ts gives them mathjs's types). */
export const mathjsBundle: unknown = core;
