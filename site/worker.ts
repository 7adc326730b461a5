/// <reference types="vite/client" />
/**
 * The engine in a worker. It answers three kinds of request from the page
 * (site/live.ts):
 * - `lesson`: runs a lesson's own script (the module the CLI runs) with the
 *   page's settings and answers with the page the lesson wrote;
 * - `mountain`: a loss surface on a grid, and gradient descent from a start;
 * - `playground`: a typed expression's exact partials, graph, gradient check
 *   and descent.
 * Started from a Blob URL, because a page opened from file:// may not start
 * a worker from a file.
 */
import type { Lesson, LessonFlag } from '../src/lesson/lesson.ts';
import { lessonFlags } from '../src/cli/lesson.ts';
import { lessonPage } from '../src/lesson/run.ts';
import { DownhillError } from '../src/errors.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { symbolsOf } from '../src/expr/node.ts';
import { derivative } from '../src/diff/derivative.ts';
import { texToHtml } from '../src/render/katex.ts';
import { symbolTex } from '../src/expr/print.ts';
import { computationalGraphSvg } from '../src/pictures/computational.ts';
import { checkGradient } from '../src/check/gradient-check.ts';
import { train, stopMessage, type TrainResult } from '../src/train/train.ts';
import { gd } from '../src/train/optimizers.ts';
import { packBatch } from '../src/nn/datasets.ts';
import type { MountainData } from '../src/render/mountain.ts';
import katex from 'katex';

// KaTeX renders the same TeX to the same HTML: keep what it made, so a rerun redoes only the formulas whose numbers changed.
const renderToString = katex.renderToString.bind(katex);
const rendered = new Map<string, string>();
katex.renderToString = (tex, options) => {
  const key = `${JSON.stringify(options)}\n${tex}`;
  let html = rendered.get(key);
  if (html === undefined) {
    if (rendered.size > 20_000) rendered.clear();
    html = renderToString(tex, options);
    rendered.set(key, html);
  }
  return html;
};

// Every lesson but 10, whose data (the mnist package) is read through Node's require: its page stays static (see STATIC_LESSONS in build.ts).
const modules = import.meta.glob<{ default: Lesson }>(['../lessons/[0-9][0-9]-*.ts', '!../lessons/10-digits.ts'], { eager: true });
const lessons = new Map(Object.values(modules).map((m) => [m.default.number, m.default]));

/** One step of a descent, as the page shows it. */
export interface PathStep {
  readonly params: readonly number[];
  readonly loss: number;
  readonly gradient: readonly number[];
}

export type Request =
  | { readonly kind: 'lesson'; readonly lesson: number; readonly settings: { readonly [K in LessonFlag]?: string } }
  | { readonly kind: 'mountain'; readonly spec: MountainData; readonly start: readonly [number, number]; readonly grid: number }
  | { readonly kind: 'symbols'; readonly text: string }
  | {
    readonly kind: 'playground'; readonly text: string; readonly params: readonly string[];
    readonly values: Readonly<Record<string, number>>; readonly lr: number; readonly steps: number;
  };

export interface MountainReply { readonly surface: number[]; readonly path: PathStep[]; readonly stop: string }
export interface PlaygroundReply {
  readonly value: number;
  readonly partials: readonly { readonly wrt: string; readonly text: string; readonly html: string }[];
  readonly graph: string;
  readonly check: readonly { readonly wrt: string; readonly exact: number; readonly central: number; readonly absError: number; readonly pass: boolean }[];
  readonly path: PathStep[];
  readonly stop: string;
}

const path = (run: TrainResult): PathStep[] =>
  run.steps.map((s) => ({ params: [...s.p], loss: s.loss, gradient: [...s.gradient] }));

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

async function playground(r: Extract<Request, { kind: 'playground' }>): Promise<PlaygroundReply> {
  const expr = parseExpression(r.text);
  const symbols = symbolsOf([expr]);
  if (r.params.length === 0) throw new DownhillError('choose at least one parameter');
  const missing = symbols.filter((s) => r.values[s] === undefined || !Number.isFinite(r.values[s]));
  if (missing.length > 0) throw new DownhillError(`no value for ${missing.join(', ')} (every symbol needs one)`);
  const data = symbols.filter((s) => !r.params.includes(s));
  const partials = r.params.map((w) => {
    const d = derivative(expr, w);
    return { wrt: w, text: d.text, html: texToHtml(`\\frac{\\partial f}{\\partial ${symbolTex(w)}} = ${d.tex}`, { display: true }) };
  });
  const check = checkGradient(expr, r.values, { wrt: r.params });
  const graph = await computationalGraphSvg(expr, { at: r.values, wrt: r.params, lossName: 'f' });
  const run = train({
    loss: expr, params: r.params, data, batch: [data.map((s) => r.values[s]!)], init: r.params.map((w) => r.values[w]!), optimizer: gd(r.lr), steps: r.steps,
  });
  return {
    value: check.value, partials, graph, path: path(run), stop: stopMessage(run.stop),
    check: check.variables.map((v) => ({ wrt: v.variable, exact: v.exact, central: v.central, absError: v.absError, pass: v.pass })),
  };
}

async function answer(request: Request): Promise<unknown> {
  switch (request.kind) {
    case 'lesson': {
      const lesson = lessons.get(request.lesson);
      if (lesson === undefined) throw new DownhillError(`unknown lesson ${request.lesson}`);
      const start = performance.now();
      const html = await lessonPage(lesson, lessonFlags(request.settings), null, true);
      return { html, ms: performance.now() - start };
    }
    case 'mountain': return mountain(request.spec, request.start, request.grid);
    case 'symbols': return { symbols: symbolsOf([parseExpression(request.text)]) };
    case 'playground': return playground(request);
  }
}

self.onmessage = (event: MessageEvent<{ id: number; request: Request }>): void => {
  const { id, request } = event.data;
  answer(request).then(
    (result) => self.postMessage({ id, ok: true, result }),
    (e: unknown) => {
      const error = e instanceof DownhillError ? e.message : `internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
      self.postMessage({ id, ok: false, error });
    },
  );
};
