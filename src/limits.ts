/**
 * Limits of one command-line call. Every input the CLI accepts finishes
 * within about 10 seconds and 1 GB of memory on a 2-core machine, or is
 * refused up front with a one-line error that names the limit. The figures
 * below are sizes, not timers, so a refusal never depends on how busy the
 * machine is; they were set from measured runs (see README, "Limits").
 *
 *   checkDerivativeCount(5000, '--wrt')
 *   // DownhillError: 5000 partial derivatives asked for: at most 200 in one call (...)
 */
import { DownhillError } from './errors.ts';
import { parameterCount } from './nn/dense.ts';
import { parseNetworkSpec } from './nn/spec.ts';
import { DIGIT_CLASSES, DIGIT_PIXELS } from './nn/digits.ts';

/** The time and memory one call stays within (documentation; the limits below keep it so). */
export const CALL_LIMIT = { seconds: 10, megabytes: 1024 } as const;

/** Most partial derivatives one `grad` or `check` call writes out (each is tidied and printed as text and TeX). */
export const MAX_DERIVATIVES = 200;

/** Most parameters of a network built from a description for `check --model` and `graph --model` (its scalar graph grows with them). */
export const MAX_MODEL_PARAMETERS = 2_500;

/**
 * The same with `check --engine matrix`: the matrix engine compiles whole
 * layers, so only the scalar graph that loadModel still builds (for kinks
 * and --float32) grows with the parameters. Measured on 784-30-10 (23,860
 * parameters): about 1 s and 200 MB for --directions 20, at most 5 s and
 * 300 MB at the work limit below; 784-100-10 took 12 s with --float32.
 */
export const MAX_MATRIX_MODEL_PARAMETERS = 25_000;

/** Most loss evaluations × parameters × samples of one `check --model` (central differences cost two evaluations per direction). */
export const MAX_CHECK_WORK = 200_000_000;

/**
 * The same for the --float32 repeat, which interprets the scalar graph
 * (about a hundred times slower than compiled code) and, where float32
 * fails, looks for relu kinks sample by sample: measured at 3.8e6, 1 s for
 * 784-30-10:sigmoid but 13 s for 784-30-10:relu (7 s for 48-48-1:relu on
 * 800 samples); at 1e6 the relu cases take about 3 s.
 */
export const MAX_FLOAT32_CHECK_WORK = 1_000_000;

/** Most descent steps of one `lesson` call. */
export const MAX_LESSON_STEPS = 10_000;

const within = `the limits of one call (${CALL_LIMIT.seconds} s, ${CALL_LIMIT.megabytes / 1024} GB)`;

/**
 * Most multiply-adds of training in one lesson call that trains on the
 * digits: epochs × training digits × parameters (lesson 10's defaults,
 * 10 × 8,000 × 23,860, are 1.9·10⁹ and take about 4.4 s of CPU).
 */
export const MAX_TRAINING_WORK = 2e9;

/** Throws unless the digits lesson's --epochs, --digits and --hidden (given or default) fit in one call. */
export function checkTrainingWork(settings: { readonly epochs?: number; readonly digits?: number; readonly hidden?: number }): void {
  const { epochs, digits, hidden } = settings;
  if (epochs === undefined || digits === undefined || hidden === undefined) return;
  const train = Math.round(0.8 * digits);
  const P = DIGIT_PIXELS * hidden + hidden + hidden * DIGIT_CLASSES + DIGIT_CLASSES;
  const work = epochs * train * P;
  if (work > MAX_TRAINING_WORK) {
    throw new DownhillError(`${epochs} epochs × ${train.toLocaleString('en')} training digits × ${P.toLocaleString('en')} parameters is ${work.toExponential(1)} multiply-adds: at most ${MAX_TRAINING_WORK.toExponential(0)} in one call, to stay within ${within}; use fewer --epochs, --digits or --hidden`);
  }
}

/** Throws unless a lesson's --steps fits in one call. */
export function checkLessonSteps(steps: number): void {
  if (steps > MAX_LESSON_STEPS) {
    throw new DownhillError(`--steps ${steps}: at most ${MAX_LESSON_STEPS.toLocaleString('en')} steps in one call, to stay within ${within}`);
  }
}

/** Throws unless `count` partial derivatives fit in one call. */
export function checkDerivativeCount(count: number, how: string): void {
  if (count > MAX_DERIVATIVES) {
    throw new DownhillError(`${count} partial derivatives asked for: at most ${MAX_DERIVATIVES} in one call, to stay within ${within}; ${how}`);
  }
}

/** Throws unless a model given by description (`--model 784-30-10`) is small enough to build in one call; a reference id passes. */
export function checkModelSize(model: string, flag: string, engine: 'scalar' | 'matrix' = 'scalar'): void {
  if (!/^\d/.test(model.trim())) return;
  const spec = parseNetworkSpec(model);
  const P = parameterCount(spec.layers);
  const max = engine === 'matrix' ? MAX_MATRIX_MODEL_PARAMETERS : MAX_MODEL_PARAMETERS;
  if (P > max) {
    const where = engine === 'matrix' ? 'with --engine matrix' : 'here';
    throw new DownhillError(`${flag}: network "${spec.text}" has ${P.toLocaleString('en')} parameters: at most ${max.toLocaleString('en')} ${where}, to stay within ${within}`);
  }
}

/** Throws unless checking `directions` directions of a model with P parameters on N samples fits in one call. */
export function checkCheckWork(directions: number, P: number, N: number, float32 = false): void {
  const work = 2 * directions * P * N;
  const max = float32 ? MAX_FLOAT32_CHECK_WORK : MAX_CHECK_WORK;
  if (work > max) {
    throw new DownhillError(`checking ${float32 ? 'in float32 ' : ''}${directions.toLocaleString('en')} directions of ${P.toLocaleString('en')} parameters on ${N.toLocaleString('en')} samples is ${work.toExponential(1)} operations: at most ${max.toExponential(0)} in one call, to stay within ${within}; use fewer --directions or a smaller --batch`);
  }
}
