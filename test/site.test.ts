// The live site (`npm run site`) in a real browser: headless Debian Chromium
// driven by playwright-core, every page opened from disk (file://), as a
// learner would open the built folder. A lesson rerun in the page's worker
// must print what the CLI prints for the same settings; the mountain's
// descent starts where the learner clicks; the playground's derivatives are
// `downhill grad`'s, and its errors are the CLI's line.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildSite } from '../site/build.ts';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { runCli } from './support/cli.ts';
import { findChromium } from './support/chromium.ts';

let browser: Browser | undefined;
let site = '';

beforeAll(async () => {
  site = await mkdtemp(join(tmpdir(), 'downhill-live-'));
  await buildSite(site);
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

/** Opens a page of the site; `errors` collects console errors, failed requests and uncaught exceptions. */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser!.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(pathToFileURL(join(site, file)).href);
  // Pages with something live wait for their script; the index is static.
  if (await page.locator('script[src="live.js"]').count() > 0) await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: 20_000 });
  return { page, errors };
}

/** Types a value into a number field and waits for the page to update. */
async function setField(page: Page, name: string, value: string): Promise<void> {
  const before = await page.evaluate(() => window.downhill!.updates);
  await page.fill(`input[type=number][name=${name}]`, value);
  await page.dispatchEvent(`input[type=number][name=${name}]`, 'change');
  await page.waitForFunction((n) => window.downhill!.updates > n, before, { timeout: 30_000 });
}

/** The text of the lesson's content (every section; the live mountains left out), in the page or in `html`. */
function contentText(page: Page, html?: string): Promise<string[]> {
  return page.evaluate((source) => {
    const root = source === undefined ? document : new DOMParser().parseFromString(source, 'text/html');
    return [...root.querySelectorAll('main > section')].map((s) => {
      const copy = s.cloneNode(true) as Element;
      copy.querySelectorAll('.dh-mountain').forEach((m) => m.remove());
      return (copy.textContent ?? '').replace(/\s+/g, ' ');
    });
  }, html);
}

describe('lessons 3 and 4: the learning rate through the page control', () => {
  test.each([
    // lesson 3: L'' = 15, so η < 1/15 shrinks the distance to the bottom; between 1/15 and 2/15 it flips sign and shrinks; beyond, it grows
    [3, [['0.05', 'the distance to the bottom shrinks'], ['0.1', 'the distance to the bottom flips sign and shrinks'], ['0.14', 'the distance to the bottom flips sign and grows']]],
    // lesson 4: reaches the bottom; jumps past the valley and never settles; blows up at the first step
    [4, [['0.5', 'Converged at step 21'], ['5', 'Stopped after 200 steps'], ['1000', 'diverged at step 1 with learning rate 1000']]],
  ] as const)('lesson %i: the page shows the CLI\'s numbers and verdict for each rate', async (n, rates) => {
    const lesson = await findLesson(String(n));
    const { page, errors } = await open(`0${n}-${lesson.name}.html`);
    const seen: string[] = [];
    for (const [lr, verdict] of rates) {
      await setField(page, 'lr', lr);
      expect(await page.textContent('.dh-status')).toMatch(/^updated in \d+ ms$/);
      const shown = await contentText(page);
      const cli = await contentText(page, await lessonPage(lesson, { lr: Number(lr) }));
      expect(shown).toEqual(cli);
      expect(shown.join(' ')).toContain(verdict);
      for (const other of seen) expect(shown.join(' '), `η = ${lr}`).not.toContain(other);
      seen.push(verdict);
      expect(new URL(page.url()).searchParams.get('lr')).toBe(lr);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  test('a bad value is refused with the CLI\'s message, and the page keeps its last run', async () => {
    const { page, errors } = await open('03-learning-rate.html');
    await setField(page, 'lr', '0');
    const cli = runCli(['lesson', '3', '--lr', '0', '--no-page']);
    expect(cli.code).not.toBe(0);
    expect(await page.textContent('.dh-status')).toBe(cli.stderr.trim());
    expect((await contentText(page)).join(' ')).toContain('the distance to the bottom flips sign and shrinks. The run of 15 steps');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 30_000);
});

describe('lesson 5: the mountain', () => {
  test('a click on the map starts the descent there, and the update shows the numbers', async () => {
    const { page, errors } = await open('05-landscape.html');
    await page.waitForSelector('figure.dh-mountain[data-ready]');
    const map = page.locator('canvas.dh-map');
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    // The map spans w in [-1, 3] and b in [-3, 3]: a quarter across and a quarter down is w = 0, b = 1.5.
    const before = await page.getAttribute('figure.dh-mountain', 'data-start');
    await map.click({ position: { x: box.width / 4, y: box.height / 4 } });
    await page.waitForFunction((s) => document.querySelector('figure.dh-mountain')!.getAttribute('data-start') !== s, before);
    const [w, b] = JSON.parse((await page.getAttribute('figure.dh-mountain', 'data-start'))!) as [number, number];
    expect(Math.abs(w - 0)).toBeLessThan(0.03);
    expect(Math.abs(b - 1.5)).toBeLessThan(0.05);
    // The loss at the start, by hand from the lesson's six points: the page shows it to 6 digits.
    const data = [[0.5, 0.2], [1, 0.6], [1.5, 1.4], [2, 1.8], [2.5, 2.6], [3, 3.1]];
    const loss = data.reduce((s, [x, y]) => s + (y! - (w * x! + b)) ** 2, 0) / data.length;
    const update = (await page.textContent('pre.dh-update'))!;
    expect(update).toContain(`= ${Number(loss.toPrecision(6))}`);
    // One step: w ← w − η·∂L/∂w, with the lesson's η = 0.2 and ∂L/∂w = mean of −2(y − (wx + b))x.
    const dw = data.reduce((s, [x, y]) => s - 2 * (y! - (w * x! + b)) * x!, 0) / data.length;
    expect(update).toContain(`w ← w − η·∂L/∂w = ${Number(w.toPrecision(6))} − 0.2·`);
    expect(update).toContain(`= ${Number((w - 0.2 * dw).toPrecision(6))}`);
    await page.click('button[data-do=step]');
    expect(await page.getAttribute('figure.dh-mountain', 'data-k')).toBe('1');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 30_000);
});

describe('the playground', () => {
  test('the derivatives shown are downhill grad\'s; a bad expression shows the CLI\'s error and the page still works', async () => {
    const { page, errors } = await open('playground.html');
    await page.waitForSelector('#dh-results:not([hidden])');
    const type = async (text: string): Promise<void> => {
      const before = await page.evaluate(() => window.downhill!.updates);
      await page.fill('input[name=expression]', text);
      await page.waitForFunction((n) => window.downhill!.updates > n, before);
    };
    const shown = (): Promise<string[]> => page.locator('.dh-partials code.dh-text').allTextContents();
    const expression = 'sin(w*x)^2 + w*b/(1 + exp(-b))';
    await type(expression);
    const cli = runCli(['grad', expression, '--wrt', 'w,b', '--json']);
    const derivatives = (JSON.parse(cli.stdout) as { derivatives: Record<string, { text: string }> }).derivatives;
    expect(await shown()).toEqual([`∂f/∂w = ${derivatives['w']!.text}`, `∂f/∂b = ${derivatives['b']!.text}`]);
    expect(await page.locator('.dh-check td:last-child').allTextContents()).toEqual(['pass', 'pass']);

    await type('(w*x');
    const bad = runCli(['grad', '(w*x']);
    expect(bad.code).not.toBe(0);
    expect(await page.textContent('.dh-error')).toBe(bad.stderr.trim());

    await type('w^3');
    expect(await shown()).toEqual(['∂f/∂w = 3 * w ^ 2']);
    expect(await page.textContent('.dh-error')).toBe('');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describe('every page of the site', () => {
  test('loads from file:// and starts with no console error', async () => {
    const files = (await readdir(site)).filter((f) => f.endsWith('.html')).sort();
    expect(files).toContain('playground.html');
    for (const file of files) {
      const { page, errors } = await open(file);
      await page.waitForFunction(() => [...document.querySelectorAll('figure.dh-mountain')].every((f) => f.hasAttribute('data-ready')));
      expect.soft(errors, file).toEqual([]);
      await page.context().close();
    }
  }, 90_000);
});
