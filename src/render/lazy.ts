/**
 * A promise whose work starts when it is first awaited (then, catch,
 * finally): a plot or picture drawn for a page is drawn only when the page
 * is written, so `downhill lesson 4 --no-page` loads neither vega nor
 * Graphviz. Its errors, too, come only then (a value nobody awaits fails
 * nobody). The pattern of sindresorhus's p-lazy.
 *
 *   const svg = lazy(() => drawPlot(spec))   // nothing drawn yet
 *   await svg                                // drawn now, once
 */
class LazyPromise<T> extends Promise<T> {
  #work: (() => Promise<T>) | undefined;
  #started: Promise<T> | undefined;
  /** Where the promise was made: a failure of the work is told at the call that asked for it (a lesson's line). */
  readonly #madeAt = new Error();

  constructor(work: () => Promise<T>) {
    super((resolve) => resolve(undefined as T));
    this.#work = work;
  }

  // Promise's own methods (then, catch, finally) make their promises with this species: plain ones.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #start(): Promise<T> {
    if (this.#started === undefined) {
      const work = this.#work!;
      this.#work = undefined;
      const madeAt = this.#madeAt.stack?.replace(/^[^\n]*\n/, '') ?? '';
      this.#started = new Promise<T>((resolve) => resolve(work())).catch((e: unknown) => {
        // The work's own stack, then the caller's: lesson/failure.ts points at the lesson's frame nearest the throw.
        if (e instanceof Error && madeAt !== '') e.stack = `${e.stack ?? String(e)}\n    --- asked for at ---\n${madeAt}`;
        throw e;
      });
    }
    return this.#started;
  }

  override then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.#start().then(onFulfilled, onRejected);
  }

  override catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#start().catch(onRejected);
  }

  override finally(onFinally?: (() => void) | null): Promise<T> {
    return this.#start().finally(onFinally);
  }
}

/** A promise of `work()`'s result that calls `work` only when first awaited. */
export function lazy<T>(work: () => Promise<T>): Promise<T> {
  return new LazyPromise(work);
}
