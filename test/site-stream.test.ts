// Lesson 8 streams its run in a real browser (site/live/lesson.ts, site/worker.ts):
// a change shows the page of --steps 100 and of --steps 500 as they are written
// (each exactly that command's page, the status line naming the command), then
// the run's own page; the CLI's pages are the independent answer.
import { expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { opener, setField, textWithoutPictures } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

const live = siteInBrowser();
const open = opener(live);

/**
 * In the page, before its scripts: at each progress message from the engine's worker, once the page has
 * handled it, the sections' text (pictures left out) and the status line are kept (`streamed()`).
 */
function keepStreamed(): void {
  const kept: { text: string[]; status: string }[] = [];
  const text = (): string[] => [...document.querySelectorAll('main > section')].map((s) => {
    const copy = s.cloneNode(true) as Element;
    copy.querySelectorAll('svg, .dh-mountain').forEach((m) => m.remove());
    return (copy.textContent ?? '').replace(/\s+/g, ' ');
  });
  const setter = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage')!.set!;
  Object.defineProperty(Worker.prototype, 'onmessage', {
    configurable: true,
    set(this: Worker, handler: ((e: MessageEvent) => void) | null) {
      setter.call(this, handler === null ? null : (e: MessageEvent) => {
        handler(e);
        if (typeof e.data === 'object' && e.data !== null && 'progress' in e.data) kept.push({ text: text(), status: document.querySelector('.dh-status')!.textContent ?? '' });
      });
    },
  });
  Object.assign(window, { streamed: () => kept });
}
type Streamed = Window & { streamed(): { text: string[]; status: string }[] };

test('lesson 8: a change shows the pages of --steps 100 and --steps 500 as they come, saying so, then its own', async () => {
  const lesson = await findLesson('8');
  const { page, errors } = await open('08-xor.html', keepStreamed);
  await page.waitForFunction(() => window.downhill!.warm, null, { timeout: PAGE_WAIT });
  await setField(page, 'seed', '3');
  const streamed = await page.evaluate(() => (window as unknown as Streamed).streamed());
  expect(streamed.map((s) => s.status)).toEqual([
    'step 100 of 2,000: the page below is that of downhill lesson 8 --steps 100 --seed 3; the run goes on',
    'step 500 of 2,000: the page below is that of downhill lesson 8 --steps 500 --seed 3; the run goes on',
  ]);
  expect(streamed[0]!.text).toEqual(await textWithoutPictures(page, await lessonPage(lesson, { seed: 3, steps: 100 })));
  expect(streamed[1]!.text).toEqual(await textWithoutPictures(page, await lessonPage(lesson, { seed: 3, steps: 500 })));
  // Then the run's own page, and the status says it is done.
  expect(await textWithoutPictures(page)).toEqual(await textWithoutPictures(page, await lessonPage(lesson, { seed: 3 })));
  expect(await page.textContent('.dh-status')).toMatch(/^updated in \d+ ms$/);
  expect(await page.evaluate(() => window.downhill!.firstCheckpointMs)).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  await page.context().close();
}, BROWSER_TEST_TIMEOUT);
