/**
 * The live site's pages in a browser, for the browser tests of the site
 * (site.test.ts, site-*.test.ts): opening a page, setting a lesson's field,
 * the playground's fields, and reading a page's sections as the CLI's page
 * would show them.
 *
 *   const live = siteInBrowser();
 *   const open = opener(live);
 *   const { page, errors, close } = await open('03-learning-rate.html');
 *   await setField(page, 'lr', '0.1');
 *   expect(await contentText(page)).toEqual(await contentText(page, await lessonPage(lesson, { lr: 0.1 })));
 *   await close();   // its tab serves the file's next page
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { PAGE_WAIT } from './chromium.ts';
import type { SiteInBrowser } from './site-browser.ts';

/** The playground's pause in typing before it shows an error (site/live/playground.ts, ERROR_PAUSE). */
const ERROR_PAUSE_MS = 700;

/**
 * A page of the site as `open` gives it: `errors` collects console errors, failed requests and uncaught exceptions,
 * `warnings` console warnings, from its loading on; `close()` when done with it.
 */
export interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly warnings: string[];
  /** Done with the page: its tab goes back to the opener (its storage cleared, left for about:blank), or, opened with `init`, its context closes. */
  close(): Promise<void>;
}

/** Pages whose context has Playwright's clock (time flows as usual, and a test may jump it forward). */
const clocked = new WeakSet<Page>();

/** A tab of an opener: its page, and the lists its listeners fill for the page now shown in it. */
interface Tab {
  readonly page: Page;
  errors: string[];
  warnings: string[];
}

const VIEWPORT = { width: 1000, height: 800 } as const;

/**
 * Opens pages of the site (`query`: a link's ?settings; `init` runs in the page before its scripts).
 * With `clock`, each page's context gets Playwright's clock before its scripts run: time flows as usual,
 * and `typeInto` jumps over the playground's pause before an error instead of waiting it out.
 *
 * A page opened without `init` is opened in a tab that an earlier page of this opener gave back (`close()`), at
 * 1000 × 800, after about:blank: a new document, with its own worker, but no new context and renderer (each cost
 * 0.8-1.1 s of CPU at load 20, about as much as loading a lesson's page). The tab's localStorage and sessionStorage
 * are cleared when it is given back; what it logged before the new page was asked for is not the new page's.
 */
export function opener(live: SiteInBrowser, options: { clock?: boolean } = {}): (file: string, init?: () => void, query?: string) => Promise<Opened> {
  const free: Tab[] = [];
  const newTab = async (init?: () => void): Promise<Tab> => {
    const context = await live.browser.newContext({ viewport: VIEWPORT, offline: true });
    if (options.clock === true) await context.clock.install();
    if (init !== undefined) await context.addInitScript(init);
    const page = await context.newPage();
    if (options.clock === true) clocked.add(page);
    const tab: Tab = { page, errors: [], warnings: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') tab.errors.push(m.text());
      if (m.type() === 'warning') tab.warnings.push(m.text());
    });
    page.on('pageerror', (e) => tab.errors.push(e.message));
    page.on('requestfailed', (r) => tab.errors.push(`request failed: ${r.url()}`));
    return tab;
  };
  return async (file, init, query = '') => {
    let tab: Tab | undefined;
    if (init === undefined) {
      for (let t = free.pop(); t !== undefined && tab === undefined; t = free.pop()) if (!t.page.isClosed()) tab = t;
    }
    tab ??= await newTab(init);
    const { page } = tab;
    const size = page.viewportSize();
    if (size?.width !== VIEWPORT.width || size.height !== VIEWPORT.height) await page.setViewportSize(VIEWPORT);
    const errors: string[] = [];
    const warnings: string[] = [];
    tab.errors = errors;
    tab.warnings = warnings;
    const reusable = tab;
    let given = false;
    const close = async (): Promise<void> => {
      // Given back once: a second call must not put the tab in the pool twice (two pages would share it).
      if (page.isClosed() || given) return;
      given = true;
      if (init !== undefined) {
        await page.context().close();
        return;
      }
      await page.evaluate(() => {
        localStorage.clear();
        sessionStorage.clear();
      }).catch(() => undefined);
      // Once about:blank has loaded, whatever the page was still doing (a request, its worker) has ended.
      await page.goto('about:blank');
      reusable.errors = [];
      reusable.warnings = [];
      free.push(reusable);
    };
    await page.goto(pathToFileURL(join(live.site, file)).href + query);
    // Pages with something live wait for their script; the index is static.
    if (await page.locator('script[src="live.js"]').count() > 0) await page.waitForFunction(() => window.downhill?.ready === true, null, { timeout: PAGE_WAIT });
    return { page, errors, warnings, close };
  };
}

/** A page of the site that several tests of a file use one after another (see `sharedPage`). */
export interface SharedPage {
  /**
   * In a test: the page as the last test that used it left it, or a freshly opened one if there was none or that
   * test failed. `errors` and `warnings` are this test's: what the page logged since this call.
   */
  use(): Promise<Opened>;
}

/**
 * One page of `file` (opened by `open`, with `init` and `query` as `open` takes them) for tests that use it one after
 * another, in their order in the file: a lesson's page loaded once, each test making its changes on it, rather than
 * each loading the page again (a load, the engine's warm-up and the first change's libraries cost 2-5 s at load 14).
 * Each test must pass on the page as the test before it left it and on a freshly opened one: after a failed test the
 * next one gets a fresh page, so a failure is never the next test's. The page is closed with the file
 * (support/site-browser.ts closes what a file left open).
 *
 *   const lesson5 = sharedPage(open, '05-landscape.html');
 *   test('…', async () => { const { page, errors } = await lesson5.use(); … });
 */
export function sharedPage(open: ReturnType<typeof opener>, file: string, init?: () => void, query?: string): SharedPage {
  let current: Opened | undefined;
  let spoiled = false;
  return {
    async use() {
      onTestFailed(() => { spoiled = true; });
      if (spoiled && current !== undefined) {
        await current.close();
        current = undefined;
      }
      spoiled = false;
      current ??= await open(file, init, query);
      current.errors.length = 0;
      current.warnings.length = 0;
      return current;
    },
  };
}

/**
 * Puts a value in a number field, as a learner leaves it (one change event), and waits for the page to update.
 * The value is set without focusing the field: a field typed into with focus fires the browser's own change event
 * again when focus leaves it (its value changed since it was focused), so the next setField on another field
 * would start a second rerun of the settings before, whose update could end that call's wait (site-xor-first
 * read that rerun's draft once in CI).
 */
export async function setField(page: Page, name: string, value: string): Promise<void> {
  const before = await page.evaluate(() => window.downhill!.updates);
  await page.locator(`input[name=${name}]`).evaluate((field, v) => {
    (field as HTMLInputElement).value = v;
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
  await page.waitForFunction((n) => window.downhill!.updates > n, before, { timeout: PAGE_WAIT });
}

/** The text of the lesson's content (every section; the live mountains, and whatever `leftOut` selects, left out), in the page or in `html`. */
export function contentText(page: Page, html?: string, leftOut = '.dh-mountain'): Promise<string[]> {
  return page.evaluate(([source, selector]) => {
    const root = source === undefined ? document : new DOMParser().parseFromString(source, 'text/html');
    return [...root.querySelectorAll('main > section')].map((s) => {
      const copy = s.cloneNode(true) as Element;
      copy.querySelectorAll(selector).forEach((m) => m.remove());
      return (copy.textContent ?? '').replace(/\s+/g, ' ');
    });
  }, [html, leftOut] as const);
}

/** The sections' text with every SVG (plots, pictures, their placeholders) left out. */
export const textWithoutPictures = (page: Page, html?: string): Promise<string[]> => contentText(page, html, 'svg, .dh-mountain');

/**
 * In the page, before its scripts: the plot and picture libraries' scripts
 * (plots.js, graphviz.js, which live.js appends when the worker asks) are held
 * back until `releaseLibraries()`; `heldLibraries()` lists them.
 */
export function holdLibraries(): void {
  const held: [Element, Node][] = [];
  const append = Element.prototype.append;
  Element.prototype.append = function (this: Element, ...nodes: (Node | string)[]) {
    const keep = nodes.filter((n): n is HTMLScriptElement => n instanceof HTMLScriptElement && /\/(plots|graphviz)\.js$/.test(n.src));
    for (const n of keep) held.push([this, n]);
    append.apply(this, nodes.filter((n) => !keep.includes(n as HTMLScriptElement)));
  };
  Object.assign(window, {
    heldLibraries: () => held.map(([, n]) => (n as HTMLScriptElement).src.replace(/^.*\//, '')),
    releaseLibraries: () => {
      Element.prototype.append = append;
      for (const [parent, n] of held.splice(0)) parent.append(n);
    },
  });
}

export type Held = Window & { heldLibraries(): string[]; releaseLibraries(): void };

/** The sections' HTML (the live mountains left out), in the page or in `html`. */
export function sectionsHtml(page: Page, html?: string): Promise<string[]> {
  return page.evaluate((source) => {
    const root = source === undefined ? document : new DOMParser().parseFromString(source, 'text/html');
    return [...root.querySelectorAll('main > section')].map((s) => {
      const copy = s.cloneNode(true) as Element;
      copy.querySelectorAll('.dh-mountain').forEach((m) => m.remove());
      return copy.outerHTML;
    });
  }, html);
}

/**
 * HTML compared with numbers to 12 significant digits and plot ids without
 * their hash: Chromium's Math functions differ from Node 20's in the last bit
 * for a few arguments (a newer V8). The worker computes exp, log and log1p as
 * Node does (site/libm.ts), so the lessons' numbers are the CLI's to the last
 * bit (see 'chaotic runs'), but vega's colour scales also use pow, so a stop
 * offset can differ there, and with it the ids named after a hash of the SVG.
 * Everything else must be the CLI's, character for character.
 */
export const close = (html: string): string => html
  .replace(/dh[0-9a-f]{10}-/g, 'dh-')
  .replace(/-?\d+\.\d{6,}(?:e-?\d+)?/g, (n) => String(Number(Number(n).toPrecision(12))));

/** Types into one of the playground's fields and waits for the page to update (or show an error). */
export async function typeInto(page: Page, name: string, value: string): Promise<void> {
  const before = await page.evaluate(() => window.downhill!.updates);
  await page.fill(`input[name=${name}]`, value);
  await page.waitForFunction((n) => window.downhill!.updates > n, before, { timeout: PAGE_WAIT });
  // The playground shows an error once typing pauses (ERROR_PAUSE, 700 ms, site/live/playground.ts; it is set pending
  // before the update is counted): a page with the clock jumps over the pause rather than waiting it out.
  if (clocked.has(page) && await page.evaluate(() => window.downhill!.errorPending)) await page.clock.fastForward(ERROR_PAUSE_MS);
  await page.waitForFunction(() => !window.downhill!.errorPending, null, { timeout: PAGE_WAIT });
}

/**
 * The sections downhill grad printed, as lines of text without their
 * indentation: the headings, and each block's lines but a partial's TeX line
 * (the page shows the TeX as a formula).
 */
export function commandSections(stdout: string): string[] {
  const lines = stdout.split('\n').slice(1).map((l) => l.trim());
  return lines.filter((l) => l !== '' && !/^─+$/.test(l) && !l.startsWith('TeX: '));
}

/** The playground's report as lines of text, in the same terms: the first sections' headings, the partials' lines of text and the code blocks' lines (up to the check). */
export function reportText(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('#dh-results .dh-report > section')]
    .filter((s) => !['check', 'graph', 'descent'].includes(s.id))
    .flatMap((s) => [s.querySelector('h2')!.textContent!, ...[...s.querySelectorAll('pre, code.dh-text')].flatMap((e) => e.textContent!.split('\n'))])
    .map((l) => l.trim()));
}

// The usual payloads: each would add an element or run a handler if it went in as markup.
export const PAYLOADS = [
  '"><img src=x onerror="window.__pwned=1">',
  "'><svg onload=window.__pwned=2>",
  '<script>window.__pwned=3</script>',
  '</code></td><img src=x onerror=window.__pwned=4>',
  '<iframe srcdoc="<script>parent.__pwned=5</script>">',
  'javascript:window.__pwned=6',
  '&lt;b&gt;&amp;',
];
/** Elements the page did not make itself: any with an on… attribute, an img, iframe or script in the results or form, and no handler has run. */
export const injected = (page: Page): Promise<string[]> => page.evaluate(() => {
  const w = window as unknown as { __pwned?: unknown };
  const found = [...document.querySelectorAll('main *')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)) || /^(IMG|IFRAME|SCRIPT)$/.test(el.tagName));
  return [...found.map((el) => el.outerHTML.slice(0, 80)), ...(w.__pwned === undefined ? [] : [`handler ran: ${String(w.__pwned)}`])];
});
