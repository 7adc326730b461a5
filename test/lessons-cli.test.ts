// `downhill lessons`: the list as text and as JSON, the same lessons either way.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.ts';

describe('downhill lessons --json', () => {
  test('one entry per lesson file in lessons/, in order, with the page each writes', () => {
    const files = readdirSync(new URL('../lessons/', import.meta.url)).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort();
    const r = runCli(['lessons', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { lessons } = JSON.parse(r.stdout) as { lessons: { number: number; name: string; page: string }[] };
    expect(lessons.map((l) => l.page)).toEqual(files.map((f) => f.replace(/\.ts$/, '.html')));
    expect(lessons.map((l) => l.number)).toEqual(files.map((f) => Number(f.slice(0, 2))));
    const text = runCli(['lessons']).stdout.trimEnd().split('\n');
    expect(text.map((line) => line.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(lessons.map((l) => `${l.number} ${l.name}`));
    // The names line up, also from lesson 10 on: each starts in the same column.
    expect(new Set(text.map((line) => /^\s*\d+\s+/.exec(line)![0].length)).size).toBe(1);
  });

  test("--html into a folder holding the user's own index.html: refused at once by name (exit 2, nothing on stdout), the folder as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), 'downhill-lessons-html-'));
    writeFileSync(join(dir, 'index.html'), '<h1>my home page</h1>\n');
    writeFileSync(join(dir, 'notes.md'), 'mine\n');
    const r = runCli(['lessons', '--html', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^downhill lessons: refusing to write into .*: .*index\.html was not written by downhill/);
    expect(r.stderr.trim()).not.toContain('\n');
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'notes.md']);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('<h1>my home page</h1>\n');
  });
});
