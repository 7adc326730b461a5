/**
 * The builder a lesson writes its document with (the document itself is
 * plain data: render/document.ts). Each block is checked where the lesson
 * adds it (bad TeX fails there), printed to the terminal at once (so a long
 * lesson shows progress), and kept; `doc.document()` resolves to the whole
 * document once every plot has been drawn, for the HTML and Markdown
 * renderers and for `--json`.
 *
 *   doc.section('The loss')
 *   doc.text('The loss measures how far $\\hat{y}$ is from $y$.')
 *   doc.expression(L, { label: 'L' })
 *   doc.table(['step', '$w$', '$L$'], rows)
 *   doc.plot(linePlot({ ... }), 'the loss by step')
 *   doc.stepThrough(L, { at, wrt: ['w1', 'w2'] })
 *
 * A lesson that trains for long can mark checkpoints: after each epoch,
 * `await doc.checkpoint({ done: e, total: epochs, unit: 'epoch' }, finish)`,
 * where `finish` writes the rest of the lesson as if the run ended there
 * (the same document the lesson writes with --epochs e, unless the
 * checkpoint says otherwise: `shorterRun: false`). Only a document created
 * with `onCheckpoint` (the live page) calls `finish`, on a copy of the
 * document so far; the command line skips it. An epoch of seconds can also
 * mark ticks inside it, `await doc.tick({ done: e - 1 + b / batches, total:
 * epochs, unit: 'epoch' })`, where the live page may stop the run and move
 * its progress bar (no page is drawn there).
 */
import { BOOLEAN, checkArg, checkOptions, checkWhole, describeValue, DownhillError, FUNCTION, optional, TEXT } from '../errors.ts';
import type { Node } from '../expr/node.ts';
import { toTex } from '../expr/print.ts';
import { checkTex } from '../render/katex.ts';
import { blockText, headingText, proseText, wrap } from '../render/terminal.ts';
import { colourVerdicts, type Terminal } from '../render/width.ts';
import { lazy } from '../render/lazy.ts';
import { mountainFields, readsBack, type MountainSpec } from '../render/mountain.ts';
import { stepThroughData, type StepThroughOptions } from '../pictures/steps.ts';
import type { Cell } from '../render/table.ts';
import { normalizeProse, normalizeTex, splitMath, type Block, type Document, type Section } from '../render/document.ts';

export interface LessonDoc {
  /** Starts a new section with a heading (text with $tex$). */
  section(heading: string): void;
  /** A paragraph of prose; $...$ is inline TeX. */
  text(prose: string): void;
  /** A displayed formula, written once in TeX; the terminal form is derived from it. */
  formula(tex: string, options?: { caption?: string }): void;
  /** An expression graph as a displayed formula, `label = expression` (label in TeX). */
  expression(node: Node, options?: { label?: string; digits?: number; caption?: string }): void;
  /** A table of numbers; headers and text cells are prose with $tex$. Long tables are thinned by the renderers, not here. */
  table(headers: readonly string[], rows: readonly (readonly Cell[])[], options?: { caption?: string; digits?: number }): void;
  /** A plot (SVG, or a promise of one) with a caption; the terminal gets the caption only. */
  plot(svg: string | Promise<string>, caption: string): void;
  /** Preformatted text, shown as is. */
  code(text: string): void;
  /** An aside: a hint, a warning, a remark. */
  note(text: string): void;
  /** An exercise: a question and how to check the answer with the toolkit (e.g. a command line). */
  exercise(question: string, check: string): void;
  /** A picture for the page only (HTML), with the line the terminal shows instead. */
  html(html: string | Promise<string>, terminal?: string): void;
  /** A live mountain: the loss over two parameters, turned in 3-D on the live page, descended from a start the learner picks. */
  mountain(spec: MountainSpec): void;
  /** Backpropagation step by step on the computational graph of `loss` at `options.at` (forward values, then backward adjoints). */
  stepThrough(loss: Node, options: StepThroughOptions): void;
  /**
   * A checkpoint of a long run (`done` of `total` units): when the document was created with
   * `onCheckpoint`, `finish` writes the rest of the lesson on a copy of the document so far, as if the
   * run ended here, when `onCheckpoint` asks for that copy; otherwise nothing happens. `finish` must not change
   * what the run computes next (no shared random numbers drawn).
   */
  checkpoint(progress: CheckpointProgress, finish: (doc: LessonDoc) => void | Promise<void>): Promise<void>;
  /**
   * A point inside a unit of a long run (`done`, a fraction, of `total` units: every few batches of an epoch):
   * when the document was created with `onTick`, it receives the progress (the live page may stop the run
   * there); otherwise nothing happens.
   */
  tick(progress: TickProgress): Promise<void>;
  /** The document, once every plot and picture has been drawn. */
  document(): Promise<Document>;
}

/** How far a long run has come: `done` of `total` units (epochs). */
export interface CheckpointProgress {
  readonly done: number;
  readonly total: number;
  /** The unit, singular: 'epoch'. */
  readonly unit: string;
  /**
   * Whether the document at this checkpoint is the one the lesson writes for a run of `done` units (its flag,
   * --epochs, set to `done`): true unless said otherwise. Lesson 11's is not: its step size falls over the whole
   * run, so its run after epoch e of 3 is not the run of --epochs e (its page says so).
   */
  readonly shorterRun?: boolean;
}

/** How far a long run has come inside a unit: `done` (a fraction: 1.5 is half of the second epoch) of `total` units. */
export interface TickProgress {
  readonly done: number;
  readonly total: number;
  /** The unit, singular: 'epoch'. */
  readonly unit: string;
}

/** A checkpoint as `onCheckpoint` receives it: its progress, and the document as if the run ended there. */
export interface Checkpoint extends CheckpointProgress {
  /**
   * The document of the run so far with the rest of the lesson written for it (plots drawn when asked for): `finish`
   * runs when it is first asked for, so ask before onCheckpoint's promise resolves (the run goes on after it), or not
   * at all (a checkpoint skipped costs nothing more).
   */
  readonly document: () => Promise<Document>;
}

export interface DocOptions {
  /** Where terminal output goes as blocks are added (default: process.stdout); null for none. */
  readonly out?: { write(text: string): unknown } | null;
  /** Significant digits in tables (default 6). */
  readonly digits?: number;
  /** The document's title and subtitle. */
  readonly title?: string;
  readonly subtitle?: string;
  /** Called at each checkpoint of a long run (see LessonDoc.checkpoint); the run waits for it. */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Called at each tick of a long run (see LessonDoc.tick); the run waits for it. */
  readonly onTick?: (progress: TickProgress) => void | Promise<void>;
}

/** A block, or one still to be made (a plot or picture drawn, a mountain's loss read back: when the document is asked for, so a terminal-only run does neither). */
type Pending = Block | (() => Promise<Block>);

/** Checks the inline TeX of prose now, where the lesson wrote it. */
function checkProse(text: string): string {
  const prose = normalizeProse(text);
  for (const part of splitMath(prose)) if (part.math) checkTex(part.text);
  return prose;
}

/** A new, empty lesson document. */
export function createDoc(options: DocOptions = {}): LessonDoc {
  return docFrom(options, [{ blocks: [] }]);
}

/** A document whose sections so far are `sections` (a copy of them is made by `checkpoint`). */
function docFrom(options: DocOptions, sections: { heading?: string; blocks: Pending[] }[]): LessonDoc {
  checkOptions('createDoc', options, ['out', 'digits', 'title', 'subtitle', 'onCheckpoint', 'onTick']);
  checkArg('createDoc', 'onCheckpoint', options.onCheckpoint, optional(FUNCTION));
  checkArg('createDoc', 'onTick', options.onTick, optional(FUNCTION));
  if (options.out !== undefined && options.out !== null && typeof (options.out as { write?: unknown }).write !== 'function') {
    throw new DownhillError(`createDoc: out must be a stream with write (process.stdout) or null, got ${describeValue(options.out)}`);
  }
  checkArg('createDoc', 'title', options.title, optional(TEXT));
  checkArg('createDoc', 'subtitle', options.subtitle, optional(TEXT));
  if (options.digits !== undefined) checkWhole('createDoc', 'digits', options.digits, 1, 17);
  const out = options.out === undefined ? process.stdout : options.out;
  // A block's terminal text is made only when there is a terminal (the live page's runs have none: wrapping
  // every table and paragraph for nobody cost the worker about a tenth of lesson 4's rerun).
  const say = (text: string | (() => string)): void => {
    if (out === null) return;
    const line = typeof text === 'string' ? text : text();
    // Verdicts (WRONG, diverged, pass) in colour on a terminal that takes it (render/width.ts), never in a pipe.
    if (line !== '') out.write(`${colourVerdicts(line, out as Terminal)}\n`);
  };
  const add = (block: Block): void => {
    sections[sections.length - 1]!.blocks.push(block);
    say(() => blockText(block));
  };
  const digits = options.digits ?? 6;
  // The title and the line under it open the terminal text, as they open the page (a checkpoint's copy has no terminal).
  if (options.title !== undefined && options.title !== '') say(options.title);
  if (options.subtitle !== undefined) {
    const subtitle = checkProse(options.subtitle);
    say(() => wrap(proseText(subtitle)));
  }
  const onCheckpoint = options.onCheckpoint;
  const onTick = options.onTick;

  const doc: LessonDoc = {
    section(heading) {
      const h = checkProse(heading);
      say(() => headingText(h));
      sections.push({ heading: h, blocks: [] });
    },
    text(prose) {
      add({ kind: 'paragraph', text: checkProse(prose) });
    },
    formula(tex, opts = {}) {
      const t = normalizeTex(tex);
      checkTex(t, { display: true }); // bad TeX fails here, where the lesson wrote it
      add({ kind: 'formula', tex: t, ...(opts.caption === undefined ? {} : { caption: checkProse(opts.caption) }) });
    },
    expression(node, opts = {}) {
      const tex = toTex(node, opts.digits === undefined ? {} : { digits: opts.digits });
      doc.formula(opts.label === undefined ? tex : `${opts.label} = ${tex}`, opts.caption === undefined ? {} : { caption: opts.caption });
    },
    table(headers, rows, opts = {}) {
      add({
        kind: 'table',
        headers: headers.map(checkProse),
        rows: rows.map((r) => r.map((c) => (typeof c === 'number' ? c : checkProse(c)))),
        ...(opts.caption === undefined ? {} : { caption: checkProse(opts.caption) }),
        ...((opts.digits ?? digits) === 6 ? {} : { digits: opts.digits ?? digits }),
      });
    },
    plot(svg, caption) {
      const c = checkProse(caption);
      sections[sections.length - 1]!.blocks.push(async (): Promise<Block> => ({ kind: 'plot', svg: await svg, caption: c }));
      say(() => blockText({ kind: 'plot', svg: '', caption: c }));
    },
    code(text) {
      add({ kind: 'code', text });
    },
    note(text) {
      add({ kind: 'note', text: checkProse(text) });
    },
    exercise(question, check) {
      add({ kind: 'exercise', question: checkProse(question), check: checkProse(check) });
    },
    html(html, terminal) {
      sections[sections.length - 1]!.blocks.push(async (): Promise<Block> => ({ kind: 'picture', html: await html, ...(terminal === undefined ? {} : { terminal }) }));
      if (terminal !== undefined) say(terminal);
    },
    mountain(spec) {
      const data = mountainFields(spec);
      const caption = checkProse(spec.caption);
      // The loss is read back (mathjs's parser, made on its first use) only for a page; the terminal's line needs no parse.
      const checked = lazy(async () => readsBack(data));
      sections[sections.length - 1]!.blocks.push(async (): Promise<Block> => ({ kind: 'mountain', data: await checked, caption }));
      say(() => blockText({ kind: 'mountain', data, caption }));
    },
    stepThrough(loss, opts) {
      sections[sections.length - 1]!.blocks.push(async (): Promise<Block> => ({ kind: 'stepThrough', ...await stepThroughData(loss, opts) }));
      say(() => blockText({ kind: 'stepThrough', svg: '', id: '', lossName: opts.lossName ?? 'L' }));
    },
    async checkpoint(progress, finish) {
      checkArg('checkpoint', 'finish', finish, FUNCTION);
      if (onCheckpoint === undefined) return;
      checkWhole('checkpoint', 'progress.total', progress.total, 1);
      checkWhole('checkpoint', 'progress.done', progress.done, 0, progress.total);
      checkArg('checkpoint', 'progress.unit', progress.unit, TEXT);
      checkArg('checkpoint', 'progress.shorterRun', progress.shorterRun, optional(BOOLEAN));
      // A copy of the document so far (blocks are immutable data, or thunks that draw one), with no terminal and no checkpoints of its own.
      const { onCheckpoint: _, onTick: __, ...copyOptions } = options;
      const copy = docFrom({ ...copyOptions, out: null }, sections.map((s) => ({ ...s, blocks: [...s.blocks] })));
      // Written when its document is first asked for (a live page may skip a checkpoint: then finish never runs).
      let written: Promise<void> | undefined;
      const document = async (): Promise<Document> => {
        await (written ??= Promise.resolve(finish(copy)));
        return copy.document();
      };
      await onCheckpoint({ done: progress.done, total: progress.total, unit: progress.unit, shorterRun: progress.shorterRun ?? true, document });
    },
    async tick(progress) {
      if (onTick === undefined) return;
      checkWhole('tick', 'progress.total', progress.total, 1);
      if (typeof progress.done !== 'number' || !(progress.done >= 0 && progress.done <= progress.total)) {
        throw new DownhillError(`tick: progress.done must be a number from 0 to ${progress.total}, got ${describeValue(progress.done)}`);
      }
      checkArg('tick', 'progress.unit', progress.unit, TEXT);
      await onTick({ done: progress.done, total: progress.total, unit: progress.unit });
    },
    async document() {
      const built: Section[] = [];
      for (const s of sections) {
        const blocks = await Promise.all(s.blocks.map((b) => (typeof b === 'function' ? b() : b)));
        if (s.heading === undefined && blocks.length === 0) continue;
        built.push(s.heading === undefined ? { blocks } : { heading: s.heading, blocks });
      }
      return {
        title: options.title ?? '',
        ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }),
        sections: built,
      };
    },
  };
  return doc;
}
