/**
 * Lessons that train for long, in the engine's worker (site/worker.ts hands
 * it the `training` requests). The lesson runs here as the command line runs
 * it; at each of its checkpoints (LessonDoc.checkpoint: the page as if the
 * run ended there: lessons 10, 11 and 12 after each epoch) the page gets that page's
 * sections by id as progress, only those whose HTML it does not hold yet,
 * while the run goes on. A checkpoint is drawn only once the run has trained
 * at least as long as the last one took to draw, so that showing progress
 * never takes more than half the time.
 *
 * A run stops at its next checkpoint, or tick (LessonDoc.tick: lesson 11's,
 * every few batches of an epoch of seconds), when asked to (`stop-training`,
 * or a newer run): the worker reads its messages there, at most every
 * TICK_MS at ticks, and stays warm for the next run. A tick where it read
 * them is sent as progress too, without a page (the page moves its bar).
 *
 * The digits (lessons 10 and 11) come from the page: its digits.js, the
 * digits group of site/libraries.ts, asked for when a lesson first reads them.
 *
 *   { kind: 'training', lesson: 10, settings: { epochs: '3', hidden: '10' }, known: {} }
 *   → progress { done: 1, total: 3, unit: 'epoch', parts }, …, then { parts, ms, shown }
 *   (lesson 11: progress { tick: true, done: 0.26, total: 3, unit: 'epoch', ms } between them)
 */
import { DownhillError, linePlot, loadDigits, type Lesson } from '../src/index.ts';
import { lessonDocument, readSettings, sectionsHtml, useDigitsBytes, type PageSection, type TickProgress, type TypedSettings } from '../src/live.ts';
import type { SectionPart } from './worker.ts';

// The digits file's bytes, from the base64 of digits.js (a worker from file:// may fetch no file).
useDigitsBytes(async () => {
  const { base64 } = await import('./libraries/digits-file.ts');
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
});

export interface TrainingRequest {
  readonly kind: 'training';
  readonly lesson: number;
  /** The settings as typed, read as the CLI reads its flags. */
  readonly settings: TypedSettings;
  /** The fingerprint of each section the page holds, by id: those come back without their HTML. */
  readonly known: Readonly<Record<string, string>>;
}

/**
 * Stops the training run going on (and any waiting): it ends at its next checkpoint, where the worker reads
 * its messages, with TRAINING_STOPPED. A newer training request stops the one before it the same way.
 */
export interface StopTrainingRequest { readonly kind: 'stop-training' }

/** Loads what a training lesson reads (the digits), before it is asked to train: the page asks once the engine has started. */
export interface PrepareTrainingRequest { readonly kind: 'prepare-training'; readonly lesson: number }

/** The error a stopped run ends with. */
export const TRAINING_STOPPED = 'training stopped';

/** The lessons that read the digits file. */
const READS_DIGITS: ReadonlySet<number> = new Set([10, 11]);

/** The run going on, or waiting for its turn: `stopped` once asked to stop. */
let current: { stopped: boolean } | undefined;

/** A new run, which stops the one before it (called when its request arrives, before it waits for its turn). */
export function newTrainingRun(): { stopped: boolean } {
  stopTraining();
  current = { stopped: false };
  return current;
}

/** Stops the run going on, if any. */
export function stopTraining(): Record<string, never> {
  if (current !== undefined) current.stopped = true;
  return {};
}

/**
 * Loads what the lesson reads (the whole digits table, decoded once per worker) and draws a small plot: the
 * first plot loads the plot library and takes seconds more than the next (measured: 2.1 s against 0.3 s).
 */
export async function prepareTraining(lesson: number): Promise<Record<string, never>> {
  await Promise.all([
    READS_DIGITS.has(lesson) ? loadDigits({ train: 1, test: 1 }) : undefined,
    linePlot({ series: [{ name: 'warm-up', points: [[0, 1], [1, 0]] }], xLabel: 'epoch', yLabel: 'loss', points: true }),
  ]);
  return {};
}

/** How far a run has come, and the page of the run up to there (at a checkpoint) or not (at a tick): sent as it trains. */
export type TrainingProgress = CheckpointReached | TickReached;

/** How far a run has come inside an epoch (a tick where the worker read its messages): `done` is a fraction. */
export interface TickReached {
  readonly tick: true;
  readonly done: number;
  readonly total: number;
  readonly unit: string;
  /** Since the run started, in ms. */
  readonly ms: number;
}

/** The least time between two reads of the worker's messages at ticks, in ms (a read is a task: about 1–4 ms). */
const TICK_MS = 100;

/** A checkpoint's progress: the page of the run up to there. */
export interface CheckpointReached {
  readonly tick?: undefined;
  readonly done: number;
  readonly total: number;
  readonly unit: string;
  /** Whether the page here is the page of a run of `done` units (CheckpointProgress.shorterRun: lesson 11's is not). */
  readonly shorterRun: boolean;
  readonly parts: readonly SectionPart[];
  /** Since the run started, in ms. */
  readonly ms: number;
}

/** The run's whole page, once it has ended, and its last checkpoint (drawn or not; none when it stopped before its first). */
export interface TrainingReply {
  readonly parts: readonly SectionPart[];
  readonly ms: number;
  readonly reached?: { readonly done: number; readonly total: number; readonly unit: string; readonly shorterRun: boolean };
}

/** The reply's sections, each with its fingerprint and, unless the page holds it, its HTML (worker.ts's sectionsReply). */
type Reply = (parts: readonly PageSection[], known: Readonly<Record<string, string>>) => SectionPart[];

/** Runs a training lesson, sending each checkpoint's page drawn to `progress`; resolves to its whole page. */
export async function trainLesson(lesson: Lesson, request: TrainingRequest, run: { readonly stopped: boolean }, progress: (p: TrainingProgress) => void, reply: Reply): Promise<TrainingReply> {
  const settings = readSettings(request.settings);
  if (run.stopped) throw new DownhillError(TRAINING_STOPPED);
  const start = performance.now();
  // What the page holds once it has received what was sent (the page keeps every section it receives).
  const known: Record<string, string> = { ...request.known };
  const send = (sections: readonly PageSection[]): SectionPart[] => {
    const parts = reply(sections, known);
    for (const p of parts) known[p.id] = p.hash;
    return parts;
  };
  let drawnAt = -Infinity, drawMs = 0;
  let reached: TrainingReply['reached'];
  let readAt = start;
  /** The messages that arrived while it trained (a stop, a newer run) are read here: a task later. */
  const read = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 0));
    readAt = performance.now();
    if (run.stopped) throw new DownhillError(TRAINING_STOPPED);
  };
  const onTick = async (t: TickProgress): Promise<void> => {
    if (performance.now() - readAt < TICK_MS) return;
    await read();
    progress({ tick: true, done: t.done, total: t.total, unit: t.unit, ms: performance.now() - start });
  };
  const doc = await lessonDocument(lesson, settings, null, async (c) => {
    await read();
    reached = { done: c.done, total: c.total, unit: c.unit, shorterRun: c.shorterRun ?? true };
    const t0 = performance.now();
    if (t0 - drawnAt < drawMs) return; // trained for less time than the last checkpoint took to draw
    const sections = sectionsHtml(await c.document());
    progress({ done: c.done, total: c.total, unit: c.unit, shorterRun: c.shorterRun ?? true, parts: send(sections), ms: performance.now() - start });
    drawnAt = performance.now();
    drawMs = drawnAt - t0;
  }, onTick);
  return { parts: send(sectionsHtml(doc)), ms: performance.now() - start, ...(reached === undefined ? {} : { reached }) };
}
