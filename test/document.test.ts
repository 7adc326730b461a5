// The lesson document: plain data that survives JSON, built by createDoc, and
// its three renderers (terminal, HTML, Markdown) reading the same blocks.
import { describe, expect, test } from 'vitest';
import demo from './fixtures/demo-lesson.ts';
import { createDoc } from '../src/lesson/doc.ts';
import { documentJson, normalizeProse, normalizeTex, type Document } from '../src/render/document.ts';
import { texNumber } from '../src/expr/number.ts';
import { lessonDocument, lessonPage } from '../src/lesson/run.ts';
import { documentText, formulaText, numberText } from '../src/render/terminal.ts';
import { documentHtml, sectionsHtml } from '../src/render/html.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { documentMarkdown } from '../src/render/markdown.ts';
import { findLesson } from '../src/lesson/registry.ts';
import { commandOutput } from './support/cli.ts';

describe('scientific notation is written once, as TeX', () => {
  test.each([
    ['2.22045e-16', '2.22045 \\times 10^{-16}'],
    ['1e+21', '1 \\times 10^{21}'],
    ['L = 5.7e-11', 'L = 5.7 \\times 10^{-11}'],
    ['w_{1} e^{-z}', 'w_{1} e^{-z}'],
  ])('normalizeTex(%j) = %j', (tex, want) => expect(normalizeTex(tex)).toBe(want));

  test('prose: a bare number in exponent form becomes inline math; words stay', () => {
    expect(normalizeProse('under 1e-10, and $x = 3e-5$')).toBe('under $1 \\times 10^{-10}$, and $x = 3 \\times 10^{-5}$');
    expect(normalizeProse('the e-mail of step 2e')).toBe('the e-mail of step 2e');
    expect(normalizeProse('under the tolerance 1e-10.')).toBe('under the tolerance $1 \\times 10^{-10}$.');
  });

  test('numbers: TeX for pages, the same form in Unicode for the terminal', () => {
    expect(texNumber(2 ** -52, 3)).toBe('2.22 \\times 10^{-16}');
    expect(numberText(2 ** -52, 3)).toBe('2.22 × 10⁻¹⁶');
    expect(numberText(-0.5)).toBe('−0.5');
  });
});

describe('createDoc builds a document of plain data', () => {
  test('each kind of block, JSON round trip, one TeX per formula', async () => {
    let printed = '';
    const doc = createDoc({ out: { write: (s: string) => { printed += s; } }, title: 'T' });
    doc.section('One $w$');
    doc.text('A paragraph with $\\hat{y}$.');
    doc.formula('\\hat{y} = w_{1} x_{1}');
    doc.table(['step', '$w$'], [[0, 1e-20], [1, -0.5]], { caption: 'The steps:' });
    doc.plot(Promise.resolve('<svg></svg>'), 'a plot');
    doc.note('careful');
    doc.exercise('What is $2 + 2$?', '`downhill check ...`');
    const d: Document = await doc.document();
    expect(JSON.parse(documentJson(d))).toEqual(d);
    expect(d.sections[0]!.blocks.map((b) => b.kind)).toEqual(['paragraph', 'formula', 'table', 'plot', 'note', 'exercise']);
    expect(d.sections[0]!.blocks[1]).toEqual({ kind: 'formula', tex: '\\hat{y} = w_{1} x_{1}' });
    // The terminal saw the same blocks as they were added, formulas derived from their TeX.
    expect(printed).toContain('    ŷ = w₁x₁\n');
    expect(printed).not.toContain('ignored twin');
    expect(printed).toMatch(/1 × 10⁻²⁰/);
    expect(printed).toMatch(/1\s+−0\.5/);
  });

  test('bad TeX fails where the lesson wrote it', () => {
    const doc = createDoc({ out: null });
    expect(() => doc.formula('\\frac{1}{')).toThrow(/invalid TeX/);
    expect(() => doc.text('a $\\frac{1}{$ b')).toThrow(/invalid TeX/);
  });

  test('an aligned formula prints one line per row in the terminal, lined up at &', () => {
    expect(formulaText('\\begin{aligned} L &= (y - \\hat{y})^{2} \\\\ &= 0.25 \\end{aligned}')).toBe('L = (y − ŷ)²\n  = 0.25');
  });
});

describe('the three renderers read the same document', () => {
  test('terminal, HTML and Markdown show the same table numbers', async () => {
    const d = await lessonDocument(demo, { steps: 2 });
    // By hand: w0 = 0, w1 = 0 − 0.25·(2·(0 − 3)) = 1.5, w2 = 1.5 − 0.25·(−3) = 2.25
    const text = documentText(d);
    expect(text).toMatch(/1\s+1\.5\s+2\.25/);
    const html = documentHtml(d);
    expect(html).toContain('<td class="num">2.25</td>');
    expect(html).toContain('<div class="formula breakable">');
    expect(html).toMatch(/<nav class="toc" id="contents"><ul>/);
    const md = documentMarkdown(d);
    expect(md).toContain('| 1 | 1.5 | 2.25 |');
    expect(md).toContain('$$\nL(w) = {\\left(w - 3\\right)}^{2}\n$$');
    expect(md).toContain('## Descent');
  });

  test('digits per column: each renderer rounds a column to its own significant digits', () => {
    // 2/3 to 6 digits is 0.666667, to 2 digits 0.67; 1/3·10⁻⁸ to 2 digits is 3.3e-9
    const d: Document = { title: 't', sections: [{ blocks: [{ kind: 'table', headers: ['value', 'error'], rows: [[2 / 3, 1e-8 / 3]], digits: [6, 2] }] }] };
    expect(documentText(d)).toMatch(/0\.666667\s+3\.3 × 10⁻⁹/);
    expect(documentHtml(d)).toMatch(/<td class="num">0\.666667<\/td><td class="num">3\.3e-9<\/td>/);
    expect(documentMarkdown(d)).toContain('| 0.666667 | $3.3 \\times 10^{-9}$ |');
  });

  test('reference blocks: an entry heading with its id, an image file, a check line, links, inline code, a section id and a footer', () => {
    const doc: Document = {
      title: 'Losses',
      sections: [{
        heading: 'Losses', id: 'losses', blocks: [
          { kind: 'links', lead: 'See', links: [{ href: '#sq', text: 'squaredError($\\hat{y}, y$)' }] },
          { kind: 'heading', text: 'squaredError($\\hat{y}, y$)', id: 'sq' },
          { kind: 'paragraph', text: 'mathjs: `2 * (yhat - y)`' },
          { kind: 'image', file: 'plots/sq.svg', svg: '<svg/>', alt: 'f and f′', caption: 'f for $u$ from -1 to 1.', width: 300, height: 200 },
          { kind: 'check', text: 'Check: largest relative error $10^{-10}$.' },
        ],
      }],
      footer: 'Generated by `npm run docs`.',
    };
    const md = documentMarkdown(doc, { nav: [{ href: 'index.md', text: 'Index' }, { text: 'Losses' }] });
    expect(md).toContain('[Index](index.md) · **Losses**');
    expect(md).toContain('<a id="losses"></a>\n\n## Losses');
    expect(md).toContain('See: [squaredError(ŷ, y)](#sq)'); // no math inside link text
    expect(md).toContain('<a id="sq"></a>\n\n### squaredError($\\hat{y}, y$)');
    expect(md).toContain('mathjs: `2 * (yhat - y)`');
    expect(md).toContain('![f and f′](plots/sq.svg)\n\n*f for $u$ from -1 to 1.*');
    expect(md).toContain('> ✔ Check: largest relative error $10^{-10}$.');
    expect(md.trimEnd().endsWith('---\n\nGenerated by `npm run docs`.')).toBe(true);

    const html = documentHtml(doc);
    expect(html).toContain('<section id="losses">');
    expect(html).toMatch(/<p class="links">See: <a href="#sq">squaredError\(<span class="katex">/);
    expect(html).toMatch(/<h3 id="sq">squaredError\(<span class="katex">/);
    expect(html).toContain('<p>mathjs: <code>2 * (yhat - y)</code></p>');
    expect(html).toContain('<img src="plots/sq.svg" alt="f and f′" width="300" height="200">');
    expect(html).toMatch(/<p class="check">✔ Check: largest relative error <span class="katex">/);
    expect(html).toContain('<footer>Generated by <code>npm run docs</code>.</footer>');

    const text = documentText(doc);
    expect(text).toContain('See: squaredError(ŷ, y)');
    expect(text).toContain('\nsquaredError(ŷ, y)\n');
    expect(text).toContain('[picture: f for u from -1 to 1. — plots/sq.svg]');
    expect(text).toContain('✔ Check: largest relative error 10⁻¹⁰');
    expect(text.trimEnd().endsWith('Generated by `npm run docs`.')).toBe(true);
  });

  test('lesson pages link the previous and next lessons', async () => {
    const [two, three, four] = await Promise.all(['2', '3', '4'].map(findLesson));
    const html = await lessonPage(three!, {}, null, { index: true, previous: two!, next: four! });
    expect(html).toContain('<a href="02-slope.html">← lesson 2: The derivative is the slope</a>');
    expect(html).toContain('<a href="index.html">all lessons</a>');
    expect(html).toContain('<a href="04-backprop.html">lesson 4: Backpropagation');
  });

  // The command's own function in this process (support/cli.ts commandOutput: the same streams and exit code; test/cli-in-process.test.ts
  // shows it prints what the spawned command prints), saving two node starts (1.7 s of CPU).
  test('downhill lesson N --json prints the document; --markdown prints Markdown', async () => {
    const r = await commandOutput(['lesson', '1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Document;
    expect(d.title).toBe('Lesson 1: The loss function');
    const data = d.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table')!;
    expect(data).toMatchObject({ headers: ['$n$', '$x$', '$y$'], rows: [[1, 1, 1.5], [2, 2, 2.9], [3, 3, 4.8], [4, 4, 6.1]] });
    const md = await commandOutput(['lesson', '2', '--markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Lesson 2: The derivative is the slope\n/);
  });
});

describe('typed blocks carry data, each face draws them: mountain and stepThrough', () => {
  test('doc.mountain and doc.stepThrough: the data in the HTML, one line in the terminal and in Markdown', async () => {
    let printed = '';
    const doc = createDoc({ out: { write: (s: string) => { printed += s; } }, title: 'T' });
    doc.section('The mountain');
    const spec = { loss: parseExpression('(y - w*x - b)^2'), params: ['w', 'b'] as const, data: ['x', 'y'], batch: [[1, 2], [2, 3]], x: [-1, 3] as const, y: [-2, 2] as const, start: [0, 0] as const, lr: 0.1, steps: 20, caption: 'the loss over $w$ and $b$' };
    doc.mountain(spec);
    doc.stepThrough(parseExpression('(y - w*x)^2'), { at: { w: 0.5, x: 1, y: 2 }, wrt: ['w'] });
    const d = await doc.document();
    const [mountain, steps] = d.sections[0]!.blocks;
    expect(mountain).toMatchObject({ kind: 'mountain', caption: 'the loss over $w$ and $b$', data: { loss: '(y - w * x - b) ^ 2', params: ['w', 'b'], batch: [[1, 2], [2, 3]], lr: 0.1, steps: 20 } });
    expect(steps).toMatchObject({ kind: 'stepThrough', lossName: 'L' });
    // Terminal: one line each, printed as the lesson wrote them.
    expect(printed).toContain('[mountain: the loss over w and b, to turn in 3-D and descend from a start you pick — on the live page]');
    expect(printed).toContain('[picture: the computational graph of L, step by step: values forward, then adjoints backward — in the HTML page]');
    // HTML: the hidden figure carries the same data; the step-through has its buttons and the graph's SVG.
    const html = documentHtml(d);
    const spec64 = /data-spec="([^"]*)"/.exec(html)![1]!.replace(/&quot;/g, '"');
    expect(JSON.parse(spec64)).toEqual((mountain as { data: unknown }).data);
    expect(html).toContain(`<div class="dh-steps" id="${(steps as { id: string }).id}_steps">`);
    expect(html).toContain('data-step="next"');
    expect(documentMarkdown(d)).toContain('*mountain: the loss over w and b');
  });

  test('sectionsHtml(doc) twice, or with numbers JSON writes alike (NaN, ±Infinity, 0 and −0): each table shows its own numbers', () => {
    const table = (v: number): Document => ({ title: 't', sections: [{ heading: 'numbers', blocks: [{ kind: 'table', headers: ['x'], rows: [[v]] }] }] });
    const cell = (v: number): string => sectionsHtml(table(v))[1]!.html.match(/<td[^>]*>([^<]*)<\/td>/)![1]!;
    const shown = [NaN, Infinity, -Infinity, 0, -0, 0.5].map(cell);
    // NaN and ±Infinity as words (page-html.ts's numericTable), each its own; the same number twice, the same text.
    expect(new Set(shown.slice(0, 3)).size).toBe(3);
    expect(shown[5]).toBe('0.5');
    expect([NaN, Infinity, -Infinity, 0, -0, 0.5].map(cell)).toEqual(shown);
    expect(sectionsHtml(table(Infinity))[1]!.html).toContain('class="num nonfinite"');
  });

  test('sectionsHtml(doc): the page\'s sections with their ids, the same HTML as the page', async () => {
    const d = await lessonDocument(demo);
    const parts = sectionsHtml(d);
    const html = documentHtml(d);
    expect(parts[0]!.id).toBe('contents');
    expect(parts.length).toBe(d.sections.length + 1);
    for (const p of parts) {
      expect(html).toContain(p.html);
      if (p.html !== '') expect(p.html).toMatch(new RegExp(`^<(section|nav)[^>]* id="${p.id}"`));
    }
  });
});
