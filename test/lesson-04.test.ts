import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import lesson from '../lessons/04-backprop.ts';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonDocument } from '../src/lesson/run.ts';
import type { Document } from '../src/render/document.ts';
import { documentHtml } from '../src/render/html.ts';
import { texNumber } from '../src/expr/number.ts';
import { formulas, prose, row, table } from './support/lesson-doc.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { runCli } from './support/cli.ts';

/**
 * Runs the lesson without a page: its document, and the page rendered from it. Once per file for each settings (four
 * tests read the defaults' run): a run is a pure function of its settings, and no test changes what it is given.
 */
const runs = new Map<string, Promise<{ doc: Document; html: string }>>();
function told(settings: { lr?: number; steps?: number; seed?: number } = {}): Promise<{ doc: Document; html: string }> {
  const key = JSON.stringify(settings);
  let run = runs.get(key);
  if (run === undefined) {
    run = lessonDocument(lesson, settings).then((doc) => ({ doc, html: documentHtml(doc) }));
    runs.set(key, run);
  }
  return run;
}

/** A number as the lesson's formulas write it; negative ones in brackets where they are factors. */
const n = (v: number): string => texNumber(v);
const f = (v: number): string => (v < 0 ? `\\left(${n(v)}\\right)` : n(v));
const sigma = (z: number): number => 1 / (1 + Math.exp(-z));

describe('lesson 4 (backprop): the main lesson', () => {
  // By hand: the data, the seeded weights (2u − 1 for the first three draws of
  // mulberry32(1)), the forward pass, the textbook partials, one step of η = 0.5.
  const x1 = 1, x2 = 0.5, y = 0.8, lr = 0.5;
  const rng = mulberry32(1);
  const [w1, w2, w3] = [2 * rng() - 1, 2 * rng() - 1, 2 * rng() - 1] as [number, number, number];
  const z = w1 * x1 + w2 * x2;
  const h = sigma(z);
  const yhat = w3 * h;
  const L = (y - yhat) ** 2;
  const dL_dyhat = -2 * (y - yhat);
  const g1 = dL_dyhat * w3 * h * (1 - h) * x1;
  const g2 = dL_dyhat * w3 * h * (1 - h) * x2;
  const g3 = dL_dyhat * h;
  const next = [w1 - lr * g1, w2 - lr * g2, w3 - lr * g3] as const;
  const hNext = sigma(next[0] * x1 + next[1] * x2);
  const Lnext = (y - next[2] * hNext) ** 2;

  test('is lesson number 4, found by number and by name', async () => {
    expect(lesson.number).toBe(4);
    expect((await findLesson('4')).name).toBe('backprop');
    expect((await findLesson('backprop')).number).toBe(4);
    expect(lesson.defaults).toEqual({ lr: 0.5, steps: 200, seed: 1, bias: false });
  });

  test('its forward pass, loss, partials and first descent step match a hand computation', async () => {
    const { doc } = await told();
    const tex = formulas(doc);
    expect(tex).toContain(`z = w_{1} x_{1} + w_{2} x_{2} = ${f(w1)} \\cdot 1 + ${f(w2)} \\cdot 0.5 = ${n(z)}`);
    expect(tex).toContain(`h = \\sigma(z) = \\frac{1}{1 + e^{-z}} = ${n(h)}`);
    expect(tex).toContain(`\\hat{y} = w_{3} h = ${f(w3)} \\cdot ${f(h)} = ${n(yhat)}`);
    expect(tex).toContain(`L = (y - \\hat{y})^{2} = \\left(0.8 - ${f(yhat)}\\right)^{2} = ${n(L)}`);
    for (const g of [g1, g2, g3]) expect(tex.some((t) => t.startsWith('\\begin{aligned}') && t.endsWith(`&= ${n(g)} \\end{aligned}`))).toBe(true);
    expect(tex).toContain(`w_{1} \\leftarrow ${f(w1)} - 0.5 \\cdot ${f(g1)} = ${n(next[0])}`);
    expect(tex).toContain(`w_{2} \\leftarrow ${f(w2)} - 0.5 \\cdot ${f(g2)} = ${n(next[1])}`);
    expect(tex).toContain(`w_{3} \\leftarrow ${f(w3)} - 0.5 \\cdot ${f(g3)} = ${n(next[2])}`);
    // The descent table, rows 0 and 1: step, w1, w2, w3, loss, the three partials.
    const descent = table(doc, 'Gradient descent with');
    expect(row(descent, 0)).toEqual([0, w1, w2, w3, L, g1, g2, g3].map((v, k) => (k === 0 ? v : expect.closeTo(v, 14))));
    expect(row(descent, 1).slice(0, 5)).toEqual([1, ...next, Lnext].map((v, k) => (k === 0 ? v : expect.closeTo(v, 14))));
  });

  test('the chain rule row for w1 multiplies the hand-computed local derivatives', async () => {
    const { doc } = await told();
    expect(formulas(doc).some((t) => t.endsWith(`= ${f(dL_dyhat)} \\cdot ${f(w3)} \\cdot ${f(h * (1 - h))} \\cdot 1 = ${n(g1)}`))).toBe(true);
    // The chain-rule table: the row "h → z" has the local derivative h(1 − h), and what it adds.
    const chain = table(doc, 'local value');
    const hz = chain.rows.find((r) => r[0] === '$h$' && r[3] === '$z$')!;
    expect(hz[5] as number).toBeCloseTo(h * (1 - h), 14);
  });

  test('two outputs sharing h: the two paths contribute −2(y − w3·h)·w3·σ′·x1 and −2(y2 − w4·h)·w4·σ′·x1, which add up to ∂L/∂w1', async () => {
    const { doc } = await told();
    const shared = table(doc, 'contribution to');
    const c1 = g1; // the one-output gradient is path 1
    const c2 = -2 * (0.3 - 0.5 * h) * 0.5 * h * (1 - h) * x1;
    expect(row(shared, 'path 1: through $\\hat{y}_{1}$')[5] as number).toBeCloseTo(c1, 14);
    expect(row(shared, 'path 2: through $\\hat{y}_{2}$')[5] as number).toBeCloseTo(c2, 14);
    expect(row(shared, "the engine's $\\partial L/\\partial w_{1}$")[5] as number).toBeCloseTo(c1 + c2, 14);
  });

  test('it descends until the loss is under 1e-10, and the page has the formulas (KaTeX) and the loss plot (SVG)', async () => {
    const { doc, html } = await told();
    expect(prose(doc)).toMatch(/Converged at step \d+: the loss .* is under the tolerance/);
    const descent = table(doc, 'Gradient descent with');
    const last = descent.rows[descent.rows.length - 1]!;
    expect(last[4] as number).toBeLessThan(1e-10);
    // The prediction ŷ = w3·σ(w1·x1 + w2·x2) at the last weights hits the target.
    expect((last[3] as number) * sigma((last[1] as number) * x1 + (last[2] as number) * x2)).toBeCloseTo(y, 4);
    expect(html).toContain('class="katex"');
    expect(html).toMatch(/<svg[^>]*>[\s\S]*loss L/);
    expect(html).not.toContain('katex-error');
  });

  test('a learning rate of 1000 is reported as divergence at step 1 with the rate and a hint, never as NaN', async () => {
    const { doc, html } = await told({ lr: 1000 });
    const said = prose(doc);
    expect(said).toContain('diverged at step 1 with learning rate 1000 (gradient descent): the loss grew from');
    expect(said).toContain('try a smaller learning rate, e.g. 100 (10 times smaller)');
    expect(said).not.toMatch(/NaN|Infinity/);
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});

describe('lesson 4 says what each run did, from its numbers', () => {
  test('η = 5, 50, 100 leave ŷ = 0 and the loss at y² = 0.64 with no gradient: stuck, the saturated unit named; never "went down"', async () => {
    const { doc } = await told({ lr: 100 });
    const rates = table(doc, 'what happened');
    for (const eta of [5, 50, 100]) {
      const cells = row(rates, eta);
      expect(cells[2] as number).toBeCloseTo(0.8 ** 2, 3);
      expect(cells[3]).toBe('stuck: saturated, gradient vanished');
    }
    expect(row(rates, 0.05)[3]).toBe('went down, still creeping');
    const said = prose(doc);
    expect(said).toMatch(/With \$\\eta = 100\$ the run got stuck with a vanishing gradient: saturated unit \$h = \\sigma\(z\)\$ \(pre-activation \$-81610\$/);
    expect(said).not.toMatch(/steady descent/);
    // The descent froze at step 2: the table shows the steps up to there and the last one, not 199 equal rows.
    const descent = table(doc, 'Gradient descent with');
    expect(descent.rows.map((r) => r[0])).toEqual([0, 1, 2, 200]);
    expect(descent.rows[2]!.slice(5)).toEqual([0, 0, 0]);
  });

  test('η = 3 bounces without settling (chaotic), and is not called "went down"', async () => {
    const { doc } = await told({ lr: 3, steps: 60 });
    const rates = table(doc, 'what happened');
    expect(row(rates, 3)[3]).toBe('chaotic: up and down');
    const losses = table(doc, 'Gradient descent with').rows.map((r) => r[4] as number);
    // Independently: the loss goes up again and again over the last steps.
    expect(losses.slice(-20).filter((l, i, a) => i > 0 && l > a[i - 1]!).length).toBeGreaterThan(5);
  });
});

describe('downhill lesson 4 (the command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'downhill-lesson4-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('--lr 1000 prints the divergence message and exits 0 (the lesson ran and taught divergence); the page and its KaTeX assets are written', () => {
    const r = runCli(['lesson', '4', '--lr', '1000', '--steps', '50', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/diverged at step 1 with learning rate 1000 \(gradient descent\): .* try a smaller learning rate, e.g. 100 \(10 times smaller\)/);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    expect(r.stdout).toContain(`The page: ${join(dir, '04-backprop.html')}`);
    expect(readFileSync(join(dir, '04-backprop.html'), 'utf8')).toContain('katex/katex.min.css');
    expect(readFileSync(join(dir, 'katex', 'katex.min.css'), 'utf8').length).toBeGreaterThan(1000);
  });
});
