/**
 * The live site, built once and shared: by every test file that needs it in
 * one run, and by later runs while nothing it is built from has changed.
 * The build goes to a folder named after a SHA-256 of every file of site/,
 * src/ and lessons/ (paths and contents), of package-lock.json and of this file; a test
 * run finds it there, or builds it (into a temporary folder, renamed into
 * place, so a reader never sees half a site), and removes this checkout's
 * builds of older sources. Another checkout's build (worktrees on one
 * machine) is removed only once unused for a day: removing it made that
 * checkout's running tests fail with ERR_FILE_NOT_FOUND. Tests only read it.
 *
 * One build at a time: the builder holds a lock (a folder beside the build,
 * naming its process), and the others wait for the build rather than make
 * their own (test files in parallel workers, each building the 45-second
 * site, doubled the work). A whole run starts the build in the background
 * in its global setup (test/support/build.ts: `startSiteBuild`), so that it
 * overlaps the first test files; a lock whose process has died is taken
 * over, and a build that failed is made again by the test that needs it,
 * which then shows the error.
 *
 *   const site = await sharedSite()   // /tmp/downhill-site-cache-<checkout>-<hash>/
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BASE = 'downhill-site-cache-';
/** One prefix per checkout: a test run removes its own checkout's older builds, never another checkout's (two worktrees' runs on one machine). */
const PREFIX = `${BASE}${createHash('sha256').update(root).digest('hex').slice(0, 8)}-`;
/** Another checkout's build unused for this long is removed. */
const UNUSED_MS = 24 * 3600 * 1000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

/** The hash of what the site is built from. */
export function siteSourceHash(): string {
  const hash = createHash('sha256');
  // This file too: it says what a build holds (LESSON_PAGES).
  const files = ['site', 'src', 'lessons'].flatMap((d) => filesUnder(join(root, d))).concat(join(root, 'package-lock.json'), fileURLToPath(import.meta.url)).sort();
  for (const file of files) hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The folder of the site built from the current sources (it may not be built yet). */
export function siteFolder(): string {
  return join(tmpdir(), `${PREFIX}${siteSourceHash()}`);
}

const built = (dir: string): boolean => existsSync(join(dir, 'index.html'));

/** Is the site of the current sources built (test/support/sequencer.ts)? */
export function siteIsBuilt(): boolean {
  return built(siteFolder());
}
const lockOf = (dir: string): string => `${dir}.lock`;

/** Is the process alive? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of `dir`'s build for process `pid`: true if taken. A lock
 * whose process has died (or that names none for a minute) is taken over.
 */
function tryLock(dir: string, pid = process.pid): boolean {
  const lock = lockOf(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(pid));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = Number.NaN;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      let age = 0;
      try { age = Date.now() - statSync(lock).mtimeMs; } catch { continue; /* released meanwhile */ }
      const stale = Number.isInteger(owner) && owner > 0 ? !alive(owner) : age > 60_000;
      if (!stale) return false;
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return false;
}

function unlock(dir: string): void {
  rmSync(lockOf(dir), { recursive: true, force: true });
}

/**
 * The folder, inside the built site, of the lessons' own pages as `downhill lessons --html` writes them (browser.test.ts
 * reads them): written with the site, from the same runs of the lessons at their defaults.
 */
export const LESSON_PAGES = 'lessons-html';

/**
 * Builds the site into `dir` (staged, renamed into place), with the lessons' own pages in its LESSON_PAGES folder, and
 * removes builds of other sources unused for a day. Each lesson runs once at its defaults for both (keepingDefaultDocuments),
 * or not at all while its document of an earlier build is kept for what it runs on (support/lesson-documents.ts).
 */
export async function buildInto(dir: string): Promise<void> {
  const { buildSite } = await import('../../site/build.ts');
  const { keepingDefaultDocuments, writeLessonSite } = await import('../../src/lesson/run.ts');
  const { allLessons } = await import('../../src/lesson/registry.ts');
  const { lessonDocumentStore } = await import('./lesson-documents.ts');
  const staging = await mkdtemp(join(tmpdir(), 'downhill-site-staging-'));
  await keepingDefaultDocuments(async () => {
    await buildSite(staging);
    await writeLessonSite(await allLessons(), join(staging, LESSON_PAGES));
  }, lessonDocumentStore());
  // Another run may have put the same build in place first: then this one goes.
  await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
  const now = Date.now();
  for (const old of readdirSync(tmpdir()).filter((f) => f.startsWith(BASE) && !f.endsWith('.lock') && join(tmpdir(), f) !== dir)) {
    const path = join(tmpdir(), old);
    let unused = old.startsWith(PREFIX);
    try { unused ||= now - statSync(path).mtimeMs > UNUSED_MS; } catch { /* removed by another run meanwhile */ }
    if (unused) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * For the global setup of a whole run: starts building the site in a child
 * process unless it is built or being built; returns a function that stops
 * that build (the run's teardown), or undefined.
 */
export function startSiteBuild(): (() => void) | undefined {
  const dir = siteFolder();
  if (built(dir) || !tryLock(dir)) return undefined;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./site-build.ts', import.meta.url)), dir], { cwd: root, stdio: 'ignore' });
  } catch {
    unlock(dir);
    return undefined;
  }
  // The child builds; this process (alive for the whole run) holds the lock until the child is done, whatever its end.
  let done = false;
  const release = (): void => {
    if (done) return;
    done = true;
    unlock(dir);
  };
  child.on('exit', release);
  child.on('error', release);
  return () => {
    if (!done) child.kill();
    release();
  };
}

let shared: Promise<string> | undefined;

/** The folder of the site built from the current sources (built now, or waited for, if no run has built it yet). */
export function sharedSite(): Promise<string> {
  shared ??= (async () => {
    const dir = siteFolder();
    for (;;) {
      if (built(dir)) {
        utimesSync(dir, new Date(), new Date()); // in use: kept by the other checkouts' runs
        return dir;
      }
      if (tryLock(dir)) {
        try {
          if (!built(dir)) await buildInto(dir);
        } finally {
          unlock(dir);
        }
        continue;
      }
      // Another process is building it: wait (a build that fails releases the lock, and this one builds).
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return shared;
}
