/**
 * The live mountain: a placeholder on a lesson page that the site's script
 * (site/live.ts) turns into a rotatable 3-D view of a two-parameter loss
 * surface, where the learner clicks a start and watches gradient descent
 * walk down from it. The page itself stays static: the placeholder is
 * hidden until the script shows it, so a page read without JavaScript (or
 * written by `downhill lesson`) is unchanged.
 *
 *   doc.mountain({ loss: parseExpression('(y - (w*x + b))^2'), params: ['w', 'b'], data: ['x', 'y'],
 *     batch: rows, x: [-1, 3], y: [-3, 3], start: [0, 0], lr: 0.2, steps: 200, caption: '…' })
 */
import { arrayOf, checkArg, checkFields, DownhillError, NAMES, NUMBER, NUMBERS, objectWith, OBJECT, RANGE, TEXT, type Accepts } from '../errors.ts';
import { NODE, type Node } from '../expr/node.ts';
import { parseExpression } from '../expr/parse.ts';
import { toText } from '../expr/print.ts';
import { escapeHtml, textWithMath } from './page-html.ts';

/** What the mountain draws: the mean of a per-sample loss over a batch, as a function of two parameters. */
export interface MountainSpec {
  /** The per-sample loss. */
  readonly loss: Node;
  /** The two parameters: the map's horizontal and vertical axes. */
  readonly params: readonly [string, string];
  /** Per-sample data symbols, in the order of a batch row. */
  readonly data: readonly string[];
  readonly batch: readonly (readonly number[])[];
  /** Other parameters, held at these values (they become constants of the surface). */
  readonly fixed?: Readonly<Record<string, number>>;
  /** The ranges of the two parameters. */
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  /** Where the descent starts until the learner clicks elsewhere. */
  readonly start: readonly [number, number];
  readonly lr: number;
  readonly steps: number;
  /** A caption (text with $…$ math). */
  readonly caption: string;
}

/** The spec as the page carries it: the loss as text the parser reads back into the same graph. */
export interface MountainData {
  readonly loss: string;
  readonly params: readonly [string, string];
  readonly data: readonly string[];
  readonly batch: readonly (readonly number[])[];
  readonly fixed: Readonly<Record<string, number>>;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly start: readonly [number, number];
  readonly lr: number;
  readonly steps: number;
}

const PAIR: Accepts<readonly [number, number]> = { ...RANGE, what: 'a pair [a, b] of numbers' };
/** What each field of a spec accepts (finite numbers and the loss's text are checked in mountainData). */
const MOUNTAIN_FIELDS: Readonly<Record<string, Accepts<unknown>>> = {
  loss: NODE, params: { ...arrayOf(TEXT), what: 'two parameter names', test: (v): v is unknown => NAMES.test(v) && v.length === 2 },
  data: NAMES, batch: arrayOf(NUMBERS, 'an array of rows of numbers'), x: PAIR, y: PAIR, start: PAIR,
  lr: NUMBER, steps: NUMBER,
};

/** The door: a spec with every field of its kind (`fixed` an object of values, if given). */
function checkMountain(fn: string, spec: unknown): asserts spec is MountainSpec {
  checkArg(fn, 'spec', spec, objectWith(...Object.keys(MOUNTAIN_FIELDS)));
  checkFields(fn, spec, MOUNTAIN_FIELDS, 'spec.');
  const fixed = (spec as { fixed?: unknown }).fixed;
  if (fixed !== undefined) checkArg(fn, 'spec.fixed', fixed, OBJECT);
}

/** The spec as data (a Document's mountain block carries it), checked: the loss reads back as itself, every number is finite. */
export function mountainData(spec: MountainSpec): MountainData {
  return readsBack(mountainFields(spec));
}

/**
 * The spec as data, every field checked and every number finite, but the
 * loss's text not yet read back (readsBack): a lesson's document reads it back
 * only for a page, so a terminal-only run never makes mathjs's parser.
 */
export function mountainFields(spec: MountainSpec): MountainData {
  checkMountain('mountain', spec);
  const loss = toText(spec.loss);
  const numbers = [...spec.x, ...spec.y, ...spec.start, spec.lr, spec.steps, ...spec.batch.flat(), ...Object.values(spec.fixed ?? {})];
  if (!numbers.every(Number.isFinite)) throw new DownhillError('mountain: every number of the spec must be finite');
  return {
    loss, params: spec.params, data: spec.data, batch: spec.batch, fixed: spec.fixed ?? {}, x: spec.x, y: spec.y, start: spec.start, lr: spec.lr, steps: spec.steps,
  };
}

/** `data`, once its loss reads back (parsed, as the page's script parses it) as the same expression. */
export function readsBack(data: MountainData): MountainData {
  if (toText(parseExpression(data.loss)) !== data.loss) throw new DownhillError(`mountain: the loss "${data.loss}" does not read back as the same expression`);
  return data;
}

/** The placeholder: a hidden figure carrying the data as JSON, and its caption (text with $…$ math) in a template. */
export function mountainFigure(data: MountainData, caption: string): string {
  // The caption waits in a <template> (not part of the page) until the script shows the figure.
  return `<figure class="dh-mountain" hidden data-spec="${escapeHtml(JSON.stringify(data))}"><template><figcaption>${textWithMath(caption)}</figcaption></template></figure>`;
}

/** The placeholder of a spec (mountainFigure of mountainData). */
export function mountainHtml(spec: MountainSpec): string {
  checkMountain('mountainHtml', spec);
  checkArg('mountainHtml', 'spec.caption', spec.caption, TEXT);
  return mountainFigure(mountainData(spec), spec.caption);
}
