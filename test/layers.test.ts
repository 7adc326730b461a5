/**
 * The floors of src/ (docs/architecture.md draws them): a file imports only
 * from its own room (a folder with its door, the top-level file of the same
 * name: cli/ and cli.ts; or a top-level file) or from a room on a lower
 * floor. No import runs back up, and none runs sideways between two rooms of
 * one floor. Checked against every relative import of src/ (static, `export
 * ... from`, and lazy `import()`).
 *
 * A new folder under src/ goes on a floor here (and in docs/architecture.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/** Bottom floor first. */
const floors: readonly (readonly string[])[] = [
  ['errors.ts', 'hash.ts'], //            footing: the error type, hashing
  ['expr', 'io'], //                      expressions and their function table; files written atomically
  ['diff', 'nn', 'render'], //            derivatives; networks, losses, data; documents, KaTeX, tables, plots, pages
  ['compile', 'pictures', 'limits.ts', 'practice'], // generated code; pictures (graphs, diagrams); the limits of one call; practice sets and their checker
  ['matrix', 'train', 'lesson'], //       the layer-level engine (its loops reuse compile's code pieces); training; the lesson framework
  ['check', 'docs', 'export'], //         gradient checks and the grad report; the formula reference; a network as a PyTorch script
  ['cli', 'engine.ts', 'index.ts', 'live.ts'], // the command line (cli.ts finds the command, cli/ holds them); the library's two doors; the site's live entry
];

const src = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** The room of a file under src/: its top folder, or the file itself at the top (cli.ts: the door of cli/). */
function roomOf(file: string): string {
  const top = relative(src, file).split(/[\\/]/)[0]!;
  const folder = top.replace(/\.ts$/, '');
  return top !== folder && existsSync(join(src, folder)) ? folder : top;
}

/** Relative specifiers a file imports: `from '…'`, `import '…'`, `import('…')`. */
function relativeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)) out.push(m[2]!);
  return out;
}

const floorOf = new Map(floors.flatMap((rooms, level) => rooms.map((room) => [room, level] as const)));
const files = sourceFiles(src);
const edges = files.flatMap((file) =>
  relativeImports(readFileSync(file, 'utf8')).map((spec) => ({
    file: relative(src, file),
    from: roomOf(file),
    to: roomOf(normalize(join(dirname(file), spec))),
  })));

describe('floors of src/', () => {
  test('the import reader sees static, re-export, side-effect and lazy imports, and only relative ones', () => {
    const text = [
      "import { a } from './a.ts';",
      "export { b } from \"../b/b.ts\";",
      "import type {\n  C,\n} from '../c.ts';",
      "import './d.ts';",
      "const e = () => import('../e/e.ts');",
      "import katex from 'katex';",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['./a.ts', '../b/b.ts', '../c.ts', './d.ts', '../e/e.ts']);
  });

  test('every room of src/ is on exactly one floor', () => {
    const rooms = [...new Set(files.map(roomOf))].sort();
    const unplaced = rooms.filter((r) => !floorOf.has(r));
    expect(unplaced, `rooms on no floor (add them to floors in test/layers.test.ts): ${unplaced.join(', ')}`).toEqual([]);
    expect(floors.flat().length).toBe(floorOf.size);
    expect(edges.length).toBeGreaterThan(100);
  });

  test('every room on a floor exists, and stands just above its highest import (a floor is the longest import chain below it)', () => {
    const missing = floors.flat().filter((r) => !existsSync(join(src, r)));
    expect(missing, `rooms in floors that src/ does not have: ${missing.join(', ')}`).toEqual([]);
    const wrong = [...floorOf].flatMap(([room, level]) => {
      const below = edges.filter((e) => e.from === room && e.to !== room).map((e) => floorOf.get(e.to) ?? -1);
      const want = Math.max(-1, ...below) + 1;
      return want === level ? [] : [`${room} is on floor ${level} but its highest import is on floor ${want - 1}: move it to floor ${want}`];
    });
    expect(wrong).toEqual([]);
  });

  test("docs/architecture.md draws the same floors", () => {
    const doc = readFileSync(fileURLToPath(new URL('../docs/architecture.md', import.meta.url)), 'utf8');
    const drawing = /## Floors and rooms[^]*?```\n([^]*?)```/.exec(doc)![1]!;
    const drawn: string[][] = [];
    let level = -1;
    for (const line of drawing.split('\n')) {
      const m = /^(\d+| )  (\S+)/.exec(line);
      if (m === null) continue;
      if (m[1] !== ' ') level = Number(m[1]);
      (drawn[level] ??= []).push(m[2]!.replace(/\/$/, ''));
    }
    expect(drawn.map((rooms) => [...rooms].sort())).toEqual(floors.map((rooms) => [...rooms].sort()));
  });

  test('no import runs up or sideways', () => {
    const bad = edges
      .filter((e) => e.from !== e.to && floorOf.has(e.from) && floorOf.has(e.to) && floorOf.get(e.to)! >= floorOf.get(e.from)!)
      .map((e) => `${e.file} (floor ${floorOf.get(e.from)}) imports ${e.to} (floor ${floorOf.get(e.to)})`);
    expect(bad).toEqual([]);
  });
});

/**
 * The site (site/: the build, the page scripts, the engine's worker) enters
 * src/ through two doors only: the public entry (src/index.ts) and the live
 * entry (src/live.ts), as micrograd's demo and KaTeX's site use their public API.
 */
describe('the site enters src/ through its two doors', () => {
  const site = fileURLToPath(new URL('../site', import.meta.url));
  const doors = new Set(['index.ts', 'live.ts']);
  const siteEdges = sourceFiles(site).flatMap((file) =>
    relativeImports(readFileSync(file, 'utf8')).map((spec) => ({ file: relative(site, file), target: normalize(join(dirname(file), spec)) })));

  test('the site imports src/ (a check that can fail: it sees the site\'s imports)', () => {
    expect(siteEdges.filter((e) => !relative(src, e.target).startsWith('..')).length).toBeGreaterThan(3);
  });

  test('every import of src/ from site/ is src/index.ts or src/live.ts', () => {
    const bad = siteEdges
      .filter((e) => !relative(src, e.target).startsWith('..') && !doors.has(relative(src, e.target)))
      .map((e) => `site/${e.file} imports src/${relative(src, e.target)}: go through src/index.ts or src/live.ts`);
    expect(bad).toEqual([]);
  });
});
