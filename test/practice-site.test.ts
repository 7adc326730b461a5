// A practice page of the site in a real browser (headless Debian Chromium,
// the page opened from disk as a learner opens the built folder): the page
// reads a typed answer back as KaTeX, grades it in its worker with the CLI's
// verdict (gradeAnswer in Node is the independent answer here), gives the
// level-2 hint on request and the answer only behind "show me", keeps the
// progress over a reload, and never turns typed text into markup.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { answerText, gradeAnswer, itemsOf, prepareItem } from '../src/index.ts';
import { findSet } from '../src/lesson/practice-sets.ts';
import { allSets, escapeHtml, practiceFile } from '../src/live.ts';
import { sharedSite } from './support/site.ts';
import { BROWSER_TEST_TIMEOUT, findChromium, PAGE_WAIT, SITE_BUILD_TIMEOUT } from './support/chromium.ts';

vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT, hookTimeout: SITE_BUILD_TIMEOUT });

let browser: Browser | undefined;
let site = '';

beforeAll(async () => {
  site = await sharedSite();
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, SITE_BUILD_TIMEOUT);

afterAll(async () => {
  await browser?.close();
});

const verdicts = (page: Page): Promise<number> => page.evaluate(() => window.downhill!.verdicts);

/** Types an answer, presses Enter, and waits for its verdict. */
async function answer(page: Page, id: string, text: string): Promise<string> {
  const before = await verdicts(page);
  await page.fill(`#answer-${id}`, text);
  await page.press(`#answer-${id}`, 'Enter');
  await page.waitForFunction((n) => window.downhill!.verdicts > n, before, { timeout: PAGE_WAIT });
  return (await page.textContent(`#verdict-${id}`)) ?? '';
}

describe('practice page of lesson 4, from file://', () => {
  test('a wrong answer gets the kind of mistake, a hint, a right one is accepted, a reload keeps the progress, typed markup stays text', async () => {
    const set = await findSet('4');
    const prepared = itemsOf(set).map(prepareItem);
    const dw1 = prepared.find((p) => p.item.id === 'dl-dw1')!;
    const context = await browser!.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('dialog', (d) => {
      errors.push(`a dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    // The site's index links to every set; the learner follows lesson 4's link.
    await page.goto(pathToFileURL(join(site, 'index.html')).href);
    const sets = await allSets();
    expect(await page.locator('a[href^="practice-"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(sets.map(practiceFile));
    await page.click('a[href="practice-04-backprop.html"]');
    await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: PAGE_WAIT });
    expect(new URL(page.url()).protocol).toBe('file:');

    // The preview: KaTeX of the parsed answer (ŷ read back as a hat), not the typed text.
    await page.fill('#answer-dl-dw1', '-2*(y - yhat)*w3*x1');
    await page.waitForSelector('#item-dl-dw1 .dh-preview-math .katex', { timeout: PAGE_WAIT });
    expect(await page.locator('#item-dl-dw1 .dh-preview-math annotation').textContent()).toBe('-2 \\left(y - \\hat{y}\\right) w_{3} x_{1}');

    // A dropped σ′(z): the CLI's verdict, the kind of mistake named; no hint before it is asked for.
    const wrong = gradeAnswer(dw1, '-2*(y - yhat)*w3*x1');
    expect(wrong.kind).toBe('missing-factor');
    expect(await answer(page, 'dl-dw1', '-2*(y - yhat)*w3*x1')).toBe(`✘ ${wrong.hints[0]}`);
    expect(await page.textContent('#item-dl-dw1 .dh-hint')).toBe('');
    await page.click('#item-dl-dw1 button[name=hint]');
    expect(await page.textContent('#item-dl-dw1 .dh-hint')).toBe(`Hint: ${wrong.hints[1]}`);

    // The right answer, in another form than the key.
    expect(gradeAnswer(dw1, '2*(yhat - y)*w3*sigmoid(z)*(1 - sigmoid(z))*x1').correct).toBe(true);
    expect(await answer(page, 'dl-dw1', '2*(yhat - y)*w3*sigmoid(z)*(1 - sigmoid(z))*x1')).toBe('✔ Right.');
    expect(await page.getAttribute('#verdict-dl-dw1', 'aria-live')).toBe('polite');
    expect(await page.textContent('#dh-summary .dh-score')).toBe('Score: 1 of 8 right; 2 attempts; hints asked on 1 exercise; answers shown: 0.');

    // Before "show me", the page (as the browser holds it now: previews, verdicts and the hint shown) holds no exercise's answer text.
    const keys = prepared.filter((p) => p.item.kind === 'formula').map(answerText);
    expect(keys.length).toBeGreaterThan(3);
    const before = await page.content();
    for (const key of keys) expect(before.includes(key) || before.includes(escapeHtml(key)), `the page holds ${key}`).toBe(false);

    // "show me" on another exercise: the CLI's key, and that exercise no longer scores.
    const dw3 = prepared.find((p) => p.item.id === 'dl-dw3')!;
    await page.click('#item-dl-dw3 button[name=reveal]');
    await page.waitForSelector('#item-dl-dw3 .dh-shown:not([hidden]) code', { timeout: PAGE_WAIT });
    expect(await page.textContent('#item-dl-dw3 .dh-shown code')).toBe(answerText(dw3));
    expect((await page.content()).includes(escapeHtml(answerText(dw3)))).toBe(true);
    expect(await answer(page, 'dl-dw3', '-2*(y - yhat)*h')).toBe('✔ Right.');
    expect(await page.textContent('#dh-summary .dh-score')).toBe('Score: 1 of 8 right; 3 attempts; hints asked on 2 exercises; answers shown: 1.');

    // A reload: the verdicts, the answers, the score and the hint levels are still there.
    await page.reload();
    await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: PAGE_WAIT });
    expect(await page.inputValue('#answer-dl-dw1')).toBe('2*(yhat - y)*w3*sigmoid(z)*(1 - sigmoid(z))*x1');
    expect(await page.textContent('#verdict-dl-dw1')).toBe('✔ Right.');
    expect(await page.textContent('#dh-summary .dh-score')).toBe('Score: 1 of 8 right; 3 attempts; hints asked on 2 exercises; answers shown: 1.');
    expect(await page.locator('#dh-summary tbody tr').first().textContent()).toBe('1. dl-dw3right, after the answer was shown13');

    // Markup typed as an answer stays text: in the preview (the reader's message), the verdict, the summary.
    const payloads = ['<img src=x onerror="window.pwned=1">', '"><script>window.pwned=2</script>', '\\href{javascript:window.pwned=3}{x}'];
    for (const payload of payloads) {
      await page.fill('#answer-dl-dw2', payload);
      await page.waitForFunction(() => document.querySelector('#item-dl-dw2 .dh-preview-error')!.textContent !== '', null, { timeout: PAGE_WAIT });
      const verdict = await answer(page, 'dl-dw2', payload);
      expect(verdict).toMatch(/^✘ Could not read your answer: /);
    }
    expect(await page.locator('#item-dl-dw2 img, #item-dl-dw2 script, #item-dl-dw2 a').count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.inputValue('#answer-dl-dw2')).toBe(payloads.at(-1));

    // The verdict times, for the record (measured properly by site/measure.ts).
    expect(await page.evaluate(() => window.downhill!.verdictMs)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  }, BROWSER_TEST_TIMEOUT);
});
