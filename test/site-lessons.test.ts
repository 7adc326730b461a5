// Lessons 1, 2, 6 and 7 are live too (each with one setting: the guess w,
// a tangent's point w₀, the finite-difference step h, Huber's threshold k):
// in a real browser, a change of it on the page shows what the command line
// prints for that setting, and the page before the change is the defaults'.
import { expect, test } from 'vitest';
import { findLesson, pageFile } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { commandOutput } from './support/cli.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { PAGE_WAIT } from './support/chromium.ts';
import { opener } from './support/site-page.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();
const open = opener(live);

/** Each section's text with its SVGs (plots: their tick labels are vega's, drawn in the browser) left out; and how many SVGs it has. */
const sectionsText = (html?: string): string[] => {
  const root = html === undefined ? document : new DOMParser().parseFromString(html, 'text/html');
  return [...root.querySelectorAll('main > section')].map((s) => {
    const copy = s.cloneNode(true) as Element;
    const svgs = copy.querySelectorAll('svg').length;
    copy.querySelectorAll('svg').forEach((m) => m.remove());
    return `${(copy.textContent ?? '').replace(/\s+/g, ' ')} [${svgs} svg]`;
  });
};

test.each([
  // lesson, setting, value, a line the command prints for it (and not for the default)
  [1, 'guess', '2', 'The loss is the mean of the last column: L(2) = 1.6275.'],
  [2, 'point', '-1', '−1  48.2775  −38.05  increase w'],
  [6, 'h', '0.001', 'With the step h = 1 × 10⁻³'],
  [7, 'k', '0.5', 'linear beyond k = 0.5'],
] as const)('lesson %i: --%s %s on the page shows the command line\'s numbers', async (n, flag, value, said) => {
  const lesson = await findLesson(String(n));
  // The page loads in Chromium while this process runs the command (in-process: support/cli.ts commandOutput).
  const opening = open(pageFile(lesson));
  opening.catch(() => undefined);
  const cli = await commandOutput(['lesson', String(n), `--${flag}`, value, '--no-page']);
  expect(cli.code).toBe(0);
  expect(cli.stdout).toContain(said);
  expect((await commandOutput(['lesson', String(n), '--no-page'])).stdout).not.toContain(said);
  const { page, errors, close } = await opening;
  // The page is live: a form with the setting, at the lesson's default.
  expect(await page.inputValue(`input[name=${flag}]`)).toBe(String(lesson.defaults[flag]));
  const defaults = await page.evaluate(sectionsText, await lessonPage(lesson));
  expect(await page.evaluate(sectionsText, undefined)).toEqual(defaults);
  await page.fill(`input[name=${flag}]`, value);
  await page.dispatchEvent(`input[name=${flag}]`, 'change');
  await page.waitForFunction(() => window.downhill!.painted > 0, null, { timeout: PAGE_WAIT });
  expect(await page.textContent('.dh-status')).toMatch(/^updated in \d+ ms$/);
  const shown = await page.evaluate(sectionsText, undefined);
  expect(shown).toEqual(await page.evaluate(sectionsText, await lessonPage(lesson, { [flag]: Number(value) })));
  expect(shown).not.toEqual(defaults);
  expect(errors).toEqual([]);
  await close();
});
