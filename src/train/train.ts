/**
 * The descent loop: compile once, then step in plain JavaScript, keeping a
 * record per step.
 *
 *   const L = parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2')
 *   const run = train({
 *     loss: L, params: ['w1', 'w2', 'w3'], data: ['x1', 'x2', 'y'],
 *     batch: [[1, 0.5, 0.8]], init: [0.1, -0.2, 0.3],
 *     optimizer: gd(0.5), steps: 200, tolerance: { loss: 1e-8 },
 *   })
 *   run.stop            // { reason: 'loss-tolerance', step: 57, ... }
 *   run.steps[0]        // { step: 0, p: [0.1, −0.2, 0.3], loss: 0.25, gradient: [...], update: [...] }
 *   run.p               // the final parameter values (run.names: their names)
 *
 * Record k holds the parameters p_k, the loss L(p_k), its gradient g_k and
 * the update Δ_k, so p_{k+1} = p_k + Δ_k. The last record is where training
 * stopped: its `update` is null, except when the loss at p_{k+1} was not a
 * finite number: then the last record is step k, whose update led there.
 * Only finite numbers are ever recorded.
 *
 * Divergence: when the loss (or gradient) stops being a finite number, or
 * the loss grows above `divergence.factor` × its starting value, training
 * stops with `{ reason: 'diverged', step, lr, ... }` instead of throwing, so
 * a lesson can show it; `stopMessage(run.stop)` says it in one line.
 */
import { checkArg, checkFields, checkOptions, DownhillError, NAMES, NUMBER, NUMBERS, objectWith, OBJECT, optional, type Accepts } from '../errors.ts';
import { proseTextNumber, roundedNumber } from '../expr/number.ts';
import { isNode, type Node } from '../expr/node.ts';
import { compileGradient, type CompiledGradient, type CompileOptions, type GradientFunction } from '../compile/compile.ts';
import { packBatch } from '../nn/datasets.ts';
import { mulberry32 } from '../nn/random.ts';
import { createStepper, OPTIMIZER, type Optimizer } from './optimizers.ts';

/** One step of training. Arrays are copies: keep them freely. */
export interface StepRecord {
  /** 0 for the starting point. */
  readonly step: number;
  /** p_k, the parameter values at this step. */
  readonly p: Float64Array;
  /** L(p_k) on the (mini-)batch of this step. */
  readonly loss: number;
  /** ∂L/∂p at p_k. */
  readonly gradient: Float64Array;
  /** Δ_k = p_{k+1} − p_k; null on the last record, where training stopped. */
  readonly update: Float64Array | null;
}

/** Why training stopped. */
export type StopReason =
  /** The step budget ran out. */
  | { readonly reason: 'steps'; readonly step: number }
  /** The loss fell under `tolerance.loss` at `step`. */
  | { readonly reason: 'loss-tolerance'; readonly step: number; readonly loss: number; readonly tolerance: number }
  /** The gradient's largest component fell under `tolerance.gradient` at `step`. */
  | { readonly reason: 'gradient-tolerance'; readonly step: number; readonly gradientNorm: number; readonly tolerance: number }
  /**
   * Training diverged at `step`: the loss or gradient was not a finite
   * number (`cause: 'not-finite'`, `loss` may be NaN or Infinity: never print
   * it as a result) or the loss grew above `factor` × `startLoss` (`cause: 'grew'`).
   */
  | {
    readonly reason: 'diverged';
    readonly step: number;
    readonly cause: 'not-finite' | 'grew';
    readonly loss: number;
    readonly startLoss: number;
    readonly factor: number;
    readonly lr: number;
    /** The optimizer's name: 'gradient descent', 'momentum, β = 0.9', 'Adam'. */
    readonly optimizer: string;
    /** What to do about it, without promising: 'try a smaller learning rate, e.g. 0.1 (10 times smaller), …'. */
    readonly hint: string;
  };

export interface TrainOptions {
  /** The per-sample loss graph, or a gradient compiled already (compile once, train many times). */
  readonly loss: Node | GradientFunction;
  /** Parameter names, in the order of `init` (taken from the compiled gradient when given one). */
  readonly params?: readonly string[];
  /** Per-sample data names, in the order of a batch row. */
  readonly data?: readonly string[];
  /** The data: rows (inputs then targets), or a packed batch as packBatch makes. */
  readonly batch?: readonly (readonly number[])[] | Float64Array;
  /** How the batch reduces (default 'mean'); ignored for a compiled gradient. */
  readonly reduce?: 'mean' | 'sum';
  /** Starting parameters, in the order of `params` (or by name). Not modified. */
  readonly init: ArrayLike<number> | Readonly<Record<string, number>>;
  readonly optimizer: Optimizer;
  /** The most updates to make. */
  readonly steps: number;
  /** Stop when the loss, or the largest |gradient component|, falls under this; a number means the loss. */
  readonly tolerance?: number | { readonly loss?: number; readonly gradient?: number };
  /** Rows per mini-batch (default: the whole batch). Rows are shuffled each epoch from `seed`. */
  readonly batchSize?: number;
  /** Seed of the mini-batch shuffle (default 1). */
  readonly seed?: number;
  /** Divergence: the loss growing above factor × its starting value (default 1e4). */
  readonly divergence?: { readonly factor?: number };
  /** Keep every record (default), or only every k-th plus the first and last (long runs). */
  readonly recordEvery?: number;
  /**
   * The most records kept (default MAX_RECORDS, 10,000), so that memory stays bounded
   * however many steps a run takes; see `TrainResult.recordStride` for the rule.
   */
  readonly maxRecords?: number;
  /**
   * Continue a run rather than start one: `init` is the run's parameters at step `from.step`, and
   * `from.startLoss` its loss at step 0, which the divergence check measures against. Steps are counted
   * from the run's start (`steps` is the total, records and the stop are numbered as the run's), so the
   * result is the run's own from there on, bit for bit. Gradient descent on the whole batch only: its step
   * keeps no state (momentum's velocity and Adam's moments, and a mini-batch shuffle, would have to be
   * carried over). `trainOn` continues a run with it.
   */
  readonly from?: { readonly step: number; readonly startLoss: number };
}

/** Default of `maxRecords`: a long run keeps at most this many step records (plus the last one or two). */
export const MAX_RECORDS = 10_000;

export interface TrainResult {
  /**
   * The kept step records, in order: the first (step 0, or `from.step`) and the last (where
   * training stopped) always; in between, every step that is a multiple of
   * `recordStride`, and, when the run diverged, the step that led there.
   */
  readonly steps: readonly StepRecord[];
  /**
   * The thinning rule's stride: `recordEvery` (default 1), doubled each time
   * the kept records would exceed `maxRecords`, the records off the new
   * stride being dropped then. A run of up to maxRecords × recordEvery steps
   * keeps every recordEvery-th step.
   */
  readonly recordStride: number;
  readonly stop: StopReason;
  /** The parameter values where training stopped (the last finite point). */
  readonly p: Float64Array;
  /** The loss there. */
  readonly loss: number;
  readonly names: readonly string[];
  readonly optimizer: Optimizer;
  /** The compiled gradient used, to reuse. */
  readonly compiled: GradientFunction;
}

const isCompiled = (x: Node | GradientFunction): x is GradientFunction => 'lossAndGradient' in x;

/** What each option of train accepts (values are checked where they are read, with train's words). */
const TRAIN_OPTIONS: Readonly<Record<string, Accepts<unknown>>> = {
  loss: { what: 'an expression graph or a compiled gradient (compileGradient)', test: (v): v is unknown => isNode(v) || (objectWith('lossAndGradient', 'params', 'data').test(v) && typeof v.lossAndGradient === 'function') },
  params: optional(NAMES), data: optional(NAMES),
  batch: optional({ what: 'rows of numbers or a Float64Array', test: (v): v is unknown => v instanceof Float64Array || Array.isArray(v) }),
  init: { what: 'initial values: an array of numbers or values by name ({ w: 0 })', test: (v): v is unknown => NUMBERS.test(v) || OBJECT.test(v) },
  optimizer: OPTIMIZER,
  steps: { what: 'a number of steps', test: (v): v is number => typeof v === 'number' },
  tolerance: optional({ what: 'a number or { loss, gradient }', test: (v): v is unknown => typeof v === 'number' || OBJECT.test(v) }),
  from: optional(objectWith('step', 'startLoss')),
  divergence: optional(OBJECT), batchSize: optional(NUMBER), seed: optional(NUMBER), recordEvery: optional(NUMBER), maxRecords: optional(NUMBER), reduce: optional({ what: "'mean' or 'sum'", test: (v): v is unknown => v === 'mean' || v === 'sum' }),
};

/** train's door (and continuation's, `fn`): an object with the required options, no unknown one, each of its kind. */
export function checkTrainOptions(options: unknown, fn = 'train'): void {
  checkArg(fn, 'options', options, objectWith('loss', 'init', 'optimizer', 'steps'));
  checkOptions(fn, options, Object.keys(TRAIN_OPTIONS));
  checkFields(fn, options, TRAIN_OPTIONS);
}

/**
 * Compiled gradients by loss graph (nodes are hash-consed: the same loss
 * built again is the same node) and names, so training one loss many times
 * (a lesson comparing learning rates) compiles it once. Held weakly.
 */
const compiledByLoss = new WeakMap<Node, Map<string, CompiledGradient>>();
function compileOnce(loss: Node, options: CompileOptions): CompiledGradient {
  const key = JSON.stringify([options.params, options.data ?? [], options.reduce ?? 'mean']);
  let byKey = compiledByLoss.get(loss);
  if (byKey === undefined) compiledByLoss.set(loss, byKey = new Map());
  let compiled = byKey.get(key);
  if (compiled === undefined) byKey.set(key, compiled = compileGradient(loss, options));
  return compiled;
}

/**
 * Trains: compiles the loss (unless given compiled, or compiled already by
 * an earlier call with the same graph, names and reduction), then takes up to
 * `steps` updates with the optimizer.
 *
 *   const run = train({ loss: parseExpression('(w - 3)^2'), params: ['w'], init: [0], optimizer: gd(0.25), steps: 3 })
 *   run.steps.map((r) => r.p[0])        // [0, 1.5, 2.25, 2.625]
 *   run.stop                            // { reason: 'steps', step: 3 }
 */
export function train(options: TrainOptions): TrainResult {
  checkTrainOptions(options);
  const compiled = isCompiled(options.loss)
    ? options.loss
    : compileOnce(options.loss, {
      params: options.params ?? [],
      ...(options.data === undefined ? {} : { data: options.data }),
      ...(options.reduce === undefined ? {} : { reduce: options.reduce }),
    });
  const names = compiled.params;
  const P = names.length;
  const D = compiled.data.length;
  if (P === 0) throw new DownhillError('train: no parameters to train (give params)');
  if (!Number.isInteger(options.steps) || options.steps < 0) throw new DownhillError(`train: steps must be a whole number ≥ 0, got ${options.steps}`);

  // The starting point.
  const p = new Float64Array(P);
  const init = options.init;
  if (isArrayLike(init)) {
    if (init.length !== P) throw new DownhillError(`train: init has ${init.length} values for ${P} parameters (${names.join(', ')})`);
    for (let k = 0; k < P; k++) p[k] = init[k]!;
  } else {
    names.forEach((name, k) => {
      const v = init[name];
      if (v === undefined) throw new DownhillError(`train: init has no value for parameter "${name}"`);
      p[k] = v;
    });
  }
  for (let k = 0; k < P; k++) {
    if (!Number.isFinite(p[k]!)) throw new DownhillError(`train: initial value of "${names[k]}" is ${p[k]}, not a finite number`);
  }

  // The data.
  const batch = options.batch === undefined ? new Float64Array(0) : options.batch instanceof Float64Array ? options.batch : packBatch(options.batch);
  const N = D === 0 ? 1 : batch.length / D;
  if (D > 0 && (N < 1 || !Number.isInteger(N))) {
    throw new DownhillError(`train: the batch must hold whole rows of ${D} numbers (${compiled.data.join(', ')}), got ${batch.length} numbers`);
  }
  for (let i = 0; i < batch.length; i++) {
    if (!Number.isFinite(batch[i]!)) throw new DownhillError(`train: batch row ${Math.floor(i / D)}, column ${compiled.data[i % D]} is ${batch[i]}, not a finite number`);
  }
  const B = options.batchSize ?? N;
  if (!Number.isInteger(B) || B < 1 || B > N) throw new DownhillError(`train: batchSize must be a whole number from 1 to ${N}, got ${options.batchSize}`);
  const nextBatch = B === N ? (): Float64Array => batch : miniBatches(batch, N, D, B, options.seed ?? 1);

  const tol = typeof options.tolerance === 'number' ? { loss: options.tolerance } : options.tolerance ?? {};
  const factor = options.divergence?.factor ?? DIVERGENCE_FACTOR;
  if (!(factor > 1)) throw new DownhillError(`train: divergence factor must be above 1, got ${factor}`);
  const every = options.recordEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new DownhillError(`train: recordEvery must be a whole number ≥ 1, got ${every}`);
  const maxRecords = options.maxRecords ?? MAX_RECORDS;
  if (!Number.isInteger(maxRecords) || maxRecords < 2) throw new DownhillError(`train: maxRecords must be a whole number ≥ 2, got ${maxRecords}`);
  let stride = every;
  const from = options.from;
  if (from !== undefined) {
    if (!Number.isInteger(from.step) || from.step < 0 || from.step > options.steps) throw new DownhillError(`train: from.step must be a whole number from 0 to steps (${options.steps}), got ${from.step}`);
    if (typeof from.startLoss !== 'number' || !Number.isFinite(from.startLoss)) throw new DownhillError(`train: from.startLoss must be a finite number (the run's loss at step 0), got ${from.startLoss}`);
    if (options.optimizer.kind !== 'gd') throw new DownhillError(`train: from continues only gradient descent, whose step keeps no state (${optimizerName(options.optimizer)} keeps its own)`);
    if (B !== N) throw new DownhillError('train: from continues only a run on the whole batch (a mini-batch run would need its shuffle carried over)');
  }

  const stepper = createStepper(options.optimizer, P);
  const g = new Float64Array(P);
  const u = new Float64Array(P);
  let records: StepRecord[] = [];
  // The latest step not kept (thinned), kept if it ends the run: copied into these buffers, and made a
  // record only then (a run of thousands of thinned steps allocates nothing for them).
  const pending = { step: -1, loss: NaN, p: new Float64Array(P), g: new Float64Array(P), u: new Float64Array(P) };
  const pendingRecord = (): StepRecord => ({ step: pending.step, p: pending.p.slice(), loss: pending.loss, gradient: pending.g.slice(), update: pending.u.slice() });
  let startLoss = from?.startLoss ?? NaN;
  let lastLoss = NaN;
  const lastParams = p.slice(); // the parameters of the last step whose loss was finite (lastLoss)

  const diverged = (step: number, cause: 'not-finite' | 'grew', loss: number): StopReason => ({
    reason: 'diverged', step, cause, loss, startLoss, factor,
    lr: options.optimizer.lr, optimizer: optimizerName(options.optimizer),
    // A suggestion, not a promise: a smaller rate is not always small enough.
    hint: `try a smaller learning rate, e.g. ${proseTextNumber(options.optimizer.lr / 10)} (10 times smaller), and smaller again if that diverges too`,
  });

  // A record of the current step (made outside the loop: a closure per step was garbage for every step of a long run).
  const record = (step: number, loss: number, update: Float64Array | null): StepRecord => ({ step, p: p.slice(), loss, gradient: g.slice(), update });
  let stop: StopReason = { reason: 'steps', step: options.steps };
  const first = from?.step ?? 0;
  for (let step = first; ; step++) {
    const X = nextBatch();
    const loss = compiled.lossAndGradient(p, g, X, D === 0 ? 1 : X.length / D);
    let gmax = 0;
    let finite = Number.isFinite(loss);
    for (let k = 0; k < P; k++) {
      const a = Math.abs(g[k]!);
      if (!Number.isFinite(a)) finite = false;
      else if (a > gmax) gmax = a;
    }
    if (!finite) {
      stop = diverged(step, 'not-finite', loss);
      break;
    }
    if (step === 0 && from === undefined) startLoss = loss;
    lastLoss = loss;
    lastParams.set(p);

    const ending: StopReason | undefined =
      step > 0 && loss > factor * Math.max(startLoss, 1e-12) ? diverged(step, 'grew', loss)
        : tol.loss !== undefined && loss <= tol.loss ? { reason: 'loss-tolerance', step, loss, tolerance: tol.loss }
          : tol.gradient !== undefined && gmax <= tol.gradient ? { reason: 'gradient-tolerance', step, gradientNorm: gmax, tolerance: tol.gradient }
            : step >= options.steps ? { reason: 'steps', step }
              : undefined;
    if (ending !== undefined) {
      records.push(record(step, loss, null));
      pending.step = -1; // the step before an ordinary end stays thinned
      stop = ending;
      break;
    }

    stepper(g, u);
    let updateFinite = true;
    for (let k = 0; k < P; k++) if (!Number.isFinite(u[k]!)) updateFinite = false;
    if (!updateFinite) {
      if (pending.step >= 0) records.push(pendingRecord());
      pending.step = -1;
      records.push(record(step, loss, null));
      stop = diverged(step + 1, 'not-finite', NaN);
      break;
    }
    if (step % stride === 0 || step === first) {
      records.push(record(step, loss, u.slice()));
      pending.step = -1;
      if (records.length > maxRecords) {
        stride *= 2;
        records = records.filter((r) => r.step % stride === 0 || r.step === first);
      }
    } else {
      pending.step = step;
      pending.loss = loss;
      pending.p.set(p);
      pending.g.set(g);
      pending.u.set(u);
    }
    for (let k = 0; k < P; k++) p[k] = p[k]! + u[k]!;
  }
  // A divergence right after a thinned step: keep the step that led there.
  if (pending.step >= 0) records.push(pendingRecord());
  const result: TrainResult = { steps: records, recordStride: stride, stop, p: lastParams, loss: lastLoss, names, optimizer: options.optimizer, compiled };
  trainedOn.set(result, { batch, factor, tolerance: [tol.loss ?? null, tol.gradient ?? null] });
  return result;
}

/**
 * What each result of train was trained on beyond its records: the batch, the divergence factor and the
 * tolerance. continues() compares them exactly: a run of another batch with the same loss at step 0, or
 * another tolerance or factor, is not a shorter run of the same options (the review found both).
 */
/** The default divergence factor (TrainOptions.divergence). */
const DIVERGENCE_FACTOR = 1e4;

const trainedOn = new WeakMap<TrainResult, { readonly batch: Float64Array; readonly factor: number; readonly tolerance: readonly [number | null, number | null] }>();

/**
 * train(options) computed from `run`, the same run made shorter (train({ ...options, steps: k }), k ≤
 * options.steps): only the steps past k are taken, from run's end (`from`), and run's records are kept in
 * front of them, so the result equals train(options) record for record, bit for bit. Where that cannot be
 * so (an optimizer with state, mini-batches, thinned records, or a run that is not this one: another
 * start, loss, optimizer, batch, tolerance or divergence factor, or not made by train), it is train(options),
 * from the start. A run that stopped before its budget
 * (converged or diverged) is the longer run too, and is returned as it is.
 *
 *   const short = train({ ...options, steps: 500 })   // shown while the rest trains
 *   const whole = trainOn(short, options)             // steps 501 to options.steps only
 */
export function trainOn(run: TrainResult, options: TrainOptions): TrainResult {
  checkTrainOptions(options, 'trainOn');
  if (!continues(run, options) || !sameTolerance(run, options)) return train(options);
  const end = run.stop.step;
  if (end > options.steps) return train(options);
  if (run.stop.reason !== 'steps') return run;
  if ((options.recordEvery ?? 1) !== 1 || run.recordStride !== 1 || options.steps > (options.maxRecords ?? MAX_RECORDS)) return train(options);
  const rest = train({ ...options, init: run.p, from: { step: end, startLoss: run.steps[0]!.loss } });
  const whole: TrainResult = { ...rest, steps: [...run.steps.slice(0, -1), ...rest.steps] };
  trainedOn.set(whole, trainedOn.get(rest)!);
  return whole;
}

/** Whether `run` was trained with options' tolerance (so it would have stopped where train(options) stops). */
function sameTolerance(run: TrainResult, options: TrainOptions): boolean {
  const tol = typeof options.tolerance === 'number' ? { loss: options.tolerance } : options.tolerance ?? {};
  const kept = trainedOn.get(run)?.tolerance;
  return kept !== undefined && Object.is(kept[0], tol.loss ?? null) && Object.is(kept[1], tol.gradient ?? null);
}

/**
 * Whether `run` is a run of `options` (up to its number of steps, whatever its tolerance) that can be
 * continued from its end with `from`: made by train, gradient descent on the whole batch, every step
 * recorded, from options' start, with options' loss, batch (number for number) and divergence factor.
 * Its loss at step 0 is computed again and must be the one recorded.
 */
export function continues(run: TrainResult, options: TrainOptions): boolean {
  if (options.optimizer.kind !== 'gd' || run.optimizer.kind !== 'gd' || run.optimizer.lr !== options.optimizer.lr || options.batchSize !== undefined) return false;
  const kept = trainedOn.get(run);
  if (kept === undefined || !Object.is(kept.factor, options.divergence?.factor ?? DIVERGENCE_FACTOR)) return false;
  const R = run.steps;
  if (R.length !== run.stop.step + 1 || R.some((r, k) => r.step !== k)) return false;
  const compiled = isCompiled(options.loss) ? options.loss
    : compileOnce(options.loss, {
      params: options.params ?? [], ...(options.data === undefined ? {} : { data: options.data }), ...(options.reduce === undefined ? {} : { reduce: options.reduce }),
    });
  if (compiled !== run.compiled) return false;
  const names = compiled.params;
  const init = options.init;
  const start = isArrayLike(init) ? Float64Array.from({ length: init.length }, (_, k) => init[k]!) : Float64Array.from(names, (n) => init[n] ?? NaN);
  if (start.length !== names.length || start.some((v, k) => !Object.is(v, R[0]!.p[k]))) return false;
  const batch = options.batch === undefined ? new Float64Array(0) : options.batch instanceof Float64Array ? options.batch : packBatch(options.batch);
  if (batch.length !== kept.batch.length || batch.some((v, i) => !Object.is(v, kept.batch[i]))) return false;
  const D = compiled.data.length;
  const g = new Float64Array(names.length);
  return Object.is(compiled.lossAndGradient(R[0]!.p.slice(), g, batch, D === 0 ? 1 : batch.length / D), R[0]!.loss);
}

function optimizerName(optimizer: Optimizer): string {
  switch (optimizer.kind) {
    case 'gd': return 'gradient descent';
    case 'momentum': return `momentum, β = ${optimizer.beta}`;
    case 'adam': return 'Adam';
  }
}

function isArrayLike(x: ArrayLike<number> | Readonly<Record<string, number>>): x is ArrayLike<number> {
  return x instanceof Float64Array || Array.isArray(x);
}

/** Consecutive slices of a fresh shuffle each epoch (Fisher–Yates with mulberry32(seed)). */
function miniBatches(batch: Float64Array, N: number, D: number, B: number, seed: number): () => Float64Array {
  const rng = mulberry32(seed);
  const order = Array.from({ length: N }, (_, i) => i);
  let at = N;
  return () => {
    if (at + B > N) {
      for (let i = N - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      at = 0;
    }
    const out = new Float64Array(B * D);
    for (let r = 0; r < B; r++) out.set(batch.subarray(order[at + r]! * D, order[at + r]! * D + D), r * D);
    at += B;
    return out;
  };
}

/**
 * Why training stopped, in one line: never prints a NaN as if it were a result.
 *
 *   stopMessage(run.stop)
 *   // 'diverged at step 3 with learning rate 1000 (gradient descent): the loss is no longer a
 *   //  finite number; try a smaller learning rate, e.g. 100 (10 times smaller), and smaller again if that diverges too'
 */
export function stopMessage(stop: StopReason): string {
  checkArg('stopMessage', 'stop', stop, { what: "a stop reason (a run's stop)", test: (v): v is StopReason => objectWith('reason', 'step').test(v) && ['steps', 'loss-tolerance', 'gradient-tolerance', 'diverged'].includes(v.reason as string) });
  switch (stop.reason) {
    case 'steps':
      return `stopped after ${stop.step} ${stop.step === 1 ? 'step' : 'steps'} (the step budget)`;
    case 'loss-tolerance':
      return `converged at step ${stop.step}: the loss ${roundedNumber(stop.loss, 6)} is under the tolerance ${stop.tolerance}`;
    case 'gradient-tolerance':
      return `converged at step ${stop.step}: every gradient component is under ${stop.tolerance} in size (largest ${roundedNumber(stop.gradientNorm, 6)})`;
    case 'diverged': {
      const what = stop.cause === 'not-finite'
        ? 'the loss is no longer a finite number'
        : `the loss grew from ${proseTextNumber(stop.startLoss)} at step 0 to ${proseTextNumber(stop.loss)} at step ${stop.step}, more than ${stop.factor} times where it started`;
      return `diverged at step ${stop.step} with learning rate ${stop.lr} (${stop.optimizer}): ${what}; ${stop.hint}`;
    }
  }
}

/**
 * Throws a DownhillError with `stopMessage` if training diverged; returns the result otherwise.
 *
 *   const run = assertConverged(train({ ... }))   // for scripts that must not go on after a divergence
 */
export function assertConverged(result: TrainResult): TrainResult {
  if (result.stop.reason === 'diverged') throw new DownhillError(stopMessage(result.stop));
  return result;
}
