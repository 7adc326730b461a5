// Lesson 4's seed on the live page (issue #24, a change painted within 100 ms): a section the page holds is sent
// with the edits that make the new run's section from it (site/html-edits.ts), and the page sets those texts and
// values in the nodes it shows (site/live/edits.ts) instead of parsing the section again. The page after each
// change is the command line's page for that seed; a block edited keeps its element, and so does a block that did
// not change; a step-through (its script's) is put in anew and set up. A section whose nodes are not those the edits
// start from is asked for again as HTML and parsed whole.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { close, opener, sectionsHtml, setField } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

const live = siteInBrowser();
const open = opener(live);

/** Marks every child of every section with its place, on the element itself (a property, not an attribute: not in the HTML). */
const mark = (page: Page): Promise<void> => page.evaluate(() => {
  document.querySelectorAll('main > section').forEach((s) => [...s.children].forEach((c, k) => Object.assign(c, { dhMark: `${s.id}/${k}` })));
});
/** Each child's mark, by section and place: what it was before the change where it is the same element. */
const marks = (page: Page): Promise<Record<string, string | null>> => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('main > section')].flatMap((s) => [...s.children].map((c, k) => [`${s.id}/${k}`, (c as Element & { dhMark?: string }).dhMark ?? null])),
));

test('lesson 4: a new seed edits the sections shown in place; the page is the command line\'s, and an edited block keeps its element', async () => {
  const lesson = await findLesson('4');
  const { page, errors, close: done } = await open('04-backprop.html');
  await page.waitForFunction(() => window.downhill!.warm, null, { timeout: PAGE_WAIT });
  // The first change: the page holds the build's sections, which the worker did not send: parsed whole.
  await setField(page, 'seed', '2');
  expect(await page.evaluate(() => window.downhill!.edited)).toBe(0);
  for (const seed of [3, 4]) {
    await mark(page);
    await setField(page, 'seed', String(seed));
    const cli = await lessonPage(lesson, { seed });
    const shownHtml = (await sectionsHtml(page)).map((h) => close(h.replaceAll(' data-ready="true"', '')));
    expect(shownHtml).toEqual((await sectionsHtml(page, cli)).map(close));
    // Sections 1-8 change with the seed; each is edited in place.
    expect(await page.evaluate(() => window.downhill!.edited)).toBe(8);
    const after = await marks(page);
    // Section 1's table of initial weights changed (the page equals the CLI's for the new seed), yet it is the element shown before.
    expect(after['1-start-from-random-weights/2']).toBe('1-start-from-random-weights/2');
    // A paragraph that did not change stays too.
    expect(after['2-the-forward-pass/1']).toBe('2-the-forward-pass/1');
    // A step-through is live (its script set it up): put in anew, and set up again.
    const steps = await page.evaluate(() => [...document.querySelectorAll('[id="4-the-exact-partial-derivatives"] > .dh-steps')].map((s) => ({ ready: s.getAttribute('data-ready'), marked: 'dhMark' in s })));
    expect(steps).toEqual([{ ready: 'true', marked: false }]);
  }
  // A section whose nodes are not the HTML the worker edits (a text node added to its table): not edited; the page
  // asks for its HTML and parses it. The other sections are edited.
  await mark(page);
  await page.evaluate(() => document.querySelector('[id="1-start-from-random-weights"] table td')!.append('!'));
  await setField(page, 'seed', '5');
  const cli = await lessonPage(lesson, { seed: 5 });
  expect((await sectionsHtml(page)).map((h) => close(h.replaceAll(' data-ready="true"', '')))).toEqual((await sectionsHtml(page, cli)).map(close));
  // (Parsed, its blocks that differ from those shown are put in: the table is a new element.)
  const after = await marks(page);
  expect(after['1-start-from-random-weights/2']).toBeNull();
  expect(after['2-the-forward-pass/0']).toBe('2-the-forward-pass/0');
  expect(errors).toEqual([]);
  await done();
}, BROWSER_TEST_TIMEOUT);
