/**
 * Measures the live site in headless Chromium (a script, not a test):
 * for every page opened from file://, when its static content is shown,
 * when its controls are enabled, when the engine has answered once (a
 * draft: text, formulas and tables) and when it has also drawn the page's
 * plots and pictures once (their libraries loaded);
 * for every lesson, the median time from a control change to the updated
 * page; and the bytes each page loads (scripts, styles, fonts).
 *
 *   npx tsx site/measure.ts [out/site] [--changes 9]
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { allLessons, pageFile } from '../src/live.ts';
import { buildSite } from './build.ts';
import { findChromium } from '../test/support/chromium.ts';

const args = process.argv.slice(2);
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? 'out/site');
const changes = Number(args[args.indexOf('--changes') + 1] ?? 9) || 9;
await buildSite(dir);

const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const lessons = await allLessons();
const rows: string[] = [];
for (const file of [...lessons.map(pageFile), 'playground.html']) {
  const context = await browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const resources: string[] = [];
  page.on('requestfinished', (r) => resources.push(r.url()));
  await page.goto(pathToFileURL(resolve(dir, file)).href);
  if (await page.locator('script[src="live.js"]').count() === 0) {
    rows.push(`| ${file} | static page (no script) | — | — | — | — | — | — | — | — | — | — | — |`);
    await context.close();
    continue;
  }
  await page.waitForFunction(() => window.downhill?.ready === true && window.downhill.warm === true && window.downhill.complete === true, null, { timeout: 60_000 });
  const times = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { content: nav.domContentLoadedEventEnd, controls: window.downhill!.readyAt, warm: window.downhill!.warmAt, complete: window.downhill!.completeAt };
  });
  let bytes = 0;
  const kinds: Record<string, number> = {};
  for (const url of new Set(resources)) {
    if (!url.startsWith('file:')) continue;
    const size = (await stat(fileURLToPath(url))).size;
    bytes += size;
    const kind = /\.js$/.test(url) ? 'scripts' : /\.css$/.test(url) ? 'styles' : /\.woff2?$|\.ttf$/.test(url) ? 'fonts' : 'html';
    kinds[kind] = (kinds[kind] ?? 0) + size;
  }
  let latency = NaN;
  let workerLatency = NaN;
  let patchLatency = NaN;
  let textLatency = NaN;
  const flag = await page.evaluate(() => {
    const meta = document.querySelector('script#dh-lesson');
    if (!meta) return undefined;
    return (JSON.parse(meta.textContent ?? '{}') as { flags: { flag: string; value: number }[] }).flags[0];
  });
  if (flag !== undefined) {
    const ms: number[] = [];
    const inWorker: number[] = [];
    const patching: number[] = [];
    const text: number[] = [];
    for (let k = 0; k < changes; k++) {
      // A new setting every time (the worker keeps the plots it drew: a setting seen before would only measure that cache).
      const value = flag.flag === 'lr' ? flag.value * (k % 2 === 0 ? 1.1 + 0.02 * k : 0.9 - 0.02 * k) : flag.value + 1 + k;
      const before = await page.evaluate(() => window.downhill!.updates);
      await page.fill(`input[name=${flag.flag}]`, String(Number(value.toPrecision(4))));
      await page.dispatchEvent(`input[name=${flag.flag}]`, 'change');
      await page.waitForFunction((n) => window.downhill!.updates > n, before, { timeout: 60_000 });
      ms.push(await page.evaluate(() => window.downhill!.lastMs));
      inWorker.push(await page.evaluate(() => window.downhill!.lessonMs));
      patching.push(await page.evaluate(() => window.downhill!.patchMs));
      text.push(await page.evaluate(() => window.downhill!.textMs));
    }
    latency = median(ms);
    workerLatency = median(inWorker);
    patchLatency = median(patching);
    textLatency = median(text);
  }
  const kb = (n: number | undefined): string => ((n ?? 0) / 1024).toFixed(0);
  rows.push(`| ${file} | ${flag?.flag ?? '—'} | ${Number.isNaN(latency) ? '— | —' : `${latency.toFixed(0)} (${workerLatency.toFixed(0)}, ${patchLatency.toFixed(0)}) | ${textLatency.toFixed(0)}`} | ${times.content.toFixed(0)} | ${times.controls.toFixed(0)} | ${times.warm.toFixed(0)} | ${times.complete.toFixed(0)} | ${kb(bytes)} | ${kb(kinds['html'])} | ${kb(kinds['scripts'])} | ${kb(kinds['styles'])} | ${kb(kinds['fonts'])} |${errors.length > 0 ? ` errors: ${errors.join('; ')}` : ''}`);
  await context.close();
}
await browser.close();
process.stdout.write([
  `Chromium (${findChromium()}), pages from file://, ${changes} changes per lesson; times in ms, sizes in KiB.`,
  '',
  '| page | control changed | change → updated page, median (of which: the lesson run in the worker, the draft\'s when plots come after; the page\'s patch) | change → its text, median | static content shown | controls enabled | engine\'s first answer | plots drawn too | bytes loaded | html | scripts | styles | fonts |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
].join('\n'));
