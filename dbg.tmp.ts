import { train, trainOn, gd, continuation, diagnose, denseNetwork, binaryCrossEntropyWithLogits, sym, xor, mulberry32, uniform } from './src/index.ts';
const net = denseNetwork([{ in: 2, out: 2, activation: 'sigmoid', bias: true }, { in: 2, out: 1, activation: 'identity', bias: true }], { naming: 'indexed' });
const loss = binaryCrossEntropyWithLogits(net.outputs[0]!, sym('y'));
const data = xor(); const rng = mulberry32(1);
const init = net.params.map(() => uniform(rng, -1, 1));
const setupOf = (steps: number) => ({ loss, params: net.params, data: [...data.inputs, ...data.targets], batch: data.rows, init, optimizer: gd(2.3), steps });
let run = train(setupOf(250));
for (const [j, k] of [250, 500, 1000, 2000].entries()) {
  const t = performance.now();
  let first = -1;
  const c = continuation(setupOf(k));
  const d = diagnose(run, { continued: (s, l, r) => { const x = c(s, l, r); first = x.steps[0]!.step; return x; } });
  console.log(k, d.kind, 'continued from', first, (performance.now() - t).toFixed(1), 'ms');
  run = trainOn(run, setupOf([500, 1000, 2000][j] ?? 2000));
}
