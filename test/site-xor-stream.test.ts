// Lesson 8 live streams its run (#24): after a change, the page shows the run so far at step 250 of 2000 (and at
// 500 and 1000 when the run trained long enough between them), each the CLI's page of --steps k with the same
// settings (every number and sentence), and says so in its status line; then the whole run, whose page ends as
// the CLI's, SVGs and all.
import { expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { close, opener, sectionsHtml, setField, textWithoutPictures } from './support/site-page.ts';

const live = siteInBrowser();
const open = opener(live);

test('lesson 8, --lr 2.5: each page of the run so far (step 250 first) is the CLI\'s page of --steps k; the last is the CLI\'s page of the whole run', async () => {
  const lesson = await findLesson('8');
  const { page, errors, close: closePage } = await open('08-xor.html');
  await page.waitForFunction(() => window.downhill!.complete && window.downhill!.warm);
  // The page's main element, read whenever the status line says it shows the run so far (the patch and the line
  // are one task: the observer runs after both).
  await page.evaluate(() => {
    const status = document.querySelector('output.dh-status')!;
    const seen: { status: string; html: string }[] = [];
    Object.assign(window, { streamedPages: seen });
    new MutationObserver(() => {
      const text = status.textContent ?? '';
      if (/^step \d+ of \d+:/.test(text)) seen.push({ status: text, html: `<main>${document.querySelector('main')!.innerHTML}</main>` });
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });
  const before = await page.evaluate(() => window.downhill!.streamed);
  await setField(page, 'lr', '2.5');
  const streamed = await page.evaluate(() => (window as unknown as { streamedPages: { status: string; html: string }[] }).streamedPages);
  // The first checkpoint's page always; the later ones when the run trained as long as the last took to draw.
  const steps = streamed.map((s) => Number(/^step (\d+)/.exec(s.status)![1]));
  expect(steps[0]).toBe(250);
  expect(steps.every((k, j) => [250, 500, 1000].includes(k) && (j === 0 || k > steps[j - 1]!))).toBe(true);
  expect(await page.evaluate(() => window.downhill!.streamed)).toBe(before + steps.length);
  expect(streamed.map((s) => s.status)).toEqual(steps.map((k) => `step ${k} of 2000: the page below is the run so far, the numbers of --steps ${k} with these settings; training on`));
  for (const [j, k] of steps.entries()) {
    const cli = await lessonPage(lesson, { lr: 2.5, steps: k });
    expect(await textWithoutPictures(page, streamed[j]!.html)).toEqual(await textWithoutPictures(page, cli));
  }
  // Not the whole run's page: the run so far.
  expect(await textWithoutPictures(page, streamed[0]!.html)).not.toEqual(await textWithoutPictures(page, await lessonPage(lesson, { lr: 2.5 })));
  // Then the CLI's page of the whole run, SVGs and all, nothing left dimmed or busy.
  const shown = await sectionsHtml(page);
  expect(shown.join('')).not.toMatch(/dh-pending|dh-stale|aria-busy/);
  expect(shown.map(close)).toEqual((await sectionsHtml(page, await lessonPage(lesson, { lr: 2.5 }))).map(close));
  expect(errors).toEqual([]);
  await closePage();
});
