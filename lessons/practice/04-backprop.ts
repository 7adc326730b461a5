// Practice for lesson 4: backpropagation through z = w1·x1 + w2·x2,
// h = σ(z), ŷ = w3·h, L = (y − ŷ)². The three partials by the chain rule
// (the intermediate names may be used), σ′, the forward pass and one step
// at the lesson's numbers, and a prediction about other starts.
import { definePractice, formatNumber, gd, initParams, mainExample, network, squaredError, sym, train } from 'downhill';

const names = { z: 'w1*x1 + w2*x2', h: 'sigmoid(z)', yhat: 'w3*h' } as const;
const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));

export default definePractice({
  lesson: 4, name: 'backprop', title: 'Practice: backpropagation',
}, (v) => {
  const example = mainExample();
  const [x1, x2, y] = example.rows[0]! as [number, number, number];
  const net = network([2, 1, 1], { hidden: 'sigmoid', output: 'identity', bias: false });
  const seed = v.pick([1, 2, 6, 7]);
  const [w1, w2, w3] = [...initParams(net, { seed })] as [number, number, number];
  const z = w1 * x1 + w2 * x2, h = sigmoid(z), yhat = w3 * h;
  const dw3 = -2 * (y - yhat) * h;
  const eta = v.number(0.5, 0.2, 1, 1);
  const at = `$w_{1} = ${formatNumber(w1, 6)}$, $w_{2} = ${formatNumber(w2, 6)}$, $w_{3} = ${formatNumber(w3, 6)}$, $x_{1} = ${x1}$, $x_{2} = ${x2}$, $y = ${y}$`;
  const starts = [3, 4, 5];
  return [
    { kind: 'formula', id: 'dl-dw3', prompt: 'Derive $\\partial L/\\partial w_{3}$ by the chain rule, by hand.', expression: '(y - yhat)^2', wrt: 'w3', names, key: '-2*(y - yhat)*h' },
    { kind: 'formula', id: 'dl-dw1', prompt: 'Derive $\\partial L/\\partial w_{1}$: through $\\hat{y}$, $h$ and $z$ down to $w_{1}$.', expression: '(y - yhat)^2', wrt: 'w1', names, key: '-2*(y - yhat)*w3*h*(1 - h)*x1' },
    { kind: 'formula', id: 'dl-dw2', prompt: 'Derive $\\partial L/\\partial w_{2}$.', expression: '(y - yhat)^2', wrt: 'w2', names, key: '-2*(y - yhat)*w3*h*(1 - h)*x2' },
    { kind: 'formula', id: 'sigmoid-prime', prompt: 'Differentiate the sigmoid: $\\sigma\'(z)$ for $\\sigma(z) = 1/(1 + e^{-z})$ (written with `sigmoid` or with `exp`).', expression: 'sigmoid(z)', wrt: 'z', of: 'h', names: { h: 'sigmoid(z)' }, domain: { z: [-6, 6] }, key: 'h*(1 - h)' },
    { kind: 'number', id: 'forward', prompt: `The forward pass: compute $\\hat{y}$ at ${at}.`, value: yhat, tolerance: 0.0005, hint: 'First $z$, then $h = \\sigma(z)$, then $\\hat{y} = w_{3} h$.' },
    { kind: 'number', id: 'grad-w3', prompt: `Compute $\\partial L/\\partial w_{3}$ at the same numbers.`, value: dw3, tolerance: 0.0005, hint: '$-2 (y - \\hat{y})$ times $h$.' },
    { kind: 'number', id: 'step-w3', prompt: `One step of gradient descent with $\\eta = ${eta}$: the new $w_{3}$.`, value: w3 - eta * dw3, tolerance: 0.0005, hint: '$w_{3} - \\eta \\, \\partial L/\\partial w_{3}$.' },
    { kind: 'prediction', id: 'other-starts', prompt: `With $\\eta = ${eta}$ and 200 steps, from the random starts of seeds ${starts.join(', ')}: how many of the three reach a loss below $10^{-6}$?`, tolerance: 0,
      hint: 'The loss has one sample and three weights: many weights give $\\hat{y} = y$.',
      run: () => {
        const L = squaredError(net.outputs[0]!, sym('y'));
        const losses = starts.map((s) => train({ loss: L, params: [...net.params], data: ['x1', 'x2', 'y'], batch: [[x1, x2, y]], init: [...initParams(net, { seed: s })], optimizer: gd(eta), steps: 200 }).loss);
        const below = losses.filter((l) => l < 1e-6).length;
        return { value: below, report: `losses after 200 steps: ${losses.map((l, k) => `seed ${starts[k]}: ${formatNumber(l, 3)}`).join(', ')}` };
      } },
  ];
});
