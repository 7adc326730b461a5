// Lesson 3: gradient descent and the learning rate. Step against the slope,
// w ← w − η·L'(w), from the same start with four rates: too small, good, one
// that overshoots and oscillates, one that diverges. For a quadratic loss
// the engine derives the exact bound η < 2 / curvature.
import {
  continuation, defineLesson, derivative, diagnose, div, evaluate, formatNumber, gd, linePlot, mul, parseExpression, stopMessage, sub, substitute, sum, sym, toTex, train, verdictLabel,
  type Node, type TrainOptions, type TrainResult,
} from 'downhill';

const num = (v: number): string => formatNumber(v, 6);

// The data and the loss of lessons 1 and 2.
const data: readonly (readonly [number, number])[] = [[1, 1.5], [2, 2.9], [3, 4.8], [4, 6.1]];

/**
 * What the factor r = 1 − η·L″ does to the distance from the bottom at each
 * step, by the algebra alone (what a run did is its diagnosis, below).
 */
function theory(r: number): string {
  if (Math.abs(r + 1) <= 1e-12) return 'flips sign, same size: bounces between two points';
  if (r < -1) return 'flips sign and grows';
  if (r < 0) return 'flips sign and shrinks';
  if (Math.abs(r) <= 1e-12) return 'is zero after one step';
  return r > 0.85 ? 'shrinks slowly' : 'shrinks';
}

/** Where η lies against 1/L″ and 2/L″, from the factor r = 1 − η·L″ alone: true at any number of steps. */
function region(r: number): string {
  if (Math.abs(r + 1) <= 1e-12) return "at the bound $2/L''$";
  if (r < -1) return "beyond the bound $2/L''$";
  if (Math.abs(r) <= 1e-12) return "exactly $1/L''$";
  if (r < 0) return "between $1/L''$ and $2/L''$";
  return "under $1/L''$";
}

export default defineLesson({
  number: 3, name: 'learning-rate', title: 'Gradient descent and the learning rate',
  summary: 'four learning rates from the same start, on both sides of the exact bound η < 2/curvature, and what each run does',
  defaults: { lr: 0.1, steps: 15 },
}, (doc, { lr, steps }) => {
  // --- The rule ------------------------------------------------------------
  doc.section('Step against the slope');
  const perSample = parseExpression('(y - w*x)^2');
  // The same error written x·w, so that a substituted x reads 2w rather than w·2.
  const perSampleXW = parseExpression('(y - x*w)^2');
  const L: Node = div(sum(data.map(([x, y]) => substitute(perSampleXW, new Map([['x', x], ['y', y]])))), data.length);
  doc.expression(L, { label: 'L(w)' });
  const dL = derivative(L, 'w');
  doc.expression(dL.node, { label: "L'(w)" });
  doc.text('Gradient descent starts somewhere and repeats one rule: move $w$ against the slope, by the slope times a small number $\\eta$, the learning rate.');
  doc.formula("w_{k+1} = w_{k} - \\eta \\, L'(w_{k})");

  // --- The exact bound -----------------------------------------------------
  doc.section('How big may $\\eta$ be?');
  const d2 = derivative(dL.node, 'w');
  const c = evaluate(d2.node, {});
  doc.text('Differentiate once more: the curvature of this loss is a constant, because the loss is a parabola.');
  doc.expression(d2.node, { label: "L''(w)" });
  const update = sub(sym('w'), mul(sym('eta'), dL.node));
  const factor = derivative(update, 'w');
  doc.text('One step maps $w_{k}$ to $w_{k+1}$. How much does it stretch distances? The engine differentiates the update rule itself, and the terms collect:');
  // The engine's result, then what it means, on one line (the same left side printed twice read as a repeat).
  const perEta = evaluate(factor.node, { eta: 1 }) - evaluate(factor.node, { eta: 0 });
  doc.formula(`\\frac{\\partial w_{k+1}}{\\partial w_{k}} = ${toTex(factor.node)} = 1 - L''\\,\\eta`);
  const wStar = evaluate(sub(sym('w'), div(dL.node, c)), { w: 0 });
  doc.text(`Since $L'(w) = ${num(c)}\\,(w - w^{*})$, with the bottom at $w^{*} = ${num(wStar)}$, each step multiplies the distance to the bottom by exactly this factor:`);
  doc.formula(`w_{k+1} - w^{*} = (1 - ${num(c)}\\,\\eta)\\,(w_{k} - w^{*})`);
  const bound = 2 / c;
  doc.text('The distance shrinks when the factor lies between −1 and 1, that is when');
  doc.formula(`0 < \\eta < \\frac{2}{L''} = \\frac{2}{${num(c)}} = ${num(bound)}`);
  doc.text(`Between $1/L'' = ${num(1 / c)}$ and the bound the factor is negative: each step jumps over the bottom, and the jumps shrink. Exactly at the bound the factor is $-1$: $w$ bounces between two points forever. Beyond the bound the jumps grow.`);

  // --- Four rates side by side --------------------------------------------
  doc.section('Four rates, one start');
  const start = 0;
  const rates: readonly { lr: number }[] = [{ lr: 0.005 }, { lr: 0.05 }, { lr: 0.12 }, { lr: 0.14 }];
  const minimum = evaluate(L, { w: wStar });
  const setup = (eta: number): TrainOptions => ({
    loss: perSample, params: ['w'], data: ['x', 'y'], batch: data.map((r) => [...r]), init: [start], optimizer: gd(eta), steps,
  });
  const descend = (eta: number): TrainResult => train(setup(eta));
  const runs = rates.map((r) => {
    const run = descend(r.lr);
    return { ...r, run, diagnosis: diagnose(run, { minimum }) };
  });
  doc.text(`Each rate runs ${steps} ${steps === 1 ? 'step' : 'steps'} from $w_{0} = ${start}$ (change with --steps). The factor says what each step does to the distance from the bottom; the last columns say what the run did.`);
  // A run that diverged stopped early: it has no w after `steps` steps (the note below says where it stopped).
  doc.table(['$\\eta$', 'where $\\eta$ lies', "factor $1 - \\eta L''$", 'each step, the distance to the bottom', 'the run', `$w$ after ${steps} ${steps === 1 ? 'step' : 'steps'}`, 'loss there'], runs.map((r) => {
    const stopped = r.run.stop.reason === 'diverged';
    return [r.lr, region(1 - r.lr * c), 1 - r.lr * c, theory(1 - r.lr * c), verdictLabel(r.diagnosis), stopped ? '—' : r.run.p[0]!, stopped ? '—' : r.run.loss];
  }));
  const wAt = (run: TrainResult, k: number): number | string => run.steps[k]?.p[0] ?? '';
  const shown = Math.min(steps, 40);
  doc.table(['step', ...runs.map((r) => `$w$ ($\\eta = ${r.lr}$)`)], Array.from({ length: shown + 1 }, (_, k) => [k, ...runs.map((r) => wAt(r.run, k))]), {
    caption: 'The parameter, step by step:',
  });
  for (const r of runs) if (r.run.stop.reason === 'diverged') doc.note(`$\\eta = ${r.lr}$: ${stopMessage(r.run.stop)}`);
  doc.plot(linePlot({
    series: [
      ...runs.map((r) => ({ name: `η = ${r.lr}`, points: r.run.steps.slice(0, shown + 1).map((s) => [s.step, s.p[0]!] as const) })),
      { name: 'the bottom w*', points: [[0, wStar], [shown, wStar]] as const },
    ],
    xLabel: 'step k', yLabel: 'wₖ', points: true,
  }), `$w$ by step for the four rates: ${runs.map((r) => `$\\eta = ${r.lr}$: ${verdictLabel(r.diagnosis)}`).join('; ')}.`);

  // --- Your rate ------------------------------------------------------------
  doc.section('Your rate');
  const mine = descend(lr);
  // What comes after the run is computed by continuing it (at most 10,000 more steps), never projected.
  const verdict = diagnose(mine, { minimum, continued: continuation(setup(lr)) });
  const r = 1 - lr * c;
  doc.text(`With $\\eta = ${lr}$ (choose another with --lr) the factor is $1 - ${num(c)} \\cdot ${lr} = ${num(r)}$: at each step the distance to the bottom ${theory(r)}. The run of ${mine.steps.length - 1} ${mine.steps.length === 2 ? 'step' : 'steps'} from $w_{0} = ${start}$ ${verdict.summary}.${mine.stop.reason === 'steps' ? '' : ` Training ${stopMessage(mine.stop)}.`}${Math.abs(r) > 1 ? ` On this parabola the factor shrinks the distance for every $\\eta$ strictly between 0 and $2/${num(c)} \\approx ${num(2 / c)}$: any of them converges.` : ''}`);
  doc.note('For a network the loss is not a parabola, but near a minimum it looks like one, with a curvature along each direction. The steepest direction sets the bound for all of them: lesson 9 shows what that does in a long narrow valley.');

  // --- Exercises -----------------------------------------------------------
  // The items of the practice set lessons/practice/03-learning-rate.ts (the default variant), each graded by the
  // engine: downhill practice 3. test/lesson-exercises.test.ts checks that they are the set's prompts.
  doc.section('Exercises');
  doc.exercise('Write one step of gradient descent on this loss, $L\'(w) = 15 w - 23.05$: the new $w$ as a formula in $w$ and the learning rate `eta`.', '`downhill practice 3` (exercise 1)');
  doc.exercise('Each step multiplies the distance to the bottom by a factor: write it as a formula in `eta` (the curvature is $L\'\' = 15$).', '`downhill practice 3` (exercise 2)');
  doc.exercise('Which $\\eta$ lands on the bottom in one step? (Make the factor 0.) (Within ±0.0005.)', '`downhill practice 3` (exercise 3)');
  doc.exercise('Above which $\\eta$ do the steps grow instead of shrink? (The factor reaches $-1$.) (Within ±0.0005.)', '`downhill practice 3` (exercise 4)');
  doc.exercise('With $\\eta = 0.135$, from $w = 0$, predict the distance to the bottom after 40 steps as a multiple of the first distance (below 1: it shrank; above 1: it grew). (Within 5% of what the run does; the run is done after you answer.)', '`downhill practice 3` (exercise 5)');
  doc.exercise('Predict what exactly $\\eta = 2/15$ does over 15 steps: the distance to the bottom after 15 steps as a multiple of the first. (Within 5% of what the run does; the run is done after you answer.)', '`downhill practice 3` (exercise 6)');
});
