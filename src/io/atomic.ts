/**
 * Crash-safe file output: a reader (or a killed process) sees either the old
 * file or the new one, never half of it.
 *
 * The trick is the same everywhere: write beside the target under a temporary
 * name, flush to disk, then `rename`, which POSIX guarantees to be atomic
 * within one file system. Several outputs written together (`writeAllAtomic`)
 * are all staged first, so a failure (a full disk, a parent that is a file,
 * a folder like /proc) is found before anything is replaced. Every
 * file-system failure comes out as a one-line DownhillError naming the path.
 */
import { lstatSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DownhillError, visible } from '../errors.ts';
import { fnv1a } from '../hash.ts';

/** The longest file name (in bytes) of the usual file systems (NAME_MAX). */
export const NAME_MAX = 255;
/** Longest temporary name: `.old-` + label + `-` + pid (≤ 10 digits) + `-` + 12 hex digits. */
const TEMP_OVERHEAD = 5 + 1 + 10 + 1 + 12;

/**
 * The part of a temporary name that stands for `name`: the name itself
 * when the temporary name fits in NAME_MAX bytes, otherwise its start and a
 * hash of the whole, so that a valid 255-byte name still gets a valid
 * temporary sibling.
 */
function tempLabel(name: string): string {
  const room = NAME_MAX - TEMP_OVERHEAD;
  if (Buffer.byteLength(name) <= room) return name;
  const hash = `~${fnv1a(name).toString(16).padStart(8, '0')}`;
  let start = '';
  for (const ch of name) {
    if (Buffer.byteLength(start + ch) + hash.length > room) break;
    start += ch;
  }
  return start + hash;
}

/** node:crypto's randomBytes, loaded when the first temporary name is made: a command that writes no file does not load node:crypto (a few per cent of a short command's start). */
let randomBytes: typeof import('node:crypto').randomBytes | undefined;

/** A sibling name `.<tag>-<label>-<pid>-<random>` in the folder of `path`. */
function siblingName(path: string, tag: 'tmp' | 'old'): string {
  randomBytes ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomBytes;
  return join(dirname(path), `.${tag}-${tempLabel(basename(path))}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Temporary files and folders of this process that exist now, and backups of swaps under way (backup → target). */
const liveTemps = new Set<string>();
const liveBackups = new Map<string, string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let signalsWanted = false;
let armed = false;

/** Removes this process's temporaries, then dies of `signal` (the default action, restored first). */
function onSignal(signal: NodeJS.Signals): void {
  cleanUpNow();
  disarm();
  process.kill(process.pid, signal);
}
const handlers = new Map(SIGNALS.map((s) => [s, () => onSignal(s)] as const));

function disarm(): void {
  if (!armed) return;
  armed = false;
  for (const [s, h] of handlers) process.off(s, h);
}

/**
 * Listens for signals only while this process has temporaries on disk:
 * a JavaScript signal handler runs only when the event loop is free, so a
 * handler installed during long synchronous work (building a large graph)
 * would keep Ctrl-C from stopping it. Outside writing, the signal's default
 * action kills the process at once, and there is nothing to clean.
 */
function rearm(): void {
  const busy = liveTemps.size > 0 || liveBackups.size > 0;
  if (signalsWanted && busy && !armed) {
    armed = true;
    for (const [s, h] of handlers) process.on(s, h);
  } else if (!busy) {
    disarm();
  }
}

function addTemp(path: string): void {
  liveTemps.add(path);
  rearm();
}

function dropTemp(path: string): void {
  liveTemps.delete(path);
  rearm();
}

function addBackup(backup: string, target: string): void {
  liveBackups.set(backup, target);
  rearm();
}

function dropBackup(backup: string): void {
  liveBackups.delete(backup);
  rearm();
}

/**
 * Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP leave no temporary files: a
 * signal that comes while files are being written removes this process's
 * temporary files and folders, puts back a folder a swap had moved aside,
 * then the process dies of the same signal; a signal at any other time
 * kills the process at once (the default action: nothing is intercepted).
 * Temporaries a process killed outright (SIGKILL) left behind are removed by
 * the next write to the same target. A process that exits (process.exit)
 * with temporaries on disk removes them. For command-line tools; a library
 * leaves signals alone.
 *
 *   removeTempFilesOnSignals()   // once, at start-up
 */
export function removeTempFilesOnSignals(): void {
  if (signalsWanted) return;
  signalsWanted = true;
  process.on('exit', cleanUpNow);
  rearm();
}

/** Removes the temporary files of this process and restores moved-aside folders (synchronous: runs in a signal handler). */
function cleanUpNow(): void {
  for (const [backup, target] of liveBackups) {
    try {
      lstatSync(target);
    } catch {
      try { renameSync(backup, target); } catch { /* nothing more to do */ }
    }
  }
  for (const path of liveTemps) {
    try { rmSync(path, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  liveTemps.clear();
  liveBackups.clear();
  rearm();
}

/** Why a file-system call failed, in words. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: `a name in it is longer than the system allows (${NAME_MAX} bytes)`,
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its folder path is not a folder',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  EBUSY: 'it is busy',
  EXDEV: 'it is on another file system',
  ENOENT: 'its folder does not exist or cannot hold new files',
  EINVAL: 'the system refused the name',
};

/** The first part of `path` (from the root down) that exists and is not a folder, if any. */
function fileInTheWay(path: string): string | undefined {
  const parts: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    parts.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of parts.slice(0, -1)) {
    try {
      if (!lstatSync(p).isDirectory() && !realIsDirectory(p)) return p;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function realIsDirectory(p: string): boolean {
  try {
    return lstatSync(realpathSync(p)).isDirectory();
  } catch {
    return false;
  }
}

/** System calls that only read: their failures are failures to read. */
const READ_CALLS = new Set(['read', 'scandir', 'opendir', 'stat', 'lstat', 'fstat', 'readlink', 'realpath']);

/** Why a read failed, in words, where it differs from a write's reason. */
const READ_REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EISDIR: 'it is a folder, not a file',
};

/**
 * Whether a failure was a read's: as the caller says, or else by the system
 * call (read, stat, scandir ...); an `open` that found no file in a folder
 * that exists was a read too (a write there would have created the file).
 */
function wasRead(error: NodeJS.ErrnoException, path: string, action: 'read' | 'write' | undefined): boolean {
  if (action !== undefined) return action === 'read';
  const call = error.syscall ?? '';
  if (READ_CALLS.has(call)) return true;
  if (call !== 'open' || error.code !== 'ENOENT') return false;
  try {
    return lstatSync(dirname(resolve(path))).isDirectory() || realIsDirectory(dirname(resolve(path)));
  } catch {
    return false;
  }
}

/**
 * A file-system error as a one-line DownhillError that names the path and
 * the reason, and whether it was being read or written (`action`; by
 * default told from the error: see wasRead); other errors are returned
 * unchanged.
 *
 *   throw fileSystemError(error, 'out/page.html')
 *   // DownhillError: cannot write out/page.html: out is a file, not a folder
 *   fileSystemError(error, '')   // names the path the error carries
 *   fileSystemError(enoent, 'answers.txt', 'read')
 *   // DownhillError: cannot read answers.txt: it does not exist
 */
export function fileSystemError(error: unknown, path: string, action?: 'read' | 'write'): unknown {
  if (error instanceof DownhillError) return error;
  const e = error as NodeJS.ErrnoException | undefined;
  const code = e?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  if (path === '') path = e!.path ?? 'a file';
  const blocker = code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOENT' ? fileInTheWay(resolve(path)) : undefined;
  if (wasRead(e!, path, action)) {
    const reason = blocker !== undefined ? `${blocker} is a file, not a folder` : READ_REASONS[code] ?? REASONS[code] ?? `the system says ${code}`;
    return new DownhillError(`cannot read ${visible(path)}: ${reason}`);
  }
  const reason = blocker !== undefined ? `${blocker} is a file, not a folder` : REASONS[code] ?? `the system says ${code}`;
  return new DownhillError(`cannot write ${visible(path)}: ${reason}`);
}

/** Checks the lengths of `path`'s names before anything is written. */
function checkNames(path: string): void {
  for (const part of path.split(sep)) {
    if (Buffer.byteLength(part) > NAME_MAX) {
      throw new DownhillError(`cannot write ${visible(path)}: the name "${visible(part.slice(0, 40))}..." is ${Buffer.byteLength(part)} bytes long (at most ${NAME_MAX})`);
    }
  }
}

/**
 * Refuses to write into a package folder of npm (`node_modules/`): its
 * files belong to the installed packages.
 */
function checkNotInNodeModules(path: string): void {
  const parts = realpathOfExistingPrefix(path).split(sep);
  if (parts.includes('node_modules') || path.split(sep).includes('node_modules')) {
    throw new DownhillError(`refusing to write ${visible(path)}: it is inside node_modules, whose files belong to installed packages`);
  }
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
  const label = tempLabel(basename(target));
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  const pattern = /^\.(tmp|old)-(.+)-(\d+)-[0-9a-f]{12}$/;
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (!m || m[2] !== label || alive(Number(m[3]))) continue;
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

/** One output of `writeAllAtomic`: a file with its content, or a folder built whole. */
export type AtomicOutput =
  | { readonly file: string; readonly data: string | Uint8Array }
  | {
    readonly dir: string;
    /** Writes the new folder's content into `tmpDir`. */
    readonly build: (tmpDir: string) => Promise<void>;
    /** Throws (a DownhillError) when the existing folder must not be replaced; checked before anything is written. */
    readonly replaceable?: (dir: string) => Promise<void>;
  };

/** An output written under its temporary name, waiting to be renamed into place. */
interface Staged {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

async function removeTemp(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
  dropTemp(path);
}

/** Checks done before anything is written: names, node_modules, the parent folders, what is in the way. */
async function prepare(target: string): Promise<'missing' | 'dir' | 'other'> {
  checkNames(target);
  checkNotInNodeModules(target);
  await mkdir(dirname(target), { recursive: true });
  await recoverSiblings(target);
  return pathKind(target);
}

async function stageFile(path: string, data: string | Uint8Array): Promise<Staged> {
  const target = resolve(path);
  if ((await prepare(target)) === 'dir') throw new DownhillError(`cannot write ${visible(path)}: it is a folder`);
  const tmp = siblingName(target, 'tmp');
  addTemp(tmp);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await removeTemp(tmp);
    throw error;
  }
  return {
    async commit() {
      try {
        await rename(tmp, target);
      } finally {
        await removeTemp(tmp);
      }
      await syncDir(dirname(target));
    },
    discard: () => removeTemp(tmp),
  };
}

async function stageDir(dir: string, build: (tmpDir: string) => Promise<void>, replaceable?: (dir: string) => Promise<void>): Promise<Staged> {
  const target = resolve(dir);
  const kind = await prepare(target);
  if (kind === 'other') throw new DownhillError(`cannot replace ${visible(target)}: it exists and is not a folder`);
  if (kind === 'dir' && replaceable !== undefined) await replaceable(target);
  const tmp = siblingName(target, 'tmp');
  addTemp(tmp);
  try {
    await mkdir(tmp);
    await build(tmp);
  } catch (error) {
    await removeTemp(tmp);
    throw error;
  }
  return {
    async commit() {
      let hadOld: boolean;
      try {
        const now = await pathKind(target);
        if (now === 'other') throw new DownhillError(`cannot replace ${visible(target)}: it exists and is not a folder`);
        hadOld = now === 'dir';
      } catch (error) {
        await removeTemp(tmp);
        throw error;
      }
      const backup = siblingName(target, 'old');
      if (hadOld) {
        try {
          addBackup(backup, target);
          await rename(target, backup);
        } catch (error) {
          dropBackup(backup);
          await removeTemp(tmp);
          throw error;
        }
      }
      try {
        await rename(tmp, target);
      } catch (error) {
        // Put the old folder back before reporting.
        if (hadOld) await rename(backup, target).catch(() => undefined);
        dropBackup(backup);
        await removeTemp(tmp);
        throw error;
      }
      dropTemp(tmp);
      await syncDir(dirname(target));
      if (hadOld) {
        addTemp(backup);
        dropBackup(backup);
        await removeTemp(backup);
      }
    },
    discard: () => removeTemp(tmp),
  };
}

/**
 * Writes several files and folders so that a failure leaves every one of
 * them as it was: each is first written under a temporary name beside its
 * target (files flushed to disk, folders built whole), and only when all of
 * them are ready are they renamed into place. Parent folders are created.
 * Refused before anything is written: names longer than NAME_MAX, paths
 * inside node_modules, a file where a folder should be (and the reverse),
 * and a folder whose `replaceable` check throws. A file-system failure is a
 * one-line DownhillError naming the path.
 *
 * Syntax:
 *   await writeAllAtomic([{ file, data }, { dir, build, replaceable }, ...])
 *
 * Examples:
 *   await writeAllAtomic([
 *     { file: 'site/index.html', data: html },
 *     { dir: 'site/katex', build: async (tmp) => writeFileAtomic(join(tmp, 'katex.min.css'), css) },
 *   ])
 *
 * See also: writeFileAtomic, replaceDirAtomic
 */
export async function writeAllAtomic(outputs: readonly AtomicOutput[]): Promise<void> {
  const staged: Staged[] = [];
  for (const output of outputs) {
    const path = 'file' in output ? output.file : output.dir;
    try {
      staged.push('file' in output ? await stageFile(output.file, output.data) : await stageDir(output.dir, output.build, output.replaceable));
    } catch (error) {
      for (const s of staged) await s.discard();
      throw fileSystemError(error, path, 'write');
    }
  }
  for (let i = 0; i < staged.length; i++) {
    try {
      await staged[i]!.commit();
    } catch (error) {
      for (const s of staged.slice(i + 1)) await s.discard();
      const output = outputs[i]!;
      throw fileSystemError(error, 'file' in output ? output.file : output.dir, 'write');
    }
  }
}

/**
 * Writes `data` to `path` atomically: into `.tmp-<name>-<pid>-<random>` in
 * the same folder, fsync, then rename over `path`. Parent folders are
 * created. On any failure the temporary file is removed, the previous
 * content of `path` is left untouched, and a one-line DownhillError names
 * the path. Temporary files that a killed earlier run left beside `path`
 * are removed first. A name too long for a temporary sibling is shortened
 * (its start and a hash), so every valid name works.
 *
 * Syntax:
 *   await writeFileAtomic(path, data)
 *
 * Examples:
 *   await writeFileAtomic('docs/lesson-1.html', html)
 *   await writeFileAtomic('out/weights.bin', new Uint8Array([1, 2, 3]))
 *
 * See also: writeAllAtomic, replaceDirAtomic, resolveInside
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeAllAtomic([{ file: path, data }]);
}

/**
 * Builds a whole folder in a temporary sibling `.tmp-<name>-<pid>-<random>`
 * and, only when `build` resolves, swaps it in place of `dir`: the old
 * folder is renamed to a backup, the new one renamed in, the backup deleted.
 * If `build` (or the swap) fails, the temporary folder is removed, `dir` is
 * left as it was, and the error rethrown. A `dir` that exists and is not a
 * folder is refused before `build` runs.
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
 * See also: writeAllAtomic, writeFileAtomic
 */
export async function replaceDirAtomic(dir: string, build: (tmpDir: string) => Promise<void>): Promise<void> {
  await writeAllAtomic([{ dir, build }]);
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
