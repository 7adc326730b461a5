/**
 * Importing a lesson file, wherever it is: `import … from 'downhill'` inside
 * it means the downhill that is running (the built package, or the source
 * in a checkout), not whatever a folder's node_modules might hold.
 *
 * TypeScript runs on any node ≥ 20.6 with nothing else installed: the built
 * package strips a lesson's types with amaro (node's own type stripper, a
 * dependency of downhill), which blanks the annotations in place, so every
 * line and column of an error is the file's own. From source, tsx is
 * already running and does it.
 *
 * The hook also reports every local file a lesson imports (its module
 * graph: --watch follows them) and gives a re-run a fresh copy of each of
 * them, not only of the lesson file.
 *
 *   const module = await importLessonFile('/home/me/my-lesson.ts')
 */
import { createRequire, register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This module's own extension: .ts when run from source, .js when built (a function: a browser bundle has no module URL). */
const ext = (): string => (import.meta.url.endsWith('.ts') ? '.ts' : '.js');

/**
 * In the command's bundle (dist/command/, tools/build-command.ts), the URL of
 * its folder, where its entries are: the library (index.js, engine.js) and the
 * built-in lessons; undefined elsewhere (source, dist/src/, a browser bundle).
 * The command's modules and a lesson's 'downhill' are then one copy.
 */
const commandFolder = (): string | undefined => (import.meta as { downhillCommand?: string }).downhillCommand;

/** The entry point of the running downhill (src/index.ts, dist/src/index.js or the command's index.js); a function, so that a browser bundle never resolves it. */
export function selfEntry(): string {
  const command = commandFolder();
  return command === undefined ? new URL(`../index${ext()}`, import.meta.url).href : new URL('index.js', command).href;
}

/** The second door (src/engine.ts, dist/src/engine.js or the command's engine.js), for 'downhill/engine'. */
function selfEngine(): string {
  const command = commandFolder();
  return command === undefined ? new URL(`../engine${ext()}`, import.meta.url).href : new URL('engine.js', command).href;
}

/**
 * The URL a built-in lesson file (dist/lessons/…) is imported from: the file
 * itself, or in the command's bundle its entry there (`lessons/04-backprop.js`
 * is `lessons-04-backprop.js`: tools/build-command.ts), which shares the command's modules.
 */
function builtInUrl(file: string): string {
  const url = pathToFileURL(file).href;
  const command = commandFolder();
  const dist = selfFolder();
  if (command === undefined || !url.startsWith(dist)) return url;
  return new URL(decodeURIComponent(url.slice(dist.length)).split('/').join('-'), command).href;
}

/** The folder of downhill's own modules (src/ from source; built, dist/: its modules, its bundled libraries in dist/vendor/, the built-in lessons): a file there is downhill's, not a lesson's. */
export function selfFolder(): string {
  return new URL(ext() === '.ts' ? '../' : '../../', import.meta.url).href;
}

/**
 * The module hooks (node's module.register, run off-thread), as a data: URL
 * so that they need no file of their own:
 *   resolve  'downhill'                    -> selfEntry ('downhill/engine': its engine.ts beside it)
 *            './x.js' that is not there    -> './x.ts' (TypeScript's own way to name a .ts file)
 *            a local file, from a parent
 *            loaded as ?version=N          -> the same file at ?version=N (a re-run gets fresh helpers)
 *            a local file                  -> reported on the port (the module graph);
 *                                             a .ts or .js one is an ES module (.cjs stays CommonJS)
 *   load     a local .ts/.mts file          -> amaro's strip-only output, an ES module
 * A local file is a file: URL outside node_modules and outside downhill's own modules.
 */
const hook = `
let entry, engine, self, port, amaroUrl, amaro;
export function initialize(data) { ({ entry, engine, self, port, amaro: amaroUrl } = data); }
const local = (url) => url.startsWith('file:') && !url.includes('/node_modules/') && !url.startsWith(self);
const version = (url) => /[?&]version=(\\d+)/.exec(url ?? '')?.[1];
export async function resolve(specifier, context, next) {
  if (specifier === 'downhill') return next(entry, context);
  if (specifier === 'downhill/engine') return next(engine, context);
  let resolved;
  try {
    resolved = await next(specifier, context);
  } catch (e) {
    if (!(e?.code === 'ERR_MODULE_NOT_FOUND' && /^\\.{1,2}\\/.*\\.[cm]?js$/.test(specifier))) throw e;
    resolved = await next(specifier.replace(/js$/, 'ts'), context).catch(() => { throw e; });
  }
  if (!local(resolved.url)) return resolved;
  let url = resolved.url;
  const v = version(context.parentURL);
  if (v !== undefined && version(url) === undefined) url += (url.includes('?') ? '&' : '?') + 'version=' + v;
  port.postMessage({ url: url.replace(/[?#].*$/, ''), parent: context.parentURL?.replace(/[?#].*$/, '') });
  // A lesson's own .ts or .js file is an ES module (import/export), whatever package.json is near it (npm init writes "type": "commonjs").
  return /^file:[^?#]*\\.(?:m?ts|m?js)([?#].*)?$/.test(url) ? { ...resolved, url, format: 'module' } : { ...resolved, url };
}
export async function load(url, context, next) {
  if (amaroUrl === undefined || !local(url) || !/^file:[^?#]*\\.m?ts([?#].*)?$/.test(url)) return next(url, context);
  amaro ??= (await import(amaroUrl)).default;
  const { source } = await next(url, { ...context, format: 'module' });
  const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
  const file = url.replace(/[?#].*$/, '');
  try {
    return { format: 'module', source: amaro.transformSync(text, { mode: 'strip-only', filename: file }).code, shortCircuit: true };
  } catch (e) {
    // amaro throws its report as a string: a framed message. The importer turns it into file:line:column.
    const error = new SyntaxError(typeof e === 'string' ? e : String(e?.message ?? e));
    error.downhillFile = file;
    error.downhillStrip = true;
    throw error;
  }
}`;

let hooked = false;
/** Every local file imported by a lesson, by file URL (without query), with the file that imported it first. */
const graph = new Map<string, string | undefined>();

/** The local files (absolute paths) lessons have imported so far, the lessons themselves included. */
export function importedFiles(): string[] {
  return [...graph.keys()].map((url) => fileURLToPath(url));
}

function installHooks(): void {
  if (hooked) return;
  // node's global MessageChannel (node:worker_threads's), which a built-in lesson, hooked by none, never loads.
  const { port1, port2 } = new (MessageChannel as unknown as typeof import('node:worker_threads').MessageChannel)();
  port1.on('message', (m: { url: string; parent?: string }) => {
    if (!graph.has(m.url)) graph.set(m.url, m.parent);
  });
  port1.unref();
  // Built, amaro strips types; from source (tsx is running) there is nothing to add. (Under vitest, the alias in vitest.config.ts maps 'downhill'.)
  const amaro = ext() === '.js' ? pathToFileURL(createRequire(import.meta.url).resolve('amaro')).href : undefined;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, {
    data: { entry: selfEntry(), engine: selfEngine(), self: selfFolder(), port: port2, amaro },
    transferList: [port2],
  });
  hooked = true;
}

/**
 * Imports a lesson file by absolute path, after the hooks it needs; a new
 * `version` imports it afresh, and every local file it imports with it.
 * Waits for the hook thread's reports of the files imported, so that
 * importedFiles() holds them when this resolves. `builtIn`: one of
 * downhill's own built lessons (dist/lessons/), whose 'downhill' is the
 * package itself (a package may import itself by name through its
 * "exports"): no hook is needed, and none is started (a hook runs on a
 * thread of its own, tens of milliseconds).
 */
export async function importLessonFile(file: string, version = 0, builtIn = false): Promise<unknown> {
  if (!(builtIn && ext() === '.js')) installHooks();
  const url = pathToFileURL(file).href;
  graph.set(url, graph.get(url));
  try {
    return await import(`${builtIn ? builtInUrl(file) : url}${version > 0 ? `?version=${version}` : ''}`);
  } finally {
    // The port's messages arrive as tasks; one turn of the event loop lets those sent before the import settled land.
    await new Promise((done) => setImmediate(done));
  }
}
