// `npm run site`'s arguments and output folder (site/output.ts): everything
// refused before the 40-second build, the site's own files replaced and
// nothing else, Ctrl-C leaving no temporary files. (The site in a browser:
// test/site.test.ts.)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { buildSite } from '../site/build.ts';
import { siteArgs, siteMain, writeSite } from '../site/output.ts';
import { MANIFEST } from '../src/io/manifest.ts';
import { renderPage } from '../src/render/page.ts';

const root = resolve(import.meta.dirname, '..');
let base = '';
beforeEach(() => { base = mkdtempSync(join(tmpdir(), 'downhill site ')); }); // a space in every path
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** `npm run site -- ...args` (site/build.ts run as npm runs it), from `script` (default this checkout's). */
/** siteMain with the real build, in this process: what it printed and its exit code. */
async function inProcess(args: readonly string[]) {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    const code = await siteMain(args, buildSite);
    return { code, stdout, stderr, seconds: (Date.now() - started) / 1000 };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function site(args: readonly string[], script = join(root, 'site/build.ts')) {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 60_000, cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

describe('npm run site: refused or answered at once', () => {
  test('--help prints the usage and builds nothing, from a checkout whose path has a space', () => {
    // This checkout reached through a path with a space: the script still knows it is the one run (it exited 0 doing nothing).
    symlinkSync(root, join(base, 'my checkout'));
    const spaced = site(['--help'], join(base, 'my checkout', 'site', 'build.ts'));
    expect(spaced.code).toBe(0);
    expect(spaced.stdout).toMatch(/^usage: npm run site \[-- <folder>\]/);
    expect(spaced.stderr).toBe('');
    expect(readdirSync(root)).not.toContain('--help');
  }, 60_000);

  test.each([
    ['a file', (dir: string) => { writeFileSync(join(dir, 'out'), 'not a folder\n'); return join(dir, 'out'); }, (dir: string) => `npm run site: cannot write into ${join(dir, 'out')}: it is a file, not a folder\n`],
    ['a symbolic link to a file', (dir: string) => { writeFileSync(join(dir, 'f'), 'x'); symlinkSync(join(dir, 'f'), join(dir, 'link')); return join(dir, 'link'); }, (dir: string) => `npm run site: cannot write into ${join(dir, 'link')}: it is a symbolic link to ${join(dir, 'f')}, which is not a folder\n`],
    ['a folder holding the user\'s own index.html', (dir: string) => { mkdirSync(join(dir, 'my site')); writeFileSync(join(dir, 'my site', 'index.html'), '<h1>mine</h1>\n'); return join(dir, 'my site'); }, (dir: string) => `npm run site: refusing to write into ${join(dir, 'my site')}: ${join(dir, 'my site', 'index.html')} was not written by downhill (the folder has no ${MANIFEST}, and downhill does not recognise the file as its own); move it, or choose another folder\n`],
    ['an unknown flag', () => '--out', () => 'npm run site: unknown option --out: npm run site takes one folder (npm run site -- --help)\n'],
  ])('%s: one line, exit 2, before the build, nothing changed', async (_, make, message) => {
    const out = make(base);
    const before = JSON.stringify(readdirSync(base, { recursive: true }));
    const r = await inProcess([out]);
    expect(r.stderr).toBe(message(base));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.seconds).toBeLessThan(30); // the build takes 40 s or more
    expect(JSON.stringify(readdirSync(base, { recursive: true }))).toBe(before);
  }, 60_000);

  test('siteArgs: one folder, spaces kept; two folders refused with a hint', () => {
    expect(siteArgs([])).toEqual({ out: 'out/site' });
    expect(siteArgs(['--', 'my site'])).toEqual({ out: 'my site' });
    expect(siteArgs(['-h'])).toEqual({ help: true });
    expect(() => siteArgs(['my', 'site'])).toThrow(/^one folder, not 2 \(my, site\): quote a name with spaces/);
  });
});

describe('writeSite(out, pages, scripts)', () => {
  const page = (title: string) => ({ file: 'index.html', html: renderPage({ title }) });
  test('an earlier site keeps the user\'s .git/ and CNAME; files of an older version (no manifest) are recognised and replaced', async () => {
    const out = join(base, 'site');
    mkdirSync(join(out, '.git'), { recursive: true });
    writeFileSync(join(out, '.git', 'HEAD'), 'ref\n');
    writeFileSync(join(out, 'CNAME'), 'example.org\n');
    // As an older npm run site left it: its pages and scripts, no manifest.
    writeFileSync(join(out, 'index.html'), renderPage({ title: 'old' }));
    writeFileSync(join(out, 'engine.js'), 'self.DOWNHILL_WORKER = new Worker(URL.createObjectURL(old));\n');
    writeFileSync(join(out, 'live.js'), 'old live\n');
    await writeSite(out, [page('new')], [{ file: 'engine.js', data: 'self.DOWNHILL_WORKER = new Worker(1);\n' }, { file: 'live.js', data: 'new live\n' }]);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<title>new</title>');
    expect(readFileSync(join(out, 'live.js'), 'utf8')).toBe('new live\n');
    expect(readFileSync(join(out, 'CNAME'), 'utf8')).toBe('example.org\n');
    expect(readFileSync(join(out, '.git', 'HEAD'), 'utf8')).toBe('ref\n');
    expect(readdirSync(out).sort()).toEqual([MANIFEST, '.git', 'CNAME', 'engine.js', 'index.html', 'katex', 'live.js']);
    // A live.js of the user's, in a folder that holds no engine of downhill's, is theirs.
    const mine = join(base, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'live.js'), 'my script\n');
    await expect(writeSite(mine, [page('new')], [{ file: 'live.js', data: 'x' }])).rejects.toThrow(/live\.js was not written by downhill/);
    expect(readdirSync(mine)).toEqual(['live.js']);
  });
});

test('Ctrl-C while npm run site writes removes its temporary files and it dies of the signal', async () => {
  const out = join(base, 'out');
  mkdirSync(out);
  // siteMain with a build that stops half way through writing, as a real build would when Ctrl-C comes.
  const script = `
    import { siteMain } from ${JSON.stringify(new URL('../site/output.ts', import.meta.url).href)};
    import { replaceDirAtomic, writeFileAtomic } from ${JSON.stringify(new URL('../src/io/atomic.ts', import.meta.url).href)};
    await siteMain([${JSON.stringify(out)}], (o) => replaceDirAtomic(o + '/part', async (tmp) => {
      await writeFileAtomic(tmp + '/index.html', 'half');
      process.stdout.write('go');
      await new Promise(() => setInterval(() => undefined, 1000));
    }));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  const temps = await new Promise<string[]>((resolveTemps, reject) => {
    child.on('error', reject);
    let said = '';
    child.stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (!said.includes('go')) return;
      const now = readdirSync(out).filter((n) => n.startsWith('.tmp-'));
      child.kill('SIGINT');
      resolveTemps(now);
    });
  });
  await new Promise((r) => child.on('exit', r));
  expect(temps.length).toBe(1);
  expect(child.signalCode).toBe('SIGINT');
  expect(readdirSync(out)).toEqual([]);
}, 60_000);
