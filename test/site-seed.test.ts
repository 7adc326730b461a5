// Lesson 4's seed on the live page (issue #24, a change painted within 100 ms): a new seed changes every
// number of its three Graphviz pictures (the network, two computational graphs), whose layout does not
// depend on those numbers (src/pictures/stable-layout.ts), so the worker lays each out once and writes a
// new seed's numbers into it. The page after each change is the command line's page for that seed, pictures
// included, character for character.
import { expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { close, opener, sectionsHtml, setField } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

const live = siteInBrowser();
const open = opener(live);

/** The Graphviz pictures' SVGs in order, in the page or in `html`. */
const pictures = (html?: string): string[] => {
  const root = html === undefined ? document : new DOMParser().parseFromString(html, 'text/html');
  return [...root.querySelectorAll('main > section svg')].filter((s) => s.querySelector('g.graph') !== null).map((s) => s.outerHTML);
};
/** An SVG with its texts and data left out and its id prefix as one name: what its layout decides. */
const layoutOf = (svg: string): string => svg.replace(/<text[^>]*>[^<]*<\/text>/g, '').replace(/ data-[a-z-]+="[^"]*"/g, '').replace(/dh[0-9a-z]+/g, 'ID');

test('lesson 4: seeds 2 and 3 on the page are the command line\'s pages for them, pictures included; the pictures keep their layout', async () => {
  const lesson = await findLesson('4');
  const { page, errors } = await open('04-backprop.html');
  await page.waitForFunction(() => window.downhill!.warm, null, { timeout: PAGE_WAIT });
  const drawn: string[][] = [];
  for (const seed of [2, 3]) {
    await setField(page, 'seed', String(seed));
    const cli = await lessonPage(lesson, { seed });
    // (A step-through marks itself ready once its script has run on the page.)
    const shownHtml = (await sectionsHtml(page)).map((h) => close(h.replaceAll(' data-ready="true"', '')));
    expect(shownHtml).toEqual((await sectionsHtml(page, cli)).map(close));
    const shown = await page.evaluate(pictures, undefined);
    expect(shown).toHaveLength(3);
    expect(shown).toEqual(await page.evaluate(pictures, cli));
    drawn.push(shown);
  }
  // Other numbers in the same places: each picture's shapes are those of the other seed's.
  expect(drawn[1]).not.toEqual(drawn[0]);
  expect(drawn[1]!.map(layoutOf)).toEqual(drawn[0]!.map(layoutOf));
  expect(errors).toEqual([]);
  await page.context().close();
}, BROWSER_TEST_TIMEOUT);
