/**
 * `npm run site`'s command line and output folder: its arguments, the
 * checks made before the 40-second build, the writing (only the site's own
 * files are replaced: io/manifest.ts), Ctrl-C, and the exit codes (0 built,
 * 2 refused or a file-system failure: a full disk, a read-only folder).
 *
 *   npm run site                   # out/site
 *   npm run site -- ../my site     # any folder: its other files (.git/, CNAME) are kept
 */
import { realpathSync } from 'node:fs';
import { readFile, stat, lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DownhillError } from '../src/index.ts';
import { fileSystemError, removeTempFilesOnSignals, visible, type OwnedFile } from '../src/live.ts';
import { LIBRARY_SOURCES } from './libraries.ts';
import { checkPagesFolder, writePages, type PageFile } from '../src/live.ts';

export const SITE_HELP = `usage: npm run site [-- <folder>]

Builds the live site (every lesson page, the playground, the engine in a
worker) into <folder>, default out/site. Open <folder>/index.html from disk.

An existing folder is shared: only the files an earlier build wrote there
(listed in its .downhill-manifest.json) are replaced; anything else (.git/,
CNAME, notes) is kept, and a file of yours where the site puts one of its
own is refused, by name, before the build. A symbolic link to a folder is
followed. Exit code 0 when built, 2 when refused or the disk fails.`;

/** The folder `npm run site` was given (default out/site), or help. Refused at once: flags it does not take, more than one folder. */
export function siteArgs(argv: readonly string[]): { readonly help: true } | { readonly out: string } {
  if (argv.some((a) => a === '--help' || a === '-h')) return { help: true };
  const flags = argv.filter((a) => a.startsWith('-') && a !== '-' && a !== '--');
  if (flags.length > 0) throw new DownhillError(`unknown option ${visible(flags[0]!)}: npm run site takes one folder (npm run site -- --help)`);
  const folders = argv.filter((a) => a !== '--');
  if (folders.length > 1) throw new DownhillError(`one folder, not ${folders.length} (${folders.map(visible).join(', ')}): quote a name with spaces ("my site")`);
  const out = folders[0] ?? 'out/site';
  if (out.trim() === '') throw new DownhillError('the folder name is empty: give a folder, or none for out/site');
  return { out };
}

/** The site's scripts, recognised in a folder an earlier version wrote with no manifest: the engine starts the worker, a library sets its source. */
async function recogniseSiteFile(file: string, path: string): Promise<boolean> {
  if (!file.endsWith('.js')) return false;
  const head = await readFile(path, 'utf8').then((t) => t.slice(0, 64), () => '');
  // (This version's engine.js starts with the engine's source; earlier ones started the worker.)
  if (file === 'engine.js') return head.startsWith('self.DOWNHILL_ENGINE = "') || head.startsWith('self.DOWNHILL_WORKER = new Worker(');
  if (file === 'live.js') return recogniseSiteFile('engine.js', resolve(path, '..', 'engine.js'));
  return head.startsWith(`(self.${LIBRARY_SOURCES} ??= {})[`);
}

/** How the site is written into its folder: its whole output (files of an earlier build no longer made go), scripts beside the pages. */
const siteFolder = (scripts: readonly OwnedFile[]) => ({ clean: true, owner: 'site', files: scripts, recognise: recogniseSiteFile });

/**
 * Checks, before the build, that the site can go into `out`: a folder (or a
 * link to one) that may be written, where no file of the user's stands on
 * one of the site's paths (`pages` and `scripts`, relative to `out`).
 */
export async function checkSiteFolder(out: string, pages: readonly string[], scripts: readonly string[]): Promise<void> {
  const info = await lstat(out).catch(() => undefined);
  if (info?.isSymbolicLink() === true && (await stat(out).catch(() => undefined))?.isDirectory() !== true) {
    throw new DownhillError(`cannot write into ${visible(out)}: it is a symbolic link to ${visible(realTarget(out))}, which is not a folder`);
  }
  await checkPagesFolder(out, pages.map((file) => ({ file })), siteFolder(scripts.map((file) => ({ file, data: '' }))));
}

function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return 'nothing (a dangling link)';
  }
}

/** Writes the built site into `out` (pages, KaTeX's files, the scripts), replacing only an earlier build's files. */
export async function writeSite(out: string, pages: readonly PageFile[], scripts: readonly OwnedFile[]): Promise<void> {
  await writePages(out, pages, siteFolder(scripts));
}

/** Whether the module at `url` (its import.meta.url) is the script node was started with; paths with spaces or other escaped characters included. */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(fileURLToPath(url)) === realpathSync(script);
  } catch {
    return false;
  }
}

/**
 * `npm run site`'s main: the arguments, the build, its exit code. A
 * DownhillError (bad arguments, a folder that cannot take the site, a full
 * disk) is one line on stderr and exit code 2; Ctrl-C while files are
 * being written removes them first.
 */
export async function siteMain(argv: readonly string[], build: (out: string) => Promise<void>): Promise<number> {
  removeTempFilesOnSignals();
  try {
    const args = siteArgs(argv);
    if ('help' in args) {
      process.stdout.write(`${SITE_HELP}\n`);
      return 0;
    }
    const out = resolve(args.out);
    await build(out);
    process.stdout.write(`The site: ${resolve(out, 'index.html')}\n`);
    return 0;
  } catch (error) {
    // A file-system failure anywhere (a full disk while Vite works, too) is named as such.
    const e = fileSystemError(error, '');
    if (!(e instanceof DownhillError)) throw e;
    process.stderr.write(`npm run site: ${e.message}\n`);
    return 2;
  }
}
