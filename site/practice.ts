/**
 * The practice pages of the site: one page per practice set
 * (lessons/practice/NN-name.ts), practice-NN-name.html. A page holds each
 * exercise's question (its prompt, rendered as the lesson pages render
 * prose) and a form to answer it; the answers are derived by the engine in
 * the page's worker (site/practice-worker.ts), never written into the page.
 * The page's program is site/live/practice.ts.
 *
 *   const { pages, links } = await practicePages()
 *   links.get(4)   // { href: 'practice-04-backprop.html', text: 'practice: …' }
 */
import { itemsOf, promptText, type PracticeItem, type PracticeSet } from '../src/index.ts';
import { allSets, escapeHtml, practiceFile, renderPage, textWithMath } from '../src/live.ts';
import { scriptTag, startWorkerTag } from './scripts.ts';

/** The style of a practice page. */
const PRACTICE_CSS = `
section.dh-item form { margin: .5rem 0 0; }
section.dh-item label.dh-answer-label { display: block; font-size: var(--step--1); color: var(--muted); margin-bottom: .2rem; }
section.dh-item input[name=answer] { width: 100%; box-sizing: border-box; font: 1rem var(--mono); padding: .35rem; }
section.dh-item fieldset { border: 1px solid var(--rule); border-radius: 8px; padding: .25rem .75rem .5rem; min-width: 0; }
section.dh-item fieldset label { display: block; margin: .25rem 0; }
.dh-preview { min-height: 1.6em; margin: .35rem 0; overflow-x: auto; overflow-y: hidden; }
.dh-preview-label { color: var(--muted); font-size: var(--step--1); margin-right: .5rem; }
.dh-preview-error { color: var(--muted); font-style: italic; font-size: var(--step--1); overflow-wrap: anywhere; }
.dh-buttons { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.dh-buttons button { font: inherit; padding: .3rem .8rem; }
.dh-verdict { font-weight: 600; overflow-wrap: anywhere; }
.dh-verdict.dh-right { color: var(--good); }
.dh-verdict.dh-wrong { color: var(--bad); }
.dh-hint, .dh-method, .dh-run { overflow-wrap: anywhere; }
.dh-method { color: var(--muted); font-size: var(--step--1); }
.dh-shown { border-left: 3px solid var(--accent); padding: .25rem .75rem; overflow-x: auto; }
#dh-summary table { width: 100%; }
#dh-summary td, #dh-summary th { overflow-wrap: anywhere; }
`.trim();

const kindWords: Record<PracticeItem['kind'], string> = {
  formula: 'A formula', number: 'A number', prediction: 'A prediction about a run', matrix: 'A matrix equation', choice: 'One choice',
};
const kindHelp: Record<PracticeItem['kind'], string> = {
  formula: 'in mathjs syntax, e.g. 2*x*(w*x - y) or sigmoid(z)*(1 - sigmoid(z))',
  number: 'a number: 0.25, 2/15 and 1e-8 are numbers',
  prediction: 'a number; the run is done after you answer, and you get one try',
  matrix: "in mathjs syntax: * the matrix product, .* element by element, X' the transpose",
  choice: '',
};

/** One exercise: its question, the answer's field (or the choices), the buttons, and where the verdict and hints go. */
function itemHtml(item: PracticeItem, k: number): string {
  const n = k + 1;
  const id = escapeHtml(item.id);
  const field = item.kind === 'choice'
    ? [
      `<fieldset><legend>Your answer to exercise ${n}</legend>`,
      ...item.choices.map((c, i) => `<label><input type="radio" name="answer" value="${'abcdefgh'[i]}" disabled> ${'abcdefgh'[i]}) ${textWithMath(c)}</label>`),
      '</fieldset>',
    ].join('\n')
    : [
      `<label class="dh-answer-label" for="answer-${id}">Your answer to exercise ${n}: ${escapeHtml(kindHelp[item.kind])}</label>`,
      `<input id="answer-${id}" name="answer" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" disabled aria-describedby="verdict-${id}">`,
      `<p class="dh-preview"><span class="dh-preview-label">you typed:</span><span class="dh-preview-math"></span><span class="dh-preview-error"></span></p>`,
    ].join('\n');
  const prompt = item.kind === 'choice' ? item.prompt : promptText(item);
  return [
    `<section id="item-${id}" class="dh-item" data-id="${id}" data-kind="${item.kind}">`,
    `<h2>${n}. ${kindWords[item.kind]}</h2>`,
    `<p>${textWithMath(prompt)}</p>`,
    '<form class="dh-answer" novalidate>',
    field,
    '<p class="dh-buttons"><button type="submit" disabled>check</button> <button type="button" name="hint" disabled title="where the mistake is (after a wrong answer)">hint</button> <button type="button" name="reveal" disabled title="the answer itself">show me</button></p>',
    `<p class="dh-verdict" id="verdict-${id}" role="status" aria-live="polite"></p>`,
    '<p class="dh-run"></p>',
    '<p class="dh-hint" aria-live="polite"></p>',
    '<div class="dh-shown" hidden></div>',
    '<p class="dh-method"></p>',
    '</form>',
    '</section>',
  ].join('\n');
}

/** A practice set's page. */
export function practicePage(set: PracticeSet, lessonFile: string | undefined): string {
  const items = itemsOf(set);
  const data = { lesson: set.lesson, name: set.name, items: items.map((i) => ({ id: i.id, kind: i.kind })) };
  const body = [
    '<noscript><p class="dh-error">The practice page needs JavaScript: it grades your answers with downhill\'s engine in your browser. Without it, the command line does the same: <code>downhill practice ' + set.lesson + '</code>.</p></noscript>',
    `<p>${items.length} exercises. Each answer is graded by the engine, which works out the exact answer in this page; a wrong one gets the kind of mistake, <em>hint</em> says where it is, <em>show me</em> gives the answer. Your progress stays in this browser.</p>`,
    ...items.map(itemHtml),
    '<section id="dh-summary"><h2>Your progress</h2>',
    '<p class="dh-score" aria-live="polite"></p>',
    '<table class="numeric"><thead><tr><th>exercise</th><th>verdict</th><th class="num">attempts</th><th class="num">hint level</th></tr></thead><tbody></tbody></table>',
    '<p><button type="button" name="reset">start again</button></p>',
    '</section>',
    // Ids and kinds only: no answer.
    `<script type="application/json" id="dh-practice">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`,
  ].join('\n');
  return renderPage({
    title: set.title,
    subtitle: `Practice for lesson ${set.lesson}: type your answers, the engine grades them.`,
    nav: [{ href: 'index.html', text: 'all lessons' }, ...(lessonFile === undefined ? [] : [{ href: lessonFile, text: `lesson ${set.lesson}` }])],
    bodyHtml: body,
    css: PRACTICE_CSS,
    headStart: startWorkerTag(),
    headEnd: scriptTag('engine.js', 'async'),
    bodyEnd: scriptTag('live.js', 'defer'),
  });
}

/** Every set's page, and for each lesson number the link to its set. */
export async function practicePages(lessonFiles: ReadonlyMap<number, string>): Promise<{ pages: { file: string; html: string }[]; links: Map<number, { href: string; text: string }> }> {
  const sets = await allSets();
  const pages = sets.map((set) => ({ file: practiceFile(set), html: practicePage(set, lessonFiles.get(set.lesson)) }));
  const links = new Map(sets.map((set) => [set.lesson, { href: practiceFile(set), text: `practice: ${itemsOf(set).length} exercises` }] as const));
  return { pages, links };
}
