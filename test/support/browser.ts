/**
 * One headless Chromium per test worker, shared by every browser test file
 * the worker runs (vitest.config.ts: isolate false, so this module, and the
 * browser, outlive a file). A test opens its own context (`newContext()`:
 * its own cookies, storage, viewport, clock, offline mode) and closes it when
 * done; it never closes the browser. Its waits get PAGE_WAIT when they name no time limit, and its
 * waitForFunction checks every POLL_MS when it names no polling. Launching Chromium took 1.1–1.6 s of CPU
 * each time, a context about 0.4 s: the browser files launched one each.
 * Playwright ends the browser when the worker exits.
 *
 *   const browser = await sharedBrowser();
 *   const context = await browser.newContext({ offline: true });
 *   try { … } finally { await context.close(); }
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium, PAGE_WAIT } from './chromium.ts';

let launched: Promise<Browser> | undefined;

/**
 * How often a page's waitForFunction checks its condition when the test names no polling. Playwright's default checks
 * it at every animation frame, which makes the page draw frames the whole wait: waiting 10 s for a condition took
 * 0.8-1.0 s of Chromium's CPU so, 0.15-0.3 s at 50 ms, about what the page takes idle (measured at load 18-28). The
 * browser tests spend most of their time waiting for the page's worker; a condition is seen at most 50 ms later.
 */
const POLL_MS = 50;

function pollEvery(page: Page): void {
  const waitForFunction = page.waitForFunction.bind(page);
  page.waitForFunction = ((fn: Parameters<Page['waitForFunction']>[0], arg?: unknown, options?: Parameters<Page['waitForFunction']>[2]) =>
    waitForFunction(fn, arg, { polling: POLL_MS, ...options })) as Page['waitForFunction'];
}

/** This worker's Chromium: launched by the first caller, launched again if it was closed or has crashed. */
export function sharedBrowser(): Promise<Browser> {
  launched ??= chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    .then((browser) => {
      browser.on('disconnected', () => { launched = undefined; });
      // A wait that names no time limit (waitForFunction, waitForSelector, goto, a click) gets PAGE_WAIT, at least 5× the
      // slowest wait's quiet time (support/chromium.ts), not Playwright's 30 s: at load 20-36 a page's first change took
      // 4 s, 2-3× its quiet time, and lesson 10's live rerun takes about 20 s alone.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...options: Parameters<Browser['newContext']>) => {
        const context = await newContext(...options);
        context.setDefaultTimeout(PAGE_WAIT);
        context.on('page', pollEvery);
        return context;
      };
      return browser;
    }, (error: unknown) => {
      launched = undefined;
      throw error;
    });
  return launched;
}
