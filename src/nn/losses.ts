/**
 * Losses: each an expression in the prediction and the target, for one
 * sample. Batches reduce them by mean or sum when compiled.
 *
 *   squaredError(sym('yhat'), sym('y'))   // (y − ŷ)²
 *
 * Every loss here is checked against central finite differences in
 * test/losses.test.ts.
 */
import { checkArg, DownhillError } from '../errors.ts';
import { add, call, mul, neg, NODE, NODES, OPERAND, OPERANDS, pow, sub, sum, type Node, type Operand } from '../expr/node.ts';

/** The door of a one-sample loss: the prediction (or logit, score) is a graph, the target a number or a graph. */
function checkSample(fn: string, prediction: string, yhat: unknown, y: unknown): void {
  checkArg(fn, prediction, yhat, NODE);
  checkArg(fn, 'y', y, OPERAND);
}

/** The door of a loss over several outputs: two arrays (their lengths are compared by the loss). */
function checkOutputs(fn: string, prediction: string, yhat: unknown, y: unknown): void {
  checkArg(fn, prediction, yhat, NODES);
  checkArg(fn, 'y', y, OPERANDS);
}

/** (y − ŷ)² */
export function squaredError(yhat: Node, y: Operand): Node {
  checkSample('squaredError', 'yhat', yhat, y);
  return pow(sub(y, yhat), 2);
}

/** ½ (y − ŷ)²: the factor ½ cancels the 2 of the derivative. */
export function halfSquaredError(yhat: Node, y: Operand): Node {
  checkSample('halfSquaredError', 'yhat', yhat, y);
  return mul(0.5, pow(sub(y, yhat), 2));
}

/** The mean of per-output terms: (1/C)·Σ_c term_c, or the term itself when C = 1. */
export function meanOf(terms: readonly Node[]): Node {
  checkArg('meanOf', 'terms', terms, NODES);
  if (terms.length === 0) throw new DownhillError('the mean of no terms');
  return terms.length === 1 ? terms[0]! : mul(sum(terms), 1 / terms.length);
}

/**
 * Mean squared error over several outputs: (1/C) Σ_c (y_c − ŷ_c)².
 * Over a batch, the mean over samples is the compile option reduce: 'mean'.
 *
 *   meanSquaredError([sym('a'), sym('b')], [1, 2])   // ((1 − a)² + (2 − b)²) · 0.5
 */
export function meanSquaredError(yhat: readonly Node[], y: readonly Operand[]): Node {
  checkOutputs('meanSquaredError', 'yhat', yhat, y);
  if (yhat.length === 0 || yhat.length !== y.length) throw new DownhillError(`mean squared error: ${yhat.length} outputs but ${y.length} targets`);
  return meanOf(yhat.map((o, c) => squaredError(o, y[c]!)));
}

/**
 * Mean absolute error over several outputs: (1/C) Σ_c |y_c − ŷ_c|.
 *
 *   meanAbsoluteError([sym('a')], [sym('y')])   // |y − a|
 */
export function meanAbsoluteError(yhat: readonly Node[], y: readonly Operand[]): Node {
  checkOutputs('meanAbsoluteError', 'yhat', yhat, y);
  if (yhat.length === 0 || yhat.length !== y.length) throw new DownhillError(`mean absolute error: ${yhat.length} outputs but ${y.length} targets`);
  return meanOf(yhat.map((o, c) => absoluteError(o, y[c]!)));
}

/** |y − ŷ| */
export function absoluteError(yhat: Node, y: Operand): Node {
  checkSample('absoluteError', 'yhat', yhat, y);
  return call('abs', sub(y, yhat));
}

/** huber(y − ŷ, δ): quadratic near 0, linear beyond δ. */
export function huberLoss(yhat: Node, y: Operand, delta: Operand = 1): Node {
  checkSample('huberLoss', 'yhat', yhat, y);
  checkArg('huberLoss', 'delta', delta, OPERAND);
  return call('huber', sub(y, yhat), delta);
}

/** −(y log p + (1 − y) log(1 − p)), for a probability p in (0, 1). */
export function binaryCrossEntropy(p: Node, y: Operand): Node {
  checkSample('binaryCrossEntropy', 'p', p, y);
  return neg(add(mul(y, call('log', p)), mul(sub(1, y), call('log', sub(1, p)))));
}

/**
 * Binary cross-entropy of σ(z) written on the logit z: softplus(z) − y·z.
 * Numerically stable, and its derivative is the famous σ(z) − y.
 */
export function binaryCrossEntropyWithLogits(z: Node, y: Operand): Node {
  checkSample('binaryCrossEntropyWithLogits', 'z', z, y);
  return sub(call('softplus', z), mul(y, z));
}

/** Softmax cross-entropy on logits z with a one-hot target y: logsumexp(z) − Σ_c y_c z_c. */
export function softmaxCrossEntropy(z: readonly Node[], y: readonly Operand[]): Node {
  checkOutputs('softmaxCrossEntropy', 'z', z, y);
  if (z.length !== y.length) throw new DownhillError(`softmax cross-entropy: ${z.length} logits but ${y.length} targets`);
  return sub(call('logsumexp', ...z), sum(z.map((zc, c) => mul(y[c]!, zc))));
}

/** Hinge loss max(0, 1 − y·s) for a label y in {−1, 1} and a score s. */
export function hinge(s: Node, y: Operand): Node {
  checkSample('hinge', 's', s, y);
  return call('relu', sub(1, mul(y, s)));
}
