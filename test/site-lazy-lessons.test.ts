// The engine's worker loads a lesson's module, or a practice set's, when a request first names it (site/worker.ts
// lessonOf, site/practice-worker.ts loadPracticeSet): a page's worker runs its own lesson's code and no other's.
// The worker says which it has loaded (a `loaded` request, for tests and measurements).
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { siteInBrowser } from './support/site-browser.ts';
import { opener, setField } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

const live = siteInBrowser();
const open = opener(live);

/** What the page's worker has loaded, asked directly (as the page's own requests are). */
function loaded(page: Page): Promise<{ lessons: number[]; practice: number[] }> {
  return page.evaluate(() => new Promise((resolve) => {
    const worker = window.DOWNHILL_WORKER!;
    worker.addEventListener('message', (e: MessageEvent<{ id?: number; result?: { lessons: number[]; practice: number[] } }>) => {
      if (e.data.id === 1e9) resolve(e.data.result!);
    });
    worker.postMessage({ id: 1e9, request: { kind: 'loaded' } });
  }));
}

test('a lesson page\'s worker loads no lesson at its start, and its own lesson only once a setting changes', async () => {
  const { page, errors, close } = await open('03-learning-rate.html');
  await page.waitForFunction(() => window.downhill?.warm === true, null, { timeout: PAGE_WAIT });
  // The page as written is the lesson's run with its defaults: the worker's start runs no lesson.
  expect(await loaded(page)).toEqual({ lessons: [], practice: [] });
  await setField(page, 'lr', '0.2');
  expect(await loaded(page)).toEqual({ lessons: [3], practice: [] });
  expect(errors).toEqual([]);
  await close();
}, BROWSER_TEST_TIMEOUT);

test('a practice page\'s worker loads its own set only (lesson 5\'s, which parses at import), and no lesson', async () => {
  const { page, errors, close } = await open('practice-05-landscape.html');
  await page.waitForFunction(() => window.downhill?.warm === true, null, { timeout: PAGE_WAIT });
  // The page's first request prepares its set's answers.
  await expect.poll(() => loaded(page), { timeout: PAGE_WAIT }).toEqual({ lessons: [], practice: [5] });
  expect(errors).toEqual([]);
  await close();
}, BROWSER_TEST_TIMEOUT);
