import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import katex from 'katex';
import { afterAll, describe, expect, test } from 'vitest';
import { call, constant, sym } from '../src/expr/node.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { derivative } from '../src/diff/derivative.ts';
import { DownhillError } from '../src/errors.ts';
import { checkDerivatives, FormulaCheckError, samplePoints, seedOf } from '../src/docs/check.ts';
import { defaultPageSpecs, writeFormulaDocs, type PageSpec } from '../src/docs/generate.ts';
import { layerExamples, layerProblem } from '../src/docs/layers.ts';
import { githubTex } from '../src/render/github.ts';
import { functionTable } from '../src/expr/functions.ts';
import * as lossModule from '../src/nn/losses.ts';
import type { FormulaSpec } from '../src/docs/functions.ts';
import { centralDifference4, relativeError } from './support/fd.ts';

const specs: FormulaSpec[] = defaultPageSpecs().flatMap((p) =>
  p.groups.flatMap((g) => g.items.flatMap((item) => (item.kind === 'formula' ? [item.spec] : []))),
);

/** ∂f/∂v at a point by the fourth-order rule of test/support (an independent answer to the generator's two-point check). */
function fd4(expr: Parameters<typeof evaluate>[0], point: ReadonlyMap<string, number>, v: string): number {
  const names = [...point.keys()];
  const x = names.map((n) => point.get(n)!);
  return centralDifference4((p) => evaluate(expr, new Map(names.map((n, i) => [n, p[i]!]))), x, names.indexOf(v), 1e-4);
}

describe('every documented derivative agrees with finite differences', () => {
  test('the reference documents every function of the table, every per-sample loss and both worked layers', () => {
    const ids = specs.map((s) => s.id);
    for (const name of ['sin', 'acoth', 'abs', 'sigmoid', 'leaky-relu', 'softplus', 'logsumexp', 'huber', 'max', 'clip', 'sign', 'squared-error', 'softmax-cross-entropy', 'hinge', 'three-weight-network']) {
      expect(ids).toContain(name);
    }
    for (const rule of functionTable.values()) expect(ids, rule.name).toContain(rule.name.replace(/_/g, '-'));
    // Every per-sample loss of src/nn/losses.ts (meanOf, meanSquaredError, ... average the documented ones over outputs).
    const losses = Object.keys(lossModule).filter((k) => !k.startsWith('mean')).map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    expect(losses).toHaveLength(8);
    for (const loss of losses) expect(ids, loss).toContain(loss);
    expect(layerExamples().map((e) => e.id)).toEqual(['dense-layer', 'softmax-output-layer']);
  });

  test.each(specs.map((s) => [s.id, s] as const))('%s: the engine\'s derivative matches a fourth-order difference at 16 points', (_, spec) => {
    const points = samplePoints(spec.expr, spec.domains, 16, seedOf(`test/${spec.id}`), spec.id);
    for (const w of spec.wrt) {
      const d = derivative(spec.expr, w).node;
      for (const p of points) expect(relativeError(evaluate(d, p), fd4(spec.expr, p, w))).toBeLessThan(1e-6);
    }
  });

  test.each(layerExamples().map((e) => [e.id, e] as const))('%s: every partial and its index form match a fourth-order difference', (_, example) => {
    const problem = layerProblem(example);
    const points = samplePoints(problem.loss, problem.domains, 8, seedOf(`test/${example.id}`), example.id);
    for (const w of problem.wrt) {
      const engine = derivative(problem.loss, w).node;
      const form = problem.indexForm.get(w)!;
      for (const p of points) {
        const fd = fd4(problem.loss, p, w);
        expect(relativeError(evaluate(engine, p), fd)).toBeLessThan(1e-6);
        expect(relativeError(evaluate(form, p), fd)).toBeLessThan(1e-6);
      }
    }
  });

  test('the softmax layer\'s δ is softmax(z) − y, by hand at one point', () => {
    const problem = layerProblem(layerExamples()[1]!);
    // All weights and biases 0: z = (0, 0), softmax = (½, ½); ∂L/∂b_1 = ½ − y1.
    const p = new Map(Object.keys(problem.domains).map((k) => [k, 0]));
    p.set('y1', 1).set('y2', 0).set('x1', 2);
    expect(evaluate(problem.indexForm.get('b1_1')!, p)).toBeCloseTo(-0.5, 15);
    expect(evaluate(problem.indexForm.get('W1_2_1')!, p)).toBeCloseTo(0.5 * 2, 15);
    expect(evaluate(derivative(problem.loss, 'W1_2_1').node, p)).toBeCloseTo(1, 15);
  });
});

describe('checkDerivatives(expr, documented, domains, options)', () => {
  const u = sym('u');
  test('passes a right derivative and reports a tiny error', () => {
    const r = checkDerivatives(call('sin', u), [{ wrt: 'u', node: call('cos', u) }], { u: [[-3, 3]] }, { points: 32, seed: 1, what: 'sin' });
    expect(r.points).toHaveLength(32);
    expect(r.maxError).toBeLessThan(1e-8);
  });

  test('throws FormulaCheckError naming the formula and the point on a wrong derivative', () => {
    expect(() => checkDerivatives(call('sin', u), [{ wrt: 'u', node: call('sin', u) }], { u: [[-3, 3]] }, { points: 8, seed: 1, what: 'sin' }))
      .toThrow(/sin: ∂\/∂u is .* but finite differences give .* at u = /);
  });

  test('samples the same points for the same seed, away from kinks', () => {
    const relu = call('relu', u);
    const a = samplePoints(relu, { u: [[-1e-3, 1e-3], [-1, 1]] }, 50, 7, 'relu');
    expect(samplePoints(relu, { u: [[-1e-3, 1e-3], [-1, 1]] }, 50, 7, 'relu')).toEqual(a);
    for (const p of a) expect(Math.abs(p.get('u')!)).toBeGreaterThan(1e-3);
  });
});

describe('githubTex(tex)', () => {
  test.each([
    ['\\operatorname{ReLU}\\left(u\\right)', '\\mathrm{ReLU}\\left(u\\right)'],
    ['\\begin{cases}1 & u>0\\\\0 & u\\le 0\\end{cases}', '\\begin{cases}1 & u\\gt 0\\cr 0 & u\\le 0\\end{cases}'],
    ['u \\in \\{lo, hi\\}', 'u \\in \\lbrace lo, hi\\rbrace'],
    ['a\\,b', 'a\\thinspace b'],
    ['\\frac{1}{2}', '\\frac{1}{2}'],
  ])('%s becomes %s', (tex, expected) => {
    expect(githubTex(tex)).toBe(expected);
  });

  test('renders to the same KaTeX markup as the original on the table\'s kink and derivative TeX', () => {
    const cases = ['\\begin{cases}1 & u>0\\\\\\alpha & u\\le 0\\end{cases}', "|u|'\\big|_{u=0} = 0", 'u \\in \\{lo, hi\\}'];
    for (const tex of cases) {
      const strip = (html: string) => html.replace(/<annotation[^>]*>.*?<\/annotation>/s, '');
      expect(strip(katex.renderToString(githubTex(tex), { throwOnError: true }))).toBe(strip(katex.renderToString(tex, { throwOnError: true })));
    }
  });

  test('refuses a control symbol it has no GitHub-safe form for', () => {
    expect(() => githubTex('50\\%')).toThrow(DownhillError);
  });
});

describe('writeFormulaDocs(outDir, options)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async (): Promise<string> => {
    const d = await mkdtemp(join(tmpdir(), 'downhill-docs-'));
    dirs.push(d);
    return d;
  };
  const onePage = (spec: FormulaSpec): PageSpec[] => [{ name: 'test', title: 'Test', summary: 'one entry', groups: [{ heading: 'Only', id: 'only', items: [{ kind: 'formula', spec }] }] }];
  const u = sym('u');
  const base: FormulaSpec = {
    id: 'exp', heading: 'exp', about: 'The exponential.', expr: call('exp', u),
    wrt: ['u'], domains: { u: [[-2, 2]] }, plot: { variable: 'u', range: [-2, 2] },
  };

  test('a wrong documented derivative fails the generation and leaves the previous reference intact', async () => {
    const root = await tempDir();
    const out = join(root, 'formulas');
    await mkdir(out);
    await writeFile(join(out, 'index.md'), '# downhill formula reference\nold\n');
    const wrong: FormulaSpec = { ...base, derivatives: { u: call('exp', constant(2)) } };
    await expect(writeFormulaDocs(out, { points: 16, pages: onePage(wrong) })).rejects.toThrow(FormulaCheckError);
    expect(await readdir(out)).toEqual(['index.md']);
    expect(await readFile(join(out, 'index.md'), 'utf8')).toBe('# downhill formula reference\nold\n');
    expect((await readdir(root)).filter((n) => n !== 'formulas')).toEqual([]);
  });

  test('keeps the user\'s files in the folder (notes, .git/), and refuses, before the work, a file of theirs where a page goes', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'notes.txt'), 'mine');
    await mkdir(join(out, '.git'));
    await writeFile(join(out, '.git', 'HEAD'), 'ref\n');
    await writeFormulaDocs(out, { points: 8, pages: onePage(base) });
    expect((await readdir(out)).sort()).toEqual(['.downhill-manifest.json', '.git', 'index.html', 'index.md', 'katex', 'notes.txt', 'plots', 'test.html', 'test.md']);
    expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(out, '.git', 'HEAD'), 'utf8')).toBe('ref\n');
    const other = await tempDir();
    await writeFile(join(other, 'test.md'), 'my own test notes');
    // A formula whose check would fail: refused for the folder first, so no check runs.
    const wrong: FormulaSpec = { ...base, derivatives: { u: call('exp', constant(2)) } };
    await expect(writeFormulaDocs(other, { points: 8, pages: onePage(wrong) })).rejects.toThrow(/^refusing to write into .*: .*test\.md was not written by downhill/);
    expect(await readdir(other)).toEqual(['test.md']);
  });

  test('refuses a path that is a file, saying so', async () => {
    const file = join(await tempDir(), 'notes.txt');
    await writeFile(file, 'mine');
    await expect(writeFormulaDocs(file, { points: 8, pages: onePage(base) })).rejects.toThrow(/cannot write into .*notes\.txt: it is a file, not a folder$/);
    expect(await readFile(file, 'utf8')).toBe('mine');
  });

  test('a right derivative given by hand is written with its check line, in both forms', async () => {
    const out = join(await tempDir(), 'docs');
    const given: FormulaSpec = { ...base, derivatives: { u: call('exp', u) } };
    await writeFormulaDocs(out, { points: 8, pages: onePage(given) });
    expect((await readdir(out)).sort()).toEqual(['.downhill-manifest.json', 'index.html', 'index.md', 'katex', 'plots', 'test.html', 'test.md']);
    const md = await readFile(join(out, 'test.md'), 'utf8');
    expect(md).toContain('Derivative, as given:');
    expect(md).toContain('$$\n\\frac{d}{du}\\exp\\left(u\\right) = \\exp\\left(u\\right)\n$$');
    expect(md).toMatch(/> ✔ Check: the derivative was compared with central finite differences at 8 random points/);
    expect(await readFile(join(out, 'test.html'), 'utf8')).toContain('<p class="check">✔ Check:');
  });
});
