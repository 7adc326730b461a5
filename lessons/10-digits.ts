// Lesson 10: handwritten digits. The 784-30-10 network of the classic
// textbook chapter learns real MNIST digits; backpropagation in matrix form,
// derived by the engine, next to the numbers of one mini-batch.
import {
  article, backpropEquations, compileMatrixGradient, counted, compileMatrixValues, countMatrixSvg, defineLesson, divergingRgb, DIGIT_PIXELS,
  forwardEquations, greyToRgb, imageGridSvg, linePlot, loadDigits, matrixNetwork, matrixRules, mulberry32, normal, sgdEpoch, shapeText, type LessonDoc, type MNode,
} from 'downhill';

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const num = (v: number): string => (Math.abs(v) >= 1e-3 ? v.toPrecision(3) : v.toExponential(2));
/** A number as the tables and sentences show it, so comparisons agree with what the learner reads. */
const asShown = (v: number): number => Number(num(v));
const rms = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s / Math.max(1, v.length));
};

/** The index of the largest of out[n·C .. n·C + C − 1]. */
function argmax(out: Float64Array, n: number, C: number): number {
  let best = 0;
  for (let c = 1; c < C; c++) if (out[n * C + c]! > out[n * C + best]!) best = c;
  return best;
}

/** A progress line on the terminal's error stream, only when it is a terminal. */
const tty = typeof process !== 'undefined' && process.stderr?.isTTY === true;
const progress = (line: string, end = false): void => {
  if (tty) process.stderr.write(`\r\x1b[2K${line}${end ? '\n' : ''}`);
};

export default defineLesson({
  number: 10, name: 'digits', title: 'Handwritten digits',
  summary: 'a 784-30-10 network learns real handwritten digits: backpropagation in matrix form',
  defaults: { epochs: 10, lr: 1, batch: 32, hidden: 30, seed: 1, digits: 10000 },
}, async (doc, { epochs, lr, batch: B, hidden: H, seed, digits }) => {
  // --- The data --------------------------------------------------------------
  const nTrain = Math.round(0.8 * digits), nTest = digits - nTrain;
  const data = await loadDigits({ seed, train: nTrain, test: nTest });
  const D = DIGIT_PIXELS + 10;
  doc.section('Ten thousand handwritten digits');
  doc.text(`The mnist package holds ${data.available.toLocaleString('en')} real handwritten digits, each a 28 × 28 image of grey levels between 0 (paper) and 1 (ink). Shuffled with seed ${seed}, ${nTrain.toLocaleString('en')} of them train the network and the next ${nTest.toLocaleString('en')} test it: the network never sees those while it learns. Flags: --epochs, --lr, --batch, --hidden, --seed, --digits.`);
  const firstImages = Array.from({ length: Math.min(20, nTrain) }, (_, n) => ({
    rgb: greyToRgb(data.train.batch.subarray(n * D, n * D + DIGIT_PIXELS)), caption: String(data.train.labels[n]),
  }));
  doc.plot(imageGridSvg(firstImages, { width: 28, height: 28, columns: 10 }), `The first ${firstImages.length} training digits with their labels.`);

  // --- The network in matrix form --------------------------------------------
  doc.section('The network, one layer at a time');
  const layers = [
    { in: DIGIT_PIXELS, out: H, activation: 'sigmoid', bias: true },
    { in: H, out: 10, activation: 'identity', bias: true },
  ] as const;
  const net = matrixNetwork(layers, 'softmax_ce');
  const f = compileMatrixGradient(net);
  doc.text(`${counted(H, 'sigmoid unit')} see${H === 1 ? 's' : ''} the 784 pixels, 10 outputs give a score (logit) per digit, and softmax cross-entropy compares them with the label. That is ${net.P.toLocaleString('en')} parameters. Written per weight, lessons 1–8 style, that would be ${net.P.toLocaleString('en')} formulas; written per layer, the whole network is a few lines, with a batch of N digits as a matrix with one column per digit:`);
  doc.text('From here on, with layers of many units, a layer\'s pre-activations are $z^{(l)}$ and its activations $a^{(l)}$, one row per unit and one column per digit: the hidden values that lessons 4 and 8 called $h$ are $a^{(1)}$, and the inputs are $a^{(0)} = x$.');
  for (const e of forwardEquations(net)) doc.formula(`${e.lhs.tex} = ${e.rhs.tex}`);
  doc.text(`Here $\\mathbf{1}$ is a column of ones: $b\\,\\mathbf{1}^{T}$ copies the bias to every digit of the batch. The engine differentiates these matrix expressions with one rule per matrix operation, for a product $Y = A B$: $${matrixRules.matmul.tex}$, where a bar marks a matrix's adjoint (lesson 4), the derivative of the loss with respect to it, and the chain rule. Printing what it derived, with $\\delta^{(1)} = \\bar z^{(1)}$ and $\\delta^{(2)} = \\bar z^{(2)}$ (lesson 4's $\\delta = \\partial L/\\partial z$, for every unit of a layer at once), gives the equations of backpropagation:`);
  const eqs = backpropEquations(net, f.gradient);
  for (const e of eqs) doc.formula(`${e.lhs.tex} = ${e.rhs.tex}`);
  doc.text('The error of the output layer is the predicted probabilities minus the one-hot labels; it flows back through the transpose of $W^{(2)}$ and is damped by $\\sigma\'$, which is at most 1/4; each weight matrix\'s gradient is an outer product of a layer\'s δ with the activations that fed it, summed over the batch (the 1/N of the mean sits in δ).');

  // --- One batch in numbers -------------------------------------------------------
  doc.section('One mini-batch, in numbers');
  const rng = mulberry32(seed);
  const p = new Float64Array(net.P);
  // weights: normal with standard deviation 1/√(inputs), biases 0
  for (const w of net.params) {
    if (w.kind !== 'param' || w.name.startsWith('b')) continue;
    const fanIn = w.shape[1] as number;
    for (let k = 0; k < (w.shape[0] as number) * fanIn; k++) p[w.offset + k] = normal(rng) / Math.sqrt(fanIn);
  }
  const Bfirst = Math.min(B, nTrain);
  const first = data.train.batch.subarray(0, Bfirst * D);
  const g = new Float64Array(net.P);
  const loss0 = f.lossAndGradient(p, g, first, Bfirst);
  const deltas = net.z.map((z) => f.gradient.adjointOf(z)!);
  const shown: [string, MNode][] = [['x', net.x], ['z⁽¹⁾', net.z[0]!], ['a⁽¹⁾', net.a[0]!], ['z⁽²⁾', net.z[1]!], ['δ⁽²⁾', deltas[1]!], ['δ⁽¹⁾', deltas[0]!]];
  const values = compileMatrixValues(shown.map(([, n]) => n), D)(p, first, Bfirst);
  const sizeOf = new Map(shown.map(([name], k) => [name, rms(values[k]!)]));
  const gradRows = net.params.map((w, k) => {
    const rows = w.shape[0] as number, cols = w.shape[1] as number;
    const offset = w.kind === 'param' ? w.offset : 0;
    const name = eqs.find((e) => e.kind === (k % 2 === 0 ? 'weights' : 'bias') && e.layer === Math.floor(k / 2) + 1)!;
    return [`${name.lhs.text} = ${name.rhs.text}`, shapeText(w.shape), num(rms(g.subarray(offset, offset + rows * cols)))];
  });
  doc.table(['quantity', 'shape (N = ' + Bfirst + ')', 'size (root mean square of its entries)'], [
    ...shown.map(([name, n]) => {
      const eq = eqs.find((e) => e.kind === 'delta' && e.lhs.text === name);
      return [eq ? `${name} = ${eq.rhs.text}` : name, shapeText(n.shape).replace('N', String(Bfirst)), num(sizeOf.get(name)!)];
    }),
    ...gradRows,
  ], { caption: `The first mini-batch of ${Bfirst} training digits at the initial weights (normal, standard deviation 1/√inputs, biases 0); its loss is ${num(loss0)}:` });
  const d1 = sizeOf.get('δ⁽¹⁾')!, d2 = sizeOf.get('δ⁽²⁾')!;
  doc.text(d1 < d2
    ? `The hidden layer's δ is ${num(d2 / d1)} times smaller than the output layer's (${num(d1)} against ${num(d2)}): on its way back it was multiplied by the transpose of $W^{(2)}$ and by $\\sigma'(z^{(1)})$.`
    : `The hidden layer's δ is ${num(d1 / d2)} times larger than the output layer's (${num(d1)} against ${num(d2)}): here the transpose of $W^{(2)}$ amplified it more than $\\sigma'(z^{(1)})$ damped it.`);

  // --- Training -----------------------------------------------------------------
  doc.section('Training');
  const predict = compileMatrixValues([net.a[1]!], D);
  const accuracy = (which: typeof data.test, at: Float64Array = p): { acc: number; predicted: Uint8Array } => {
    const out = predict(at, which.batch, which.count)[0]!;
    const predicted = new Uint8Array(which.count);
    let right = 0;
    for (let n = 0; n < which.count; n++) {
      predicted[n] = argmax(out, n, 10);
      if (predicted[n] === which.labels[n]) right++;
    }
    return { acc: right / which.count, predicted };
  };
  const perEpoch = Math.floor(nTrain / Bfirst);
  const records: { epoch: number; trainLoss: number; testLoss: number; acc: number; seconds: number }[] = [];
  const start = { trainLoss: f.loss(p, data.train.batch), testLoss: f.loss(p, data.test.batch), acc: accuracy(data.test).acc };
  let failed: { epoch: number; batch: number } | undefined;
  /** The weights after the last finished epoch. */
  const trained = Float64Array.from(p);
  /**
   * The rest of the lesson for the epochs finished so far: written once training ends, and at each
   * epoch's checkpoint (the live page shows it as progress: the same page as --epochs e).
   */
  const finish = (doc: LessonDoc): void => {
    doc.text(`Mini-batch gradient descent: each epoch shuffles the ${nTrain.toLocaleString('en')} training digits, cuts them into ${counted(perEpoch, 'batch', 'batches')} of ${Bfirst}${nTrain % Bfirst === 0 ? '' : ` (the last ${counted(nTrain % Bfirst, 'digit')} ${nTrain % Bfirst === 1 ? 'waits' : 'wait'} for the next shuffle)`}, and takes one step $W \\leftarrow W - \\eta\\, \\partial L/\\partial W$ per batch, with $\\eta = ${lr}$. Before training the network is right on ${pct(start.acc)} of the test digits (chance is 10%).`);
    if (records.length > 0) {
      doc.table(['epoch', 'training loss (all training digits)', 'test loss', 'test accuracy', 'seconds'],
        [[0, num(start.trainLoss), num(start.testLoss), pct(start.acc), ''], ...records.map((r) => [r.epoch, num(r.trainLoss), num(r.testLoss), pct(r.acc), r.seconds.toFixed(2)])],
        { caption: 'The losses and the accuracy at the weights after each epoch; epoch 0 is before training.' });
    }
    if (failed) {
      doc.note(`Training diverged: the loss stopped being a finite number in epoch ${failed.epoch}, batch ${failed.batch}, so training stopped there${records.length > 0 ? ` (the table shows the ${records.length} finished epoch${records.length === 1 ? '' : 's'})` : ''}. The usual cause is a learning rate too large for the network: try a smaller --lr.`);
    }
    const last = records.at(-1);
    if (!last) return;
    const best = records.reduce((a, r) => (r.acc > a.acc ? r : a));
    const meanSeconds = records.reduce((s, r) => s + r.seconds, 0) / records.length;
    const finalTrain = last.trainLoss;
    const trend = pct(last.acc) === pct(start.acc) ? 'stayed' : last.acc > start.acc ? 'rose' : 'fell';
    const span = `${last.epoch} epoch${last.epoch === 1 ? '' : 's'}`;
    const improved = asShown(last.testLoss) < asShown(start.testLoss);
    const grew = asShown(finalTrain) > asShown(start.trainLoss);
    const lossTrend = grew ? `went up from ${num(start.trainLoss)} to ${num(finalTrain)}` : asShown(finalTrain) < asShown(start.trainLoss) ? `went down from ${num(start.trainLoss)} to ${num(finalTrain)}` : `stayed at ${num(finalTrain)}`;
    const fitting = !improved ? '' : asShown(last.testLoss) > asShown(finalTrain) ? ': the network fits the digits it has seen better than new ones' : asShown(last.testLoss) < asShown(finalTrain) ? ': no sign yet of fitting the training digits better than new ones' : '';
    doc.text(`${trend === 'stayed' ? `Test accuracy was ${pct(last.acc)} both before training and after ${span}` : `Test accuracy ${trend} from ${pct(start.acc)} before training to ${pct(last.acc)} after ${span}`}${pct(best.acc) !== pct(last.acc) && best.acc > last.acc && best.acc > start.acc ? `; it was highest, ${pct(best.acc)}, after epoch ${best.epoch}` : ''}. After epoch ${last.epoch}, the loss over all ${nTrain.toLocaleString('en')} training digits is ${num(finalTrain)} and over the test digits ${num(last.testLoss)}${fitting}. The training loss ${lossTrend} over ${span}. An epoch of ${(perEpoch * Bfirst).toLocaleString('en')} digits took ${meanSeconds.toFixed(2)} s on average on this machine.`);
    if (grew) doc.note(`Training diverged: instead of going down, the loss over the training digits grew from ${num(start.trainLoss)} before training to ${num(finalTrain)}. The usual cause is a learning rate too large for the network (here η = ${lr}): try a smaller --lr.`);
    else if (!improved) doc.note(`The test loss ended no lower than before training (${num(last.testLoss)} against ${num(start.testLoss)}): training did not help on digits the network has not seen.`);
    const curve = (key: 'trainLoss' | 'testLoss' | 'acc'): (readonly [number, number])[] => records.map((r) => [r.epoch, r[key]] as const);
    doc.plot(linePlot({ series: [{ name: 'training loss', points: curve('trainLoss') }, { name: 'test loss', points: curve('testLoss') }], xLabel: 'epoch', yLabel: 'mean cross-entropy', points: true }),
      'The loss after each epoch: on all training digits and on the test digits.');
    doc.plot(linePlot({ series: [{ name: 'test accuracy', points: curve('acc') }], xLabel: 'epoch', yLabel: 'share of test digits right', points: true }),
      'Test accuracy after each epoch.');

    // --- What it gets wrong ---------------------------------------------------------
    doc.section('What it gets right and wrong');
    doc.text(`The pictures below use the weights after epoch ${last.epoch}.`);
    const { predicted } = accuracy(data.test, trained);
    const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    data.test.labels.forEach((y, n) => { confusion[y]![predicted[n]!]!++; });
    let worst = { from: -1, to: -1, count: 0 };
    confusion.forEach((row, i) => row.forEach((v, j) => { if (i !== j && v > worst.count) worst = { from: i, to: j, count: v }; }));
    doc.plot(countMatrixSvg(confusion, { rowLabel: 'true digit', columnLabel: 'predicted digit' }),
      `The confusion matrix on the ${nTest.toLocaleString('en')} test digits: row = the true digit, column = the network's answer; the diagonal holds the right answers.`);
    doc.text(worst.count === 0
      ? 'It makes no mistakes on the test digits.'
      : `The most frequent mistake: ${article(String(worst.from))} read as ${article(String(worst.to))}, ${worst.count} time${worst.count === 1 ? '' : 's'}. In all, ${predicted.filter((v, n) => v !== data.test.labels[n]).length} of ${nTest.toLocaleString('en')} test digits are wrong.`);
    const sample = Array.from({ length: Math.min(30, nTest) }, (_, n) => ({
      rgb: greyToRgb(data.test.batch.subarray(n * D, n * D + DIGIT_PIXELS)),
      caption: `${data.test.labels[n]} → ${predicted[n]}`, alert: predicted[n] !== data.test.labels[n],
    }));
    const wrong = sample.filter((s) => s.alert).length;
    doc.plot(imageGridSvg(sample, { width: 28, height: 28, columns: 10 }), `The first ${sample.length} test digits, label → prediction (${wrong} wrong, in red).`);

    // --- What the hidden units look for ----------------------------------------------
    doc.section('What the hidden units look for');
    const W1 = net.params[0]!;
    const units = Array.from({ length: Math.min(H, 64) }, (_, j) => {
      const off = W1.kind === 'param' ? W1.offset : 0;
      const w = trained.subarray(off + j * DIGIT_PIXELS, off + (j + 1) * DIGIT_PIXELS);
      let max = 0;
      for (const v of w) max = Math.max(max, Math.abs(v));
      return { rgb: divergingRgb(w, max), caption: `unit ${j + 1}` };
    });
    doc.plot(imageGridSvg(units, { width: 28, height: 28, columns: 10 }),
      `The 784 incoming weights of ${units.length === H ? 'each hidden unit' : `the first ${units.length} of the ${H} hidden units`}, drawn as 28 × 28 images after training: red where ink raises the unit's input z, blue where it lowers it (each image scaled to its own largest |w|).`);
    doc.text('Each hidden unit adds up the pixels under its red parts and subtracts those under its blue parts; the output layer then weighs these ' + H + ' answers into a score per digit.');

    // --- Exercises -----------------------------------------------------------
    // The items of the practice set lessons/practice/10-digits.ts (the default variant), each graded by the
    // engine: downhill practice 10. test/lesson-exercises.test.ts checks that they are the set's prompts.
    doc.section('Exercises');
    doc.exercise('The forward pass is $z^{(1)} = W^{(1)} X + b^{(1)}$, $a^{(1)} = \\sigma(z^{(1)})$, $z^{(2)} = W^{(2)} a^{(1)} + b^{(2)}$; the loss is the mean softmax cross-entropy over the N columns of the batch, with one-hot labels $Y$. Write the output layer\'s error $\\delta^{(2)} = \\partial L/\\partial z^{(2)}$. (Matrices: `X` 784 × 32, `Y` 10 × 32, `W1` 30 × 784, `b1` 30 × 1, `W2` 10 × 30, `b2` 10 × 1; names: `z1`, `a1`, `z2`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 10` (exercise 1)');
    doc.exercise('Write $\\partial L/\\partial W^{(2)}$ in terms of $\\delta^{(2)}$ (`delta2`). (Matrices: `X` 784 × 32, `Y` 10 × 32, `W1` 30 × 784, `b1` 30 × 1, `W2` 10 × 30, `b2` 10 × 1; names: `z1`, `a1`, `z2`, `delta2`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 10` (exercise 2)');
    doc.exercise('Write the hidden layer\'s error $\\delta^{(1)} = \\partial L/\\partial z^{(1)}$ in terms of $\\delta^{(2)}$. (Matrices: `X` 784 × 32, `Y` 10 × 32, `W1` 30 × 784, `b1` 30 × 1, `W2` 10 × 30, `b2` 10 × 1; names: `z1`, `a1`, `z2`, `delta2`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 10` (exercise 3)');
    doc.exercise('Write $\\partial L/\\partial W^{(1)}$ in terms of $\\delta^{(1)}$ (`delta1`). (Matrices: `X` 784 × 32, `Y` 10 × 32, `W1` 30 × 784, `b1` 30 × 1, `W2` 10 × 30, `b2` 10 × 1; names: `z1`, `a1`, `z2`, `delta2`, `delta1`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 10` (exercise 4)');
    doc.exercise('Write $\\partial L/\\partial b^{(1)}$: the bias is copied to every column, so its gradient adds up over the batch (`sum(M, 2)` adds each row of M). (Matrices: `X` 784 × 32, `Y` 10 × 32, `W1` 30 × 784, `b1` 30 × 1, `W2` 10 × 30, `b2` 10 × 1; names: `z1`, `a1`, `z2`, `delta2`, `delta1`. Write `*` for the matrix product, `.*` element by element, `X\'` for the transpose.)', '`downhill practice 10` (exercise 5)');
    doc.exercise('How many parameters (weights and biases) has the 784-30-10 network? (Exactly.)', '`downhill practice 10` (exercise 6)');
    doc.exercise('An epoch of 8,000 training digits in batches of 32: how many gradient steps is that? (Exactly.)', '`downhill practice 10` (exercise 7)');
  };
  for (let e = 1; e <= epochs && !failed; e++) {
    const t0 = performance.now();
    const bar = (b: number, total: number): void => {
      if (b % 16 === 0) progress(`epoch ${e}/${epochs} [${'#'.repeat(Math.round((30 * b) / total)).padEnd(30, '.')}] ${b}/${total} batches`);
    };
    const result = sgdEpoch(f, p, data.train.batch, { batch: Bfirst, lr, rng, onBatch: bar });
    if (!result.ok) { failed = { epoch: e, batch: result.batch }; break; }
    const seconds = (performance.now() - t0) / 1000;
    const r = { epoch: e, trainLoss: f.loss(p, data.train.batch), testLoss: f.loss(p, data.test.batch), acc: accuracy(data.test).acc, seconds };
    records.push(r);
    trained.set(p);
    progress(`epoch ${e}/${epochs}: training loss ${num(r.trainLoss)}, test loss ${num(r.testLoss)}, test accuracy ${pct(r.acc)} (${seconds.toFixed(2)} s)`, true);
    await doc.checkpoint({ done: e, total: epochs, unit: 'epoch' }, finish);
  }
  finish(doc);
});
