/**
 * Importing a lesson file, wherever it is: `import … from 'downhill'` inside
 * it means the downhill that is running (the built package, or the source
 * in a checkout), not whatever a folder's node_modules might hold, and a
 * `.ts` file is loaded through tsx, which is imported only then.
 *
 *   const module = await importLessonFile('/home/me/my-lesson.ts')
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { DownhillError } from '../errors.ts';

/** This module's own extension: .ts when run from source, .js when built (a function: a browser bundle has no module URL). */
const ext = (): string => (import.meta.url.endsWith('.ts') ? '.ts' : '.js');

/** The entry point of the running downhill (src/index.ts or dist/src/index.js); a function, so that a browser bundle never resolves it. */
export function selfEntry(): string {
  return new URL(`../index${ext()}`, import.meta.url).href;
}

/**
 * A module resolution hook (node's module.register, run off-thread), as a
 * data: URL so that it needs no file of its own: the bare name 'downhill'
 * resolves as `selfEntry` would (through tsx's hooks, when they are there),
 * and a .ts file outside node_modules is an ES module even in a folder with
 * no package.json saying "type": "module".
 */
const hook = `
let entry;
export function initialize(data) { entry = data.entry; }
export async function resolve(specifier, context, next) {
  if (specifier === 'downhill') return next(entry, context);
  const resolved = await next(specifier, context);
  // A .ts file outside node_modules is an ES module (import/export), whatever package.json is near it.
  if (/^file:[^?]*\\.ts(\\?.*)?$/.test(resolved.url) && !resolved.url.includes('/node_modules/')) return { ...resolved, format: 'module' };
  return resolved;
}`;

let hooked = false;
let typescript: Promise<void> | undefined;

/** True when a .ts lesson file can run here: from source (under tsx), on a node that strips types, or with tsx installed. */
export function canRunTypeScript(): boolean {
  if (ext() === '.ts' || (process.features as { typescript?: unknown }).typescript) return true;
  try {
    return typeof import.meta.resolve === 'function' && import.meta.resolve('tsx/esm/api') !== '';
  } catch {
    return false;
  }
}

/** Loads tsx's loader, once, for a .ts file; a clear error when it is not installed. */
function loadTypeScript(file: string): Promise<void> {
  typescript ??= import('tsx/esm/api').then(
    ({ register: registerTsx }) => { registerTsx(); },
    () => {
      // node ≥ 22.18 (and 23.6) runs type-annotated TypeScript itself.
      if ((process.features as { typescript?: unknown }).typescript) return;
      throw new DownhillError(`${file} is TypeScript: running it needs tsx (npm install --save-dev tsx), or give a .js/.mjs file`);
    },
  );
  return typescript;
}

/**
 * Imports a lesson file by absolute path, after the hooks it needs; a new
 * `version` imports it afresh. `builtIn`: one of downhill's own built lessons
 * (dist/lessons/), whose 'downhill' is the package itself (a package may
 * import itself by name through its "exports"): no hook is needed, and none
 * is started (a hook runs on a thread of its own, tens of milliseconds).
 */
export async function importLessonFile(file: string, version = 0, builtIn = false): Promise<unknown> {
  // From source, tsx is already running (npx tsx src/cli.ts); the built CLI loads it only here.
  if (ext() === '.js' && /\.[cm]?ts$/.test(file)) await loadTypeScript(file);
  if (!hooked && !(builtIn && ext() === '.js')) {
    // (Under vitest, whose module runner does its own imports, the alias in vitest.config.ts maps 'downhill'.)
    register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { entry: selfEntry() } });
    hooked = true;
  }
  return import(`${pathToFileURL(file).href}${version > 0 ? `?version=${version}` : ''}`);
}
