// The playground of the live site in a real browser (support/site-page.ts):
// steps and learning rate checked as the CLI checks them, the address holding
// the whole state (a shared link opens on it), the CLI's limits and parser,
// and the time budget.
import { describe, expect, test } from 'vitest';
import { commandOutput } from './support/cli.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { commandSections, injected, opener, PAYLOADS, reportText, sharedPage, typeInto } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, SITE_BUILD_TIMEOUT } from './support/chromium.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();
// Pages get Playwright's clock: typeInto jumps over the playground's 700 ms pause before an error.
const open = opener(live, { clock: true });
// The playground's page (no link settings), for the checks, the limits and the budget one after another (support/site-page.ts
// sharedPage: loaded once; after a failed test the next gets a fresh one). Each types its own expression and settings,
// none changes a value or a role. The address's test, whose pages come from links, comes first: its tab then serves this page.
const playground = sharedPage(open, 'playground.html');

describe('the playground: checks, limits, the address', () => {
  test('the address holds the expression, roles, values and settings; a shared link opens on them, with the payloads staying text', async () => {
    const query = `?${new URLSearchParams({ expression: '(y - w*x)^2', wrt: 'w', 'at.w': '1.5', 'at.x': '1', 'at.y': '2', lr: '0.2', steps: '7' })}`;
    const { page, errors, close } = await open('playground.html', undefined, query);
    await page.waitForSelector('#dh-results:not([hidden])');
    await page.waitForFunction(() => document.querySelectorAll('#partials code.dh-text').length > 0);
    const cli = JSON.parse((await commandOutput(['grad', '(y - w*x)^2', '--wrt', 'w', '--at', 'w=1.5,x=1,y=2', '--json'])).stdout) as { derivatives: Record<string, { text: string }>; gradient: Record<string, number> };
    expect(await page.locator('#partials code.dh-text').allTextContents()).toEqual([`∂f/∂w = ${cli.derivatives['w']!.text}`]);
    expect(await page.inputValue('input[name=value-w]')).toBe('1.5');
    expect(await page.isChecked('input[name=role-x][value=data]')).toBe(true);
    expect(await page.locator('#descent tbody tr:last-child td:first-child').textContent()).toBe('7');
    // ∂f/∂w = −2x(y − wx) = −1 at w = 1.5, x = 1, y = 2 (by hand), as the CLI says.
    expect(cli.gradient['w']).toBe(-1);
    expect(await page.textContent('#check tbody td:nth-child(2)')).toBe('-1');
    // A change goes to the address (once typing has paused), in the CLI's words.
    await typeInto(page, 'value-w', '0.25');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('at.w') === '0.25');
    const address = new URLSearchParams(await page.evaluate(() => location.search));
    expect(Object.fromEntries(address)).toEqual({ expression: '(y - w*x)^2', wrt: 'w', 'at.w': '0.25', 'at.x': '1', 'at.y': '2', lr: '0.2', steps: '7' });
    expect(errors).toEqual([]);
    await close();
    // Payloads in the address stay text too.
    for (const payload of PAYLOADS.slice(0, 4)) {
      const bad = `?${new URLSearchParams({ expression: `w*x + ${payload}`, wrt: payload, 'at.w': payload, 'at.x': '1', lr: payload, steps: payload })}`;
      const opened = await open('playground.html', undefined, bad);
      await opened.page.waitForFunction(() => window.downhill!.updates > 0 && !window.downhill!.errorPending);
      expect(await injected(opened.page), payload).toEqual([]);
      await opened.close();
    }
  }, BROWSER_TEST_TIMEOUT);

  test('steps and learning rate are checked as the CLI checks a lesson\'s --steps and --lr; the page keeps working', async () => {
    const { page, errors } = await playground.use();
    await page.waitForSelector('#dh-results:not([hidden])');
    const set = (name: string, value: string): Promise<void> => typeInto(page, name, value);
    for (const [flag, value, good] of [['steps', '100000000', '30'], ['steps', '-5', '30'], ['steps', '2.5', '30'], ['steps', '', '30'], ['lr', '0', '0.1'], ['lr', '', '0.1'], ['lr', 'abc', '0.1']] as const) {
      const cli = await commandOutput(['lesson', '3', `--${flag}`, value, '--no-page']);
      expect(cli.code).not.toBe(0);
      await set(flag, value);
      expect(await page.textContent('.dh-error'), `${flag} ${value}`).toBe(`downhill grad: ${cli.stderr.trim().replace(/^downhill lesson: /, '')}`);
      await set(flag, good);
      expect(await page.textContent('.dh-error')).toBe('');
    }
    // Still working: a new number of steps is run (the descent table's last row is step 7).
    await set('steps', '7');
    expect(await page.locator('#descent tbody tr:last-child td:first-child').textContent()).toBe('7');
    expect(errors).toEqual([]);
  }, SITE_BUILD_TIMEOUT); // every page, one after another

  test('the CLI\'s limits and parser: 4,999 partials are refused at once with downhill grad\'s line; 40 doubling steps and 150 brackets are answered as the CLI answers them, 201 brackets refused with its line; the next expression answers', async () => {
    const { page, errors } = await playground.use();
    // The first answer shown (the graph, and Graphviz, wait until it comes near the screen: 'complete' may not come).
    await page.waitForFunction(() => window.downhill!.updates > 0, null, { timeout: 60_000 });
    expect(await page.isDisabled('button[name=stop]')).toBe(true);
    // 4,999 three-letter symbols (19,995 characters, within the parser's 20,000), as in test/robustness.test.ts.
    const product = Array.from({ length: 4999 }, (_, i) => 'qwzj'[Math.floor(i / 1296)]! + (i % 1296).toString(36).padStart(2, '0')).join('*');
    const cli = await commandOutput(['grad', product]);
    expect(cli.stderr.trim()).toMatch(/^downhill grad: 4999 partial derivatives asked for: at most 200/);
    await typeInto(page, 'expression', product);
    // downhill grad's own line, not the budget's 'stopped after': refused by the count, before any derivative (how soon is
    // the benchmark's to measure, not a timed test's: at load 20 typing the 19,995 characters alone took tens of seconds).
    expect(await page.textContent('.dh-error')).toBe(cli.stderr.trim());
    // One parser and one set of limits (issue 27): a chain of 40 named doubling steps, and brackets nested 150 deep,
    // are answered by both with the same report; 201 levels are refused by both with the same line.
    const chain = ['a1 = w*x', ...Array.from({ length: 39 }, (_, k) => `a${k + 2} = a${k + 1}*a${k + 1}`)].join('; ');
    const deep = `${'(x+'.repeat(150)}w${')'.repeat(150)}`;
    // x is data, w a parameter, both at the page's starts (w = 0.5, x = 1), given in the order the text names them.
    for (const [text, at] of [[chain, 'w=0.5,x=1'], [deep, 'x=1,w=0.5']] as const) {
      await typeInto(page, 'expression', text);
      expect(await page.textContent('.dh-error'), text.slice(0, 20)).toBe('');
      expect(await reportText(page)).toEqual(commandSections((await commandOutput(['grad', text, '--wrt', 'w', '--at', at])).stdout));
    }
    const tooDeep = `${'('.repeat(201)}w${')'.repeat(201)}`;
    const refused = await commandOutput(['grad', tooDeep]);
    expect(refused.stderr.trim()).toBe('downhill grad: expression nested too deeply at column 201 (at most 200 levels of brackets)');
    await typeInto(page, 'expression', tooDeep);
    expect(await page.textContent('.dh-error')).toBe(refused.stderr.trim());
    expect(await page.isDisabled('button[name=stop]')).toBe(true);
    await typeInto(page, 'expression', 'w^2');
    expect(await page.textContent('.dh-error')).toBe('');
    expect(await page.locator('#partials code.dh-text').allTextContents()).toEqual(['∂f/∂w = 2 * w']);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);

  test('the time budget: a request past it is stopped with one line, at once, and the next one answers (a 1 ms budget through the test hook)', async () => {
    const { page, errors } = await playground.use();
    await page.waitForFunction(() => window.downhill!.updates > 0, null, { timeout: 60_000 });
    // 60 partials, a graph, a check and a descent: far more than 1 ms of work, well within the real budget.
    const sum = `(${Array.from({ length: 60 }, (_, i) => `a${i + 1}`).join(' + ')})^2`;
    await page.evaluate(() => { window.DOWNHILL_BUDGET_MS = 1; });
    await typeInto(page, 'expression', sum);
    expect(await page.textContent('.dh-error')).toMatch(/^downhill grad: stopped after 1 ms: the limits of one call are 10 s and 1 GB on a quiet machine/);
    expect(await page.isDisabled('button[name=stop]')).toBe(true);
    // The budget as shipped: the stopped worker is replaced, and the same expression is answered, then the next.
    await page.evaluate(() => { delete window.DOWNHILL_BUDGET_MS; });
    await typeInto(page, 'expression', `${sum} + 0`);
    expect(await page.textContent('.dh-error')).toBe('');
    expect(await page.locator('#partials code.dh-text').count()).toBe(60);
    await typeInto(page, 'expression', 'w^2');
    expect(await page.locator('#partials code.dh-text').allTextContents()).toEqual(['∂f/∂w = 2 * w']);
    expect(errors).toEqual([]);
  }, BROWSER_TEST_TIMEOUT);
});
