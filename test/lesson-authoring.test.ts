// Writing your own lesson: `downhill new lesson`, running it from a folder
// outside the repository (its `import … from 'downhill'` is the running
// downhill), pages named after their files, and --watch.
// What a user types from their folder (a new lesson run from it, a name taken,
// the watching command) runs bin/downhill.js in a new node process as a user
// does; refusals that do not depend on the folder, a built-in lesson's page and
// the lessons the watch tests start from take the command's own function in
// this process (support/cli.ts commandOutput: the same streams, exit code and
// 80 columns; test/cli-in-process.test.ts shows it prints what the spawned
// command prints), saving a node start (0.5–1 s of CPU) each.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandOutput as run, runCli } from './support/cli.ts';

const bin = fileURLToPath(new URL('../bin/downhill.js', import.meta.url));
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-author-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('downhill new lesson', () => {
  test('writes a commented template that runs as it is, from a folder with no package.json or node_modules', async () => {
    const made = runCli(['new', 'lesson', 'my-descent'], { cwd: dir });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const source = await readFile(join(dir, 'my-descent.ts'), 'utf8');
    expect(source).toMatch(/^\/\/ A downhill lesson/);
    expect(source).toContain("from 'downhill'");
    const r = runCli(['lesson', './my-descent.ts', '--out', 'pages'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // w ← w − 0.1 · 2(w − 3) from w = 0: w_k = 3 − 3 · 0.8^k, so w_10 = 3 − 3 · 0.8^10 = 2.678.
    expect(r.stdout).toContain(`w = ${(3 - 3 * 0.8 ** 10).toPrecision(4)}`);
    expect(await readdir(join(dir, 'pages'))).toContain('my-descent.html');
  });

  test('never replaces an existing file, and refuses a bad name', async () => {
    await writeFile(join(dir, 'taken.ts'), '// mine\n');
    const r = runCli(['new', 'lesson', 'taken'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^downhill new: taken\.ts exists already/);
    expect(await readFile(join(dir, 'taken.ts'), 'utf8')).toBe('// mine\n');
    expect((await run(['new', 'lesson', 'Bad Name'])).stderr).toMatch(/lower-case letters/);
    expect((await run(['new', 'lessen', 'x'])).stderr).toMatch(/makes a lesson or a practice set, not "lessen"/);
  });

  test('new practice: a set that runs as it is; the key answers every item right', async () => {
    expect(runCli(['new', 'practice', 'my-set'], { cwd: dir }).code).toBe(0);
    const source = await readFile(join(dir, 'my-set.ts'), 'utf8');
    expect(source).toMatch(/^\/\/ A downhill practice set/);
    // d/dw (2w − 3)² = 4(2w − 3); L'(0) = −12; w_k = 1.5 − 1.5·0.6^k for η = 0.05 (factor 1 − 0.05·8), so w_10 = 1.49093; the bottom is b).
    const r = runCli(['practice', './my-set.ts'], { cwd: dir, input: ['8*w - 12', '-12', String(1.5 - 1.5 * 0.6 ** 10), 'b'].join('\n') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('score: 4 of 4');
  });

  test('a 249-letter name (a 252-byte file name) is written; a folder it cannot write in is named, never a temporary file', async () => {
    const long = `l${'o'.repeat(247)}n`;
    const made = runCli(['new', 'lesson', long], { cwd: dir });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(await readdir(dir)).toContain(`${long}.ts`);
    // Root may write in a folder of mode 555: /proc/sys, which nobody may write in, stands for a read-only folder.
    const r = await run(['new', 'lesson', 'foo', '--out', '/proc/sys/foo.ts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^downhill new: cannot write \/proc\/sys\/foo\.ts: (permission denied|operation not permitted|the file system is read-only)\n$/);
    expect(r.stderr).not.toMatch(/tmp/);
    expect((await readdir(dir)).filter((n) => n.includes('tmp'))).toEqual([]);
  });
});

describe('pages named after their files', () => {
  test('a copy of a lesson writes its own page beside the original\'s', async () => {
    const original = fileURLToPath(new URL('../lessons/02-slope.ts', import.meta.url));
    await copyFile(original, join(dir, 'slope-copy.ts'));
    expect((await run(['lesson', '2', '--out', join(dir, 'site')])).code).toBe(0);
    const before = await readFile(join(dir, 'site', '02-slope.html'), 'utf8');
    const r = runCli(['lesson', './slope-copy.ts', '--out', 'site'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(join(dir, 'site', 'slope-copy.html'));
    expect(await readFile(join(dir, 'site', '02-slope.html'), 'utf8')).toBe(before);
    expect(await readdir(join(dir, 'site'))).toEqual(expect.arrayContaining(['02-slope.html', 'slope-copy.html']));
  });
});

describe('--watch', () => {
  /** A watching child: its output so far, a wait for a pattern (from a given offset), and a stop. */
  function watching(args: readonly string[], cwd: string) {
    const child = spawn(process.execPath, [bin, ...args, '--watch', '--no-page'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    const seen = { out: '' };
    child.stdout.on('data', (d: Buffer) => { seen.out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { seen.out += d.toString(); });
    const waitFor = async (re: RegExp, from = 0): Promise<void> => {
      // 120 s: a run takes about a second on a quiet machine, and 25 s at a load average of 34.
      for (let i = 0; i < 1200 && !re.test(seen.out.slice(from)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(seen.out.slice(from)).toMatch(re);
    };
    return { seen, waitFor, stop: () => child.kill() };
  }

  test('runs the lesson again after a save, with the new code', async () => {
    await run(['new', 'lesson', 'watched', '--out', join(dir, 'watched.ts')]);
    const w = watching(['lesson', './watched.ts'], dir);
    try {
      await w.waitFor(/After 10 steps[^]*watching/);
      const source = await readFile(join(dir, 'watched.ts'), 'utf8');
      await writeFile(join(dir, 'watched.ts'), source.replace('steps: 10', 'steps: 3'));
      await w.waitFor(/After 3 steps/);
      // w_3 = 3 − 3 · 0.8³ = 1.464
      expect(w.seen.out).toContain('w = 1.464');
    } finally {
      w.stop();
    }
  }, 300_000);

  test('runs again when a helper the lesson imports is saved, with the helper\'s new code', async () => {
    const sub = await mkdtemp(join(dir, 'helper-'));
    await run(['new', 'lesson', 'helped', '--out', join(sub, 'helped.ts')]);
    await writeFile(join(sub, 'rate.ts'), 'export const rate: number = 0.1;\n');
    const source = await readFile(join(sub, 'helped.ts'), 'utf8');
    await writeFile(join(sub, 'helped.ts'), `import { rate } from './rate.ts';\n${source.replace('defaults: { lr: 0.1, steps: 10 }', 'defaults: { lr: rate, steps: 10 }')}`);
    const w = watching(['lesson', './helped.ts'], sub);
    try {
      await w.waitFor(/learning rate 0\.1,[^]*watching \.\/helped\.ts and the 1 local file it imports/);
      const mark = w.seen.out.length;
      await writeFile(join(sub, 'rate.ts'), 'export const rate: number = 0.2;\n');
      // w_10 = 3 − 3 · 0.6^10 = 2.982
      await w.waitFor(/After 10 steps with learning rate 0\.2, w = 2\.982/, mark);
    } finally {
      w.stop();
    }
  }, 300_000);

  test('survives a branch switch: the file renamed and restored, the folder removed and made again', async () => {
    const sub = await mkdtemp(join(dir, 'branch-'));
    const folder = join(sub, 'lessons');
    await mkdir(folder);
    await run(['new', 'lesson', 'switched', '--out', join(folder, 'switched.ts')]);
    const source = await readFile(join(folder, 'switched.ts'), 'utf8');
    const w = watching(['lesson', './lessons/switched.ts'], sub);
    try {
      await w.waitFor(/After 10 steps[^]*watching/);
      let mark = w.seen.out.length;
      await rename(join(folder, 'switched.ts'), join(folder, 'switched.ts.away'));
      await w.waitFor(/no lesson file [^]*watching/, mark);
      mark = w.seen.out.length;
      await writeFile(join(folder, 'switched.ts.away'), source.replace('steps: 10', 'steps: 4'));
      await rename(join(folder, 'switched.ts.away'), join(folder, 'switched.ts'));
      await w.waitFor(/After 4 steps[^]*watching/, mark);
      mark = w.seen.out.length;
      await rm(folder, { recursive: true });
      await w.waitFor(/no lesson file [^]*watching/, mark);
      mark = w.seen.out.length;
      await mkdir(folder);
      await writeFile(join(folder, 'switched.ts'), source.replace('steps: 10', 'steps: 2'));
      // w_2 = 3 − 3 · 0.8² = 1.08
      await w.waitFor(/After 2 steps with learning rate 0\.1, w = 1\.08 /, mark);
    } finally {
      w.stop();
    }
  }, 300_000);

  test('a run that fails prints its place and line, with control characters shown, not sent, and watching goes on', async () => {
    await run(['new', 'lesson', 'failing', '--out', join(dir, 'failing.ts')]);
    const source = await readFile(join(dir, 'failing.ts'), 'utf8');
    await writeFile(join(dir, 'failing.ts'), `throw new Error('bad \\u001b[2J screen\\nsecond line');\n${source}`);
    const w = watching(['lesson', './failing.ts'], dir);
    try {
      await w.waitFor(/watching/);
      expect(w.seen.out).toContain("downhill lesson: failing.ts:1:7: bad \\x1b[2J screen\n> 1 | throw new Error('bad \\u001b[2J screen\\nsecond line');\n");
      expect(w.seen.out).not.toContain('\u001b');
      expect(w.seen.out).toMatch(/watching .*failing\.ts/);
    } finally {
      w.stop();
    }
  }, 300_000);

  test('goes with a lesson file only', async () => {
    const r = await run(['lesson', '4', '--watch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--watch goes with a lesson file/);
  });
});
