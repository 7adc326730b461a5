/**
 * `node:module` for the browser build. The engine loads mathjs's single-file
 * build with `createRequire(import.meta.url)('mathjs/lib/browser/math.js')`
 * (src/expr/mathjs-lib.ts); here that file is bundled instead, so the
 * browser runs the same mathjs, and the engine's source stays as it is.
 */
// @ts-expect-error: the UMD build has no type declarations of its own
import browserMath from 'mathjs/lib/browser/math.js';

const modules: Readonly<Record<string, unknown>> = { 'mathjs/lib/browser/math.js': browserMath };

export function createRequire(): (id: string) => unknown {
  return (id) => {
    if (!(id in modules)) throw new Error(`require('${id}') is not available in the browser`);
    return modules[id];
  };
}
