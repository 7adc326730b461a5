/**
 * What happened in a training run, read from its records, with the numbers
 * that show it. Lessons say what a run did only through this (or the run's
 * own numbers), so no sentence can contradict the table beside it.
 *
 *   const run = train({ ... })
 *   const d = diagnose(run, { minimum: 0 })
 *   d.kind        // 'converged' | 'creeping' | 'overshooting' | 'cycle' | 'diverged' | 'stuck' | 'plateau' | 'stationary' | 'growing' | 'recovering' | 'chaotic'
 *   d.summary     // 'reached the bottom: after 21 steps the loss 5.73 × 10⁻¹¹ is within 10⁻⁸ of its minimum 0'
 *   d.wentDown    // the loss ended below where it started
 *
 * The verdicts, in the order they are tried:
 *   diverged      the loss (or gradient) stopped being finite, or grows step after step past its start;
 *   converged     the loss is within `tolerance` of its minimum (or training stopped on a tolerance);
 *   cycle         the parameters come back to the same values every p ≥ 2 steps (η = 2/L″ on a parabola);
 *   stuck         the gradient vanished (under 10⁻³ of where it started) and the loss stopped moving,
 *                 far from the minimum, with saturated units (|f′(z)| under `saturation`): named;
 *   stationary    the same without saturated units, or a loss flattening out while the training
 *                 target is not met (XOR with 2 of 4 right), and the point verified: the gradient
 *                 and the update exactly 0 (a fixed point of the update), or the run continued
 *                 `lookahead` more steps (`continued`) still missing the target with its loss down
 *                 by under 1% of its distance to the minimum: a stationary point that is not a
 *                 minimum of the training target. Unverified, the run is a plateau or creeping;
 *   overshooting  the update changes sign every step while its size and the loss shrink;
 *   creeping      the loss falls step after step, still far from the minimum;
 *   plateau       the loss falls, but by less than 10⁻³ of itself over the recent steps, on flat ground: a small
 *                 gradient (a large one with tiny progress is creeping: the steps are too small);
 *                 (or the loss goes up and down, but its peaks shrink by half or more);
 *   growing       rising at every recent step, though still below its start (a slow divergence);
 *   recovering    falling at every recent step, but still above its start after an earlier rise;
 *   chaotic       bounded, going up and down with no period (both ups and downs in the recent steps);
 *   too-short     fewer than 4 steps, none of the above: too few to tell.
 *
 * No forecast without proof: a diagnosis says what comes after the run only
 * from the run continued (`continued`, at most `lookahead` more steps):
 * "continued, it comes within 10⁻⁸ of the bottom after 188 more steps" or
 * "continued for 10,000 more steps, it does not come within 10⁻⁸ of the
 * bottom (the loss is then 0.002)". Without `continued` it says nothing
 * about the future. Units saturated at the end (by the lesson's own
 * threshold) are named whatever the verdict, so one state has one name.
 */
import { checkArg, checkFields, checkOptions, FUNCTION, NUMBER, kindOf, objectWith, optional, type Accepts } from '../errors.ts';
import { checkTrainOptions, continues, train, type TrainOptions, type TrainResult } from './train.ts';
import { proseNumber as num, roundedNumber } from '../expr/number.ts';
import { isNode, type Node } from '../expr/node.ts';

const RUN_KINDS = ['converged', 'creeping', 'overshooting', 'cycle', 'diverged', 'stuck', 'plateau', 'stationary', 'growing', 'recovering', 'chaotic', 'too-short'] as const;
export type RunKind = typeof RUN_KINDS[number];

/** A unit's state at the end of a run: its pre-activation z and the slope f′(z) of its activation there. */
export interface UnitState {
  /** How the lesson names it: 'h', 'a_{1}' (TeX allowed). */
  readonly name: string;
  readonly preActivation: number;
  readonly slope: number;
}

export interface DiagnoseOptions {
  /** The smallest value the loss can take (default 0): the bottom a run is measured against. */
  readonly minimum?: number;
  /** How close to the minimum counts as reaching it (default 10⁻⁸ × max(1, start − minimum)). */
  readonly tolerance?: number;
  /** The units of the network at given parameters, to name the saturated ones. */
  readonly units?: (p: Float64Array) => readonly UnitState[];
  /** A unit is saturated when |f′(z)| is under this (default 10⁻³; σ′(z) ≤ 10⁻³ for |z| ≥ 6.9). */
  readonly saturation?: number;
  /**
   * Where saturated units are named: 'always' (default: whatever the verdict, so one state has one
   * name), or 'when-stuck' (units given per sample, as XOR's, saturate on some rows while the others
   * carry the gradient: named only when the run is stuck).
   */
  readonly nameSaturated?: 'always' | 'when-stuck';
  /** Whether the parameters meet the training target (e.g. every row classified right). */
  readonly target?: (p: Float64Array) => boolean;
  /**
   * The same training run again with `steps` steps in all, stopping once the loss is at most
   * `lossAtMost` (`continuation(trainOptions)` makes one). Given, the diagnosis says whether and when
   * the run, continued, reaches the bottom, and checks a stationary point by staying there;
   * not given, it says nothing about what comes after the run. diagnose passes the run it reads as
   * `run`, which a continuation may go on from rather than start again (see `continuation`).
   */
  readonly continued?: (steps: number, lossAtMost: number, run?: TrainResult) => TrainResult;
  /** The most steps a continuation takes past the run (default 10,000, a lesson call's step limit). */
  readonly lookahead?: number;
}

/** What the run did when continued (at most `lookahead` more steps). */
export interface Continuation {
  /** It came within the tolerance of the minimum, after `more` more steps. */
  readonly reached: boolean;
  /** It diverged, `more` steps past the run. */
  readonly diverged: boolean;
  /** Steps taken past the run. */
  readonly more: number;
  /** The loss where the continuation ended. */
  readonly loss: number;
  /** The training target met where it ended (undefined: no target given). */
  readonly targetMet?: boolean;
}

/**
 * The `continued` option of diagnose for a run made by train(options): the
 * same run, longer, stopping once its loss is at most `lossAtMost`. It is
 * computed from the furthest point of that longer run known, not from the
 * start: the end of `run` (the run diagnosed, when it is train(options)'s and
 * can be continued: trainOn's `continues`, with no loss of its at most
 * `lossAtMost`, where the longer run would have stopped), or where an earlier
 * continuation of the same options (steps aside) and `lossAtMost` got to.
 * Training is deterministic and gradient descent's step keeps no state, so
 * the result's end (its stop, parameters and loss) is bit for bit that of
 * the longer run trained from the start (test/continuation.test.ts); its
 * records are only those of the part computed. A live page that reruns a
 * lesson with a new learning rate continues only the runs whose options
 * changed (lesson 4's comparison of four rates: three are the same), and one
 * with more steps only the steps added. Its result is shared: read it, do
 * not change it.
 */
export function continuation(options: TrainOptions): (steps: number, lossAtMost: number, run?: TrainResult) => TrainResult {
  checkTrainOptions(options, 'continuation');
  // Only the end matters: keep few records (a long continuation must not hold 10,000 of them).
  const trainFrom = (steps: number, lossAtMost: number, from?: { readonly step: number; readonly p: Float64Array; readonly startLoss: number }): TrainResult => {
    const result = train({
      ...options, steps, tolerance: { loss: lossAtMost }, recordEvery: Math.max(1, Math.ceil((steps - (from?.step ?? 0)) / 4)), maxRecords: 8,
      ...(from === undefined ? {} : { init: from.p, from: { step: from.step, startLoss: from.startLoss } }),
    });
    startLosses.set(result, from?.startLoss ?? result.steps[0]!.loss);
    return result;
  };
  /** The end of `run`, when the longer run passes through it: a start for the continuation. */
  const runEnd = (lossAtMost: number, run?: TrainResult): { step: number; p: Float64Array; startLoss: number } | undefined =>
    run !== undefined && run.stop.reason === 'steps' && run.steps.every((r) => r.loss > lossAtMost) && continues(run, options)
      ? { step: run.stop.step, p: run.p, startLoss: run.steps[0]!.loss } : undefined;
  const loss = options.loss;
  const resumable = options.optimizer.kind === 'gd' && options.batchSize === undefined;
  const common = isNode(loss) ? optionsKey({ ...options, steps: null }) : undefined;
  if (!isNode(loss) || common === undefined) {
    return (steps, lossAtMost, run) => {
      const end = runEnd(lossAtMost, run);
      return trainFrom(steps, lossAtMost, end !== undefined && end.step <= steps ? end : undefined);
    };
  }
  return (steps, lossAtMost, run) => {
    const line = `${loss.id}|${common}|${optionsKey([lossAtMost])}`;
    let known = reached.get(line);
    if (known?.loss !== loss) known = undefined;
    // A continuation that stopped (on the loss, or diverging) at or before `steps` is this one's end too.
    const ended = known?.ends.find((r) => r.stop.reason !== 'steps' && r.stop.step <= steps);
    if (ended !== undefined) return ended;
    const same = known?.ends.find((r) => r.stop.reason === 'steps' && r.stop.step === steps);
    if (same !== undefined) return same;
    // The furthest point at or before `steps` the longer run is known to pass through (gradient descent on the whole
    // batch only: another optimizer's step, or a mini-batch's shuffle, keeps state an end does not hold).
    let from = runEnd(lossAtMost, run);
    if (from !== undefined && from.step > steps) from = undefined;
    for (const r of resumable ? known?.ends ?? [] : []) {
      if (r.stop.reason === 'steps' && r.stop.step <= steps && r.stop.step > (from?.step ?? 0)) from = { step: r.stop.step, p: r.p, startLoss: startLossOf(r) };
    }
    const result = trainFrom(steps, lossAtMost, from);
    if (known === undefined) {
      if (reached.size >= 64) reached.clear();
      reached.set(line, known = { loss, ends: [] });
    }
    known.ends.unshift(result);
    if (known.ends.length > 8) known.ends.pop();
    return result;
  };
}

/** A continuation's start loss, kept with its result (the run's loss at step 0, which its divergence check measures against). */
const startLosses = new WeakMap<TrainResult, number>();
function startLossOf(r: TrainResult): number {
  return startLosses.get(r)!;
}

/**
 * The ends continuations have reached, by the loss's node id, every other option but the steps, and the
 * loss they stop at (the last few of each). Each entry holds its loss node, so that while it is kept, the
 * same expression built again is the same node, with the same id.
 */
const reached = new Map<string, { readonly loss: Node; readonly ends: TrainResult[] }>();

/**
 * Options but the loss as text, every number exactly (JSON writes the shortest text that reads back to the
 * same double; ±Infinity, NaN and −0, which JSON would write as null and 0, as '#' and their name, a text
 * starting with '#' with one more); undefined if they hold a function (not data: never a key). Only the
 * options' own `loss` is left out: a parameter may be called loss too (init: { loss: 0, … }).
 */
function optionsKey(options: object): string | undefined {
  let plain = true;
  const text = JSON.stringify(options, function (this: unknown, k: string, v: unknown) {
    if (this === options && k === 'loss') return undefined;
    if (typeof v === 'function') plain = false;
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return `#${Object.is(v, -0) ? '-0' : String(v)}`;
    if (typeof v === 'string' && v.startsWith('#')) return `#${v}`;
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
  return plain ? text : undefined;
}

export interface Diagnosis {
  readonly kind: RunKind;
  /** One sentence (prose with $TeX$), starting lower-case: 'diverged from step 3: …'. */
  readonly summary: string;
  /** Updates made (the last record's step). */
  readonly steps: number;
  readonly startLoss: number;
  /** The last finite loss. */
  readonly endLoss: number;
  /** The loss ended below its start. */
  readonly wentDown: boolean;
  /** The loss ended within the tolerance of its minimum. */
  readonly reachedBottom: boolean;
  /** The largest |gradient component| at the start and at the end. */
  readonly startGradient: number;
  readonly endGradient: number;
  /** diverged: the step from which the loss grew for good. */
  readonly divergedFrom?: number;
  /** cycle: its period in steps. */
  readonly period?: number;
  /** creeping, overshooting, growing: the factor the distance to the minimum changes by per step, over the recent steps (a measurement, not a forecast). */
  readonly rate?: number;
  /** What the run did when continued (only with the `continued` option, for a run that has not reached the bottom). */
  readonly future?: Continuation;
  /** The units saturated at the end (|f′(z)| under the `saturation` threshold), whatever the verdict. */
  readonly saturated?: readonly UnitState[];
}

const maxAbs = (v: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
};

/** A factor per step, with enough digits to tell 0.99998 from 1. */
const factor = (r: number): string => roundedNumber(r, r > 0.99 && r < 1.01 ? 6 : 4);

/** '1 step', '3 steps'. */
const stepCount = (k: number): string => `${k} ${k === 1 ? 'step' : 'steps'}`;

/** The dominant parameter: the one that moved most over the run. */
function dominant(run: TrainResult): number {
  const first = run.steps[0]!.p;
  const last = run.steps[run.steps.length - 1]!.p;
  let best = 0;
  for (let k = 1; k < first.length; k++) if (Math.abs(last[k]! - first[k]!) > Math.abs(last[best]! - first[best]!)) best = k;
  return best;
}

const RUN_OBJECT = objectWith('steps', 'stop');
const RECORD = objectWith('step', 'loss', 'gradient');
/** What diagnose takes: a run (train's result) with at least one record, each with its loss and gradient. */
const RUN: Accepts<TrainResult> = {
  what: "a run (train's result, with at least one step record)",
  test: (v): v is TrainResult => RUN_OBJECT.test(v) && Array.isArray(v.steps) && v.steps.length > 0
    && v.steps.every((r) => RECORD.test(r) && typeof r.loss === 'number'),
};
/** What each option accepts (values checked where they are read). */
const DIAGNOSE_OPTIONS: Readonly<Record<string, Accepts<unknown>>> = {
  minimum: optional(NUMBER), tolerance: optional(NUMBER), units: optional(FUNCTION), saturation: optional(NUMBER),
  nameSaturated: optional({ what: "'always' or 'when-stuck'", test: (v): v is unknown => v === 'always' || v === 'when-stuck' }),
  target: optional(FUNCTION), continued: optional(FUNCTION), lookahead: optional(NUMBER),
};
/** What verdictLabel takes: a diagnosis. */
const DIAGNOSIS: Accepts<Diagnosis> = kindOf<Diagnosis>("a diagnosis (diagnose's result)", RUN_KINDS);

/**
 * Reads a run's records and says what happened, with the evidence.
 * Records must be consecutive steps (no `recordEvery` thinning) for the
 * cycle and overshoot checks; the others only compare losses.
 */
export function diagnose(run: TrainResult, options: DiagnoseOptions = {}): Diagnosis {
  checkArg('diagnose', 'run', run, RUN);
  checkOptions('diagnose', options, Object.keys(DIAGNOSE_OPTIONS));
  checkFields('diagnose', options, DIAGNOSE_OPTIONS);
  const R = run.steps;
  const n = R.length;
  const L = R.map((r) => r.loss);
  const floor = options.minimum ?? 0;
  const start = L[0]!;
  const end = L[n - 1]!;
  const gap = (l: number): number => Math.max(0, l - floor);
  const tol = options.tolerance ?? 1e-8 * Math.max(1, gap(start));
  const g0 = maxAbs(R[0]!.gradient);
  const gEnd = maxAbs(R[n - 1]!.gradient);
  const steps = R[n - 1]!.step;
  const base = {
    steps, startLoss: start, endLoss: end, wentDown: end < start, reachedBottom: gap(end) <= tol, startGradient: g0, endGradient: gEnd,
  };
  const went = `the loss went from $${num(start)}$ to $${num(end)}$`;
  const m = Math.min(n - 1, Math.max(8, Math.floor((n - 1) / 4))); // the recent steps looked at

  // Diverged: told by training, or the loss growing past its start, every two steps, for the last few steps.
  const envelopeGrows = (i: number): boolean => i >= 3 && Math.max(L[i]!, L[i - 1]!) > Math.max(L[i - 2]!, L[i - 3]!) * (1 + 1e-12);
  const pairs = Math.min(3, Math.floor((n - 3) / 2)); // up to three two-step comparisons, as many as a short run has
  const growing = pairs >= 1 && gap(end) > gap(start) && Array.from({ length: pairs }, (_, j) => envelopeGrows(n - 1 - 2 * j)).every(Boolean);
  if (run.stop.reason === 'diverged' || growing) {
    let from = n - 1;
    while (from >= 3 && envelopeGrows(from)) from -= 1;
    while (from > 0 && L[from - 1]! < L[from]!) from -= 1; // back to where the growth began
    const divergedFrom = run.stop.reason === 'diverged' && run.stop.step <= R[from]!.step ? run.stop.step : R[from]!.step;
    const how = run.stop.reason === 'diverged'
      ? run.stop.cause === 'not-finite' ? `until at step ${run.stop.step} it was no longer a finite number` : `to $${num(run.stop.loss)}$ at step ${run.stop.step}, past ${run.stop.factor} times its start`
      : `to $${num(end)}$ at step ${steps}, growing every two steps`;
    return { ...base, kind: 'diverged', divergedFrom, summary: `diverged from step ${divergedFrom}: the loss grew from $${num(L[from]!)}$ at step ${R[from]!.step} ${how}` };
  }

  const toTol = `$${num(tol)}$`;
  if (run.stop.reason === 'loss-tolerance' || run.stop.reason === 'gradient-tolerance' || gap(end) <= tol) {
    const why = run.stop.reason === 'gradient-tolerance' && gap(end) > tol
      ? `every gradient component is under ${num(run.stop.tolerance)} (a stationary point; the loss is $${num(end)}$)`
      : `the loss $${num(end)}$ is within ${toTol} of its minimum $${num(floor)}$`;
    return { ...base, kind: 'converged', summary: `reached the bottom: after ${stepCount(steps)} ${why}` };
  }

  if (n - 1 < 4) {
    return { ...base, kind: 'too-short', summary: `took only ${stepCount(steps)}, too few to tell how it goes on: ${went}` };
  }

  // A cycle: the parameters repeat with a period of 2 to 8 steps over the recent steps (and do move).
  const same = (a: Float64Array, b: Float64Array): boolean => {
    for (let k = 0; k < a.length; k++) if (Math.abs(a[k]! - b[k]!) > 1e-9 * (1 + Math.abs(a[k]!))) return false;
    return true;
  };
  if (m >= 4) {
    for (let p = 2; p <= Math.min(8, Math.floor(m / 2)); p++) {
      let repeats = true;
      for (let i = n - 1; i >= n - m + p && repeats; i--) if (!same(R[i]!.p, R[i - p]!.p)) repeats = false;
      if (repeats && !same(R[n - 1]!.p, R[n - 2]!.p)) {
        const tail = L.slice(n - p);
        const lo = Math.min(...tail);
        const hi = Math.max(...tail);
        const range = num(lo) === num(hi) ? `stays at $${num(lo)}$` : `stays between $${num(lo)}$ and $${num(hi)}$`;
        const k = dominant(run);
        const values = R.slice(n - p).map((r) => `$${num(r.p[k]!)}$`).join(', ');
        return {
          ...base, kind: 'cycle', period: p,
          summary: `oscillates in a cycle of ${p} steps: ${run.names[k]} keeps coming back to ${values}, and the loss ${range}, never nearer the bottom`,
        };
      }
    }
  }

  const flat = Math.abs(L[n - 1 - m]! - end) <= 1e-4 * Math.max(gap(end), 1e-300);
  const targetMissed = options.target !== undefined && !options.target(run.p);
  const vanished = gEnd <= 1e-3 * g0 || gEnd <= 1e-8 * Math.max(1, gap(end));
  // Units saturated at the end, by the lesson's own threshold: named whatever the verdict.
  const threshold = options.saturation ?? 1e-3;
  const saturated = (options.units?.(run.p) ?? []).filter((u) => Math.abs(u.slope) <= threshold);
  const always = (options.nameSaturated ?? 'always') === 'always';
  const withSaturated = saturated.length > 0 && always ? { saturated } : {};
  const unitList = saturated.map((u) => `$${u.name}$ (pre-activation $${num(u.preActivation)}$, slope $${num(u.slope)}$)`).join(', ');
  const passes = saturated.every((u) => u.slope === 0) ? 'nothing' : 'almost nothing';
  const saturatedNote = saturated.length === 0 || !always ? ''
    : `; ${saturated.length === 1 ? 'unit' : 'units'} ${unitList} ${saturated.length === 1 ? 'is' : 'are'} saturated (slope under $${num(threshold)}$) and ${saturated.length === 1 ? 'passes' : 'pass'} ${passes} back`;

  // The run continued: computed once, only when a sentence needs it.
  const lookahead = options.lookahead ?? 10_000;
  let continued: Continuation | undefined | null = null;
  const future = (): Continuation | undefined => {
    if (continued !== null) return continued;
    if (options.continued === undefined) return continued = undefined;
    const more = options.continued(steps + lookahead, floor + tol, run);
    const reached = more.stop.reason === 'loss-tolerance';
    const diverged = more.stop.reason === 'diverged';
    return continued = {
      reached, diverged, more: more.stop.step - steps, loss: diverged ? more.stop.loss : more.loss,
      ...(options.target === undefined ? {} : { targetMet: options.target(more.p) }),
    };
  };
  const lookaheadText = lookahead.toLocaleString('en');
  /** '; continued, it comes within 10⁻⁸ of the bottom after 188 more steps', or '' without a continuation. */
  const futureClause = (): string => {
    const f = future();
    if (f === undefined) return '';
    if (f.reached) return `; continued, it comes within ${toTol} of the bottom after ${f.more} more ${f.more === 1 ? 'step' : 'steps'}`;
    if (f.diverged) return `; continued, it diverges after ${f.more} more ${f.more === 1 ? 'step' : 'steps'}`;
    const target = f.targetMet === undefined ? '' : f.targetMet ? ', the training target met' : ', the training target still not met';
    // A run that was still falling but, continued, ends higher says so: "still creeping down" is about the steps taken, not a promise.
    const higher = f.loss > end ? ', higher than at the end of this run: it does not keep falling' : '';
    return `; ${higher === '' ? '' : 'but '}continued for ${lookaheadText} more steps, it does not come within ${toTol} of the bottom: the loss is then $${num(f.loss)}$${higher}${target}`;
  };
  /** A stationary point, verified: the update is exactly 0 (a fixed point), or the run continued stays, still missing the target. */
  const staysStationary = (): boolean => {
    const last = R[n - 1]!;
    const fixed = gEnd === 0 && (R[n - 2]?.update ?? Float64Array.of(1)).every((v) => v === 0);
    if (fixed) return true;
    const f = future();
    return f !== undefined && !f.reached && !f.diverged && f.targetMet !== true && gap(f.loss) >= 0.99 * gap(last.loss);
  };
  const stayedText = (): string => {
    const f = future();
    return f === undefined ? '' : `; continued for ${lookaheadText} more steps it stays there: the loss is then $${num(f.loss)}$${f.targetMet === false ? ', the training target still not met' : ''}`;
  };

  if (vanished && flat && m >= 2) {
    if (saturated.length > 0) {
      return {
        ...base, kind: 'stuck', saturated,
        summary: `got stuck with a vanishing gradient: saturated ${saturated.length === 1 ? 'unit' : 'units'} ${unitList} ${saturated.length === 1 ? 'passes' : 'pass'} ${passes} back, so the gradient fell from $${num(g0)}$ to $${num(gEnd)}$ and the loss has stayed at $${num(end)}$, far above its minimum $${num(floor)}$${futureClause()}`,
      };
    }
    if ((targetMissed || options.target === undefined) && staysStationary()) {
      return {
        ...base, kind: 'stationary',
        summary: `stopped at a stationary point that is not a minimum of the training target: the gradient fell from $${num(g0)}$ to $${num(gEnd)}$ while the loss stays at $${num(end)}$, above its minimum $${num(floor)}$${gEnd === 0 ? ' (the gradient is exactly 0: no step moves it)' : stayedText()}`,
      };
    }
  }

  // Overshooting: the dominant parameter's update alternates in sign and shrinks, and the loss falls every two steps.
  const k = dominant(run);
  const u = (i: number): number => R[i]!.p[k]! - R[i - 1]!.p[k]!;
  const recent = Math.min(m, 6);
  let alternates = recent >= 3;
  for (let i = n - 1; i > n - 1 - recent + 1 && alternates; i--) {
    if (!(u(i) * u(i - 1) < 0 && Math.abs(u(i)) < Math.abs(u(i - 1)) * (1 + 1e-12) || Math.abs(u(i)) === 0)) alternates = false;
    if (i >= 2 && !(L[i]! <= L[i - 2]!)) alternates = false;
  }
  if (alternates && end < start) {
    const rate = Math.abs(u(n - 1) / u(n - 2));
    return {
      ...base, kind: 'overshooting', rate, ...withSaturated, ...(future() === undefined ? {} : { future: future()! }),
      summary: `overshoots, the jumps shrinking: each step jumps past the bottom (the update of ${run.names[k]} changes sign every step) and over the last steps the jumps shrank by a factor $${factor(rate)}$ per step; ${went}${saturatedNote}${futureClause()}`,
    };
  }

  let monotone = true;
  for (let i = n - m; i < n; i++) if (L[i]! > L[i - 1]!) monotone = false;
  if (monotone && end < start) {
    const fell = gap(L[n - 1 - m]!) - gap(end);
    const j = Math.min(m, 5);
    const rate = (gap(end) / gap(L[n - 1 - j]!)) ** (1 / j);
    const withFuture = (): { future?: Continuation } => (future() === undefined ? {} : { future: future()! });
    const slow = fell <= 1e-3 * gap(end);
    if (targetMissed && (slow && gEnd <= 1e-2 * g0 || !slow) && staysStationary()) {
      return {
        ...base, kind: 'stationary', rate, ...withSaturated, ...withFuture(),
        summary: `is settling on a stationary point that is not a minimum of the training target: ${went}, over the last ${m} steps by only $${num(fell)}$, with the training target not met${stayedText()}`,
      };
    }
    if (slow) {
      // A plateau is flat ground: a small gradient. Following it across a distance the size of the
      // parameters must change the loss by under 1% of its distance to the minimum. A large gradient
      // with tiny progress is not flat ground: the steps are too small.
      const flatGround = gEnd * Math.max(1, maxAbs(run.p)) <= 1e-2 * gap(end);
      if (flatGround) return { ...base, kind: 'plateau', ...withSaturated, ...withFuture(), summary: `is on a plateau: ${went}, but over the last ${m} steps it fell by only $${num(fell)}$, the gradient being only $${num(gEnd)}$${saturatedNote}${futureClause()}` };
      return {
        ...base, kind: 'creeping', rate, ...withSaturated, ...withFuture(),
        summary: `is creeping, its steps too small to move it much: the gradient is still $${num(gEnd)}$ (it started at $${num(g0)}$), but over the last ${m} steps the loss fell by only $${num(fell)}$; ${went}${saturatedNote}${futureClause()}`,
      };
    }
    return {
      ...base, kind: 'creeping', rate, ...withSaturated, ...withFuture(),
      summary: `is still creeping down: ${went}; over the last steps its loss above the minimum shrank by a factor $${factor(rate)}$ per step${saturatedNote}${futureClause()}`,
    };
  }

  let ups = 0;
  for (let i = n - m; i < n; i++) if (L[i]! > L[i - 1]!) ups++;
  const tail = L.slice(n - 1 - m);
  // The loss rising at every one of the last steps (at least 8, or the whole window), though still below
  // its start (a slow divergence, e.g. gradient descent on a quadratic with η just past 2/L″): growing,
  // never "chaotic", which needs both ups and downs. Falling at every one of them, but still above its
  // start after an earlier rise: coming back down.
  const run1 = (up: boolean): number => {
    let r = 0;
    while (r < n - 1 && (up ? L[n - 1 - r]! > L[n - 2 - r]! : L[n - 1 - r]! < L[n - 2 - r]!)) r++;
    return r;
  };
  const rising = run1(true);
  if (rising >= Math.min(m, 8)) {
    const rate = (gap(end) / gap(L[n - 1 - rising]!)) ** (1 / rising);
    return {
      ...base, kind: 'growing', rate,
      summary: `is growing: the loss rose at every one of the last ${rising} steps, its distance to the minimum growing by a factor $${factor(rate)}$ per step; ${went}`,
    };
  }
  const falling = run1(false);
  if (falling >= Math.min(m, 8) && end >= start) {
    return {
      ...base, kind: 'recovering',
      summary: `is coming back down: the loss fell at every one of the last ${falling} steps, from $${num(L[n - 1 - falling]!)}$ to $${num(end)}$, after rising above its start; ${went}`,
    };
  }
  // Up and down, but settling: the peaks of the last third are under half those of the first third.
  const third = Math.max(1, Math.floor(tail.length / 3));
  const early = Math.max(...tail.slice(0, third));
  const late = Math.max(...tail.slice(-third));
  if (end < start && late < 0.5 * early) {
    return {
      ...base, kind: 'overshooting',
      summary: `overshoots, its peaks shrinking: over the last ${m} steps the loss went up ${ups === 1 ? 'once' : `${ups} times`}, but its peaks shrank from $${num(early)}$ to $${num(late)}$; ${went}`,
    };
  }
  return {
    ...base, kind: 'chaotic',
    summary: `bounces without settling so far: over the last ${m} steps the loss went up ${ups === 1 ? 'once' : `${ups} times`}, between $${num(Math.min(...tail))}$ and $${num(Math.max(...tail))}$, with no repeating pattern; ${went}`,
  };
}

/** A few words for a table cell: 'reached the bottom', 'diverged at step 3', 'stuck: saturated, gradient vanished'. */
export function verdictLabel(d: Diagnosis): string {
  checkArg('verdictLabel', 'd', d, DIAGNOSIS);
  const label = kindLabel(d);
  // One state, one name: a unit saturated at the end is said in the label too.
  return d.kind !== 'stuck' && (d.saturated?.length ?? 0) > 0 ? `${label}; saturated` : label;
}

function kindLabel(d: Diagnosis): string {
  switch (d.kind) {
    case 'converged': return 'reached the bottom';
    case 'creeping': return d.wentDown ? 'went down, still creeping' : 'creeping';
    case 'overshooting': return 'overshoots, the jumps shrinking';
    case 'cycle': return `cycles every ${d.period} steps`;
    case 'diverged': return `diverged from step ${d.divergedFrom}`;
    case 'stuck': return 'stuck: saturated, gradient vanished';
    case 'stationary': return 'stationary point, not a minimum';
    case 'plateau': return 'on a plateau';
    case 'growing': return 'growing: rising every step';
    case 'recovering': return 'falling again, still above its start';
    case 'chaotic': return 'chaotic: up and down';
    case 'too-short': return d.wentDown ? `${stepCount(d.steps)}: went down` : `${stepCount(d.steps)}: did not go down`;
  }
}
