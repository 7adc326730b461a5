// A shared link (a lesson page opened with settings in its address) in a
// real browser: until the engine's answer for the link's settings is on the
// page, the numbers shown (the default settings', written into the static
// page) are marked as not the link's; then the page shows the CLI's numbers
// for the link's settings, unmarked.
import { expect, test } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { PAGE_WAIT } from './support/chromium.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();

/**
 * In the page, before its scripts: every lesson request to the engine's
 * worker is held back until `releaseEngine()` (so the test sees the page as it
 * is before the engine's first answer, however fast the machine).
 */
function holdEngine(): void {
  const held: [Worker, unknown][] = [];
  const post = Worker.prototype.postMessage;
  let holding = true;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
    const lesson = typeof message === 'object' && message !== null && (message as { request?: { kind?: string } }).request?.kind === 'lesson';
    if (holding && lesson) held.push([this, message]);
    else (post as (this: Worker, ...a: unknown[]) => void).call(this, message, ...rest);
  } as typeof Worker.prototype.postMessage;
  Object.assign(window, {
    heldRequests: () => held.length,
    releaseEngine: () => {
      holding = false;
      for (const [worker, message] of held.splice(0)) post.call(worker, message);
    },
  });
}

/** The text of every section of the lesson (the live mountains left out), in the page or in `html`. */
const sectionsText = (html?: string): string[] => {
  const root = html === undefined ? document : new DOMParser().parseFromString(html, 'text/html');
  return [...root.querySelectorAll('main > section')].map((s) => {
    const copy = s.cloneNode(true) as Element;
    copy.querySelectorAll('.dh-mountain').forEach((m) => m.remove());
    return (copy.textContent ?? '').replace(/\s+/g, ' ');
  });
};

test('08-xor.html?lr=1.5: the default numbers are marked until the engine answers, then the page shows the CLI\'s numbers for η = 1.5', async () => {
  const lesson = await findLesson('8');
  const context = await live.browser.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
  await context.addInitScript(holdEngine);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${pathToFileURL(join(live.site, '08-xor.html')).href}?lr=1.5`);
  await page.waitForFunction(() => window.downhill?.ready === true && (window as unknown as { heldRequests(): number }).heldRequests() > 0, null, { timeout: PAGE_WAIT });
  const defaults = await lessonPage(lesson);
  const linked = await lessonPage(lesson, { lr: 1.5 });
  const defaultText = await page.evaluate(sectionsText, defaults);
  const linkedText = await page.evaluate(sectionsText, linked);
  expect(linkedText).not.toEqual(defaultText);
  // Before the answer: the field holds the link's 1.5, the sections below are the defaults', each marked (dimmed, aria-busy), and the status says so.
  expect(await page.inputValue('input[name=lr]')).toBe('1.5');
  expect(await page.evaluate(sectionsText, undefined)).toEqual(defaultText);
  const marks = await page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => [s.classList.contains('dh-stale-numbers'), s.getAttribute('aria-busy')]));
  expect(marks.length).toBeGreaterThan(3);
  for (const mark of marks) expect(mark).toEqual([true, 'true']);
  expect(await page.textContent('.dh-status')).toMatch(/default settings.*yours are being computed/);
  expect(await page.evaluate(() => window.downhill!.painted)).toBe(0);
  // The answer: the CLI's numbers for η = 1.5, nothing marked, painted once.
  await page.evaluate(() => (window as unknown as { releaseEngine(): void }).releaseEngine());
  await page.waitForFunction(() => window.downhill!.painted > 0, null, { timeout: PAGE_WAIT });
  expect(await page.evaluate(sectionsText, undefined)).toEqual(linkedText);
  expect(await page.locator('.dh-stale-numbers, main > section[aria-busy]').count()).toBe(0);
  expect(await page.textContent('.dh-status')).toMatch(/^updated in \d+ ms$/);
  expect(await page.evaluate(() => window.downhill!.linkShownAt > window.downhill!.firstAnswerAt)).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});
