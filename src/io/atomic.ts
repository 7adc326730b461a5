/**
 * Crash-safe file output: a reader (or a killed process) sees either the old
 * file or the new one, never half of it.
 *
 * The trick is the same everywhere: write beside the target under a temporary
 * name, flush to disk, then `rename`, which POSIX guarantees to be atomic
 * within one file system.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, realpathSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DownhillError } from '../errors.ts';

/** A sibling name `.<tag>-<name>-<pid>-<random>` in the folder of `path`. */
function siblingName(path: string, tag: string): string {
  return join(dirname(path), `.${tag}-${basename(path)}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Tidies what an earlier, killed run left beside `target`: its temporary
 * siblings are removed, and a backup `.old-...` of a folder swap that was cut
 * between its two renames is put back when `target` is missing. Only
 * siblings of processes that are no longer running are touched.
 */
async function recoverSiblings(target: string): Promise<void> {
  const dir = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  const pattern = /^\.(tmp|old)-(.+)-(\d+)-[0-9a-f]{12}$/;
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (!m || m[2] !== name || alive(Number(m[3]))) continue;
    const path = join(dir, entry);
    if (m[1] === 'old' && (await pathKind(target)) === 'missing') await rename(path, target).catch(() => undefined);
    else await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** fsync a folder so that a rename inside it survives a power cut (best effort: not every OS allows it). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Opening or syncing a folder is not supported everywhere (Windows): the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes `data` to `path` atomically: into `.tmp-<name>-<pid>-<random>` in
 * the same folder, fsync, then rename over `path`. Parent folders are
 * created. On any failure the temporary file is removed and the error
 * rethrown, and the previous content of `path` is left untouched. Temporary
 * files that a killed earlier run left beside `path` are removed first.
 *
 * Syntax:
 *   await writeFileAtomic(path, data)
 *
 * Examples:
 *   await writeFileAtomic('docs/lesson-1.html', html)
 *   await writeFileAtomic('out/weights.bin', new Uint8Array([1, 2, 3]))
 *
 * See also: replaceDirAtomic, resolveInside
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await recoverSiblings(target);
  const tmp = siblingName(target, 'tmp');
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(target));
}

/**
 * Builds a whole folder in a temporary sibling `.tmp-<name>-<pid>-<random>`
 * and, only when `build` resolves, swaps it in place of `dir`: the old
 * folder is renamed to a backup, the new one renamed in, the backup deleted.
 * If `build` (or the swap) fails, the temporary folder is removed, `dir` is
 * left as it was, and the error rethrown.
 *
 * Between the two renames `dir` is briefly absent; it is never half written.
 *
 * Syntax:
 *   await replaceDirAtomic(dir, async (tmpDir) => { ...write into tmpDir... })
 *
 * Examples:
 *   await replaceDirAtomic('docs/lessons', async (tmp) => {
 *     await writeFileAtomic(join(tmp, 'index.html'), html)
 *   })
 *   // docs/lessons now holds exactly index.html
 *
 * See also: writeFileAtomic
 */
export async function replaceDirAtomic(dir: string, build: (tmpDir: string) => Promise<void>): Promise<void> {
  const target = resolve(dir);
  await mkdir(dirname(target), { recursive: true });
  await recoverSiblings(target);
  const tmp = siblingName(target, 'tmp');
  await mkdir(tmp);
  try {
    await build(tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }

  let hadOld: boolean;
  try {
    const kind = await pathKind(target);
    hadOld = kind !== 'missing';
    if (kind === 'other') {
      throw new DownhillError(`cannot replace ${target}: it exists and is not a folder`);
    }
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }

  const backup = siblingName(target, 'old');
  if (hadOld) {
    try {
      await rename(target, backup);
    } catch (error) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }
  try {
    await rename(tmp, target);
  } catch (error) {
    // Put the old folder back before reporting.
    if (hadOld) await rename(backup, target).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(target));
  if (hadOld) await rm(backup, { recursive: true, force: true });
}

/** Whether `p` is missing, a folder, or something else (lstat: a symlink counts as "other"). */
async function pathKind(p: string): Promise<'missing' | 'dir' | 'other'> {
  try {
    return (await lstat(p)).isDirectory() ? 'dir' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

/** True when `child` is `parent` or lies below it (both absolute, normalized). */
function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `p`, or of its deepest existing ancestor joined with the rest. */
function realpathOfExistingPrefix(p: string): string {
  let existing = p;
  const rest: string[] = [];
  while (!lexists(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(basename(existing));
    existing = parent;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    // A symbolic link whose target does not exist: we cannot tell where it leads.
    throw new DownhillError(`output path ${p} goes through a dangling symbolic link at ${existing}`);
  }
  return rest.length === 0 ? real : join(real, ...rest);
}

/** Like existsSync, but true for a dangling symbolic link too. */
function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves `relativePath` against `root` and returns the absolute path,
 * throwing a DownhillError if it would land outside `root`: absolute paths,
 * `..` segments that climb out, NUL bytes, and symbolic links (already on
 * disk) that point outside `root` are all refused. The result may be `root`
 * itself (for `'.'` or `''`).
 *
 * Syntax:
 *   resolveInside(root, relativePath)
 *
 * Examples:
 *   resolveInside('/site', 'lessons/1.html')   // returns '/site/lessons/1.html'
 *   resolveInside('/site', 'a/../b.html')      // returns '/site/b.html'
 *   resolveInside('/site', '../etc/passwd')    // throws DownhillError
 *   resolveInside('/site', '/etc/passwd')      // throws DownhillError
 *
 * See also: writeFileAtomic
 */
export function resolveInside(root: string, relativePath: string): string {
  if (relativePath.includes('\0')) {
    throw new DownhillError(`output path ${JSON.stringify(relativePath)} contains a NUL byte`);
  }
  if (isAbsolute(relativePath) || /^[a-zA-Z]:[\\/]/.test(relativePath) || relativePath.startsWith('\\')) {
    throw new DownhillError(`output path ${JSON.stringify(relativePath)} is absolute: give a path relative to ${root}`);
  }
  const absRoot = resolve(root);
  const target = resolve(absRoot, relativePath);
  if (!isWithin(absRoot, target)) {
    throw new DownhillError(`output path ${JSON.stringify(relativePath)} escapes ${absRoot}`);
  }
  // Symlinks: compare real paths, following links that already exist on disk.
  const realRoot = realpathOfExistingPrefix(absRoot);
  const realTarget = realpathOfExistingPrefix(target);
  if (!isWithin(realRoot, realTarget)) {
    throw new DownhillError(`output path ${JSON.stringify(relativePath)} escapes ${absRoot} through a symbolic link`);
  }
  return target;
}
