/**
 * The formula reference as data: pages of entries, entries of document
 * blocks (render/document.ts). The generator builds it once and turns each
 * page into a Document, which the lesson renderers write as Markdown and
 * HTML, so the two forms of a page always say the same thing.
 *
 *   const entry: DocEntry = { id: 'sin', heading: 'sin', maxError: 1.2e-10, partials: 1, blocks: [
 *     { kind: 'formula', tex: '\\frac{d}{du}\\sin\\left(u\\right) = \\cos\\left(u\\right)' },
 *     { kind: 'check', text: 'Check: the derivative was compared with central finite differences at 64 random points (seeded); …' },
 *   ] }
 */

import type { Block } from '../render/document.ts';

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
