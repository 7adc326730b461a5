// A lesson page's start in a real browser (site/live/lesson.ts): the page as
// written is the lesson's run with its defaults, and the build wrote what each
// of its sections is (its fingerprint), so at load the engine only warms up: it
// does not rerun the lesson, and Graphviz (2.9 MB) is not loaded until a
// picture is about to come on screen or the learner touches the settings. The fingerprints are checked against the
// engine's own full run with the defaults.
import { expect, test } from 'vitest';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { siteInBrowser } from './support/site-browser.ts';
import { contentText, opener, setField } from './support/site-page.ts';
import { BROWSER_TEST_TIMEOUT, PAGE_WAIT } from './support/chromium.ts';

const live = siteInBrowser();
const open = opener(live);

/** In the page, before its scripts: the kind of every request sent to the engine's worker, in order (`sentKinds()`). */
function recordRequests(): void {
  const kinds: string[] = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
    const m = message as { request?: { kind?: string }; library?: string; engine?: string };
    kinds.push(m.request?.kind ?? (m.library !== undefined ? `library ${m.library}` : m.engine !== undefined ? 'engine' : '?'));
    (post as (this: Worker, ...a: unknown[]) => void).call(this, message, ...rest);
  } as typeof Worker.prototype.postMessage;
  Object.assign(window, { sentKinds: () => [...kinds] });
}
type Recorded = Window & { sentKinds(): string[] };

/** The engine's full run of `lesson` with `settings`, asked directly (its sections' fingerprints, by id). */
function engineFingerprints(lesson: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const worker = window.DOWNHILL_WORKER!;
    const id = 1e9;
    const on = (e: MessageEvent<{ id: number; ok: boolean; error?: string; result?: { parts: { id: string; hash: string; html: string }[] } }>): void => {
      if (e.data.id !== id) return;
      worker.removeEventListener('message', on);
      if (!e.data.ok) reject(new Error(e.data.error));
      else resolve(Object.fromEntries(e.data.result!.parts.filter((p) => p.html !== '').map((p) => [p.id, p.hash])));
    };
    worker.addEventListener('message', on);
    worker.postMessage({ id, request: { kind: 'lesson', lesson, settings: {}, mode: { draft: false, waitFor: ['plots', 'graphviz'] }, known: {} } });
  });
}

test('lesson 8 at load: the engine warms up without rerunning the lesson, Graphviz waits for a picture near the screen, and the page\'s fingerprints are the engine\'s', async () => {
  const lesson = await findLesson('8');
  const { page, errors, close } = await open('08-xor.html', recordRequests);
  await page.waitForFunction(() => window.downhill!.warm && window.downhill!.complete, null, { timeout: PAGE_WAIT });
  // The first answer is the warm-up's; no lesson run, and the static page is untouched (the CLI's page with the defaults).
  // (The engine's source goes to the worker first: engine.js sends it, before any request.)
  expect(await page.evaluate(() => window.downhill!.firstAnswerAt)).toBeGreaterThan(0);
  expect((await page.evaluate(() => (window as unknown as Recorded).sentKinds())).filter((k) => !k.startsWith('library'))).toEqual(['engine', 'warm', 'warm']);
  expect(await contentText(page)).toEqual(await contentText(page, await lessonPage(lesson)));
  // The network pictures are far below the first screen (1000 × 800): no Graphviz yet.
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.downhill!.libraries)).not.toContain('graphviz');
  // The build's fingerprints equal those of the engine's own run with the defaults (plots and pictures drawn in the worker).
  const written = await page.evaluate(() => (JSON.parse(document.querySelector('script#dh-lesson')!.textContent!) as { sections: Record<string, string> }).sections);
  expect(Object.keys(written).length).toBeGreaterThan(4);
  expect(await page.evaluate(engineFingerprints, 8)).toEqual(written);
  // A picture scrolled near the screen loads Graphviz.
  await page.locator('svg g.graph').first().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.downhill!.libraries.includes('graphviz'), null, { timeout: PAGE_WAIT });
  expect(errors).toEqual([]);
  await close();
}, BROWSER_TEST_TIMEOUT);

test('lesson 8: a first change replaces only the sections whose numbers it changes, and going back to the defaults gives the page as written', async () => {
  const lesson = await findLesson('8');
  const { page, errors, close } = await open('08-xor.html');
  await page.waitForFunction(() => window.downhill!.warm, null, { timeout: PAGE_WAIT });
  // Marks on the static sections: a section kept keeps its mark.
  await page.evaluate(() => document.querySelectorAll('main > section').forEach((s) => s.setAttribute('data-static', '')));
  // A hand on the settings starts Graphviz's load (the change will redraw the pictures, off screen as they are).
  expect(await page.evaluate(() => window.downhill!.libraries)).not.toContain('graphviz');
  await page.focus('input[name=seed]');
  await page.waitForFunction(() => window.downhill!.libraries.includes('graphviz'), null, { timeout: PAGE_WAIT });
  await setField(page, 'seed', '3');
  const kept = await page.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => [s.id, s.hasAttribute('data-static')] as const));
  // Seed 3 changes the training and what follows from it; the XOR table, the network and the exercises stay.
  expect(Object.fromEntries(kept)).toMatchObject({ 'xor-no-straight-line-will-do': true, 'a-2-2-1-network': true, training: false, exercises: true });
  expect(await contentText(page)).toEqual(await contentText(page, await lessonPage(lesson, { seed: 3 })));
  // Back to seed 1: the page as written again.
  await setField(page, 'seed', '1');
  expect(await contentText(page)).toEqual(await contentText(page, await lessonPage(lesson)));
  expect(errors).toEqual([]);
  await close();
}, BROWSER_TEST_TIMEOUT);
