/**
 * The live site and one headless Chromium for a browser test file: the site
 * built once per run (support/site.ts), the browser launched before the
 * file's tests and closed after them, with the browser tests' time limits
 * (support/chromium.ts: at least 5× their quiet times). Call it once, at the
 * top of the file:
 *
 *   const live = siteInBrowser();
 *   test('…', async () => { const context = await live.browser.newContext(); … join(live.site, 'index.html') … });
 */
import { afterAll, beforeAll, vi } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { sharedSite } from './site.ts';
import { BROWSER_TEST_TIMEOUT, findChromium, SITE_BUILD_TIMEOUT } from './chromium.ts';

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
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, SITE_BUILD_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
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
