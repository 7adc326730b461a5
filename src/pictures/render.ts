/**
 * DOT to inline SVG with Graphviz (compiled to WebAssembly, `@viz-js/viz`):
 * the layout is Graphviz's, never hand-made. Graphviz gives its layout as
 * drawing operations (its JSON output), which xdot.ts writes as SVG with the
 * accessible name on the root and data attributes by element id, for tests
 * and the step-through: nothing is put into Graphviz's own SVG afterwards.
 *
 *   const svg = await renderDot('digraph { a [id="g_n0"]; }', new Map([['g_n0', { value: '1' }]]))
 *   // '<svg xmlns="http://www.w3.org/2000/svg" width="62pt" …><g id="g_n0" class="node" data-value="1">…'
 */
import { fnv1a } from '../hash.ts';
import type { instance } from '@viz-js/viz';
import { DownhillError } from '../errors.ts';
import { drawLists, writeLayoutSvg, type DataAttributes, type XdotLayout } from './xdot.ts';
import { slotsWhole, stableDot, unmarked } from './stable-layout.ts';

export type { DataAttributes } from './xdot.ts';

type Viz = Awaited<ReturnType<typeof instance>>;
let viz: Promise<Viz> | undefined;

/**
 * Lays out a DOT graph and returns the SVG element as a string.
 * `data` adds data-* attributes to the elements with those ids (ids must be
 * made of letters, digits and '_'); `title` becomes the SVG's accessible name.
 */
export function renderDot(dot: string, data: DataAttributes = new Map(), title?: string): Promise<string> {
  return dotRenderer.render(dot, data, title);
}

/**
 * How every picture's DOT becomes SVG. A host may wrap `render` (the live
 * site's worker keeps what it drew, and answers before Graphviz has loaded).
 */
export const dotRenderer = { render: svgOfDot };

/**
 * Layouts by the DOT Graphviz was given (stable-layout.ts's key: a picture's numbers are slots in it),
 * the last few; undefined where the slots did not come back whole (then the DOT is laid out as it is).
 */
const layouts = new Map<string, Promise<XdotLayout | undefined>>();
const KEPT_LAYOUTS = 32;

async function svgOfDot(dot: string, data: DataAttributes, title: string | undefined): Promise<string> {
  const name = title === undefined ? {} : { title };
  const stable = stableDot(dot);
  if (stable !== undefined) {
    let layout = layouts.get(stable.key);
    if (layout === undefined) {
      if (layouts.size >= KEPT_LAYOUTS) layouts.delete(layouts.keys().next().value!);
      layout = layoutOf(stable.key).then((l) => (slotsWhole(textsOf(l), stable) ? l : undefined));
      layouts.set(stable.key, layout);
      layout.catch(() => layouts.delete(stable.key));
    }
    const laid = await layout;
    if (laid !== undefined) return writeLayoutSvg(laid, { data, ...name, stable });
  }
  return writeLayoutSvg(await layoutOf(unmarked(dot)), { data, ...name });
}

/** Graphviz's layout of a DOT graph (its JSON output). */
async function layoutOf(dot: string): Promise<XdotLayout> {
  // Loaded on first use: Graphviz is a large WebAssembly module that only pictures need.
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const result = (await viz).render(dot, { format: 'json' });
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message.trim()).join('; ');
    throw new DownhillError(`graph layout failed: ${why.split('\n')[0] ?? 'unknown Graphviz error'}`);
  }
  return JSON.parse(result.output) as XdotLayout;
}

/** Every text a layout draws. */
function textsOf(layout: XdotLayout): string[] {
  return [layout, ...(layout.objects ?? []), ...(layout.edges ?? [])]
    .flatMap(drawLists).flatMap((ops) => (ops ?? []).flatMap((o) => (o.op === 'T' ? [o.text] : [])));
}

/** A short deterministic id prefix made from text (FNV-1a), so that two pictures on one page differ. */
export function idPrefix(text: string): string {
  return `dh${fnv1a(text).toString(36)}`;
}
