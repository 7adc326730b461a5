/**
 * The committed formula reference (docs/formulas) is what `npm run docs`
 * writes today, byte for byte; every formula in it renders in KaTeX with
 * throwOnError; its Markdown math is safe from GitHub's Markdown pass.
 * One generation through the CLI serves all the tests here.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import katex from 'katex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, type CliResult } from './support/cli.ts';

const committed = fileURLToPath(new URL('../docs/formulas', import.meta.url));
let root = '';
let fresh = '';
let result: CliResult;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else out.push(relative(dir, p));
    }
  };
  await walk(dir);
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'downhill-docs-stale-'));
  fresh = join(root, 'formulas');
  result = runCli(['docs', '--out', fresh], { timeout: 300_000 });
}, 300_000); // about 6 s of CPU; test/interrupt.test.ts saw docs past 60 s before its first file at a load average of 34

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('downhill docs --out <folder>', () => {
  test('writes the reference and says what it checked', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*formulas: 5 pages \(Markdown and HTML\), \d+ plots; \d+ entries, \d+ partial derivatives checked, largest relative error [\d.e-]+\n$/);
  });

  test('docs/formulas is up to date (run npm run docs)', async () => {
    expect(existsSync(committed), 'docs/formulas is missing: run npm run docs').toBe(true);
    const want = await listFiles(fresh);
    const have = await listFiles(committed);
    expect(have, 'docs/formulas has other files than the generator writes: run npm run docs').toEqual(want);
    for (const file of want) {
      const a = await readFile(join(fresh, file));
      const b = await readFile(join(committed, file));
      expect(b.equals(a), `docs/formulas/${file} is stale: run npm run docs`).toBe(true);
    }
  });
});

describe('the generated pages', () => {
  const pages = ['index', 'elementary', 'activations', 'losses', 'layers'];

  /** Every $$…$$ block and inline $…$ of a Markdown page (code spans removed). */
  function mathOf(md: string): { display: string[]; inline: string[] } {
    const display = [...md.matchAll(/^\$\$\n([\s\S]*?)\n\$\$$/gm)].map((m) => m[1]!);
    const rest = md.replace(/^\$\$\n[\s\S]*?\n\$\$$/gm, '').replace(/`[^`]*`/g, '');
    const inline = [...rest.matchAll(/(?<!\\)\$([^$\n]+)\$/g)].map((m) => m[1]!);
    return { display, inline };
  }

  test.each(pages)('%s.md: every formula renders in KaTeX with throwOnError', async (page) => {
    const md = await readFile(join(fresh, `${page}.md`), 'utf8');
    const { display, inline } = mathOf(md);
    if (page !== 'index') expect(display.length).toBeGreaterThan(5);
    for (const tex of display) expect(() => katex.renderToString(tex, { displayMode: true, throwOnError: true }), tex).not.toThrow();
    for (const tex of inline) expect(() => katex.renderToString(tex, { throwOnError: true }), tex).not.toThrow();
  });

  test.each(pages)('%s.md: math has no \\operatorname, no backslash before punctuation, no < or >', async (page) => {
    const md = await readFile(join(fresh, `${page}.md`), 'utf8');
    const { display, inline } = mathOf(md);
    for (const tex of [...display, ...inline]) {
      expect(tex).not.toContain('\\operatorname');
      expect(tex).not.toMatch(/\\[!-/:-@[-`{-~]/);
      expect(tex).not.toMatch(/[<>]/);
    }
  });

  test.each(pages)('%s.html: KaTeX rendered every formula on the server, and every local link resolves', async (page) => {
    const html = await readFile(join(fresh, `${page}.html`), 'utf8');
    expect(html).toContain('href="katex/katex.min.css"');
    expect(html).not.toContain('katex-error');
    expect(html).not.toMatch(/<script/i);
    if (page !== 'index') expect((html.match(/<div class="formula[ "]/g) ?? []).length).toBeGreaterThan(5);
    const links = [...html.matchAll(/(?:href|src)="([^"#]+)(?:#[^"]*)?"/g)].map((m) => m[1]!);
    for (const link of links) expect(existsSync(join(fresh, link)), link).toBe(true);
  });

  test('every Markdown image and page link resolves', async () => {
    for (const page of pages) {
      const md = await readFile(join(fresh, `${page}.md`), 'utf8');
      for (const m of md.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)) expect(existsSync(join(fresh, m[1]!)), `${page}.md → ${m[1]}`).toBe(true);
    }
  });

  test('every entry ends with its check line, and mathjs\'s wrong acoth derivative is reported', async () => {
    const entriesOf = async (page: string): Promise<string[]> => (await readFile(join(fresh, `${page}.md`), 'utf8')).split(/^<a id="[^"]*"><\/a>\n\n### /m).slice(1);
    const elementary = await entriesOf('elementary');
    expect(elementary.length).toBeGreaterThan(30);
    for (const page of pages.filter((p) => p !== 'index')) {
      for (const e of await entriesOf(page)) {
        expect(e.match(/^> ✔ Check: /gm), e.slice(0, 40)).toHaveLength(1);
        // After the check line: nothing, the next group's anchor and heading, or the page's footer.
        expect(e.split(/^> ✔ Check: .*$/m)[1], e.slice(0, 40)).toMatch(/^\s*(?:(?:<a id="[^"]*"><\/a>\n\n## |---\n)[\s\S]*)?$/);
      }
    }
    const acoth = elementary.find((e) => e.startsWith('acoth'))!;
    expect(acoth).toMatch(/It disagrees with finite differences at 64 of 64 check points/);
  });
});
