/**
 * After tsc and tools/build-vendor.ts (`npm run build`): the `downhill`
 * command's own copy of the built modules, bundled by esbuild into a few
 * files in dist/command/, which bin/downhill.js runs. Node 20 loads an ES
 * module in many steps (resolve, read, compile, link, and a facade for each
 * node: module it imports), and `downhill lesson 4` took about a hundred from
 * dist/src/: a third of its start-up. From the bundle it takes 17, `grad` 13 (59 before).
 *
 * The files (the code of each module is in exactly one of them, so the
 * command, the library a lesson imports and the built-in lessons share one
 * copy of each module: one DownhillError class, one lesson registry):
 *   cli.js            the command (dist/src/cli.js) and what every command needs
 *   lib.js            the library (index.ts and engine.ts's names) and the commands
 *                     that use it, loaded when a command is run (cli.ts's import of
 *                     ./cli/lesson.ts and the like is of lib.js)
 *   grad.js, core.js  the commands on expressions, `grad`, and `check` and `graph` (CORE),
 *                     which need less of the library (what they share with lib.js is in chunks)
 *   index.js, engine.js  'downhill' and 'downhill/engine' for the lessons the command runs
 *                     (src/lesson/import.ts): their names, from lib.js
 *   compile-cache.js  the code cache, which bin/downhill.js turns on first
 *   lessons-*.js      the built-in lessons and practice sets (`lessons/04-backprop.js`
 *                     is `lessons-04-backprop.js`), importing './index.js'
 *   chunk-*.js        modules two of those share (esbuild's splitting)
 * The light commands (LIGHT: `lessons` listing, `new`) are not in lib.js:
 * they load no more than before.
 *
 * Each module's `import.meta.url` is rewritten to its own file's URL in
 * dist/src/ (or dist/lessons/), so the paths it finds beside itself (package.json, the lessons,
 * mathjs-core.cjs, KaTeX, the digits) are the same as unbundled; and
 * `import.meta.downhillCommand` (undefined unbundled) to the URL of dist/command/.
 * The library (package.json's `exports`) is still dist/src/, unbundled.
 *
 *   npx tsx tools/build-command.ts
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
export const commandDir = join(dist, 'command');

/** Modules imported dynamically that stay out of lib.js (their own chunks): commands that need little of the library. */
const LIGHT = new Set(['src/cli/lessons.js', 'src/cli/new.js']);

/**
 * The modules imported dynamically that core.js holds rather than lib.js (grad.js holds
 * `grad`): the commands on expressions, which need the parser, the derivatives and the
 * pictures, not the lessons, training or pages (lib.js imports what it shares with them
 * from chunks). One entry for all three made `grad` compile twice the code (577 kB, not 301).
 */
const CORE = new Set(['src/cli/check.js', 'src/cli/graph.js']);

/** The entry holding a module imported dynamically. */
type Tier = 'grad' | 'core' | 'lib';
const tierOf = (path: string): Tier => (path === 'src/cli/grad.js' ? 'grad' : CORE.has(path) ? 'core' : 'lib');

/** The id by which a module imports an entry (lib.js, core.js, grad.js). */
const tierId = (tier: Tier): string => `downhill-command-${tier}`;

/** A path inside dist/, with `/`. */
const distPath = (file: string): string => relative(dist, file).split(/[\\/]/).join('/');

/** The name in dist/command/ of a built file of dist/ (its path there, `/` as `-`, without `.js`). */
export const commandEntryName = (path: string): string => path.replace(/\.js$/, '').split('/').join('-');

/** Every built-in lesson and practice set in dist/lessons/ (their file names are their registration: src/lesson/registry.ts). */
function lessonEntries(): string[] {
  const list = (dir: string): string[] => (existsSync(join(dist, dir)) ? readdirSync(join(dist, dir)).filter((f) => /^\d\d-[a-z0-9-]+\.js$/.test(f)).sort().map((f) => `${dir}/${f}`) : []);
  return [...list('lessons'), ...list('lessons/practice')];
}

/** Every built module of dist/src/ (paths inside dist/). */
function srcModules(dir = join(dist, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? srcModules(join(dir, e.name)) : e.name.endsWith('.js') ? [distPath(join(dir, e.name))] : []));
}

/** `import('./x.js')` of a module of dist/src/ (a literal relative path), as tsc writes it. */
const dynamicImport = /\bimport\((['"])(\.{1,2}\/[^'"]+\.js)\1\)/g;

/** The modules of dist/src/ that another imports dynamically, but for LIGHT ones and dist/vendor/'s. */
function lazyModules(): string[] {
  const found = new Set<string>();
  for (const path of srcModules()) {
    for (const m of readFileSync(join(dist, path), 'utf8').matchAll(dynamicImport)) {
      const target = distPath(join(dist, dirname(path), m[2]!));
      if (target.startsWith('src/') && !LIGHT.has(target)) found.add(target);
    }
  }
  return [...found].sort();
}

/** lib.js (index.ts's and engine.ts's names), core.js or grad.js, with its modules imported dynamically, by path. */
function tierSource(tier: Tier, lazy: readonly string[]): string {
  const spec = (path: string): string => JSON.stringify(join(dist, path));
  const mine = lazy.filter((path) => tierOf(path) === tier);
  return [
    ...(tier === 'lib' ? [`export * from ${spec('src/index.js')};`, `export * from ${spec('src/engine.js')};`] : []),
    ...mine.map((path, k) => `import * as m${k} from ${spec(path)};`),
    `export const downhillModules = { ${mine.map((path, k) => `${JSON.stringify(path)}: m${k}`).join(', ')} };`,
  ].join('\n');
}

/**
 * Rewrites the built modules of dist/src/ and dist/lessons/ for their place in
 * dist/command/ (every output file is in that one folder, so a module's code
 * has the same relative path to its source file in whichever file it lands):
 * `import.meta`, and a dynamic import of a module of lib.js, which becomes one of lib.js.
 */
function commandModules(lazy: ReadonlySet<string>): Plugin {
  return {
    name: 'downhill-command',
    setup(b) {
      b.onResolve({ filter: /^downhill-command-(grad|core|lib)$/ }, (args) => ({ path: args.path.replace('downhill-command-', ''), namespace: 'downhill-command' }));
      b.onLoad({ filter: /.*/, namespace: 'downhill-command' }, (args) => ({ contents: tierSource(args.path as Tier, [...lazy]), resolveDir: dist, loader: 'js' }));
      b.onLoad({ filter: /[\\/]dist[\\/](src|lessons)[\\/].*\.js$/ }, (args) => {
        const path = distPath(args.path);
        const own = JSON.stringify(relative(commandDir, args.path).split(/[\\/]/).join('/'));
        const text = readFileSync(args.path, 'utf8')
          .replace(dynamicImport, (call, _q: string, spec: string) => {
            const target = distPath(join(dist, dirname(path), spec));
            return lazy.has(target) ? `import(${JSON.stringify(tierId(tierOf(target)))}).then((entry) => entry.downhillModules[${JSON.stringify(target)}])` : call;
          })
          .replace(/\bimport\.meta\.url\b/g, `new URL(${own}, import.meta.url).href`)
          .replace(/\bimport\.meta\.downhillCommand\b/g, `new URL('./', import.meta.url).href`);
        return { contents: text, loader: 'js' };
      });
      // Plots and pictures import their bundled libraries (tools/build-vendor.ts) at run time, from dist/vendor/.
      b.onResolve({ filter: /[\\/]vendor[\\/][^\\/]+\.js$/ }, (args) => ({
        path: `./${relative(commandDir, join(args.resolveDir, args.path)).split(/[\\/]/).join('/')}`,
        external: true,
      }));
    },
  };
}

export async function buildCommand(): Promise<void> {
  rmSync(commandDir, { recursive: true, force: true });
  const lazy = lazyModules();
  const common: BuildOptions = {
    outdir: commandDir,
    entryNames: '[name]',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // A function's and a class's name stay theirs (esbuild renames clashing ones across modules).
    keepNames: true,
    // Packages stay packages: mathjs-core.cjs and KaTeX are loaded by path through the code cache (src/expr/compile-cache.ts); amaro for lesson files.
    packages: 'external',
    plugins: [commandModules(new Set(lazy))],
    logLevel: 'warning',
    banner: { js: '// The downhill command, bundled from dist/ by tools/build-command.ts (npm run build): a generated file.' },
  };
  await build({
    ...common,
    entryPoints: { cli: join(dist, 'src/cli.js'), grad: tierId('grad'), core: tierId('core'), lib: tierId('lib'), 'compile-cache': join(dist, 'src/expr/compile-cache.js') },
    chunkNames: 'chunk-[hash]',
    splitting: true,
  });
  // 'downhill' and 'downhill/engine': the names of the library's two doors, from lib.js.
  for (const [door, file] of [['index', 'src/index.js'], ['engine', 'src/engine.js']] as const) {
    const names = Object.keys((await import(pathToFileURL(join(dist, file)).href)) as object).sort();
    writeFileSync(join(commandDir, `${door}.js`), `// '${door === 'index' ? 'downhill' : 'downhill/engine'}' in the downhill command (tools/build-command.ts): a generated file.\nexport { ${names.join(', ')} } from './lib.js';\n`);
  }
  // The lessons, whose 'downhill' is index.js beside them.
  await build({
    ...common,
    entryPoints: Object.fromEntries(lessonEntries().map((path) => [commandEntryName(path), join(dist, path)])),
    plugins: [...common.plugins!, { name: 'downhill-self', setup: (b) => b.onResolve({ filter: /^downhill(\/engine)?$/ }, (args) => ({ path: args.path === 'downhill' ? './index.js' : './engine.js', external: true })) }],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCommand();
