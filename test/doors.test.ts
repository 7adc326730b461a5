// The library's two doors by reader (docs/architecture.md, "What is public"):
// 'downhill' (src/index.ts) holds what learners and lesson authors use, and
// nothing else; 'downhill/engine' (src/engine.ts) what those who extend or
// check the engine use. Each name is in one door, each list one name a line,
// sorted. (The doors as installed: test/package.test.ts.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as main from '../src/index.ts';
import * as engine from '../src/engine.ts';

const root = join(import.meta.dirname, '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** A door's names as its list exports them (types included), in the list's order. */
function names(file: string): string[] {
  return read(file).split('\n').flatMap((line) => {
    const m = /^export (?:type )?\{ (\w+)(?: as (\w+))? \} from '[^']+';$/.exec(line);
    return m === null ? [] : [m[2] ?? m[1]!];
  });
}

/** Every file under `dir` whose name ends with one of `ends`. */
function filesUnder(dir: string, ends: readonly string[]): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ends.some((x) => e.name.endsWith(x)))
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

describe('the doors by reader', () => {
  const mainNames = names('src/index.ts');
  const engineNames = names('src/engine.ts');

  test('each door lists one name a line, sorted (case ignored), and exports exactly the values it lists', () => {
    for (const list of [mainNames, engineNames]) {
      expect(list.length).toBeGreaterThan(20);
      expect(list).toEqual([...list].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(new Set(list).size).toBe(list.length);
    }
    // Every exported value is on its list (the lists are the doors, not a description of them).
    for (const [door, list] of [[main, mainNames], [engine, engineNames]] as const) {
      for (const value of Object.keys(door)) expect(list, value).toContain(value);
    }
  });

  test('each name is in one door', () => {
    expect(mainNames.filter((n) => engineNames.includes(n))).toEqual([]);
  });

  test("every name of the main door is used by one of its readers: a lesson, a practice set, a template, the README, docs/authoring.md or the site", () => {
    const readers = [
      ...filesUnder('lessons', ['.ts']), ...filesUnder('site', ['.ts']),
      'src/cli/new.ts', 'README.md', 'docs/authoring.md',
    ];
    expect(readers.filter((f) => f.startsWith('lessons/practice/')).length).toBeGreaterThan(5);
    const text = readers.map(read).join('\n');
    const unused = mainNames.filter((n) => !new RegExp(`\\b${n}\\b`).test(text));
    expect(unused, 'names no reader of the main door uses: move them to src/engine.ts (docs/architecture.md)').toEqual([]);
  });
});
