/**
 * Measures the live site in headless Chromium (a script, not a test), the way
 * a learner waits:
 * - for every live lesson and every one of its controls, and for the
 *   playground's learning rate and steps, `--changes` changes, each timed from
 *   the control's event (its timeStamp) to the frame painted after the page's
 *   last DOM change for it (requestAnimationFrame, then a task: that task runs
 *   once the frame's style, layout and paint are done; see afterPaint in
 *   site/live/engine.ts). Of which: the lesson's run in the worker, and the
 *   page's patch of its sections;
 * - for every page, the engine's first answer after load (from navigation
 *   start), and, opened as a shared link with another value of its first
 *   control, when that link's own answer arrives and its numbers are painted;
 * - the bytes each page loads, and the machine's load average while measuring
 *   (timings on a shared machine are noisy: compare figures taken in one run).
 *
 *   npx tsx site/measure.ts [out/site] [--changes 7] [--no-build] [--only 03,08] [--write]
 *
 * --write puts the tables into docs/benchmarks.md, in its site section (the
 * rest of that file is `npm run bench`'s: bench/sections.ts); only a run over
 * every page is written.
 */
import { readFile, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { allLessons, pageFile, writeFileAtomic } from '../src/live.ts';
import type { FlagControl } from './build.ts';
import { buildSite } from './build.ts';
import { TRAINING_LESSONS } from './training.ts';
import { findChromium } from '../test/support/chromium.ts';
import { SITE_SECTION, withSection } from '../bench/sections.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const dir = resolve(args.find((a, k) => !a.startsWith('--') && !['--changes', '--only'].includes(args[k - 1] ?? '')) ?? 'out/site');
// The issue's figure is the median of 10 changes.
const changes = Number(option('--changes') ?? 10) || 10;
const only = option('--only')?.split(',');
const write = args.includes('--write');
if (write && only !== undefined) throw new Error('site/measure.ts: --write records a run over every page (leave out --only)');
const started = performance.now();
if (!args.includes('--no-build')) await buildSite(dir);

const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '—');
const load = (): number => loadavg()[0]!;
const loads: number[] = [load()];

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

/** The playground's settings, as controls (its fields answer `input` events; its defaults are build.ts's). */
const PLAYGROUND: FlagControl[] = [
  { kind: 'number', flag: 'lr', value: 0.1, min: 0.001, max: 10, log: true, integer: false },
  { kind: 'number', flag: 'steps', value: 30, min: 1, max: 10_000, log: false, integer: true },
];

interface Change { readonly painted: number; readonly numbers: number; readonly worker: number; readonly patch: number }

/**
 * Sets a control as a learner would leave it (a lesson's field, checkbox or
 * menu fires `change`; the playground answers `input`) and waits for the
 * frame painted after it.
 */
async function change(page: Page, f: FlagControl, value: string, event: 'change' | 'input'): Promise<Change> {
  const before = await page.evaluate(() => window.downhill!.painted);
  await page.evaluate(([flag, kind, v, type]) => {
    const control = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${flag}]`)!;
    if (kind === 'boolean') (control as HTMLInputElement).checked = v === 'true';
    else control.value = v;
    control.dispatchEvent(new Event(type, { bubbles: true }));
  }, [f.flag, f.kind, value, event] as const);
  await page.waitForFunction((n) => window.downhill!.painted > n, before, { timeout: 120_000 });
  return page.evaluate(() => ({ painted: window.downhill!.paintedMs, numbers: window.downhill!.numbersPaintedMs, worker: window.downhill!.lessonMs, patch: window.downhill!.patchMs }));
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
  const loadBefore = load().toFixed(1);
  await page.goto(pathToFileURL(resolve(dir, file)).href);
  if (await page.locator('script[src="live.js"]').count() === 0) {
    start.push(`| ${file} | static page (no script) | — | — | — | — | — | — | ${(await stat(resolve(dir, file))).size >> 10} | ${loadBefore} |`);
    await context.close();
    continue;
  }
  const playground = file === 'playground.html';
  // A lesson page once its plots are drawn too; the playground once its first answer is painted (Graphviz waits until its graph is near the screen).
  await page.waitForFunction((p) => {
    const d = window.downhill;
    return d?.ready === true && d.warm && (p ? d.painted > 0 : d.complete);
  }, playground, { timeout: 120_000 });
  const times = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const d = window.downhill!;
    return { content: nav.domContentLoadedEventEnd, answer: Number.isNaN(d.firstAnswerAt) ? d.warmAt : d.firstAnswerAt, complete: d.completeAt };
  });
  let bytes = 0;
  for (const url of new Set(resources)) if (url.startsWith('file:')) bytes += (await stat(fileURLToPath(url))).size;
  const flags = playground ? PLAYGROUND : await page.evaluate(() => {
    const meta = document.querySelector('script#dh-lesson');
    return meta === null ? [] : (JSON.parse(meta.textContent ?? '{}') as { flags: FlagControl[] }).flags;
  });
  // A lesson that trains in the page (site/training.ts) answers a change with a training run of seconds, epoch by
  // epoch: its time to the first epoch is test/site-training.test.ts's and test/site-convolution.test.ts's, and the closing notes', not a change's latency.
  const trains = TRAINING_LESSONS.has(Number(file.slice(0, 2)));
  if (trains) latency.push(`| ${file} | (trains in the page, epoch by epoch: not timed here) | — | — | — | — | — | — |`);
  let firstChange = NaN;
  for (const f of trains ? [] : flags) {
    const runs: Change[] = [];
    const loadAt = load();
    loads.push(loadAt);
    for (let k = 0; k < changes; k++) runs.push(await change(page, f, valueOf(f, k), playground ? 'input' : 'change'));
    if (Number.isNaN(firstChange)) firstChange = runs[0]!.painted;
    const painted = runs.map((r) => r.painted);
    latency.push(`| ${file} | ${f.flag} | ${ms(median(painted))} | ${ms(Math.min(...painted))}–${ms(Math.max(...painted))} | ${ms(median(runs.map((r) => r.numbers)))} | ${ms(median(runs.map((r) => r.worker)))} | ${ms(median(runs.map((r) => r.patch)))} | ${loadAt.toFixed(1)} |`);
  }
  await context.close();
  // The same lesson as a shared link with another value of its first control: when are that link's numbers painted?
  let link = NaN;
  let linkAnswer = NaN;
  if (flags.length > 0 && !playground && !trains) {
    const linked = await browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } });
    const other = await linked.newPage();
    await other.goto(`${pathToFileURL(resolve(dir, file)).href}?${flags[0]!.flag}=${encodeURIComponent(valueOf(flags[0]!, 0))}`);
    await other.waitForFunction(() => window.downhill?.painted === 1, null, { timeout: 120_000 });
    ({ link, linkAnswer } = await other.evaluate(() => ({ link: window.downhill!.linkShownAt, linkAnswer: window.downhill!.firstAnswerAt })));
    await linked.close();
  }
  const shared = flags.length > 0 && !playground && !trains ? `?${flags[0]!.flag}=${valueOf(flags[0]!, 0)}` : '—';
  start.push(`| ${file} | ${ms(times.content)} | ${ms(times.answer)} | ${ms(times.complete)} | ${ms(firstChange)} | ${shared} | ${ms(linkAnswer)} | ${ms(link)} | ${(bytes / 1024).toFixed(0)} | ${loadBefore} |${errors.length > 0 ? ` errors: ${errors.join('; ')}` : ''}`);
}
const version = browser.version();
await browser.close();
loads.push(load());

const report = [
  '## The live site in Chromium',
  '',
  `Written by \`npx tsx site/measure.ts --write\` (site/measure.ts); do not edit by hand. Chromium ${version} (headless, ${findChromium()}), pages from file://, `
  + `${cpus().length} cores, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; the run took ${((performance.now() - started) / 1000).toFixed(0)} s. `
  + `Load average (1 min) while measuring: ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}${Math.max(...loads) > cpus().length - 1 ? ' (a busy machine: every time below is several times a quiet machine\'s)' : ''}.`,
  '',
  `A change: ${changes} new values per control, each set as a learner leaves it (the field's change event; the playground's input event) and timed from that event to the first frame painted after the page's last DOM change for it (requestAnimationFrame, then a task). Its numbers painted: the frame after the first patch (a draft's, whose large plots are still being drawn and shown dimmed; lesson 8's is the page of its run so far at step steps/8, its page of --steps steps/8 exactly, streamed before the whole run's; the same as the whole when nothing is left to draw). Of which: the lesson's run in the worker (the draft's), and the page's patch of its sections (medians). The issue's target is 100 ms.`,
  '',
  '| page | control | change → painted, median (ms) | range | its numbers painted (before plots still being drawn) | the worker\'s run | the page\'s patch | load |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...latency,
  '',
  'The start, in ms from navigation start: the static page shown (DOMContentLoaded); the engine\'s first answer (a lesson page opened plainly is its lesson\'s run with the defaults, and the build wrote what each of its sections is, so the engine does not rerun it: its first answer is its warm-up, which makes the parser and differentiates once, and runs KaTeX once just after; the playground\'s is its first report); the page whole with the engine warm (a lesson page\'s plots and pictures are the build\'s from the start; the playground\'s first report painted); then the first change after that, in ms from its event to its frame painted (the first lesson run of a fresh worker, with the plot and picture libraries it waits for). The same page opened as a shared link with another value of its first control: that link\'s first answer (its own run), and its numbers painted (until then the page\'s numbers are marked as the defaults\'). KiB loaded: until the page is whole (Graphviz loads when a picture comes near the screen, or a run needs it). The issue\'s target for the first answer is 500 ms.',
  '',
  '| page | static page shown | engine\'s first answer | page whole, engine warm | first change → painted (ms) | shared link | its first answer | its numbers painted | KiB loaded | load |',
  '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ...start,
].join('\n');
process.stdout.write(`${report}\n`);
if (write) {
  const file = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  await writeFileAtomic(file, withSection(await readFile(file, 'utf8'), SITE_SECTION, report));
  process.stderr.write('wrote docs/benchmarks.md (its site section)\n');
}
