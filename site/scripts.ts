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

/**
 * The engine's worker, first as a stand-in that waits for the engine: it runs the first message it gets (engine.js
 * sends the engine's source, and the texts it compiles on first use: site/build.ts's EngineTexts) and, from then on, the engine answers. A page starts it in the head, before its style
 * sheets and content (startWorkerTag), so that Chromium's start of a worker (a thread and a JavaScript heap:
 * 35-170 ms measured at load 14-17) overlaps reading the page, not the engine's own start. The source comes as a message, not as
 * a file: a page opened from file:// may start a worker only from a Blob, and the worker may not load a file.
 */
export const WORKER_BOOT = 'self.onmessage=function(e){self.onmessage=null;self.DOWNHILL_TEXTS=e.data.texts;(0,eval)(e.data.engine)};';

/**
 * A JavaScript expression: a new stand-in worker, from one Blob URL of WORKER_BOOT per page (kept in
 * self.DOWNHILL_BOOT_URL, made by the first call), in the head's script and in engine.js's restarts alike.
 */
export const NEW_BOOT_WORKER = `new Worker(self.DOWNHILL_BOOT_URL||(self.DOWNHILL_BOOT_URL=URL.createObjectURL(new Blob([${JSON.stringify(WORKER_BOOT)}],{type:'text/javascript'}))))`;

/** The head's inline script that starts the stand-in worker (text the build writes; engine.js sends it the engine). */
export function startWorkerTag(): string {
  return `<script>self.DOWNHILL_BOOT=${NEW_BOOT_WORKER};</script>`;
}
