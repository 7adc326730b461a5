// The live site in a real browser (support/site-page.ts): plots and pictures
// come after the text, and end as the CLI's page; the mountain's descent
// starts where the learner clicks (or presses Enter), with the numbers by hand.
import { describe, expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { commandOutput } from './support/cli.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { close, contentText, holdLibraries, opener, sectionsHtml, setField, sharedPage, textWithoutPictures, type Held } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT } from './support/chromium.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();
const open = opener(live);
// Pages that several tests use one after another, in the order below (support/site-page.ts sharedPage: after a failed
// test the next one gets a fresh page). Each test passes on the page as the one before left it and on a fresh one:
// lesson 5's mountain tests need the lesson's η (0.2) and come before the change of η; lesson 9's slider is dragged
// from the page's start, before lesson 9's other test; lesson 4's mountain is read, at the defaults, on the page whose
// libraries are held back, before its change.
const lesson5 = sharedPage(open, '05-landscape.html');
const lesson9 = sharedPage(open, '09-optimizers.html');
const lesson4Held = sharedPage(open, '04-backprop.html', holdLibraries);

describe('lesson 5: the mountain', () => {
  test('a click on the map starts the descent there, and the update shows the numbers', async () => {
    const { page, errors } = await lesson5.use();
    await page.waitForSelector('figure.dh-mountain[data-ready]');
    const map = page.locator('canvas.dh-map');
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    // The map's plot area (canvas pixels: left, top, width, height) spans w in [-1, 3] and b in [-3, 3]:
    // a quarter across and a quarter down is w = 0, b = 1.5.
    const [left, top, width, height] = (await map.getAttribute('data-plot'))!.split(',').map(Number) as [number, number, number, number];
    const scale = box.width / Number(await map.getAttribute('width'));
    const before = await page.getAttribute('figure.dh-mountain', 'data-start');
    await map.click({ position: { x: (left + width / 4) * scale, y: (top + height / 4) * scale } });
    await page.waitForFunction((s) => document.querySelector('figure.dh-mountain')!.getAttribute('data-start') !== s, before);
    const [w, b] = JSON.parse((await page.getAttribute('figure.dh-mountain', 'data-start'))!) as [number, number];
    expect(Math.abs(w - 0)).toBeLessThan(0.03);
    expect(Math.abs(b - 1.5)).toBeLessThan(0.05);
    // The loss at the start, by hand from the lesson's six points: the page shows it to 6 digits.
    const data = [[0.5, 0.2], [1, 0.6], [1.5, 1.4], [2, 1.8], [2.5, 2.6], [3, 3.1]];
    const loss = data.reduce((s, [x, y]) => s + (y! - (w * x! + b)) ** 2, 0) / data.length;
    const update = (await page.textContent('pre.dh-update'))!;
    expect(update).toContain(`= ${Number(loss.toPrecision(6))}`);
    // One step: w ← w − η·∂L/∂w, with the lesson's η = 0.2 and ∂L/∂w = mean of −2(y − (wx + b))x.
    const dw = data.reduce((s, [x, y]) => s - 2 * (y! - (w * x! + b)) * x!, 0) / data.length;
    expect(update).toContain(`w ← w − η·∂L/∂w = ${Number(w.toPrecision(6))} − 0.2·`);
    expect(update).toContain(`= ${Number((w - 0.2 * dw).toPrecision(6))}`);
    await page.click('button[data-do=step]');
    expect(await page.getAttribute('figure.dh-mountain', 'data-k')).toBe('1');
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('from the keyboard: arrows move the map\'s cursor and Enter starts there; arrows turn the surface; the start is kept when a setting changes', async () => {
    const { page, errors } = await lesson5.use();
    await page.waitForSelector('figure.dh-mountain[data-ready]');
    const start = (): Promise<[number, number]> => page.getAttribute('figure.dh-mountain', 'data-start').then((s) => JSON.parse(s!) as [number, number]);
    const [w0, b0] = await start();
    // Tab reaches both views.
    await page.focus('canvas.dh-map');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('dh-map');
    // Four steps right (each 1/40 of w's range [-1, 3], so 0.1) and one big step up (1/10 of b's range [-3, 3], 0.6).
    for (let n = 0; n < 4; n++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowUp');
    expect(await page.textContent('.dh-cursor')).toContain(`w = ${Number((w0 + 0.4).toPrecision(4))}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((s) => document.querySelector('figure.dh-mountain')!.getAttribute('data-start') !== s, JSON.stringify([w0, b0]));
    const [w, b] = await start();
    expect(w).toBeCloseTo(w0 + 0.4, 9);
    expect(b).toBeCloseTo(b0 + 0.6, 9);
    await page.focus('canvas.dh-surface');
    const turn = await page.getAttribute('canvas.dh-surface', 'data-turn');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getAttribute('canvas.dh-surface', 'data-turn')).not.toBe(turn);
    // A new learning rate reruns the lesson; the mountain keeps the learner's start.
    await setField(page, 'lr', '0.1');
    await page.waitForSelector('figure.dh-mountain[data-ready]');
    expect(await start()).toEqual([w, b]);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('lesson 4\'s mountain says which weight it holds, with the lesson\'s value', async () => {
    // (On the page whose plot and picture libraries are held back, before its change: the mountain needs neither.)
    const { page, errors } = await lesson4Held.use();
    await page.waitForSelector('figure.dh-mountain[data-ready]');
    // w2's start for the default seed, as downhill lesson 4 prints it (with a minus sign, −).
    const w2 = /^\s*w₂\s+(\S+)$/m.exec((await commandOutput(['lesson', '4', '--no-page'])).stdout)![1]!.replace('−', '-');
    expect(await page.textContent('pre.dh-update')).toContain(`held: w2 = ${w2} (this descent moves only w1 and w3)`);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

});

describe('plots and pictures come after the text', () => {
  test('lesson 9: a change made before vega has arrived shows the new numbers at once, then the CLI\'s page with the same plots', async () => {
    const lesson = await findLesson('9');
    const { page, errors, close: closePage } = await open('09-optimizers.html', holdLibraries);
    // The engine warms up, and the page asks for vega ahead (once idle), which is held back.
    await page.waitForFunction(() => window.downhill!.warm);
    await page.waitForFunction(() => (window as unknown as Held).heldLibraries().length > 0);
    expect(await page.evaluate(() => (window as unknown as Held).heldLibraries())).toEqual(['plots.js']);
    await page.fill('input[name=lr]', '0.002');
    await page.dispatchEvent('input[name=lr]', 'change');
    await page.waitForFunction(() => window.downhill!.drafts > 0);
    const cliHtml = await lessonPage(lesson, { lr: 0.002 });
    // The new numbers, every plot that changed a placeholder, nothing complete yet.
    expect(await textWithoutPictures(page)).toEqual(await textWithoutPictures(page, cliHtml));
    expect(await textWithoutPictures(page)).not.toEqual(await textWithoutPictures(page, await lessonPage(lesson)));
    // (a plot being drawn shows the one it replaces, dimmed, or a placeholder)
    expect(await page.locator('main > section figure svg.dh-pending, main > section figure svg.dh-stale').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.downhill!.updates)).toBe(0);
    await page.evaluate(() => (window as unknown as Held).releaseLibraries());
    await page.waitForFunction(() => window.downhill!.updates > 0);
    // The same sections as the CLI's page for the same settings, SVGs and all.
    const sections = (html?: string): Promise<string[]> => sectionsHtml(page, html);
    const shown = await sections();
    expect(shown.join('')).not.toMatch(/dh-pending|dh-stale/);
    expect(shown.map(close)).toEqual((await sections(cliHtml)).map(close));
    expect(await page.textContent('.dh-status')).toMatch(/^updated in \d+ ms$/);
    expect(errors).toEqual([]);
    await closePage();
  }, BROWSER_TEST_TIMEOUT);

  test('lesson 5, vega loaded: a change redraws only the descent paths over the contour maps already drawn: no draft, the CLI\'s page at once', async () => {
    const lesson = await findLesson('5');
    const { page, errors } = await lesson5.use();
    await page.waitForFunction(() => window.downhill!.complete);
    // `complete` says the page's plots are drawn (the build's), not that vega has reached the worker: a first change's
    // full page waits for vega, so it has arrived after this one (a change before it would be a draft, as it should).
    await setField(page, 'lr', '0.25');
    const drafts = await page.evaluate(() => window.downhill!.drafts);
    await setField(page, 'lr', '0.3');
    // Both contour plots' vega SVGs (map, lines, axes, legend) are the ones drawn for the run before; the paths are drawn over them.
    expect(await page.evaluate(() => window.downhill!.drafts)).toBe(drafts);
    const shown = await sectionsHtml(page);
    expect(shown.join('')).not.toMatch(/dh-pending|dh-stale/);
    expect(shown.map(close)).toEqual((await sectionsHtml(page, await lessonPage(lesson, { lr: 0.3 }))).map(close));
    await page.waitForSelector('figure.dh-mountain[data-ready]');
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('lesson 8, its libraries loaded: a change paints the new run\'s numbers first, its three new pictures the ones before them (dimmed, aria-busy), then the CLI\'s page', async () => {
    const lesson = await findLesson('8');
    const { page, errors, close: closePage } = await open('08-xor.html');
    await page.waitForFunction(() => window.downhill!.complete && window.downhill!.warm);
    await setField(page, 'lr', '1.5'); // its full page waits for vega and Graphviz: both have arrived after it
    // The page as painted with the draft: its main element when the draft is counted (before the full page is asked for).
    await page.evaluate(() => {
      const d = window.downhill!;
      let drafts = d.drafts;
      Object.defineProperty(d, 'drafts', {
        get: () => drafts,
        set: (v: number) => {
          drafts = v;
          (window as unknown as { draftHtml: string }).draftHtml = `<main>${document.querySelector('main')!.innerHTML}</main>`;
        },
      });
    });
    await setField(page, 'lr', '2.5');
    const draft = await page.evaluate(() => (window as unknown as { draftHtml?: string }).draftHtml);
    expect(draft).toBeDefined();
    const cliHtml = await lessonPage(lesson, { lr: 2.5 });
    // Every number and sentence of the draft is the new run's (η = 2.5), none the run before's.
    expect(await textWithoutPictures(page, draft)).toEqual(await textWithoutPictures(page, cliHtml));
    // Its loss curve (vega), its network (Graphviz) and its decision boundary were still being drawn: the pictures of
    // η = 1.5, dimmed and busy. (The backpropagation plot is the same at every rate: drawn, not waited for.)
    const stale = await page.evaluate((html) => [...new DOMParser().parseFromString(html, 'text/html').querySelectorAll('main > section figure > svg.dh-stale')]
      .map((svg) => svg.getAttribute('aria-busy')), draft!);
    expect(stale).toEqual(['true', 'true', 'true']);
    // Then the CLI's page for η = 2.5, SVGs and all.
    expect((await sectionsHtml(page)).map(close)).toEqual((await sectionsHtml(page, cliHtml)).map(close));
    expect(errors).toEqual([]);
    await closePage();
  }, BROWSER_TEST_TIMEOUT);

  test('lesson 9: a slider dragged from the start (30 values, 15 ms apart) ends on the CLI\'s page for its last value', async () => {
    const lesson = await findLesson('9');
    const { page, errors } = await lesson9.use();
    for (let k = 0; k < 30; k++) {
      await page.evaluate((position) => {
        const slider = document.querySelector<HTMLInputElement>('input[type=range][data-flag=lr]')!;
        slider.value = String(position);
        slider.dispatchEvent(new Event('input'));
      }, 300 + 10 * k);
      await page.waitForTimeout(15);
    }
    await page.waitForFunction(() => document.querySelector('form[aria-busy]') === null && window.downhill!.updates > 0 && document.querySelector('svg.dh-pending, svg.dh-stale') === null);
    const lr = await page.inputValue('input[name=lr]');
    expect(Number(lr)).not.toBe(lesson.defaults.lr);
    const cliHtml = await lessonPage(lesson, { lr: Number(lr) });
    expect((await sectionsHtml(page)).map(close)).toEqual((await sectionsHtml(page, cliHtml)).map(close));
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('lesson 9: a change replaces only the blocks it changed: Adam\'s rule (not a function of --lr) keeps its nodes, the note naming the rate is new, and the sections are the CLI\'s', async () => {
    const lesson = await findLesson('9');
    const { page, errors } = await lesson9.use();
    await page.waitForFunction(() => window.downhill!.complete && window.downhill!.warm);
    await setField(page, 'lr', '0.0011');
    // Every block of the section of the three rules, marked as the nodes shown now.
    const marked = (): Promise<{ text: string; kept: boolean }[]> => page.evaluate(() => [...document.querySelector('section#three-update-rules')!.children]
      .map((e) => ({ text: (e.textContent ?? '').slice(0, 40), kept: (e as unknown as { dhMark?: boolean }).dhMark === true })));
    await page.evaluate(() => {
      for (const e of document.querySelector('section#three-update-rules')!.children) (e as unknown as { dhMark: boolean }).dhMark = true;
    });
    await setField(page, 'lr', '0.0012');
    const blocks = await marked();
    expect(blocks.find((b) => b.text.startsWith('Adam (η = 0.1'))?.kept).toBe(true);
    expect(blocks.find((b) => b.text.includes('Adam\'s η is a length'))?.kept).toBe(false);
    expect(blocks.filter((b) => b.kept).length).toBeGreaterThan(0);
    const cliHtml = await lessonPage(lesson, { lr: 0.0012 });
    expect((await sectionsHtml(page)).map(close)).toEqual((await sectionsHtml(page, cliHtml)).map(close));
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('lesson 4: its pictures (Graphviz) and step-throughs come to life once their libraries arrive', async () => {
    const lesson = await findLesson('4');
    const { page, errors } = await lesson4Held.use();
    await page.waitForFunction(() => window.downhill!.warm);
    await page.fill('input[name=lr]', '0.4');
    await page.dispatchEvent('input[name=lr]', 'change');
    await page.waitForFunction(() => window.downhill!.drafts > 0);
    expect((await page.evaluate(() => (window as unknown as Held).heldLibraries())).sort()).toEqual(['graphviz.js', 'plots.js']);
    expect(await page.locator('main > section svg.dh-pending, main > section svg.dh-stale').count()).toBeGreaterThan(0);
    await page.evaluate(() => (window as unknown as Held).releaseLibraries());
    await page.waitForFunction(() => window.downhill!.updates > 0);
    expect(await page.locator('svg.dh-pending, svg.dh-stale').count()).toBe(0);
    expect(await contentText(page)).toEqual(await contentText(page, await lessonPage(lesson, { lr: 0.4 })));
    // Every step-through set itself up (its script ran on the real picture).
    const steps = await page.locator('.dh-steps').count();
    expect(steps).toBeGreaterThan(0);
    expect(await page.locator('.dh-steps[data-ready]').count()).toBe(steps);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

});
