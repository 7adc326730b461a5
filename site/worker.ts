/// <reference types="vite/client" />
/**
 * The engine in a worker. It answers four kinds of request from the page
 * (site/live.ts):
 * - `lesson`: runs a lesson's own script (the module the CLI runs) with the
 *   page's settings and answers with the page the lesson wrote;
 * - `mountain`: a loss surface on a grid, and gradient descent from a start;
 * - `playground`: a typed expression's exact partials, graph, gradient check
 *   and descent;
 * - `practice`: a practice page's answers read back, graded, revealed (site/practice-worker.ts).
 * Started from a Blob URL, because a page opened from file:// may not start
 * a worker from a file (nor may the worker load one: vega and Graphviz come
 * as source text from the page when a plot or picture first needs them, and
 * a run can answer before they have: see `drafting`).
 */
import {
  checkGradient, computationalGraphSvg, derivative, DownhillError, gd, packBatch, parseExpression, parseProgram, stopMessage, symbolsOf, symbolTex,
  texToHtml, toText, train, type Lesson, type Node, type TrainResult,
} from '../src/index.ts';
import {
  checkDerivativeCount, fnv1a, isProgram, lessonDocument, parseNumber, readSettings, sectionsHtml, useRenderers,
  type MountainData, type PageSection, type TypedSettings,
} from '../src/live.ts';
import { libraryGlobal, libraryOf, type LibraryGroup } from './libraries.ts';
import { practiceAnswer, type PracticeRequest } from './practice-worker.ts';

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
  const entry = libraries.get(group);
  if (entry === undefined || entry.arrived) return;
  entry.arrived = true;
  entry.resolve((self as unknown as Record<string, Record<string, unknown>>)[libraryGlobal(group)]!);
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

/** SVGs by their input: the same spec or DOT is drawn once (bounded, emptied when full). */
function cached<A extends unknown[]>(group: LibraryGroup, kind: 'plot' | 'picture', draw: (...args: A) => Promise<string>, keyOf: (...args: A) => string, size: (...args: A) => [number, number]): (...args: A) => Promise<string> {
  const drawn = new Map<string, Promise<string>>();
  let chars = 0;
  const drawOnce = (key: string, args: A): Promise<string> => {
    const hit = drawn.get(key);
    if (hit !== undefined) return hit;
    if (chars > 20_000_000) {
      drawn.clear();
      chars = 0;
    }
    const svg = draw(...args);
    drawn.set(key, svg);
    svg.then((s) => (chars += key.length + s.length), () => drawn.delete(key));
    return svg;
  };
  return (...args) => {
    const key = keyOf(...args);
    if (!drafting || drawn.has(key)) return drawOnce(key, args);
    const arrived = libraries.get(group)?.arrived === true;
    if (arrived && (kind === 'picture' || key.length <= LARGE_SPEC)) return drawOnce(key, args);
    pendingGroups.add(group);
    if (!arrived) void library(group);
    const shown = placeholder(kind, key, ...size(...args));
    // A picture's placeholder may be rewritten (a step-through styles its SVG), and two plots' placeholders could
    // coincide (a 32-bit hash): then the full page is a rerun, not the draft with its plots swapped in.
    if (kind === 'plot' && (deferred.get(shown)?.key ?? key) === key) deferred.set(shown, { key, draw: () => drawOnce(key, args) });
    else rerunNeeded = true;
    return Promise.resolve(shown);
  };
}

// The renderer hook (src/live.ts): plots and pictures drawn once per input, and as placeholders while a draft runs.
useRenderers({
  plot: (draw) => cached('plots', 'plot', draw, (spec) => JSON.stringify(spec), (spec) => {
    const side = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
    return [side((spec as { width?: unknown }).width, 400) + 80, side((spec as { height?: unknown }).height, 250) + 60];
  }),
  dot: (draw) => cached('graphviz', 'picture', draw, (dot, data, title) => JSON.stringify([dot, [...data], title ?? null]), () => [400, 200]),
});

/**
 * The last lesson draft with placeholders, and its full page: the same page
 * with each plot's placeholder replaced by the plot (a plot's SVG goes into
 * the page as it is: figure() only trims it), so the lesson need not run
 * again. Its plots are drawn as soon as the draft has been sent, while the
 * page shows it; undefined where the full page needs a rerun.
 */
let lastDraft: { readonly key: string; readonly full: Promise<PageSection[] | undefined> } | undefined;

/** The draft's sections with each plot's placeholder replaced by the plot (undefined when one is not found: then a rerun). */
async function complete(parts: readonly PageSection[], deferred: ReadonlyMap<string, { readonly draw: () => Promise<string> }>): Promise<PageSection[] | undefined> {
  let out = [...parts];
  for (const [shown, { draw }] of deferred) {
    const svg = await draw();
    if (svg !== svg.trim() || !out.some((p) => p.html.includes(shown))) return undefined;
    out = out.map((p) => (p.html.includes(shown) ? { id: p.id, html: p.html.split(shown).join(svg) } : p));
  }
  return out;
}

/** A section's fingerprint: the page sends those it holds, and gets only the sections whose HTML differs. */
const fingerprint = (html: string): string => `${fnv1a(html).toString(36)}.${html.length.toString(36)}`;

/** The reply's sections, each with its fingerprint and, unless the page holds it already, its HTML. */
function sectionsReply(parts: readonly PageSection[], known: Readonly<Record<string, string>>): SectionPart[] {
  return parts.map((p) => {
    const hash = fingerprint(p.html);
    return Object.hasOwn(known, p.id) && known[p.id] === hash ? { id: p.id, hash } : { id: p.id, hash, html: p.html };
  });
}

// Every lesson but 10 and 11, whose digits are read through Node, and 12, which trains for tens of
// seconds: their pages stay static (see STATIC_LESSONS in build.ts).
const modules = import.meta.glob<{ default: Lesson }>(['../lessons/[0-9][0-9]-*.ts', '!../lessons/10-digits.ts', '!../lessons/11-convolution.ts', '!../lessons/12-attention.ts'], { eager: true });
const lessons = new Map(Object.values(modules).map((m) => [m.default.number, m.default]));

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

export type Request =
  | {
    readonly kind: 'lesson'; readonly lesson: number; readonly settings: TypedSettings; readonly mode: RunMode;
    /** The fingerprint of each section the page holds, by id: those sections come back without their HTML. */
    readonly known: Readonly<Record<string, string>>;
  }
  | { readonly kind: 'mountain'; readonly spec: MountainData; readonly start: readonly [number, number]; readonly grid: number }
  | { readonly kind: 'symbols'; readonly text: string }
  | {
    readonly kind: 'playground'; readonly text: string; readonly params: readonly string[];
    /** Each symbol's value, the learning rate and the steps as typed: read as the CLI reads --at and a lesson's --lr and --steps. */
    readonly values: Readonly<Record<string, string>>; readonly lr: string; readonly steps: string; readonly mode: RunMode;
  }
  | PracticeRequest;

/** One section of a lesson's page (render/page.ts's PageSection), by id; no html when the page holds this fingerprint already. */
export interface SectionPart { readonly id: string; readonly hash: string; readonly html?: string }

/** A lesson run: its page's sections in order (sectionsHtml of its Document). */
export interface LessonReply { readonly parts: readonly SectionPart[]; readonly ms: number; readonly pending: readonly LibraryGroup[] }

export interface MountainReply { readonly surface: number[]; readonly path: PathStep[]; readonly stop: string }
export interface PlaygroundReply {
  /** The function's name: f, or the last step's name when the text is named steps ("x = w^2"). */
  readonly name: string;
  /** The function as one expression over its symbols (named steps with every name replaced), for the mountain ('' when there is none: not two parameters). */
  readonly loss: string;
  readonly value: number;
  readonly partials: readonly { readonly wrt: string; readonly text: string; readonly html: string }[];
  readonly graph: string;
  readonly check: readonly { readonly wrt: string; readonly exact: number; readonly central: number; readonly absError: number; readonly pass: boolean }[];
  readonly path: PathStep[];
  readonly stop: string;
  readonly pending: readonly LibraryGroup[];
  /** Each symbol's value, the learning rate and the steps read from the request's text. */
  readonly at: Readonly<Record<string, number>>;
  readonly lr: number;
  readonly steps: number;
}

const path = (run: TrainResult): PathStep[] =>
  run.steps.map((s) => ({ p: [...s.p], loss: s.loss, gradient: [...s.gradient] }));

function mountain(spec: MountainData, start: readonly [number, number], grid: number): MountainReply {
  const fixedNames = Object.keys(spec.fixed);
  const rows = spec.batch.map((r) => [...r, ...fixedNames.map((n) => spec.fixed[n]!)]);
  const run = train({
    loss: parseExpression(spec.loss), params: spec.params, data: [...spec.data, ...fixedNames], batch: rows,
    init: [...start], optimizer: gd(spec.lr), steps: spec.steps,
  });
  const packed = packBatch(rows);
  const surface: number[] = [];
  const p = new Float64Array(2);
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      p[0] = spec.x[0] + ((spec.x[1] - spec.x[0]) * i) / (grid - 1);
      p[1] = spec.y[0] + ((spec.y[1] - spec.y[0]) * j) / (grid - 1);
      surface.push(run.compiled.loss(p, packed, rows.length));
    }
  }
  return { surface, path: path(run), stop: stopMessage(run.stop) };
}

/**
 * The playground's text read as \`downhill grad\` reads it: one expression (named f),
 * or named steps ("z = w*x; L = (y - z)^2", or one definition such as "x = w^2"),
 * whose function is the last step with every earlier name replaced.
 */
function loss(text: string): { expr: Node; symbols: readonly string[]; name: string } {
  if (!isProgram(text)) {
    const expr = parseExpression(text);
    return { expr, symbols: symbolsOf([expr]), name: 'f' };
  }
  const program = parseProgram(text);
  return { expr: program.expanded, symbols: program.inputs, name: program.output.name };
}

async function playground(r: Extract<Request, { kind: 'playground' }>): Promise<PlaygroundReply> {
  const { lr, steps } = readSettings({ lr: r.lr, steps: r.steps }) as { lr: number; steps: number };
  const { expr, symbols, name } = loss(r.text);
  if (r.params.length === 0) throw new DownhillError('choose at least one parameter');
  // The command line's limit, with its line: downhill grad refuses as many partials at once.
  checkDerivativeCount(r.params.length, 'pick the variables with --wrt');
  // No prototype: a symbol may be named __proto__ (or toString).
  const at: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const s of symbols) at[s] = parseNumber(Object.hasOwn(r.values, s) ? r.values[s]! : '', `--at ${s}`);
  const data = symbols.filter((s) => !r.params.includes(s));
  const partials = r.params.map((w) => {
    const d = derivative(expr, w);
    return { wrt: w, text: d.text, html: texToHtml(`\\frac{\\partial ${symbolTex(name)}}{\\partial ${symbolTex(w)}} = ${d.tex}`, { display: true }) };
  });
  const check = checkGradient(expr, at, { wrt: r.params });
  const graph = await computationalGraphSvg(expr, { at, wrt: r.params, lossName: name });
  const run = train({
    loss: expr, params: r.params, data, batch: [data.map((s) => at[s]!)], init: r.params.map((w) => at[w]!), optimizer: gd(lr), steps,
  });
  return {
    name, loss: !isProgram(r.text) ? r.text : r.params.length === 2 ? toText(expr) : '', value: check.value, partials, graph, path: path(run), stop: stopMessage(run.stop), pending: [], at, lr, steps,
    check: check.variables.map((v) => ({ wrt: v.variable, exact: v.exact, central: v.central, absError: v.absError, pass: v.pass })),
  };
}

/**
 * Runs `work` in `mode`, one run at a time (so `drafting` is this run's), and
 * says which libraries it drew placeholders for. A full run waits for its
 * libraries before it takes its turn, so drafts go on meanwhile.
 */
let queue: Promise<unknown> = Promise.resolve();
async function serially<T>(mode: RunMode, work: () => Promise<T>): Promise<{ result: T; pending: LibraryGroup[]; plots: typeof deferred | undefined }> {
  await Promise.all((mode.waitFor ?? []).map(library));
  const run = queue.then(async () => {
    drafting = mode.draft;
    pendingGroups.clear();
    deferred.clear();
    rerunNeeded = false;
    try {
      const result = await work();
      // `plots`: the placeholders to swap for their plots, when that is all the full page needs.
      return { result, pending: [...pendingGroups], plots: rerunNeeded ? undefined : new Map(deferred) };
    } finally {
      drafting = false;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

async function answer(request: Request): Promise<unknown> {
  switch (request.kind) {
    case 'lesson': {
      const lesson = lessons.get(request.lesson);
      if (lesson === undefined) throw new DownhillError(`unknown lesson ${request.lesson}`);
      const settings = readSettings(request.settings);
      const key = JSON.stringify([lesson.number, settings]);
      let ms = NaN;
      if (!request.mode.draft && lastDraft?.key === key) {
        const start = performance.now();
        const parts = await lastDraft.full;
        if (parts !== undefined) return { parts: sectionsReply(parts, request.known), ms: performance.now() - start, pending: [] } satisfies LessonReply;
      }
      const { result: parts, pending, plots } = await serially(request.mode, async () => {
        const start = performance.now();
        const doc = await lessonDocument(lesson, settings);
        const sections = sectionsHtml(doc);
        ms = performance.now() - start;
        return sections;
      });
      lastDraft = undefined;
      if (request.mode.draft && pending.length > 0 && plots !== undefined) {
        // Drawn once this reply has gone (a task later); a failure shows in the rerun that replaces it.
        lastDraft = { key, full: new Promise((r) => setTimeout(r, 0)).then(() => complete(parts, plots)).catch(() => undefined) };
      }
      return { parts: sectionsReply(parts, request.known), ms, pending } satisfies LessonReply;
    }
    case 'mountain': return mountain(request.spec, request.start, request.grid);
    case 'symbols': return { symbols: loss(request.text).symbols };
    case 'playground': {
      const { result, pending } = await serially(request.mode, () => playground(request));
      return { ...result, pending };
    }
    case 'practice': return practiceAnswer(request);
  }
}

/** Answers the page's messages (called once by the worker's entry, site/engine.ts). */
export function serve(): void {
  self.onmessage = (event: MessageEvent<{ id: number; request: Request } | { library: LibraryGroup; source: string }>): void => {
    if ('library' in event.data) return arrive(event.data.library, event.data.source);
    const { id, request } = event.data;
    answer(request).then(
      (result) => self.postMessage({ id, ok: true, result }),
      (e: unknown) => {
        const error = e instanceof DownhillError ? e.message : `internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        self.postMessage({ id, ok: false, error });
      },
    );
  };
}
