// A practice page of the site in a real browser (headless Debian Chromium,
// the page opened from disk as a learner opens the built folder): the page
// reads a typed answer back as KaTeX, grades it in its worker with the CLI's
// verdict (gradeAnswer in Node is the independent answer here), gives the
// level-2 hint on request and the answer only behind "show me", keeps the
// progress over a reload, and never turns typed text into markup.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { answerText, gradeAnswer, itemsOf, prepareItem } from '../src/index.ts';
import { findSet } from '../src/lesson/practice-sets.ts';
import { allSets, escapeHtml, practiceFile } from '../src/live.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();

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
    const context = await live.browser.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
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
    await page.goto(pathToFileURL(join(live.site, 'index.html')).href);
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

    // A wrong answer after a right one is shown as wrong (the item stays right in the summary: it was right once).
    const again = gradeAnswer(dw1, '2*(yhat - y)*w3*h*(1 + h)*x1');
    expect(again.correct).toBe(false);
    expect(await answer(page, 'dl-dw1', '2*(yhat - y)*w3*h*(1 + h)*x1')).toBe(`✘ ${again.hints[0]}`);
    expect(await page.getAttribute('#verdict-dl-dw1', 'class')).toBe('dh-verdict dh-wrong');
    await page.click('#item-dl-dw1 button[name=hint]');
    // Level 2 of that unclassified mistake names the link its factors leave: ∂h/∂z (σ′ is h(1 − h), not h(1 + h)).
    expect(await page.textContent('#item-dl-dw1 .dh-hint')).toBe(`Hint: ${again.hints[1]}`);
    expect(again.hints[1]).toContain('∂h/∂z');

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

  test('a request past its time budget is stopped with one line, and the next answer is graded by a fresh worker', async () => {
    const context = await live.browser.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
    // A call limit of 0 s: once the engine is warm, every request's budget is 0 (a fresh worker's first one still has its warm-up).
    await context.addInitScript(() => {
      Object.defineProperty(window, 'DOWNHILL_CALL_LIMIT', { get: () => ({ seconds: 0, megabytes: 1024 }), set: () => undefined });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(live.site, 'practice-04-backprop.html')).href);
    await page.waitForFunction(() => window.downhill?.ready === true && window.downhill.warm === true, null, { timeout: PAGE_WAIT });
    // The answers are put in without an input event: no preview request goes first (it would be the one stopped).
    const submit = async (id: string, text: string): Promise<string> => {
      await page.evaluate(([i, t]) => {
        document.querySelector<HTMLInputElement>(`#answer-${i}`)!.value = t!;
        document.querySelector(`#verdict-${i}`)!.textContent = '';
      }, [id, text]);
      await page.press(`#answer-${id}`, 'Enter');
      await page.waitForFunction((i) => document.querySelector(`#verdict-${i}`)!.textContent !== '', id, { timeout: PAGE_WAIT });
      return (await page.textContent(`#verdict-${id}`))!;
    };
    // The prediction trains three networks in the worker: far past a budget of 0.
    const stopped = await submit('other-starts', '3');
    expect(stopped).toMatch(/^Could not grade: stopped after 0 ms: the limits of one call are 0 s and 1 GB/);
    expect(stopped).not.toContain('\n');
    // Not counted as an attempt; the prediction can still be answered.
    expect(await page.isDisabled('#answer-other-starts')).toBe(false);
    expect(await page.textContent('#dh-summary .dh-score')).toBe('Score: 0 of 8 right; 0 attempts; hints asked on 0 exercises; answers shown: 0.');
    // The next request starts a fresh worker (with its warm-up's time) and is graded as usual.
    expect(await submit('dl-dw3', '-2*(y - yhat)*h')).toBe('✔ Right.');
    expect(errors).toEqual([]);
    await context.close();
  }, BROWSER_TEST_TIMEOUT);
});
