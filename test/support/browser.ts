/**
 * One headless Chromium per test worker, shared by every browser test file
 * the worker runs (vitest.config.ts: isolate false, so this module, and the
 * browser, outlive a file). A test opens its own context (`newContext()`:
 * its own cookies, storage, viewport, clock, offline mode) and closes it when
 * done; it never closes the browser. Launching Chromium took 1.1–1.6 s of CPU
 * each time, a context about 0.4 s: the browser files launched one each.
 * Playwright ends the browser when the worker exits.
 *
 *   const browser = await sharedBrowser();
 *   const context = await browser.newContext({ offline: true });
 *   try { … } finally { await context.close(); }
 */
import { chromium, type Browser } from 'playwright-core';
import { findChromium } from './chromium.ts';

let launched: Promise<Browser> | undefined;

/** This worker's Chromium: launched by the first caller, launched again if it was closed or has crashed. */
export function sharedBrowser(): Promise<Browser> {
  launched ??= chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    .then((browser) => {
      browser.on('disconnected', () => { launched = undefined; });
      return browser;
    }, (error: unknown) => {
      launched = undefined;
      throw error;
    });
  return launched;
}
