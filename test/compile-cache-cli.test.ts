/**
 * The command's code cache as a user meets it (bin/downhill.js on the build;
 * src/expr/compile-cache.ts: mathjs and KaTeX through it, and the formulas KaTeX
 * accepted): the command prints the same bytes with no cache, an empty one, a
 * filled one, corrupt entries and entries it cannot write, also when two
 * commands start at once; a filled entry is used, not written again; a run whose
 * formulas were all accepted before does not load KaTeX, and bad TeX is refused
 * all the same; nothing is written in the project's folder. A small lesson file
 * (mathjs, KaTeX and the formulas' check) takes a second, where lesson 4 takes several.
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { entryName } from '../src/expr/compile-cache.ts';

const bin = fileURLToPath(new URL('../bin/downhill.js', import.meta.url));
/** A lesson whose formulas are TeX written by hand (checked where written), and another with one bad formula. */
const lesson = (formula: string): string => [
  "import { defineLesson, derivative, parseExpression } from 'downhill';",
  "export default defineLesson({ number: 1, name: 'formulas', title: 'Formulas', summary: 'a few formulas', defaults: {} }, async (doc) => {",
  "  doc.section('A loss and its slope');",
  "  doc.text('The loss $L(w) = (w - 3)^{2}$ has the slope $\\\\frac{\\\\partial L}{\\\\partial w}$:');",
  "  doc.expression(derivative(parseExpression('(w - 3)^2'), 'w').node, { label: '\\\\frac{\\\\partial L}{\\\\partial w}' });",
  `  doc.formula(${JSON.stringify(formula)});`,
  '});',
  '',
].join('\n');
const good = 'w \\leftarrow w - \\eta \\, \\frac{\\partial L}{\\partial w}';
const bad = '\\frac{1}{2} + \\sqrt{';
/** Node ≥ 22.1 has its own compile cache (module.enableCompileCache), which the command uses instead of downhill's. */
const ownCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

const dir = mkdtempSync(join(tmpdir(), 'downhill-cache-cli-'));
/** The user's project: the command runs here and must leave it as it was (the two lesson files). */
const project = join(dir, 'project');

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** `downhill lesson <file> --no-page` in the project, with $XDG_CACHE_HOME = `cacheHome` (the cache is `cacheHome`/downhill). */
function run(cacheHome: string, file = './formulas.js'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'lesson', file, '--no-page'], { cwd: project, env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome }, stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const entries = (folder: string): string[] => readdirSync(folder).sort();

const katexFile = createRequire(fileURLToPath(new URL('../dist/src/render/katex-bundle.js', import.meta.url))).resolve('katex');
/** The code cache entries the command writes: KaTeX's CommonJS build and mathjs-core.cjs, as the build in dist/ loads them. */
const expected = [katexFile, fileURLToPath(new URL('../dist/src/expr/mathjs-core.cjs', import.meta.url))]
  .map((file) => entryName(file, readFileSync(file))).sort();
const codeEntries = (folder: string): string[] => entries(folder).filter((n) => n.endsWith('.v8'));
/** The formulas KaTeX accepted, kept beside its entry (one file). */
const keptFormulas = (folder: string): string[] => {
  const kept = entries(folder).filter((n) => n.endsWith('.kept'));
  expect(kept).toHaveLength(1);
  expect(kept[0]!.startsWith(entryName(katexFile, readFileSync(katexFile)).replace(/\.v8$/, '-'))).toBe(true);
  return JSON.parse(readFileSync(join(folder, kept[0]!), 'utf8')) as string[];
};

let plain: Run;
beforeAll(async () => {
  mkdirSync(project);
  writeFileSync(join(project, 'formulas.js'), lesson(good));
  writeFileSync(join(project, 'bad.js'), lesson(bad));
  // No cache: $XDG_CACHE_HOME under a file, where no folder can be made (the ordinary load).
  writeFileSync(join(dir, 'a-file'), 'not a folder');
  plain = await run(join(dir, 'a-file'));
  expect(plain.code).toBe(0);
  expect(plain.stderr).toBe('');
  expect(plain.stdout).toContain('A loss and its slope');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the command with its code cache', () => {
  test('two commands starting at once on an empty cache, then a third: the same bytes, the entries written whole and then used', async () => {
    const home = join(dir, 'home');
    const both = await Promise.all([run(home), run(home)]);
    for (const r of both) expect(r).toEqual(plain);
    const cache = join(home, 'downhill');
    if (!ownCache) {
      expect(readdirSync(home)).toEqual([]); // node's own cache instead, elsewhere
      return;
    }
    // One entry each for mathjs-core.cjs and KaTeX's katex.js, and the formulas KaTeX accepted; no temporary file left by either writer.
    const names = codeEntries(cache);
    expect(names).toEqual(expected);
    expect(entries(cache)).toHaveLength(3);
    expect(keptFormulas(cache)).toContain(`D${good}`);
    const written = names.map((n) => ({ ino: lstatSync(join(cache, n)).ino, bytes: readFileSync(join(cache, n)) }));
    expect((await run(home))).toEqual(plain);
    // Used, not written again: a rejected or missing entry would be replaced by a new file (a new inode).
    expect(codeEntries(cache)).toEqual(names);
    names.forEach((n, i) => {
      expect(lstatSync(join(cache, n)).ino).toBe(written[i]!.ino);
      expect(readFileSync(join(cache, n)).equals(written[i]!.bytes)).toBe(true);
    });
    expect(readdirSync(project).sort()).toEqual(['bad.js', 'formulas.js']);
  });

  test('corrupt entries: the same bytes, and the entries are written again', async () => {
    const home = join(dir, 'corrupt');
    expect(await run(home)).toEqual(plain);
    if (!ownCache) return;
    const cache = join(home, 'downhill');
    const names = codeEntries(cache);
    expect(names).toEqual(expected);
    // One entry filled with garbage of its own length, the other cut in half.
    const garbage = Buffer.alloc(lstatSync(join(cache, names[0]!)).size, 0x5a);
    writeFileSync(join(cache, names[0]!), garbage);
    const cut = readFileSync(join(cache, names[1]!)).subarray(0, 1000);
    writeFileSync(join(cache, names[1]!), cut);
    // The formulas kept, cut too: KaTeX is needed, and loaded, again.
    const keptFile = entries(cache).find((n) => n.endsWith('.kept'))!;
    writeFileSync(join(cache, keptFile), readFileSync(join(cache, keptFile)).subarray(0, 20));
    expect(await run(home)).toEqual(plain);
    expect(codeEntries(cache)).toEqual(names);
    expect(keptFormulas(cache)).toContain(`D${good}`);
    expect(readFileSync(join(cache, names[0]!)).equals(garbage)).toBe(false);
    expect(readFileSync(join(cache, names[1]!)).length).toBeGreaterThan(cut.length);
    expect(readdirSync(project).sort()).toEqual(['bad.js', 'formulas.js']);
  });

  test("a run whose formulas KaTeX accepted before does not load KaTeX; a bad formula is refused as without the cache, and not kept", async () => {
    const home = join(dir, 'kept');
    expect(await run(home)).toEqual(plain);
    const refused = await run(join(dir, 'a-file'), './bad.js');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('invalid TeX');
    if (!ownCache) {
      expect(await run(home, './bad.js')).toEqual(refused);
      return;
    }
    const cache = join(home, 'downhill');
    const katexEntry = join(cache, entryName(katexFile, readFileSync(katexFile)));
    // KaTeX's entry has its time set whenever KaTeX is loaded: an hour back, it shows whether the next run loads it.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(katexEntry, hourAgo, hourAgo);
    expect(await run(home)).toEqual(plain);
    expect(Math.abs(lstatSync(katexEntry).mtimeMs - hourAgo.getTime())).toBeLessThan(1000); // not loaded
    // The bad lesson's good formulas are kept; its bad one is parsed (KaTeX loaded) and refused, as with no cache.
    expect(await run(home, './bad.js')).toEqual(refused);
    expect(lstatSync(katexEntry).mtimeMs).toBeGreaterThan(hourAgo.getTime() + 60_000); // loaded
    expect(keptFormulas(cache).filter((f) => f.includes('\\sqrt{'))).toEqual([]);
    expect(await run(home, './bad.js')).toEqual(refused);
    expect(readdirSync(project).sort()).toEqual(['bad.js', 'formulas.js']);
  });

  test('entries it cannot write (a folder where each goes): the same bytes, the folders untouched, no temporary file left', async () => {
    if (!ownCache) {
      expect(await run(join(dir, 'blocked'))).toEqual(plain);
      return;
    }
    const names = expected;
    const cache = join(dir, 'blocked', 'downhill');
    for (const n of names) mkdirSync(join(cache, n, 'a user file'), { recursive: true, mode: 0o700 });
    expect(await run(join(dir, 'blocked'))).toEqual(plain);
    expect(codeEntries(cache)).toEqual(names);
    for (const n of names) expect(readdirSync(join(cache, n))).toEqual(['a user file']);
    expect(readdirSync(project).sort()).toEqual(['bad.js', 'formulas.js']);
  });
});
