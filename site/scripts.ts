/**
 * The script tags of the site's live pages. A script that does not load (a
 * page copied without engine.js or live.js beside it, a file removed) is
 * not silent: its tag's onerror puts one line at the top of the page, naming
 * the file and what it means (the page stays as written: its settings do
 * not rerun it). The handler is inline (the page may have no script that
 * works) and is text the build writes, never anything a learner typed.
 *
 *   scriptTag('engine.js', 'async')   // '<script src="engine.js" async onerror="…"></script>'
 */

/** The site's scripts: the engine's worker (async, in the head) and the page's controls (deferred, at the end). */
export type SiteScript = 'engine.js' | 'live.js';

/** The line shown when `file` did not load (plain text: no quote, no markup, so it sits in an attribute as it is). */
export function scriptErrorText(file: SiteScript): string {
  return `${file} did not load, so this page cannot run: it shows what was written with the default settings. Open it from the folder npm run site built, with ${file} beside it.`;
}

/**
 * The handler: a paragraph (class dh-error dh-script-error, role alert) with
 * the line as text, put first in <main> once the page has been read (an
 * async script may fail before <main> exists). One line per file that failed.
 */
function onerror(file: SiteScript): string {
  const text = scriptErrorText(file);
  if (/["'&<>\\]/.test(text)) throw new Error(`scriptErrorText(${file}) must be plain text`);
  return [
    "var p=document.createElement('p');p.className='dh-error dh-script-error';p.setAttribute('role','alert');",
    `p.textContent='${text}';`,
    "var put=function(){(document.querySelector('main')||document.body).prepend(p)};",
    "if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',put);else put();",
  ].join('');
}

/** The tag of one of the site's scripts, saying on the page when it does not load. */
export function scriptTag(file: SiteScript, mode: 'async' | 'defer'): string {
  return `<script src="${file}" ${mode} onerror="${onerror(file)}"></script>`;
}

/** Where startWorkerTag's engine goes: the build puts the engine's source there in every live page (site/build.ts). */
export const ENGINE_PLACEHOLDER = '<!downhill-engine-source>';

/**
 * The engine's source as the text of a `<script type="text/plain">`, read back by engineText: every `<` is written `<!`
 * (and read back by replacing each `<!` with `<`), so that the text holds no `</script` that would end the element, no
 * `<!--` nor `<script` that would change how the page's parser reads on. The source must have no carriage return (the
 * parser reads one as a line feed) and no NUL: it is ASCII without control characters but tabs and line feeds.
 */
export function engineElementText(source: string): string {
  if (/[^\t\n\x20-\x7e]/.test(source)) throw new Error('site build: the engine\'s source has a character other than printable ASCII, tab or line feed');
  return source.replaceAll('<', '<!');
}

/** Reads engineElementText's text back (a JavaScript expression of the element's text, `t`). */
const engineText = (t: string): string => `${t}.replaceAll('<!','<')`;

/**
 * A JavaScript expression: a new worker of the engine, from the page's one Blob URL of the engine's source
 * (self.DOWNHILL_ENGINE_URL, made by the head's script: startWorkerTag), in the head and in engine.js's restarts alike.
 */
export const NEW_ENGINE_WORKER = 'new Worker(self.DOWNHILL_ENGINE_URL)';

/**
 * The head's first script, and the engine's source before it (a text, not a script: ENGINE_PLACEHOLDER, which the
 * build fills): the script starts the engine's worker from that source (a Blob: a page opened from file:// may start
 * a worker from no file, and the worker may load none). It comes before the page's style sheets and content, so that
 * Chromium's start of a worker (a thread and a JavaScript heap: 35-170 ms at load 14-17) and the engine's compile and
 * warm-up on that thread overlap the page's reading and layout. The worker's own script is the engine: Chromium holds
 * a message to a worker on the page's thread until that thread has handled the worker's start, which waited behind
 * the page's parsing and layout (the engine sent as a message reached the worker 0.3-0.7 s after the page had sent it,
 * at load 15-24; sent by engine.js, lesson 4's first answer came 1.4 s after load at load 4-5). engine.js brings the
 * texts the engine compiles on first use.
 */
export function startWorkerTag(): string {
  return [
    `<script type="text/plain" id="dh-engine">${ENGINE_PLACEHOLDER}</script>`,
    `<script>(function(){var e=document.getElementById('dh-engine');self.DOWNHILL_ENGINE_URL=URL.createObjectURL(new Blob([${engineText('e.text')}],{type:'text/javascript'}));e.remove();self.DOWNHILL_BOOT=${NEW_ENGINE_WORKER};})();</script>`,
  ].join('');
}
