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
import { checkArg, checkWhole, DownhillError, OBJECT } from './errors.ts';
import { parameterCount } from './nn/dense.ts';
import { isLayeredSpec, layeredMultiplyAdds, parseLayeredSpec, parseNetworkSpec, type LayeredSpec } from './nn/spec.ts';
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

/**
 * Most numbers one `export --pytorch` script embeds: weights, inputs and
 * targets, and the gradient (about 20 characters each, so 20 MB of text).
 */
export const MAX_EXPORT_NUMBERS = 1_000_000;

/** Throws unless a script of P weights (and P gradient entries) and N rows of D numbers fits in one call. */
export function checkExportSize(P: number, N: number, D: number): void {
  const numbers = 2 * P + N * D;
  if (numbers > MAX_EXPORT_NUMBERS) {
    throw new DownhillError(`a script of ${P.toLocaleString('en')} weights, their gradient and ${N.toLocaleString('en')} samples of ${D} numbers holds ${numbers.toLocaleString('en')} numbers: at most ${MAX_EXPORT_NUMBERS.toLocaleString('en')}, to stay within ${within}; use a smaller --batch`);
  }
}

/**
 * Most multiply-adds of one forward pass over the batch of a network with
 * convolution or attention that `export` differentiates (the gradient costs
 * about three times as much): conv11738's batch is 4·10⁶.
 */
export const MAX_LAYERED_WORK = 2e8;

/** Throws unless one forward pass of a layered description over N samples fits in one call. */
export function checkLayeredWork(spec: LayeredSpec, N: number): void {
  const work = N * layeredMultiplyAdds(spec);
  if (work > MAX_LAYERED_WORK) {
    throw new DownhillError(`network "${spec.text}" on ${N.toLocaleString('en')} samples is ${work.toExponential(1)} multiply-adds a pass: at most ${MAX_LAYERED_WORK.toExponential(0)} in one call, to stay within ${within}; use a smaller --batch or network`);
  }
}

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
 * Most work of training in one lesson call that trains on the digits, in
 * multiply-adds: epochs × (training digits × parameters + steps ×
 * (parameters + STEP_WORK)), where steps = ⌊training digits / batch⌋ per
 * epoch. Each step updates every parameter and has a fixed cost (a call of
 * the compiled gradient, the copy of its batch), worth STEP_WORK
 * multiply-adds. Measured in one run (load average 17 on 2 cores, CPU
 * seconds, start-up of 6.2 s taken off): the defaults (10 epochs, batch 32,
 * 30 hidden units: 1.98·10⁹) train in 4.2 s, 2.2 ns per multiply-add;
 * --hidden 1 --epochs 310 --batch 1 (accepted before: 1.1·10¹⁰ by this
 * count) took 19.9 s, 8 µs a step. Batch 1 and one hidden unit now stop at
 * 60 epochs.
 */
export const MAX_TRAINING_WORK = 2e9;

/** The fixed cost of one step of mini-batch descent on the digits, in multiply-adds (6 µs measured, at 2.2 ns each: see MAX_TRAINING_WORK). */
export const STEP_WORK = 2_500;

/**
 * Most multiply-adds of the lesson's evaluations: before training and after
 * each epoch it runs the network forward on every training and test digit
 * (the training loss) and twice on the test digits (the test loss, the
 * accuracy): (epochs + 1) × (training + 2 × test digits) × parameters. The
 * defaults make 3.2·10⁹ and the exercise --hidden 100 --epochs 3 makes 3.8·10⁹; a wide network on few epochs is bound by this, not
 * by training: --hidden 1024 --epochs 1 --digits 2900 (5.7·10⁹, accepted
 * before) took 16.3 CPU seconds here, against 10.4 for the defaults.
 */
export const MAX_EVALUATION_WORK = 4e9;

/** The work of training the digits lesson with these settings (see MAX_TRAINING_WORK and MAX_EVALUATION_WORK), and its parts for the message. */
export function trainingWork(settings: { readonly epochs: number; readonly digits: number; readonly hidden: number; readonly batch?: number }): { work: number; evaluation: number; train: number; P: number; steps: number } {
  const { epochs, digits, hidden } = settings;
  const train = Math.round(0.8 * digits);
  const test = digits - train;
  const P = DIGIT_PIXELS * hidden + hidden + hidden * DIGIT_CLASSES + DIGIT_CLASSES;
  const batch = Math.min(settings.batch ?? 1, train);
  const steps = Math.floor(train / batch);
  return { work: epochs * (train * P + steps * (P + STEP_WORK)), evaluation: (epochs + 1) * (train + 2 * test) * P, train, P, steps };
}

/** Throws unless the digits lesson's --epochs, --digits, --hidden and --batch (given or default) fit in one call. */
export function checkTrainingWork(settings: { readonly epochs?: number; readonly digits?: number; readonly hidden?: number; readonly batch?: number }): void {
  const { epochs, digits, hidden, batch } = settings;
  if (epochs === undefined || digits === undefined || hidden === undefined) return;
  const { work, evaluation, train, P, steps } = trainingWork({ epochs, digits, hidden, ...(batch === undefined ? {} : { batch }) });
  if (work > MAX_TRAINING_WORK) {
    throw new DownhillError(`--epochs ${epochs} --batch ${batch ?? 1} --hidden ${hidden} --digits ${digits}: ${epochs} epochs × (${train.toLocaleString('en')} training digits × ${P.toLocaleString('en')} parameters + ${steps.toLocaleString('en')} steps × ${(P + STEP_WORK).toLocaleString('en')}) is ${work.toExponential(1)} multiply-adds: at most ${MAX_TRAINING_WORK.toExponential(0)} in one call, to stay within ${within}; use fewer --epochs, --digits or --hidden, or a larger --batch`);
  }
  if (evaluation > MAX_EVALUATION_WORK) {
    throw new DownhillError(`--epochs ${epochs} --hidden ${hidden} --digits ${digits}: evaluating ${epochs + 1} times (before training and after each epoch) ${(digits + (digits - train)).toLocaleString('en')} digit passes × ${P.toLocaleString('en')} parameters is ${evaluation.toExponential(1)} multiply-adds: at most ${MAX_EVALUATION_WORK.toExponential(1)} in one call, to stay within ${within}; use fewer --epochs, --digits or --hidden`);
  }
}

/** The convolutional network lesson 11 trains on the digits (its work per digit is counted below). */
export const CONVOLUTION_LESSON_SPEC = '1x28x28-conv8x5-maxpool2-10:relu:softmax_ce';

/**
 * Most units of work in one call of lesson 11 (convolution), all of it
 * counted, with nothing allowed past it:
 *   epochs × (training digits × 155,188 + steps × CONVOLUTION_STEP_WORK)
 *   + (epochs + 2) × test digits × CONVOLUTION_EVALUATION_WORK,
 * steps = ⌊training digits / batch⌋ per epoch; 155,188 = the forward
 * multiply-adds per digit of its network (131,328) and the parameters of the
 * dense network it is compared with (23,860, a little over its 23,820
 * multiply-adds per digit), both trained on every training digit. The
 * test digits are evaluated before training and after each epoch, and once
 * more by the dense network (+ 2).
 *
 * The bound estimates the CPU time of the whole call: 3.0 s fixed (node,
 * the digits file, the compiled networks: 1.5–2.3 s measured for
 * --epochs 1 --digits 10 or 100, plus about 0.7 s of V8's optimising
 * compilation once the generated loops run hot) and 1.45 ns a unit, so
 * 4.8·10⁹ units are 3.0 + 6.96 = 9.96 s. Measured with the built command
 * on the shared 2-core machine at load averages of 13–26 (CPU time, which
 * a loaded machine inflates: each run of a setting differs by up to 20 %
 * there), in-process and warm: a training digit of both networks 207–221 µs
 * at batch 256 (155,188 units: 225 µs); a step's own cost (batch 1 against
 * batch 256: Adam's update of 11,738 parameters, the compiled gradients'
 * calls, the dense network's step) 205 µs (CONVOLUTION_STEP_WORK: 290 µs);
 * an evaluated test digit 97 µs (CONVOLUTION_EVALUATION_WORK: 102 µs).
 * Whole calls, measured against the estimate: the default (3 epochs of
 * 8,000 digits in batches of 16, 4.72·10⁹ units, 9.85 s) 7.8, 8.7, 9.2 and
 * 10.8 s (the last at load 19, before the branchless max-pooling);
 * --epochs 3 --batch 256 (4.44·10⁹, 9.44 s) 9.33 s; --batch 64 (4.50·10⁹,
 * 9.53 s) 8.58 s; --batch 32 (4.57·10⁹, 9.63 s) 8.10 s; --epochs 1
 * --batch 1 (3.26·10⁹, 7.73 s) 6.2, 6.6 and 6.8 s; --epochs 1 --batch 256
 * (1.67·10⁹, 5.42 s) 4.6 and 5.6 s; --digits 500 --epochs 30 (2.24·10⁹,
 * 6.24 s) 6.72 s and --digits 10 --epochs 1000 (1.58·10⁹, 5.29 s) 5.54 s,
 * those two at load 13, 5–8 % above the estimate. On a quiet machine the
 * default took 8.96–9.29 s before the convolution loops that read the
 * image (conv11738's gradient 0.76× the earlier loops' time, same process).
 * With them, quiet (load about 1, built command, CPU): the default 6.8 and
 * 7.0 s; the largest accepted call of each shape --digits 100 --batch 1
 * --epochs 160 7.8 s, --digits 30 --batch 1 --epochs 536 7.1 s, --digits
 * 500 --epochs 64 7.1 s, --epochs 7 --digits 2000 --batch 1 6.0 s,
 * --epochs 1 --batch 1 5.1 s, --epochs 1000 --digits 10 3.8 s.
 */
export const MAX_CONVOLUTION_TRAINING_WORK = 4.8e9;

/** The fixed cost of one step of lesson 11, in the units above (see MAX_CONVOLUTION_TRAINING_WORK: 205 µs measured, 290 µs counted). */
export const CONVOLUTION_STEP_WORK = 200_000;

/** The cost of evaluating one test digit once, in the units above (see MAX_CONVOLUTION_TRAINING_WORK: 97 µs measured, 102 µs counted). */
export const CONVOLUTION_EVALUATION_WORK = 70_000;

/**
 * Most digits in one of lesson 11's batches: the compiled gradient keeps
 * 134 KB of values per digit of the batch (the feature maps before and after
 * relu and their adjoints, the pooled maps and each window's winner; it kept
 * 249 KB with the im2col columns, when a batch of 8,000 took 2.3 GB and 256
 * took 322 MB for the whole call, measured).
 */
export const MAX_CONVOLUTION_BATCH = 256;

/** Lesson 11's default batch (its --batch when the flag is not given). */
const CONVOLUTION_DEFAULT_BATCH = 16;

/** The work of lesson 11 with these settings (see MAX_CONVOLUTION_TRAINING_WORK), and its parts for the message. */
export function convolutionTrainingWork(settings: { readonly epochs: number; readonly digits: number; readonly batch: number }): { work: number; train: number; test: number; perDigit: number; steps: number; batch: number } {
  const train = Math.round(0.8 * settings.digits);
  const test = settings.digits - train;
  const batch = Math.min(settings.batch, train);
  const steps = Math.floor(train / batch);
  const perDigit = layeredMultiplyAdds(parseLayeredSpec(CONVOLUTION_LESSON_SPEC)) + DIGIT_PIXELS * 30 + 30 + 30 * DIGIT_CLASSES + DIGIT_CLASSES;
  const work = settings.epochs * (train * perDigit + steps * CONVOLUTION_STEP_WORK) + (settings.epochs + 2) * test * CONVOLUTION_EVALUATION_WORK;
  return { work, train, test, perDigit, steps, batch };
}

/** Throws unless lesson 11's --epochs, --digits and --batch (given or default) fit in one call. */
export function checkConvolutionTrainingWork(settings: { readonly epochs?: number; readonly digits?: number; readonly batch?: number }): void {
  checkArg('checkConvolutionTrainingWork', 'settings', settings, OBJECT);
  const { epochs, digits } = settings;
  if (epochs !== undefined) checkWhole('checkConvolutionTrainingWork', 'epochs', epochs, 1);
  if (digits !== undefined) checkWhole('checkConvolutionTrainingWork', 'digits', digits, 1);
  if (settings.batch !== undefined) checkWhole('checkConvolutionTrainingWork', 'batch', settings.batch, 1);
  if (epochs === undefined || digits === undefined) return;
  const { work, train, test, perDigit, steps, batch } = convolutionTrainingWork({ epochs, digits, batch: settings.batch ?? CONVOLUTION_DEFAULT_BATCH });
  if (batch > MAX_CONVOLUTION_BATCH) {
    throw new DownhillError(`--batch ${settings.batch}: a batch of ${batch.toLocaleString('en')} digits keeps about ${Math.round(batch * 0.134)} MB of the network's values for its gradient (134 KB a digit): at most ${MAX_CONVOLUTION_BATCH} digits a batch, to stay within ${within}`);
  }
  if (work > MAX_CONVOLUTION_TRAINING_WORK) {
    throw new DownhillError(`${epochs} epochs × (${train.toLocaleString('en')} training digits × ${perDigit.toLocaleString('en')} multiply-adds per digit + ${steps.toLocaleString('en')} steps × ${CONVOLUTION_STEP_WORK.toLocaleString('en')}) + ${epochs + 2} evaluations × ${test.toLocaleString('en')} test digits × ${CONVOLUTION_EVALUATION_WORK.toLocaleString('en')} is ${work.toExponential(2)}: at most ${MAX_CONVOLUTION_TRAINING_WORK.toExponential(1)} in one call, to stay within ${within}; use fewer --epochs or --digits, or a larger --batch`);
  }
}

/**
 * Most sequence passes of lesson 12's training in one call: epochs ×
 * (training sequences + held-out sequences), the held-out ones being as many
 * as the training ones, at most 1,000. Each epoch takes a forward and a
 * backward pass over every training sequence and evaluates the losses and
 * the accuracy on all of them. Measured (CPU seconds of the whole call less
 * those of one epoch, at a load average of 25 on 2 cores): 39 epochs of
 * 4,000 sequences took 3.5 s, 18 µs a sequence pass, so 4·10⁵ is about 7 s
 * and the defaults (40 epochs of 4,000 + 1,000: 2·10⁵) about 3.6 s; before
 * this limit --epochs 1000 --sequences 10000 (1.1·10⁷) was accepted.
 */
export const MAX_ATTENTION_TRAINING_WORK = 4e5;

/** Throws unless lesson 12's --epochs and --sequences (given or default) fit in one call. */
export function checkAttentionTrainingWork(settings: { readonly epochs?: number; readonly sequences?: number }): void {
  checkArg('checkAttentionTrainingWork', 'settings', settings, OBJECT);
  const { epochs, sequences } = settings;
  if (epochs !== undefined) checkWhole('checkAttentionTrainingWork', 'epochs', epochs, 1);
  if (sequences !== undefined) checkWhole('checkAttentionTrainingWork', 'sequences', sequences, 1);
  if (epochs === undefined || sequences === undefined) return;
  const heldOut = Math.min(1000, sequences);
  const work = epochs * (sequences + heldOut);
  if (work > MAX_ATTENTION_TRAINING_WORK) {
    throw new DownhillError(`--epochs ${epochs} --sequences ${sequences}: ${epochs} epochs × (${sequences.toLocaleString('en')} training + ${heldOut.toLocaleString('en')} held-out sequences) is ${work.toExponential(1)} sequence passes: at most ${MAX_ATTENTION_TRAINING_WORK.toExponential(0)} in one call, to stay within ${within}; use fewer --epochs or --sequences`);
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

/**
 * Throws unless a model given by description (`--model 784-30-10`) is small enough to build in one call; a reference id passes.
 * A description with images or sequences counts its multiply-adds per sample too: with the scalar engine its graph has
 * about one node per multiply-add (a 1x28x28-conv8x5 layer has 208 parameters but 115,200 multiply-adds).
 */
export function checkModelSize(model: string, flag: string, engine: 'scalar' | 'matrix' = 'scalar'): void {
  if (!/^\d/.test(model.trim())) return;
  if (isLayeredSpec(model)) {
    const spec = parseLayeredSpec(model);
    const size = engine === 'matrix' ? spec.P : Math.max(spec.P, layeredMultiplyAdds(spec));
    const max = engine === 'matrix' ? MAX_MATRIX_MODEL_PARAMETERS : MAX_MODEL_PARAMETERS;
    if (size > max) {
      const what = engine === 'matrix' || size === spec.P ? `${spec.P.toLocaleString('en')} parameters` : `${size.toLocaleString('en')} multiply-adds per sample`;
      throw new DownhillError(`${flag}: network "${spec.text}" has ${what}: at most ${max.toLocaleString('en')} ${engine === 'matrix' ? 'with --engine matrix' : 'with --engine scalar (use --engine matrix)'}, to stay within ${within}`);
    }
    return;
  }
  const spec = parseNetworkSpec(model);
  const P = parameterCount(spec.layers);
  const max = engine === 'matrix' ? MAX_MATRIX_MODEL_PARAMETERS : MAX_MODEL_PARAMETERS;
  if (P > max) {
    const where = engine === 'matrix' ? 'with --engine matrix' : 'here';
    throw new DownhillError(`${flag}: network "${spec.text}" has ${P.toLocaleString('en')} parameters: at most ${max.toLocaleString('en')} ${where}, to stay within ${within}`);
  }
}

/** Throws unless checking `directions` directions of a model with P parameters on N samples fits in one call (a loss evaluation costs `costPerSample` per sample: P for a dense network). */
export function checkCheckWork(directions: number, P: number, N: number, float32 = false, costPerSample = P): void {
  const work = 2 * directions * costPerSample * N;
  const max = float32 ? MAX_FLOAT32_CHECK_WORK : MAX_CHECK_WORK;
  if (work > max) {
    throw new DownhillError(`checking ${float32 ? 'in float32 ' : ''}${directions.toLocaleString('en')} directions of ${P.toLocaleString('en')} parameters on ${N.toLocaleString('en')} samples is ${work.toExponential(1)} operations: at most ${max.toExponential(0)} in one call, to stay within ${within}; use fewer --directions or a smaller --batch`);
  }
}
