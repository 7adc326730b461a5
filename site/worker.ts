/// <reference types="vite/client" />
/**
 * The engine in a worker. It answers five kinds of request from the page
 * (site/live.ts):
 * - `lesson`: runs a lesson's own script (the module the CLI runs) with the
 *   page's settings and answers with the page the lesson wrote (lesson 8's
 *   draft streams its run's checkpoints first: STREAMED);
 * - `mountain`: a loss surface on a grid, and gradient descent from a start;
 * - `playground`: \`downhill grad\`'s report of a typed expression (its
 *   Document's sections), with a gradient check, the graph and a descent;
 * - `practice`: a practice page's answers read back, graded, revealed (site/practice-worker.ts);
 * - `training`: a lesson that trains for long (lessons 10, 11 and 12), its checkpoints sent
 *   as progress before its answer (site/training-worker.ts).
 * Run by a worker started from a Blob URL (site/scripts.ts: the page's head
 * starts it, engine.js sends it this source), because a page opened from file:// may not start
 * a worker from a file (nor may the worker load one: vega and Graphviz come
 * as source text from the page when a plot or picture first needs them, and
 * a run can answer before they have: see `drafting`).
 */
import { DownhillError, gd, packBatch, stopMessage, train, type Block, type Document, type Lesson, type TrainResult } from '../src/index.ts';
import {
  checkDerivativeCount, fnv1a, gradReport, lessonDocument, overlaid, parseNumber, playgroundDocument, readGradText, readSettings, sectionsHtml, textWithMath, useRenderers,
  type MountainData, type PageSection, type PlotOverlay, type TypedSettings, type VegaPlot,
} from '../src/live.ts';
import { fingerprint } from './fingerprint.ts';
import { sectionEdits, type SectionEdits } from './html-edits.ts';
import { libraryGlobal, libraryOf, type LibraryGroup } from './libraries.ts';
import { loadedPracticeSets, loadPracticeSet, practiceAnswer, type PracticeRequest } from './practice-worker.ts';
import {
  newTrainingRun, prepareTraining, stopTraining, trainLesson,
  type PrepareTrainingRequest, type StopTrainingRequest, type TrainingProgress, type TrainingRequest,
} from './training-worker.ts';

declare global {
  /** What the build puts in place of `import('vega')` and the like (see site/libraries.ts). */
  var downhillLibrary: (module: string) => Promise<unknown>;
}

// --- Plots and pictures: their libraries arrive from the page on first use ----------
/** The groups asked for, resolved once the page has sent one and it has run here. */
const libraries = new Map<LibraryGroup, { promise: Promise<Record<string, unknown>>; resolve: (ns: Record<string, unknown>) => void; arrived: boolean }>();

function library(group: LibraryGroup): Promise<Record<string, unknown>> {
  let entry = libraries.get(group);
  if (entry === undefined) {
    let resolve!: (ns: Record<string, unknown>) => void;
    const promise = new Promise<Record<string, unknown>>((r) => (resolve = r));
    entry = { promise, resolve, arrived: false };
    libraries.set(group, entry);
    self.postMessage({ library: group });
  }
  return entry.promise;
}

globalThis.downhillLibrary = async (module) => {
  const found = libraryOf(module);
  if (found === undefined) throw new Error(`${module} is not one of the site's libraries`);
  return (await library(found.group))[found.name];
};

/** Runs a group's bundle (its source, sent by the page) here. */
function arrive(group: LibraryGroup, source: string): void {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  try {
    (self as unknown as { importScripts(url: string): void }).importScripts(url); // a worker's global (the DOM's types lack it)
  } finally {
    URL.revokeObjectURL(url);
  }
  const ns = (self as unknown as Record<string, Record<string, unknown>>)[libraryGlobal(group)]!;
  const entry = libraries.get(group);
  // Sent before it was asked for (the page loads a group ahead: a picture about to come on screen).
  if (entry === undefined) libraries.set(group, { promise: Promise.resolve(ns), resolve: () => undefined, arrived: true });
  if (entry === undefined || entry.arrived) return;
  entry.arrived = true;
  entry.resolve(ns);
}

/**
 * While a draft runs, a plot or picture is not waited for when its library
 * has not arrived yet, nor is a large plot (a contour or probability map, whose
 * data runs to tens of kilobytes: ~100 ms of vega) that is not in the cache:
 * it is drawn as a placeholder named after a hash of its input (so two drafts
 * differ where their plots do), and the reply lists the groups to wait for.
 * The page shows the draft, then asks for the full page (see `complete`).
 */
let drafting = false;
/** While a draft runs: whether it leaves out every plot and picture not drawn yet (see NUMBERS_FIRST), not only the large ones. */
let numbersFirst = false;
const pendingGroups = new Set<LibraryGroup>();
/** The current run's placeholders for plots (pictures have none here: a step-through rewrites its SVG), with how to draw each. */
const deferred = new Map<string, { readonly key: string; readonly draw: () => Promise<string> }>();
/** Whether the current run drew a placeholder that cannot be swapped for its SVG afterwards (a picture's). */
let rerunNeeded = false;

/** A plot whose spec is longer than this is drawn after the draft. */
const LARGE_SPEC = 50_000;

function placeholder(kind: 'plot' | 'picture', key: string, width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="dh-pending" data-input="${fnv1a(key).toString(36)}" width="${width}" height="${height}" role="img" aria-label="the ${kind}, being drawn">`
    + `<text x="12" y="24" font-size="14" fill="#888">drawing the ${kind}…</text></svg>`;
}

/** The SVG of a drawing: a picture's, or vega's drawing of a plot's spec. */
const svgOf = (drawing: string | VegaPlot): string => (typeof drawing === 'string' ? drawing : drawing.svg);

/**
 * Drawings by their input: the same spec or DOT is drawn once (bounded, emptied when full), then `after`
 * makes each call's SVG of it, with what it adds named by `variantOf` (a contour plot's paths, composed
 * beside vega's SVG: src/render/plot.ts's overlaid).
 */
function cached<A extends unknown[], T extends string | VegaPlot = string>(
  group: LibraryGroup, kind: 'plot' | 'picture', draw: (...args: A) => Promise<T>, keyOf: (...args: A) => string, size: (...args: A) => [number, number],
  after: (drawing: T, args: A) => string = svgOf, variantOf: (...args: A) => string = () => '',
): (...args: A) => Promise<string> {
  const drawn = new Map<string, Promise<T>>();
  /** The keys whose SVG is drawn (not still being drawn: a draft does not wait for one, e.g. while its library is held back). */
  const ready = new Set<string>();
  let chars = 0;
  const drawOnce = (key: string, args: A): Promise<T> => {
    const hit = drawn.get(key);
    if (hit !== undefined) return hit;
    if (chars > 20_000_000) {
      drawn.clear();
      ready.clear();
      chars = 0;
    }
    const svg = draw(...args);
    drawn.set(key, svg);
    svg.then((s) => {
      chars += key.length + svgOf(s).length;
      if (drawn.get(key) === svg) ready.add(key);
    }, () => drawn.delete(key));
    return svg;
  };
  return (...args) => {
    const key = keyOf(...args);
    const finished = (): Promise<string> => drawOnce(key, args).then((drawing) => after(drawing, args));
    if (!drafting || ready.has(key)) return finished();
    const arrived = libraries.get(group)?.arrived === true;
    if (arrived && !numbersFirst && (kind === 'picture' || key.length <= LARGE_SPEC)) return finished();
    pendingGroups.add(group);
    if (!arrived) void library(group);
    const variant = `${key}\n${variantOf(...args)}`;
    const shown = placeholder(kind, variant, ...size(...args));
    // A picture's placeholder may be rewritten (a step-through styles its SVG), and two plots' placeholders could
    // coincide (a 32-bit hash): then the full page is a rerun, not the draft with its plots swapped in. A picture
    // left out by a numbers-first draft is swapped in where a plot block holds its placeholder as it is (a picture
    // used as a plot: lesson 8's network); one rewritten is not found there, and the full page is a rerun.
    if ((kind === 'plot' || numbersFirst) && (deferred.get(shown)?.key ?? variant) === variant) deferred.set(shown, { key: variant, draw: finished });
    else rerunNeeded = true;
    return Promise.resolve(shown);
  };
}

/**
 * A spec's text, by the spec object: a plot made again with the same map is the same object (a contour plot's: src/render/plot.ts),
 * whose text (100 kB and more) is written once.
 */
const specTexts = new WeakMap<object, string>();
function specText(spec: object): string {
  let text = specTexts.get(spec);
  if (text === undefined) specTexts.set(spec, text = JSON.stringify(spec));
  return text;
}

// The renderer hook (src/live.ts): plots and pictures drawn once per input, and as placeholders while a draft runs.
useRenderers({
  plot: (draw) => cached<[spec: object, overlay?: PlotOverlay], VegaPlot>('plots', 'plot', (spec) => draw(spec), specText, (spec) => {
    const side = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
    return [side((spec as { width?: unknown }).width, 400) + 80, side((spec as { height?: unknown }).height, 250) + 60];
  }, (plot, [, overlay]) => overlaid(plot, overlay), (_, overlay) => overlay?.svg ?? ''),
  dot: (draw) => cached('graphviz', 'picture', draw, (dot, data, title) => JSON.stringify([dot, [...data], title ?? null]), () => [400, 200]),
});

/**
 * A numbers-first draft leaves a plot whose map is computed from a function (lesson 8's decision boundary: its
 * probability map and its search for p = 0.5) for later, without computing it (PlotLater): a placeholder with a
 * serial in place of its input's hash (it has none without the work), drawn in the full page. `make` runs with
 * `drafting` off up to its drawing's call (synchronous in the plot's making), so a draft begun meanwhile does not
 * make it a placeholder again.
 */
let laterSerial = 0;
useRenderers({
  later: (make, [width, height]) => {
    if (!drafting || !numbersFirst) return undefined;
    pendingGroups.add('plots');
    if (libraries.get('plots')?.arrived !== true) void library('plots');
    const key = `later ${++laterSerial}`;
    const shown = placeholder('plot', key, width + 80, height + 60);
    deferred.set(shown, {
      key,
      draw: () => {
        const was = drafting;
        drafting = false;
        try {
          return make();
        } finally {
          drafting = was;
        }
      },
    });
    return Promise.resolve(shown);
  },
});

/**
 * The last lesson draft with placeholders, and its full page: the draft's
 * Document with each plot block given its plot (a typed block: its SVG is
 * data, rendered per face by sectionsHtml, never searched for in HTML), so
 * the lesson need not run again. Its plots are drawn as soon as the draft
 * has been sent, while the page shows it; undefined where the full page
 * needs a rerun.
 */
let lastDraft: { readonly key: string; readonly full: Promise<PageSection[] | undefined> } | undefined;

/**
 * The draft's Document with each plot block whose SVG is a placeholder
 * given its plot, as sections (undefined when a placeholder is in no plot
 * block: then a rerun). Sections without one render as before (their TeX
 * comes from KaTeX's cache), so the page gets only those that changed.
 */
async function complete(doc: Document, deferred: ReadonlyMap<string, { readonly draw: () => Promise<string> }>): Promise<PageSection[] | undefined> {
  const found = new Set<string>();
  const withPlot = async (block: Block): Promise<Block> => {
    const wait = block.kind === 'plot' ? deferred.get(block.svg) : undefined;
    if (block.kind !== 'plot' || wait === undefined) return block;
    found.add(block.svg);
    return { ...block, svg: await wait.draw() };
  };
  const sections: Document['sections'][number][] = [];
  for (const section of doc.sections) {
    const blocks: Block[] = [];
    for (const block of section.blocks) blocks.push(await withPlot(block));
    sections.push({ ...section, blocks });
  }
  if (found.size !== deferred.size) return undefined;
  return sectionsHtml({ ...doc, sections });
}

/** Sections' HTML sent, by fingerprint (the last few megabytes): what a page holds, to send it a new run's edits of it. */
const sent = new Map<string, string>();
let sentChars = 0;

/**
 * The reply's sections, each with its fingerprint and, unless the page holds it already, its HTML; with `edits`,
 * a changed section whose HTML the page holds (sent before) comes as the edits that make the new one from it, without
 * its HTML (site/html-edits.ts: the page sets texts and values in place of parsing it, and asks for the HTML
 * should its section not be the one the edits start from). Not a draft's section with a
 * placeholder (the page shows another picture there), nor one of a training run.
 */
function sectionsReply(parts: readonly PageSection[], known: Readonly<Record<string, string>>, edits = false): SectionPart[] {
  return parts.map((p) => {
    const hash = fingerprint(p.html);
    if (!sent.has(hash)) {
      if (sentChars > 16_000_000) {
        sent.clear();
        sentChars = 0;
      }
      sent.set(hash, p.html);
      sentChars += p.html.length;
    }
    const base = Object.hasOwn(known, p.id) ? known[p.id]! : undefined;
    if (base === hash) return { id: p.id, hash };
    const before = base === undefined ? undefined : sent.get(base);
    const found = edits && before !== undefined && !before.includes('dh-pending') && !p.html.includes('dh-pending') ? sectionEdits(before, p.html, { before: base!, after: hash }) : undefined;
    // (Edits without the HTML: copying 500 kB of strings to the page cost more than the edits, ~30 ms at load 20.)
    return found === undefined ? { id: p.id, hash, html: p.html } : { id: p.id, hash, edits: { base: base!, ...found } };
  });
}

/**
 * Every lesson (lessons 10, 11 and 12 train here with progress: a `training` request, site/training-worker.ts), each
 * module run when a request first names its lesson, not when the engine loads: a page's worker runs its own lesson's
 * code only (the bundle keeps each lesson's module in a function of its own, which Chromium compiles when first called).
 */
const lessonModules = new Map(Object.entries(import.meta.glob<{ default: Lesson }>('../lessons/[0-9][0-9]-*.ts'))
  .map(([path, load]) => [Number(/\/(\d\d)-[^/]+$/.exec(path)![1]), load] as const));

/** The lessons whose modules have been loaded. */
const loadedLessons = new Set<number>();

/** Lesson `n`'s module, loaded on first use. */
async function lessonOf(n: number): Promise<Lesson> {
  const load = lessonModules.get(n);
  if (load === undefined) throw new DownhillError(`unknown lesson ${n}`);
  const lesson = (await load()).default;
  if (lesson.number !== n) throw new Error(`lessons/${String(n).padStart(2, '0')}-*.ts is lesson ${lesson.number}`);
  loadedLessons.add(n);
  return lesson;
}

/** One step of a descent, as the page shows it. */
export interface PathStep {
  /** The parameter values at this step. */
  readonly p: readonly number[];
  readonly loss: number;
  readonly gradient: readonly number[];
}

/**
 * A lesson or playground run is a `draft` (it does not wait for a plot or
 * picture library that has not arrived: the reply lists those in `pending`),
 * or a full run that starts once the libraries in `waitFor` have arrived.
 */
export interface RunMode { readonly draft: boolean; readonly waitFor?: readonly LibraryGroup[] }

/**
 * Lessons whose drafts leave out every plot and picture not drawn yet, not only the large ones: their
 * numbers are painted first, and their pictures follow in the full page. Lesson 8's pictures (its loss
 * curve by vega, its network by Graphviz, its decision boundary) took more of a change's run than its
 * numbers (vega ~27 % and Graphviz ~7 % of the worker's profile), and the issue asks it to paint its first
 * result within 100 ms and send the rest after.
 */
const NUMBERS_FIRST: ReadonlySet<number> = new Set([8]);

/**
 * Lessons whose draft streams its run: at the lesson's checkpoints (lesson 8's steps/8, /4 and /2: the page of
 * --steps k, exactly: LessonDoc.checkpoint) the page gets that page's sections, drafted numbers first, as progress
 * (CheckpointReached), while the run goes on; then the draft of the whole run, as without streaming. The first
 * checkpoint is always sent (the change's first result: lesson 8's run of 250 steps, whose diagnosis continues it
 * 10,000 steps, took about half the worker's time of the whole run's draft, measured in Node); a later one only
 * once the run has trained at least as long as the last one took to write and draw (as training-worker.ts's), so
 * that showing progress never takes more than half the time.
 */
const STREAMED: ReadonlySet<number> = new Set([8]);

export type Request =
  | {
    readonly kind: 'lesson'; readonly lesson: number; readonly settings: TypedSettings; readonly mode: RunMode;
    /** The fingerprint of each section the page holds, by id: those sections come back without their HTML. */
    readonly known: Readonly<Record<string, string>>;
  }
  | { readonly kind: 'mountain'; readonly spec: MountainData; readonly start: readonly [number, number]; readonly grid: number }
  | { readonly kind: 'symbols'; readonly text: string }
  /** The page's first request: answered once the worker has warmed up (see `warmUp`). */
  | { readonly kind: 'warm' }
  /** For tests and measurements: the lessons and practice sets whose modules this worker has loaded (`{ lessons, practice }`). */
  | { readonly kind: 'loaded' }
  | {
    readonly kind: 'playground'; readonly text: string; readonly params: readonly string[];
    /** Each symbol's value, the learning rate and the steps as typed: read as the CLI reads --at and a lesson's --lr and --steps. */
    readonly values: Readonly<Record<string, string>>; readonly lr: string; readonly steps: string; readonly mode: RunMode;
  }
  | PracticeRequest
  | TrainingRequest | StopTrainingRequest | PrepareTrainingRequest;

/**
 * One section of a lesson's page (render/page.ts's PageSection), by id; no html when the page holds this fingerprint
 * already, or when it comes as `edits` of the section fingerprinted `base`, which the page holds: what makes this one from it.
 */
export interface SectionPart { readonly id: string; readonly hash: string; readonly html?: string; readonly edits?: SectionEdits & { readonly base: string } }

/** A lesson run: its page's sections in order (sectionsHtml of its Document). */
export interface LessonReply { readonly parts: readonly SectionPart[]; readonly ms: number; readonly pending: readonly LibraryGroup[] }

export interface MountainReply { readonly surface: number[]; readonly path: PathStep[]; readonly stop: string }
/**
 * The playground's report: \`downhill grad\`'s Document for the same text,
 * values and parameters, with the check, graph and descent (check/grad-report.ts's
 * playgroundDocument), as sections by id (the page swaps them).
 */
export interface PlaygroundReply {
  readonly parts: readonly PageSection[];
  readonly pending: readonly LibraryGroup[];
}

const path = (run: TrainResult): PathStep[] =>
  run.steps.map((s) => ({ p: [...s.p], loss: s.loss, gradient: [...s.gradient] }));

/** The surface's inputs (not the descent's learning rate, steps or start): a rerun with another learning rate has the same surface. */
const surfaceKey = (spec: MountainData, grid: number): string => JSON.stringify([spec.loss, spec.params, spec.data, spec.batch, spec.fixed, spec.x, spec.y, grid]);

/** Surfaces computed, by their inputs (the last few). */
const surfaces = new Map<string, number[]>();

function mountain(spec: MountainData, start: readonly [number, number], grid: number): MountainReply {
  const fixedNames = Object.keys(spec.fixed);
  const rows = spec.batch.map((r) => [...r, ...fixedNames.map((n) => spec.fixed[n]!)]);
  const run = train({
    loss: readGradText(spec.loss).expr, params: spec.params, data: [...spec.data, ...fixedNames], batch: rows,
    init: [...start], optimizer: gd(spec.lr), steps: spec.steps,
  });
  const key = surfaceKey(spec, grid);
  let surface = surfaces.get(key);
  if (surface === undefined) {
    const packed = packBatch(rows);
    surface = [];
    const p = new Float64Array(2);
    for (let j = 0; j < grid; j++) {
      for (let i = 0; i < grid; i++) {
        p[0] = spec.x[0] + ((spec.x[1] - spec.x[0]) * i) / (grid - 1);
        p[1] = spec.y[0] + ((spec.y[1] - spec.y[0]) * j) / (grid - 1);
        surface.push(run.compiled.loss(p, packed, rows.length));
      }
    }
    if (surfaces.size >= 8) surfaces.clear();
    surfaces.set(key, surface);
  }
  return { surface, path: path(run), stop: stopMessage(run.stop) };
}

async function playground(r: Extract<Request, { kind: 'playground' }>): Promise<PageSection[]> {
  const { lr, steps } = readSettings({ lr: r.lr, steps: r.steps }) as { lr: number; steps: number };
  const read = readGradText(r.text);
  if (r.params.length === 0) throw new DownhillError('choose at least one parameter');
  // gradReport's first check, before the values are read (4,999 symbols are refused at once, as by the CLI).
  checkDerivativeCount(r.params.length, 'pick the variables with --wrt');
  // As the CLI reads --at: each symbol's value as typed (pi/4 included).
  const at = new Map(read.symbols.map((s) => [s, parseNumber(Object.hasOwn(r.values, s) ? r.values[s]! : '', `--at ${s}`)] as const));
  const report = gradReport(read, { wrt: r.params, at });
  return sectionsHtml(await playgroundDocument(report, { lr, steps })).filter((p) => p.id !== 'contents');
}

/**
 * Runs `work` in `mode`, one run at a time (so `drafting` is this run's), and
 * says which libraries it drew placeholders for. A full run waits for its
 * libraries before it takes its turn, so drafts go on meanwhile.
 */
let queue: Promise<unknown> = Promise.resolve();
async function serially<T>(mode: RunMode, work: () => Promise<T>, picturesLater = false): Promise<{ result: T; pending: LibraryGroup[]; plots: typeof deferred | undefined }> {
  await Promise.all((mode.waitFor ?? []).map(library));
  const run = queue.then(async () => {
    drafting = mode.draft;
    numbersFirst = mode.draft && picturesLater;
    pendingGroups.clear();
    deferred.clear();
    rerunNeeded = false;
    try {
      const result = await work();
      // `plots`: the placeholders to swap for their plots, when that is all the full page needs.
      return { result, pending: [...pendingGroups], plots: rerunNeeded ? undefined : new Map(deferred) };
    } finally {
      drafting = false;
      numbersFirst = false;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** `progress`: sends a message about the request being answered (a training run's checkpoints) before its answer. */
async function answer(request: Request, progress: (p: TrainingProgress) => void): Promise<unknown> {
  switch (request.kind) {
    case 'lesson': {
      const lesson = await lessonOf(request.lesson);
      const settings = readSettings(request.settings);
      const key = JSON.stringify([lesson.number, settings]);
      let ms = NaN;
      if (!request.mode.draft && lastDraft?.key === key) {
        const start = performance.now();
        const parts = await lastDraft.full;
        if (parts !== undefined) return { parts: sectionsReply(parts, request.known, true), ms: performance.now() - start, pending: [] } satisfies LessonReply;
      }
      // What the page holds once it has received the progress sent (it keeps every section it receives).
      const known: Record<string, string> = { ...request.known };
      const { result: { doc, parts }, pending, plots } = await serially(request.mode, async () => {
        const start = performance.now();
        let sentAt = -Infinity, drawMs = 0;
        const doc = await lessonDocument(lesson, settings, null, request.mode.draft && STREAMED.has(lesson.number) ? async (c) => {
          const t0 = performance.now();
          if (t0 - sentAt < drawMs) return; // trained for less time than the last page took to write and draw: left out
          // A checkpoint's page is drafted as the run's is, but its placeholders are not the run's (the full page is the run's).
          const saved = { deferred: new Map(deferred), groups: new Set(pendingGroups), rerunNeeded };
          try {
            const sections = sectionsReply(sectionsHtml(await c.document()), known);
            for (const p of sections) known[p.id] = p.hash;
            progress({ done: c.done, total: c.total, unit: c.unit, shorterRun: c.shorterRun ?? true, parts: sections, ms: performance.now() - start });
            sentAt = performance.now();
            drawMs = sentAt - t0;
          } finally {
            deferred.clear();
            for (const [k, v] of saved.deferred) deferred.set(k, v);
            pendingGroups.clear();
            for (const g of saved.groups) pendingGroups.add(g);
            rerunNeeded = saved.rerunNeeded;
          }
        } : undefined);
        const sections = sectionsHtml(doc);
        ms = performance.now() - start;
        return { doc, parts: sections };
      }, NUMBERS_FIRST.has(lesson.number));
      lastDraft = undefined;
      if (request.mode.draft && pending.length > 0 && plots !== undefined) {
        // Drawn once this reply has gone (a task later); a failure shows in the rerun that replaces it.
        lastDraft = { key, full: new Promise((r) => setTimeout(r, 0)).then(() => complete(doc, plots)).catch(() => undefined) };
      }
      return { parts: sectionsReply(parts, known, true), ms, pending } satisfies LessonReply;
    }
    case 'mountain': return mountain(request.spec, request.start, request.grid);
    case 'symbols': return { symbols: readGradText(request.text).symbols };
    case 'warm': return warmUp();
    case 'loaded': return { lessons: [...loadedLessons].sort((a, b) => a - b), practice: loadedPracticeSets() };
    case 'playground': {
      const { result: parts, pending } = await serially(request.mode, () => playground(request));
      return { parts, pending } satisfies PlaygroundReply;
    }
    case 'practice': return loadPracticeSet(request.lesson).then(() => practiceAnswer(request));
    case 'training': {
      const lesson = await lessonOf(request.lesson);
      const run = newTrainingRun(); // stops the run before it now, not once this one's turn comes
      return (await serially({ draft: false }, () => trainLesson(lesson, request, run, progress, sectionsReply))).result;
    }
    case 'stop-training': return stopTraining();
    case 'prepare-training': return prepareTraining(request.lesson);
  }
}

/**
 * What every first run pays once, paid as soon as the worker has started, before the page asks anything (its
 * first request waits behind it, so no request waits longer): mathjs's parser made, an expression read and
 * differentiated; then, once answered, KaTeX's renderer run once. Measured in Node: a lesson's first run takes 150–550 ms of CPU,
 * this part of it ~100 ms.
 */
let warming: Promise<Record<string, never>> | undefined;
function warmUp(): Promise<Record<string, never>> {
  warming ??= new Promise<Record<string, never>>((resolve) => setTimeout(resolve, 0)).then(() => {
    const read = readGradText('(y - (w*x + b))^2');
    gradReport(read, { wrt: ['w', 'b'], at: new Map([['w', 0.5], ['b', 0.5], ['x', 1], ['y', 2]]) });
    // KaTeX is run once just after this answer (a task later): engine.js holds it as source text, compiled on first use (site/build.ts).
    setTimeout(() => textWithMath('$\\frac{\\partial L}{\\partial w} = -2x\\,(y - (w x + b))$'), 0);
    return {};
  });
  return warming;
}

/** Answers the page's messages (called once by the worker's entry, site/engine.ts), and warms up. */
export function serve(): void {
  void warmUp().catch(() => undefined);
  self.onmessage = (event: MessageEvent<{ id: number; request: Request } | { library: LibraryGroup; source: string }>): void => {
    if ('library' in event.data) return arrive(event.data.library, event.data.source);
    const { id, request } = event.data;
    answer(request, (progress) => self.postMessage({ id, progress })).then(
      (result) => self.postMessage({ id, ok: true, result }),
      (e: unknown) => {
        const error = e instanceof DownhillError ? e.message : `internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        self.postMessage({ id, ok: false, error });
      },
    );
  };
}
