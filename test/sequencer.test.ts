// The order of a test run's files (test/support/sequencer.ts): while the site is being built, the files that need it
// wait behind a head start of others, in vitest's order otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { needsSite, siteAfterHeadStart } from './support/sequencer.ts';

describe('siteAfterHeadStart(order, usesSite, ms, headStart)', () => {
  const ms: Record<string, number> = { site: 90, browser: 80, sweep: 30, authoring: 25, pages: 20, small: 5, tiny: 1 };
  const usesSite = (f: string): boolean => ['site', 'browser', 'pages'].includes(f);
  const order = ['site', 'browser', 'sweep', 'authoring', 'pages', 'small', 'tiny'];

  test('moves the site\'s files behind others until their times reach the head start, keeping every other place', () => {
    // 30 + 25 = 55 ≥ 50: sweep and authoring go first, then the rest as they were.
    expect(siteAfterHeadStart(order, usesSite, (f) => ms[f]!, 50)).toEqual(['sweep', 'authoring', 'site', 'browser', 'pages', 'small', 'tiny']);
    // 30 + 25 + 5 + 1 = 61 < 100: every other file first.
    expect(siteAfterHeadStart(order, usesSite, (f) => ms[f]!, 100)).toEqual(['sweep', 'authoring', 'small', 'tiny', 'site', 'browser', 'pages']);
    expect(siteAfterHeadStart(order, usesSite, (f) => ms[f]!, 0)).toEqual(order);
  });

  test('every file once, whatever the head start', () => {
    for (const headStart of [0, 10, 31, 56, 1000]) expect([...siteAfterHeadStart(order, usesSite, (f) => ms[f]!, headStart)].sort()).toEqual([...order].sort());
  });
});

test('the files that need the site are those that call siteInBrowser( or sharedSite(', () => {
  const dir = new URL('./', import.meta.url);
  const using = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && needsSite(readFileSync(new URL(f, dir), 'utf8')));
  expect(using).toEqual(expect.arrayContaining(['browser.test.ts', 'site.test.ts', 'site-pages.test.ts', 'site-scripts.test.ts']));
  expect(using).not.toContain('package.test.ts');
  expect(needsSite('const live = siteInBrowser();')).toBe(true);
  expect(needsSite("import { siteInBrowser } from './support/site-browser.ts';")).toBe(false);
});
