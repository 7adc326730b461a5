import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { fileSystemError, replaceDirAtomic, resolveInside, writeFileAtomic } from '../src/io/atomic.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'downhill-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic(path, data)', () => {
  test('writes the data, creating parent folders, and leaves no temporary file', async () => {
    const path = join(dir, 'a', 'b', 'out.txt');
    await writeFileAtomic(path, 'héllo ∂L/∂w');
    expect(readFileSync(path, 'utf8')).toBe('héllo ∂L/∂w');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.txt']);
  });

  test('replaces an existing file with bytes', async () => {
    const path = join(dir, 'out.bin');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
  });

  test('on failure removes the temporary file, rethrows, and keeps what was at the target', async () => {
    const path = join(dir, 'out.txt');
    writeFileSync(path, 'old');
    // A folder cannot be renamed over by a file: the rename fails after the temp file was written.
    const blocker = join(dir, 'blocker');
    mkdirSync(join(blocker, 'inner'), { recursive: true });
    await expect(writeFileAtomic(blocker, 'new')).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'out.txt']);
    expect(readdirSync(blocker)).toEqual(['inner']);
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  test('a writer killed with SIGKILL mid-write leaves the previous file intact', async () => {
    const path = join(dir, 'big.txt');
    const previous = 'previous content\n'.repeat(1000);
    writeFileSync(path, previous);
    const atomicUrl = new URL('../src/io/atomic.ts', import.meta.url).href;
    // The child writes 256 MB in one call and prints "go" just before: we kill it right after.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(atomicUrl)};
      const data = new Uint8Array(256 * 1024 * 1024).fill(120);
      process.stdout.write('go\\n');
      await writeFileAtomic(${JSON.stringify(path)}, data);
      process.stdout.write('done\\n');
    `;
    const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const sawTemp = await new Promise<boolean>((resolvePromise, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (!out.includes('go')) return;
        // Wait until the temporary file exists (the write has begun), then kill.
        const poll = setInterval(() => {
          const temps = readdirSync(dir).filter((f) => f.startsWith('.tmp-big.txt-'));
          if (temps.length > 0 || out.includes('done')) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolvePromise(temps.length > 0);
          }
        }, 1);
      });
    });
    await new Promise((r) => child.on('exit', r));
    expect(out).not.toContain('done');
    expect(sawTemp).toBe(true);
    expect(child.signalCode).toBe('SIGKILL');
    // The target still holds exactly the old content; at most a stray temp file remains beside it.
    expect(readFileSync(path, 'utf8')).toBe(previous);
    expect(readdirSync(dir).filter((f) => !f.startsWith('.tmp-big.txt-'))).toEqual(['big.txt']);
  });
});

describe('replaceDirAtomic(dir, build)', () => {
  test('swaps in the newly built folder and removes the old files and the backup', async () => {
    const target = join(dir, 'site');
    mkdirSync(target);
    writeFileSync(join(target, 'stale.html'), 'stale');
    await replaceDirAtomic(target, async (tmp) => {
      await writeFileAtomic(join(tmp, 'index.html'), 'new');
      await writeFileAtomic(join(tmp, 'katex', 'katex.min.css'), 'css');
    });
    expect(readdirSync(target).sort()).toEqual(['index.html', 'katex']);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['site']);
  });

  test('creates the folder when it did not exist', async () => {
    const target = join(dir, 'deep', 'site');
    await replaceDirAtomic(target, async (tmp) => writeFileAtomic(join(tmp, 'a.txt'), 'a'));
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('a');
  });

  test('when build fails the old folder is untouched and the temporary folder removed', async () => {
    const target = join(dir, 'site');
    mkdirSync(target);
    writeFileSync(join(target, 'index.html'), 'old');
    await expect(
      replaceDirAtomic(target, async (tmp) => {
        await writeFileAtomic(join(tmp, 'index.html'), 'half');
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    expect(readdirSync(dir)).toEqual(['site']);
    expect(readdirSync(target)).toEqual(['index.html']);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('old');
  });

  test('refuses to replace a file that is not a folder', async () => {
    const target = join(dir, 'site');
    writeFileSync(target, 'a file');
    await expect(replaceDirAtomic(target, async () => undefined)).rejects.toThrow(DownhillError);
    expect(readFileSync(target, 'utf8')).toBe('a file');
    expect(readdirSync(dir)).toEqual(['site']);
  });
});

describe('resolveInside(root, relative)', () => {
  test.each([
    ['lessons/1.html', 'lessons/1.html'],
    ['a/../b.html', 'b.html'],
    ['./x/./y.svg', 'x/y.svg'],
    ['..foo/bar', '..foo/bar'],
  ])('resolveInside(root, %j) is root/%s', (rel, expected) => {
    expect(resolveInside(dir, rel)).toBe(join(dir, expected));
  });

  test.each([['../x'], ['a/../../x'], ['/etc/passwd'], ['C:\\x'], ['a\0b']])(
    'resolveInside(root, %j) throws a one-line DownhillError',
    (rel) => {
      expect(() => resolveInside(dir, rel)).toThrow(DownhillError);
      try {
        resolveInside(dir, rel);
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    },
  );

  test('refuses a path through a symbolic link that points outside root', () => {
    const root = join(dir, 'root');
    const outside = join(dir, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'link'));
    expect(() => resolveInside(root, 'link/evil.html')).toThrow(/symbolic link/);
    expect(() => resolveInside(root, 'link')).toThrow(DownhillError);
  });

  test('accepts a symbolic link that stays inside root, and a root that is itself a link', () => {
    const root = join(dir, 'root');
    mkdirSync(join(root, 'real'), { recursive: true });
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    expect(resolveInside(root, 'alias/page.html')).toBe(join(root, 'alias', 'page.html'));
    symlinkSync(root, join(dir, 'rootlink'));
    expect(resolveInside(join(dir, 'rootlink'), 'real/x.html')).toBe(join(dir, 'rootlink', 'real', 'x.html'));
  });

  test('refuses a dangling symbolic link', () => {
    const root = join(dir, 'root');
    mkdirSync(root);
    symlinkSync(join(dir, 'nowhere'), join(root, 'dangling'));
    expect(existsSync(join(root, 'dangling'))).toBe(false);
    expect(() => resolveInside(root, 'dangling/x.html')).toThrow(DownhillError);
  });
});

describe('recovery after a killed run', () => {
  /** The pid of a process that has exited: no process has it now. */
  function deadPid(): number {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(r.stdout);
  }

  test('writeFileAtomic removes the temporary files a dead process left beside the target, and no others', async () => {
    const pid = deadPid();
    const stale = join(dir, `.tmp-page.html-${pid}-0123456789ab`);
    const live = join(dir, `.tmp-page.html-${process.pid}-0123456789ab`);
    const other = join(dir, `.tmp-other.html-${pid}-0123456789ab`);
    for (const f of [stale, live, other]) await writeFile(f, 'half');
    await writeFileAtomic(join(dir, 'page.html'), 'new');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true); // still being written by a running process
    expect(existsSync(other)).toBe(true); // beside another file
    expect(await readFile(join(dir, 'page.html'), 'utf8')).toBe('new');
  });

  test('replaceDirAtomic puts back the backup of a swap cut between its two renames', async () => {
    const parent = dir;
    const backup = join(parent, `.old-site-${deadPid()}-0123456789ab`);
    await mkdir(backup);
    await writeFile(join(backup, 'index.html'), 'old site');
    // The killed run renamed site to its backup and died before renaming the new one in.
    await expect(replaceDirAtomic(join(parent, 'site'), async () => { throw new Error('build failed'); })).rejects.toThrow('build failed');
    expect(await readFile(join(parent, 'site', 'index.html'), 'utf8')).toBe('old site');
    expect(existsSync(backup)).toBe(false);
  });
});

describe('fileSystemError(error, path, action): a read is named a read, a write a write', () => {
  /** The error a file-system call rejects with. */
  const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => { throw new Error('expected the call to fail'); }, (e: unknown) => e);

  test('a file that is not there, read (path from the error, and given): "cannot read <file>: it does not exist"', async () => {
    const missing = join(dir, 'answers.txt');
    const e = await failure(readFile(missing, 'utf8'));
    expect((fileSystemError(e, '') as Error).message).toBe(`cannot read ${missing}: it does not exist`);
    expect((fileSystemError(e, 'answers.txt', 'read') as Error).message).toBe('cannot read answers.txt: it does not exist');
    expect(fileSystemError(e, '')).toBeInstanceOf(DownhillError);
    // A folder that is not there, listed.
    expect((fileSystemError(await failure(readdir(join(dir, 'gone'))), '') as Error).message).toBe(`cannot read ${join(dir, 'gone')}: it does not exist`);
  });

  test('a folder read as a file, and a path through a file, read', async () => {
    mkdirSync(join(dir, 'pages'));
    // (The system's EISDIR names no path: the caller gives it.)
    expect((fileSystemError(await failure(readFile(join(dir, 'pages'), 'utf8')), 'pages') as Error).message).toBe('cannot read pages: it is a folder, not a file');
    writeFileSync(join(dir, 'notes.md'), 'mine\n');
    // (open fails the same way for a read and a write here: the caller says which.)
    expect((fileSystemError(await failure(readFile(join(dir, 'notes.md', 'x.txt'), 'utf8')), join(dir, 'notes.md', 'x.txt'), 'read') as Error).message).toBe(`cannot read ${join(dir, 'notes.md', 'x.txt')}: ${join(dir, 'notes.md')} is a file, not a folder`);
  });

  test('a write into a folder that does not exist is still a write (the same call, open, as a read)', async () => {
    const target = join(dir, 'no-such-folder', 'page.html');
    const e = await failure(writeFile(target, 'x'));
    expect((fileSystemError(e, '') as Error).message).toBe(`cannot write ${target}: its folder does not exist or cannot hold new files`);
    expect((fileSystemError(e, target, 'write') as Error).message).toBe(`cannot write ${target}: its folder does not exist or cannot hold new files`);
  });
});
