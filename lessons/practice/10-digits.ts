// Practice for lesson 10: backpropagation in matrix form for the 784-30-10
// network on digits (sigmoid hidden layer, softmax cross-entropy, a batch
// of N digits as columns). Answers are matrix equations, graded on random
// matrices with their shapes checked; and two numbers about the network.
import { definePractice } from 'downhill';

const shapes = {
  X: ['n0', 'N'], Y: ['n2', 'N'], W1: ['n1', 'n0'], b1: ['n1', 'one'], W2: ['n2', 'n1'], b2: ['n2', 'one'],
} as const;
const forward = { z1: 'W1 * X + b1', a1: 'sigmoid(z1)', z2: 'W2 * a1 + b2' };
const backward = { delta2: '(softmax(z2) - Y) / N', delta1: "(W2' * delta2) .* a1 .* (1 - a1)" };
const where = 'The forward pass is $z^{(1)} = W^{(1)} X + b^{(1)}$, $a^{(1)} = \\sigma(z^{(1)})$, $z^{(2)} = W^{(2)} a^{(1)} + b^{(2)}$; the loss is the mean softmax cross-entropy over the N columns of the batch, with one-hot labels $Y$.';

export default definePractice({
  lesson: 10, name: 'digits', title: 'Practice: backpropagation in matrix form',
}, (v) => {
  const hidden = v.pick([30, 100, 50]);
  const batch = v.pick([32, 16, 64]);
  const sizes = { n0: 784, n1: hidden, n2: 10, N: batch, one: 1 };
  const common = { shapes, sizes } as const;
  return [
    { kind: 'matrix', id: 'delta2', prompt: `${where} Write the output layer's error $\\delta^{(2)} = \\partial L/\\partial z^{(2)}$.`, ...common, names: forward, formula: backward.delta2 },
    { kind: 'matrix', id: 'dl-dw2', prompt: 'Write $\\partial L/\\partial W^{(2)}$ in terms of $\\delta^{(2)}$ (`delta2`).', ...common, names: { ...forward, delta2: backward.delta2 }, formula: "delta2 * a1'" },
    { kind: 'matrix', id: 'delta1', prompt: 'Write the hidden layer\'s error $\\delta^{(1)} = \\partial L/\\partial z^{(1)}$ in terms of $\\delta^{(2)}$.', ...common, names: { ...forward, delta2: backward.delta2 }, formula: backward.delta1,
      factors: { "σ′(z⁽¹⁾)": 'a1 .* (1 - a1)' } },
    { kind: 'matrix', id: 'dl-dw1', prompt: 'Write $\\partial L/\\partial W^{(1)}$ in terms of $\\delta^{(1)}$ (`delta1`).', ...common, names: { ...forward, ...backward }, formula: "delta1 * X'" },
    { kind: 'matrix', id: 'dl-db1', prompt: 'Write $\\partial L/\\partial b^{(1)}$: the bias is copied to every column, so its gradient adds up over the batch (`sum(M, 2)` adds each row of M).', ...common, names: { ...forward, ...backward }, formula: 'sum(delta1, 2)' },
    { kind: 'number', id: 'parameters', prompt: `How many parameters (weights and biases) has the 784-${hidden}-10 network?`, value: 784 * hidden + hidden + hidden * 10 + 10, tolerance: 0,
      hint: 'Each layer has (outputs × inputs) weights and one bias per output.' },
    { kind: 'number', id: 'steps-per-epoch', prompt: `An epoch of 8,000 training digits in batches of ${batch}: how many gradient steps is that?`, value: 8000 / batch, tolerance: 0,
      hint: 'One step per batch.' },
  ];
});
