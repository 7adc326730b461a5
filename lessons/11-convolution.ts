// Lesson 11: convolution. A small convolutional network (8 filters 5 × 5,
// relu, 2 × 2 max-pooling, a dense layer, softmax cross-entropy) learns the
// real MNIST digits with the matrix engine; its filters and feature maps are
// drawn, its backward equations printed from the derived graph, and it is
// compared with lesson 10's dense network trained on the same budget.
import {
  checkConvolutionTrainingWork, compileLayered, compileMatrixGradient, compileMatrixValues, counted, CONVOLUTION_LESSON_SPEC, defineLesson, DIGIT_PIXELS,
  divergingRgb, greyToRgb, imageGridSvg, layeredEquations, layeredMatrixNetwork, linePlot, loadDigits, matrixNetwork, mulberry32, normal,
  parseLayeredSpec, sgdEpoch, type LessonDoc, type MNode,
} from 'downhill';

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const num = (v: number): string => (Math.abs(v) >= 1e-3 ? v.toPrecision(3) : v.toExponential(2));
/** A number as the tables and sentences show it, so comparisons agree with what the learner reads. */
const asShown = (v: number): number => Number(num(v));
const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** Whether the clock below counts CPU time: in Node, not in a browser's worker (the live page), whose clock is the wall's. */
const CPU_CLOCK = typeof process !== 'undefined' && typeof process.cpuUsage === 'function';
/** What the clock counts, as the tables and sentences name it. */
const SECONDS = CPU_CLOCK ? 'CPU seconds' : 'seconds';
const TIME = CPU_CLOCK ? 'CPU time' : 'time';

/** CPU seconds spent by this process since `from` (process.cpuUsage), or wall seconds where there is no process. */
function cpuClock(): () => number {
  if (CPU_CLOCK) {
    const c0 = process.cpuUsage();
    return () => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };
  }
  const t0 = performance.now();
  return () => (performance.now() - t0) / 1000;
}

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

/** Weights normal with standard deviation √(2/inputs) (He, for relu), biases 0, from `rng`. */
function initialWeights(params: readonly MNode[], P: number, rng: () => number, gain: number): Float64Array {
  const p = new Float64Array(P);
  for (const w of params) {
    if (w.kind !== 'param' || w.name.startsWith('b')) continue;
    const fanIn = w.shape[1] as number;
    for (let k = 0; k < (w.shape[0] as number) * fanIn; k++) p[w.offset + k] = normal(rng) * Math.sqrt(gain / fanIn);
  }
  return p;
}

/**
 * What a network got right on a packed set, from one forward pass of its logits per chunk of 200 digits: predictions,
 * accuracy, and the mean loss, logsumexp(z) − z[label] (the softmax cross-entropy the networks train on).
 */
function evaluate(
  logits: (p: Float64Array, batch: Float64Array, N: number) => Float64Array,
  p: Float64Array, set: { count: number; batch: Float64Array; labels: Uint8Array }, D: number,
): { loss: number; acc: number; predicted: Uint8Array } {
  const predicted = new Uint8Array(set.count);
  let total = 0, right = 0;
  for (let s = 0; s < set.count; s += 200) {
    const n = Math.min(200, set.count - s);
    const out = logits(p, set.batch.subarray(s * D, (s + n) * D), n);
    for (let k = 0; k < n; k++) {
      let m = -Infinity;
      for (let c = 0; c < 10; c++) m = Math.max(m, out[k * 10 + c]!);
      let e = 0;
      for (let c = 0; c < 10; c++) e += Math.exp(out[k * 10 + c]! - m);
      total += m + Math.log(e) - out[k * 10 + set.labels[s + k]!]!;
      predicted[s + k] = argmax(out, k, 10);
      if (predicted[s + k] === set.labels[s + k]) right++;
    }
  }
  return { loss: total / set.count, acc: right / set.count, predicted };
}

export default defineLesson({
  number: 11, name: 'convolution', title: 'Convolution',
  summary: 'a small convolutional network learns the digits: filters, feature maps, and backpropagation through convolution and pooling',
  defaults: { epochs: 3, lr: 0.01, batch: 16, seed: 1, digits: 10000 },
  limit: checkConvolutionTrainingWork,
}, async (doc, { epochs, lr, batch, seed, digits }) => {
  // --- The data --------------------------------------------------------------
  const nTrain = Math.round(0.8 * digits), nTest = digits - nTrain;
  const data = await loadDigits({ seed, train: nTrain, test: nTest });
  const D = DIGIT_PIXELS + 10;
  const B = Math.min(batch, nTrain);
  doc.section('Looking at a digit through small windows');
  doc.text(`Lesson 10's network gave every hidden unit its own weight for each of the 784 pixels: a stroke learned in the top-left corner had to be learned again in the bottom-right. A convolutional layer slides one small filter of weights over the whole image instead, computing the same weighted sum at every position: a filter that answers to a vertical stroke answers to it anywhere. The same digits as in lesson 10: shuffled with seed ${seed}, ${nTrain.toLocaleString('en')} train the network and the next ${nTest.toLocaleString('en')} test it. Flags: --epochs, --lr, --batch, --seed, --digits.`);

  // --- The network ----------------------------------------------------------------
  const spec = parseLayeredSpec(CONVOLUTION_LESSON_SPEC);
  const net = layeredMatrixNetwork(spec);
  const f = compileLayered(net);
  const conv = spec.blocks[0]!, pool = spec.blocks[1]!;
  if (conv.kind !== 'conv' || pool.kind !== 'pool') throw new Error('lesson 11: the network must start with a convolution and a pooling layer');
  const { F, kh, Ho, Wo } = conv.geom;
  const pooled = pool.geom.C * pool.geom.Ho * pool.geom.Wo;
  const named = (text: string): MNode => net.quantities.find((q) => q.name.text === text)!.node;
  const a1 = named('a⁽¹⁾'), logitsNode = named('z⁽³⁾');
  const K = net.params[0]!;
  const Koff = K.kind === 'param' ? K.offset : 0;
  const macs = F * Ho * Wo * kh * kh + pooled * 4 + pooled * 10;
  doc.section('The network');
  doc.text(`The network "${spec.text}": ${F} filters of ${kh} × ${kh} weights (plus a bias each) slide over the 28 × 28 image, giving ${F} feature maps of ${Ho} × ${Wo} (a ${kh} × ${kh} window fits in ${Ho} positions across); relu keeps their positive part; max-pooling keeps the largest of each 2 × 2 block, giving ${F} maps of ${pool.geom.Ho} × ${pool.geom.Wo} = ${pooled.toLocaleString('en')} numbers; a dense layer turns them into 10 scores and softmax cross-entropy compares those with the label. That is ${net.P.toLocaleString('en')} parameters, but ${macs.toLocaleString('en')} multiply-adds per digit: each filter weight is used ${(Ho * Wo).toLocaleString('en')} times. As matrices, with a batch of N digits as columns:`);
  const eqs = layeredEquations(net, f.gradient);
  for (const e of eqs.forward) doc.formula(`${e.lhs.tex} = ${texOf(e.rhs.tex)}`);
  doc.text('The engine differentiates these with one rule per matrix operation and the chain rule; for the convolution, ∂L/∂K adds up, over every position and every digit, the input window times the error δ at that position (a correlation of the input with δ, $\\partial L/\\partial K = \\sum x \\star \\delta$), and the error flows back to the input through the same filters; max-pooling routes each δ to the position that won its window, and gives the others nothing. Printed from the derived gradient:');
  for (const e of eqs.backward) doc.formula(`${e.lhs.tex} = ${texOf(e.rhs.tex)}`);
  const withN = (shape: string): string => shape.replace(/N/g, String(B));
  doc.table(['equation', `shape (N = ${B})`], [...eqs.forward, ...eqs.backward].map((e) => [`${e.lhs.text} = ${e.rhs.text}`, withN(e.shape)]),
    { caption: `Every quantity of one mini-batch of ${B} digits, forward then backward, with its shape: rows × columns, where ·${B} means one block of columns per digit.` });

  // --- Before training ----------------------------------------------------------------
  const rng = mulberry32(seed);
  const p = initialWeights(net.params, net.P, rng, 2);
  const logitValues = compileMatrixValues([logitsNode], D);
  const logits = (at: Float64Array, batchData: Float64Array, N: number): Float64Array => logitValues(at, batchData, N)[0]!;
  const featureValues = compileMatrixValues([a1], D);
  const digit = data.test.batch.subarray(0, D);
  const digitLabel = data.test.labels[0]!;
  const filterImages = (at: Float64Array): { rgb: Uint8Array; caption: string }[] => {
    let max = 0;
    for (let k = 0; k < F * kh * kh; k++) max = Math.max(max, Math.abs(at[Koff + k]!));
    return Array.from({ length: F }, (_, j) => ({ rgb: divergingRgb(at.subarray(Koff + j * kh * kh, Koff + (j + 1) * kh * kh), max), caption: `filter ${j + 1}` }));
  };
  const mapImages = (at: Float64Array): { images: { rgb: Uint8Array; caption: string }[]; max: number; blank: number[] } => {
    const a = featureValues(at, digit, 1)[0]!;
    let max = 0;
    for (const v of a) max = Math.max(max, v);
    // the maps that are zero at every position (relu of a sum nowhere positive) are drawn white
    const blank = Array.from({ length: F }, (_, j) => j).filter((j) => a.subarray(j * Ho * Wo, (j + 1) * Ho * Wo).every((v) => !(v > 0)));
    return { images: Array.from({ length: F }, (_, j) => ({ rgb: greyToRgb(Array.from(a.subarray(j * Ho * Wo, (j + 1) * Ho * Wo), (v) => (max > 0 ? v / max : 0))), caption: `map ${j + 1}` })), max, blank };
  };
  /** How the maps are drawn, as the numbers have it: dark where a filter answers, or blank where none does. */
  const mapScale = (m: { max: number; blank: number[] }): string => {
    if (m.blank.length === F) return `every map is 0 at every position (no filter's sum is positive anywhere on this digit, so relu gives 0), so all ${F} are blank`;
    const some = m.blank.length === 0 ? '' : `; ${m.blank.length === 1 ? `map ${m.blank[0]! + 1} is` : `maps ${m.blank.slice(0, -1).map((j) => j + 1).join(', ')} and ${m.blank.at(-1)! + 1} are`} 0 at every position, so blank`;
    return `dark where a filter answers (relu of its sum), on one scale whose darkest is ${num(m.max)}${some}`;
  };
  doc.section('Filters and feature maps before training');
  doc.plot(imageGridSvg([{ rgb: greyToRgb(digit.subarray(0, DIGIT_PIXELS)), caption: article(digitLabel) }], { width: 28, height: 28, scale: 3 }), `The first test digit, ${article(digitLabel)}.`);
  doc.plot(imageGridSvg(filterImages(p), { width: kh, height: kh, columns: F, scale: 10 }),
    `The ${F} filters at their random start (normal, standard deviation √(2/${kh * kh}), biases 0): red weights add the ink under them, blue ones subtract it (all on one scale, the largest |weight| saturating).`);
  const before = mapImages(p);
  doc.plot(imageGridSvg(before.images, { width: Wo, height: Ho, columns: F, scale: 3 }),
    `The ${F} feature maps a⁽¹⁾ of that digit at the start: ${mapScale(before)}.`);

  // --- Training -----------------------------------------------------------------
  doc.section('Training');
  const perEpoch = Math.floor(nTrain / B);
  // The step size falls in a straight line over the run's steps: η(1 − k/T) at step k = 0 … T − 1.
  const steps = epochs * perEpoch;
  const start = evaluate(logits, p, data.test, D);
  const records: { epoch: number; batchLoss: number; testLoss: number; acc: number; seconds: number }[] = [];
  const m = new Float64Array(net.P), v = new Float64Array(net.P), g = new Float64Array(net.P);
  const buffer = new Float64Array(B * D);
  const trained = Float64Array.from(p);
  let failed: { epoch: number; batch: number } | undefined;
  let t = 0, cnnSeconds = 0;
  let lastEvaluation: ReturnType<typeof evaluate> | undefined;
  // Lesson 10's dense network, trained for as many epochs as the convolutional one has had when it is compared (its own random numbers).
  const dense = matrixNetwork([
    { in: DIGIT_PIXELS, out: 30, activation: 'sigmoid', bias: true },
    { in: 30, out: 10, activation: 'identity', bias: true },
  ], 'softmax_ce');
  const fd = compileMatrixGradient(dense);
  const denseRng = mulberry32(seed);
  const pd = initialWeights(dense.params, dense.P, denseRng, 1);
  const denseValues = compileMatrixValues([dense.a[1]!], D);
  const denseLogits = (at: Float64Array, batchData: Float64Array, N: number): Float64Array => denseValues(at, batchData, N)[0]!;
  const denseMacs = dense.P - 40;
  let denseSeconds = 0, denseEpochs = 0, denseFailed = false;
  const denseTrained = Float64Array.from(pd);
  /** Trains the dense network on until it has had `budget` epochs (or diverged). */
  const denseTo = (budget: number): void => {
    while (!denseFailed && denseEpochs < budget) {
      const clock = cpuClock();
      const r = sgdEpoch(fd, pd, data.train.batch, { batch: B, lr: 1, rng: denseRng });
      denseSeconds += clock();
      if (!r.ok) { denseFailed = true; break; }
      denseTrained.set(pd);
      denseEpochs++;
    }
  };
  for (let e = 1; e <= epochs && !failed; e++) {
    const clock = cpuClock();
    const order = Array.from({ length: nTrain }, (_, n) => n);
    for (let i = nTrain - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let b = 0; b < perEpoch; b++) {
      for (let n = 0; n < B; n++) {
        const k = order[b * B + n]!;
        buffer.set(data.train.batch.subarray(k * D, k * D + D), n * D);
      }
      const L = f.lossAndGradient(p, g, buffer, B);
      if (!Number.isFinite(L)) { failed = { epoch: e, batch: b + 1 }; break; }
      total += L;
      const eta = lr * (1 - t / steps);
      t++;
      const c1 = 1 - 0.9 ** t, c2 = 1 - 0.999 ** t;
      for (let k = 0; k < p.length; k++) {
        m[k] = 0.9 * m[k]! + 0.1 * g[k]!;
        v[k] = 0.999 * v[k]! + 0.001 * g[k]! * g[k]!;
        p[k] = p[k]! - (eta * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + 1e-8);
      }
      if (b % 16 === 0) progress(`epoch ${e}/${epochs} [${'#'.repeat(Math.round((30 * b) / perEpoch)).padEnd(30, '.')}] ${b}/${perEpoch} batches`);
      // Where the live page may stop the run inside an epoch (an epoch of the defaults takes seconds), and move its progress bar.
      if (b % 8 === 7) await doc.tick({ done: e - 1 + (b + 1) / perEpoch, total: epochs, unit: 'epoch' });
    }
    const seconds = clock();
    cnnSeconds += seconds;
    if (failed) break;
    const r = evaluate(logits, p, data.test, D);
    if (!Number.isFinite(r.loss)) { failed = { epoch: e, batch: perEpoch }; break; }
    records.push({ epoch: e, batchLoss: total / perEpoch, testLoss: r.loss, acc: r.acc, seconds });
    trained.set(p);
    lastEvaluation = r;
    progress(`epoch ${e}/${epochs}: test loss ${num(r.loss)}, test accuracy ${pct(r.acc)} (${seconds.toFixed(2)} s)`, true);
    // The live page's progress: the run after epoch e of `epochs` (not the run of --epochs e: the step size falls over the whole run).
    await doc.checkpoint({ done: e, total: epochs, unit: 'epoch', shorterRun: e === epochs }, (d) => finish(d, e));
  }
  finish(doc, epochs);
  /**
   * The rest of the lesson for the epochs finished so far, the dense network trained for `budget` epochs: written once
   * training ends (budget = --epochs), and at each epoch's checkpoint (the live page's progress, budget = that epoch).
   */
  function finish(doc: LessonDoc, budget: number): void {
    const schedule = steps === 1 ? `η = ${lr} for its one step`
      : `a step size η that falls in a straight line from ${lr} at the first of the ${counted(steps, 'step')} to ${num(lr / steps)} at the last (η = ${lr} · (1 − k/${steps}) at step k = 0 … ${steps - 1}, larger steps first and smaller ones at the end)`;
    doc.text(`Adam (lesson 9) with β₁ = 0.9, β₂ = 0.999 and ${schedule}. Each epoch shuffles the ${nTrain.toLocaleString('en')} training digits, cuts them into ${counted(perEpoch, 'batch', 'batches')} of ${B}${nTrain % B === 0 ? '' : ` (the last ${counted(nTrain % B, 'digit')} ${nTrain % B === 1 ? 'waits' : 'wait'} for the next shuffle)`}, and takes one step per batch. Before training the network is right on ${pct(start.acc)} of the ${nTest.toLocaleString('en')} test digits (chance is 10%); its test loss is ${num(start.loss)}.`);
    if (records.length > 0) {
      doc.table(['epoch', 'mean loss of the epoch\'s batches', 'test loss', 'test accuracy', SECONDS],
        [[0, '', num(start.loss), pct(start.acc), ''], ...records.map((r) => [r.epoch, num(r.batchLoss), num(r.testLoss), pct(r.acc), r.seconds.toFixed(2)])],
        { caption: 'After each epoch: the mean of its batch losses (each taken just before its step), and the loss and accuracy on the test digits; epoch 0 is before training.' });
    }
    if (failed) {
      doc.note(`Training diverged: the loss stopped being a finite number in epoch ${failed.epoch}${failed.batch <= perEpoch ? `, batch ${failed.batch}` : ''}, so training stopped there${records.length > 0 ? ` (the table shows the ${plural(records.length, 'finished epoch')})` : ''}. The usual cause is a learning rate too large: try a smaller --lr.`);
    }
    if (!failed && records.length < epochs) {
      // A checkpoint's page: the run so far, which is not the run of --epochs (records.length).
      const taken = records.length * perEpoch;
      const shorter = taken === 1 ? `its one step has η = ${lr}, as this run's first`
        : `its η falls over its own ${counted(taken, 'step')}, to ${num(lr / taken)} at the last, so from its second step on its η is smaller than this run's`;
      doc.note(`This is the run after epoch ${records.length} of ${epochs}: its ${counted(taken, 'step')} so far took η from ${lr} down to ${num(lr * (1 - (taken - 1) / steps))}, and its other ${counted(steps - taken, 'step')}, each smaller still, are yet to come. The same settings with --epochs ${records.length} give another run: ${shorter}.`);
    }
    const last = records.at(-1);
    const final = last ? lastEvaluation : undefined;
    if (last && final) {
      const span = plural(last.epoch, 'epoch');
      const trend = pct(last.acc) === pct(start.acc) ? 'stayed' : last.acc > start.acc ? 'rose' : 'fell';
      const improved = asShown(last.testLoss) < asShown(start.loss);
      doc.text(`${trend === 'stayed' ? `Test accuracy was ${pct(last.acc)} both before training and after ${span}` : `Test accuracy ${trend} from ${pct(start.acc)} before training to ${pct(last.acc)} after ${span}`}: ${final.predicted.filter((y, n) => y === data.test.labels[n]).length.toLocaleString('en')} of the ${nTest.toLocaleString('en')} test digits right. The test loss ${improved ? 'went down' : asShown(last.testLoss) > asShown(start.loss) ? 'went up' : 'stayed'} from ${num(start.loss)} to ${num(last.testLoss)}. Training took ${cnnSeconds.toFixed(2)} ${SECONDS} on this machine.`);
      if (!improved) doc.note(`The test loss ended no lower than before training (${num(last.testLoss)} against ${num(start.loss)}): training did not help on digits the network has not seen. Try another --lr or more --epochs.`);
      if (records.length > 1) {
        const curve = (key: 'batchLoss' | 'testLoss' | 'acc'): (readonly [number, number])[] => records.map((r) => [r.epoch, r[key]] as const);
        doc.plot(linePlot({ series: [{ name: 'mean batch loss', points: curve('batchLoss') }, { name: 'test loss', points: curve('testLoss') }], xLabel: 'epoch', yLabel: 'mean cross-entropy', points: true }),
          'The loss after each epoch: the mean of the epoch\'s batch losses and the loss on the test digits.');
      }

      // --- After training ----------------------------------------------------------------
      doc.section('Filters and feature maps after training');
      doc.plot(imageGridSvg(filterImages(trained), { width: kh, height: kh, columns: F, scale: 10 }),
        `The ${F} filters after epoch ${last.epoch}, drawn as before: red weights add the ink under them, blue ones subtract it.`);
      const after = mapImages(trained);
      doc.plot(imageGridSvg(after.images, { width: Wo, height: Ho, columns: F, scale: 3 }),
        `The feature maps of the same ${digitLabel} after epoch ${last.epoch}: ${mapScale(after)}; the network reads it as ${article(final.predicted[0]!)}.`);
      const sample = Array.from({ length: Math.min(30, nTest) }, (_, n) => ({
        rgb: greyToRgb(data.test.batch.subarray(n * D, n * D + DIGIT_PIXELS)),
        caption: `${data.test.labels[n]} → ${final.predicted[n]}`, alert: final.predicted[n] !== data.test.labels[n],
      }));
      doc.plot(imageGridSvg(sample, { width: 28, height: 28, columns: 10 }), `The first ${sample.length} test digits, label → prediction after epoch ${last.epoch} (${sample.filter((s) => s.alert).length} wrong, in red).`);
      const answering = F - after.blank.length;
      const here = answering === F ? `after epoch ${last.epoch} all ${F} filters answer somewhere on this ${digitLabel}`
        : answering === 0 ? `after epoch ${last.epoch} no filter answers anywhere on this ${digitLabel} (every map is 0)`
          : `after epoch ${last.epoch}, ${answering} of the ${F} filters answer somewhere on this ${digitLabel} and the other ${F - answering} nowhere`;
      doc.text(`A filter whose red and blue lie side by side answers to an edge between them: its map is dark where the ink of the digit runs along that edge. Here ${here}. Max-pooling then keeps the largest answer of each 2 × 2 block, wherever in the block it was.`);
    }

    // --- Against lesson 10's dense network -----------------------------------------------
    doc.section('Against lesson 10\'s dense network');
    denseTo(budget);
    const denseResult = evaluate(denseLogits, denseTrained, data.test, D);
    doc.text(`The same budget for lesson 10's 784-30-10 network, trained here as lesson 10 trains it (sigmoid hidden layer, plain gradient descent with lesson 10's η = 1, its initial weights normal with standard deviation 1/√inputs): the same ${nTrain.toLocaleString('en')} training digits, ${plural(budget, 'epoch')} in batches of ${B}.${denseFailed ? ` Its training diverged in epoch ${denseEpochs + 1}; the table shows it after ${plural(denseEpochs, 'epoch')}.` : ''}`);
    const cnnAcc = final?.acc ?? start.acc;
    doc.table(['network', 'parameters', 'multiply-adds per digit (forward)', 'epochs trained', 'test accuracy', `${SECONDS} of training`], [
      [spec.text, net.P.toLocaleString('en'), macs.toLocaleString('en'), last?.epoch ?? 0, pct(cnnAcc), cnnSeconds.toFixed(2)],
      ['784-30-10 (lesson 10)', dense.P.toLocaleString('en'), denseMacs.toLocaleString('en'), denseEpochs, pct(denseResult.acc), denseSeconds.toFixed(2)],
    ], { caption: `Both networks on the same ${nTest.toLocaleString('en')} test digits, trained on this machine in this run.` });
    const cmp = pct(cnnAcc) === pct(denseResult.acc) ? `Both networks are right on ${pct(cnnAcc)} of the test digits`
      : cnnAcc > denseResult.acc ? `The convolutional network is right on more test digits (${pct(cnnAcc)} against ${pct(denseResult.acc)})`
        : `Here the dense network is right on more test digits (${pct(denseResult.acc)} against ${pct(cnnAcc)})`;
    const ratio = denseSeconds > 0 ? cnnSeconds / denseSeconds : Infinity;
    const untrained = last ? '' : 'Its training finished no epoch, so the convolutional network is compared at its initial weights. ';
    doc.text(`${untrained}${cmp}, and the convolutional network has ${net.P < dense.P ? `${num(dense.P / net.P)} times fewer parameters` : `${num(net.P / dense.P)} times as many parameters`} than the dense one (${net.P.toLocaleString('en')} against ${dense.P.toLocaleString('en')}). ${Number.isFinite(ratio) ? `The convolutional network's training took ${num(ratio)} times the dense network's ${TIME}` : `The dense network's training took no measurable ${TIME}`}; per digit it does ${num(macs / denseMacs)} times the dense network's multiply-adds, each filter weight being used at ${(Ho * Wo).toLocaleString('en')} positions.`);
    // --- Exercises -----------------------------------------------------------
    // The items of the practice set lessons/practice/11-convolution.ts (the default variant), each graded by the
    // engine: downhill practice 11. test/lesson-exercises.test.ts checks that they are the set's prompts.
    doc.section('Exercises');
    doc.exercise('A 5 × 5 filter slides over a 28 × 28 image without padding, one pixel at a time: how many positions does it take across a row? (Exactly.)', '`downhill practice 11` (exercise 1)');
    doc.exercise('The network 1x28x28-conv8x5-maxpool2-10: 8 feature maps of 24 × 24, max-pooled in 2 × 2 blocks. How many numbers does the dense layer get per digit? (Exactly.)', '`downhill practice 11` (exercise 2)');
    doc.exercise('How many parameters (weights and biases) has 1x28x28-conv8x5-maxpool2-10? (Exactly.)', '`downhill practice 11` (exercise 3)');
    doc.exercise('For one digit, how many times is each filter weight multiplied by a pixel? (Exactly.)', '`downhill practice 11` (exercise 4)');
    doc.exercise('How many multiply-adds does the convolution layer of 1x28x28-conv8x5-maxpool2-10 do for one digit? (Exactly.)', '`downhill practice 11` (exercise 5)');
  }
});

/** TeX as the terminal can show it too: \\textstyle (a sum set inline) is left out. */
function texOf(tex: string): string {
  return tex.replace(/\\textstyle\s*/g, '');
}

/** 'a 7', 'an 8'. */
function article(d: number): string {
  return `${d === 8 ? 'an' : 'a'} ${d}`;
}
