/**
 * Folders downhill writes into, shared with their owner: downhill replaces
 * only the files it wrote there, listed in a small manifest in the folder
 * (`.downhill-manifest.json`), and leaves everything else (`.git/`, `CNAME`,
 * notes, a user's own `index.html`) in place. A file of the user's where
 * downhill would write one of its own is refused before any work, by name.
 *
 * The rules, per file the command writes (`f`) and per file on disk:
 *
 *   f missing                                   → written
 *   f listed in the manifest                    → replaced
 *   no manifest, and f recognised as downhill's → replaced (a folder written by
 *                                                 an older version, below)
 *   otherwise (f exists, is not downhill's)     → refused, naming f; nothing written
 *   a file where f needs a folder (katex, ...)  → refused, naming it
 *   listed, not written again, mode 'replace'   → removed (a page no longer made)
 *   listed, not written again, mode 'add'       → kept (`lesson --out` adds a page)
 *   not listed                                  → never touched
 *
 * Migration: a folder written before manifests existed has none. Each
 * command says which of its files it recognises by content (`recognise`: a
 * page that renderPage made, the site's engine.js, a formula reference whose
 * index.md has its title, KaTeX's files beside downhill's marker); those are
 * adopted and replaced, and anything it does not recognise is the user's.
 *
 * Writing: every file (and the manifest) is staged under a temporary name and
 * renamed into place only when all are ready (io/atomic.ts), so a failure
 * such as a full disk leaves the folder as it was. The manifest is written
 * first, listing both the old and the new files, so a run killed half way
 * still knows every file it owns.
 *
 *   await checkOwnedFolder('out/site', ['index.html', 'katex/katex.min.css'], { mode: 'replace' })   // before the work
 *   await writeOwnedFolder('out/site', [{ file: 'index.html', data: html }, ...], { mode: 'replace' })
 */
import { constants } from 'node:fs';
import { access, lstat, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DownhillError, visible } from '../errors.ts';
import { fileSystemError, resolveInside, writeAllAtomic } from './atomic.ts';

/** The manifest's file name, in the folder it describes. */
export const MANIFEST = '.downhill-manifest.json';

const MANIFEST_NOTE = 'The files downhill wrote in this folder. Downhill replaces or removes only these; everything else here is yours.';

/** One file to write, its path relative to the folder ('/' between names). */
export interface OwnedFile {
  readonly file: string;
  readonly data: string | Uint8Array;
}

export interface OwnedFolderOptions {
  /** 'replace': the command's whole output (its files it does not write again are removed); 'add': other files of its own are kept. */
  readonly mode: 'replace' | 'add';
  /** For a folder with no manifest: whether an existing file is one an earlier downhill wrote (its path relative to the folder, and on disk). */
  readonly recognise?: (file: string, path: string) => boolean | Promise<boolean>;
  /**
   * The command writing ('docs', 'site'): with mode 'replace', only the files
   * this same command wrote before and does not write again are removed; a
   * file another command wrote there (a check report, a lesson page) is kept.
   */
  readonly owner?: string;
}

/** The text of a manifest listing `files`. */
export function manifestText(files: Iterable<string>, owners: ReadonlyMap<string, string> = new Map()): string {
  const list = [...new Set(files)].sort();
  const by = Object.fromEntries(list.flatMap((f) => (owners.has(f) ? [[f, owners.get(f)!]] : [])));
  return `${JSON.stringify({ writtenBy: 'downhill', note: MANIFEST_NOTE, files: list, ...(Object.keys(by).length > 0 ? { owners: by } : {}) }, null, 2)}\n`;
}

/** Which command wrote each listed file ('docs', 'site'), where the manifest says; a file with none is never removed as stale. */
async function readOwners(dir: string): Promise<Map<string, string>> {
  const text = await readFile(join(dir, MANIFEST), 'utf8').catch(() => '{}');
  try {
    const owners = (JSON.parse(text) as { owners?: unknown }).owners;
    if (owners === null || typeof owners !== 'object') return new Map();
    return new Map(Object.entries(owners).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return new Map();
  }
}

/** The files the manifest of `dir` lists; undefined when there is none. A manifest that is not downhill's is refused. */
export async function readManifest(dir: string): Promise<ReadonlySet<string> | undefined> {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new DownhillError(`cannot read ${visible(path)}: ${code === 'EISDIR' ? 'it is a folder' : `the system says ${code ?? String(error)}`}`);
  }
  let files: unknown;
  try {
    const parsed = JSON.parse(text) as { writtenBy?: unknown; files?: unknown };
    files = parsed.writtenBy === 'downhill' ? parsed.files : undefined;
  } catch {
    files = undefined;
  }
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) {
    throw new DownhillError(`${visible(path)} is not a manifest downhill wrote (it lists the files downhill may replace there): remove it, or choose another folder`);
  }
  return new Set(files as string[]);
}

/** What is at `path`: missing, a folder (a link to one counts), or a file. */
async function kindOf(path: string): Promise<'missing' | 'dir' | 'file'> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return 'missing';
  if (info.isDirectory()) return 'dir';
  if (info.isSymbolicLink()) return (await stat(path).catch(() => undefined))?.isDirectory() === true ? 'dir' : 'file';
  return 'file';
}

/** The plan of one write: the files owned before, those to remove after. */
interface Plan {
  readonly owned: ReadonlySet<string>;
  readonly stale: readonly string[];
  readonly owners: ReadonlyMap<string, string>;
}

/** The path of `file` (relative, '/'-separated) inside `dir`, refused if it would leave it. */
function inside(dir: string, file: string): string {
  return resolveInside(dir, file);
}

/** `file` as the manifest lists it: relative to `root`, '/'-separated, normalised ('./a.html' and 'x/../a.html' are 'a.html'). */
const listedName = (root: string, file: string): string => relative(root, inside(root, file)).split(sep).join('/');

/**
 * Refuses, before any work, a folder that cannot be written: `dir`, or the
 * nearest folder above it that exists (where `dir` would be made), must be
 * a folder this process may write in.
 */
export async function checkWritableFolder(dir: string): Promise<void> {
  let at = resolve(dir);
  while ((await kindOf(at)) === 'missing' && dirname(at) !== at) at = dirname(at);
  if ((await kindOf(at)) === 'file') {
    throw new DownhillError(at === resolve(dir) ? `cannot write into ${visible(dir)}: it is a file, not a folder` : `cannot write into ${visible(dir)}: ${visible(at)} is a file, not a folder`);
  }
  try {
    await access(at, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw fileSystemError(error, dir, 'write');
  }
}

async function plan(dir: string, given: readonly string[], options: OwnedFolderOptions): Promise<Plan> {
  const root = resolve(dir);
  const files = given.map((f) => listedName(root, f));
  await checkWritableFolder(root);
  if ((await kindOf(root)) === 'missing') return { owned: new Set(), stale: [], owners: new Map() };
  const listed = await readManifest(root);
  const owners = await readOwners(root);
  const owned = new Set<string>(listed ?? []);
  // Parents first: a file where a folder of ours must go is in the way.
  const parents = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    for (let k = 1; k < parts.length; k++) parents.add(parts.slice(0, k).join('/'));
  }
  for (const parent of [...parents].sort()) {
    if ((await kindOf(inside(root, parent))) === 'file') {
      throw new DownhillError(`refusing to write into ${visible(dir)}: ${visible(join(dir, parent))} is a file, where downhill writes a folder; move it, or choose another folder`);
    }
  }
  for (const file of files) {
    const path = inside(root, file);
    const kind = await kindOf(path);
    if (kind === 'missing') continue;
    if (kind === 'dir') throw new DownhillError(`refusing to write into ${visible(dir)}: ${visible(join(dir, file))} is a folder, where downhill writes a file; move it, or choose another folder`);
    if (owned.has(file)) continue;
    if (listed === undefined && options.recognise !== undefined && await options.recognise(file, path)) {
      owned.add(file);
      continue;
    }
    const why = listed === undefined ? `the folder has no ${MANIFEST}, and downhill does not recognise the file as its own` : `${MANIFEST} does not list it`;
    throw new DownhillError(`refusing to write into ${visible(dir)}: ${visible(join(dir, file))} was not written by downhill (${why}); move it, or choose another folder`);
  }
  // Stale: this command's own earlier files, not written again (compared as resolved paths: './a.html' is a.html).
  const written = new Set(files.map((f) => inside(root, f)));
  const stale = options.mode === 'replace' && listed !== undefined && options.owner !== undefined
    ? [...listed].filter((f) => owners.get(f) === options.owner && !written.has(inside(root, f))).sort()
    : [];
  return { owned, stale, owners };
}

/**
 * Checks, before any work, that `files` (paths relative to `dir`) may be
 * written there: a DownhillError names the first file in the way. A missing
 * `dir` passes (it will be made). writeOwnedFolder checks again.
 */
export async function checkOwnedFolder(dir: string, files: readonly string[], options: OwnedFolderOptions): Promise<void> {
  await plan(dir, files, options);
}

/**
 * Writes `outputs` into `dir` by the rules above and updates its manifest;
 * returns the files it removed (its own, no longer written, mode 'replace').
 */
export async function writeOwnedFolder(dir: string, outputs: readonly OwnedFile[], options: OwnedFolderOptions): Promise<string[]> {
  const root = resolve(dir);
  const files = outputs.map((o) => listedName(root, o.file));
  if (files.includes(MANIFEST)) throw new DownhillError(`${MANIFEST} is downhill's list of its files: no page may take its name`);
  const { owned, stale, owners } = await plan(dir, files, options);
  const byOwner = new Map(owners);
  for (const f of files) {
    if (options.owner === undefined) byOwner.delete(f);
    else byOwner.set(f, options.owner);
  }
  const staged = outputs.map((o) => ({ file: inside(root, o.file), data: o.data }));
  // The manifest first, listing old and new: a run cut short still knows every file it owns.
  const all = new Set([...owned, ...files]);
  await writeAllAtomic([{ file: join(root, MANIFEST), data: manifestText(all, byOwner) }, ...staged]);
  const removed: string[] = [];
  for (const file of stale) {
    const path = inside(root, file);
    if ((await kindOf(path)) !== 'file') continue;
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw fileSystemError(error, path, 'write');
    }
    removed.push(file);
    // Folders left empty by the removal go too (never the folder itself).
    for (let parent = dirname(path); parent !== root && parent.startsWith(root); parent = dirname(parent)) {
      if (!(await rmdir(parent).then(() => true, () => false))) break;
    }
  }
  if (removed.length > 0 || all.size !== files.length) {
    const keep = new Set([...all].filter((f) => !removed.includes(f)));
    if (keep.size !== all.size) await writeAllAtomic([{ file: join(root, MANIFEST), data: manifestText(keep, byOwner) }]);
  }
  return removed;
}
