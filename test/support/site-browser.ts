/**
 * The live site and headless Chromium for a browser test file: the site
 * built once per run (support/site.ts), the worker's shared browser
 * (support/browser.ts: one per worker, not one per file; a test opens and
 * closes its own contexts, never the browser; support/site-page.ts `opener`
 * reuses a file's tabs, closed with the file), with the browser tests' time
 * limits (support/chromium.ts: at least 5× their quiet times). Call it once,
 * at the top of the file:
 *
 *   const live = siteInBrowser();
 *   test('…', async () => { const context = await live.browser.newContext(); … join(live.site, 'index.html') … });
 */
import { afterAll, beforeAll, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { sharedBrowser } from './browser.ts';
import { sharedSite } from './site.ts';
import { BROWSER_TEST_TIMEOUT, SITE_BUILD_TIMEOUT } from './chromium.ts';

export interface SiteInBrowser {
  /** The built site's folder. */
  readonly site: string;
  readonly browser: Browser;
}

export function siteInBrowser(): SiteInBrowser {
  vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT, hookTimeout: SITE_BUILD_TIMEOUT });
  let site: string | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await sharedSite();
    browser = await sharedBrowser();
  }, SITE_BUILD_TIMEOUT);
  // What the file's tests left open (a page still running its lesson) is closed with the file, as closing its own browser did.
  afterAll(async () => {
    for (const context of browser?.contexts() ?? []) await context.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('siteInBrowser: the site and the browser are ready only inside the tests');
    return value;
  };
  return {
    get site() { return ready(site); },
    get browser() { return ready(browser); },
  };
}
