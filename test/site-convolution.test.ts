// Lesson 11 trains in the page (site/live/training.ts, site/training-worker.ts)
// on the digits shipped with the site (digits.js, lesson 10's file): a change
// trains in the worker, the learned filters and the digit's feature maps are
// redrawn as epochs end, the page it ends on is the CLI's for the same
// settings, a stop shows the run so far (which is no shorter command's run:
// the step size falls over the whole run, and the page says so), and a
// setting past the lesson's limits gets the CLI's line.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonDocument, lessonPage } from '../src/lesson/run.ts';
import type { Lesson } from '../src/lesson/lesson.ts';
import type { Document } from '../src/render/document.ts';
import { documentHtml } from '../src/render/html.ts';
import { commandOutput } from './support/cli.ts';
import { PAGE_WAIT } from './support/chromium.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { change, numbers, trainingSections } from './support/training-page.ts';

const live = siteInBrowser();

/**
 * The sections after the form as HTML, in the page or in `html` (the CLI's page), with the run's times blanked: the
 * epoch table's and the comparison's seconds, the sentences that quote them, and what the clock counts (Node's is CPU
 * time, a browser worker's the wall's: "CPU seconds" against "seconds").
 */
const sections = (page: Page, html?: string): Promise<string[]> => trainingSections(page, html, 'seconds', [
  ['CPU (seconds|time)', 'g', '$1'],
  ['took \\d+\\.\\d+ seconds', '', 'took … seconds'],
  ['took [\\d.e+-]+ times the dense', '', 'took … times the dense'],
]);

/** Node's page of the run with `settings` after epoch k (a checkpoint's page, as the worker draws it); the run goes no further. */
async function checkpointPage(lesson: Lesson, settings: Readonly<Record<string, string>>, k: number): Promise<string> {
  let at: Document | undefined;
  const enough = new Error('enough');
  await lessonDocument(lesson, numbers(settings), null, async (c) => {
    if (c.done < k) return;
    at = await c.document();
    throw enough;
  }).catch((e: unknown) => {
    if (e !== enough) throw e;
  });
  return documentHtml(at!);
}

describe('lesson 11 in the page', () => {
  let page: Page;
  let lesson: Lesson;
  const errors: string[] = [];

  beforeAll(async () => {
    lesson = await findLesson('11');
    const context = await live.browser.newContext({ viewport: { width: 1000, height: 800 }, offline: true });
    // Every caption of the learned filters and the digit's feature maps shown, with its pictures (recorded as the page changes).
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { pictures: string[] }).pictures = seen;
      new MutationObserver(() => {
        for (const figure of document.querySelectorAll('figure')) {
          const caption = figure.querySelector('figcaption')?.textContent ?? '';
          if (!/^The (8 filters|feature maps of the same \d) after epoch/.test(caption)) continue;
          const shown = `${caption}\n${figure.innerHTML.length}:${[...figure.innerHTML.matchAll(/base64,([A-Za-z0-9+/=]{0,4000})/g)].map((m) => m[1]).join('')}`;
          if (!seen.includes(shown)) seen.push(shown);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(join(live.site, '11-convolution.html')).href);
    await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: PAGE_WAIT });
  });

  afterAll(async () => {
    await page?.context().close();
  });

  test('a change trains with progress, redraws the filters and feature maps, and ends on the CLI\'s page for the same settings', async () => {
    // The page says which digits it trains on: the lesson's own sentence, as the CLI prints it.
    expect(await page.textContent('main')).toContain('The same digits as in lesson 10: shuffled with seed 1, 8,000 train the network and the next 2,000 test it.');
    const settings = { digits: '300', batch: '20', seed: '3', epochs: '2' };
    // The pictures recorded so far are the static page's (the defaults').
    const from = await page.evaluate(() => (window as unknown as { pictures: string[] }).pictures.length);
    await change(page, settings);
    await page.waitForFunction(() => window.downhill!.trainings === 1, null, { timeout: PAGE_WAIT });
    expect(await page.textContent('.dh-status')).toMatch(/^trained in \d+\.\d s \(2 epochs\): the page below shows the numbers of downhill lesson 11 --epochs 2 --batch 20 --seed 3 --digits 300$/);
    expect(await page.evaluate(() => window.downhill!.checkpoints)).toBeGreaterThanOrEqual(1);
    expect(await page.getAttribute('progress', 'aria-valuetext')).toBe('epoch 2 of 2');
    expect(await sections(page)).toEqual(await sections(page, await lessonPage(lesson, numbers(settings))));
    // The filters and the feature maps were drawn after epoch 1 (a checkpoint), then after epoch 2: other pictures.
    const pictures = (await page.evaluate(() => (window as unknown as { pictures: string[] }).pictures)).slice(from);
    const filters = pictures.filter((p) => p.startsWith('The 8 filters after epoch'));
    const maps = pictures.filter((p) => p.startsWith('The feature maps of the same'));
    for (const drawn of [filters, maps]) {
      const epochs = drawn.map((p) => Number(/after epoch (\d+)/.exec(p)![1]));
      expect(epochs).toEqual([1, 2]);
      expect(new Set(drawn.map((p) => p.slice(p.indexOf('\n')))).size).toBe(drawn.length);
    }
    // The digits came from digits.js, once; the page is no longer busy, and the address holds the settings.
    expect(await page.evaluate(() => window.downhill!.libraries.filter((l) => l === 'digits'))).toEqual(['digits']);
    expect(await page.getAttribute('form#dh-live', 'aria-busy')).toBeNull();
    expect(await page.isDisabled('button[name=stop]')).toBe(true);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('digits') === '300');
    expect(errors).toEqual([]);
  });

  test('stop works inside an epoch: the bar moves as the epoch goes, and the run ends at its next tick, in the same worker', async () => {
    const before = await sections(page);
    const runs = await page.evaluate(() => window.downhill!.trainings);
    const checkpoints = await page.evaluate(() => window.downhill!.checkpoints);
    // One epoch of 8,000 digits in batches of 16: seconds, with a tick every 8 batches.
    await change(page, { digits: '10000', batch: '16', seed: '3', epochs: '1' });
    await page.waitForFunction(() => /^epoch 1 of 1, \d+% through$/.test(document.querySelector('progress')?.getAttribute('aria-valuetext') ?? ''), null, { timeout: PAGE_WAIT });
    expect(await page.evaluate(() => window.downhill!.checkpoints)).toBe(checkpoints);
    await page.click('button[name=stop]');
    expect(await page.textContent('.dh-status')).toBe('Stopped before the first checkpoint: the page below still shows the numbers of downhill lesson 11 --epochs 2 --batch 20 --seed 3 --digits 300');
    expect(await sections(page)).toEqual(before);
    // The next run trains in the same worker (one that had not stopped within 2 s would have been ended, and its successor read digits.js again).
    const settings = { digits: '100', batch: '20', seed: '5', epochs: '1' };
    await change(page, settings);
    await page.waitForFunction((n) => window.downhill!.trainings > n + 1, runs, { timeout: PAGE_WAIT });
    expect(await page.textContent('.dh-status')).toMatch(/^trained in \d+\.\d s \(1 epoch\): the page below shows the numbers of downhill lesson 11 --epochs 1 --batch 20 --seed 5 --digits 100$/);
    expect(await page.evaluate(() => window.downhill!.libraries.filter((l) => l === 'digits'))).toEqual(['digits']);
    expect(await sections(page)).toEqual(await sections(page, await lessonPage(lesson, numbers(settings))));
    expect(errors).toEqual([]);
  });

  test('stop keeps the run so far, which the page says is no shorter command\'s run: Node\'s page of that run after epoch k', async () => {
    const settings = { digits: '200', batch: '20', seed: '3', epochs: '40' };
    const checkpoints = await page.evaluate(() => window.downhill!.checkpoints);
    await change(page, settings);
    await page.waitForFunction((n) => window.downhill!.checkpoints >= n + 2, checkpoints, { timeout: PAGE_WAIT });
    await page.click('button[name=stop]');
    const status = (await page.textContent('.dh-status'))!;
    const reached = /^Stopped after epoch (\d+) of 40: the page below shows the run of downhill lesson 11 --epochs 40 --batch 20 --seed 3 --digits 200 up to there \(that command trains on to epoch 40; no command stops here\)$/.exec(status);
    expect(reached, status).not.toBeNull();
    const k = Number(reached![1]);
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(40);
    expect(await page.getAttribute('progress', 'aria-valuetext')).toBe(`epoch ${k} of 40`);
    const shown = await sections(page);
    expect(shown.join('')).toContain(`This is the run after epoch ${k} of 40`);
    expect(shown).toEqual(await sections(page, await checkpointPage(lesson, settings, k)));
    // Nothing of the stopped run comes after: the page and the status stay.
    await page.waitForTimeout(1000);
    expect(await sections(page)).toEqual(shown);
    expect(await page.textContent('.dh-status')).toBe(status);
    expect(await page.isDisabled('button[name=stop]')).toBe(true);
    expect(errors).toEqual([]);
  });

  test('settings past the lesson\'s limits are refused with the CLI\'s line, and the page keeps its last run', async () => {
    const before = await sections(page);
    const runs = await page.evaluate(() => window.downhill!.trainings);
    await change(page, { digits: '10000', seed: '4', batch: '1', epochs: '12' });
    await page.waitForFunction((n) => window.downhill!.trainings > n, runs, { timeout: PAGE_WAIT });
    const cli = await commandOutput(['lesson', '11', '--digits', '10000', '--seed', '4', '--batch', '1', '--epochs', '12', '--no-page']);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr.trim()).toMatch(/^downhill lesson: /);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(await page.textContent('.dh-status')).toBe(cli.stderr.trim());
    expect(await sections(page)).toEqual(before);
    expect(errors).toEqual([]);
  });
});
