/**
 * The mathjs comparison on one reference model, run as its own process so
 * that the benchmark can kill it past a time limit:
 *
 *   node --import tsx bench/mathjs-run.ts mlp321
 *   // prints one JSON line: {"id":"mlp321","setup_ms":..,"grad_us":..,"loss":..,"max_rel_vs_compiled":..}
 *
 * Set-up: parse the batch loss written out as one expression
 * (batch-loss-text.ts), then for every parameter mathjs `derivative` and
 * `compile()`. One gradient: `evaluate(scope)` of all P compiled
 * derivatives. No simplification (mathjs's `simplify` is slower still).
 */
import { derivative, parse, type EvalFunction } from 'mathjs';
import { referenceModel } from '../src/nn/reference.ts';
import { networkLoss, referenceBatch } from '../src/nn/network-loss.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { batchLossText } from './batch-loss-text.ts';
import { isMain, maxRelativeDifference, median } from './stats.ts';

export interface MathjsResult {
  readonly id: string;
  readonly setup_ms: number;
  readonly grad_us: number;
  /** The loss mathjs evaluates at the initial weights. */
  readonly loss: number;
  /** Largest relative difference of mathjs's gradient from the compiled one (maxRelativeDifference). */
  readonly max_rel_vs_compiled: number;
  readonly peak_rss_mb: number;
}

/** Sets up mathjs's gradient of the model's batch loss and times it (at most `budgetMs` for the timing runs). */
export function measureMathjs(id: string, budgetMs = 3000): MathjsResult {
  const m = referenceModel(id);
  const { text, params } = batchLossText(m);
  const t0 = performance.now();
  const tree = parse(text);
  const compiled: EvalFunction[] = params.map((w) => derivative(tree, w, { simplify: false }).compile());
  const setup = performance.now() - t0;
  const lossFn = tree.compile();
  const scope: Record<string, number> = {};
  params.forEach((w, k) => { scope[w] = m.p[k]!; });
  const g = new Float64Array(m.P);
  const gradient = (): void => {
    for (let k = 0; k < compiled.length; k++) g[k] = compiled[k]!.evaluate(scope) as number;
  };
  const times: number[] = [];
  const start = performance.now();
  do {
    const a = performance.now();
    gradient();
    times.push((performance.now() - a) * 1000);
  } while (times.length < 200 && performance.now() - start < budgetMs);

  const nl = networkLoss(m.layers, m.loss, 'indexed');
  const f = compileGradient(nl.loss, { params: nl.params, data: nl.data, reduce: nl.reduce });
  const ours = new Float64Array(m.P);
  f.lossAndGradient(m.p, ours, referenceBatch(m));
  return {
    id,
    setup_ms: setup,
    grad_us: median(times),
    loss: lossFn.evaluate(scope) as number,
    max_rel_vs_compiled: maxRelativeDifference(ours, g),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

if (isMain(import.meta.url)) {
  const id = process.argv[2] ?? '';
  process.stdout.write(`${JSON.stringify(measureMathjs(id))}\n`);
}
