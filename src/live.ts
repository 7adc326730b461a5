/**
 * The live entry: what the site (site/: the static build, the page scripts
 * and the engine's worker) uses beyond the public door (index.ts), widened on
 * purpose and no further. test/layers.test.ts holds site/ to these two doors.
 *
 *   import { lessonDocument, sectionsHtml, readSettings, useRenderers } from '../src/live.ts'
 *
 * - running and rendering lessons: the registry, a lesson's document and page,
 *   the practice sets (their registry, their pages' names, a typed answer read back as TeX),
 *   its sections (a live page swaps them by id), the settings' one reader;
 * - writing the site: pages, escaping, files written atomically;
 * - the command line's limits and its reading of numbers, shared with the page;
 * - the grad report (check/grad-report.ts): the playground's Document
 *   (playgroundDocument: `downhill grad`'s, with a check, the graph and a
 *   descent), and the report it is made from (readGradText, gradReport: the
 *   public door of these is 'downhill/engine', whose readers script the command);
 * - the digits file's bytes from elsewhere than the disk (the worker gets them from its page);
 * - a renderer hook: the worker draws plots and pictures its own way (cached,
 *   placeholders while their libraries load) without replacing globals.
 */
import { plotRenderer, type PlotDraw, type PlotLater, type VegaDraw } from './render/plot.ts';
import { dotRenderer } from './pictures/render.ts';

export { allLessons, pageFile } from './lesson/registry.ts';
export { allSets, practiceFile } from './lesson/practice-sets.ts';
export { answerTex } from './practice/preview.ts';
export { lessonDocument, lessonPage } from './lesson/run.ts';
export { LESSON_SETTINGS, readSettings, settingLabel, type LessonFlag, type TypedSettings } from './lesson/settings.ts';
export { sectionsHtml, type DocumentHtmlOptions } from './render/html.ts';
export { checkPagesFolder, escapeHtml, renderPage, textWithMath, writePages, type PageFile, type PageSection } from './render/page.ts';
export { heightRgb, INK, SURFACE_PATH_COLOURS } from './render/palette.ts';
export { visible } from './errors.ts';
export type { OwnedFile } from './io/manifest.ts';
export type { MountainData } from './render/mountain.ts';
export type { TickProgress } from './lesson/doc.ts';
export { fileSystemError, removeTempFilesOnSignals, writeAllAtomic, writeFileAtomic } from './io/atomic.ts';
export { CALL_LIMIT, checkDerivativeCount } from './limits.ts';
export { parseNumber } from './expr/read-number.ts';
export { roundedNumber } from './expr/number.ts';
export { isProgram } from './expr/program.ts';
export { gradReport, playgroundDocument, readGradText, type GradReport, type GradText } from './check/grad-report.ts';
export { fnv1a } from './hash.ts';
export { overlaid, type PlotDraw, type PlotLater, type PlotOverlay, type VegaDraw, type VegaPlot } from './render/plot.ts';
export { useDigitsBytes } from './nn/digits-file.ts';

/** How a picture's DOT becomes SVG (with data attributes by element id, and an accessible title). */
export type DotDraw = (dot: string, data: ReadonlyMap<string, Readonly<Record<string, string>>>, title?: string) => Promise<string>;

/**
 * The renderer hook: each given function receives a way of drawing and
 * returns the one to use from now on (e.g. a cache around it). `plot`
 * receives vega's drawing of a spec (its SVG, size and plotting area:
 * VegaPlot) and returns how a plot is drawn, its overlay (a contour plot's
 * paths) composed beside vega's SVG by `overlaid` (so a second `plot`
 * hook replaces the first, it does not wrap it); `dot` receives the
 * current way of drawing a picture (hooks wrap each other); `later` may
 * leave a plot whose map is computed from a function for later (PlotLater:
 * the worker's numbers-first drafts).
 *
 *   useRenderers({ plot: (draw) => async (spec, overlay) => overlaid(await cache(spec, () => draw(spec)), overlay) })
 */
export function useRenderers(hooks: { readonly plot?: (draw: VegaDraw) => PlotDraw; readonly dot?: (draw: DotDraw) => DotDraw; readonly later?: PlotLater }): void {
  if (hooks.plot !== undefined) plotRenderer.render = hooks.plot(plotRenderer.vega);
  if (hooks.later !== undefined) plotRenderer.later = hooks.later;
  if (hooks.dot !== undefined) dotRenderer.render = hooks.dot(dotRenderer.render as DotDraw) as typeof dotRenderer.render;
}
