// What the training pages' tests (site-training, site-convolution) read from a page: its sections after the form,
// with what the machine decides (the times a run took) blanked, so a page can be compared with the CLI's for the
// same settings; and how they send a change.
import type { Page } from 'playwright-core';

/** A text replacement made in every text node: pattern (a RegExp's source), its flags, the replacement. */
export type Blank = readonly [pattern: string, flags: string, replacement: string];

/**
 * The sections after the form as HTML, in the page or in `html` (the CLI's page): in each table whose last heading
 * matches `timeHeading` (a RegExp's source) the last column blanked, `blanks` made in every text node, empty class
 * attributes left out (the page's dimming of the numbers while a run starts); numbers to 12 digits and plot ids
 * without their hash (as test/site.test.ts compares pages: Chromium's Math differs from Node's in the last bit for
 * some functions).
 */
export function trainingSections(page: Page, html: string | undefined, timeHeading: string, blanks: readonly Blank[]): Promise<string[]> {
  return page.evaluate(({ source, timeHeading, blanks }) => {
    const root = source === undefined ? document : new DOMParser().parseFromString(source, 'text/html');
    const heading = new RegExp(timeHeading);
    return [...root.querySelectorAll('main > section')].map((s) => {
      const copy = s.cloneNode(true) as Element;
      for (const table of copy.querySelectorAll('table')) {
        if (!heading.test(table.querySelector('thead th:last-child')?.textContent ?? '')) continue;
        for (const cell of table.querySelectorAll('tbody tr > td:last-child')) cell.textContent = '';
      }
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
        n.textContent = blanks.reduce((text, [pattern, flags, by]) => text.replace(new RegExp(pattern, flags), by), n.textContent ?? '');
      }
      return copy.outerHTML
        .replace(/ class=""/g, '')
        .replace(/dh[0-9a-f]{10}-/g, 'dh-')
        .replace(/-?\d+\.\d{6,}(?:e-?\d+)?/g, (v) => String(Number(Number(v).toPrecision(12))));
    });
  }, { source: html, timeHeading, blanks });
}

/** Puts settings in the fields and sends one change (from the last field): one run. */
export async function change(page: Page, settings: Readonly<Record<string, string>>): Promise<void> {
  await page.evaluate((s) => {
    let last: HTMLInputElement | undefined;
    for (const [name, value] of Object.entries(s)) {
      last = document.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
      last.value = value;
    }
    last!.dispatchEvent(new Event('change', { bubbles: true }));
  }, settings);
}

/** Settings as the fields hold them (text), as numbers, as the library takes them. */
export const numbers = (settings: Readonly<Record<string, string>>): Record<string, number> =>
  Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, Number(v)]));
