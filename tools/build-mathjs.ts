/**
 * Writes src/expr/mathjs-core.cjs (and its copy in dist/src/expr/): mathjs
 * as downhill loads it (tools/mathjs-core.entry.ts), bundled by esbuild into
 * one minified CommonJS file, and beside it mathjs-core.LICENSES.txt, the
 * licences of the packages it takes code from. `npm run build` runs it; the file is generated,
 * never edited, and not kept in git.
 *
 * One file because node loads it in a few milliseconds (with its compiled
 * code kept between runs: src/expr/compile-cache.ts), where mathjs's ES
 * modules are about 1,500 files; CommonJS because node's `require` takes it
 * without scanning it for export names, and bundlers for the browser take it too.
 *
 *   npx tsx tools/build-mathjs.ts
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The generated file, relative to the project's root. */
export const mathjsCoreFile = 'src/expr/mathjs-core.cjs';
/** The licences of the packages bundled in it, generated beside it. */
export const mathjsCoreLicenseFile = 'src/expr/mathjs-core.LICENSES.txt';

/**
 * The licence texts of every package the bundle takes code from (mathjs's
 * NOTICE too), read from node_modules; a package that ships no licence file
 * is named with the licence its package.json declares.
 */
function licenses(inputs: readonly string[]): string {
  const packages = [...new Set(inputs.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []))].sort();
  const parts = packages.map((name) => {
    const dir = join(root, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string; author?: unknown };
    const files = readdirSync(dir).filter((f) => /^(licen[cs]e|notice)(\.(md|txt))?$/i.test(f)).sort();
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
    if (texts.length === 0) {
      const author = typeof pkg.author === 'string' ? pkg.author : (pkg.author as { name?: string } | undefined)?.name;
      texts.push(`${pkg.license ?? 'no licence declared'}${author ? `, by ${author}` : ''} (the package ships no licence file; this is what its package.json declares)`);
    }
    return [`${name} ${pkg.version}`, '-'.repeat(`${name} ${pkg.version}`.length), ...texts].join('\n\n');
  });
  return `mathjs-core.cjs bundles code from these packages (tools/build-mathjs.ts, npm run build).\n\n${parts.join('\n\n\n')}\n`;
}

/**
 * seedrandom (behind mathjs's random functions, which downhill never calls)
 * requires node's crypto only to seed itself when it is given no seed, and
 * mathjs always gives one; loading crypto was about 5 ms of every start-up.
 * The bundle gets nothing for it (seedrandom then falls back as in a browser).
 */
const noNodeCrypto: Plugin = {
  name: 'no-node-crypto',
  setup(b) {
    b.onResolve({ filter: /^crypto$/ }, () => ({ path: 'crypto', namespace: 'no-node-crypto' }));
    b.onLoad({ filter: /.*/, namespace: 'no-node-crypto' }, () => ({ contents: 'module.exports = undefined;', loader: 'js' }));
  },
};

/** Bundles mathjs into src/expr/mathjs-core.cjs, writes its licences, and copies both to dist/src/expr/. */
export async function buildMathjsCore(): Promise<void> {
  const out = join(root, mathjsCoreFile);
  const { version, license } = JSON.parse(readFileSync(join(root, 'node_modules/mathjs/package.json'), 'utf8')) as { version: string; license: string };
  const result = await build({
    metafile: true,
    entryPoints: [join(root, 'tools/mathjs-core.entry.ts')],
    outfile: out,
    bundle: true,
    minify: true,
    format: 'cjs',
    // No node modules: the same file runs in node and in the browser.
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    plugins: [noNodeCrypto],
    logLevel: 'warning',
    banner: { js: `/*! mathjs ${version} (${license}, https://mathjs.org) without units, bundled by downhill's tools/build-mathjs.ts (npm run build): a generated file, do not edit. Licences: mathjs-core.LICENSES.txt */` },
  });
  writeFileSync(join(root, mathjsCoreLicenseFile), licenses(Object.keys(result.metafile.inputs)));
  mkdirSync(dirname(join(root, 'dist', mathjsCoreFile)), { recursive: true });
  for (const file of [mathjsCoreFile, mathjsCoreLicenseFile]) copyFileSync(join(root, file), join(root, 'dist', file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildMathjsCore();
