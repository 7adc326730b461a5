/**
 * After tsc (`npm run build`): the libraries that draw plots (vega, vega-lite)
 * and pictures (Graphviz, @viz-js/viz) are bundled by esbuild into
 * dist/vendor/, one minified ES module each, with the licences of the
 * packages they take code from (dist/vendor/LICENSES.txt), and the built
 * dist/src/render/plot.js and dist/src/pictures/render.js import them there
 * instead of by package name. So the installed package needs none of the
 * ~90 packages behind them (24 MB in node_modules), only these ~2 MB. The
 * source, the tests of the source (vitest) and the site (site/libraries.ts)
 * still import the packages, which are devDependencies.
 *
 * Each entry exports what downhill uses of its package (the rewrite checks
 * that the built file names the package exactly where expected).
 *
 *   npx tsx tools/build-vendor.ts
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each bundled package: the names downhill uses of it, and the built files that import it. */
export const VENDORED = {
  vega: { names: ['View', 'parse', 'logger', 'Error', 'SVGStringRenderer'], importers: ['dist/src/render/plot.js'] },
  'vega-lite': { names: ['compile'], importers: ['dist/src/render/plot.js'] },
  '@viz-js/viz': { names: ['instance'], importers: ['dist/src/pictures/render.js'] },
} as const;

/** The bundle file of a package in dist/vendor/. */
export const vendorFile = (name: string): string => `${name.replace(/^@/, '').replace(/\//g, '-')}.js`;

/** The licence texts of every package a bundle takes code from, read from node_modules. */
function licenses(inputs: readonly string[]): string {
  const packages = [...new Set(inputs.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []))].sort();
  return packages.map((name) => {
    const dir = join(root, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string };
    const texts = readdirSync(dir).filter((f) => /^(licen[cs]e|notice)(\.(md|txt))?$/i.test(f)).sort().map((f) => readFileSync(join(dir, f), 'utf8').trim());
    if (texts.length === 0) texts.push(`${pkg.license ?? 'no licence declared'} (the package ships no licence file; this is what its package.json declares)`);
    return [`${name} ${pkg.version}`, '-'.repeat(`${name} ${pkg.version}`.length), ...texts].join('\n\n');
  }).join('\n\n\n');
}

export async function buildVendor(): Promise<void> {
  const outDir = join(root, 'dist/vendor');
  mkdirSync(outDir, { recursive: true });
  const inputs: string[] = [];
  for (const [name, { names }] of Object.entries(VENDORED)) {
    const result = await build({
      stdin: { contents: `export { ${names.join(', ')} } from '${name}';`, resolveDir: root, loader: 'js' },
      outfile: join(outDir, vendorFile(name)),
      metafile: true,
      bundle: true,
      minify: true,
      format: 'esm',
      // No node modules: the same file runs in node and in a browser bundle.
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      logLevel: 'warning',
      banner: { js: `/*! ${name} as downhill uses it, bundled by tools/build-vendor.ts (npm run build): a generated file. Licences: LICENSES.txt */` },
    });
    inputs.push(...Object.keys(result.metafile.inputs));
  }
  writeFileSync(join(outDir, 'LICENSES.txt'), `The files of this folder bundle code from these packages (tools/build-vendor.ts, npm run build).\n\n${licenses(inputs)}\n`);
  const importers = new Map<string, string[]>();
  for (const [name, { importers: files }] of Object.entries(VENDORED)) for (const f of files) importers.set(f, [...(importers.get(f) ?? []), name]);
  for (const [file, names] of importers) {
    let text = readFileSync(join(root, file), 'utf8');
    for (const name of names) {
      const from = `import('${name}')`;
      const count = text.split(from).length - 1;
      if (count !== 1) throw new Error(`tools/build-vendor.ts: ${file} has ${count} ${from}, 1 expected: update VENDORED`);
      const to = `import('${'../'.repeat(file.split('/').length - 2)}vendor/${vendorFile(name)}')`;
      text = text.replace(from, to);
    }
    writeFileSync(join(root, file), text);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildVendor();
