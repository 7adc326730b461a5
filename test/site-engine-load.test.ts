// The engine's worker as it loads in a real browser (site/mathjs-browser.ts, site/build.ts's noErrorsAtLoad):
// - loading the bundle makes no Error object: in a worker Chromium records where each error is made, and the
//   first one made while the bundle's one large function is on the stack has it parsed again (0.4-2.5 s at load 13-25);
// - the first answer needs only mathjs's parser; a derivative no template known at build time covers (x^3.7)
//   loads the whole of mathjs then, and gives `downhill grad`'s partials;
// - the first answer compiles neither mathjs-core.cjs nor KaTeX (kept in engine.js as text); KaTeX just after it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { expect, test } from 'vitest';
import { gradReport, playgroundDocument, readGradText, sectionsHtml } from '../src/live.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { opener } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

const live = siteInBrowser();
const open = opener(live);

/**
 * In the page, before its scripts: the engine's source (engine.js sends it to the worker as `{ engine }`) gets a
 * prelude that records every Error, RangeError, TypeError and SyntaxError made while the bundle runs (after one
 * probe of its own, so that the record is seen to work), and answers `{ errorsAtLoad: true }` with the record.
 */
function recordErrorsAtLoad(): void {
  const prelude = `(() => {
    const made = []; const real = {};
    for (const name of ['Error', 'RangeError', 'TypeError', 'SyntaxError']) {
      const R = self[name]; real[name] = R;
      self[name] = new Proxy(R, {
        apply: (t, self_, args) => { made.push(name + ': ' + args[0]); return Reflect.apply(t, self_, args); },
        construct: (t, args, target) => { made.push(name + ': ' + args[0]); return Reflect.construct(t, args, target); },
      });
    }
    new RangeError('probe');
    self.__downhillErrorsAtLoad = { made, real };
    self.addEventListener('message', (e) => { if (e.data && e.data.errorsAtLoad) self.postMessage({ errorsAtLoad: made }); });
  })();\n`;
  const epilogue = '\n;Object.assign(self, self.__downhillErrorsAtLoad.real);\n';
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
    const m = message as { engine?: unknown };
    const sent = typeof m.engine === 'string' ? { ...m, engine: prelude + m.engine + epilogue } : message;
    (post as (this: Worker, ...a: unknown[]) => void).call(this, sent, ...rest);
  } as typeof Worker.prototype.postMessage;
}

test('loading the engine makes no Error object (each one costs Chromium a parse of the whole bundle), and the engine still answers', async () => {
  const { page, errors, close } = await open('09-optimizers.html', recordErrorsAtLoad);
  await page.waitForFunction(() => window.downhill!.warm, null, { timeout: PAGE_WAIT });
  const made = await page.evaluate(() => new Promise<string[]>((resolve) => {
    const worker = window.DOWNHILL_WORKER!;
    worker.addEventListener('message', (e: MessageEvent<{ errorsAtLoad?: string[] }>) => {
      if (e.data.errorsAtLoad !== undefined) resolve(e.data.errorsAtLoad);
    });
    worker.postMessage({ errorsAtLoad: true });
  }));
  // The probe is seen; nothing else (without noErrorsAtLoad: mathjs's DimensionError, IndexError and ArgumentsError).
  expect(made).toEqual(['RangeError: probe']);
  expect(errors).toEqual([]);
  await close();
}, BROWSER_TEST_TIMEOUT);

test('a derivative no build-time template covers (w^3.7) loads the whole of mathjs in the worker and gives downhill grad\'s partials', async () => {
  const { page, errors, close } = await open('playground.html');
  const text = '(y - w^3.7 * x)^2';
  const values = { w: '0.5', x: '1', y: '2' };
  const parts = await page.evaluate(([text, values]) => new Promise<{ id: string; html: string }[]>((resolve, reject) => {
    const worker = window.DOWNHILL_WORKER!;
    const id = 1e9;
    worker.addEventListener('message', (e: MessageEvent<{ id?: number; ok?: boolean; error?: string; result?: { parts: { id: string; html: string }[] } }>) => {
      if (e.data.id !== id) return;
      if (e.data.ok !== true) reject(new Error(e.data.error));
      else resolve(e.data.result!.parts);
    });
    worker.postMessage({ id, request: { kind: 'playground', text, params: ['w'], values, lr: '0.1', steps: '3', mode: { draft: true } } });
  }), [text, values] as const);
  const cli = sectionsHtml(await playgroundDocument(gradReport(readGradText(text), { wrt: ['w'], at: new Map(Object.entries(values).map(([k, v]) => [k, Number(v)])) }), { lr: 0.1, steps: 3 }));
  const partials = (ps: readonly { id: string; html: string }[]): string | undefined => ps.find((p) => p.id === 'partials')?.html;
  expect(partials(parts)).toBeDefined();
  expect(partials(parts)).toContain('3.7');
  expect(partials(parts)).toBe(partials(cli));
  expect(errors).toEqual([]);
  await close();
}, BROWSER_TEST_TIMEOUT);

test('the first answer compiles no source kept as text (mathjs-core.cjs, KaTeX): KaTeX is compiled once it has been sent (engine.js run in node)', async () => {
  const engineJs = readFileSync(join(live.site, 'engine.js'), 'utf8');
  const source = JSON.parse(/^self\.DOWNHILL_ENGINE = ("(?:[^"\\]|\\.)*");$/m.exec(engineJs)![1]!) as string;
  // The texts engine.js sends beside the source (mathjs-core.cjs, KaTeX), compiled on first use.
  const texts = JSON.parse(/^self\.DOWNHILL_TEXTS = (\{.*\});$/m.exec(engineJs)![1]!) as Record<string, string>;
  expect(Object.keys(texts).sort()).toEqual(['katex', 'mathjs']);
  // A context of its own, as a worker: `self`, postMessage, and a Function that records the code it is given.
  const compiled: string[] = [];
  /** Each answer, with what had been compiled when it was sent. */
  const answers: { message: unknown; compiledBefore: string[] }[] = [];
  const record = (args: unknown[]): void => {
    const body = String(args.at(-1) ?? '');
    if (body.length > 100_000) compiled.push(body.slice(0, 40));
  };
  const context = vm.createContext({ setTimeout, clearTimeout, performance, console, TextEncoder, TextDecoder, URL, Blob });
  vm.runInContext('self = globalThis;', context);
  context['DOWNHILL_TEXTS'] = texts;
  const RealFunction = vm.runInContext('Function', context) as FunctionConstructor;
  context['Function'] = new Proxy(RealFunction, {
    apply: (t, self, args: unknown[]) => (record(args), Reflect.apply(t, self, args)),
    construct: (t, args: unknown[], target) => (record(args), Reflect.construct(t, args, target)),
  });
  context['postMessage'] = (message: unknown) => answers.push({ message, compiledBefore: [...compiled] });
  vm.runInContext(source, context, { filename: 'engine.js' });
  (context['onmessage'] as (e: { data: unknown }) => void)({ data: { id: 1, request: { kind: 'warm' } } });
  await expect.poll(() => answers.length).toBe(1);
  expect(answers[0]!.message).toMatchObject({ id: 1, ok: true });
  expect(answers[0]!.compiledBefore).toEqual([]);
  await expect.poll(() => compiled.length).toBe(1);
  expect(compiled[0]).toMatch(/^var downhill_katex\s*=/);
}, BROWSER_TEST_TIMEOUT);
