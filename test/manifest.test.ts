// io/manifest.ts: a folder downhill writes into is shared with its owner.
// Only the files downhill wrote there (listed in .downhill-manifest.json)
// are replaced or removed; a file of the user's in the way is refused, by
// name, before anything is written.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { checkOwnedFolder, checkWritableFolder, MANIFEST, manifestText, readManifest, writeOwnedFolder } from '../src/io/manifest.ts';

let base = '';
beforeEach(() => { base = mkdtempSync(join(tmpdir(), 'downhill-manifest-')); });
afterEach(() => {
  try { chmodSync(join(base, 'ro'), 0o755); } catch { /* not made */ }
  rmSync(base, { recursive: true, force: true });
});

const listed = (dir: string): string[] => (JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { files: string[] }).files;
const files = (...names: string[]) => names.map((file) => ({ file, data: `${file} v2` }));

describe('writeOwnedFolder(dir, files, { mode })', () => {
  test('a new folder: the files and a manifest listing them, sorted', async () => {
    const dir = join(base, 'new');
    await writeOwnedFolder(dir, files('b.html', 'a/x.css'), { mode: 'replace', owner: 'docs' });
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'a', 'b.html']);
    expect(listed(dir)).toEqual(['a/x.css', 'b.html']);
    expect(readFileSync(join(dir, 'a', 'x.css'), 'utf8')).toBe('a/x.css v2');
  });

  test('.git/, CNAME and notes are kept; own files replaced; in replace mode its own files not written again are removed (and their empty folders)', async () => {
    const dir = join(base, 'site');
    await writeOwnedFolder(dir, files('index.html', 'old.html', 'sub/gone.css'), { mode: 'replace', owner: 'docs' });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref\n');
    writeFileSync(join(dir, 'CNAME'), 'example.org\n');
    writeFileSync(join(dir, 'notes.md'), 'mine\n');
    const removed = await writeOwnedFolder(dir, files('index.html'), { mode: 'replace', owner: 'docs' });
    expect(removed).toEqual(['old.html', 'sub/gone.css']);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, '.git', 'CNAME', 'index.html', 'notes.md']);
    expect(readFileSync(join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref\n');
    expect(readFileSync(join(dir, 'CNAME'), 'utf8')).toBe('example.org\n');
    expect(listed(dir)).toEqual(['index.html']);
  });

  test('replace mode removes only the files the same command wrote: a check report or a lesson page written there by another is kept', async () => {
    const dir = join(base, 'shared');
    await writeOwnedFolder(dir, files('index.html', 'old.html'), { mode: 'replace', owner: 'docs' });
    await writeOwnedFolder(dir, files('report.html'), { mode: 'add' }); // downhill check --html
    await writeOwnedFolder(dir, files('page.html'), { mode: 'replace', owner: 'site' }); // another command's clean write
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'index.html', 'old.html', 'page.html', 'report.html']);
    const removed = await writeOwnedFolder(dir, files('./index.html'), { mode: 'replace', owner: 'docs' });
    // old.html was the docs' own and is not written again; './index.html' is index.html, written now, so kept.
    expect(removed).toEqual(['old.html']);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'index.html', 'page.html', 'report.html']);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('report.html v2');
  });

  test('add mode keeps its own earlier files and lists them with the new ones', async () => {
    const dir = join(base, 'pages');
    await writeOwnedFolder(dir, files('lesson-3.html'), { mode: 'add' });
    await writeOwnedFolder(dir, files('lesson-4.html'), { mode: 'add' });
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'lesson-3.html', 'lesson-4.html']);
    expect(listed(dir)).toEqual(['lesson-3.html', 'lesson-4.html']);
  });

  test.each([
    ['a file of the user\'s where a file goes', (dir: string) => writeFileSync(join(dir, 'index.html'), 'my page\n'), /refusing to write into .*: .*\/index\.html was not written by downhill \(the folder has no \.downhill-manifest\.json/],
    ['a file where a folder goes', (dir: string) => writeFileSync(join(dir, 'katex'), 'x'), /refusing to write into .*: .*\/katex is a file, where downhill writes a folder/],
    ['a folder where a file goes', (dir: string) => mkdirSync(join(dir, 'index.html')), /\/index\.html is a folder, where downhill writes a file/],
    ['a manifest that is not downhill\'s', (dir: string) => writeFileSync(join(dir, MANIFEST), '{"files": 3}'), /\.downhill-manifest\.json is not a manifest downhill wrote/],
  ])('%s is refused by name, before anything is written', async (_, setUp, message) => {
    const dir = join(base, 'mine');
    mkdirSync(dir);
    setUp(dir);
    const before = readdirSync(dir).sort();
    const plan = ['index.html', 'katex/katex.min.css'];
    await expect(checkOwnedFolder(dir, plan, { mode: 'replace', owner: 'docs' })).rejects.toThrow(message);
    await expect(writeOwnedFolder(dir, files(...plan), { mode: 'replace', owner: 'docs' })).rejects.toBeInstanceOf(DownhillError);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  test('a file the manifest does not list is refused even when a manifest exists; one it lists is replaced', async () => {
    const dir = join(base, 'listed');
    await writeOwnedFolder(dir, files('a.html'), { mode: 'add' });
    writeFileSync(join(dir, 'b.html'), 'mine\n');
    await expect(writeOwnedFolder(dir, files('a.html', 'b.html'), { mode: 'add' })).rejects.toThrow(/b\.html was not written by downhill \(\.downhill-manifest\.json does not list it\)/);
    expect(readFileSync(join(dir, 'b.html'), 'utf8')).toBe('mine\n');
    await writeOwnedFolder(dir, files('a.html'), { mode: 'add' });
    expect(readFileSync(join(dir, 'a.html'), 'utf8')).toBe('a.html v2');
  });

  test('migration: in a folder with no manifest, a file the command recognises is adopted and replaced, others refused', async () => {
    const dir = join(base, 'older');
    mkdirSync(dir);
    writeFileSync(join(dir, 'page.html'), 'written by downhill 0.0\n');
    writeFileSync(join(dir, 'mine.txt'), 'mine\n');
    const recognise = (_file: string, path: string): boolean => readFileSync(path, 'utf8').startsWith('written by downhill');
    await writeOwnedFolder(dir, files('page.html'), { mode: 'replace', owner: 'docs', recognise });
    expect(readFileSync(join(dir, 'page.html'), 'utf8')).toBe('page.html v2');
    expect(readFileSync(join(dir, 'mine.txt'), 'utf8')).toBe('mine\n');
    expect(listed(dir)).toEqual(['page.html']);
    writeFileSync(join(base, 'x.html'), 'the user\'s\n');
    const other = join(base, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'page.html'), 'the user\'s\n');
    await expect(writeOwnedFolder(other, files('page.html'), { mode: 'replace', owner: 'docs', recognise })).rejects.toThrow(/page\.html was not written by downhill/);
  });

  test('a symbolic link to a folder is followed: the files go into the folder it points to', async () => {
    const real = join(base, 'real');
    mkdirSync(real);
    writeFileSync(join(real, 'CNAME'), 'kept\n');
    symlinkSync(real, join(base, 'link'));
    await writeOwnedFolder(join(base, 'link'), files('index.html'), { mode: 'replace', owner: 'docs' });
    expect(readdirSync(real).sort()).toEqual([MANIFEST, 'CNAME', 'index.html']);
  });

  test('a read-only folder is refused by checkWritableFolder, naming the folder the user gave', async () => {
    // Root may write in a folder of mode 555: it gets /proc/sys, which even root may not write in.
    const ro = process.getuid?.() === 0 ? '/proc/sys' : join(base, 'ro');
    if (ro !== '/proc/sys') {
      mkdirSync(ro);
      chmodSync(ro, 0o555);
    }
    await expect(checkWritableFolder(join(ro, 'pages'))).rejects.toThrow(new RegExp(`^cannot write ${ro}/pages: permission denied$`));
    await expect(checkOwnedFolder(join(ro, 'pages'), ['a.html'], { mode: 'add' })).rejects.toThrow(/permission denied/);
  });

  test('manifestText and readManifest agree; the manifest itself may not be a page', async () => {
    const dir = join(base, 'm');
    mkdirSync(dir);
    writeFileSync(join(dir, MANIFEST), manifestText(['b', 'a', 'b']));
    expect([...(await readManifest(dir))!]).toEqual(['a', 'b']);
    expect(await readManifest(join(base, 'none'))).toBeUndefined();
    await expect(writeOwnedFolder(dir, files(MANIFEST), { mode: 'add' })).rejects.toThrow(/downhill's list of its files/);
  });
});
