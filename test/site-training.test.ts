// Lesson 10 trains in the page (site/live/training.ts, site/training-worker.ts):
// a change trains in the worker on the digits shipped with the site
// (digits.js), each epoch's page shows as it comes, stop keeps the page of the
// epochs reached, a newer change takes the place of a running one, and every
// page shown is the CLI's for the settings the status line names (the times
// an epoch took aside: they are the machine's).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import type { Lesson } from '../src/lesson/lesson.ts';
import { commandOutput } from './support/cli.ts';
import { PAGE_WAIT } from './support/chromium.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { change, numbers, trainingSections } from './support/training-page.ts';

const live = siteInBrowser();

/** Small, fast settings: 400 training digits, 5 hidden units. */
const SMALL = { digits: '500', hidden: '5', batch: '20', seed: '3' } as const;

/**
 * The sections after the form as HTML, in the page or in `html` (the CLI's page): the epoch table's seconds and the
 * time of the epochs (lesson 10's mean, lesson 12's sum) blanked.
 */
const sections = (page: Page, html?: string): Promise<string[]> => trainingSections(page, html, '^seconds$', [
  ['took \\d+\\.\\d+ s on average', '', 'took … s on average'],
  ['\\(\\d+\\.\\d s on this machine\\)', '', '(… s on this machine)'],
]);

describe('lesson 10 in the page', () => {
  let page: Page;
  let lesson: Lesson;
  const errors: string[] = [];

  beforeAll(async () => {
    lesson = await findLesson('10');
    const context = await live.browser.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(join(live.site, '10-digits.html')).href);
    await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: PAGE_WAIT });
  });

  afterAll(async () => {
    await page?.context().close();
  });

  test('a change trains with progress, and ends on the CLI\'s page for the same settings', async () => {
    const settings = { ...SMALL, epochs: '2' };
    await change(page, settings);
    await page.waitForFunction(() => window.downhill!.trainings === 1, null, { timeout: PAGE_WAIT });
    expect(await page.textContent('.dh-status')).toMatch(/^trained in \d+\.\d s \(2 epochs\): the page below shows the numbers of downhill lesson 10 --epochs 2 --batch 20 --hidden 5 --seed 3 --digits 500$/);
    expect(await page.evaluate(() => window.downhill!.checkpoints)).toBeGreaterThanOrEqual(1);
    expect(await page.getAttribute('progress', 'aria-valuetext')).toBe('epoch 2 of 2');
    expect(await sections(page)).toEqual(await sections(page, await lessonPage(lesson, numbers(settings))));
    // The digits came from digits.js, once; the page is no longer busy, and the address holds the settings.
    expect(await page.evaluate(() => window.downhill!.libraries.filter((l) => l === 'digits'))).toEqual(['digits']);
    expect(await page.getAttribute('form#dh-live', 'aria-busy')).toBeNull();
    expect(await page.isDisabled('button[name=stop]')).toBe(true);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('hidden') === '5');
    expect(errors).toEqual([]);
  });

  test('stop keeps the page of the epochs reached: the CLI\'s page for --epochs k', async () => {
    await change(page, { ...SMALL, epochs: '200' });
    await page.waitForFunction(() => window.downhill!.checkpoints >= 3, null, { timeout: PAGE_WAIT });
    expect(await page.isEnabled('button[name=stop]')).toBe(true);
    await page.click('button[name=stop]');
    const status = (await page.textContent('.dh-status'))!;
    const reached = /^Stopped after epoch (\d+) of 200: the page below shows the run up to there, the numbers of downhill lesson 10 --epochs (\d+) --batch 20 --hidden 5 --seed 3 --digits 500 \(its times aside\)$/.exec(status);
    expect(reached, status).not.toBeNull();
    expect(reached![2]).toBe(reached![1]);
    const k = reached![1]!;
    expect(Number(k)).toBeGreaterThanOrEqual(1);
    expect(Number(k)).toBeLessThan(200);
    expect(await page.getAttribute('progress', 'aria-valuetext')).toBe(`epoch ${k} of 200`);
    const shown = await sections(page);
    expect(shown).toEqual(await sections(page, await lessonPage(lesson, numbers({ ...SMALL, epochs: k }))));
    // Nothing of the stopped run comes after: the page and the status stay.
    await page.waitForTimeout(1000);
    expect(await sections(page)).toEqual(shown);
    expect(await page.textContent('.dh-status')).toBe(status);
    expect(await page.isDisabled('button[name=stop]')).toBe(true);
    expect(errors).toEqual([]);
  });

  test('a change while training takes the running one\'s place, in the same worker', async () => {
    await change(page, { ...SMALL, epochs: '200' });
    await page.waitForFunction((n) => window.downhill!.checkpoints >= n, await page.evaluate(() => window.downhill!.checkpoints) + 2, { timeout: PAGE_WAIT });
    const runs = await page.evaluate(() => window.downhill!.trainings);
    const settings = { ...SMALL, seed: '4', epochs: '1' };
    await change(page, settings);
    await page.waitForFunction((n) => window.downhill!.trainings > n, runs, { timeout: PAGE_WAIT });
    expect(await page.textContent('.dh-status')).toMatch(/^trained in \d+\.\d s \(1 epoch\): the page below shows the numbers of downhill lesson 10 --epochs 1 --batch 20 --hidden 5 --seed 4 --digits 500$/);
    expect(await sections(page)).toEqual(await sections(page, await lessonPage(lesson, numbers(settings))));
    // The running run stopped at its checkpoint: the worker was not ended, so the digits were not sent again.
    expect(await page.evaluate(() => window.downhill!.libraries.filter((l) => l === 'digits'))).toEqual(['digits']);
    expect(errors).toEqual([]);
  });

  test('settings past the limits of one call are refused with the CLI\'s line, and the page keeps its last run', async () => {
    const before = await sections(page);
    const runs = await page.evaluate(() => window.downhill!.trainings);
    await change(page, { digits: '10000', batch: '20', seed: '4', hidden: '1024', epochs: '100' });
    await page.waitForFunction((n) => window.downhill!.trainings > n, runs, { timeout: PAGE_WAIT });
    const cli = await commandOutput(['lesson', '10', '--digits', '10000', '--batch', '20', '--seed', '4', '--hidden', '1024', '--epochs', '100', '--no-page']);
    expect(cli.code).not.toBe(0);
    expect(await page.textContent('.dh-status')).toBe(cli.stderr.trim());
    expect(await sections(page)).toEqual(before);
    expect(errors).toEqual([]);
  });
});

describe('lesson 10 from a shared link', () => {
  test('the link\'s settings train at once; until the first epoch the numbers shown are marked as the defaults\'', async () => {
    const lesson = await findLesson('10');
    const settings = { ...SMALL, epochs: '1' };
    const context = await live.browser.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
    // Every status line shown, with whether the last section was marked busy then (recorded as the page changes).
    await context.addInitScript(() => {
      const seen: [string, string | null][] = [];
      (window as unknown as { statuses: typeof seen }).statuses = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.dh-status')?.textContent ?? '';
        if (text !== '' && seen.at(-1)?.[0] !== text) seen.push([text, document.querySelector('main > section:last-of-type')?.getAttribute('aria-busy') ?? null]);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${pathToFileURL(join(live.site, '10-digits.html')).href}?${new URLSearchParams(settings)}`);
    await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: PAGE_WAIT });
    expect(await page.inputValue('input[name=hidden]')).toBe('5');
    await page.waitForFunction(() => window.downhill!.trainings === 1, null, { timeout: PAGE_WAIT });
    expect(await sections(page)).toEqual(await sections(page, await lessonPage(lesson, numbers(settings))));
    expect(await page.getAttribute('main > section:last-of-type', 'aria-busy')).toBeNull();
    // The script's first line said the numbers were the defaults', with the page marked busy; the last names the link's command.
    const statuses = await page.evaluate(() => (window as unknown as { statuses: [string, string | null][] }).statuses);
    expect(statuses.slice(0, 2)).toEqual([
      ['the page below was written with the default settings', null], // the static page, as read
      ['training with these settings; the numbers below are still those of downhill lesson 10', 'true'],
    ]);
    expect(statuses.at(-1)![0]).toMatch(/the page below shows the numbers of downhill lesson 10 --epochs 1 --batch 20 --hidden 5 --seed 3 --digits 500$/);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('lesson 12 in the page', () => {
  test('a change trains with progress, and ends on the CLI\'s page for the same settings', async () => {
    const lesson = await findLesson('12');
    const context = await live.browser.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(live.site, '12-attention.html')).href);
    await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: PAGE_WAIT });
    const settings = { sequences: '100', batch: '20', seed: '2', epochs: '3' };
    await change(page, settings);
    await page.waitForFunction(() => window.downhill!.trainings === 1, null, { timeout: PAGE_WAIT });
    expect(await page.textContent('.dh-status')).toMatch(/^trained in \d+\.\d s \(3 epochs\): the page below shows the numbers of downhill lesson 12 --epochs 3 --batch 20 --seed 2 --sequences 100$/);
    expect(await page.evaluate(() => window.downhill!.checkpoints)).toBeGreaterThanOrEqual(1);
    // Every paragraph, the size of the rounding error between the engine's dS and the table's (about 1e-18) too:
    // the initial weights are normal draws, cos 2πu, and the worker's Math.cos is Node's (site/libm.ts).
    const shown = await sections(page);
    expect(shown.join('')).toContain('Checked against the engine:');
    expect(shown).toEqual(await sections(page, await lessonPage(lesson, numbers(settings))));
    // Lesson 12 reads no digits.
    expect(await page.evaluate(() => window.downhill!.libraries)).not.toContain('digits');
    expect(errors).toEqual([]);
    await context.close();
  });
});
