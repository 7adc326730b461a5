// How the engine's worker starts in a real browser (site/scripts.ts's startWorkerTag, site/build.ts's engineScript):
// - the head's first script starts the worker before the page's body is read (Chromium's start of a worker then
//   overlaps reading and laying out the page), and engine.js sends that same worker the engine, which answers;
// - engine.js is ASCII only (a character outside ASCII made Chromium hold the whole source in two bytes a character),
//   and the engine it sends renders as Node does (its regular expressions with such characters were rewritten with
//   escapes): the playground's report equals Node's, as lesson pages equal the CLI's (site-link, site-lessons).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { gradReport, playgroundDocument, readGradText, sectionsHtml } from '../src/live.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { opener } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

const live = siteInBrowser();
const open = opener(live);

/** In the page, before its scripts: each worker started, with whether the page's body had been read then (`workersStarted()`). */
function recordWorkers(): void {
  const started: { bodyRead: boolean; readyState: string }[] = [];
  const urls: string[] = [];
  const Real = window.Worker;
  window.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      started.push({ bodyRead: document.body !== null, readyState: document.readyState });
      urls.push(String(url));
      super(url, options);
    }
  };
  Object.assign(window, { workersStarted: () => [...started], workerUrls: () => [...urls] });
}
type Recorded = Window & { workersStarted(): { bodyRead: boolean; readyState: string }[]; workerUrls(): string[] };

for (const file of ['09-optimizers.html', 'playground.html', 'practice-01-loss.html']) {
  test(`${file}: the worker is started before the page's body is read, engine.js sends it the engine, and it answers`, async () => {
    const { page, errors } = await open(file, recordWorkers);
    await page.waitForFunction(() => window.downhill?.warm === true, null, { timeout: PAGE_WAIT });
    // One worker, started while the head was being read; the engine's worker is that one.
    expect(await page.evaluate(() => (window as unknown as Recorded).workersStarted())).toEqual([{ bodyRead: false, readyState: 'loading' }]);
    expect(await page.evaluate(() => window.DOWNHILL_WORKER !== undefined && window.DOWNHILL_WORKER === window.DOWNHILL_BOOT)).toBe(true);
    // It answers a request as the engine (the worker's own reading of a loss's symbols).
    const symbols = await page.evaluate(() => new Promise<unknown>((resolve) => {
      const worker = window.DOWNHILL_WORKER!;
      worker.addEventListener('message', (e: MessageEvent<{ id?: number; result?: unknown }>) => {
        if (e.data.id === 1e9) resolve(e.data.result);
      });
      worker.postMessage({ id: 1e9, request: { kind: 'symbols', text: '(y - (w*x + b))^2' } });
    }));
    expect(symbols).toEqual({ symbols: ['y', 'w', 'x', 'b'] });
    // A fresh worker (as after a request stopped for its time budget) is sent the engine and answers too, and every
    // worker of the page starts from the one Blob URL (a URL per restart was never released).
    const fresh = await page.evaluate(() => Promise.all([1, 2].map((k) => new Promise<unknown>((resolve) => {
      const worker = window.DOWNHILL_START!();
      worker.addEventListener('message', (e: MessageEvent<{ id?: number; result?: unknown }>) => {
        if (e.data.id === k) resolve(e.data.result);
      });
      worker.postMessage({ id: k, request: { kind: 'symbols', text: 'w*x' } });
    }))));
    expect(fresh).toEqual([{ symbols: ['w', 'x'] }, { symbols: ['w', 'x'] }]);
    const urls = await page.evaluate(() => (window as unknown as Recorded).workerUrls());
    expect(urls).toHaveLength(3);
    expect(new Set(urls).size).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  }, BROWSER_TEST_TIMEOUT);
}

test('engine.js is ASCII only, and the engine it sends renders as Node does: the playground\'s report, its − signs and aligned numbers included', async () => {
  const engineJs = readFileSync(join(live.site, 'engine.js'), 'utf8');
  expect(engineJs.length).toBeGreaterThan(100_000);
  expect(engineJs.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  const { page, errors } = await open('playground.html');
  await page.waitForFunction(() => window.downhill?.warm === true, null, { timeout: PAGE_WAIT });
  const text = '(y - (w*x + b))^2';
  const values = { w: '0.5', b: '0.5', x: '1', y: '2' };
  const parts = await page.evaluate(([text, values]) => new Promise<{ id: string; html: string }[]>((resolve, reject) => {
    const worker = window.DOWNHILL_WORKER!;
    worker.addEventListener('message', (e: MessageEvent<{ id?: number; ok?: boolean; error?: string; result?: { parts: { id: string; html: string }[] } }>) => {
      if (e.data.id !== 1e9) return;
      if (e.data.ok !== true) reject(new Error(e.data.error));
      else resolve(e.data.result!.parts);
    });
    worker.postMessage({ id: 1e9, request: { kind: 'playground', text, params: ['w', 'b'], values, lr: '0.1', steps: '3', mode: { draft: true } } });
  }), [text, values] as const);
  // As the worker reads them: each symbol's value in the order the loss names them.
  const read = readGradText(text);
  const at = new Map(read.symbols.map((s) => [s, Number(values[s as keyof typeof values])]));
  const node = sectionsHtml(await playgroundDocument(gradReport(read, { wrt: ['w', 'b'], at }), { lr: 0.1, steps: 3 }));
  // Every section the worker drew whole (a picture whose library has not arrived is a placeholder in a draft).
  const whole = parts.filter((p) => !p.html.includes('dh-pending'));
  expect(whole.length).toBeGreaterThanOrEqual(3);
  expect(whole.map((p) => p.html).join('')).toContain('\u2212');
  for (const p of whole) expect(p.html, p.id).toBe(node.find((n) => n.id === p.id)?.html);
  expect(errors).toEqual([]);
  await page.context().close();
}, BROWSER_TEST_TIMEOUT);
