import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import lesson from '../lessons/04-backprop.ts';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { formatCell } from '../src/render/table.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { runCli } from './support/cli.ts';

/** Runs the lesson without a page and returns what it printed. */
async function terminal(settings: { lr?: number; steps?: number; seed?: number } = {}): Promise<{ text: string; html: string }> {
  let text = '';
  const html = await lessonPage(lesson, settings, { write: (s: string) => { text += s; } });
  return { text, html };
}

const n = (v: number): string => formatCell(v, 6);
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
    expect(lesson.defaults).toEqual({ lr: 0.5, steps: 200, seed: 1 });
  });

  test('its forward pass, loss, partials and first descent step match a hand computation', async () => {
    const { text } = await terminal();
    expect(text).toContain(`z = w₁x₁ + w₂x₂ = ${n(w1)}·1 + (${n(w2)})·0.5 = ${n(z)}`);
    expect(text).toContain(`= ${n(h)}`);
    expect(text).toContain(`ŷ = w₃h = ${n(w3)}·${n(h)} = ${n(yhat)}`);
    expect(text).toContain(`L = (y − ŷ)² = (0.8 − ${n(yhat)})² = ${n(L)}`);
    for (const g of [g1, g2, g3]) expect(text).toMatch(new RegExp(`\\n\\s+= ${n(g).replace('.', '\\.')}\\n`));
    expect(text).toContain(`w1 ← ${n(w1)} − 0.5·(${n(g1)}) = ${n(next[0])}`);
    expect(text).toContain(`w2 ← (${n(w2)}) − 0.5·(${n(g2)}) = ${n(next[1])}`);
    expect(text).toContain(`w3 ← ${n(w3)} − 0.5·(${n(g3)}) = ${n(next[2])}`);
    expect(text).toContain(`At the new weights the loss is ${n(Lnext)}`);
    // the rows 0 and 1 of the descent table: step, w1, w2, w3, loss
    const row = (k: number): string[] => text.split('\n').find((l) => new RegExp(`^\\s+${k}\\s+-?\\d`).test(l) && l.includes(n(k === 0 ? w1 : next[0])))!.trim().split(/\s+/);
    expect(row(0).slice(0, 8)).toEqual(['0', n(w1), n(w2), n(w3), n(L), n(g1), n(g2), n(g3)]);
    expect(row(1).slice(0, 5)).toEqual(['1', n(next[0]), n(next[1]), n(next[2]), n(Lnext)]);
  });

  test('the chain rule row for w1 multiplies the hand-computed local derivatives', async () => {
    const { text } = await terminal();
    expect(text).toContain(`= (${n(dL_dyhat)})·${n(w3)}·${n(h * (1 - h))}·1 = ${n(g1)}`);
  });

  test('it descends until the loss is under 1e-10, and the page has the formulas (KaTeX) and the loss plot (SVG)', async () => {
    const { text, html } = await terminal();
    const prose = text.replace(/\s+/g, ' ');
    expect(prose).toMatch(/Converged at step \d+: the loss [\d.e-]+ is under the tolerance 1e-10\. The prediction is now ŷ = (0\.8|0\.79999\d|0\.80000\d) for the target 0\.8/);
    expect(html).toContain('class="katex"');
    expect(html).toMatch(/<svg[^>]*>[\s\S]*loss L/);
    expect(html).not.toContain('katex-error');
  });

  test('a learning rate of 1000 is reported as divergence at step 1 with the rate and a hint, never as NaN', async () => {
    const { text, html } = await terminal({ lr: 1000 });
    const prose = text.replace(/\s+/g, ' ');
    expect(prose).toContain('diverged at step 1 with learning rate 1000 (gradient descent): the loss grew from');
    expect(prose).toContain('lower the learning rate (try 100 or less)');
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});

describe('downhill lesson 4 (the command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'downhill-lesson4-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('--lr 1000 prints the divergence message and exits 0 (the lesson ran and taught divergence); the page and its KaTeX assets are written', () => {
    const r = runCli(['lesson', '4', '--lr', '1000', '--steps', '50', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/diverged at step 1 with learning rate 1000 \(gradient descent\): .* lower the learning rate \(try 100 or less\)/);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    expect(r.stdout).toContain(`The page: ${join(dir, '04-backprop.html')}`);
    expect(readFileSync(join(dir, '04-backprop.html'), 'utf8')).toContain('katex/katex.min.css');
    expect(readFileSync(join(dir, 'katex', 'katex.min.css'), 'utf8').length).toBeGreaterThan(1000);
  });
});
