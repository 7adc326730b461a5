// End to end in a real browser: every lesson page, as `downhill lessons --html`
// writes it (written with the shared site build, from the same runs of the lessons at their defaults:
// support/site.ts LESSON_PAGES), and every page of the formula reference, opened from disk in headless Chromium (Debian's `chromium`,
// driven by playwright-core). No console errors, no KaTeX error boxes, every
// formula and every plot laid out with a non-zero size. (Screenshots are for
// people, not assertions: `npx tsx site/screens.ts <folder> shots/ <page>.html`
// takes them, of these pages too; a full-page screenshot of each page here
// was half this file's time.)
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { allLessons } from '../src/lesson/registry.ts';
import { sharedBrowser } from './support/browser.ts';
import { LESSON_PAGES, sharedSite } from './support/site.ts';
import { BROWSER_TEST_TIMEOUT, SITE_BUILD_TIMEOUT } from './support/chromium.ts';

// Browser tests: time limits at least 5× their quiet times (support/chromium.ts).
vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT, hookTimeout: SITE_BUILD_TIMEOUT });

let context: BrowserContext | undefined;
let site = '';
let pages: string[] = [];

beforeAll(async () => {
  site = join(await sharedSite(), LESSON_PAGES);
  pages = (await readdir(site)).filter((f) => f.endsWith('.html')).sort();
  // A fresh context (its own empty profile: no cache, cookies or storage) in the worker's shared browser.
  context = await (await sharedBrowser()).newContext({ viewport: { width: 1000, height: 800 }, offline: true });
}, SITE_BUILD_TIMEOUT);

afterAll(async () => {
  await context?.close();
});

interface PageReport {
  readonly errors: string[];
  readonly katex: number;
  readonly katexErrors: number;
  readonly emptyFormulas: string[];
  readonly plots: number;
  readonly badSvgs: string[];
  readonly images: number;
  readonly brokenImages: string[];
  /** The page's width at 390 px (a phone): document.scrollingElement.scrollWidth. */
  readonly phoneWidth: number;
}

/**
 * The tab `inspect` opens the pages in, one after another, and what each page logged (console errors, failed
 * requests, uncaught exceptions) since it was opened: the pages of a test share one tab (a new tab for each page
 * took 0.4–1.7 s of the file's 1–4 s per page at load 20; the pages are static, each navigation a new document).
 */
let tab: { readonly page: Page; errors: string[] } | undefined;

async function openTab(): Promise<{ readonly page: Page; errors: string[] }> {
  if (tab !== undefined) return tab;
  const page = await context!.newPage();
  const opened = { page, errors: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') opened.errors.push(m.text());
  });
  page.on('pageerror', (e) => opened.errors.push(e.message));
  page.on('requestfailed', (r) => opened.errors.push(`request failed: ${r.url()}`));
  tab = opened;
  return opened;
}

/** Opens a page from disk (in the shared tab, at 1000 × 800) and measures it, then its width at 390 px. */
async function inspect(path: string): Promise<PageReport> {
  const opened = await openTab();
  const { page } = opened;
  if (page.viewportSize()?.width !== 1000) await page.setViewportSize({ width: 1000, height: 800 });
  const errors: string[] = [];
  opened.errors = errors;
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const report = await page.evaluate(() => {
    const visible = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const katex = [...document.querySelectorAll('.katex')];
    const svgs = [...document.querySelectorAll('svg')];
    const images = [...document.querySelectorAll('img')];
    return {
      katex: katex.length,
      katexErrors: document.querySelectorAll('.katex-error').length,
      emptyFormulas: katex.filter((el) => !visible(el)).map((el) => (el.textContent ?? '').slice(0, 60)),
      // Plots are the figures' SVGs (KaTeX draws some symbols, such as roots, as SVG too).
      plots: document.querySelectorAll('figure > svg').length,
      badSvgs: svgs.map((el, i) => ({ el, i })).filter(({ el }) => !visible(el)).map(({ el, i }) => `svg ${i + 1} (${el.getAttribute('width')}×${el.getAttribute('height')})`),
      images: images.length,
      brokenImages: images.filter((img) => !img.complete || img.naturalWidth === 0 || !visible(img)).map((img) => img.getAttribute('src') ?? '?'),
    };
  });
  await page.setViewportSize({ width: 390, height: 844 });
  const phoneWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  return { errors: [...errors], ...report, phoneWidth };
}

function expectClean(name: string, report: PageReport): void {
  expect.soft(report.errors, `${name}: console errors`).toEqual([]);
  expect.soft(report.katexErrors, `${name}: KaTeX error elements`).toBe(0);
  expect.soft(report.emptyFormulas, `${name}: formulas with no size`).toEqual([]);
  expect.soft(report.badSvgs, `${name}: plots with no size or hidden`).toEqual([]);
  expect.soft(report.brokenImages, `${name}: images that did not load`).toEqual([]);
  // Tables and displayed formulas scroll inside their own box; the page never scrolls sideways on a phone.
  expect.soft(report.phoneWidth, `${name}: width at 390 px`).toBeLessThanOrEqual(390);
}

describe('the lesson pages in headless Chromium', () => {
  test('the site has the index and one page per lesson', async () => {
    const lessons = await allLessons();
    expect(pages).toContain('index.html');
    expect(pages.length).toBe(lessons.length + 1);
  });

  test('every page loads with no console error, every formula rendered, every plot visible, no wider than a 390 px phone', async () => {
    for (const file of pages) {
      const report = await inspect(join(site, file));
      expectClean(file, report);
      if (file !== 'index.html') {
        expect.soft(report.katex, `${file}: formulas on the page`).toBeGreaterThan(0);
        expect.soft(report.plots, `${file}: plots on the page`).toBeGreaterThan(0);
      }
    }
  }, SITE_BUILD_TIMEOUT); // every page, one after another
});

describe('the formula reference (docs/formulas) in headless Chromium', () => {
  test('every page loads with no console error, every formula rendered, every plot image loaded, no wider than a 390 px phone', async () => {
    const dir = resolve('docs/formulas');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.html')).sort();
    expect(files).toContain('index.html');
    for (const file of files) {
      const report = await inspect(join(dir, file));
      expectClean(`docs/formulas/${file}`, report);
      if (file !== 'index.html') {
        expect.soft(report.katex, `${file}: formulas on the page`).toBeGreaterThan(0);
        expect.soft(report.images, `${file}: plot images on the page`).toBeGreaterThan(0);
      }
    }
  }, SITE_BUILD_TIMEOUT); // every page, one after another
});

describe("lesson 4's step-through picture in headless Chromium", () => {
  test('predict mode hides every value and gradient until its step, asks first ("= ?"), then shows the number', async () => {
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(site, '04-backprop.html')).href, { waitUntil: 'load' });
    const steps = page.locator('.dh-steps').first();
    // The numbers drawn in the picture that are visible now: values (= …), the nodes' gradients (∂L/∂… = …)
    // and the edges' contributions (+= …); the edges' local derivatives are formulas and stay.
    const visibleNumbers = (): Promise<number> => steps.evaluate((root) => [...root.querySelectorAll('svg text')]
      .filter((t) => {
        const text = t.textContent ?? '';
        const inNode = t.closest('g.node') !== null;
        return (/^= |\+=/.test(text) || (inNode && /^∂.*\/∂.* = /.test(text))) && getComputedStyle(t).visibility !== 'hidden';
      }).length);
    const status = (): Promise<string> => steps.locator('.dh-steps-status').innerText();
    const shownAtFirst = await visibleNumbers();
    expect(shownAtFirst).toBeGreaterThan(10);
    await steps.locator('input[data-predict]').check();
    expect(await visibleNumbers()).toBe(0);
    await steps.locator('button[data-step="next"]').click();
    expect(await status()).toMatch(/forward pass, step 1 of \d+: .*= \? \(predict it, then press next\)$/);
    expect(await visibleNumbers()).toBe(0);
    await steps.locator('button[data-step="next"]').click();
    expect(await status()).not.toContain('?');
    expect(await visibleNumbers()).toBe(1);
    // Unchecking shows everything again.
    await steps.locator('input[data-predict]').uncheck();
    expect(await visibleNumbers()).toBe(shownAtFirst);
    expect(errors).toEqual([]);
    await page.close();
  }, BROWSER_TEST_TIMEOUT);
});
