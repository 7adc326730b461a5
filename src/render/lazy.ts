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
      this.#started = new Promise<T>((resolve) => resolve(work()));
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
