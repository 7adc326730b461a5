/**
 * The built-in lessons' documents at their defaults, kept between test runs:
 * the site the tests share (support/site.ts) is built again whenever site/,
 * src/ or lessons/ change, and lessons 10–12 training at their defaults were
 * about 20 of its 25–28 s of CPU. A document kept here is used again while
 * nothing it was made from has changed.
 *
 * An entry is named by a SHA-256 of what the lesson runs on, read from the
 * disk each time (never a file's time):
 *   - the lesson's file, and every file of src/ (a lesson imports 'downhill', src/index.ts, which reaches nearly all of it);
 *   - data/ (the digits the lessons read), package-lock.json and the version of each package package.json names as
 *     installed in node_modules (mathjs, KaTeX, vega and Graphviz draw the pages; worktrees may share one node_modules);
 *   - node's version and platform, the lesson's defaults, and this file.
 * A lesson file that imports a file of its own (a relative import) is not kept:
 * that file is not in the name.
 *
 * The folder, <tmp>/downhill-lesson-documents-<uid>, is never a user's file:
 * it is made private, and used only while it is this user's and no one else
 * can write in it (compile-cache.ts's cacheFolderUsable, as the command's own
 * cache). An entry is written to a temporary file and renamed, so two runs at
 * once each read a whole entry or none; one that cannot be read as a document
 * (cut, corrupt, another node's format) is made again; any trouble with the
 * folder only runs the lesson. Entries unused for a day are removed when a new
 * one is written.
 *
 *   await keepingDefaultDocuments(work, lessonDocumentStore())
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { cacheFolderUsable } from '../../src/expr/compile-cache.ts';
import type { DefaultDocumentStore } from '../../src/lesson/run.ts';
import { sourceFileOf } from '../../src/lesson/registry.ts';
import type { Lesson } from '../../src/lesson/lesson.ts';
import type { Document } from '../../src/render/document.ts';

const checkout = fileURLToPath(new URL('../..', import.meta.url));
/** An entry (or a stray temporary file) unused for this long is removed when a new entry is written. */
const STALE_MS = 24 * 3600 * 1000;

/** The default folder: this user's, in the temporary folder. */
export function defaultStoreDir(): string {
  const uid = process.getuid?.();
  return join(tmpdir(), uid === undefined ? 'downhill-lesson-documents' : `downhill-lesson-documents-${uid}`);
}

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

/** The files every lesson runs on, whatever its own file: src/, data/, package-lock.json (see the header). */
function sharedInputs(root: string): string[] {
  return [...filesUnder(join(root, 'src')), ...filesUnder(join(root, 'data')), join(root, 'package-lock.json')].sort();
}

/** The installed version of each package the checkout's package.json names (its dependencies and devDependencies). */
function installedVersions(root: string): string {
  let manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return 'no package.json';
  }
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).sort();
  return names.map((name) => {
    try {
      return `${name}@${(JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: unknown }).version}`;
    } catch {
      return `${name}@missing`;
    }
  }).join('\n');
}

/** Does a lesson's source import a file of its own (a relative path), which the entry's name would not cover? */
export const importsOwnFiles = (source: string): boolean => /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]\.{1,2}\//.test(source);

/**
 * The name of the entry of `lesson` (its file `file`) for the sources under `root`, or undefined if the lesson is not
 * kept (its file imports one of its own).
 */
export function entryKey(root: string, file: string, lesson: Pick<Lesson, 'defaults'>): string | undefined {
  const source = readFileSync(file);
  if (importsOwnFiles(source.toString('utf8'))) return undefined;
  const hash = createHash('sha256');
  hash.update(`${process.version}\0${process.platform}\0${process.arch}\0${JSON.stringify(lesson.defaults)}\0`);
  hash.update(readFileSync(fileURLToPath(import.meta.url))).update('\0');
  hash.update(`lesson\0${basename(file)}\0`).update(source).update('\0');
  for (const input of sharedInputs(root)) hash.update(`${relative(root, input)}\0`).update(readFileSync(input)).update('\0');
  hash.update(installedVersions(root));
  return `${basename(file).replace(/\.[cm]?[jt]s$/, '')}-${hash.digest('hex')}.v8`;
}

/** The folder, made private if new; undefined if it is not safe to use (another user's, writable by others, a link). */
function usable(dir: string): string | undefined {
  try {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      stat = lstatSync(dir);
    }
    return cacheFolderUsable(stat, process.getuid?.()) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** A document read back, if it has a document's shape (a title and a list of sections, each with a list of blocks). */
function asDocument(value: unknown): Document | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const doc = value as { title?: unknown; sections?: unknown };
  if (typeof doc.title !== 'string' || !Array.isArray(doc.sections)) return undefined;
  const sectionsOk = doc.sections.every((s: unknown) => typeof s === 'object' && s !== null && Array.isArray((s as { blocks?: unknown }).blocks));
  return sectionsOk ? (value as Document) : undefined;
}

/** Removes the folder's entries and temporary files unused for a day, but `keep`. */
function removeStale(dir: string, keep: string): void {
  const before = Date.now() - STALE_MS;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || !/\.(v8|tmp)$/.test(name)) continue;
    try {
      if (lstatSync(path).mtimeMs < before) rmSync(path, { force: true });
    } catch {
      // Removed meanwhile by another run.
    }
  }
}

/**
 * The store of the lessons' documents at their defaults, for `keepingDefaultDocuments`: the built-in lessons of the
 * checkout `root` (a lesson with no file, or not in root's lessons/, is never kept), in the folder `dir`.
 */
export function lessonDocumentStore(root = checkout, dir = defaultStoreDir()): DefaultDocumentStore {
  /** Each lesson's entry name, computed once per store (the sources are read once per build). */
  const keys = new Map<Lesson, string | undefined>();
  const keyOf = (lesson: Lesson): string | undefined => {
    if (!keys.has(lesson)) {
      const file = sourceFileOf(lesson);
      let key: string | undefined;
      try {
        key = file !== undefined && relative(join(root, 'lessons'), file) === basename(file) ? entryKey(root, file, lesson) : undefined;
      } catch {
        key = undefined; // a file that cannot be read: the lesson runs
      }
      keys.set(lesson, key);
    }
    return keys.get(lesson);
  };
  return {
    async get(lesson) {
      const key = keyOf(lesson);
      const folder = key === undefined ? undefined : usable(dir);
      if (key === undefined || folder === undefined) return undefined;
      const path = join(folder, key);
      let doc: Document | undefined;
      try {
        doc = asDocument(deserialize(readFileSync(path)));
      } catch {
        return undefined; // not there, or not readable as a document: made again
      }
      if (doc === undefined) return undefined;
      try {
        const now = new Date();
        utimesSync(path, now, now); // in use: not stale
      } catch {
        // Its time stays.
      }
      return doc;
    },
    async set(lesson, doc) {
      const key = keyOf(lesson);
      const folder = key === undefined ? undefined : usable(dir);
      if (key === undefined || folder === undefined) return;
      // Sources changed while the lesson ran: its document may be of either, so it is not kept.
      keys.delete(lesson);
      if (keyOf(lesson) !== key) return;
      const path = join(folder, key);
      const temp = `${path}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, serialize(doc), { mode: 0o600 });
        renameSync(temp, path);
        removeStale(folder, path);
      } catch {
        rmSync(temp, { force: true });
      }
    },
  };
}
