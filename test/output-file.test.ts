import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkOutputFile } from '../src/io/output-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'downhill-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mark = '# made by downhill';
const check = (path: string): Promise<string> => checkOutputFile(path, { mark, flag: '--out' });

describe('checkOutputFile(path, { mark })', () => {
  test('a missing file (its folders too) and a file with the mark are fine: the absolute path comes back', async () => {
    expect(await check(join(dir, 'a', 'b', 'new.py'))).toBe(join(dir, 'a', 'b', 'new.py'));
    writeFileSync(join(dir, 'ours.py'), `${mark}\nprint(1)\n`);
    expect(await check(join(dir, 'ours.py'))).toBe(join(dir, 'ours.py'));
  });

  test('refuses, in one line naming the flag and the path: a file without the mark (left as it was), a folder, a symbolic link, a file as a folder, node_modules, empty, NUL', async () => {
    writeFileSync(join(dir, 'mine.py'), 'print("my own")\n');
    mkdirSync(join(dir, 'folder.py'));
    symlinkSync(join(dir, 'ours.py'), join(dir, 'link.py'));
    const cases: [string, RegExp][] = [
      [join(dir, 'mine.py'), /^--out: cannot write .*mine\.py: it exists and is not a file downhill wrote/],
      [join(dir, 'folder.py'), /it is a folder$/],
      [join(dir, 'link.py'), /not a regular file/],
      [join(dir, 'mine.py', 'x.py'), /mine\.py is a file, not a folder$/],
      [join(dir, 'node_modules', 'x.py'), /inside node_modules/],
      ['  ', /^--out: needs a file name$/],
      ['a\0b.py', /NUL byte/],
      [join(dir, 'x'.repeat(300) + '.py'), /bytes long \(at most 255\)/],
    ];
    for (const [path, message] of cases) {
      const error = await check(path).then(() => undefined, (e: Error) => e);
      expect(error?.name, path).toBe('DownhillError');
      expect(error!.message).toMatch(message);
      expect(error!.message).not.toContain('\n');
    }
    expect(readFileSync(join(dir, 'mine.py'), 'utf8')).toBe('print("my own")\n');
  });
});
