/**
 * Gradient checks on a whole network: the compiled exact gradient of the
 * batch loss against central differences of the loss, parameter by
 * parameter, or along random directions (gradcheck's fast mode: the
 * directional derivative g·v against (L(p + hv) − L(p − hv)) / 2h, two loss
 * evaluations per direction instead of two per parameter).
 *
 *   const m = loadModel('xor9')                 // nn/load.ts: a reference model, or a description '2-3-1:tanh:sigmoid:mse'
 *   const c = checkModel(m)
 *   c.summary   // { checked: 9, passed: 9, failed: 0, kinks: 0, maxAbsError: 3e-11, maxRelError: 2e-9 }
 *   checkModel(m, { directions: 4 }).mode   // 'directions'
 */
import { checkArg, checkOptions, DownhillError } from '../errors.ts';
import { centralDifference } from '../diff/finite-difference.ts';
import { compileModel, type CheckableModel, type Engine } from '../matrix/path.ts';
import { MODEL } from '../nn/network-loss.ts';
import { sampleValues } from '../nn/load.ts';
import { mulberry32, normal } from '../nn/random.ts';
import { float32BatchLoss } from './float32.ts';
import { checkStep, compare, resolveOptions, type Precision, type Status } from './gradient-check.ts';
import { kinkNodes, kinksNear, type KinkWarning } from './kinks.ts';

/** Options of `checkModel`. */
export interface ModelCheckOptions {
  readonly h?: number;
  readonly atol?: number;
  readonly rtol?: number;
  /** Check along this many random unit directions instead of every parameter. */
  readonly directions?: number;
  /** Seed of the random directions (default 1). */
  readonly seed?: number;
  /** How many of the worst records to list (default 10). */
  readonly worst?: number;
  readonly precision?: Precision;
  /** The engine whose gradient is checked: scalar (default) or matrix. */
  readonly engine?: Engine;
}

/** One checked parameter or direction. */
export interface ModelRecord {
  /** A parameter name ('w12'), or 'direction 3'. */
  readonly label: string;
  readonly exact: number;
  readonly numeric: number;
  readonly absError: number;
  readonly relError: number;
  readonly tolerance: number;
  readonly status: Status;
  readonly kinks: readonly KinkWarning[];
}

export interface ModelCheck {
  readonly model: string;
  /** The engine whose gradient was checked. */
  readonly engine: Engine;
  readonly P: number;
  readonly N: number;
  readonly mode: 'parameters' | 'directions';
  readonly h: number;
  readonly atol: number;
  readonly rtol: number;
  readonly precision: Precision;
  readonly loss: number;
  /** Every record, in parameter (or direction) order. */
  readonly records: readonly ModelRecord[];
  /** The records with the largest error relative to their tolerance, worst first. */
  readonly worst: readonly ModelRecord[];
  readonly summary: {
    readonly checked: number; readonly passed: number; readonly failed: number; readonly kinks: number;
    readonly maxAbsError: number; readonly maxRelError: number;
  };
  readonly pass: boolean;
}


/** The kinks a move of ±h along `move` could cross, in any sample of the batch. */
function modelKinks(m: CheckableModel, p: Float64Array, label: string, move: ReadonlyMap<string, number>, h: number): KinkWarning[] {
  if (kinkNodes(m.loss).length === 0) return [];
  const found = new Map<string, KinkWarning>();
  for (let n = 0; n < m.N; n++) {
    const point = sampleValues({ ...m, p }, n);
    for (const w of kinksNear(m.loss, point, { label, move }, h)) if (!found.has(w.node)) found.set(w.node, w);
  }
  return [...found.values()];
}

/** The door of checkModel and checkModelGradient: the model (nn/network-loss.ts's MODEL), and options of the known keys (their values are checked where they are read). */
export function checkModelArguments(fn: string, m: unknown, options: unknown, known: readonly string[]): void {
  checkArg(fn, 'm', m, MODEL);
  checkOptions(fn, options, known);
}

/**
 * Checks a model's gradient at its weights, every parameter or along
 * random directions. Failures whose step straddles a kink (relu, abs, max)
 * count as warnings ('kink'), not failures.
 */
export function checkModel(m: CheckableModel, options: ModelCheckOptions = {}): ModelCheck {
  checkModelArguments('checkModel', m, options, ['h', 'atol', 'rtol', 'directions', 'seed', 'worst', 'precision', 'engine']);
  const { h, atol, rtol, precision } = resolveOptions(options);
  checkStep(h, m.params.map((name, k) => [name, m.p[k]!] as const), precision);
  const P = m.params.length;
  const engine = options.engine ?? 'scalar';
  if (engine !== 'scalar' && engine !== 'matrix') throw new DownhillError(`engine must be scalar or matrix, got "${String(engine)}"`);
  const f = compileModel(m, engine);
  const g = new Float64Array(P);
  const loss64 = f.lossAndGradient(m.p, g, m.batch, m.N);
  const f32 = precision === 'float32' ? float32BatchLoss(m.loss, m.params, m.data, m.reduce) : undefined;
  const L = (p: Float64Array): number => (f32 ? f32(p, m.batch, m.N) : f.loss(p, m.batch, m.N));
  const directions = options.directions;
  if (directions !== undefined && (!Number.isInteger(directions) || directions < 1 || directions > 10_000)) {
    throw new DownhillError(`directions must be a whole number from 1 to 10000, got ${directions}`);
  }
  const records: ModelRecord[] = [];
  const q = Float64Array.from(m.p);
  const record = (label: string, exact: number, numeric: number, move: () => ReadonlyMap<string, number>): void => {
    const cmp = compare(exact, numeric, atol, rtol);
    const kinks = cmp.pass ? [] : modelKinks(m, m.p, label, move(), h);
    records.push({ label, exact, numeric, absError: cmp.absError, relError: cmp.relError, tolerance: cmp.tolerance, status: cmp.pass ? 'pass' : kinks.length > 0 ? 'kink' : 'fail', kinks });
  };
  if (directions === undefined) {
    for (let k = 0; k < P; k++) {
      const numeric = centralDifference((d) => { q[k] = m.p[k]! + d; const value = L(q); q[k] = m.p[k]!; return value; }, h);
      record(m.params[k]!, g[k]!, numeric, () => new Map([[m.params[k]!, 1]]));
    }
  } else {
    const rng = mulberry32(options.seed ?? 1);
    for (let d = 0; d < directions; d++) {
      const v = Float64Array.from({ length: P }, () => normal(rng));
      let norm = 0;
      for (const x of v) norm = Math.hypot(norm, x); // not Math.hypot(...v): a spread of 100,000 arguments overflows the stack
      let exact = 0;
      for (let k = 0; k < P; k++) {
        v[k] = v[k]! / norm;
        exact += g[k]! * v[k]!;
      }
      const numeric = centralDifference((t) => { for (let k = 0; k < P; k++) q[k] = m.p[k]! + t * v[k]!; return L(q); }, h);
      record(`direction ${d + 1}`, exact, numeric, () => new Map(m.params.map((name, k) => [name, v[k]!])));
    }
  }
  const score = (r: ModelRecord): number => (r.tolerance > 0 ? r.absError / r.tolerance : r.absError === 0 ? 0 : Infinity);
  const worst = [...records].sort((a, b) => score(b) - score(a)).slice(0, options.worst ?? 10);
  const count = (s: Status): number => records.filter((r) => r.status === s).length;
  return {
    model: m.name, engine, P, N: m.N, mode: directions === undefined ? 'parameters' : 'directions', h, atol, rtol, precision,
    loss: f32 ? L(m.p) : loss64, records, worst,
    summary: {
      checked: records.length, passed: count('pass'), failed: count('fail'), kinks: count('kink'),
      maxAbsError: Math.max(...records.map((r) => r.absError)), maxRelError: Math.max(...records.map((r) => r.relError)),
    },
    pass: count('fail') === 0,
  };
}
