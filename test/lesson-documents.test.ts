// The lessons' documents at their defaults kept between test runs (support/lesson-documents.ts, used by the tests'
// site build): an entry is used while nothing the lesson runs on has changed, is written whole or not at all, and
// a corrupt one, or a folder others may write in, only runs the lesson.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { afterAll, describe, expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { keepingDefaultDocuments, lessonDocument } from '../src/lesson/run.ts';
import { entryKey, importsOwnFiles, lessonDocumentStore } from './support/lesson-documents.ts';

const base = mkdtempSync(join(tmpdir(), 'downhill-lesson-documents-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let folders = 0;
const freshDir = (): string => join(base, `store-${folders++}`);

describe('entryKey: the name of an entry is what the lesson runs on', () => {
  /** A checkout of two source files, a data file, a lock file, package.json with one installed package, and a lesson. */
  function checkout(): { root: string; lesson: string } {
    const root = join(base, `checkout-${folders++}`);
    for (const d of ['src/expr', 'data', 'lessons']) mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'src/index.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src/expr/x.ts'), 'export const x = 2;\n');
    writeFileSync(join(root, 'data/digits.bin.gz'), 'digits');
    writeFileSync(join(root, 'package-lock.json'), '{}\n');
    writeFileSync(join(root, 'package.json'), '{ "devDependencies": { "vega": "6.4.0" } }\n');
    mkdirSync(join(root, 'node_modules/vega'), { recursive: true });
    writeFileSync(join(root, 'node_modules/vega/package.json'), '{ "version": "6.4.0" }\n');
    writeFileSync(join(root, 'lessons/01-a.ts'), "import { a } from 'downhill';\n");
    return { root, lesson: join(root, 'lessons/01-a.ts') };
  }

  test('the same sources give the same name; a change to any of them, or to the defaults, another', () => {
    const { root, lesson } = checkout();
    const defaults = { lr: 0.1 };
    const first = entryKey(root, lesson, { defaults });
    expect(first).toMatch(/^01-a-[0-9a-f]{64}\.v8$/);
    expect(entryKey(root, lesson, { defaults: { lr: 0.1 } })).toBe(first);
    expect(entryKey(root, lesson, { defaults: { lr: 0.2 } })).not.toBe(first);
    const seen = new Set([first]);
    for (const [file, text] of [['src/expr/x.ts', 'export const x = 3;\n'], ['data/digits.bin.gz', 'digitz'], ['package-lock.json', '{ }\n'], ['node_modules/vega/package.json', '{ "version": "6.4.1" }\n'], ['lessons/01-a.ts', "import { a } from 'downhill'; // edited\n"], ['src/expr/new.ts', '']] as const) {
      writeFileSync(join(root, file), text);
      const key = entryKey(root, lesson, { defaults });
      expect(seen.has(key!), file).toBe(false);
      seen.add(key!);
    }
    // A file of another lesson, or one inside an installed package (its version is what counts), is not what this one runs on.
    writeFileSync(join(root, 'lessons/02-b.ts'), '// another lesson\n');
    writeFileSync(join(root, 'node_modules/vega/index.js'), '// the same version\n');
    expect(entryKey(root, lesson, { defaults })).toBe([...seen].at(-1));
  });

  test('a lesson that imports a file of its own is not kept (that file is not in the name)', () => {
    const { root, lesson } = checkout();
    expect(importsOwnFiles("import { a } from 'downhill';")).toBe(false);
    for (const source of ["import { h } from './helper.ts';", "import h from '../h.js'", "const h = await import('./h.ts');", "import './side.ts';"]) {
      expect(importsOwnFiles(source), source).toBe(true);
      writeFileSync(lesson, source);
      expect(entryKey(root, lesson, { defaults: {} })).toBeUndefined();
    }
  });
});

describe('lessonDocumentStore: documents kept between runs', () => {
  test('a document made is kept whole; a later build reads it instead of running the lesson', async () => {
    const dir = freshDir();
    const lesson = await findLesson('2');
    expect(await lessonDocumentStore(undefined, dir).get(lesson)).toBeUndefined();
    const made = await keepingDefaultDocuments(() => lessonDocument(lesson), lessonDocumentStore(undefined, dir));
    // The same document as a run outside any store.
    expect(made).toEqual(await lessonDocument(lesson));
    const entries = readdirSync(dir);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^02-slope-[0-9a-f]{64}\.v8$/);
    const again = await lessonDocumentStore(undefined, dir).get(lesson);
    expect(again).toEqual(made);
    // What the entry holds is what the next build gets (not a run of the lesson): a document written there by hand comes back.
    const planted = { ...made, title: 'planted' };
    writeFileSync(join(dir, entries[0]!), serialize(planted));
    expect(await keepingDefaultDocuments(() => lessonDocument(lesson), lessonDocumentStore(undefined, dir))).toEqual(planted);
    // Outside keepingDefaultDocuments, and with a setting, the lesson runs.
    expect((await lessonDocument(lesson)).title).not.toBe('planted');
    expect((await keepingDefaultDocuments(() => lessonDocument(lesson, { point: 1 }), lessonDocumentStore(undefined, dir))).title).not.toBe('planted');
  });

  test('a corrupt or cut entry is made again; no temporary file is left', async () => {
    const dir = freshDir();
    const lesson = await findLesson('2');
    const fresh = await lessonDocument(lesson);
    await keepingDefaultDocuments(() => lessonDocument(lesson), lessonDocumentStore(undefined, dir));
    const [entry] = readdirSync(dir);
    const whole = readFileSync(join(dir, entry!));
    for (const bad of [whole.subarray(0, whole.length >> 1), Buffer.from('not a document'), serialize({ title: 'no sections' }), Buffer.alloc(0)]) {
      writeFileSync(join(dir, entry!), bad);
      expect(await lessonDocumentStore(undefined, dir).get(lesson)).toBeUndefined();
      expect(await keepingDefaultDocuments(() => lessonDocument(lesson), lessonDocumentStore(undefined, dir))).toEqual(fresh);
      expect(readFileSync(join(dir, entry!)).equals(whole)).toBe(true);
    }
    expect(readdirSync(dir)).toEqual([entry]);
  });

  test('a folder others may write in is not used: nothing read, nothing written', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    const lesson = await findLesson('2');
    const made = await keepingDefaultDocuments(() => lessonDocument(lesson), lessonDocumentStore(undefined, dir));
    expect(readdirSync(dir)).toEqual([]);
    // An entry planted there is not read.
    writeFileSync(join(dir, entryKey(join(import.meta.dirname, '..'), join(import.meta.dirname, '../lessons/02-slope.ts'), lesson)!), serialize({ ...made, title: 'planted' }));
    expect((await keepingDefaultDocuments(() => lessonDocument(lesson), lessonDocumentStore(undefined, dir))).title).not.toBe('planted');
  });

  test('a lesson from a file outside the checkout\'s lessons/ is never kept', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const lesson = await findLesson(join(import.meta.dirname, 'fixtures/demo-lesson.ts'));
    await keepingDefaultDocuments(() => lessonDocument(lesson), lessonDocumentStore(undefined, dir));
    expect(readdirSync(dir)).toEqual([]);
  });
});
