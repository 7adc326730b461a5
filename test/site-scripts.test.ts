// A live page of the site whose script does not load (copied without it, a
// file removed) says so in one line on the page, naming the file, rather than
// staying silent with its controls greyed out. Headless Chromium, the page
// opened from disk; the built site is test/support/site.ts's, copied.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { scriptErrorText } from '../site/scripts.ts';
import { sharedBrowser } from './support/browser.ts';
import { sharedSite } from './support/site.ts';
import { BROWSER_TEST_TIMEOUT, SITE_BUILD_TIMEOUT } from './support/chromium.ts';

vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT, hookTimeout: SITE_BUILD_TIMEOUT });

let browser: Browser | undefined;
let site = '';
let copy = '';

beforeAll(async () => {
  site = await sharedSite();
  copy = mkdtempSync(join(tmpdir(), 'downhill-site-scripts-'));
  cpSync(site, copy, { recursive: true });
  browser = await sharedBrowser();
}, SITE_BUILD_TIMEOUT);

afterAll(async () => {
  rmSync(copy, { recursive: true, force: true });
});

/** The lines the page shows about its scripts, once it has been read and its scripts have loaded or failed. */
async function scriptLines(folder: string, file: string): Promise<{ lines: string[]; first: boolean; disabled: boolean }> {
  const context = await browser!.newContext({ offline: true });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(folder, file)).href, { waitUntil: 'load' });
  const result = await page.evaluate(() => ({
    lines: [...document.querySelectorAll('.dh-script-error')].map((p) => p.textContent ?? ''),
    first: document.querySelector('main')?.firstElementChild?.classList.contains('dh-script-error') ?? false,
    disabled: document.querySelector('fieldset')?.disabled ?? false,
  }));
  await context.close();
  return result;
}

describe('a live page whose script did not load', () => {
  test('every live page built carries the line for each of its scripts', () => {
    const pages = readdirSync(site).filter((f) => f.endsWith('.html'));
    const live = pages.filter((f) => readFileSync(join(site, f), 'utf8').includes('src="live.js"'));
    expect(live).toContain('playground.html');
    expect(live.length).toBeGreaterThan(3);
    for (const f of live) {
      const html = readFileSync(join(site, f), 'utf8');
      for (const script of ['engine.js', 'live.js'] as const) expect(html, f).toContain(scriptErrorText(script));
    }
  });

  test('without engine.js and live.js: one line each, first in the page, naming the file; the settings stay off', async () => {
    rmSync(join(copy, 'engine.js'));
    rmSync(join(copy, 'live.js'));
    const practice = readdirSync(copy).find((f) => f.startsWith('practice-'));
    for (const file of ['playground.html', '08-xor.html', ...(practice === undefined ? [] : [practice])]) {
      const { lines, first, disabled } = await scriptLines(copy, file);
      expect(lines.sort(), file).toEqual([scriptErrorText('engine.js'), scriptErrorText('live.js')].sort());
      expect(lines.every((l) => !l.includes('\n')), file).toBe(true);
      expect(first, file).toBe(true);
      if (!file.startsWith('practice-')) expect(disabled, file).toBe(true); // a practice page's answer boxes are plain fields
    }
  });

  test('with its scripts there, the same page says nothing about them', async () => {
    const { lines } = await scriptLines(site, 'playground.html');
    expect(lines).toEqual([]);
  });
});
