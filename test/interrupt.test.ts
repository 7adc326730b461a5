/**
 * Nothing lost: a run killed mid-write leaves the previous output intact,
 * a refused run writes nothing, and output paths stay inside the folder the
 * user chose.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { writePages } from '../src/render/page.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { runCli } from './support/cli.ts';

const bin = fileURLToPath(new URL('../bin/downhill.js', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'downhill-interrupt-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Every file below `dir` with its content, as path → text. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Spawns `downhill args`, polls `watchDir` until an entry matching `temp`
 * appears, then SIGKILLs the process. Resolves with whether the kill landed
 * while the temporary output existed.
 */
function killWhenTempAppears(args: readonly string[], watchDir: string, temp: RegExp): Promise<{ interrupted: boolean; code: number | null; signal: string | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
    let interrupted = false;
    const timer = setInterval(() => {
      let names: string[] = [];
      try {
        names = readdirSync(watchDir);
      } catch {
        return;
      }
      if (names.some((n) => temp.test(n))) {
        child.kill('SIGKILL');
        interrupted = true;
        clearInterval(timer);
      }
    }, 2);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolvePromise({ interrupted: interrupted && signal === 'SIGKILL', code, signal });
    });
  });
}

describe('a run killed mid-write leaves the previous output intact', () => {
  test('downhill docs --out <folder>: SIGKILL while the new reference is being written keeps the previous one byte for byte', async () => {
    const parent = join(base, 'docs');
    const out = join(parent, 'formulas');
    mkdirSync(join(out, 'plots'), { recursive: true });
    // A previous reference (docs replaces a folder only if its index.md has the title).
    writeFileSync(join(out, 'index.md'), '# downhill formula reference\n\nthe previous run\n');
    writeFileSync(join(out, 'losses.html'), '<!doctype html><p>previous</p>\n');
    writeFileSync(join(out, 'plots', 'old.svg'), '<svg/>\n');
    const before = snapshot(out);

    const run = await killWhenTempAppears(['docs', '--out', out], parent, /^\.tmp-formulas-/);
    expect(run.interrupted).toBe(true);
    expect(snapshot(out)).toEqual(before);
    // What the killed run left is only its temporary folder, beside the output, never in its place.
    const debris = readdirSync(parent).filter((n) => n !== 'formulas');
    expect(debris.every((n) => /^\.(tmp|old)-formulas-/.test(n))).toBe(true);
  });
  // writeFileAtomic killed mid-write: test/atomic.test.ts.
});

describe('a refused run writes nothing', () => {
  test('downhill docs --out <a folder that holds other work> is refused with exit 2 and the folder is untouched', () => {
    const out = join(base, 'my-notes');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'thesis.md'), 'months of work\n');
    const before = snapshot(out);
    const r = runCli(['docs', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^downhill docs: refusing to replace .*my-notes: it is not empty/);
    expect(r.stderr.trim()).not.toContain('\n');
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(base).filter((n) => n.includes('my-notes'))).toEqual(['my-notes']);
  });

  test('writeFileAtomic into a path whose parent is a file fails and leaves the file as it was', async () => {
    const file = join(base, 'plain.txt');
    writeFileSync(file, 'keep me\n');
    await expect(writeFileAtomic(join(file, 'child.html'), 'x')).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });
});

describe('output paths stay inside the folder the user chose', () => {
  test.each([
    ['../escape.html', /escapes/],
    ['a/../../escape.html', /escapes/],
    ['/tmp/escape.html', /is absolute/],
    ['nul\0byte.html', /NUL byte/],
  ])('writePages(folder, [{ file: %j }]) is refused and writes nothing', async (file, message) => {
    const out = join(base, 'site');
    mkdirSync(out, { recursive: true });
    const before = readdirSync(base).sort();
    await expect(writePages(out, [{ file, html: '<p>x</p>' }])).rejects.toThrow(message);
    await expect(writePages(out, [{ file, html: '<p>x</p>' }])).rejects.toBeInstanceOf(DownhillError);
    expect(readdirSync(base).sort()).toEqual(before);
    expect(existsSync(join(base, 'escape.html'))).toBe(false);
    expect(existsSync('/tmp/escape.html')).toBe(false);
  });

  // resolveInside and symbolic links: test/atomic.test.ts.

  test('downhill lesson 1 --out <folder> writes only inside that folder', () => {
    const parent = join(base, 'lesson');
    const out = join(parent, 'pages');
    mkdirSync(parent, { recursive: true });
    const r = runCli(['lesson', '1', '--out', out], { cwd: parent });
    expect(r.code).toBe(0);
    expect(readdirSync(parent)).toEqual(['pages']);
    const files = snapshot(out);
    expect([...files.keys()].some((f) => f.endsWith('.html'))).toBe(true);
    for (const [f, text] of files) if (f.endsWith('.html')) expect(text.trimEnd().endsWith('</html>')).toBe(true);
  });
});
