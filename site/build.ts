/**
 * `npm run site`: the static site in out/site/. Vite bundles the engine for
 * the browser (engine.js), the page script (live.js) and, apart, the plot and
 * picture libraries (plots.js, graphviz.js: see site/libraries.ts); every page
 * works opened from file:// with no network.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { transform } from 'esbuild';
import { build, type Plugin } from 'vite';
import { type Document, type Lesson } from '../src/index.ts';
import {
  allLessons, CALL_LIMIT, escapeHtml, LESSON_SETTINGS, lessonPage, pageFile, renderPage, sectionsHtml, settingLabel,
  type DocumentHtmlOptions, type LessonFlag,
} from '../src/live.ts';
import { digitsData } from './digits-data.ts';
import { fingerprint } from './fingerprint.ts';
import { checkSiteFolder, isMain, siteMain, writeSite } from './output.ts';
import { practicePages } from './practice.ts';
import { NEW_BOOT_WORKER, scriptTag, startWorkerTag } from './scripts.ts';
import { TRAINING_CSS, TRAINING_HTML, TRAINING_LESSONS } from './training.ts';
import { LIBRARY_GROUPS, LIBRARY_SOURCES, libraryGlobal, libraryOf, type LibraryGroup } from './libraries.ts';

const root = resolve(import.meta.dirname, '..');
const shim = resolve(root, 'site/shims/node.ts');

/**
 * The module put in place of `katex` in engine.js: KaTeX (site/katex-entry.ts, bundled on its own) as source
 * text (sent beside the engine: EngineTexts), run on the first formula. Its ~270 kB of code are neither parsed nor run before the worker's first
 * answer (a warm-up that needs no formula); the renderer and ParseError are KaTeX's own.
 */
const SITE_KATEX = '\0downhill-site-katex';

/** The module put in place of src/expr/mathjs-bundle.ts: mathjs's parser now, the rest on first use (site/mathjs-browser.ts). */
const SITE_MATHJS = '\0downhill-site-mathjs';

/**
 * The texts the engine compiles on first use (mathjs-core.cjs, KaTeX's bundle), kept out of its source: engine.js
 * sends them to the worker beside it, as strings (`self.DOWNHILL_TEXTS` there), so that the worker's compile of the
 * engine does not scan their 0.9 MB (written as string literals, with an escape every few characters).
 */
export interface EngineTexts { readonly mathjs: string; readonly katex: string }

/** In the engine's source: the text `name` engine.js sent (an internal error if it did not). */
const engineText = (name: keyof EngineTexts): string =>
  `() => { const text = self.DOWNHILL_TEXTS?.[${JSON.stringify(name)}]; if (typeof text !== 'string') throw new Error('engine.js sent no ${name} text'); return text; }`;

/**
 * Redirects the engine's imports to their browser forms: mathjs as
 * site/mathjs-browser.ts loads it (its parser, and mathjs-core.cjs's source
 * as a string, run on first use), and each of Node's modules to a stand-in
 * with the same export names (site/shims/node.ts), listed from the real module here.
 */
const browserEngine: Plugin = {
  name: 'downhill-browser-engine',
  enforce: 'pre',
  resolveId(source, importer) {
    // mathjs's parser, the rest of mathjs-core.cjs on first use (dist/'s browser form, package.json's "browser" field, imports it all).
    if (source.endsWith('/mathjs-bundle.ts')) return SITE_MATHJS;
    // KaTeX as text, but for its own bundle (site/katex-entry.ts); src/render/katex-bundle.ts is node's loader of it.
    if (source.endsWith('/katex-bundle.ts')) return SITE_KATEX;
    if (source === 'katex' && importer !== undefined && !importer.endsWith('/site/katex-entry.ts')) return SITE_KATEX;
    if (source.startsWith('node:')) return `\0${source}`;
    if (source === 'downhill') return resolve(root, 'src/index.ts');
    return null;
  },
  async load(id) {
    if (id === SITE_MATHJS) {
      return [
        `import { siteMathjs } from ${JSON.stringify(resolve(root, 'site/mathjs-browser.ts'))};`,
        `export const mathjsBundle = siteMathjs(${engineText('mathjs')});`,
      ].join('\n');
    }
    if (id === SITE_KATEX) {
      return [
        `const source = ${engineText('katex')};`,
        'let katex;',
        '/** KaTeX, run once on first use (its bundle defines the global downhill_katex in the function\'s scope). */',
        'const load = () => (katex ??= new Function(`${source()}\\nreturn downhill_katex.katex;`)());',
        'const katexStandIn = { renderToString: (...args) => load().renderToString(...args), get ParseError() { return load().ParseError; } };',
        'export default katexStandIn;',
        '/** In place of src/render/katex-bundle.ts: the same stand-in, and no formulas kept between page loads. */',
        'export const loadKatex = () => katexStandIn;',
        'export const acceptedTex = () => ({ has: () => false, add: () => undefined });',
      ].join('\n');
    }
    if (!id.startsWith('\0node:')) return null;
    const module = id.slice(1);
    const names = Object.keys(await import(module) as object).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
    return [
      `import { standIn } from ${JSON.stringify(shim)};`,
      ...names.map((n) => `export const ${n} = standIn(${JSON.stringify(module)}, ${JSON.stringify(n)});`),
      'export default {};',
    ].join('\n');
  },
};

/**
 * Keeps vega, vega-lite and Graphviz out of the engine: each `import('vega')`
 * becomes `downhillLibrary('vega')`, which the worker resolves once the page
 * has sent it the library's group (site/libraries.ts). Counts what it rewrote.
 */
function lazyLibraries(rewritten: Set<string>): Plugin {
  return {
    name: 'downhill-lazy-libraries',
    enforce: 'pre',
    transform(code) {
      if (!code.includes('import(')) return null;
      const out = code.replace(/\bimport\((['"])([^'"]+)\1\)/g, (whole, _q: string, module: string) => {
        if (libraryOf(module) === undefined) return whole;
        rewritten.add(module);
        return `globalThis.downhillLibrary(${JSON.stringify(module)})`;
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}

/**
 * mathjs's three error classes take their prototype from an error made when their module loads
 * (`DimensionError.prototype = new RangeError()`). In a worker, Chromium records where each error is made, and
 * the first error made while the bundle's one large function is on the stack has that function parsed again
 * for its source positions: 0.4-2.5 s measured at load 13-25, more than half the engine's start (measured under
 * Playwright, whose DevTools session may make Chromium record more; not measured without one). The prototypes are made with
 * Object.create instead (the same prototype chain: `instanceof RangeError` holds; no error is made). Throws
 * when mathjs no longer reads as expected, so that a mathjs upgrade cannot bring the cost back unseen.
 */
const ERROR_PROTOTYPES = ['ArgumentsError', 'DimensionError', 'IndexError'] as const;
function noErrorsAtLoad(patched: Set<string>): Plugin {
  return {
    name: 'downhill-no-errors-at-load',
    enforce: 'pre',
    transform(code, id) {
      const name = /mathjs\/lib\/esm\/error\/(\w+)\.js$/.exec(id)?.[1];
      if (name === undefined || !(ERROR_PROTOTYPES as readonly string[]).includes(name)) return null;
      const out = code.replace(new RegExp(`\\b${name}\\.prototype = new (Range)?Error\\(\\);`), (_m, range: string | undefined) => `${name}.prototype = Object.create(${range ?? ''}Error.prototype);`);
      if (out === code) throw new Error(`site build: mathjs's ${name}.js no longer makes its prototype with new Error() (see noErrorsAtLoad)`);
      patched.add(name);
      return { code: out, map: null };
    },
  };
}

/** One entry bundled to a single classic script (IIFE) defining the global `name`, returned as text. */
export async function bundle(entry: string, name = 'downhill', extra: Plugin[] = []): Promise<string> {
  const result = await build({
    root,
    configFile: false,
    logLevel: 'error',
    plugins: [browserEngine, ...extra],
    // Modules that find files next to themselves do so when they load (a classic script has no import.meta): a URL that names no file.
    define: { 'import.meta.url': JSON.stringify('file:///downhill-in-the-browser/') },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: resolve(root, entry), formats: ['iife'], name, fileName: () => 'bundle.js' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as { output: { type: string; code?: string }[] }[];
  const chunks = outputs.flatMap((r) => r.output).filter((o) => o.type === 'chunk');
  if (chunks.length !== 1 || chunks[0]!.code === undefined) throw new Error(`${entry}: expected one chunk, got ${chunks.length}`);
  return chunks[0]!.code;
}


/** The style of the live parts. */
const LIVE_CSS = `
/* A section off the screen is not laid out or painted until it comes near (a rerun replaces sections far below the
   settings: laying them out and painting them was half of lesson 4's wait); \`auto\` keeps the size it last had. */
form.dh-live ~ section { content-visibility: auto; contain-intrinsic-size: auto 1200px; }
form.dh-live fieldset { border: 1px solid var(--rule); border-radius: 8px; padding: .5rem 1rem .75rem; margin: 0 0 2rem; min-width: 0; }
form.dh-live legend { padding: 0 .25rem; font-size: var(--step--1); color: var(--muted); }
form.dh-live label { display: inline-flex; flex-wrap: wrap; align-items: center; gap: .25rem .5rem; margin: .25rem 1.5rem .25rem 0; white-space: nowrap; max-width: 100%; }
form.dh-live p > label, form.dh-live td label { white-space: normal; }
form.dh-live input[type=range] { accent-color: var(--accent); min-width: 0; }
form.dh-live input[type=number], form.dh-live input[inputmode] { width: 7.5rem; font: inherit; }
form.dh-live input[name=expression] { width: 100%; font: 1rem var(--mono); padding: .3rem; }
.dh-status { color: var(--muted); font-size: var(--step--1); }
svg.dh-stale { opacity: .35; }
.dh-stale-numbers { opacity: .45; transition: opacity .2s; }
#dh-results.dh-stale .dh-report > section { opacity: .4; }
.dh-results-note { color: var(--muted); font-style: italic; }
.dh-error { color: var(--bad); font-weight: 600; }
form[aria-busy=true] .dh-status::after { content: ' …'; }
figure.dh-mountain .dh-mountain-views { display: flex; flex-wrap: wrap; gap: 1rem; justify-content: center; align-items: center; }
figure.dh-mountain canvas { border: 1px solid var(--rule); border-radius: 6px; touch-action: none; cursor: crosshair; max-width: 100%; height: auto; background: #fff; }
figure.dh-mountain canvas.dh-surface { cursor: grab; background: #fbfbfd; }
figure.dh-mountain canvas:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.dh-mountain-buttons { margin: .5rem 0; }
pre.dh-update { text-align: left; min-height: 4.5em; }
#dh-results .dh-graph svg { max-width: 100%; height: auto; }
.dh-symbols { overflow-x: auto; }
@media (max-width: 40rem) {
  form.dh-live label { display: flex; width: 100%; margin-right: 0; }
  form.dh-live td label { display: inline-flex; width: auto; }
  form.dh-live input[type=range] { flex: 1 1 8rem; }
  form.dh-live input[type=number], form.dh-live input[inputmode] { width: 6rem; }
}
`.trim();

/** A lesson setting's control: a slider with a text field (a number), a checkbox (a boolean) or a menu (a choice). */
export type FlagControl =
  | { readonly kind: 'number'; readonly flag: LessonFlag; readonly value: number; readonly min: number; readonly max: number; readonly log: boolean; readonly integer: boolean }
  | { readonly kind: 'boolean'; readonly flag: LessonFlag; readonly value: boolean }
  | { readonly kind: 'choice'; readonly flag: LessonFlag; readonly value: string; readonly choices: readonly string[] };

/** The controls of a lesson's settings (lesson/settings.ts), each starting at the lesson's default; a slider's range is around it. */
export function controlsOf(lesson: Lesson): FlagControl[] {
  return (Object.keys(lesson.defaults) as LessonFlag[]).map((flag): FlagControl => {
    const spec = LESSON_SETTINGS[flag];
    const value = lesson.defaults[flag]!;
    switch (spec.kind) {
      case 'boolean': return { kind: 'boolean', flag, value: value as boolean };
      case 'choice': return { kind: 'choice', flag, value: value as string, choices: spec.choices };
      case 'number': {
        const v = value as number;
        const integer = 'integer' in spec && spec.integer;
        const within = (lo: number, hi: number): { min: number; max: number } => ({
          min: 'min' in spec ? Math.max(lo, spec.min) : lo,
          max: 'max' in spec ? Math.min(hi, spec.max) : hi,
        });
        if (!integer) {
          if (v > 0 && 'max' in spec && spec.max <= 1) return { kind: 'number', flag, value: v, min: 0, max: Math.min(0.999, spec.max), log: false, integer: false };
          // A setting that may be negative (lesson 2's point) slides over its whole range.
          if ('min' in spec && 'max' in spec && spec.min < 0) return { kind: 'number', flag, value: v, min: spec.min, max: spec.max, log: false, integer: false };
          return { kind: 'number', flag, value: v, min: v / 100, max: v * 100, log: true, integer: false };
        }
        if (flag === 'seed') return { kind: 'number', flag, value: v, ...within(0, 1000), log: false, integer: true };
        if (flag === 'steps') return { kind: 'number', flag, value: v, ...within(1, Math.max(100, 5 * v)), log: false, integer: true };
        return { kind: 'number', flag, value: v, ...within(1, Math.max(10, 4 * v)), log: false, integer: true };
      }
    }
  });
}

/**
 * The settings form: disabled until the script has started the engine. Text
 * fields, not type=number (which empties itself on text it cannot read, such
 * as a link's ?lr=abc): the engine gets what was typed and answers the CLI's
 * message. The labels are the command's help's words (lesson/settings.ts).
 */
function controlsHtml(lesson: Lesson, controls: readonly FlagControl[], sections?: Readonly<Record<string, string>>): string {
  const training = TRAINING_LESSONS.has(lesson.number);
  const position = (c: Extract<FlagControl, { kind: 'number' }>): number => Math.round(1000 * (c.log ? Math.log(c.value / c.min) / Math.log(c.max / c.min) : (c.value - c.min) / (c.max - c.min)));
  const row = (c: FlagControl): string => {
    const label = escapeHtml(settingLabel(c.flag));
    switch (c.kind) {
      case 'number': return `<label>${label} <input type="range" min="0" max="1000" value="${position(c)}" data-flag="${c.flag}" aria-label="${c.flag} slider" aria-valuetext="${c.value}"> <input type="text" inputmode="decimal" name="${c.flag}" value="${c.value}" autocomplete="off" aria-label="${c.flag}"></label>`;
      case 'boolean': return `<label>${label} <input type="checkbox" name="${c.flag}"${c.value ? ' checked' : ''}></label>`;
      case 'choice': return `<label>${label} <select name="${c.flag}">${c.choices.map((o) => `<option${o === c.value ? ' selected' : ''}>${escapeHtml(o)}</option>`).join('')}</select></label>`;
    }
  };
  return [
    `<form id="dh-live" class="dh-live"><fieldset disabled><legend>Your settings (the same as <code>downhill lesson ${lesson.number} --lr …</code>)</legend>`,
    controls.map(row).join('\n'),
    ...(training ? [TRAINING_HTML] : []),
    '<output class="dh-status" aria-live="polite">the page below was written with the default settings</output>',
    '</fieldset>',
    `<script type="application/json" id="dh-lesson">${JSON.stringify({ number: lesson.number, flags: controls, ...(training ? { training } : {}), ...(sections === undefined ? {} : { sections }) })}</script>`,
    '</form>',
  ].join('\n');
}

/** The fingerprint of each part of a lesson's page after its form (the contents list, the sections: sectionsHtml), by id. */
export function staticFingerprints(doc: Document): Record<string, string> {
  return Object.fromEntries(sectionsHtml(doc).filter((p) => p.html !== '').map((p) => [p.id, fingerprint(p.html)]));
}

/**
 * The live parts of a page (render/page.ts puts each in its place): the form
 * after the subtitle, the style, and the scripts. The head's first script
 * starts the engine's worker (a stand-in, until engine.js sends it the
 * engine); engine.js is an async script in the head, which sends the engine
 * as soon as it has loaded; live.js runs once the page has been read.
 */
const liveParts = (form: string): NonNullable<DocumentHtmlOptions['live']> => ({
  afterSubtitle: form,
  css: `${LIVE_CSS}\n${TRAINING_CSS}`,
  headStart: startWorkerTag(),
  headEnd: scriptTag('engine.js', 'async'),
  bodyEnd: scriptTag('live.js', 'defer'),
});

function playgroundPage(): string {
  const form = [
    '<noscript><p class="dh-error">The playground needs JavaScript: it runs downhill\'s engine in your browser. Without it, <a href="index.html">the lesson pages</a> still show every lesson with its default settings, and the command line does what this page does: <code>downhill grad "(y - (w*x + b))^2" --wrt w,b --at w=0.5,b=0.5,x=1,y=2</code>.</p></noscript>',
    '<form id="dh-playground" class="dh-live"><fieldset disabled><legend>Your loss</legend>',
    '<p><label style="display:block">an expression in mathjs syntax, or named steps (<code>z = w*x; L = (y - z)^2</code>), the same as <code>downhill grad "…"</code>',
    '<input name="expression" value="(y - (w*x + b))^2" spellcheck="false" autocomplete="off" aria-label="expression"></label></p>',
    '<p class="dh-error" role="alert"></p>',
    '<div class="dh-symbols"></div>',
    '<label>learning rate η <input type="text" inputmode="decimal" name="lr" value="0.1" autocomplete="off"></label>',
    '<label>steps <input type="text" inputmode="numeric" name="steps" value="30" autocomplete="off"></label>',
    '<button type="button" name="stop" disabled title="stop the running request (each stops by itself after the limits of one call: 10 s)">stop</button>',
    '</fieldset></form>',
    '<div id="dh-results" hidden>',
    '<p class="dh-results-note" hidden></p>',
    // downhill grad's report of the loss (check/grad-report.ts), with a check, the graph and a descent: the engine's sections.
    '<div class="dh-report"></div>',
    '</div>',
  ].join('\n');
  const live = liveParts(form);
  return renderPage({
    title: 'Playground: your own loss',
    subtitle: 'Type a loss, say which symbols are parameters and which are data, and see its exact derivatives, its graph, a gradient check and gradient descent on it.',
    nav: [{ href: 'index.html', text: 'all lessons' }],
    afterSubtitle: live.afterSubtitle!, css: live.css!, headStart: live.headStart!, headEnd: live.headEnd!, bodyEnd: live.bodyEnd!,
  });
}

/**
 * A script (the engine, mathjs-core.cjs, KaTeX's bundle) with every character outside ASCII written as an escape
 * (esbuild's `charset: 'ascii'`: in strings, templates and names; in regular expressions, below). Chromium holds a
 * text with one such character in two bytes a character: engine.js's strings, their copy to the worker and the
 * worker's compile each doubled.
 */
async function asciiOnly(source: string): Promise<string> {
  // esbuild leaves regular expressions as they are; there, \uXXXX of each UTF-16 unit matches what the character did
  // (with the u flag, a pair of surrogates written so is one code point).
  return (await transform(source, { charset: 'ascii', minifyWhitespace: true, target: 'es2022' })).code
    .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * engine.js: the engine's source as a string, with the texts it compiles on first use (EngineTexts), sent to the
 * worker the page's head started (site/scripts.ts's startWorkerTag: a stand-in that runs the source it is sent), or
 * to a fresh one (`DOWNHILL_START()`: when a request ran past its time budget and ended its worker, or on a page
 * without the head's script).
 */
function engineScript(source: string, texts: EngineTexts): string {
  return [
    `self.DOWNHILL_ENGINE = ${JSON.stringify(source)};`,
    `self.DOWNHILL_TEXTS = ${JSON.stringify(texts)};`,
    `self.DOWNHILL_CALL_LIMIT = ${JSON.stringify(CALL_LIMIT)};`,
    `self.DOWNHILL_START = function (worker) {`,
    `  worker = worker || ${NEW_BOOT_WORKER};`,
    '  worker.postMessage({ engine: self.DOWNHILL_ENGINE, texts: self.DOWNHILL_TEXTS });',
    '  return worker;',
    '};',
    'self.DOWNHILL_WORKER = self.DOWNHILL_START(self.DOWNHILL_BOOT);',
    '',
  ].join('\n');
}

/** Builds the site into `outDir`: index, playground, every lesson, KaTeX's files, the two scripts. */
export async function buildSite(outDir: string): Promise<void> {
  const lessons = await allLessons();
  const groups = Object.keys(LIBRARY_GROUPS) as LibraryGroup[];
  const scriptFiles = ['engine.js', 'live.js', ...groups.map((g) => `${g}.js`)];
  // Before the work: the folder must take the site's files (a file of the user's on one of them is refused at once).
  // The practice pages, and each lesson's link to its set (site/practice.ts).
  const practice = await practicePages(new Map(lessons.map((l) => [l.number, pageFile(l)])));
  const practiceLink = (n: number): { also?: { href: string; text: string }[] } => (practice.links.has(n) ? { also: [practice.links.get(n)!] } : {});
  await checkSiteFolder(outDir, [...lessons.map(pageFile), 'index.html', 'playground.html', ...practice.pages.map((p) => p.file)], scriptFiles);
  const rewritten = new Set<string>();
  const patched = new Set<string>();
  const [engine, mathjs, katex, live, ...libraries] = await Promise.all([
    bundle('site/engine.ts', 'downhill', [lazyLibraries(rewritten), noErrorsAtLoad(patched)]).then(asciiOnly),
    readFile(resolve(root, 'src/expr/mathjs-core.cjs'), 'utf8').then(asciiOnly),
    bundle('site/katex-entry.ts', 'downhill_katex').then(asciiOnly),
    bundle('site/live.ts'),
    ...groups.map((g) => bundle(`site/libraries/${g}.ts`, libraryGlobal(g), [digitsData])),
  ]);
  // Every library the engine imports lazily must have been rewritten, or it would be bundled into engine.js (or fail to load).
  const missed = groups.flatMap((g) => Object.keys(LIBRARY_GROUPS[g])).filter((m) => !rewritten.has(m));
  if (missed.length > 0) throw new Error(`site build: the engine no longer imports ${missed.join(', ')} lazily`);
  if (patched.size !== ERROR_PROTOTYPES.length) throw new Error(`site build: only ${[...patched].join(', ') || 'none'} of mathjs's ${ERROR_PROTOTYPES.join(', ')} were loaded and patched (see noErrorsAtLoad)`);
  const pages: { file: string; html: string }[] = [];
  const liveNumbers: number[] = [];
  for (const lesson of lessons) {
    const controls = controlsOf(lesson);
    // A lesson with no settings would have nothing to rerun: its page would load no script.
    const live = controls.length > 0;
    if (live) liveNumbers.push(lesson.number);
    // The form says what each section of the page is (its fingerprint, as the worker computes it): the page knows
    // what it holds without rerunning the lesson with its defaults (site/live/lesson.ts).
    const parts = (doc: Document): NonNullable<DocumentHtmlOptions['live']> => liveParts(controlsHtml(lesson, controls, staticFingerprints(doc)));
    pages.push({ file: pageFile(lesson), html: await lessonPage(lesson, {}, null, { index: true, ...practiceLink(lesson.number) }, live ? parts : undefined) });
  }
  const items = lessons.map((l) => `<li><a href="${escapeHtml(pageFile(l))}">Lesson ${l.number}: ${escapeHtml(l.title)}</a> — ${escapeHtml(l.summary)}${practice.links.has(l.number) ? ` (<a href="${escapeHtml(practice.links.get(l.number)!.href)}">${escapeHtml(practice.links.get(l.number)!.text)}</a>)` : ''}</li>`);
  pages.push({
    file: 'index.html',
    html: renderPage({
      title: 'downhill: the lessons, live',
      subtitle: `Lessons ${liveNumbers.slice(0, -1).join(', ')} and ${liveNumbers.at(-1)} run in your browser: change a setting and the lesson reruns (lessons ${[...TRAINING_LESSONS].slice(0, -1).join(', ')} and ${[...TRAINING_LESSONS].at(-1)} train there epoch by epoch, with a stop button). Or bring your own loss to the playground.`,
      bodyHtml: `<p><a href="playground.html">The playground</a>: type a loss and see its exact derivatives.</p><ol>${items.join('')}</ol>`,
    }),
  });
  pages.push({ file: 'playground.html', html: playgroundPage() }, ...practice.pages);
  // Only the site's own files are replaced; all are staged, then renamed into place together (site/output.ts).
  await writeSite(outDir, pages, [
    { file: 'engine.js', data: engineScript(engine, { mathjs, katex }) },
    { file: 'live.js', data: live },
    ...groups.map((g, k) => ({ file: `${g}.js`, data: `(self.${LIBRARY_SOURCES} ??= {})[${JSON.stringify(g)}] = ${JSON.stringify(libraries[k])};\n` })),
  ]);
}

if (isMain(import.meta.url)) process.exitCode = await siteMain(process.argv.slice(2), buildSite);
