/**
 * Nothing lost: a run killed mid-write leaves the previous output intact,
 * a refused run writes nothing, and output paths stay inside the folder the
 * user chose.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { KATEX_MARKER, renderPage, writePages } from '../src/render/page.ts';
import { katexAssetsDir } from '../src/render/katex-assets.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
// The refusals call the command's own function in this process (support/cli.ts commandOutput: the same streams, exit
// code and 80 columns; test/cli-in-process.test.ts shows it prints what the spawned command prints), saving a node start
// each; runs that are killed, and the lesson written from its own folder, run bin/downhill.js as a user does.
import { commandOutput as run, runCli } from './support/cli.ts';

const bin = fileURLToPath(new URL('../bin/downhill.js', import.meta.url));
/**
 * src/io/atomic.ts as the command runs it: its build in dist/ (made from the source before the tests, test/support/build.ts,
 * and what bin/downhill.js imports), loaded by plain node in the child rather than through tsx (0.7 s of CPU a start, 0.16 without).
 */
const atomicBuilt = JSON.stringify(new URL('../dist/src/io/atomic.js', import.meta.url).href);
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
function killWhenTempAppears(args: readonly string[], watchDir: string, temp: RegExp, kill: NodeJS.Signals = 'SIGKILL'): Promise<{ interrupted: boolean; code: number | null; signal: string | null }> {
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
        child.kill(kill);
        interrupted = true;
        clearInterval(timer);
      }
    }, 2);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolvePromise({ interrupted: interrupted && signal === kill, code, signal });
    });
  });
}

describe('Ctrl-C and SIGTERM stop a busy command at once', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('the CLI busy in synchronous work dies of %s within 2 s', async (signal) => {
    // What the CLI does (src/cli.ts): watch signals for temporaries, then compute synchronously for a long time.
    const script = `
      import { removeTempFilesOnSignals } from ${atomicBuilt};
      removeTempFilesOnSignals();
      process.stdout.write('go');
      const end = Date.now() + 30000;
      let x = 0;
      while (Date.now() < end) x += Math.sqrt(x + 1);
      process.stdout.write('done ' + x);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let said = '';
    let sentAt = 0;
    await new Promise<void>((resolvePromise, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (sentAt === 0 && said.includes('go')) {
          // Let the loop start, then signal.
          setTimeout(() => {
            sentAt = Date.now();
            child.kill(signal);
          }, 200);
        }
      });
      child.on('exit', () => resolvePromise());
    });
    const took = Date.now() - sentAt;
    expect(said).not.toContain('done');
    expect(child.signalCode).toBe(signal);
    expect(took).toBeLessThan(2000);
  });
});

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

    // Every file is staged under a temporary name beside its target before any is renamed: kill at the first one.
    const run = await killWhenTempAppears(['docs', '--out', out], out, /^\.tmp-/);
    expect(run.interrupted).toBe(true);
    const debris = (name: string): boolean => /^\.tmp-/.test(name);
    expect(new Map([...snapshot(out)].filter(([f]) => !f.split('/').some(debris)))).toEqual(before);
    // What the killed run left is only temporary files, beside their targets, never in their place.
    expect(readdirSync(parent)).toEqual(['formulas']);
  }, 300_000); // downhill docs until its first temporary file appears: about 10 s quiet, past 60 s at a load average of 34
  // writeFileAtomic killed mid-write: test/atomic.test.ts.

  test.each(['SIGINT', 'SIGTERM'] as const)('a writer stopped by %s while writing removes its temporary files, keeps the previous output and dies of the signal', async (signal) => {
    const parent = join(base, `signal-${signal}`);
    const out = join(parent, 'site');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'index.html'), 'the previous run\n');
    const before = snapshot(out);
    // What the CLI does (src/cli.ts): install the handler, then write; the build stops half-way until the signal.
    const script = `
      import { removeTempFilesOnSignals, replaceDirAtomic, writeFileAtomic } from ${atomicBuilt};
      removeTempFilesOnSignals();
      await replaceDirAtomic(${JSON.stringify(out)}, async (tmp) => {
        await writeFileAtomic(tmp + '/index.html', 'half');
        process.stdout.write('go');
        await new Promise(() => setInterval(() => undefined, 1000));
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let said = '';
    const temps = await new Promise<string[]>((resolvePromise, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (!said.includes('go')) return;
        const now = readdirSync(parent).filter((n) => n.startsWith('.tmp-site-'));
        child.kill(signal);
        resolvePromise(now);
      });
    });
    await new Promise((r) => child.on('exit', r));
    expect(temps.length).toBe(1); // the temporary folder existed when the signal came
    expect(child.signalCode).toBe(signal);
    expect(readdirSync(parent)).toEqual(['site']);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('nothing the command did not create is removed or replaced', () => {
  /** A project folder with a katex/ folder of the user's own, holding a style sheet where downhill puts KaTeX's. */
  function project(name: string): string {
    const dir = join(base, name);
    mkdirSync(join(dir, 'katex'), { recursive: true });
    writeFileSync(join(dir, 'katex', 'notes.txt'), 'work\n');
    writeFileSync(join(dir, 'katex', 'katex.min.css'), 'my own style\n');
    return dir;
  }

  test.each([
    ['check', (dir: string) => ['check', 'x^2', '--at', 'x=1', '--html', join(dir, 'r.html')]],
    ['lesson', (dir: string) => ['lesson', '2', '--out', dir]],
    ['lessons', (dir: string) => ['lessons', '--html', dir]],
  ] as const)('downhill %s into a folder whose katex/ is the user\'s: exit 2, one line, nothing written', async (name, args) => {
    const dir = project(`user-katex-${name}`);
    const before = snapshot(dir);
    const r = await run(args(dir));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(''); // refused before any work
    expect(r.stderr).toMatch(/refusing to write into .*: .*katex\/katex\.min\.css was not written by downhill/);
    expect(r.stderr.trim()).not.toContain('\n');
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['katex']);
  });

  test('a report inside node_modules is refused, and the installed package is untouched', async () => {
    const dir = join(base, 'project', 'node_modules');
    mkdirSync(join(dir, 'katex'), { recursive: true });
    writeFileSync(join(dir, 'katex', 'package.json'), '{"name":"katex"}\n');
    const r = await run(['check', 'x^2', '--at', 'x=1', '--html', join(dir, 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to write .*node_modules.*: it is inside node_modules/);
    expect(readdirSync(dir)).toEqual(['katex']);
    expect(readdirSync(join(dir, 'katex'))).toEqual(['package.json']);
  });

  test('katex/ is downhill\'s own: marked, woff2 fonts only, every font the style sheet names is there, and replaced on the next run', async () => {
    const out = join(base, 'own-katex');
    await writePages(out, [{ file: 'a.html', html: renderPage({ title: 'a' }) }]);
    const files = [...snapshot(join(out, 'katex')).keys()];
    expect(files).toContain(KATEX_MARKER);
    const fonts = files.filter((f) => f.startsWith('fonts'));
    expect(fonts.length).toBeGreaterThan(10);
    expect(fonts.every((f) => f.endsWith('.woff2'))).toBe(true);
    const css = readFileSync(join(out, 'katex', 'katex.min.css'), 'utf8');
    const urls = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(urls.length).toBe(fonts.length);
    for (const url of urls) expect(existsSync(join(out, 'katex', url)), url).toBe(true);
    // The style sheet is KaTeX's, less the woff and ttf alternatives.
    const original = readFileSync(join(katexAssetsDir(), 'katex.min.css'), 'utf8');
    expect(original.replace(/,url\(fonts\/[^)]+\.woff\) format\("woff"\),url\(fonts\/[^)]+\.ttf\) format\("truetype"\)/g, '')).toBe(css);
    writeFileSync(join(out, 'katex', 'stale.css'), 'old');
    await writePages(out, [{ file: 'b.html', html: renderPage({ title: 'b' }) }]);
    // A file downhill did not write, even in katex/, is kept (io/manifest.ts).
    expect(readFileSync(join(out, 'katex', 'stale.css'), 'utf8')).toBe('old');
    expect(readdirSync(out).sort()).toEqual(['.downhill-manifest.json', 'a.html', 'b.html', 'katex']);
  });
});

describe('every file-system failure is one line and exit 2, decided before anything is replaced', () => {
  test.each([
    ['the parent is a file', () => { writeFileSync(join(base, 'afile'), 'x'); return join(base, 'afile', 'g.svg'); }, /cannot write .*afile\/g\.svg: .*afile is a file, not a folder$/],
    ['the folder is /proc', () => '/proc/g.svg', /cannot write \/proc\/g\.svg: /],
    ['a name longer than 255 bytes', () => join(base, `${'n'.repeat(260)}.svg`), /is 264 bytes long \(at most 255\)$/],
  ])('graph --out where %s', async (_, path, message) => {
    const r = await run(['graph', 'x*y', '--out', path()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^downhill graph: /);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.trim()).not.toContain('\n');
  });

  test('a valid 251-byte name works: the temporary sibling\'s name is shortened, not the path made invalid', async () => {
    const dir = join(base, 'long-name');
    mkdirSync(dir);
    const name = `${'é'.repeat(100)}${'n'.repeat(47)}.svg`; // 251 bytes in UTF-8
    expect(Buffer.byteLength(name)).toBe(251);
    const r = await run(['graph', 'x*y', '--at', 'x=1,y=2', '--out', join(dir, name)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual([name]);
    expect(readFileSync(join(dir, name), 'utf8')).toContain('<svg');
  });

  test('writePages with one page that cannot be written leaves katex/ and the other pages as they were', async () => {
    const out = join(base, 'staged');
    await writePages(out, [{ file: 'a.html', html: renderPage({ title: 'old a' }) }]);
    const before = snapshot(out);
    mkdirSync(join(out, 'b.html')); // a folder where a page should go
    const pages = [
      { file: 'a.html', html: renderPage({ title: 'new a' }) },
      { file: 'b.html', html: renderPage({ title: 'b' }) },
    ];
    await expect(writePages(out, pages)).rejects.toThrow(/b\.html is a folder, where downhill writes a file/);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(out).sort()).toEqual(['.downhill-manifest.json', 'a.html', 'b.html', 'katex']);
  });
});

describe('a refused run writes nothing', () => {
  test('downhill docs --out <a folder whose index.md is the user\'s> is refused at once with exit 2 and the folder is untouched', async () => {
    const out = join(base, 'my-notes');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'thesis.md'), 'months of work\n');
    writeFileSync(join(out, 'index.md'), '# My notes\n');
    const before = snapshot(out);
    const r = await run(['docs', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^downhill docs: refusing to write into .*my-notes: .*my-notes\/index\.md was not written by downhill/);
    expect(r.stderr.trim()).not.toContain('\n');
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(base).filter((n) => n.includes('my-notes'))).toEqual(['my-notes']);
  });

  test.each([
    ['a folder it may not write in (/proc/sys, which even root may not)', () => '/proc/sys/pages', /^downhill lesson: cannot write \/proc\/sys\/pages: permission denied\n$/],
    ['a folder whose page is a link to a file outside', () => {
      const out = join(base, 'linked');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(base, 'outside.html'), 'mine\n');
      symlinkSync(join(base, 'outside.html'), join(out, '03-learning-rate.html'));
      return out;
    }, /escapes .* through a symbolic link/],
  ])('downhill lesson 3 --out <%s> is refused before the lesson prints anything', async (_, out, message) => {
    const r = await run(['lesson', '3', '--out', out()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
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
