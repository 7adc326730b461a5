// Lesson 12: attention. One self-attention block learns to look a value up
// by its key; the engine derives its backward equations (the softmax's
// Jacobian among them), and the attention maps show what it learned to look at.
import {
  adam, checkAttentionTrainingWork, compileLayered, compileMatrixValues, countMatrixSvg, createStepper, defineLesson, greyToRgb, imageGridSvg, layeredEquations,
  layeredMatrixNetwork, linePlot, matrixRules, mreshape, mulberry32, normal, parseLayeredSpec, updateRule, type LessonDoc, type MNode,
} from 'downhill';

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const num = (v: number): string => (Math.abs(v) >= 1e-3 || v === 0 ? v.toPrecision(3) : v.toExponential(2));
/** A number as the tables and sentences show it, so comparisons agree with what the learner reads. */
const asShown = (v: number): number => Number(num(v));

/** The task: 4 key–value pairs, then a query token holding one of their keys; the answer is that pair's value. */
const KEYS = 8, VALUES = 4, PAIRS = 4, T = PAIRS + 1, WIDTH = KEYS + VALUES + 1;
const KEY_NAMES = 'ABCDEFGH';
/** One sequence, as the batch row holds it: T tokens of WIDTH numbers (key one-hot, value one-hot, query flag), then the answer one-hot. */
const ROW = T * WIDTH + VALUES;

/** `count` sequences from `rng` (exported for test/lesson-12.test.ts): keys distinct within a sequence, values drawn freely, the query one of the 4 keys. */
export function sequences(rng: () => number, count: number): Float64Array {
  const out = new Float64Array(count * ROW);
  for (let n = 0; n < count; n++) {
    const keys = Array.from({ length: KEYS }, (_, i) => i);
    for (let i = KEYS - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    const values = Array.from({ length: PAIRS }, () => Math.floor(rng() * VALUES));
    const asked = Math.floor(rng() * PAIRS);
    const r = n * ROW;
    for (let t = 0; t < PAIRS; t++) {
      out[r + t * WIDTH + keys[t]!] = 1;
      out[r + t * WIDTH + KEYS + values[t]!] = 1;
    }
    out[r + PAIRS * WIDTH + keys[asked]!] = 1;
    out[r + PAIRS * WIDTH + KEYS + VALUES] = 1;
    out[r + T * WIDTH + values[asked]!] = 1;
  }
  return out;
}

/** The index of the 1 among `count` numbers from `at`. */
const oneAt = (v: Float64Array, at: number, count: number): number => {
  for (let k = 0; k < count; k++) if (v[at + k] === 1) return k;
  return -1;
};
/** A token as text: "B→2" for a pair, "B?" for the query. */
function tokenText(data: Float64Array, n: number, t: number): string {
  const at = n * ROW + t * WIDTH;
  const key = KEY_NAMES[oneAt(data, at, KEYS)]!;
  return t === PAIRS ? `${key}?` : `${key}→${oneAt(data, at + KEYS, VALUES)}`;
}

/** A progress line on the terminal's error stream, only when it is a terminal. */
const tty = typeof process !== 'undefined' && process.stderr?.isTTY === true;
const progress = (line: string, end = false): void => {
  if (tty) process.stderr.write(`\r\x1b[2K${line}${end ? '\n' : ''}`);
};

export default defineLesson({
  number: 12, name: 'attention', title: 'Attention',
  summary: 'one self-attention block learns to look a value up by its key: the softmax\'s Jacobian and dQ, dK, dV derived',
  defaults: { epochs: 40, lr: 0.01, batch: 50, seed: 1, sequences: 4000 },
  limit: checkAttentionTrainingWork,
}, async (doc, { epochs, lr, batch, seed, sequences: nTrain }) => {
  // --- The task ------------------------------------------------------------------
  const rng = mulberry32(seed);
  const spec = parseLayeredSpec(`${T}x${WIDTH}-attn-mean-${VALUES}:softmax_ce`);
  const net = layeredMatrixNetwork(spec);
  const f = compileLayered(net);
  const p = new Float64Array(net.P);
  // weights: normal with standard deviation 1/√(inputs), biases 0
  for (const w of net.params) {
    if (w.kind !== 'param' || /^b/.test(w.name)) continue;
    const fanIn = w.shape[1] as number;
    for (let k = 0; k < (w.shape[0] as number) * fanIn; k++) p[w.offset + k] = normal(rng) / Math.sqrt(fanIn);
  }
  // as many held-out sequences as training ones, at most 1,000
  const HELD_OUT = Math.min(1000, nTrain);
  const train = sequences(rng, nTrain), test = sequences(rng, HELD_OUT);
  const B = Math.min(batch, nTrain);

  doc.section('Look a value up by its key');
  doc.text(`Each sequence holds ${PAIRS} pairs, a key (one of the letters ${KEY_NAMES.split('').join(', ')}, no letter twice) with a value (0 to ${VALUES - 1}), and then a query: one of the ${PAIRS} keys. The answer is the value paired with the query's key. Which token holds it changes from sequence to sequence, so no fixed weighting of the positions can find it: the network must compare the query with every key, which is what attention does. Each token is a column of ${WIDTH} numbers: ${KEYS} for its key (one 1), ${VALUES} for its value (one 1, none for the query) and 1 that marks the query. With seed ${seed}, ${nTrain.toLocaleString('en')} random sequences train the network and ${HELD_OUT.toLocaleString('en')} more (as many, at most 1,000), never seen while it learns, test it. Flags: --epochs, --lr, --batch, --seed, --sequences.`);
  doc.table(['sequence', ...Array.from({ length: PAIRS }, (_, t) => `token ${t + 1}`), 'query', 'answer'],
    Array.from({ length: Math.min(4, HELD_OUT) }, (_, n) => [n + 1, ...Array.from({ length: T }, (_, t) => tokenText(test, n, t)), oneAt(test, n * ROW + T * WIDTH, VALUES)]),
    { caption: 'The first held-out sequences: "B→2" is key B with value 2, "B?" asks for the value of key B.' });

  // --- The network ---------------------------------------------------------------
  doc.section('One self-attention block');
  const eqs = layeredEquations(net, f.gradient);
  doc.text(`The ${T} tokens of a sequence are the columns of a ${WIDTH} × ${T} matrix X. Each token asks a query $q_t = W_q x_t$, offers a key $k_t = W_k x_t$ and a value $v_t = W_v x_t$; the score of key i for query t is their dot product over √d (d = ${WIDTH}), a softmax down each column of scores turns them into weights that sum to 1, and each token receives the weighted mean of the values, added to itself (the residual). The mean over the ${T} tokens then feeds a dense layer with a score per value, and softmax cross-entropy compares it with the answer. In all ${net.P.toLocaleString('en')} parameters (description ${spec.text}), with a batch of N sequences side by side (${T}·N columns):`);
  for (const e of eqs.forward) doc.formula(`${e.lhs.tex} = ${e.rhs.tex.replace(/\\textstyle\s*/g, '')}`);

  // --- The derived backward pass -------------------------------------------------------
  doc.section('Backpropagation through attention, derived');
  doc.text(`Nothing below is typed in: the engine differentiates the graph above with one rule per operation and the chain rule, and prints the adjoints it built, from the loss down (d before a name marks the derivative of the loss with respect to it). The rule for a softmax down each column is $${matrixRules.softmax.tex}$, from the softmax's Jacobian; products per sequence follow the rule for a product, $${matrixRules.matmul.tex}$.`);
  for (const e of eqs.backward) doc.formula(`${e.lhs.tex} = ${e.rhs.tex}`);
  doc.table(['equation', 'shape'], eqs.backward.map((e) => [`${e.lhs.text} = ${e.rhs.text}`, e.shape]), { caption: 'The same equations as text, with their shapes for a batch of N sequences:' });

  // --- The softmax Jacobian on one column ------------------------------------------------
  doc.section('The softmax\'s Jacobian, in numbers');
  const named = (s: string): MNode => net.quantities.find((q) => q.name.text === s)!.node;
  const A = named('A'), S = named('S');
  const dA = f.gradient.adjointOf(A)!, dS = f.gradient.adjointOf(S)!;
  /** Per-sequence T × T blocks as T·T rows: entry i + T·t is row i (key) of column t (query). */
  const flat = (n: MNode): MNode => mreshape(n, [T * T, 'N']);
  const valuesAt = compileMatrixValues([flat(A), flat(S), flat(dA), flat(dS)], ROW);
  const first = test.subarray(0, ROW);
  const [a0, s0, da0, ds0] = valuesAt(p, first, 1);
  const col = (v: Float64Array, t: number): number[] => Array.from({ length: T }, (_, i) => v[t * T + i]!);
  const aq = col(a0!, PAIRS), sq = col(s0!, PAIRS), daq = col(da0!, PAIRS), dsq = col(ds0!, PAIRS);
  const jac = aq.map((ai, i) => aq.map((aj, j) => ai * ((i === j ? 1 : 0) - aj)));
  const names = Array.from({ length: T }, (_, t) => `${t + 1} ${tokenText(test, 0, t)}`);
  doc.text(`Take the first held-out sequence at the initial weights, and the query token's column of scores s (its query against the ${T} keys) and weights a = softmax(s). Each weight depends on every score: $\\partial a_i/\\partial s_j = a_i(\\delta_{ij} - a_j)$, positive on the diagonal (raising a score raises its own weight) and negative off it (it takes weight from the others). At this column's numbers:`);
  doc.table(['i', 's_i', 'a_i', ...names.map((_, j) => `j = ${j + 1}`)],
    names.map((nm, i) => [nm, num(sq[i]!), num(aq[i]!), ...jac[i]!.map((v) => num(v))]),
    { caption: `The Jacobian of the softmax on the query's column (token ${T}) of the first held-out sequence: in row i, column j, ∂a_i/∂s_j = a_i(δ_ij − a_j) from the weights a. Each row sums to 0, since the weights always sum to 1.` });
  // the table's Jacobian applied to the engine's dA gives the engine's dS
  const viaTable = aq.map((_, j) => aq.reduce((s, _a, i) => s + jac[i]![j]! * daq[i]!, 0));
  const gap = Math.max(...viaTable.map((v, j) => Math.abs(v - dsq[j]!)));
  const scale = Math.max(...dsq.map(Math.abs));
  const rowSums = Math.max(...jac.map((r) => Math.abs(r.reduce((s, v) => s + v, 0))));
  doc.text(`Checked against the engine: on this sequence alone, the engine's compiled gradient gives dA and dS for this column; the table's Jacobian applied to dA, $dS_j = \\sum_i (\\partial a_i/\\partial s_j)\\, dA_i$, differs from the engine's dS by at most ${num(gap)}${scale > 0 ? ` (its largest entry is ${num(scale)})` : ''}. The rows of the table sum to 0 within ${num(rowSums)}. That sum is the derived rule $dS = A \\odot (dA - \\mathbf 1 \\mathbf 1^T (dA \\odot A))$ written out for one column.`);
  doc.table(['j', 'dA_j (engine)', 'dS_j (engine)', 'Σ_i ∂a_i/∂s_j · dA_i (table)'],
    names.map((nm, j) => [nm, num(daq[j]!), num(dsq[j]!), num(viaTable[j]!)]),
    { caption: 'The engine\'s adjoints of the query\'s column on the first held-out sequence, and the same dS from the table\'s Jacobian.' });

  // --- Attention maps before training --------------------------------------------------
  const shownMaps = Math.min(6, HELD_OUT);
  const mapsOf = (at: Float64Array): Float64Array => valuesAt(at, test.subarray(0, shownMaps * ROW), shownMaps)[0]!;
  /** A sequence's T × T map as pixels, a row per query token, a column per key token (the transpose of A's block). */
  const mapImage = (maps: Float64Array, n: number): Uint8Array => greyToRgb(Array.from({ length: T * T }, (_, k) => maps[n * T * T + (k % T) * T + Math.floor(k / T)]!));
  const drawMaps = (doc: LessonDoc, maps: Float64Array, when: string): void => {
    doc.plot(imageGridSvg(Array.from({ length: shownMaps }, (_, n) => ({ rgb: mapImage(maps, n), caption: `${tokenText(test, n, PAIRS)} = ${oneAt(test, n * ROW + T * WIDTH, VALUES)}` })), { width: T, height: T, columns: shownMaps, scale: 16 }),
      `Attention maps ${when} of the first ${shownMaps} held-out sequences, captioned with their query and answer. In each ${T} × ${T} square, row t is token t's weights over the ${T} tokens (left to right: the ${PAIRS} pairs, then the query), dark for weight 1, white for 0; the bottom row is the query's.`);
  };
  /** The query's mean weight on the pair holding its key, over the held-out sequences. */
  const allMaps = compileMatrixValues([flat(A)], ROW);
  const lookup = (at: Float64Array): number => {
    const m = allMaps(at, test, HELD_OUT)[0]!;
    let s = 0;
    for (let n = 0; n < HELD_OUT; n++) {
      const key = oneAt(test, n * ROW + PAIRS * WIDTH, KEYS);
      for (let t = 0; t < PAIRS; t++) if (test[n * ROW + t * WIDTH + key] === 1) s += m[n * T * T + PAIRS * T + t]!;
    }
    return s / HELD_OUT;
  };
  doc.section('Where the tokens look, before training');
  drawMaps(doc, mapsOf(p), 'at the initial weights');
  const lookup0 = lookup(p);
  doc.text(`At the initial weights the query token puts ${pct(lookup0)} of its weight, on average over the held-out sequences, on the pair that holds its key (${pct(1 / T)} would be an even spread over the ${T} tokens).`);

  // --- Training -------------------------------------------------------------------------
  doc.section('Training');
  const outputs = compileMatrixValues([net.quantities[net.quantities.length - 2]!.node], ROW);
  const predictions = (at: Float64Array): Uint8Array => {
    const out = outputs(at, test, HELD_OUT)[0]!;
    const predicted = new Uint8Array(HELD_OUT);
    for (let n = 0; n < HELD_OUT; n++) {
      let best = 0;
      for (let c = 1; c < VALUES; c++) if (out[n * VALUES + c]! > out[n * VALUES + best]!) best = c;
      predicted[n] = best;
    }
    return predicted;
  };
  const answers = Uint8Array.from({ length: HELD_OUT }, (_, n) => oneAt(test, n * ROW + T * WIDTH, VALUES));
  // The answers given most often among the held-out sequences: one, or several tied.
  const counts = Array.from({ length: VALUES }, (_, v) => answers.filter((y) => y === v).length);
  const most = Math.max(...counts);
  const commonest = { values: counts.flatMap((c, v) => (c === most ? [v] : [])), share: most / HELD_OUT };
  const baseline = commonest.values.length === 1
    ? `always answering ${commonest.values[0]}, the most frequent answer among them, would score ${pct(commonest.share)}`
    : `always answering ${commonest.values.slice(0, -1).join(', ')} or ${commonest.values.at(-1)}, tied as the most frequent answers among them (${commonest.values.length === VALUES ? 'every answer as often as every other' : `each ${counts[commonest.values[0]!]} times`}), would score ${pct(commonest.share)}`;
  const accuracy = (at: Float64Array): number => predictions(at).reduce((s, v, n) => s + (v === answers[n] ? 1 : 0), 0) / HELD_OUT;
  const optimizer = adam(lr);
  const step = createStepper(optimizer, net.P);
  const rule = updateRule(optimizer);
  const perEpoch = Math.floor(nTrain / B);
  doc.text(`Adam with η = ${lr} and its usual β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸: each epoch shuffles the ${nTrain.toLocaleString('en')} training sequences, cuts them into ${perEpoch} batches of ${B}${nTrain % B === 0 ? '' : ` (the last ${nTrain % B} wait for the next shuffle)`}, and takes one step per batch with the gradient above: $${rule.tex}$.`);
  const start = { trainLoss: f.loss(p, train), testLoss: f.loss(p, test), acc: accuracy(p) };
  const records: { epoch: number; trainLoss: number; testLoss: number; acc: number; seconds: number }[] = [];
  const g = new Float64Array(net.P), u = new Float64Array(net.P), buffer = new Float64Array(B * ROW);
  const trained = Float64Array.from(p);
  let failed: { epoch: number; batch: number } | undefined;
  /**
   * The rest of the lesson for the epochs finished so far: written once training ends, and at each
   * epoch's checkpoint (the live page shows it as progress: the same page as --epochs e).
   */
  const finish = (doc: LessonDoc): void => {
    const seconds = records.reduce((sum, r) => sum + r.seconds, 0); // the epochs' own times (a live page's drawing of its checkpoints left out)
    doc.table(['epoch', 'training loss', 'held-out loss', 'held-out accuracy', 'seconds'],
      [[0, num(start.trainLoss), num(start.testLoss), pct(start.acc), ''], ...records.map((r) => [r.epoch, num(r.trainLoss), num(r.testLoss), pct(r.acc), r.seconds.toFixed(2)])],
      { caption: 'The mean loss over all training sequences and over the held-out ones, and the held-out accuracy, at the weights after each epoch; epoch 0 is before training.' });
    if (failed) {
      doc.note(`Training diverged: the loss stopped being a finite number in epoch ${failed.epoch}${failed.batch > 0 ? `, batch ${failed.batch}` : ''}, so training stopped there${records.length > 0 ? ` (the table shows the ${records.length} finished epoch${records.length === 1 ? '' : 's'})` : ''}. Try a smaller --lr.`);
    }
    const last = records.at(-1);
    const final = last ?? { epoch: 0, ...start };
    const span = `${final.epoch} epoch${final.epoch === 1 ? '' : 's'}`;
    if (last) {
      const grew = asShown(last.trainLoss) > asShown(start.trainLoss);
      const lossTrend = grew ? `went up from ${num(start.trainLoss)} to ${num(last.trainLoss)}` : asShown(last.trainLoss) < asShown(start.trainLoss) ? `went down from ${num(start.trainLoss)} to ${num(last.trainLoss)}` : `stayed at ${num(last.trainLoss)}`;
      const accTrend = pct(last.acc) === pct(start.acc) ? `stayed at ${pct(last.acc)}` : `${last.acc > start.acc ? 'rose' : 'fell'} from ${pct(start.acc)} to ${pct(last.acc)}`;
      doc.text(`Over ${span} (${seconds.toFixed(1)} s on this machine) the training loss ${lossTrend}, and the share of held-out sequences answered right ${accTrend} (${baseline}). ${last.acc >= 0.95 ? 'That is at least 95%: the block has learned the look-up.' : `That is below 95%: the look-up is not learned at these settings.${grew ? '' : ' Try more --epochs or --sequences.'}`}`);
      if (grew) doc.note(`Training diverged: instead of going down, the loss over the training sequences grew from ${num(start.trainLoss)} before training to ${num(last.trainLoss)}. Try a smaller --lr (here η = ${lr}).`);
      const curve = (key: 'trainLoss' | 'testLoss'): (readonly [number, number])[] => [[0, start[key]] as const, ...records.map((r) => [r.epoch, r[key]] as const)];
      doc.plot(linePlot({ series: [{ name: 'training loss', points: curve('trainLoss') }, { name: 'held-out loss', points: curve('testLoss') }], xLabel: 'epoch', yLabel: 'mean cross-entropy', points: true }),
        'The loss after each epoch (epoch 0: before training), on all training sequences and on the held-out ones.');
    }

    // --- After training ---------------------------------------------------------------------
    /** The maps, the look-up share and the counts at the trained weights (after epoch `epoch`). */
    const drawAfter = (epoch: number): void => {
      drawMaps(doc, mapsOf(trained), `after epoch ${epoch}`);
      const lookup1 = lookup(trained);
      doc.text(`After epoch ${epoch} the query token puts ${pct(lookup1)} of its weight on the pair holding its key, on average over the held-out sequences (${pct(lookup0)} before training)${lookup1 > lookup0 ? '' : ': training did not sharpen that look-up'}.`);
      const predicted = predictions(trained);
      const confusion = Array.from({ length: VALUES }, () => new Array<number>(VALUES).fill(0));
      answers.forEach((y, n) => { confusion[y]![predicted[n]!]!++; });
      const wrong = predicted.reduce((s, v, n) => s + (v !== answers[n] ? 1 : 0), 0);
      doc.plot(countMatrixSvg(confusion, { rowLabel: 'answer', columnLabel: 'predicted' }),
        `Answers against predictions on the ${HELD_OUT.toLocaleString('en')} held-out sequences after epoch ${epoch}: the diagonal holds the right ones.`);
      doc.table(['answer', ...Array.from({ length: VALUES }, (_, c) => `predicted ${c}`)], confusion.map((r, y) => [y, ...r]),
        { caption: `The same counts: ${wrong} of ${HELD_OUT.toLocaleString('en')} held-out sequences answered wrong.` });
    };
    doc.section('Where the tokens look, after training');
    if (!last) doc.text('No epoch finished, so there are no trained weights to draw.');
    else drawAfter(last.epoch);

    // --- Exercises -----------------------------------------------------------
    // The items of the practice set lessons/practice/12-attention.ts (the default variant), each graded by the
    // engine: downhill practice 12. test/lesson-exercises.test.ts checks that they are the set's prompts.
    doc.section('Exercises');
    doc.exercise('One sequence of T tokens is the matrix X, a token per column: $Q = W_q X$, $K = W_k X$, $V = W_v X$, $A = \\operatorname{softmax}(K^T Q/\\sqrt{13})$ down each column, $O = V A$. Given $dO = \\partial L/\\partial O$ (`dO`), write $dV = \\partial L/\\partial V$. (Matrices: `X` 13 × 5, `Wq` 13 × 13, `Wk` 13 × 13, `Wv` 13 × 13, `dO` 13 × 5, `dS` 5 × 5; names: `Q`, `K`, `V`, `A`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 12` (exercise 1)');
    doc.exercise('Write $dA = \\partial L/\\partial A$ in terms of $dO$ (`dO`). (Matrices: `X` 13 × 5, `Wq` 13 × 13, `Wk` 13 × 13, `Wv` 13 × 13, `dO` 13 × 5, `dS` 5 × 5; names: `Q`, `K`, `V`, `A`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 12` (exercise 2)');
    doc.exercise('Given $dS$ (`dS`), the derivative of the loss with respect to the scores $S = K^T Q/\\sqrt{13}$, write $dQ$. (Matrices: `X` 13 × 5, `Wq` 13 × 13, `Wk` 13 × 13, `Wv` 13 × 13, `dO` 13 × 5, `dS` 5 × 5; names: `Q`, `K`, `V`, `A`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 12` (exercise 3)');
    doc.exercise('Given $dS$ (`dS`), write $dK$. (Matrices: `X` 13 × 5, `Wq` 13 × 13, `Wk` 13 × 13, `Wv` 13 × 13, `dO` 13 × 5, `dS` 5 × 5; names: `Q`, `K`, `V`, `A`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 12` (exercise 4)');
    doc.exercise('How many parameters has the lesson\'s network: $W_q$, $W_k$, $W_v$, $W_o$ (13 × 13 each), then a dense layer from 13 to 4 values with a bias? (Exactly.)', '`downhill practice 12` (exercise 5)');
    doc.exercise('A column of attention weights has $a_1 = 0.5$ and $a_2 = 0.3$. What is $\\partial a_1/\\partial s_2$? (Within ±1e-9.)', '`downhill practice 12` (exercise 6)');
  };
  for (let e = 1; e <= epochs && !failed; e++) {
    const te = performance.now();
    const order = Array.from({ length: nTrain }, (_, n) => n);
    for (let i = nTrain - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let b = 0; b < perEpoch; b++) {
      for (let n = 0; n < B; n++) buffer.set(train.subarray(order[b * B + n]! * ROW, order[b * B + n]! * ROW + ROW), n * ROW);
      const L = f.lossAndGradient(p, g, buffer, B);
      if (!Number.isFinite(L)) { failed = { epoch: e, batch: b + 1 }; break; }
      step(g, u);
      for (let k = 0; k < net.P; k++) p[k] = p[k]! + u[k]!;
    }
    if (failed) break;
    const r = { epoch: e, trainLoss: f.loss(p, train), testLoss: f.loss(p, test), acc: accuracy(p), seconds: (performance.now() - te) / 1000 };
    if (!Number.isFinite(r.trainLoss) || !Number.isFinite(r.testLoss)) { failed = { epoch: e, batch: perEpoch }; break; }
    records.push(r);
    trained.set(p);
    progress(`epoch ${e}/${epochs}: training loss ${num(r.trainLoss)}, held-out loss ${num(r.testLoss)}, held-out accuracy ${pct(r.acc)}`);
    await doc.checkpoint({ done: e, total: epochs, unit: 'epoch' }, finish);
  }
  progress('', true);
  finish(doc);
});
