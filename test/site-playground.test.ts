// The playground of the live site in a real browser (support/site-page.ts):
// its derivatives are `downhill grad`'s, its errors the CLI's line, typed
// text never becomes markup, an error waits for a pause in typing, Graphviz
// loads only when the graph comes near. Its checks and limits, the address
// and the time budget: site-playground-limits.test.ts.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandOutput } from './support/cli.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { commandSections, injected, opener, PAYLOADS, reportText, sharedPage, typeInto } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT } from './support/chromium.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();
// Pages get Playwright's clock: typeInto jumps over the playground's 700 ms pause before an error (the pause itself is
// tested, in real time, by 'an error is shown only once typing pauses').
const open = opener(live, { clock: true });
const openWithoutClock = opener(live);
// The playground's page for the first three tests, one after another (support/site-page.ts sharedPage: loaded once; after
// a failed test the next gets a fresh one): the definition, at the page's starting values, then the derivatives (which
// change w's value last), then the payloads (which put text in every field).
const playground = sharedPage(open, 'playground.html');

describe('the playground', () => {
  test('one definition ("x = w^2") and a symbol named __proto__ get downhill grad\'s derivatives', async () => {
    const { page, errors } = await playground.use();
    await page.waitForSelector('#dh-results:not([hidden])');
    const type = (text: string): Promise<void> => typeInto(page, 'expression', text);
    await type('x = w^2');
    const program = JSON.parse((await commandOutput(['grad', 'x = w^2', '--json'])).stdout) as { derivatives: Record<string, { text: string }> };
    expect(await page.textContent('.dh-error')).toBe('');
    expect(await page.locator('#partials code.dh-text').allTextContents()).toEqual([`∂x/∂w = ${program.derivatives['w']!.text}`]);
    // x = w² = 0.25 and ∂x/∂w = 2w = 1 at w = 0.5 (the page's start), by hand; the page's sections are the command's.
    expect(await page.textContent('#values pre')).toBe('at w = 0.5:\n  x = 0.25\n  ∂x/∂w = 1');
    expect(await reportText(page)).toEqual(commandSections((await commandOutput(['grad', 'x = w^2', '--at', 'w=0.5'])).stdout));
    await type('__proto__*w');
    const proto = JSON.parse((await commandOutput(['grad', '__proto__*w', '--json'])).stdout) as { derivatives: Record<string, { text: string }> };
    expect(await page.textContent('.dh-error')).toBe('');
    expect(await page.locator('#partials code.dh-text').allTextContents()).toEqual([`∂f/∂__proto__ = ${Object.getOwnPropertyDescriptor(proto.derivatives, '__proto__')!.value.text}`, `∂f/∂w = ${proto.derivatives['w']!.text}`]);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('the derivatives shown are downhill grad\'s; a bad expression shows the CLI\'s error and the page still works', async () => {
    const { page, errors } = await playground.use();
    await page.waitForSelector('#dh-results:not([hidden])');
    const type = (text: string): Promise<void> => typeInto(page, 'expression', text);
    const shown = (): Promise<string[]> => page.locator('#partials code.dh-text').allTextContents();
    const expression = 'sin(w*x)^2 + w*b/(1 + exp(-b))';
    await type(expression);
    const cli = await commandOutput(['grad', expression, '--wrt', 'w,b', '--json']);
    const derivatives = (JSON.parse(cli.stdout) as { derivatives: Record<string, { text: string }> }).derivatives;
    expect(await shown()).toEqual([`∂f/∂w = ${derivatives['w']!.text}`, `∂f/∂b = ${derivatives['b']!.text}`]);
    expect(await page.locator('#check td:last-child').allTextContents()).toEqual(['pass', 'pass']);
    // One report: the page's sections are downhill grad's at the page's values (w = b = 0.5, x = 1), line for line.
    const point = ['--wrt', 'w,b', '--at', 'w=0.5,x=1,b=0.5'];
    const printed = (await commandOutput(['grad', expression, ...point])).stdout;
    expect(await reportText(page)).toEqual(commandSections(printed));
    // The check's exact column is the command's gradient, to the table's 12 digits.
    const gradient = (JSON.parse((await commandOutput(['grad', expression, ...point, '--json'])).stdout) as { gradient: Record<string, number> }).gradient;
    const exact = (await page.locator('#check tbody td:nth-child(2)').allTextContents()).map((t) => Number(t.replace('−', '-')));
    expect(exact).toEqual([gradient['w']!, gradient['b']!].map((g) => Number(g.toPrecision(12))));

    await type('(w*x');
    const bad = await commandOutput(['grad', '(w*x']);
    expect(bad.code).not.toBe(0);
    expect(await page.textContent('.dh-error')).toBe(bad.stderr.trim());
    // The last valid expression's results stay, dimmed, and say so.
    expect(await page.getAttribute('#dh-results', 'class')).toContain('dh-stale');
    expect(await page.textContent('#dh-results .dh-results-note')).toBe(`The results below are those of the last valid expression, ${expression}.`);
    expect(await page.isVisible('#dh-results .dh-results-note')).toBe(true);

    await type('w^3');
    expect(await shown()).toEqual(['∂f/∂w = 3 * w ^ 2']);
    expect(await page.textContent('.dh-error')).toBe('');
    expect(await page.getAttribute('#dh-results', 'class') ?? '').not.toContain('dh-stale');
    expect(await page.isVisible('#dh-results .dh-results-note')).toBe(false);

    // A symbol's value is read as the CLI reads --at: text that is not a number gets its line; pi/4 is a number.
    await typeInto(page, 'value-w', 'abc');
    expect(await page.textContent('.dh-error')).toBe((await commandOutput(['grad', 'w^3', '--at', 'w=abc'])).stderr.trim());
    await typeInto(page, 'value-w', 'pi/4');
    expect(await page.textContent('.dh-error')).toBe('');
    expect(await reportText(page)).toEqual(commandSections((await commandOutput(['grad', 'w^3', '--at', 'w=pi/4'])).stdout));
    // f = (π/4)³ by hand.
    expect(Number(/ f = (\S+)/.exec((await page.textContent('#values pre'))!)![1])).toBeCloseTo((Math.PI / 4) ** 3, 14);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('typed text never becomes markup: the usual payloads in every field, then a new symbol (the table rebuilt), stay text', async () => {
    const { page, errors } = await playground.use();
    await page.waitForSelector('#dh-results:not([hidden])');
    for (const payload of PAYLOADS) {
      await typeInto(page, 'expression', '(y - (w*x + b))^2');
      for (const field of ['value-w', 'value-x', 'lr', 'steps']) await typeInto(page, field, payload);
      // The reproduction: a new symbol rebuilds the table with the values typed so far.
      await typeInto(page, 'expression', '(y - (w*x + b))^2 + c');
      expect(await page.inputValue('input[name=value-w]'), payload).toBe(payload);
      expect(await page.inputValue('input[name=value-x]'), payload).toBe(payload);
      await typeInto(page, 'expression', payload);
      expect(await page.textContent('.dh-error'), payload).toMatch(/^downhill grad: /);
      expect(await injected(page), payload).toEqual([]);
    }
    // Symbol names reach the table, the partials, the check and the descent as text.
    await typeInto(page, 'lr', '0.1');
    await typeInto(page, 'steps', '3');
    await typeInto(page, 'expression', '__proto__ * constructor * toString');
    expect(await page.locator('.dh-symbols code').allTextContents()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(await injected(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('an error is shown only once typing pauses: a loss typed at a normal pace flashes none', async () => {
    const { page, errors, close } = await openWithoutClock('playground.html');
    await page.waitForSelector('#dh-results:not([hidden])');
    const before = await page.evaluate(() => window.downhill!.errorsShown);
    await page.fill('input[name=expression]', '');
    // About 6 keys a second; most prefixes ("(y - (w", "sin(") do not parse.
    await page.type('input[name=expression]', '(y - sin(w*x + b))^2', { delay: 160 });
    await page.waitForFunction(() => !window.downhill!.errorPending);
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => window.downhill!.errorsShown)).toBe(before);
    expect(await page.textContent('.dh-error')).toBe('');
    // Stopping on a bad expression shows its error, once.
    await page.type('input[name=expression]', ' +', { delay: 160 });
    await page.waitForFunction(() => (document.querySelector('.dh-error')?.textContent ?? '') !== '', null, { timeout: 10_000 });
    expect(await page.evaluate(() => window.downhill!.errorsShown)).toBe(before + 1);
    expect(errors).toEqual([]);
    await close();
  }, BROWSER_TEST_TIMEOUT);

  test('Graphviz loads only when the graph is about to come on screen', async () => {
    // A short window, from the start: the graph is far below it.
    const context = await live.browser.newContext({ viewport: { width: 1000, height: 300 }, offline: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(live.site, 'playground.html')).href);
    await page.waitForSelector('#dh-results:not([hidden])');
    await page.waitForFunction(() => document.querySelectorAll('#partials code.dh-text').length > 0);
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => window.downhill!.libraries)).not.toContain('graphviz');
    await page.locator('.dh-graph').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => window.downhill!.libraries.includes('graphviz'));
    await page.waitForSelector('.dh-graph svg[role=img][aria-label^="computational graph"]', { timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  }, BROWSER_TEST_TIMEOUT);

  test('with JavaScript off, the page says the playground needs it and what works without it', async () => {
    const context = await live.browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(live.site, 'playground.html')).href);
    const text = await page.locator('main').innerText();
    expect(text).toContain('The playground needs JavaScript');
    expect(text).toContain('downhill grad');
    await context.close();
  }, BROWSER_TEST_TIMEOUT);
});
