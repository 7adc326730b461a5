/**
 * Measures the live site in headless Chromium (a script, not a test), the way
 * a learner waits:
 * - for every live lesson and every one of its controls, `--changes` changes,
 *   each timed from the control's change event (its timeStamp) to the frame
 *   painted after the page's last DOM change for it (requestAnimationFrame,
 *   then a task: that task runs once the frame's style, layout and paint are
 *   done; see afterPaint in site/live/engine.ts). Of which: the lesson's run
 *   in the worker, and the page's patch of its sections;
 * - for every page, the engine's first answer after load (from navigation
 *   start), and, opened as a shared link with another value of its first
 *   control, when that link's own numbers are painted;
 * - the bytes each page loads, and the machine's load average while measuring
 *   (timings on a shared machine are noisy: compare ratios taken in one run).
 *
 *   npx tsx site/measure.ts [out/site] [--changes 7] [--no-build] [--only 03,08]
 */
import { stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { allLessons, pageFile } from '../src/live.ts';
import type { FlagControl } from './build.ts';
import { buildSite } from './build.ts';
import { findChromium } from '../test/support/chromium.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const dir = resolve(args.find((a, k) => !a.startsWith('--') && !['--changes', '--only'].includes(args[k - 1] ?? '')) ?? 'out/site');
const changes = Number(option('--changes') ?? 7) || 7;
const only = option('--only')?.split(',');
if (!args.includes('--no-build')) await buildSite(dir);

const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => {
  const s = sorted(xs);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '—');
const load = (): string => loadavg()[0]!.toFixed(1);

/** The k-th new value of a control: never one seen before in this page (a cache hit would measure only the cache). */
function valueOf(f: FlagControl, k: number): string {
  switch (f.kind) {
    case 'boolean': return String(k % 2 === 0 ? !f.value : f.value);
    case 'choice': return f.choices[(f.choices.indexOf(f.value) + 1 + k) % f.choices.length]!;
    case 'number': {
      if (f.integer) return String(Math.min(f.max, f.value + 1 + k));
      if (f.max <= 1) return String(Number((f.value * (0.99 - 0.01 * k)).toPrecision(4)));
      const v = f.value * (k % 2 === 0 ? 1.1 + 0.02 * k : 0.9 - 0.02 * k);
      return String(Number(v.toPrecision(4)));
    }
  }
}

/** Sets a control as a learner would leave it (the field's change event, the checkbox's, the menu's) and waits for the painted frame. */
async function change(page: Page, f: FlagControl, value: string): Promise<{ painted: number; worker: number; patch: number }> {
  const before = await page.evaluate(() => window.downhill!.painted);
  await page.evaluate(([flag, kind, v]) => {
    const control = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${flag}]`)!;
    if (kind === 'boolean') (control as HTMLInputElement).checked = v === 'true';
    else control.value = v;
    control.dispatchEvent(new Event('change'));
  }, [f.flag, f.kind, value] as const);
  await page.waitForFunction((n) => window.downhill!.painted > n, before, { timeout: 120_000 });
  return page.evaluate(() => ({ painted: window.downhill!.paintedMs, worker: window.downhill!.lessonMs, patch: window.downhill!.patchMs }));
}

const lessons = await allLessons();
const latency: string[] = [];
const start: string[] = [];
for (const file of [...lessons.map(pageFile), 'playground.html']) {
  if (only !== undefined && !only.some((o) => file.startsWith(o))) continue;
  const context = await browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const resources: string[] = [];
  page.on('requestfinished', (r) => resources.push(r.url()));
  const loadBefore = load();
  await page.goto(pathToFileURL(resolve(dir, file)).href);
  if (await page.locator('script[src="live.js"]').count() === 0) {
    start.push(`| ${file} | static page (no script) | — | — | — | — | — | ${loadBefore} |`);
    await context.close();
    continue;
  }
  await page.waitForFunction(() => window.downhill?.ready === true && window.downhill.warm === true && window.downhill.complete === true, null, { timeout: 120_000 });
  const times = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const d = window.downhill!;
    return { content: nav.domContentLoadedEventEnd, answer: Number.isNaN(d.firstAnswerAt) ? d.warmAt : d.firstAnswerAt, complete: d.completeAt };
  });
  let bytes = 0;
  for (const url of new Set(resources)) if (url.startsWith('file:')) bytes += (await stat(fileURLToPath(url))).size;
  const flags = await page.evaluate(() => {
    const meta = document.querySelector('script#dh-lesson');
    return meta === null ? [] : (JSON.parse(meta.textContent ?? '{}') as { flags: FlagControl[] }).flags;
  });
  for (const f of flags) {
    const runs: { painted: number; worker: number; patch: number }[] = [];
    const loadAt = load();
    for (let k = 0; k < changes; k++) runs.push(await change(page, f, valueOf(f, k)));
    const painted = runs.map((r) => r.painted);
    latency.push(`| ${file} | ${f.flag} | ${ms(median(painted))} | ${ms(Math.max(...painted))} | ${ms(median(runs.map((r) => r.worker)))} | ${ms(median(runs.map((r) => r.patch)))} | ${loadAt} |`);
  }
  await context.close();
  // The same page as a shared link with another value of its first control: when are that link's numbers painted?
  let link = NaN;
  let linkAnswer = NaN;
  if (flags.length > 0) {
    const linked = await browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } });
    const other = await linked.newPage();
    await other.goto(`${pathToFileURL(resolve(dir, file)).href}?${flags[0]!.flag}=${encodeURIComponent(valueOf(flags[0]!, 0))}`);
    await other.waitForFunction(() => window.downhill?.painted === 1, null, { timeout: 120_000 });
    ({ link, linkAnswer } = await other.evaluate(() => ({ link: window.downhill!.linkShownAt, linkAnswer: window.downhill!.firstAnswerAt })));
    await linked.close();
  }
  start.push(`| ${file} | ${ms(times.content)} | ${ms(times.answer)} | ${ms(times.complete)} | ${flags.length > 0 ? `?${flags[0]!.flag}=${valueOf(flags[0]!, 0)}` : '—'} | ${ms(linkAnswer)} | ${ms(link)} | ${(bytes / 1024).toFixed(0)} | ${loadBefore} |${errors.length > 0 ? ` errors: ${errors.join('; ')}` : ''}`);
}
await browser.close();
process.stdout.write([
  `Chromium (${findChromium()}), pages from file://, ${changes} changes per control; times in ms, load = 1-minute load average (${cpus().length} cores).`,
  '',
  '| page | control | change → painted, median | worst | of which the worker\'s run, median | the page\'s patch, median | load |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...latency,
  '',
  '| page | static content shown | engine\'s first answer | plots drawn too | shared link | its first answer | its numbers painted | KiB loaded | load |',
  '| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ...start,
  '',
].join('\n'));
