/**
 * What the three programs of the page side share: the connection to the
 * engine's worker (Engine: requests by id, the plot and picture libraries it
 * asks for), the page's state for tests and measurements, and small helpers.
 */
import type { Request } from '../worker.ts';
import { LIBRARY_SOURCES, type LibraryGroup } from '../libraries.ts';
import { roundedNumber } from '../../src/live.ts';

declare global {
  interface Window {
    /** The engine's worker: the one the head's first script started, once engine.js (an async script in the head) has sent it the engine. */
    DOWNHILL_WORKER?: Worker;
    /** The worker the head's first script starts, before engine.js has sent it the engine (site/scripts.ts). */
    DOWNHILL_BOOT?: Worker;
    /** The Blob URL every stand-in worker of the page starts from (site/scripts.ts's NEW_BOOT_WORKER). */
    DOWNHILL_BOOT_URL?: string;
    /** Sends engine.js's engine to `worker`, or to a fresh worker (a stopped worker is replaced so); returns the worker. */
    DOWNHILL_START?: (worker?: Worker) => Worker;
    /** The limits of one call (src/limits.ts's CALL_LIMIT, written into engine.js by the build). */
    DOWNHILL_CALL_LIMIT?: { readonly seconds: number; readonly megabytes: number };
    /** A test hook: every request's time budget in ms, in place of the one below (1 stops any request that does work, at once). Unset on every page. */
    DOWNHILL_BUDGET_MS?: number;
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
 * `libraries` lists the library files loaded, in order; `errorsShown` counts
 * the playground's error messages shown, `errorPending` says one waits for a
 * pause in typing.
 */
export const state = {
  updates: 0, drafts: 0, lastMs: NaN, ready: false, readyAt: NaN, warm: false, warmAt: NaN,
  complete: false, completeAt: NaN, lessonMs: NaN, patchMs: NaN, textMs: NaN, replaced: '',
  libraries: [] as string[], errorsShown: 0, errorPending: false,
  /** A practice page: verdicts shown, the last one's time from "check" to the verdict shown, and its time in the worker (ms). */
  verdicts: 0, verdictMs: NaN, workerVerdictMs: NaN,
  /** Settings changes painted, and the last one's time from its input event to the frame painted after its last DOM change. */
  painted: 0, paintedMs: NaN,
  /** The last change's time from its input event to the frame painted after its numbers (its first patch: a draft's, before its plots are drawn). */
  numbersPaintedMs: NaN,
  /** When the engine's first lesson answer arrived; when a shared link's own numbers were painted (NaN: no link settings). */
  firstAnswerAt: NaN, linkShownAt: NaN,
  /**
   * A training lesson (site/live/training.ts): checkpoints painted, runs ended (finished, stopped or refused), the last
   * run's time from its change to its first checkpoint painted, and whether what training reads has been loaded.
   */
  checkpoints: 0, trainings: 0, firstCheckpointMs: NaN, prepared: false,
  /** A lesson whose run streams (lesson 8): the pages of the run so far shown (its checkpoints: site/worker.ts's STREAMED). */
  streamed: 0,
};

export function completed(): void {
  if (state.complete) return;
  state.complete = true;
  state.completeAt = performance.now();
}
window.downhill = state;

/**
 * Resolves with performance.now() once the frame after the current DOM
 * changes has been painted: a requestAnimationFrame callback runs just before
 * the frame's style, layout and paint, and a task it posts runs after them
 * (a MessageChannel message: no 4 ms clamp as with setTimeout).
 */
export function afterPaint(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  }));
}

/** Once the frame showing a change's last DOM change is painted: counts it, and its time from `start` (the change's event) in `paintedMs`. */
export function countPainted(start: number, before?: (at: number) => void): void {
  void afterPaint().then((at) => {
    state.paintedMs = at - start;
    before?.(at);
    state.painted++;
  });
}

/** A request the engine stopped (the time budget ran out, stop was pressed, a newer request took its place). */
export class Stopped extends Error {}

/**
 * The engine's worker, with a time budget per request: a request not
 * answered within BUDGET_CALLS times the limits of one call (CALL_LIMIT, the
 * command line's: 10 s of work on a quiet machine; a page shares its machine,
 * so it waits longer) is stopped, as is every request waiting behind it, by
 * ending the worker (a worker busy in a loop cannot be interrupted
 * otherwise); `stop` does the same at once. The next request starts a fresh
 * worker, which loads again what it needs (its first request may take the
 * warm-up's time on top).
 */
export class Engine {
  private worker: Promise<Worker> | undefined;
  /** Whether the worker has answered a request yet (its first one compiles and starts everything). */
  private warm = false;
  private next = 1;
  private readonly waiting = new Map<number, {
    resolve: (v: unknown) => void; reject: (e: Error) => void; timer: number; since: number;
    /** A message about the request before its answer (a training run's progress), and the budget timer's restart. */
    onProgress?: (p: unknown) => void; rearm: () => void;
  }>();
  /** Libraries held back until something on the page needs them (see `holdLibrary`). */
  private readonly held = new Map<LibraryGroup, Promise<void>>();
  /** Libraries loaded for the current worker, or being loaded (a fresh worker starts with none). */
  private readonly sent = new Set<LibraryGroup>();

  /** Loads `group` only once `until` resolves (the playground: Graphviz once its graph is about to be on screen). */
  holdLibrary(group: LibraryGroup, until: Promise<void>): void {
    this.held.set(group, until);
  }

  constructor(worker: Promise<Worker>, private readonly restart: () => Worker) {
    this.worker = worker.then((w) => this.listen(w));
  }

  /** The worker, started afresh when the last one was stopped. */
  private current(): Promise<Worker> {
    this.worker ??= Promise.resolve(this.listen(this.restart()));
    return this.worker;
  }

  private listen(w: Worker): Worker {
    w.onmessage = (event: MessageEvent<{ id: number; ok: boolean; result?: unknown; error?: string } | { library: LibraryGroup } | { id: number; progress: unknown }>) => {
      if ('library' in event.data) return this.sendLibrary(event.data.library);
      if ('progress' in event.data) {
        // A run that reports progress is working: its budget starts again (each stretch between reports has the whole budget).
        const waiting = this.waiting.get(event.data.id);
        waiting?.rearm();
        waiting?.onProgress?.(event.data.progress);
        return;
      }
      const { id, ok, result, error } = event.data;
      const waiting = this.waiting.get(id);
      if (waiting === undefined) return;
      this.waiting.delete(id);
      this.warm = true;
      window.clearTimeout(waiting.timer);
      if (ok) waiting.resolve(result);
      else waiting.reject(new Error(error));
    };
    return w;
  }

  /**
   * Loads a library group the worker asked for: its file is a classic script
   * (a page from file:// can load one, a worker cannot) that leaves the
   * bundle's source in a global, which goes to the worker.
   */
  private sendLibrary(group: LibraryGroup): void {
    const held = this.held.get(group);
    if (held !== undefined) {
      this.held.delete(group);
      void held.then(() => this.sendLibrary(group));
      return;
    }
    if (this.sent.has(group)) return; // loaded ahead (`preload`): on its way to the worker
    this.sent.add(group);
    state.libraries.push(group);
    const script = document.createElement('script');
    script.src = `${group}.js`;
    script.onload = () => {
      const sources = window[LIBRARY_SOURCES];
      const source = sources?.[group];
      if (source === undefined) throw new Error(`${group}.js did not load`);
      delete sources![group];
      script.remove();
      void this.current().then((w) => w.postMessage({ library: group, source }));
    };
    document.head.append(script);
  }

  /**
   * Loads a library group before the worker asks for it (a picture about to come on screen: its next run
   * need not wait for Graphviz's 2.9 MB), unless it is held (`holdLibrary`) or already loaded.
   */
  preload(group: LibraryGroup): void {
    if (!this.held.has(group)) this.sendLibrary(group);
  }

  /** Whether the worker has answered once (its first request compiles and starts the engine). */
  isWarm(): boolean {
    return this.warm;
  }

  /** How long the oldest request has been waiting for its answer, in ms (0: none is). */
  busyFor(): number {
    let oldest = Infinity;
    for (const w of this.waiting.values()) oldest = Math.min(oldest, w.since);
    return oldest === Infinity ? 0 : performance.now() - oldest;
  }

  /** Stops every request (each is rejected with Stopped(`why`)) and starts a fresh worker. */
  stop(why: string): void {
    if (this.waiting.size === 0) return;
    const stopped = [...this.waiting.values()];
    this.waiting.clear();
    void this.worker?.then((w) => w.terminate());
    this.worker = undefined;
    this.warm = false;
    this.sent.clear();
    for (const w of stopped) {
      window.clearTimeout(w.timer);
      w.reject(new Stopped(why));
    }
  }

  /**
   * Sends a request; its answer, or its error. Within `CALL_LIMIT.seconds`
   * of work (plus the time a full run may wait for its plot libraries), or it is stopped;
   * `onProgress` receives the worker's messages about it before its answer (a training run's checkpoints).
   */
  call<T>(request: Request, onProgress?: (p: unknown) => void): Promise<T> {
    const id = this.next++;
    const CALL_LIMIT = window.DOWNHILL_CALL_LIMIT ?? { seconds: 10, megabytes: 1024 };
    const waits = 'mode' in request && request.mode.waitFor !== undefined && request.mode.waitFor.length > 0;
    const budget = window.DOWNHILL_BUDGET_MS ?? BUDGET_CALLS * CALL_LIMIT.seconds * 1000 + (waits ? LIBRARY_WAIT_MS : 0) + (this.warm ? 0 : WARM_UP_MS);
    const spent = budget < 1000 ? `${budget} ms` : `${Math.round(budget / 1000)} s`;
    const worker = this.current();
    const answer = new Promise<T>((resolve, reject) => {
      const over = (): void => this.stop(`stopped after ${spent}: the limits of one call are ${CALL_LIMIT.seconds} s and ${CALL_LIMIT.megabytes / 1024} GB on a quiet machine (the command line refuses, before any work, what would not fit in them)`);
      const entry = {
        resolve: resolve as (v: unknown) => void, reject, timer: window.setTimeout(over, budget), since: performance.now(),
        ...(onProgress === undefined ? {} : { onProgress }),
        rearm: () => {
          window.clearTimeout(entry.timer);
          entry.timer = window.setTimeout(over, budget);
        },
      };
      this.waiting.set(id, entry);
    });
    void worker.then((w) => w.postMessage({ id, request }));
    return answer;
  }
}

/** A request's budget in calls' limits: a page shares its machine with everything else on it. */
const BUDGET_CALLS = 3;
/** What a full run may wait, on top of its budget, for its plot libraries to load (graphviz.js is 2.9 MB). */
const LIBRARY_WAIT_MS = 30_000;
/** What a fresh worker's first request may take on top: it compiles and starts the engine. */
const WARM_UP_MS = 30_000;

/**
 * Runs `work` for the newest request only: one at a time, and a request made
 * while one runs replaces any waiting one (`superseded` says one is waiting).
 */
export function latestOnly<A>(work: (arg: A, superseded: () => boolean) => Promise<void>): (arg: A) => void {
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

export const fmt = (v: number, digits = 6): string => roundedNumber(v, digits);

/**
 * HTML the engine rendered, as nodes: a section of the grad report
 * (render/html.ts, from the report's Document: every symbol, value and
 * message in it is escaped text; KaTeX's formulas and the graph's SVG are
 * built from the parsed expression, every name escaped), KaTeX of a typed
 * answer's parsed tree, an author's hint. Never text a user typed.
 */
export function engineHtml(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};


/** A fresh worker of the engine (engine.js keeps its source), when a request was stopped. */
export function freshWorker(): Worker {
  if (window.DOWNHILL_START === undefined) throw new Error('engine.js did not keep the engine');
  return window.DOWNHILL_START();
}

/** The worker engine.js starts (it may load after this script). */
export function engineWorker(): Promise<Worker> {
  if (window.DOWNHILL_WORKER !== undefined) return Promise.resolve(window.DOWNHILL_WORKER);
  const script = document.querySelector('script[src="engine.js"]');
  if (script === null) throw new Error('the page has no engine.js');
  return new Promise((resolve, reject) => {
    script.addEventListener('load', () => (window.DOWNHILL_WORKER === undefined ? reject(new Error('engine.js did not start the engine')) : resolve(window.DOWNHILL_WORKER)));
    script.addEventListener('error', () => reject(new Error('engine.js did not load')));
  });
}
