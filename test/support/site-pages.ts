/**
 * Every page of the live site in a browser, one after another: no console
 * error while it loads; at 390 px (a phone) no wider than the screen; every
 * figure and picture named, every formula with its MathML, every slider
 * saying its value. The pages are in two parts, each tested by its own file
 * (site.test.ts: lessons and practice sets 1, 3, 5…, the index and the
 * playground; site-pages.test.ts: 2, 4, 6…) so that the two run beside each other.
 *
 *   const live = siteInBrowser();
 *   everyPageOfTheSite(live, 'lessons and practice sets 2, 4, 6…');
 */
import { readdir } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { SITE_BUILD_TIMEOUT } from './chromium.ts';
import type { SiteInBrowser } from './site-browser.ts';
import { opener } from './site-page.ts';

/**
 * The two parts of the site's pages: together, every page, each once. The lessons' and the practice sets' pages
 * (the slow ones: each runs in the page's worker) are shared out by their number, odd and even.
 */
const numberOf = (file: string): number => Number(/^(?:practice-)?(\d\d)-/.exec(file)?.[1] ?? 0);
const PARTS = {
  'lessons and practice sets 1, 3, 5…, the index and the playground': (file: string): boolean => numberOf(file) % 2 === 1 || numberOf(file) === 0,
  'lessons and practice sets 2, 4, 6…': (file: string): boolean => numberOf(file) !== 0 && numberOf(file) % 2 === 0,
} as const;
/** Pages each part must have seen (the list of pages was read). */
const MUST: Readonly<Record<Part, readonly string[]>> = {
  'lessons and practice sets 1, 3, 5…, the index and the playground': ['03-learning-rate.html', 'practice-03-learning-rate.html', 'playground.html', 'index.html'],
  'lessons and practice sets 2, 4, 6…': ['04-backprop.html', 'practice-04-backprop.html'],
};
export type Part = keyof typeof PARTS;

/** One page of the site as opened by `visitAll`: what it logged until it was ready, and what it shows at 390 px (a phone). */
interface Visit {
  readonly file: string;
  /** Console errors, failed requests and uncaught exceptions, from loading until its mountains were ready. */
  readonly errors: readonly string[];
  readonly width: number;
  /** Figures and SVGs with no accessible name. */
  readonly unnamed: readonly string[];
  readonly withoutMathml: number;
  /** Each slider's aria-valuetext and its field's value. */
  readonly sliders: readonly (readonly [string | null, string])[];
  /** 03-learning-rate.html: after ArrowRight on the slider, its aria-valuetext, its position and the field's value. */
  readonly keyboard?: readonly [string | null, string, string];
}

/**
 * Opens each page of the site that `part` takes, one after another (opening a live page runs its lesson in the page's
 * worker, so the two tests share one pass rather than making two): waits until it is ready, keeps what it logged,
 * then reads it at 390 px.
 */
function visitAll(live: SiteInBrowser, part: Part): Promise<Visit[]> {
  return (async () => {
    const open = opener(live);
    const files = (await readdir(live.site)).filter((f) => f.endsWith('.html') && PARTS[part](f)).sort();
    const seen: Visit[] = [];
    for (const file of files) {
      const { page, errors, close } = await open(file);
      await page.waitForFunction(() => [...document.querySelectorAll('figure.dh-mountain')].every((f) => f.hasAttribute('data-ready')));
      const logged = [...errors];
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForFunction(() => [...document.querySelectorAll('figure.dh-mountain')].every((f) => f.hasAttribute('data-ready')));
      // Every section laid out, as it is once scrolled to (a live page skips those off the screen: content-visibility).
      const width = await page.evaluate(() => {
        const all = document.createElement('style');
        all.textContent = 'section { content-visibility: visible !important; }';
        document.head.append(all);
        const w = document.scrollingElement!.scrollWidth;
        all.remove();
        return w;
      });
      // A figure is named by its caption (or aria-label); an SVG in it is one image named by a label or the caption.
      const unnamed = await page.evaluate(() => {
        const text = (id: string | null): string => (id === null ? '' : (document.getElementById(id)?.textContent ?? '').trim());
        const figures = [...document.querySelectorAll('figure:not([hidden])')].filter((f) => (f.querySelector(':scope > figcaption')?.textContent ?? f.getAttribute('aria-label') ?? '').trim() === '');
        // (A plot is named by its spec: the group that holds every mark, svg > g > g.root > g[role=img].)
        const svgs = [...document.querySelectorAll('figure > svg, .dh-graph svg')].map((svg) => svg.querySelector(':scope > g > g.root > g[role=img]') ?? svg)
          .filter((svg) => svg.getAttribute('role') !== 'img' || ((svg.getAttribute('aria-label') ?? '').trim() === '' && text(svg.getAttribute('aria-labelledby')) === ''));
        return [...figures, ...svgs].map((el) => `${el.tagName} ${el.outerHTML.slice(0, 80)}`);
      });
      // Every formula keeps KaTeX's MathML, which screen readers read.
      const withoutMathml = await page.evaluate(() => [...document.querySelectorAll('.katex')].filter((k) => k.querySelector(':scope > .katex-mathml > math') === null).length);
      // Sliders say the setting's value, not their 0–1000 position.
      const sliders = await page.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('input[type=range]')].map((r) => [r.getAttribute('aria-valuetext'), (document.querySelector<HTMLInputElement>(`input[name=${r.dataset['flag']}]`)?.value ?? '')] as const));
      let keyboard: Visit['keyboard'];
      if (file === '03-learning-rate.html') {
        // Moved from the keyboard, the slider says the new learning rate (the field's), not its position.
        await page.focus('input[type=range][data-flag=lr]');
        await page.keyboard.press('ArrowRight');
        keyboard = await page.evaluate(() => {
          const r = document.querySelector<HTMLInputElement>('input[type=range][data-flag=lr]')!;
          return [r.getAttribute('aria-valuetext'), r.value, document.querySelector<HTMLInputElement>('input[name=lr]')!.value] as const;
        });
      }
      seen.push({ file, errors: logged, width, unnamed, withoutMathml, sliders, ...(keyboard === undefined ? {} : { keyboard }) });
      await close();
    }
    return seen;
  })();
}

/**
 * The tests of every page of the site, for the pages `part` takes (the two parts together are every page, each
 * tested by its own file, so that they run beside each other). Call once, at the top of a test file.
 */
export function everyPageOfTheSite(live: SiteInBrowser, part: Part): void {
  let visits: Promise<Visit[]> | undefined;
  const visited = (): Promise<Visit[]> => visits ??= visitAll(live, part);

  describe(`every page of the site: ${part}`, () => {
    test('loads from file:// and starts with no console error', async () => {
      const seen = await visited();
      expect(seen.map((v) => v.file)).toEqual(expect.arrayContaining([...MUST[part]]));
      for (const { file, errors } of seen) expect.soft(errors, file).toEqual([]);
    }, SITE_BUILD_TIMEOUT); // every page, one after another

    test('at 390 px (a phone) no page is wider than the screen; every figure and picture has an accessible name, every formula its MathML, every slider its value as aria-valuetext', async () => {
      const seen = await visited();
      expect(seen.map((v) => v.file)).toEqual(expect.arrayContaining([...MUST[part]]));
      for (const { file, unnamed, withoutMathml, sliders, keyboard } of seen) {
        expect.soft(unnamed, `${file}: figures or SVGs with no accessible name`).toEqual([]);
        expect.soft(withoutMathml, `${file}: formulas without MathML`).toBe(0);
        for (const [said, value] of sliders) expect.soft(said, `${file}: a slider's aria-valuetext`).toBe(value);
        if (file === '03-learning-rate.html') {
          const [said, position, value] = keyboard!;
          expect(said).toBe(value);
          expect(said).not.toBe(position);
        }
      }
      for (const { file, width } of seen) expect.soft(width, `${file}: width at 390 px`).toBeLessThanOrEqual(390);
    }, SITE_BUILD_TIMEOUT);
  });
}
