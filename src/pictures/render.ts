/**
 * DOT to inline SVG with Graphviz (compiled to WebAssembly, `@viz-js/viz`):
 * the layout is Graphviz's, never hand-made. The SVG is cleaned for inlining
 * in a page (no XML prolog, no comments, no per-element titles) and given
 * data attributes by element id, for tests and the step-through.
 *
 *   const svg = await renderDot('digraph { a [id="g_n0"]; }', new Map([['g_n0', { value: '1' }]]))
 *   // '<svg width="62pt" …><g id="g_n0" class="node" data-value="1">…'
 */
import { fnv1a } from '../hash.ts';
import type { instance } from '@viz-js/viz';
import { DownhillError } from '../errors.ts';
import { escapeXml } from './labels.ts';

type Viz = Awaited<ReturnType<typeof instance>>;
let viz: Promise<Viz> | undefined;

/** Data attributes per element id: { value: '0.5' } becomes data-value="0.5". */
export type DataAttributes = ReadonlyMap<string, Readonly<Record<string, string>>>;

/**
 * Lays out a DOT graph and returns the SVG element as a string.
 * `data` adds data-* attributes to the elements with those ids (ids must be
 * made of letters, digits and '_'); `title` becomes the SVG's accessible name.
 */
export async function renderDot(dot: string, data: DataAttributes = new Map(), title?: string): Promise<string> {
  // Loaded on first use: Graphviz is a large WebAssembly module that only pictures need.
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message.trim()).join('; ');
    throw new DownhillError(`graph layout failed: ${why.split('\n')[0] ?? 'unknown Graphviz error'}`);
  }
  let svg = result.output;
  const start = svg.indexOf('<svg');
  svg = svg.slice(start)
    .replace(/<!--[\s\S]*?-->\n?/g, '')
    .replace(/<title>[^<]*<\/title>\n?/g, '');
  svg = svg.replace(/<g id="([A-Za-z0-9_]+)" class="([^"]*)"/g, (whole, id: string, cls: string) => {
    const attrs = data.get(id);
    if (attrs === undefined) return whole;
    const extra = Object.entries(attrs).map(([k, v]) => ` data-${k}="${escapeXml(v)}"`).join('');
    return `<g id="${id}" class="${cls}"${extra}`;
  });
  if (title !== undefined) {
    svg = svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeXml(title)}" `);
  }
  return `${svg.trim()}\n`;
}

/** A short deterministic id prefix made from text (FNV-1a), so that two pictures on one page differ. */
export function idPrefix(text: string): string {
  return `dh${fnv1a(text).toString(36)}`;
}
