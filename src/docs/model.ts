/**
 * The formula reference as data: pages of entries, entries of blocks. The
 * generator builds it once; markdown.ts and html.ts render it two ways, so
 * the two forms of a page always say the same thing.
 *
 *   const entry: DocEntry = { id: 'sin', heading: 'sin', maxError: 1.2e-10, partials: 1, blocks: [
 *     { kind: 'formula', tex: '\\frac{d}{du}\\sin\\left(u\\right) = \\cos\\left(u\\right)' },
 *     { kind: 'check', text: 'Check: the derivative was compared with central finite differences at 64 random points (seeded); …' },
 *   ] }
 */

/** One piece of an entry. Text is prose with `$…$` inline math. */
export type Block =
  | { readonly kind: 'text'; readonly text: string }
  /** A display formula. */
  | { readonly kind: 'formula'; readonly tex: string }
  /** A line of mathjs text, with a lead-in label. */
  | { readonly kind: 'code'; readonly label: string; readonly code: string }
  /** A picture written to `file` (relative to the output folder) and shown by both forms. */
  | { readonly kind: 'image'; readonly file: string; readonly svg: string; readonly alt: string; readonly caption: string; readonly width: number; readonly height: number }
  /** The check line that ends an entry. */
  | { readonly kind: 'check'; readonly text: string };

/** One documented function, loss or layer. */
export interface DocEntry {
  /** Anchor id, unique on its page. */
  readonly id: string;
  /** Heading (text with `$…$` math). */
  readonly heading: string;
  readonly blocks: readonly Block[];
  /** The largest relative error of its finite-difference check. */
  readonly maxError: number;
  /** How many partial derivatives were checked. */
  readonly partials: number;
}

/** A group of entries under one heading. */
export interface DocGroup {
  readonly heading: string;
  readonly id: string;
  readonly intro?: string;
  readonly entries: readonly DocEntry[];
}

/** One page: `<name>.md` and `<name>.html`. */
export interface DocPage {
  readonly name: string;
  readonly title: string;
  /** One line under the title (text with `$…$` math). */
  readonly summary: string;
  readonly groups: readonly DocGroup[];
}
