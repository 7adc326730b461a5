// Practice for lesson 8: training XOR with a 2-2-1 network. Partials through
// the hidden layer (the names of the lesson's layers may be used), a forward
// value, and predictions about the lesson's runs from the start of seed 11,
// checked against the runs themselves.
import {
  binaryCrossEntropyWithLogits, definePractice, evaluate, denseNetwork, formatNumber, gd, mulberry32, sym, train, uniform, xor, type LayerSpec,
} from 'downhill';

const names = {
  z1: 'w1*x1 + w2*x2 + b1', a1: 'sigmoid(z1)', z2: 'w3*x1 + w4*x2 + b2', a2: 'sigmoid(z2)', z: 'v1*a1 + v2*a2 + c',
} as const;
const loss = 'softplus(z) - y*z';
const domain = { y: [0, 1] as const };
const layers: LayerSpec[] = [{ in: 2, out: 2, activation: 'sigmoid', bias: true }, { in: 2, out: 1, activation: 'identity', bias: true }];

/** The lesson's run: seed, rate, steps; how many of the four rows it gets right at the end. */
function rowsRight(seed: number, lr: number, steps: number): { value: number; report: string } {
  const data = xor();
  const net = denseNetwork(layers, { naming: 'indexed' });
  const z = net.outputs[0]!;
  const rng = mulberry32(seed);
  const init = net.params.map(() => uniform(rng, -1, 1));
  const run = train({ loss: binaryCrossEntropyWithLogits(z, sym('y')), params: net.params, data: [...data.inputs, ...data.targets], batch: data.rows, init, optimizer: gd(lr), steps });
  const weights = Object.fromEntries(net.params.map((name, k) => [name, run.p[k]!]));
  const right = data.rows.filter(([x1, x2, y]) => (evaluate(z, { ...weights, x1: x1!, x2: x2! }) > 0 ? 1 : 0) === y).length;
  return { value: right, report: `seed ${seed}, η = ${lr}, ${steps} steps: loss ${formatNumber(run.loss, 4)}, ${right} of 4 rows right` };
}

export default definePractice({
  lesson: 8, name: 'xor', title: 'Practice: training XOR',
}, (v) => {
  const w = { w1: v.number(0.5, -1, 1), w2: v.number(-0.3, -1, 1), b1: v.number(0.1, -1, 1), w3: v.number(0.8, -1, 1), w4: v.number(0.2, -1, 1), b2: v.number(-0.4, -1, 1), v1: v.number(1.2, -2, 2), v2: v.number(-0.7, -2, 2), c: v.number(0.3, -1, 1) };
  const s = (u: number): number => 1 / (1 + Math.exp(-u));
  const [x1, x2] = [1, 0];
  const zOut = w.v1 * s(w.w1 * x1 + w.w2 * x2 + w.b1) + w.v2 * s(w.w3 * x1 + w.w4 * x2 + w.b2) + w.c;
  const seed = 11;
  return [
    { kind: 'formula', id: 'dl-dv1', prompt: 'The network: $z_{1} = w_{1} x_{1} + w_{2} x_{2} + b_{1}$, $a_{1} = \\sigma(z_{1})$, $z_{2} = w_{3} x_{1} + w_{4} x_{2} + b_{2}$, $a_{2} = \\sigma(z_{2})$, the logit $z = v_{1} a_{1} + v_{2} a_{2} + c$, and the loss $L = \\operatorname{softplus}(z) - y z$. Derive $\\partial L/\\partial v_{1}$.',
      expression: loss, wrt: 'v1', names, domain, key: '(sigmoid(z) - y)*a1' },
    { kind: 'formula', id: 'dl-dc', prompt: 'Derive $\\partial L/\\partial c$, the output bias.', expression: loss, wrt: 'c', names, domain, key: 'sigmoid(z) - y' },
    { kind: 'formula', id: 'dl-dw1', prompt: 'Derive $\\partial L/\\partial w_{1}$: back through the output, $a_{1}$ and $z_{1}$.', expression: loss, wrt: 'w1', names, domain, key: '(sigmoid(z) - y)*v1*a1*(1 - a1)*x1' },
    { kind: 'formula', id: 'dl-db2', prompt: 'Derive $\\partial L/\\partial b_{2}$, the bias of the second hidden unit.', expression: loss, wrt: 'b2', names, domain, key: '(sigmoid(z) - y)*v2*a2*(1 - a2)' },
    { kind: 'number', id: 'logit', prompt: `Compute the logit $z$ for the row $(x_{1}, x_{2}) = (1, 0)$ with ${Object.entries(w).map(([k, x]) => `$${k.replace(/(\d)/, '_{$1}')} = ${formatNumber(x, 6)}$`).join(', ')}.`, value: zOut, tolerance: 0.0005,
      hint: 'First $z_{1}$ and $z_{2}$, then $a_{1} = \\sigma(z_{1})$ and $a_{2} = \\sigma(z_{2})$, then $z$.' },
    { kind: 'prediction', id: 'seed-11', prompt: `The lesson's run from the start of seed ${seed} (η = 2, 2000 steps): how many of the 4 rows does it get right at the end?`, tolerance: 0,
      run: () => rowsRight(seed, 2, 2000), see: '`downhill lesson 8 --seed 11`', hint: 'A point where the gradient almost vanishes need not be a minimum.' },
    { kind: 'prediction', id: 'larger-rate', prompt: `Does a larger rate change where that start ends up? From seed ${seed} with η = 10 and 300 steps: how many of the 4 rows are right at the end?`, tolerance: 0,
      run: () => rowsRight(seed, 10, 300), see: '`downhill lesson 8 --seed 11 --lr 10 --steps 300`', hint: 'A larger step can carry the weights across the flat region.' },
  ];
});
