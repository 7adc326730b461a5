import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import {
  escapeHtml,
  figure,
  formulaBlock,
  numericTable,
  paragraph,
  preBlock,
  renderPage,
  pageSections,
  slug,
  textWithMath,
  keepFlagsWhole,
  writePages,
  checkPagesFolder,
} from '../src/render/page.ts';
import { linePlot } from '../src/render/plot.ts';
import { countMatrixSvg, imageGridSvg } from '../src/render/pixels.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'downhill-page-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every href/src in a page, and every url() in a style sheet, as written. */
function references(text: string): string[] {
  return [
    ...[...text.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)].map((m) => m[1] ?? ''),
  ];
}

/** Checks that a written page loads only files that exist beside it (as from file://, offline). */
function expectOffline(pagePath: string): void {
  const html = readFileSync(pagePath, 'utf8');
  expect(html).not.toMatch(/<script/i);
  const refs = references(html.replace(/xmlns(:xlink)?="[^"]*"/g, '')).filter((r) => !r.startsWith('#'));
  for (const ref of refs) {
    expect(ref).not.toMatch(/^[a-z]+:|^\/\//i);
    const target = resolve(dirname(pagePath), ref);
    expect(existsSync(target), `${ref} from ${pagePath}`).toBe(true);
    if (target.endsWith('.css')) {
      for (const inner of references(readFileSync(target, 'utf8'))) {
        expect(inner).not.toMatch(/^[a-z]+:|^\/\//i);
        expect(existsSync(resolve(dirname(target), inner)), `${inner} from ${target}`).toBe(true);
      }
    }
  }
}

describe('escapeHtml(text)', () => {
  test.each([
    ['a < b & "c"', 'a &lt; b &amp; &quot;c&quot;'],
    ["it's <script>", 'it&#39;s &lt;script&gt;'],
    ['∂L/∂w', '∂L/∂w'],
  ])('escapeHtml(%j) is %j', (text, expected) => {
    expect(escapeHtml(text)).toBe(expected);
  });
});

describe('textWithMath(text)', () => {
  test('renders $…$ with KaTeX and escapes the rest', () => {
    const html = textWithMath('if $a<b$ then <b>');
    expect(html.startsWith('if <span class="katex">')).toBe(true);
    expect(html.endsWith(' then &lt;b&gt;')).toBe(true);
    expect(html.match(/class="katex"/g)).toHaveLength(1);
  });

  test('\\$ is a literal dollar; text without math is just escaped', () => {
    expect(textWithMath('costs \\$5 & more')).toBe('costs $5 &amp; more');
  });

  test('an unclosed $ throws a DownhillError', () => {
    expect(() => textWithMath('the $x^2 is')).toThrow(/unclosed \$ at character 5/);
  });

  test('a flag, with its brackets, is kept on one line; other hyphens are left alone', () => {
    expect(textWithMath('the rate (--lr) and `downhill lesson 3 --steps 5`, a well-known x-y')).toBe(
      'the rate <span class="nb">(--lr)</span> and <code>downhill lesson 3 <span class="nb">--steps</span> 5</code>, a well-known x-y',
    );
    expect(keepFlagsWhole('&lt;--x')).toBe('&lt;<span class="nb">--x</span>');
  });

  test('paragraph wraps it in <p>', () => {
    expect(paragraph('$x$')).toMatch(/^<p><span class="katex">.*<\/p>$/);
  });
});

describe('formulaBlock(tex, {caption})', () => {
  test('is a display formula with a caption', () => {
    const html = formulaBlock('\\frac{\\partial L}{\\partial w} = 2(wx-y)x', { caption: 'at $w = 1$' });
    expect(html).toMatch(/^<div class="formula"><span class="katex-display">/);
    expect(html).toContain('<p class="caption">at <span class="katex">');
  });

  test('bad TeX throws DownhillError', () => {
    expect(() => formulaBlock('\\frac{1}{')).toThrow(DownhillError);
  });
});

describe('numericTable(headers, rows, {digits, caption})', () => {
  test('right-aligns numeric columns, formats numbers, highlights NaN', () => {
    const html = numericTable(['step', { tex: 'w' }, 'note'], [
      [0, 0.5, 'start'],
      [1, 1 / 3, 'ok'],
      [2, NaN, 'diverged'],
    ], { digits: 3, caption: 'descent with $\\eta = 0.1$' });
    expect(html.match(/<tr>/g)).toHaveLength(4);
    expect(html.match(/<td/g)).toHaveLength(9);
    expect(html).toContain('<th class="num">step</th>');
    expect(html).toMatch(/<th class="num"><span class="katex">/);
    expect(html).toContain('<th>note</th>');
    expect(html).toContain('<td class="num">0.333</td>');
    expect(html).toContain('<td class="num nonfinite">NaN</td>');
    expect(html).toContain('<td>diverged</td>');
    expect(html).toMatch(/<caption>descent with <span class="katex">/);
  });

  test("'—' for a missing value keeps a number column numeric; a column of text only is not", () => {
    const html = numericTable(['η', 'loss', 'note'], [[0.1, 0.5, '—'], [5, '—', '—']]);
    expect(html).toContain('<th class="num">loss</th>');
    expect(html).toContain('<td class="num">—</td>');
    expect(html).toContain('<th>note</th>');
  });

  test('a row of the wrong length throws DownhillError naming the row', () => {
    expect(() => numericTable(['a', 'b'], [[1, 2], [1]])).toThrow(/row 1 has 1 cells/);
  });
});

describe('figure(svg, caption) and preBlock(text)', () => {
  test('figure inlines the SVG, as it is, with a caption', () => {
    const html = figure('<svg width="1" height="1"></svg>', 'loss against $t$');
    expect(html).toMatch(/^<figure><div role="img" aria-labelledby="(fig-\w+)"><svg width="1" height="1"><\/svg><\/div><figcaption id="\1">loss against <span class="katex">/);
  });

  test('figure names its SVG for a screen reader without editing it: an image of its own named by the caption, "plot" without one; an SVG that names itself as it is', () => {
    expect(figure('<svg width="1"></svg>')).toBe('<figure><div role="img" aria-label="plot"><svg width="1"></svg></div></figure>');
    const own = '<svg role="img" aria-label="surface of L" width="1"></svg>';
    expect(figure(own, 'a caption')).toBe(`<figure>${own}<figcaption>a caption</figcaption></figure>`);
    // the pixel images name themselves
    expect(figure(countMatrixSvg([[1, 0], [2, 3]], { rowLabel: 'true "digit"', columnLabel: 'predicted' }), 'c')).toMatch(/^<figure><svg [^>]* role="img" aria-label="counts of true &quot;digit&quot; against predicted">/);
    expect(figure(imageGridSvg([{ rgb: new Uint8Array(12), caption: 'a' }, { rgb: new Uint8Array(12), caption: 'b' }], { width: 2, height: 2 }), 'c')).toMatch(/^<figure><svg [^>]* role="img" aria-label="2 images, each with its caption under it">/);
  });

  test('figure refuses something that is not an SVG', () => {
    expect(() => figure('<img src="x.png">')).toThrow(DownhillError);
  });

  test('preBlock escapes its text', () => {
    expect(preBlock('a < b\n  c')).toBe('<pre>a &lt; b\n  c</pre>');
  });
});

describe('renderPage(options)', () => {
  test('is a UTF-8 page with the KaTeX style sheet, title, sections with anchors and a table of contents', () => {
    const html = renderPage({
      title: 'Lesson 1: w & b',
      subtitle: 'one weight $w$',
      toc: true,
      sections: [
        { heading: 'The loss', html: formulaBlock('L = (wx - y)^2') },
        { heading: 'The loss', html: [paragraph('again'), preBlock('x')] },
        { html: '<p>no heading</p>' },
      ],
      footer: 'made by downhill',
    });
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<link rel="stylesheet" href="katex/katex.min.css">');
    expect(html).toContain('<title>Lesson 1: w &amp; b</title>');
    expect(html).toContain('<h1>Lesson 1: w &amp; b</h1>');
    expect(html).toContain('<section id="the-loss">');
    expect(html).toContain('<section id="the-loss-2">');
    expect(html).toContain('<a href="#the-loss-2">The loss</a>');
    expect(html).toContain('<section id="part-3">\n<p>no heading</p>');
    expect(html).toContain('<footer>made by downhill</footer>');
    // A text column, a dark scheme, and the roles' colours as custom properties.
    expect(html).toMatch(/--measure: 42rem/);
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toMatch(/--grad: #B04D00;/);
    // The only URLs are XML namespace names (MathML), which are never fetched.
    expect(html.replace(/xmlns(:xlink)?="[^"]*"/g, '')).not.toMatch(/<script|https?:\/\//i);
  });

  test('pageSections(options): the contents list, then each section, each with the id a live page swaps it by', () => {
    const parts = pageSections({ toc: true, sections: [{ heading: 'The loss', html: '<p>a</p>' }, { html: '<p>b</p>' }, { heading: 'Contents', html: '<p>c</p>' }] });
    expect(parts.map((p) => p.id)).toEqual(['contents', 'the-loss', 'part-2', 'contents-2']);
    expect(parts[0]!.html).toBe('<nav class="toc" id="contents"><ol><li><a href="#the-loss">The loss</a></li><li><a href="#contents-2">Contents</a></li></ol></nav>');
    expect(parts[2]!.html).toBe('<section id="part-2">\n<p>b</p>\n</section>');
    const page = renderPage({ title: 'T', toc: true, sections: [{ heading: 'The loss', html: '<p>a</p>' }, { html: '<p>b</p>' }, { heading: 'Contents', html: '<p>c</p>' }] });
    for (const p of parts) expect(page).toContain(p.html);
    expect(pageSections({ sections: [{ heading: 'x', html: '' }] })[0]!.html).toBe('');
  });

  test('root points a page in a subfolder at the shared katex folder', () => {
    expect(renderPage({ title: 't', root: '../../' })).toContain('href="../../katex/katex.min.css"');
  });

  test.each([
    [{ title: 't', root: '/abs/' }, /root must be/],
    [{ title: 't', nav: [{ href: 'https://example.com', text: 'x' }] }, /not relative/],
    [{ title: 't', sections: [{ id: 'a', html: '' }, { id: 'a', html: '' }] }, /two sections have the id "a"/],
    [{ title: 't', css: '</style><script>' }, /css must not/],
  ])('bad options throw a DownhillError (%#)', (options, message) => {
    expect(() => renderPage(options)).toThrow(DownhillError);
    expect(() => renderPage(options)).toThrow(message);
  });

  test.each([
    ['The Loss $L(w)$!', 'the-loss'],
    ['Schritt 1: Ableitung', 'schritt-1-ableitung'],
    ['$$', 'section'],
  ])('slug(%j) is %j', (text, expected) => {
    expect(slug(text)).toBe(expected);
  });
});

describe('writePages(outDir, pages, {clean})', () => {
  test('writes pages and KaTeX assets so that every page loads offline', async () => {
    const svg = await linePlot({ series: [{ name: 'loss', points: [[0, 1], [1, 0.5], [2, 0.25]] }], xLabel: 'step', yLabel: 'loss' });
    const out = join(dir, 'site');
    await writePages(out, [
      {
        file: 'index.html',
        html: renderPage({
          title: 'Lessons',
          nav: [{ href: 'lessons/one.html', text: 'one' }],
          sections: [{ heading: 'Plot', html: [figure(svg, 'halving'), numericTable(['t', 'L'], [[0, 1]]), formulaBlock('x^2')] }],
        }),
      },
      { file: 'lessons/one.html', html: renderPage({ title: 'One', root: '../', nav: [{ href: '../index.html', text: 'back' }] }) },
    ]);
    expect(readdirSync(out).sort()).toEqual(['.downhill-manifest.json', 'index.html', 'katex', 'lessons']);
    expect(existsSync(join(out, 'katex', 'katex.min.css'))).toBe(true);
    expect(readdirSync(join(out, 'katex', 'fonts')).filter((f) => f.endsWith('.woff2')).length).toBeGreaterThanOrEqual(19);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<figure><svg');
    expectOffline(join(out, 'index.html'));
    expectOffline(join(out, 'lessons', 'one.html'));
  });

  test('keeps every file it did not write; clean: true removes only the earlier pages of the same command (listed in .downhill-manifest.json)', async () => {
    const out = join(dir, 'site');
    mkdirSync(join(out, '.git'), { recursive: true });
    writeFileSync(join(out, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(out, 'CNAME'), 'example.org\n');
    writeFileSync(join(out, 'guide.html'), 'kept');
    await writePages(out, [{ file: 'a.html', html: renderPage({ title: 'a' }) }], { owner: 'docs' });
    expect(readdirSync(out).sort()).toEqual(['.downhill-manifest.json', '.git', 'CNAME', 'a.html', 'guide.html', 'katex']);
    const listed = JSON.parse(readFileSync(join(out, '.downhill-manifest.json'), 'utf8')) as { files: string[] };
    expect(listed.files).toContain('a.html');
    expect(listed.files).toContain('katex/katex.min.css');
    expect(listed.files).not.toContain('guide.html');
    await writePages(out, [{ file: 'b.html', html: renderPage({ title: 'b' }) }], { clean: true, owner: 'docs' });
    expect(readdirSync(out).sort()).toEqual(['.downhill-manifest.json', '.git', 'CNAME', 'b.html', 'guide.html', 'katex']);
    expect(readFileSync(join(out, 'CNAME'), 'utf8')).toBe('example.org\n');
    expect(readFileSync(join(out, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(readFileSync(join(out, 'guide.html'), 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['site']);
  });

  test('a page of the user\'s where a page goes (their own index.html) is refused by name, and nothing is written', async () => {
    const out = join(dir, 'site');
    mkdirSync(out);
    writeFileSync(join(out, 'index.html'), '<h1>my home page</h1>\n');
    const pages = [{ file: 'a.html', html: renderPage({ title: 'a' }) }, { file: 'index.html', html: renderPage({ title: 'index' }) }];
    await expect(checkPagesFolder(out, pages)).rejects.toThrow(/^refusing to write into .*site: .*site\/index\.html was not written by downhill \(the folder has no \.downhill-manifest\.json/);
    await expect(writePages(out, pages)).rejects.toThrow(/index\.html was not written by downhill/);
    expect(readdirSync(out)).toEqual(['index.html']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('<h1>my home page</h1>\n');
    // Once listed as downhill's, the same path is replaced; a page an older version wrote (no manifest) is recognised by its head.
    const older = join(dir, 'older');
    mkdirSync(older);
    writeFileSync(join(older, 'index.html'), renderPage({ title: 'written by an older downhill' }));
    writeFileSync(join(older, 'notes.md'), 'mine\n');
    await writePages(older, pages);
    expect(readFileSync(join(older, 'index.html'), 'utf8')).toContain('<title>index</title>');
    expect(readFileSync(join(older, 'notes.md'), 'utf8')).toBe('mine\n');
  });

  test.each([
    [[{ file: '../evil.html', html: renderPage({ title: 'x' }) }], /escapes/],
    [[{ file: '/tmp/evil.html', html: renderPage({ title: 'x' }) }], /absolute/],
    [[{ file: 'sub/page.html', html: renderPage({ title: 'x' }) }], /does not link \.\.\/katex\/katex\.min\.css/],
    [[{ file: 'katex/x.html', html: renderPage({ title: 'x', root: '../' }) }], /inside katex/],
    [[{ file: 'a.html', html: renderPage({ title: 'x' }) }, { file: './a.html', html: renderPage({ title: 'y' }) }], /two pages/],
  ])('refuses bad page paths before writing anything (%#)', async (pages, message) => {
    const out = join(dir, 'site');
    await expect(writePages(out, pages)).rejects.toThrow(DownhillError);
    await expect(writePages(out, pages)).rejects.toThrow(message);
    expect(readdirSync(dir)).toEqual([]);
  });
});
