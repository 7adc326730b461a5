import { describe, expect, test } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepingDefaultDocuments, lessonDocument, runLesson, writeLessonSite } from '../src/lesson/run.ts';
import { settingsFor } from '../src/lesson/settings.ts';
import { findLesson } from '../src/lesson/registry.ts';
import { DownhillError } from '../src/errors.ts';
import demo from './fixtures/demo-lesson.ts';

function capture() {
  let text = '';
  return { write: (s: string) => { text += s; }, get text() { return text; } };
}

describe('runLesson(lesson, options)', () => {
  test('tells the story in the terminal and writes a page with KaTeX formulas and the plot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'downhill-lesson-'));
    const out = capture();
    const path = await runLesson(demo, { settings: { steps: 2 }, outDir: dir, terminal: out });
    // By hand: w0 = 0, w1 = 0 − 0.25·(2·(0 − 3)) = 1.5, w2 = 1.5 − 0.25·(−3) = 2.25
    expect(out.text).toMatch(/^Lesson 99: A demo\nthree steps down a parabola\n/);
    // The terminal form of each formula is derived from its TeX.
    expect(out.text).toContain('L(w) = (w − 3)²');
    expect(out.text).toContain('∂L/∂w = 2 (w − 3)');
    expect(out.text).toMatch(/1\s+1\.5\s+2\.25/);
    expect(out.text).toMatch(/2\s+2\.25\s+0\.5625/);
    expect(path).toBe(join(dir, '99-demo.html'));
    const html = await readFile(path!, 'utf8');
    expect(html).toContain('<div class="formula breakable"><span class="katex">');
    expect(html).toContain('<svg');
    expect(html).toContain('href="katex/katex.min.css"');
    expect(await readFile(join(dir, 'katex', 'katex.min.css'), 'utf8')).toContain('.katex');
    // No index.html in the folder, so no link to one.
    expect(html).not.toContain('href="index.html"');
  });

  test('links "all lessons" only where an index exists: writeLessonSite writes both; a page run into that folder keeps the link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'downhill-site-'));
    const index = await writeLessonSite([demo], dir);
    expect(await readFile(index, 'utf8')).toContain('href="99-demo.html"');
    expect(await readFile(join(dir, '99-demo.html'), 'utf8')).toContain('<a href="index.html">all lessons</a>');
    await runLesson(demo, { outDir: dir, terminal: null });
    expect(await readFile(join(dir, '99-demo.html'), 'utf8')).toContain('<a href="index.html">all lessons</a>');
  });

  test("writeLessonSite into a folder of the user's: .git/, CNAME and notes.md kept; the user's own index.html refused by name before any page, nothing changed", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'downhill-site-'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, 'CNAME'), 'example.org\n');
    writeFileSync(join(dir, 'notes.md'), 'mine\n');
    await writeLessonSite([demo], dir);
    await writeLessonSite([demo], dir); // again: its own pages replaced, the user's files still there
    expect(readdirSync(dir).sort()).toEqual(['.downhill-manifest.json', '.git', '99-demo.html', 'CNAME', 'index.html', 'katex', 'notes.md']);
    expect(await readFile(join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(await readFile(join(dir, 'CNAME'), 'utf8')).toBe('example.org\n');
    expect(await readFile(join(dir, 'notes.md'), 'utf8')).toBe('mine\n');

    const mine = await mkdtemp(join(tmpdir(), 'downhill-site-'));
    writeFileSync(join(mine, 'index.html'), '<h1>my home page</h1>\n');
    writeFileSync(join(mine, 'notes.md'), 'mine\n');
    let pages = 0;
    await expect(writeLessonSite([demo], mine, () => { pages++; })).rejects.toThrow(/^refusing to write into .*: .*index\.html was not written by downhill/);
    expect(pages).toBe(0); // refused before the first page was made
    expect(readdirSync(mine).sort()).toEqual(['index.html', 'notes.md']);
    expect(await readFile(join(mine, 'index.html'), 'utf8')).toBe('<h1>my home page</h1>\n');
  });

  test('a flag the lesson does not take is refused by name', () => {
    expect(() => settingsFor(demo, { seed: 3 })).toThrow(DownhillError);
    expect(() => settingsFor(demo, { seed: 3 })).toThrow('lesson 99 (demo) takes no --seed (it takes --lr, --steps)');
    expect(settingsFor(demo, { lr: 0.1 })).toEqual({ lr: 0.1, steps: 3 });
  });

  test('findLesson loads a lesson file by path, and names the known lessons for an unknown one', async () => {
    expect((await findLesson('test/fixtures/demo-lesson.ts')).name).toBe('demo');
    await expect(findLesson('no-such-lesson')).rejects.toThrow(/unknown lesson "no-such-lesson"/);
    await expect(findLesson('missing-file.ts')).rejects.toThrow(DownhillError);
    await expect(findLesson('missing-file.ts')).rejects.toThrow(/no lesson file .*missing-file\.ts/);
  });
});

describe('keepingDefaultDocuments(work)', () => {
  test('inside work a lesson at its defaults runs once (the same document each time); with a setting, and outside work, it runs each time', async () => {
    let runs = 0;
    const counted = { ...demo, run: async (...args: Parameters<typeof demo.run>) => { runs++; await demo.run(...args); } };
    const [first, again, stepped] = await keepingDefaultDocuments(async () => [
      await lessonDocument(counted), await lessonDocument(counted, {}, null), await lessonDocument(counted, { steps: 2 }),
    ]);
    expect(runs).toBe(2);
    expect(again).toBe(first);
    // The defaults' descent has steps 0–3, the setting's 0–2 (w: 0, 1.5, 2.25 by hand).
    const rows = (doc: typeof first): number => doc.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'table').map((b) => b.rows.length)[0]!;
    expect([rows(first), rows(stepped)]).toEqual([4, 3]);
    const outside = await lessonDocument(counted);
    expect(runs).toBe(3);
    expect(outside).not.toBe(first);
    expect(outside).toEqual(first);
    await expect(keepingDefaultDocuments(() => keepingDefaultDocuments(async () => 0))).rejects.toThrow(/already keeping/);
  });
});
