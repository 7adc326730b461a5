/**
 * The page side of the site (a classic script, run after the page's static
 * content): it talks to the engine's worker (which engine.js starts from a
 * Blob: a page opened from file:// may not start one from a file) and makes
 * the page live:
 * - a lesson page's settings form reruns the lesson in the worker and
 *   patches the page in place, keeping the settings in the URL;
 * - each `.dh-mountain` becomes a rotatable 3-D surface with a map, where a
 *   click starts gradient descent, shown step by step with its numbers;
 * - the playground page differentiates what the learner types.
 * Everything computed comes from the worker: this script draws and wires.
 */
import type { MountainData } from '../src/render/mountain.ts';
import type { LessonReply, MountainReply, PathStep, PlaygroundReply, Request, RunMode } from './worker.ts';
import { LIBRARY_SOURCES, type LibraryGroup } from './libraries.ts';
import { roundedNumber } from '../src/expr/number.ts';
import type { FlagControl } from './build.ts';

declare global {
  interface Window {
    /** The engine's worker, started by engine.js (an async script in the page's head) as soon as it has loaded. */
    DOWNHILL_WORKER?: Worker;
    [LIBRARY_SOURCES]?: Partial<Record<LibraryGroup, string>>;
    /** For tests and measurements: the last update's time and how many updates there were. */
    downhill?: typeof state;
  }
}

/**
 * `ready`: the controls work; `warm`: the engine has answered once (the first
 * answer compiles and starts everything); `complete`: the engine has also
 * drawn the page's plots and pictures once (their libraries have arrived).
 * `updates` counts finished reruns, `drafts` the reruns shown before their plots;
 * `textMs` is the last rerun's time to its text, `lastMs` to its whole page.
 */
const state = {
  updates: 0, drafts: 0, lastMs: NaN, ready: false, readyAt: NaN, warm: false, warmAt: NaN,
  complete: false, completeAt: NaN, lessonMs: NaN, patchMs: NaN, textMs: NaN, replaced: '',
};

function completed(): void {
  if (state.complete) return;
  state.complete = true;
  state.completeAt = performance.now();
}
window.downhill = state;

// --- The engine ---------------------------------------------------------------
class Engine {
  /** Requests are posted in the order made, once the worker is there. */
  private readonly worker: Promise<Worker>;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(worker: Promise<Worker>) {
    this.worker = worker.then((w) => {
      w.onmessage = (event: MessageEvent<{ id: number; ok: boolean; result?: unknown; error?: string } | { library: LibraryGroup }>) => {
        if ('library' in event.data) return this.sendLibrary(event.data.library);
        const { id, ok, result, error } = event.data;
        const waiting = this.waiting.get(id);
        this.waiting.delete(id);
        if (ok) waiting?.resolve(result);
        else waiting?.reject(new Error(error));
      };
      return w;
    });
  }

  /**
   * Loads a library group the worker asked for: its file is a classic script
   * (a page from file:// can load one, a worker cannot) that leaves the
   * bundle's source in a global, which goes to the worker.
   */
  private sendLibrary(group: LibraryGroup): void {
    const script = document.createElement('script');
    script.src = `${group}.js`;
    script.onload = () => {
      const sources = window[LIBRARY_SOURCES];
      const source = sources?.[group];
      if (source === undefined) throw new Error(`${group}.js did not load`);
      delete sources![group];
      script.remove();
      void this.worker.then((w) => w.postMessage({ library: group, source }));
    };
    document.head.append(script);
  }

  call<T>(request: Request): Promise<T> {
    const id = this.next++;
    const answer = new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    void this.worker.then((w) => w.postMessage({ id, request }));
    return answer;
  }
}

/**
 * Runs `work` for the newest request only: one at a time, and a request made
 * while one runs replaces any waiting one (`superseded` says one is waiting).
 */
function latestOnly<A>(work: (arg: A, superseded: () => boolean) => Promise<void>): (arg: A) => void {
  let running = false;
  let pending: { arg: A } | undefined;
  const go = (arg: A): void => {
    running = true;
    void work(arg, () => pending !== undefined).finally(() => {
      running = false;
      if (pending) {
        const p = pending;
        pending = undefined;
        go(p.arg);
      }
    });
  };
  return (arg) => {
    if (running) pending = { arg };
    else go(arg);
  };
}

const fmt = (v: number, digits = 6): string => roundedNumber(v, digits);
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

// --- Lesson pages ---------------------------------------------------------------
interface LessonMeta {
  readonly number: number;
  readonly flags: readonly FlagControl[];
}
type NumberControl = Extract<FlagControl, { kind: 'number' }>;

function sliderToValue(f: NumberControl, position: number): number {
  const t = position / 1000;
  if (f.log) return Number((f.min * (f.max / f.min) ** t).toPrecision(3));
  return Math.round(f.min + (f.max - f.min) * t);
}
function valueToSlider(f: NumberControl, value: number): number {
  const t = f.log ? Math.log(value / f.min) / Math.log(f.max / f.min) : (value - f.min) / (f.max - f.min);
  return Math.round(1000 * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)));
}

/**
 * The lesson's content in a page the worker wrote: the top-level blocks after
 * the subtitle (the contents list, then one <section> each) as HTML strings,
 * cut without parsing (a rerun compares them and parses only the changed ones).
 * A page not laid out that way is cut by the HTML parser instead.
 */
function contentBlocks(html: string): string[] {
  const start = html.indexOf('</p>', html.indexOf('<p class="subtitle">'));
  const end = html.lastIndexOf('</main>');
  if (start >= 0 && end > start) {
    const blocks = html.slice(start + '</p>'.length, end).split(/\n(?=<(?:section|nav)[\s>])/).map((b) => b.trim()).filter((b) => b !== '');
    if (blocks.every((b) => /^<(section|nav)[\s>][\s\S]*<\/\1>$/.test(b))) return blocks;
  }
  const main = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
  const blocks: string[] = [];
  for (let node = main?.querySelector(':scope > p.subtitle')?.nextElementSibling ?? null; node; node = node.nextElementSibling) blocks.push(node.outerHTML);
  return blocks;
}

/** One block's HTML as an element of this page. */
function parseBlock(html: string): Element {
  const template = document.createElement('template');
  template.innerHTML = html;
  const element = template.content.firstElementChild;
  if (element === null || template.content.children.length !== 1) throw new Error('a lesson block is not one element');
  return document.importNode(element, true);
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
    svg.replaceWith(previous);
  });
}

/** What the page shows after the form, and the HTML each block came from. */
interface Shown { readonly nodes: Element[]; readonly sources: string[] }

/**
 * Puts a new run's blocks after the form, replacing only the blocks whose HTML
 * changed (a block the run left alone keeps its live parts: a turned mountain,
 * a step-through's place). Inline scripts of new blocks are run.
 */
function patchLesson(form: HTMLElement, shown: Shown | undefined, html: string): Shown {
  const sources = contentBlocks(html);
  const main = form.parentElement!;
  if (shown === undefined) {
    while (form.nextSibling) form.nextSibling.remove();
    shown = { nodes: [], sources: [] };
  }
  const nodes: Element[] = [];
  let after: Element = form;
  let replaced = 0;
  sources.forEach((source, k) => {
    const old = shown.nodes[k];
    if (old !== undefined && shown.sources[k] === source) {
      nodes.push(old);
      after = old;
      return;
    }
    const fresh = parseBlock(source);
    const drawing = fresh.querySelector('svg.dh-pending') !== null;
    if (drawing && old !== undefined) keepOldPictures(fresh, old);
    if (old !== undefined) old.replaceWith(fresh);
    else after.after(fresh);
    // Inline scripts inserted this way do not run: run a fresh copy (the step-through pictures' set-up),
    // unless a picture is still a placeholder (the block's full version follows, and its scripts run then).
    if (!drawing) for (const script of fresh.querySelectorAll('script')) {
      const copy = document.createElement('script');
      copy.textContent = script.textContent;
      script.replaceWith(copy);
    }
    nodes.push(fresh);
    after = fresh;
    replaced++;
  });
  for (const old of shown.nodes.slice(sources.length)) old.remove();
  if (main.lastElementChild !== after) while (after.nextSibling) after.nextSibling.remove();
  state.replaced = `${replaced} of ${sources.length}`;
  return { nodes, sources };
}

/**
 * Puts the settings in the page's address, once they have stayed for a moment:
 * history.replaceState blocks the page for 30-200 ms in Chromium (measured,
 * from file://), more than a whole update, and a dragged slider makes many.
 */
let addressTimer: number | undefined;
function keepInAddress(meta: LessonMeta, settings: Record<string, string>): void {
  window.clearTimeout(addressTimer);
  addressTimer = window.setTimeout(() => {
    const url = new URL(location.href);
    for (const f of meta.flags) url.searchParams.set(f.flag, settings[f.flag]!);
    history.replaceState(null, '', url);
  }, 300);
}

/** Makes a lesson page live; resolves once the engine has run the lesson once (its warm-up). */
function liveLesson(engine: Engine, form: HTMLFormElement, meta: LessonMeta): Promise<unknown> {
  const status = form.querySelector<HTMLOutputElement>('output.dh-status')!;
  // What each control holds as typed: a checkbox as 'true' or 'false' (read by the worker as the CLI reads --bias / --no-bias).
  const values = (): Record<string, string> => Object.fromEntries(meta.flags.map((f) => {
    const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${f.flag}]`)!;
    return [f.flag, control instanceof HTMLInputElement && control.type === 'checkbox' ? String(control.checked) : control.value.trim()];
  }));
  const lesson = (settings: Record<string, string>, mode: RunMode): Promise<LessonReply> =>
    engine.call<LessonReply>({ kind: 'lesson', lesson: meta.number, settings, mode });
  // The page's blocks and their HTML: known once the engine has written this page itself (its warm-up run:
  // a draft first, then, once the plot libraries have arrived, the full run, which also fills the worker's plot cache).
  let shown: Shown | undefined;
  const initial = values(); // the page's own settings (a link's are put in the fields below, after this)
  const firstRun = lesson(initial, { draft: true }).then(async ({ html, pending }) => {
    const nodes = [...form.parentElement!.children].filter((n) => n.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_PRECEDING);
    const sources = contentBlocks(html);
    if (state.updates === 0 && state.drafts === 0 && nodes.length === sources.length) shown = { nodes, sources };
    const mapped = shown;
    void (pending.length === 0 ? Promise.resolve(html) : lesson(initial, { draft: false, waitFor: pending }).then((r) => r.html)).then((full) => {
      if (shown === mapped && mapped !== undefined) shown = { nodes: mapped.nodes, sources: contentBlocks(full) };
      completed();
    }, () => undefined);
  }, () => undefined);
  const run = latestOnly(async (start: number, superseded) => {
    const settings = values();
    form.setAttribute('aria-busy', 'true');
    try {
      // A draft first (it does not wait for plot libraries still loading), then the full page if the draft lacked plots.
      let reply = await lesson(settings, { draft: true });
      state.lessonMs = reply.ms;
      const patchStart = performance.now();
      shown = patchLesson(form, shown, reply.html);
      state.patchMs = performance.now() - patchStart;
      keepInAddress(meta, settings);
      status.classList.remove('dh-error');
      // A placeholder the draft drew may not show: a block equal to one shown before keeps its drawn plots.
      state.textMs = performance.now() - start;
      if (reply.pending.length > 0 && form.parentElement!.querySelector('svg.dh-pending, svg.dh-stale') !== null) {
        state.drafts++;
        status.textContent = `numbers updated in ${Math.round(state.textMs)} ms; drawing the plots`;
        if (superseded()) return;
        reply = await lesson(settings, { draft: false, waitFor: reply.pending });
        shown = patchLesson(form, shown, reply.html);
        completed();
      }
      // New mountains start computing once the page is whole (their request would queue before the plots').
      liveMountains(engine);
      state.lastMs = performance.now() - start;
      state.updates++;
      status.textContent = `updated in ${Math.round(state.lastMs)} ms`;
    } catch (e) {
      status.textContent = `downhill lesson: ${(e as Error).message}`;
      status.classList.add('dh-error');
      state.updates++;
    } finally {
      form.removeAttribute('aria-busy');
    }
  });
  for (const f of meta.flags) {
    if (f.kind !== 'number') {
      form.querySelector(`[name=${f.flag}]`)!.addEventListener('change', () => run(performance.now()));
      continue;
    }
    const slider = form.querySelector<HTMLInputElement>(`input[type=range][data-flag=${f.flag}]`)!;
    const field = form.querySelector<HTMLInputElement>(`input[name=${f.flag}]`)!;
    slider.addEventListener('input', () => {
      field.value = String(sliderToValue(f, Number(slider.value)));
      run(performance.now());
    });
    field.addEventListener('change', () => {
      const v = Number(field.value);
      if (Number.isFinite(v)) slider.value = String(valueToSlider(f, v));
      run(performance.now());
    });
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(performance.now());
  });
  // Settings from the URL (a shared link): shown, and the lesson rerun with them.
  const given = new URLSearchParams(location.search);
  let changed = false;
  for (const f of meta.flags) {
    const v = given.get(f.flag);
    if (v === null) continue;
    const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${f.flag}]`)!;
    changed = true;
    if (f.kind === 'boolean') {
      (control as HTMLInputElement).checked = v === 'true';
      continue;
    }
    control.value = v;
    if (f.kind === 'number' && Number.isFinite(Number(v))) form.querySelector<HTMLInputElement>(`input[type=range][data-flag=${f.flag}]`)!.value = String(valueToSlider(f, Number(v)));
    changed = true;
  }
  if (changed) run(performance.now());
  return firstRun;
}

// --- The mountain ---------------------------------------------------------------
const GRID = 41;

/** Colour of a height in [0, 1]: dark blue (low) to light yellow (high). */
function shade(t: number, alpha = 1): string {
  const c = Math.max(0, Math.min(1, t));
  return `hsla(${Math.round(230 - 180 * c)}, 70%, ${Math.round(25 + 55 * c)}%, ${alpha})`;
}

function liveMountain(engine: Engine, figure: HTMLElement): void {
  const spec = JSON.parse(figure.dataset['spec'] ?? '{}') as MountainData;
  figure.hidden = false;
  const template = figure.querySelector('template');
  if (template) template.replaceWith(template.content.cloneNode(true));
  const [p, q] = spec.params;
  const wrap = el('div', { class: 'dh-mountain-views' });
  const map = el('canvas', { width: '280', height: '280', class: 'dh-map', 'aria-label': `the loss over ${p} and ${q}, seen from above: click to start there` });
  const surface = el('canvas', { width: '420', height: '320', class: 'dh-surface', 'aria-label': 'the loss surface in 3-D: drag to turn it, click to start there' });
  wrap.append(surface, map);
  const buttons = el('div', { class: 'dh-mountain-buttons' });
  const stepButton = el('button', { type: 'button', 'data-do': 'step' }, 'one step ▶');
  const playButton = el('button', { type: 'button', 'data-do': 'play' }, 'play ▶▶');
  const resetButton = el('button', { type: 'button', 'data-do': 'reset' }, 'back to the start');
  buttons.append(stepButton, playButton, resetButton);
  const update = el('pre', { class: 'dh-update', 'aria-live': 'polite' });
  figure.prepend(wrap, buttons, update);

  let heights: number[] = [];
  let path: PathStep[] = [];
  let stop = '';
  let k = 0;
  let az = -0.7;
  let elev = 0.9;
  let timer: number | undefined;
  const lo = { x: spec.x[0], y: spec.y[0] };
  const span = { x: spec.x[1] - spec.x[0], y: spec.y[1] - spec.y[0] };
  // Heights on a log scale, so that a deep narrow valley and high walls both show.
  let hMin = 0;
  let hMax = 1;
  const height = (loss: number): number => (Math.log1p(Math.max(0, loss)) - hMin) / (hMax - hMin || 1);

  const project = (x: number, y: number, h: number): [number, number] => {
    const u = ((x - lo.x) / span.x) * 2 - 1;
    const v = ((y - lo.y) / span.y) * 2 - 1;
    const ru = u * Math.cos(az) - v * Math.sin(az);
    const rv = u * Math.sin(az) + v * Math.cos(az);
    const z = Math.min(1.6, Math.max(-0.2, h)) * 1.1 - 0.5;
    return [210 + 140 * ru, 170 + 110 * (rv * Math.sin(elev) - z * Math.cos(elev))];
  };
  const toMap = (x: number, y: number): [number, number] => [((x - lo.x) / span.x) * 280, 280 - ((y - lo.y) / span.y) * 280];

  function drawSurface(): void {
    const g = surface.getContext('2d')!;
    g.clearRect(0, 0, surface.width, surface.height);
    g.lineWidth = 1;
    const at = (i: number, j: number): [number, number] => project(lo.x + (span.x * i) / (GRID - 1), lo.y + (span.y * j) / (GRID - 1), height(heights[j * GRID + i]!));
    for (let j = 0; j < GRID; j += 2) {
      for (let i = 0; i + 1 < GRID; i++) {
        g.strokeStyle = shade(height(heights[j * GRID + i]!), 0.8);
        g.beginPath(); g.moveTo(...at(i, j)); g.lineTo(...at(i + 1, j)); g.stroke();
      }
    }
    for (let i = 0; i < GRID; i += 2) {
      for (let j = 0; j + 1 < GRID; j++) {
        g.strokeStyle = shade(height(heights[j * GRID + i]!), 0.8);
        g.beginPath(); g.moveTo(...at(i, j)); g.lineTo(...at(i, j + 1)); g.stroke();
      }
    }
    drawPath(g, (s) => project(s.p[0]!, s.p[1]!, height(s.loss)));
  }

  function drawMap(): void {
    const g = map.getContext('2d')!;
    const cell = 280 / GRID;
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        g.fillStyle = shade(height(heights[j * GRID + i]!));
        g.fillRect(i * cell - 0.5, 280 - (j + 1) * cell - 0.5, cell + 1, cell + 1);
      }
    }
    g.fillStyle = '#fff';
    g.font = '12px system-ui, sans-serif';
    g.fillText(`${p} →`, 240, 272);
    g.fillText(`${q} ↑`, 6, 14);
    drawPath(g, (s) => toMap(s.p[0]!, s.p[1]!));
  }

  function drawPath(g: CanvasRenderingContext2D, at: (s: PathStep) => [number, number]): void {
    if (path.length === 0) return;
    g.strokeStyle = '#e11d48';
    g.lineWidth = 2;
    g.beginPath();
    path.slice(0, k + 1).forEach((s, n) => (n === 0 ? g.moveTo(...at(s)) : g.lineTo(...at(s))));
    g.stroke();
    for (const [s, colour] of [[path[0]!, '#fff'], [path[k]!, '#e11d48']] as const) {
      g.fillStyle = colour;
      g.strokeStyle = '#111';
      g.beginPath(); g.arc(...at(s), 4.5, 0, 2 * Math.PI); g.fill(); g.stroke();
    }
  }

  function showUpdate(): void {
    const s = path[k];
    if (s === undefined) return;
    const next = path[k + 1];
    const lines = [`step ${k} of ${path.length - 1}: L(${p}, ${q}) = L(${fmt(s.p[0]!)}, ${fmt(s.p[1]!)}) = ${fmt(s.loss)}`];
    if (next === undefined) lines.push(`training ${stop}.`);
    else {
      spec.params.forEach((name, n) => {
        const g = s.gradient[n]!;
        lines.push(`${name} ← ${name} − η·∂L/∂${name} = ${fmt(s.p[n]!)} − ${fmt(spec.lr)}·${g < 0 ? `(${fmt(g)})` : fmt(g)} = ${fmt(next.p[n]!)}`);
      });
    }
    update.textContent = lines.join('\n');
    figure.dataset['k'] = String(k);
    figure.dataset['start'] = JSON.stringify(path[0]!.p);
  }

  const draw = (): void => {
    drawSurface();
    drawMap();
    showUpdate();
  };

  const pause = (): void => {
    if (timer !== undefined) window.clearInterval(timer);
    timer = undefined;
    playButton.textContent = 'play ▶▶';
  };

  async function startAt(start: [number, number]): Promise<void> {
    pause();
    const reply = await engine.call<MountainReply>({ kind: 'mountain', spec, start, grid: GRID });
    heights = reply.surface;
    const logs = heights.map((v) => Math.log1p(Math.max(0, v))).filter(Number.isFinite);
    hMin = Math.min(...logs);
    hMax = Math.max(...logs);
    path = reply.path;
    stop = reply.stop;
    k = 0;
    draw();
    figure.dataset['ready'] = 'true';
  }

  stepButton.addEventListener('click', () => {
    pause();
    k = Math.min(k + 1, path.length - 1);
    draw();
  });
  resetButton.addEventListener('click', () => {
    pause();
    k = 0;
    draw();
  });
  playButton.addEventListener('click', () => {
    if (timer !== undefined) return pause();
    playButton.textContent = 'pause ❚❚';
    if (k >= path.length - 1) k = 0;
    timer = window.setInterval(() => {
      if (k >= path.length - 1 || !figure.isConnected) return pause();
      k++;
      draw();
    }, 60);
  });
  // On the map, a click starts there, and dragging moves the start (the newest position wins while one computes).
  const onMap = (e: MouseEvent): [number, number] => {
    const r = map.getBoundingClientRect();
    return [lo.x + ((e.clientX - r.left) / r.width) * span.x, lo.y + (1 - (e.clientY - r.top) / r.height) * span.y];
  };
  const startSoon = latestOnly(startAt);
  let dragging = false;
  map.addEventListener('pointerdown', (e) => {
    dragging = true;
    map.setPointerCapture(e.pointerId);
  });
  map.addEventListener('pointermove', (e) => {
    if (dragging) startSoon(onMap(e));
  });
  map.addEventListener('pointerup', () => {
    dragging = false;
  });
  map.addEventListener('click', (e) => startSoon(onMap(e)));
  // Drag turns the surface; a click without a drag starts at the nearest point of the grid.
  let drag: { x: number; y: number; moved: boolean } | undefined;
  surface.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
    surface.setPointerCapture(e.pointerId);
  });
  surface.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (!drag.moved) return;
    az += dx * 0.01;
    elev = Math.max(0.15, Math.min(1.5, elev + dy * 0.01));
    drag.x = e.clientX;
    drag.y = e.clientY;
    drawSurface();
  });
  surface.addEventListener('pointerup', (e) => {
    const wasDrag = drag?.moved ?? true;
    drag = undefined;
    if (wasDrag || heights.length === 0) return;
    const r = surface.getBoundingClientRect();
    const cx = ((e.clientX - r.left) / r.width) * surface.width;
    const cy = ((e.clientY - r.top) / r.height) * surface.height;
    let best: [number, number] = [spec.start[0], spec.start[1]];
    let bestD = Infinity;
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        const x = lo.x + (span.x * i) / (GRID - 1);
        const y = lo.y + (span.y * j) / (GRID - 1);
        const [sx, sy] = project(x, y, height(heights[j * GRID + i]!));
        const d = (sx - cx) ** 2 + (sy - cy) ** 2;
        if (d < bestD) [bestD, best] = [d, [x, y]];
      }
    }
    void startAt(best);
  });
  void startAt([spec.start[0], spec.start[1]]);
}

function liveMountains(engine: Engine): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure.dh-mountain[hidden]')) liveMountain(engine, figure);
}

// --- The playground ---------------------------------------------------------------
function livePlayground(engine: Engine, form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[name=expression]')!;
  const table = form.querySelector<HTMLElement>('.dh-symbols')!;
  const error = form.querySelector<HTMLElement>('.dh-error')!;
  const out = document.querySelector<HTMLElement>('#dh-results')!;
  const note = out.querySelector<HTMLElement>('.dh-results-note')!;
  /** The expression whose results are shown. */
  let shownText = '';
  const roles = new Map<string, { param: boolean; value: string }>();
  const guessParam = (s: string): boolean => !/^(x|y|t|target|input)\d*$/i.test(s);

  const run = latestOnly(async (start: number, superseded) => {
    // Read once: the learner may type on while the engine answers.
    const text = input.value;
    try {
      const { symbols } = await engine.call<{ symbols: string[] }>({ kind: 'symbols', text });
      const rows = symbols.map((s) => {
        const role = roles.get(s) ?? { param: guessParam(s), value: guessParam(s) ? '0.5' : /^y/i.test(s) ? '2' : '1' };
        roles.set(s, role);
        return `<tr><td><code>${s}</code></td><td><label><input type="radio" name="role-${s}" value="param"${role.param ? ' checked' : ''}> parameter</label> <label><input type="radio" name="role-${s}" value="data"${role.param ? '' : ' checked'}> data</label></td><td><input type="text" inputmode="decimal" name="value-${s}" value="${role.value}" aria-label="value of ${s}"></td></tr>`;
      });
      if (table.dataset['symbols'] !== symbols.join(',')) {
        table.innerHTML = `<table class="numeric"><thead><tr><th>symbol</th><th>role</th><th>value (start)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
        table.dataset['symbols'] = symbols.join(',');
      }
      // No prototype: a symbol may be named __proto__ (or toString).
      // As typed: the engine reads them as the CLI reads --at (pi/4 included).
      const values: Record<string, string> = Object.create(null) as Record<string, string>;
      const params: string[] = [];
      for (const s of symbols) {
        const role = roles.get(s)!;
        values[s] = role.value;
        if (role.param) params.push(s);
      }
      // As typed: the engine checks them as the CLI checks a lesson's --lr and --steps.
      const lr = form.querySelector<HTMLInputElement>('input[name=lr]')!.value.trim();
      const steps = form.querySelector<HTMLInputElement>('input[name=steps]')!.value.trim();
      const request = { kind: 'playground', text, params, values, lr, steps } as const;
      const r = await engine.call<PlaygroundReply>({ ...request, mode: { draft: true } });
      error.textContent = '';
      out.hidden = false;
      out.classList.remove('dh-stale');
      note.hidden = true;
      shownText = text;
      out.querySelector('.dh-partials')!.innerHTML = r.partials.map((d) => `<div class="formula" data-wrt="${d.wrt}">${d.html}<p class="caption"><code class="dh-text">∂${r.name}/∂${d.wrt} = ${d.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></p></div>`).join('');
      out.querySelector('.dh-graph')!.innerHTML = r.graph;
      out.querySelector('.dh-check')!.innerHTML = `<table class="numeric"><thead><tr><th>parameter</th><th class="num">exact ∂${r.name}/∂p</th><th class="num">central difference</th><th class="num">|difference|</th><th>check</th></tr></thead><tbody>${r.check.map((c) => `<tr><td>${c.wrt}</td><td class="num">${fmt(c.exact, 12)}</td><td class="num">${fmt(c.central, 12)}</td><td class="num">${fmt(c.absError, 3)}</td><td>${c.pass ? 'pass' : 'FAIL'}</td></tr>`).join('')}</tbody></table><p>${r.name} = ${fmt(r.value, 12)} at the values above.</p>`;
      const shown = r.path.length > 25 ? [...r.path.slice(0, 20), r.path[r.path.length - 1]!] : r.path;
      out.querySelector('.dh-descent')!.innerHTML = `<table class="numeric"><thead><tr><th class="num">step</th>${params.map((w) => `<th class="num">${w}</th>`).join('')}<th class="num">${r.name}</th></tr></thead><tbody>${shown.map((s) => `<tr><td class="num">${r.path.indexOf(s)}</td>${s.p.map((v) => `<td class="num">${fmt(v)}</td>`).join('')}<td class="num">${fmt(s.loss)}</td></tr>`).join('')}</tbody></table><p class="dh-stop">Training ${r.stop}.</p>`;
      const mountain = out.querySelector<HTMLElement>('.dh-playground-mountain')!;
      mountain.innerHTML = '';
      if (params.length === 2) {
        const [a, b] = [r.at[params[0]!]!, r.at[params[1]!]!];
        const data = symbols.filter((s) => !params.includes(s));
        const spec: MountainData = {
          loss: r.loss, params: [params[0]!, params[1]!], data, batch: [data.map((s) => r.at[s]!)], fixed: {},
          x: [a - 3, a + 3], y: [b - 3, b + 3], start: [a, b], lr: r.lr, steps: r.steps,
        };
        const figure = el('figure', { class: 'dh-mountain', 'data-spec': JSON.stringify(spec) });
        figure.hidden = true;
        figure.append(el('figcaption', {}, `${r.name} over ${params[0]} and ${params[1]} (the other symbols at their values): drag to turn, click to start a descent.`));
        mountain.append(figure);
        liveMountain(engine, figure);
      }
      // The graph, once Graphviz has arrived (the draft drew a placeholder).
      if (r.pending.length > 0) {
        state.drafts++;
        if (superseded()) return;
        const full = await engine.call<PlaygroundReply>({ ...request, mode: { draft: false, waitFor: r.pending } });
        out.querySelector('.dh-graph')!.innerHTML = full.graph;
      }
      completed();
      state.lastMs = performance.now() - start;
    } catch (e) {
      error.textContent = `downhill grad: ${(e as Error).message}`;
      // The results shown stay, dimmed, and say whose they are.
      out.classList.add('dh-stale');
      note.textContent = `The results below are those of the last valid expression, ${shownText}.`;
      note.hidden = false;
    }
    state.updates++;
  });

  form.addEventListener('input', (e) => {
    const t = e.target as HTMLInputElement;
    const m = /^(role|value)-(.+)$/.exec(t.name);
    if (m) {
      const role = roles.get(m[2]!)!;
      if (m[1] === 'role') role.param = t.value === 'param';
      else role.value = t.value;
    }
    run(performance.now());
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(performance.now());
  });
  run(performance.now());
}

// --- Start ------------------------------------------------------------------------
/** The worker engine.js starts (it may load after this script). */
function engineWorker(): Promise<Worker> {
  if (window.DOWNHILL_WORKER !== undefined) return Promise.resolve(window.DOWNHILL_WORKER);
  const script = document.querySelector('script[src="engine.js"]');
  if (script === null) throw new Error('the page has no engine.js');
  return new Promise((resolve, reject) => {
    script.addEventListener('load', () => (window.DOWNHILL_WORKER === undefined ? reject(new Error('engine.js did not start the engine')) : resolve(window.DOWNHILL_WORKER)));
    script.addEventListener('error', () => reject(new Error('engine.js did not load')));
  });
}

function start(): void {
  const engine = new Engine(engineWorker());
  const form = document.querySelector<HTMLFormElement>('form#dh-live');
  const meta = document.querySelector('script#dh-lesson');
  let warmUp: Promise<unknown> | undefined;
  if (form && meta) {
    warmUp = liveLesson(engine, form, JSON.parse(meta.textContent ?? '{}') as LessonMeta);
    form.querySelector('fieldset')!.disabled = false;
  }
  const playground = document.querySelector<HTMLFormElement>('form#dh-playground');
  if (playground) {
    playground.querySelector('fieldset')!.disabled = false;
    livePlayground(engine, playground);
  }
  liveMountains(engine);
  state.ready = true;
  state.readyAt = performance.now();
  // The first answer compiles and starts everything; a lesson page's is the page itself (see liveLesson).
  void (warmUp ?? engine.call({ kind: 'symbols', text: 'x' }).catch(() => undefined)).then(() => {
    state.warm = true;
    state.warmAt = performance.now();
    // A page that draws nothing in the worker (mountains only) is complete when the engine is warm.
    if (!form && !playground) completed();
  });
}

start();
