/**
 * Screenshots and the phone check of a built site (`npm run site` first):
 * every page at 390 px wide (its scroll width, and the widest elements when
 * it is wider than the screen), and full-page screenshots of the pages named
 * on the command line at 1280×800 and 390×844, light and dark.
 *
 *   npx tsx site/screens.ts out/site shots/ 04-backprop.html 10-digits.html
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { findChromium } from '../test/support/chromium.ts';

const [siteArg = 'out/site', outArg = 'screens', ...shots] = process.argv.slice(2);
const site = resolve(siteArg);
const out = resolve(outArg);
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const files = (await readdir(site)).filter((f) => f.endsWith('.html')).sort();

async function open(file: string, width: number, height: number, scheme: 'light' | 'dark') {
  const context = await browser.newContext({ viewport: { width, height }, offline: true, colorScheme: scheme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(site, file)).href);
  if (await page.locator('script[src="live.js"]').count() > 0) {
    // Until the engine has answered once (and drawn the page's plots), so the page is as a learner sees it.
    const playground = await page.locator('#dh-results').count() > 0;
    if (playground) {
      await page.waitForSelector('#dh-results:not([hidden])', { timeout: 90_000 }).catch(() => undefined);
      // The graph loads Graphviz once it comes near the screen.
      await page.locator('.dh-graph').scrollIntoViewIfNeeded();
      await page.waitForSelector('.dh-graph svg[role=img]:not(.dh-pending)', { timeout: 90_000 }).catch(() => undefined);
      await page.evaluate(() => window.scrollTo(0, 0));
    } else {
      await page.waitForFunction(() => (window as { downhill?: { complete?: boolean } }).downhill?.complete === true, null, { timeout: 90_000 }).catch(() => undefined);
    }
    await page.waitForFunction(() => [...document.querySelectorAll('figure.dh-mountain')].every((f) => f.hasAttribute('data-ready')), null, { timeout: 30_000 }).catch(() => undefined);
  }
  await page.waitForTimeout(1500);
  return { page, context };
}

for (const file of files) {
  const { page, context } = await open(file, 390, 844, 'light');
  const report = await page.evaluate(() => {
    const width = document.scrollingElement!.scrollWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > 391 && getComputedStyle(el).position !== 'fixed')
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= 391)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className && typeof el.className === 'string' ? el.className.split(' ')[0] : ''} right=${Math.round(el.getBoundingClientRect().right)} "${(el.textContent ?? '').slice(0, 40).replace(/\s+/g, ' ')}"`);
    return { width, wide };
  });
  console.log(`${file.padEnd(24)} ${report.width} px${report.width > 390 ? `  WIDER: ${report.wide.join(' | ')}` : ''}`);
  await context.close();
}
for (const file of shots) {
  for (const [w, h, tag] of [[1280, 800, 'desktop'], [390, 844, 'phone']] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      if (scheme === 'dark' && tag === 'phone') continue;
      const { page, context } = await open(file, w, h, scheme);
      const path = join(out, `${file.replace(/\.html$/, '')}-${tag}${scheme === 'dark' ? '-dark' : ''}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(`wrote ${path}`);
      await context.close();
    }
  }
}
await browser.close();
