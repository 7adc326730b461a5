/**
 * What the three programs of the page side share: the connection to the
 * engine's worker (Engine: requests by id, the plot and picture libraries it
 * asks for), the page's state for tests and measurements, and small helpers.
 */
import type { Request } from '../worker.ts';
import { LIBRARY_SOURCES, type LibraryGroup } from '../libraries.ts';
import { roundedNumber } from '../../src/expr/number.ts';

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
export const state = {
  updates: 0, drafts: 0, lastMs: NaN, ready: false, readyAt: NaN, warm: false, warmAt: NaN,
  complete: false, completeAt: NaN, lessonMs: NaN, patchMs: NaN, textMs: NaN, replaced: '',
};

export function completed(): void {
  if (state.complete) return;
  state.complete = true;
  state.completeAt = performance.now();
}
window.downhill = state;

export class Engine {
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
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};


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
