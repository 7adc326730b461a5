/**
 * `npm run bench:practice`: how long the practice checker takes to grade one
 * answer, after start-up (the sets loaded, each item's exact answer worked
 * out once, as `downhill practice` does before the first prompt). Every
 * answer of the corpus (test/fixtures/practice-corpus.ts) that is not a
 * prediction (a prediction's time is its run's) is graded `--rounds` times;
 * the figure per answer is the median of its rounds. Reported: the median,
 * 95th percentile and largest of those, the first (cold) grading of each
 * answer (after the one warm-up verdict that `downhill practice` makes
 * before its first prompt), the preparation per item, and as a baseline measured in the same
 * run the engine's own `derivative()` of each formula item (the ratio
 * verdict/derivative says what the checker adds). The load average is
 * printed: on a busy machine the absolute figures can be several times off.
 *
 *   npm run bench:practice
 *   npm run bench:practice -- --rounds 20 --json
 */
import { loadavg } from 'node:os';
import { parseBounded, parseFlags } from '../src/cli/args.ts';
import { allSets } from '../src/cli/practice.ts';
import { gradeAnswer, itemsOf, prepareItem, warmUp, type PreparedItem } from '../src/practice/practice.ts';
import { derivative } from '../src/diff/derivative.ts';
import { expandWith } from '../src/practice/formula.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { corpus } from '../test/fixtures/practice-corpus.ts';
import { median } from './stats.ts';

const { values } = parseFlags(process.argv.slice(2), { rounds: { type: 'string' }, json: { type: 'boolean' } }, 0);
const rounds = values.rounds === undefined ? 9 : parseBounded(values.rounds, '--rounds', { integer: true, min: 1, max: 1000 });
const load = loadavg()[0]!;

const t0 = performance.now();
const sets = await allSets();
const loadMs = performance.now() - t0;
const prepared = new Map<string, PreparedItem>();
const prepMs: number[] = [];
for (const set of sets) {
  for (const item of itemsOf(set)) {
    const t = performance.now();
    prepared.set(`${set.lesson}/${item.id}`, prepareItem(item));
    prepMs.push(performance.now() - t);
  }
}

// As downhill practice does before its first prompt: one throwaway verdict, so that V8 has compiled the checker.
const t1 = performance.now();
warmUp(prepared.values());
const warmUpMs = performance.now() - t1;

const answers = corpus.filter(([lesson, id]) => prepared.get(`${lesson}/${id}`)!.item.kind !== 'prediction');
const cold: number[] = [];
const warm: number[] = [];
const baseline: number[] = [];
const ratios: number[] = [];
for (const [lesson, id, answer] of answers) {
  const p = prepared.get(`${lesson}/${id}`)!;
  let t = performance.now();
  gradeAnswer(p, answer);
  cold.push(performance.now() - t);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    t = performance.now();
    gradeAnswer(p, answer);
    times.push(performance.now() - t);
  }
  const m = median(times);
  warm.push(m);
  if ('formula' in p && p.item.kind === 'formula' && p.item.expression !== undefined && p.item.wrt !== undefined) {
    const f = expandWith(parseExpression(p.item.expression), p.formula.expanded);
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      t = performance.now();
      derivative(f, p.item.wrt);
      b.push(performance.now() - t);
    }
    baseline.push(median(b));
    ratios.push(m / median(b));
  }
}

const slowestAt = cold.indexOf(Math.max(...cold));
const slowest = `${answers[slowestAt]![0]}/${answers[slowestAt]![1]} "${answers[slowestAt]![2]}", answer ${slowestAt + 1} of ${answers.length}`;
const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
const pct = (xs: readonly number[], q: number): number => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const result = {
  loadAverage: load, answers: answers.length, rounds, setsLoadMs: loadMs, warmUpMs,
  prepareMs: { median: median(prepMs), max: Math.max(...prepMs) },
  verdictMs: { median: median(warm), p95: pct(warm, 0.95), max: Math.max(...warm) },
  firstVerdictMs: { median: median(cold), p95: pct(cold, 0.95), max: Math.max(...cold) },
  derivativeBaselineMs: { median: median(baseline) },
  verdictOverDerivative: { median: median(ratios), p95: pct(ratios, 0.95) },
  within50ms: warm.filter((x) => x <= 50).length,
  slowestFirstVerdict: slowest,
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  process.stdout.write([
    `practice checker, ${answers.length} answers of the corpus (predictions excluded), ${rounds} rounds each; load average ${load.toFixed(2)}`,
    `  loading the ${sets.length} sets: ${ms(loadMs)}; preparing an item: median ${ms(result.prepareMs.median)}, largest ${ms(result.prepareMs.max)}`,
    `  verdict per answer (median of its rounds): median ${ms(result.verdictMs.median)}, 95th percentile ${ms(result.verdictMs.p95)}, largest ${ms(result.verdictMs.max)}; ${result.within50ms} of ${answers.length} within 50 ms`,
    `  the warm-up verdict downhill practice makes before its first prompt: ${ms(warmUpMs)}`,
    `  first verdict of each answer after it: median ${ms(result.firstVerdictMs.median)}, 95th percentile ${ms(result.firstVerdictMs.p95)}, largest ${ms(result.firstVerdictMs.max)} (${slowest})`,
    `  baseline, the engine's derivative() of the same formula items: median ${ms(result.derivativeBaselineMs.median)}; verdict / derivative: median ${result.verdictOverDerivative.median.toFixed(1)}, 95th percentile ${result.verdictOverDerivative.p95.toFixed(1)}`,
  ].join('\n') + '\n');
}
