/**
 * Writes src/expr/mathjs-core.cjs (and its copy in dist/src/expr/): mathjs
 * as downhill loads it (tools/mathjs-core.entry.ts), bundled by esbuild into
 * one minified CommonJS file. `npm run build` runs it; the file is generated,
 * never edited, and not kept in git.
 *
 * One file because node loads it in a few milliseconds (with its compiled
 * code kept between runs: src/expr/compile-cache.ts), where mathjs's ES
 * modules are about 1,500 files; CommonJS because node's `require` takes it
 * without scanning it for export names, and bundlers for the browser take it too.
 *
 *   npx tsx tools/build-mathjs.ts
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The generated file, relative to the project's root. */
export const mathjsCoreFile = 'src/expr/mathjs-core.cjs';

/** Bundles mathjs into src/expr/mathjs-core.cjs and copies it to dist/src/expr/. */
export async function buildMathjsCore(): Promise<void> {
  const out = join(root, mathjsCoreFile);
  const { version, license } = JSON.parse(readFileSync(join(root, 'node_modules/mathjs/package.json'), 'utf8')) as { version: string; license: string };
  await build({
    entryPoints: [join(root, 'tools/mathjs-core.entry.ts')],
    outfile: out,
    bundle: true,
    minify: true,
    format: 'cjs',
    // No node modules: the same file runs in node and in the browser.
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'warning',
    banner: { js: `/*! mathjs ${version} (${license}, https://mathjs.org) without units, bundled by downhill's tools/build-mathjs.ts (npm run build): a generated file, do not edit. */` },
  });
  const copy = join(root, 'dist', mathjsCoreFile);
  mkdirSync(dirname(copy), { recursive: true });
  copyFileSync(out, copy);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildMathjsCore();
