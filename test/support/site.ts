/**
 * The live site, built once and shared: by every test file that needs it in
 * one run, and by later runs while nothing it is built from has changed.
 * The build goes to a folder named after a SHA-256 of every file of site/,
 * src/ and lessons/ (paths and contents) and of package-lock.json; a test
 * run finds it there, or builds it (into a temporary folder, renamed into
 * place, so a reader never sees half a site), and removes this checkout's
 * builds of older sources. Tests only read it.
 *
 *   const site = await sharedSite()   // /tmp/downhill-site-cache-<hash>/
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from '../../site/build.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** One prefix per checkout: a test run removes its own checkout's older builds, never another checkout's (two worktrees' runs on one machine). */
const PREFIX = `downhill-site-cache-${createHash('sha256').update(root).digest('hex').slice(0, 8)}-`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

/** The hash of what the site is built from. */
export function siteSourceHash(): string {
  const hash = createHash('sha256');
  const files = ['site', 'src', 'lessons'].flatMap((d) => filesUnder(join(root, d))).concat(join(root, 'package-lock.json')).sort();
  for (const file of files) hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

let shared: Promise<string> | undefined;

/** The folder of the site built from the current sources (built now if no run has built it yet). */
export function sharedSite(): Promise<string> {
  shared ??= (async () => {
    const dir = join(tmpdir(), `${PREFIX}${siteSourceHash()}`);
    if (existsSync(join(dir, 'index.html'))) return dir;
    const staging = await mkdtemp(join(tmpdir(), 'downhill-site-staging-'));
    await buildSite(staging);
    // Another test file (a parallel worker) may have put the same build in place first: then this one goes.
    await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
    for (const old of readdirSync(tmpdir()).filter((f) => f.startsWith(PREFIX) && join(tmpdir(), f) !== dir)) {
      await rm(join(tmpdir(), old), { recursive: true, force: true }).catch(() => undefined);
    }
    return dir;
  })();
  return shared;
}
