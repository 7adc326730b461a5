// Lesson 8 live (#24: it paints its first result first and the rest after): a change's first update holds the new
// run's numbers and sentences, every picture still being drawn the one shown before, kept in place, dimmed and
// aria-busy; its last update is the CLI's page for the same settings.
import { expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { close, opener, sectionsHtml, setField, textWithoutPictures } from './support/site-page.ts';

const live = siteInBrowser();
const open = opener(live);

/** What a figure showed at the page's first update after a change: whether it is the element shown before, and its SVG's marks. */
interface FigureThen { readonly kept: boolean; readonly svgKept: boolean; readonly stale: boolean; readonly busy: string | null; readonly caption: string }

test.each([['lr', '2.5'], ['seed', '3']] as const)('lesson 8, --%s %s: the first update shows the new numbers, the pictures before kept in place (dimmed, aria-busy); the last is the CLI\'s page', async (flag, value) => {
  const lesson = await findLesson('8');
  const { page, errors } = await open('08-xor.html');
  await page.waitForFunction(() => window.downhill!.complete && window.downhill!.warm);
  await setField(page, 'lr', '1.5'); // the plot and picture libraries have arrived after it
  // Every figure is marked, then the page's main element and figures are read at its first update (when its draft is counted).
  await page.evaluate(() => {
    const d = window.downhill!;
    // (an expando, not an attribute: the page compares a block's nodes, attributes and all, with the new ones)
    for (const e of document.querySelectorAll('main figure, main figure > svg')) (e as unknown as { dhShown: boolean }).dhShown = true;
    let drafts = d.drafts;
    Object.defineProperty(d, 'drafts', {
      get: () => drafts,
      set: (v: number) => {
        drafts = v;
        Object.assign(window, {
          draftHtml: `<main>${document.querySelector('main')!.innerHTML}</main>`,
          draftFigures: [...document.querySelectorAll('main > section figure')].map((f) => ({
            kept: (f as unknown as { dhShown?: boolean }).dhShown === true, svgKept: (f.querySelector(':scope > svg') as unknown as { dhShown?: boolean } | null)?.dhShown === true,
            stale: f.querySelector(':scope > svg.dh-stale') !== null, busy: f.querySelector(':scope > svg')?.getAttribute('aria-busy') ?? null,
            caption: f.querySelector('figcaption')?.textContent ?? '',
          })),
        });
      },
    });
  });
  await setField(page, flag, value);
  const { draftHtml, draftFigures } = await page.evaluate(() => {
    const w = window as unknown as { draftHtml?: string; draftFigures?: FigureThen[] };
    return { draftHtml: w.draftHtml, draftFigures: w.draftFigures };
  });
  expect(draftHtml).toBeDefined();
  const settings = { lr: 1.5, [flag]: Number(value) };
  const cliHtml = await lessonPage(lesson, settings);
  // The first update's every number, sentence and caption is the new run's (the CLI's), none the run before's.
  const cliText = await textWithoutPictures(page, cliHtml);
  expect(await textWithoutPictures(page, draftHtml)).toEqual(cliText);
  expect(cliText).not.toEqual(await textWithoutPictures(page, await lessonPage(lesson, { lr: 1.5 })));
  // Its four figures are the elements shown before: the loss curve, the network and the decision boundary with their
  // pictures of the settings before, dimmed and busy; the backpropagation plot (the same at every setting) as drawn.
  expect(draftFigures!.map((f) => [f.kept, f.svgKept, f.stale, f.busy])).toEqual([
    [true, true, true, 'true'], [true, true, true, 'true'], [true, true, true, 'true'], [true, true, false, null],
  ]);
  const cliCaptions = await page.evaluate((html) => [...new DOMParser().parseFromString(html, 'text/html').querySelectorAll('main > section figure figcaption')].map((c) => c.textContent), cliHtml);
  expect(draftFigures!.map((f) => f.caption)).toEqual(cliCaptions);
  // Then the CLI's page, SVGs and all, nothing left dimmed or busy.
  const shown = await sectionsHtml(page);
  expect(shown.join('')).not.toMatch(/dh-pending|dh-stale|aria-busy/);
  expect(shown.map(close)).toEqual((await sectionsHtml(page, cliHtml)).map(close));
  expect(errors).toEqual([]);
  await page.context().close();
});
