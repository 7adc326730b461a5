/**
 * A lesson page, live: its settings form reruns the lesson in the worker and
 * patches the page in place, keeping the settings in the URL.
 */
import type { LessonReply, RunMode, SectionPart } from '../worker.ts';
import type { SectionEdits } from '../html-edits.ts';
import type { CheckpointReached } from '../training-worker.ts';
import type { FlagControl } from '../build.ts';
import { afterPaint, completed, countPainted, latestOnly, state, type Engine } from './engine.ts';
import { showSetting, wireControls } from './controls.ts';
import { liveMountains } from './mountain.ts';
import { applyEdits } from './edits.ts';

export interface LessonMeta {
  readonly number: number;
  readonly flags: readonly FlagControl[];
  /** A lesson that trains for long: its page trains with progress (site/live/training.ts). */
  readonly training?: boolean;
  /** The fingerprint of each part of the page after the form, by id, as the build wrote them (site/build.ts's staticFingerprints). */
  readonly sections?: Readonly<Record<string, string>>;
}

/**
 * One block's HTML as an element of this page: parsed in a template and
 * adopted (moved into the page's document, not copied: a deep importNode of
 * a section of KaTeX and SVG cost as much as parsing it).
 */
function parseBlock(html: string): Element {
  const template = document.createElement('template');
  template.innerHTML = html;
  const element = template.content.firstElementChild;
  if (element === null || template.content.children.length !== 1) throw new Error('a lesson block is not one element');
  return document.adoptNode(element);
}

/**
 * In a draft's block, each plot or picture still being drawn shows the one it
 * replaces, dimmed, when the old block had one in the same place (no flash of
 * an empty frame while a slider moves).
 */
function keepOldPictures(fresh: Element, old: Element): void {
  const now = [...fresh.querySelectorAll('figure > svg')];
  const before = [...old.querySelectorAll('figure > svg')];
  if (now.length !== before.length) return;
  now.forEach((svg, k) => {
    const previous = before[k]!;
    if (!svg.classList.contains('dh-pending') || previous.classList.contains('dh-pending')) return;
    previous.classList.add('dh-stale');
    previous.setAttribute('aria-busy', 'true'); // the picture of the settings before, until this one is drawn
    svg.replaceWith(previous);
  });
}

/**
 * A draft's figure whose picture is still being drawn (`fresh`, its SVG a placeholder), made in the figure shown
 * (`old`, its picture drawn): the old figure stays in the page with its picture, dimmed and aria-busy (the
 * settings before's), and takes the draft's other children (its caption) where they differ. False, with nothing
 * changed, when the two are not such figures. (Moving the drawn SVG into the draft's figure made the browser lay
 * it out again, and decode the image in it: lesson 8's three pictures were most of its draft's layout.)
 */
function keepOldPicture(old: Element, fresh: Element): boolean {
  if (old.tagName !== 'FIGURE' || fresh.tagName !== 'FIGURE' || old.childNodes.length !== fresh.childNodes.length || old.attributes.length !== fresh.attributes.length) return false;
  for (const a of fresh.attributes) if (old.getAttribute(a.name) !== a.value) return false;
  const before = [...old.childNodes];
  const after = [...fresh.childNodes];
  const k = after.findIndex((n) => n instanceof SVGSVGElement && n.classList.contains('dh-pending'));
  const previous = before[k];
  if (k < 0 || !(previous instanceof SVGSVGElement) || previous.classList.contains('dh-pending')) return false;
  if (after.some((n, j) => j !== k && n instanceof SVGSVGElement && n.classList.contains('dh-pending'))) return false;
  previous.classList.add('dh-stale');
  previous.setAttribute('aria-busy', 'true'); // the picture of the settings before, until this one is drawn
  before.forEach((n, j) => {
    if (j !== k && !n.isEqualNode(after[j]!)) n.replaceWith(after[j]!);
  });
  return true;
}

/**
 * Makes the shown section `old` hold what `fresh` holds by replacing only those of its children that differ
 * (isEqualNode: the same tree, attributes and text), when the two have the same tag, attributes and number of
 * children; returns the children put in, or undefined when the section must be replaced whole. A block the
 * run left alone (a formula of KaTeX, a table) keeps its nodes, so the browser styles and lays out only what
 * changed. A block with a script in it (a step-through) is always put in anew, its script run on it.
 */
function patchChildren(old: Element, fresh: Element, drawing = false): Element[] | undefined {
  const before = [...old.childNodes];
  const after = [...fresh.childNodes];
  if (old.tagName !== fresh.tagName || before.length !== after.length || old.attributes.length !== fresh.attributes.length) return undefined;
  for (const a of fresh.attributes) if (old.getAttribute(a.name) !== a.value) return undefined;
  // Text between the children (white space) is the same, or the section is replaced.
  if (before.some((n, k) => !(n instanceof Element) && !n.isEqualNode(after[k]!))) return undefined;
  if (after.some((n, k) => !(n instanceof Element) && before[k] instanceof Element)) return undefined;
  const inserted: Element[] = [];
  before.forEach((n, k) => {
    const next = after[k]!;
    // (A block with a script is put in anew, so its script runs on it: a step-through sets itself up.)
    if (!(n instanceof Element) || (n.isEqualNode(next) && n.tagName !== 'SCRIPT' && n.querySelector('script') === null)) return;
    // A draft's figure still being drawn keeps the one shown, in place (see keepOldPicture); its other blocks take
    // only the text and elements that changed (see patchInPlace).
    if (drawing && (keepOldPicture(n, next as Element) || patchInPlace(n, next as Element))) return;
    n.replaceWith(next);
    inserted.push(next as Element);
  });
  return inserted;
}

/** Whether two elements have the same name, attributes and number of child nodes. */
function sameShape(a: Element, b: Element): boolean {
  if (a.namespaceURI !== b.namespaceURI || a.tagName !== b.tagName || a.childNodes.length !== b.childNodes.length || a.attributes.length !== b.attributes.length) return false;
  for (const attribute of b.attributes) if (a.getAttribute(attribute.name) !== attribute.value) return false;
  return true;
}

/**
 * A draft's block (`fresh`: no script, no picture in it) made in the block shown (`old`) in place, when the two have
 * the same shape all the way down to where they differ: a text that differs takes the new text, an element that
 * differs in name, attributes or number of children is replaced by the new one, and everything equal stays, nodes
 * and all. False, with nothing changed, when the two blocks themselves differ in shape. A new run's table of weights
 * changes its numbers, not its KaTeX names: lesson 8's draft put some 850 new elements in, and the browser laid
 * them all out before painting the new numbers.
 */
function patchInPlace(old: Element, fresh: Element): boolean {
  if (!sameShape(old, fresh) || old.querySelector('script, svg') !== null || fresh.querySelector('script, svg') !== null) return false;
  const walk = (shown: Node, next: Node): void => {
    if (shown.isEqualNode(next)) return;
    if (shown.nodeType === Node.TEXT_NODE && next.nodeType === Node.TEXT_NODE) {
      shown.nodeValue = next.nodeValue;
      return;
    }
    if (!(shown instanceof Element) || !(next instanceof Element) || !sameShape(shown, next)) {
      shown.parentNode!.replaceChild(next, shown);
      return;
    }
    const after = [...next.childNodes];
    [...shown.childNodes].forEach((n, k) => walk(n, after[k]!));
  };
  walk(old, fresh);
  return true;
}

/**
 * The page's sections after the form, by id: each element and the fingerprint of the HTML it came from; `exact`
 * when its nodes are that HTML's, parsed (a draft's section showing the pictures before, dimmed, is not), so that
 * a later run's edits of that HTML can be made in them (site/live/edits.ts).
 */
export type Shown = Map<string, { readonly node: Element; readonly hash: string; readonly exact?: boolean }>;

/**
 * Sections' HTML the page has received, by fingerprint, and the newest
 * fingerprint of each id: sent with a request, so that the worker leaves
 * those sections' HTML out of its reply. (By fingerprint: a reply to an
 * earlier request may arrive between a request and its reply.)
 */
const received = new Map<string, string | Element>();
const newest = new Map<string, string>();

/**
 * A reply's sections with their HTML (from `received` where the worker left it out): a static section's
 * untouched copy (`mapStatic`) stands for its HTML, cloned only should it be rebuilt. A section sent as edits
 * comes without its HTML (undefined here, unless received before).
 */
function sectionsOf(parts: readonly SectionPart[]): { readonly id: string; readonly hash: string; readonly html: string | Element | undefined; readonly edits?: SectionEdits & { readonly base: string } }[] {
  if (received.size > 2000) {
    // A long session: forget the sections the page no longer shows; those it shows are still advertised to the worker (knownHashes), which leaves them out.
    const shown = new Set(newest.values());
    for (const hash of [...received.keys()]) if (!shown.has(hash)) received.delete(hash);
  }
  return parts.map((p) => {
    const html = p.html ?? received.get(p.hash);
    if (html !== undefined) received.set(p.hash, html);
    newest.set(p.id, p.hash);
    return { id: p.id, hash: p.hash, html, ...(p.edits === undefined ? {} : { edits: p.edits }) };
  });
}

/** What the page holds, as the worker's request wants it: the newest fingerprint of each section, by id. */
export const knownHashes = (): Record<string, string> => Object.fromEntries(newest);

/** Runs the inline scripts of elements put in the page (inserted from parsed HTML, they do not run): a fresh copy of each. */
function runScripts(parts: readonly Element[]): void {
  for (const part of parts) {
    for (const script of part instanceof HTMLScriptElement ? [part] : part.querySelectorAll('script')) {
      const copy = document.createElement('script');
      copy.textContent = script.textContent;
      script.replaceWith(copy);
    }
  }
}

/**
 * Puts a new run's sections after the form, by id, replacing only those whose
 * HTML changed (a section the run left alone keeps its live parts: a turned
 * mountain, a step-through's place), a section sent with its edits of the one
 * shown edited in place. Inline scripts of new sections are run. A section sent
 * as edits of one the page does not show as sent (or whose HTML the worker left
 * out and the page no longer holds) stays as it is, its id put in `missing`
 * (the caller asks for its HTML), or, without `missing`, throws.
 */
export function patchLesson(form: HTMLElement, shown: Shown | undefined, parts: readonly SectionPart[], missing?: string[]): Shown {
  const sections = sectionsOf(parts);
  if (shown === undefined) {
    while (form.nextSibling) form.nextSibling.remove();
    shown = new Map();
  }
  const next: Shown = new Map();
  let after: Element = form;
  let replaced = 0;
  let edited = 0;
  for (const { id, hash, html, edits } of sections) {
    if (html === '') continue; // no contents list
    const old = shown.get(id);
    if (old !== undefined && old.hash === hash) {
      if (after.nextElementSibling !== old.node) after.after(old.node);
      next.set(id, old);
      after = old.node;
      continue;
    }
    // The shown section's texts and values set, its changed blocks alone parsed (see applyEdits), when it holds the edits' HTML.
    const put = old?.exact === true && edits?.base === old.hash ? applyEdits(old.node, edits) : undefined;
    if (put !== undefined) {
      runScripts(put);
      if (after.nextElementSibling !== old!.node) after.after(old!.node);
      next.set(id, { node: old!.node, hash, exact: true });
      after = old!.node;
      replaced++;
      edited++;
      continue;
    }
    if (html === undefined) {
      if (missing === undefined) throw new Error(`the engine left out section ${id}, which this page no longer holds: change a setting again`);
      missing.push(id);
      if (old === undefined) {
        newest.delete(id);
        continue;
      }
      newest.set(id, old.hash);
      if (after.nextElementSibling !== old.node) after.after(old.node);
      next.set(id, old);
      after = old.node;
      continue;
    }
    const fresh = typeof html === 'string' ? parseBlock(html) : html.cloneNode(true) as Element;
    const drawing = fresh.querySelector('svg.dh-pending') !== null;
    // The section as it is, with only its changed children replaced (see patchChildren), or the new one in its place.
    const inserted = old === undefined ? undefined : patchChildren(old.node, fresh, drawing);
    if (inserted === undefined && drawing && old !== undefined) keepOldPictures(fresh, old.node);
    const node = inserted === undefined ? fresh : old!.node;
    if (inserted === undefined && old !== undefined) old.node.replaceWith(fresh);
    if (after.nextElementSibling !== node) after.after(node);
    // Inline scripts inserted this way do not run: run a fresh copy (the step-through pictures' set-up),
    // unless a picture is still a placeholder (the section's full version follows, and its scripts run then).
    if (!drawing) runScripts(inserted ?? [fresh]);
    next.set(id, { node, hash, exact: !drawing });
    after = node;
    replaced++;
  }
  for (const [id, old] of shown) if (!next.has(id)) old.node.remove();
  state.replaced = `${replaced} of ${next.size}`;
  state.edited = edited;
  return next;
}

/**
 * Loads the plot and picture libraries ahead of the run that needs them, without delaying the first answer:
 * the plots (0.8 MB) once the engine is warm and the page idle, Graphviz (2.9 MB) once one of the page's
 * pictures (Graphviz's SVG: its `g.graph`) is about to come on screen or the learner first touches the settings.
 */
function preloadLibraries(engine: Engine, form: HTMLElement): void {
  const idle = (work: () => void): void => void ('requestIdleCallback' in window ? requestIdleCallback(work, { timeout: 2000 }) : setTimeout(work, 200));
  void engine.call({ kind: 'warm' }).then(() => idle(() => engine.preload('plots')), () => undefined);
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    engine.preload('graphviz');
  }, { rootMargin: '600px 0px' });
  const pictures = form.parentElement!.querySelectorAll('svg g.graph');
  for (const picture of pictures) seen.observe(picture.closest('svg')!);
  // A hand on the settings means a change is coming, and a change redraws the pictures (on screen or not):
  // Graphviz starts loading then, not when the change's run asks for it.
  if (pictures.length > 0) {
    for (const type of ['pointerdown', 'focusin', 'keydown'] as const) form.addEventListener(type, () => engine.preload('graphviz'), { once: true });
  }
}

/**
 * Puts the settings in the page's address, once they have stayed for a moment:
 * history.replaceState blocks the page for 30-200 ms in Chromium (measured,
 * from file://), more than a whole update, and a dragged slider makes many.
 */
let addressTimer: number | undefined;
export function keepInAddress(meta: LessonMeta, settings: Record<string, string>): void {
  window.clearTimeout(addressTimer);
  addressTimer = window.setTimeout(() => {
    const url = new URL(location.href);
    for (const f of meta.flags) url.searchParams.set(f.flag, settings[f.flag]!);
    history.replaceState(null, '', url);
  }, 300);
}

/**
 * Marks the sections after the form as showing other settings' numbers (a
 * shared link's settings, before the engine's answer): dimmed and aria-busy.
 * Unmarked once the answer is shown (or refused).
 */
export function markStale(form: HTMLElement, stale: boolean): void {
  for (let node = form.nextElementSibling; node !== null; node = node.nextElementSibling) {
    node.classList.toggle('dh-stale-numbers', stale);
    if (stale) node.setAttribute('aria-busy', 'true');
    else node.removeAttribute('aria-busy');
  }
}

/**
 * The static page's parts after the form, by id, with the fingerprints the build wrote (the page is the
 * lesson's run with its defaults, so the engine need not rerun it to know what the page holds). Undefined
 * when the page's parts are not those the fingerprints name. Each part's untouched copy is kept, to rebuild
 * it should a later run return to it after another version replaced it.
 */
export function mapStatic(form: HTMLElement, sections: Readonly<Record<string, string>>): Shown | undefined {
  const after: Element[] = [];
  for (let node = form.nextElementSibling; node !== null; node = node.nextElementSibling) after.push(node);
  const ids = Object.keys(sections);
  if (ids.length !== after.length || after.some((node, k) => node.id !== ids[k])) return undefined;
  const map: Shown = new Map();
  for (const node of after) {
    const hash = sections[node.id]!;
    map.set(node.id, { node, hash, exact: true });
    received.set(hash, node.cloneNode(true) as Element);
    newest.set(node.id, hash);
  }
  return map;
}

/** Makes a lesson page live; resolves once the engine has answered once (its warm-up). */
export function liveLesson(engine: Engine, form: HTMLFormElement, meta: LessonMeta): Promise<unknown> {
  const status = form.querySelector<HTMLOutputElement>('output.dh-status')!;
  // What each control holds as typed: a checkbox as 'true' or 'false' (read by the worker as the CLI reads --bias / --no-bias).
  const values = (): Record<string, string> => Object.fromEntries(meta.flags.map((f) => {
    const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${f.flag}]`)!;
    return [f.flag, control instanceof HTMLInputElement && control.type === 'checkbox' ? String(control.checked) : control.value.trim()];
  }));
  const lesson = (settings: Record<string, string>, mode: RunMode, onProgress?: (p: unknown) => void): Promise<LessonReply> =>
    engine.call<LessonReply>({ kind: 'lesson', lesson: meta.number, settings, mode, known: knownHashes() }, onProgress);
  // The page's parts, by id, with their fingerprints: written by the build, so the engine does not rerun the
  // lesson with its defaults at load (it would only rewrite the page as it is). Undefined: the page is rebuilt whole.
  let shown: Shown | undefined = meta.sections === undefined ? undefined : mapStatic(form, meta.sections);
  const initial = values(); // the page's own settings (a link's are put in the fields below, after this)
  // Settings from the URL (a shared link): read first, so that the engine's first run is theirs.
  const given = new URLSearchParams(location.search);
  const linked = meta.flags.some((f) => given.get(f.flag) !== null && given.get(f.flag) !== initial[f.flag]);
  let firstUpdate!: () => void;
  const firstRunDone = new Promise<void>((r) => (firstUpdate = r));
  // The page as written is whole (its plots and pictures drawn by the build): the engine's first answer is its warm-up.
  const firstRun = linked ? firstRunDone : engine.call({ kind: 'warm' }).then(() => {
    if (Number.isNaN(state.firstAnswerAt)) state.firstAnswerAt = performance.now();
    completed();
  }, () => undefined);
  preloadLibraries(engine, form);
  /** After a change's last DOM change: the frame that shows it is painted (its time is the learner's wait, from the input event). */
  const painted = (start: number): void => {
    countPainted(start, (at) => {
      if (linked && Number.isNaN(state.linkShownAt)) state.linkShownAt = at;
    });
  };
  /**
   * Puts a reply's sections in the page; a section sent as edits that the page could not make (its nodes are not
   * those the edits start from: see applyEdits) is asked for again, as HTML (its fingerprint not given as known).
   */
  const patchReply = async (reply: LessonReply, settings: Record<string, string>, mode: RunMode): Promise<LessonReply> => {
    const missing: string[] = [];
    shown = patchLesson(form, shown, reply.parts, missing);
    if (missing.length === 0) return reply;
    const known = knownHashes();
    for (const id of missing) delete known[id];
    // Its run may stream (lesson 8): its checkpoints' sections are taken in too, or the reply, which leaves out or
    // edits what they sent, would be read against sections the page never took.
    const whole = await engine.call<LessonReply>({ kind: 'lesson', lesson: meta.number, settings, mode, known }, (p) => {
      shown = patchLesson(form, shown, (p as CheckpointReached).parts);
    });
    shown = patchLesson(form, shown, whole.parts);
    return whole;
  };
  const run = latestOnly(async (start: number, superseded) => {
    const settings = values();
    form.setAttribute('aria-busy', 'true');
    try {
      // The first patch's frame painted: the change's first result (a streamed checkpoint's page, or the draft's).
      let firstPatch = true;
      const numbersPainted = (): void => {
        if (!firstPatch) return;
        firstPatch = false;
        void afterPaint().then((at) => (state.numbersPaintedMs = at - start));
      };
      // A lesson whose run streams (lesson 8) sends the page of the run so far at its checkpoints: the page of
      // --steps k with these settings, exactly (site/worker.ts's STREAMED), shown as it comes (as the draft is, even
      // once a newer change waits: the draft's reply leaves out the sections sent here).
      const onProgress = (p: unknown): void => {
        const { done, total, unit, parts } = p as CheckpointReached;
        shown = patchLesson(form, shown, parts);
        numbersPainted();
        state.streamed++;
        // A run a newer change waits behind is not the one the fields show: its page says whose it is.
        status.textContent = superseded()
          ? `${unit} ${done} of ${total} of the run before your last change (the page below is its numbers of --${unit}s ${done}); yours runs next`
          : `${unit} ${done} of ${total}: the page below is the run so far, the numbers of --${unit}s ${done} with these settings; training on`;
      };
      // A draft first (it does not wait for plot libraries still loading), then the full page if the draft lacked plots.
      let reply = await lesson(settings, { draft: true }, onProgress);
      if (Number.isNaN(state.firstAnswerAt)) state.firstAnswerAt = performance.now();
      state.lessonMs = reply.ms;
      const patchStart = performance.now();
      reply = await patchReply(reply, settings, { draft: true });
      state.patchMs = performance.now() - patchStart;
      numbersPainted();
      keepInAddress(meta, settings);
      status.classList.remove('dh-error');
      // A placeholder the draft drew may not show: a block equal to one shown before keeps its drawn plots.
      state.textMs = performance.now() - start;
      if (reply.pending.length > 0 && form.parentElement!.querySelector('svg.dh-pending, svg.dh-stale') !== null) {
        state.drafts++;
        status.textContent = `numbers updated in ${Math.round(state.textMs)} ms; drawing the plots`;
        if (superseded()) return;
        reply = await patchReply(await lesson(settings, { draft: false, waitFor: reply.pending }), settings, { draft: false });
      }
      if (reply.pending.length === 0) completed();
      markStale(form, false);
      painted(start);
      // New mountains start computing once the page is whole (their request would queue before the plots').
      liveMountains(engine);
      state.lastMs = performance.now() - start;
      state.updates++;
      status.textContent = `updated in ${Math.round(state.lastMs)} ms`;
    } catch (e) {
      status.textContent = `downhill lesson: ${(e as Error).message}`;
      status.classList.add('dh-error');
      markStale(form, false);
      state.updates++;
      painted(start);
    } finally {
      form.removeAttribute('aria-busy');
      firstUpdate();
    }
  });
  wireControls(form, meta.flags, run, 'moving');
  // Settings from the URL (a shared link): shown, and the lesson run with them; until its answer is painted,
  // the numbers below are the defaults', and say so.
  let changed = false;
  for (const f of meta.flags) {
    const v = given.get(f.flag);
    if (v === null) continue;
    changed = true;
    showSetting(form, f, v);
  }
  if (linked) {
    markStale(form, true);
    status.textContent = 'the numbers below are the default settings\'; yours are being computed';
  }
  if (changed) run(performance.now());
  return firstRun;
}
