// The live site (`npm run site`) in a real browser: headless Debian Chromium
// driven by playwright-core, every page opened from disk (file://), as a
// learner would open the built folder. Here: lessons 3 and 4's learning rate
// through the page's control (the CLI's numbers, verdict and refusals), and
// the pages of lessons and practice sets 1, 3, 5…, the index and the
// playground (no console error, no page wider than a phone, every figure
// named: support/site-pages.ts). The rest, in files that run beside this
// one: site-pages (the pages of 2, 4, 6…), site-chaotic (a lesson rerun in the
// page's worker prints what the CLI prints, to the last digit), site-plots
// (plots and pictures after the text; the mountain), site-playground and
// site-playground-limits.
import { describe, expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { commandOutput } from './support/cli.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { contentText, opener, setField, sharedPage } from './support/site-page.ts';
import { everyPageOfTheSite } from './support/site-pages.ts';
import { BROWSER_TEST_TIMEOUT } from './support/chromium.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();
const open = opener(live);
// Lesson 3's page, for the refused value and then the rates (support/site-page.ts sharedPage: loaded once; after a failed test the next gets a fresh one).
const lesson3 = sharedPage(open, '03-learning-rate.html');

describe('lessons 3 and 4: the learning rate through the page control', () => {
  test('a bad value is refused with the CLI\'s message, and the page keeps its last run', async () => {
    const { page, errors } = await lesson3.use();
    await setField(page, 'lr', '0');
    const cli = await commandOutput(['lesson', '3', '--lr', '0', '--no-page']);
    expect(cli.code).not.toBe(0);
    expect(await page.textContent('.dh-status')).toBe(cli.stderr.trim());
    expect((await contentText(page)).join(' ')).toContain('the distance to the bottom flips sign and shrinks. The run of 15 steps');
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test.each([
    // lesson 3: L'' = 15, so η < 1/15 shrinks the distance to the bottom; between 1/15 and 2/15 it flips sign and shrinks; beyond, it grows
    [3, [['0.05', 'the distance to the bottom shrinks'], ['0.1', 'the distance to the bottom flips sign and shrinks'], ['0.14', 'the distance to the bottom flips sign and grows']]],
    // lesson 4: reaches the bottom; jumps past the valley and never settles; blows up at the first step
    [4, [['0.5', 'Converged at step 21'], ['5', 'Stopped after 200 steps'], ['1000', 'diverged at step 1 with learning rate 1000']]],
  ] as const)('lesson %i: the page shows the CLI\'s numbers and verdict for each rate', async (n, rates) => {
    const lesson = await findLesson(String(n));
    // Lesson 3's page is the one the test above left (a refused value, the default run kept): each rate is a change from the one before.
    const opened = await (n === 3 ? lesson3.use() : open(`0${n}-${lesson.name}.html`));
    const { page, errors } = opened;
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
      // The address follows once the settings have stayed a moment.
      await page.waitForFunction((v) => new URL(location.href).searchParams.get('lr') === v, lr);
    }
    expect(errors).toEqual([]);
    if (n !== 3) await opened.close();
  }, BROWSER_TEST_TIMEOUT);

  test('a value the browser cannot read as a number, typed or from a link, gets the CLI\'s message, not "missing number"', async () => {
    for (const lr of ['abc', '1e400']) {
      const cli = await commandOutput(['lesson', '3', '--lr', lr, '--no-page']);
      expect(cli.code).not.toBe(0);
      const { page, errors, warnings, close } = await open('03-learning-rate.html', undefined, `?lr=${encodeURIComponent(lr)}`);
      await page.waitForFunction(() => window.downhill!.updates > 0);
      expect(await page.textContent('.dh-status'), `?lr=${lr}`).toBe(cli.stderr.trim());
      await setField(page, 'lr', '0.05');
      expect(await page.textContent('.dh-status')).toMatch(/^updated in \d+ ms$/);
      await setField(page, 'lr', lr);
      expect(await page.textContent('.dh-status'), `typed ${lr}`).toBe(cli.stderr.trim());
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
      await close();
    }
  }, BROWSER_TEST_TIMEOUT);
});

everyPageOfTheSite(live, 'lessons and practice sets 1, 3, 5…, the index and the playground');

// npm run site's arguments and output folder: test/site-output.test.ts.
