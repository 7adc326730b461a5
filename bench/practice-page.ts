/**
 * `npm run bench:practice-page`: how long a practice page of the site takes
 * to grade one answer, in headless Chromium, the page opened from file://
 * as a learner opens it. Every answer of the corpus
 * (test/fixtures/practice-corpus.ts) that is not a prediction (a
 * prediction's time is its run's) is typed into its set's page and checked
 * (Enter, or a choice's radio and "check"); the figures are the time from
 * "check" to the verdict shown (the page's `verdictMs`: the request, the
 * worker's grading, the reply, the DOM) and the worker's own time
 * (`workerVerdictMs`). As a baseline measured in the same run, the same
 * answers graded by gradeAnswer in Node (median of 5 rounds after a first).
 * The load average is printed: on a busy machine the absolute figures can be
 * several times off; the ratio page/Node says what the browser adds.
 *
 *   npm run bench:practice-page                 # builds the site into a temporary folder
 *   npm run bench:practice-page -- out/site     # an already built site
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { allSets, practiceFile } from '../src/live.ts';
import { gradeAnswer, itemsOf, prepareItem, warmUp, type PreparedItem } from '../src/practice/practice.ts';
import { buildSite } from '../site/build.ts';
import { findChromium } from '../test/support/chromium.ts';
import { corpus } from '../test/fixtures/practice-corpus.ts';
import { median } from './stats.ts';

const given = process.argv[2];
const built = given === undefined ? await mkdtemp(join(tmpdir(), 'downhill-practice-bench-')) : undefined;
const dir = given === undefined ? built! : resolve(given);
if (built !== undefined) await buildSite(built);
else if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir} holds no built site (npm run site -- ${dir})`);
const loadBefore = loadavg()[0]!;

const sets = await allSets();
const prepared = new Map<string, PreparedItem>();
for (const set of sets) for (const item of itemsOf(set)) prepared.set(`${set.lesson}/${item.id}`, prepareItem(item));
warmUp(prepared.values());
const answers = corpus.filter(([lesson, id]) => prepared.get(`${lesson}/${id}`)!.item.kind !== 'prediction');

// The baseline: the same verdicts in Node.
const node: number[] = [];
for (const [lesson, id, answer] of answers) {
  const p = prepared.get(`${lesson}/${id}`)!;
  gradeAnswer(p, answer);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    gradeAnswer(p, answer);
    times.push(performance.now() - t);
  }
  node.push(median(times));
}

const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
const page: number[] = [];
const worker: number[] = [];
const wrongVerdicts: string[] = [];
for (const set of sets) {
  const mine = answers.filter(([lesson]) => lesson === set.lesson);
  if (mine.length === 0) continue;
  const context = await browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } });
  const tab = await context.newPage();
  await tab.goto(pathToFileURL(join(dir, practiceFile(set))).href);
  // Warm: every item prepared in the worker, as a learner's page is by the time they have read the first question.
  await tab.waitForFunction(() => window.downhill?.ready === true && window.downhill.warm === true, null, { timeout: 120_000 });
  for (const [lesson, id, answer, expected] of mine) {
    const before = await tab.evaluate(() => window.downhill!.verdicts);
    const kind = prepared.get(`${lesson}/${id}`)!.item.kind;
    if (kind === 'choice') {
      const radio = tab.locator(`#item-${id} input[type=radio][value="${answer.trim().toLowerCase()}"]`);
      if (await radio.count() === 0) continue; // an answer no radio can give (a number, a word): the CLI's only
      await radio.check();
      await tab.click(`#item-${id} button[type=submit]`);
    } else {
      await tab.fill(`#answer-${id}`, answer);
      await tab.press(`#answer-${id}`, 'Enter');
    }
    await tab.waitForFunction((n) => window.downhill!.verdicts > n, before, { timeout: 60_000 });
    const { verdictMs, workerVerdictMs } = await tab.evaluate(() => ({ verdictMs: window.downhill!.verdictMs, workerVerdictMs: window.downhill!.workerVerdictMs }));
    page.push(verdictMs);
    worker.push(workerVerdictMs);
    const shown = (await tab.textContent(`#verdict-${id}`)) ?? '';
    if (shown.startsWith('✔') !== (expected === 'right')) wrongVerdicts.push(`${lesson}/${id} "${answer}": ${shown}`);
  }
  await context.close();
}
await browser.close();
if (built !== undefined) await rm(built, { recursive: true, force: true });

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
const pct = (xs: readonly number[], q: number): number => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const line = (xs: readonly number[]): string => `median ${ms(median([...xs]))}, 95th percentile ${ms(pct(xs, 0.95))}, largest ${ms(Math.max(...xs))}; ${xs.filter((x) => x <= 50).length} of ${xs.length} within 50 ms`;
process.stdout.write([
  `practice pages in Chromium, ${page.length} answers of the corpus (predictions excluded); load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
  `  "check" to the verdict shown: ${line(page)}`,
  `  in the worker:                ${line(worker)}`,
  `  baseline, gradeAnswer in Node (${node.length} answers): ${line(node)}`,
  `  page / Node, medians: ${(median([...page]) / median([...node])).toFixed(1)}`,
  `  verdicts that differ from the corpus's: ${wrongVerdicts.length}${wrongVerdicts.length > 0 ? `\n    ${wrongVerdicts.join('\n    ')}` : ''}`,
].join('\n') + '\n');
