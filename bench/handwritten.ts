/**
 * The baseline: backpropagation written by hand over Float64Arrays, the way
 * a competent engineer would write it for speed without exotic tricks.
 * Compiled symbolic gradients are measured against it.
 *
 * Per sample: a forward pass storing each layer's activations, then the
 * backward pass (the chain rule, layer by layer)
 *
 *   δₗ = ∂L/∂aₗ ⊙ act'(zₗ),  ∂L/∂Wₗ += δₗ aₗ₋₁ᵀ,  ∂L/∂bₗ += δₗ,  ∂L/∂aₗ₋₁ = Wₗᵀ δₗ,
 *
 * with act' taken from the activation's output: sigmoid' = a(1 − a),
 * tanh' = 1 − a², identity' = 1, relu' = [a > 0]. All buffers are allocated
 * once, when the function is made.
 */
import type { ReferenceModel } from '../src/nn/reference.ts';

/** What the baseline reads of a model: its layers, loss and batch. */
export type HandModel = Pick<ReferenceModel, 'layers' | 'loss' | 'N' | 'inputs' | 'targets' | 'classes'>;
import { DownhillError } from '../src/errors.ts';

const SIGMOID = 0, TANH = 1, IDENTITY = 2, RELU = 3;
const activationCode: ReadonlyMap<string, number> = new Map([['sigmoid', SIGMOID], ['tanh', TANH], ['identity', IDENTITY], ['relu', RELU]]);

function codeOf(activation: string): number {
  const code = activationCode.get(activation);
  if (code === undefined) throw new DownhillError(`the hand-written baseline has no activation "${activation}"`);
  return code;
}

/** The layout of a model: sizes and offsets as plain number arrays, plus preallocated buffers. */
interface Plan {
  L: number;
  ins: number[];
  outs: number[];
  act: number[];
  wOff: number[];
  /** Offset of the bias in p, or −1 for a layer without one. */
  bOff: number[];
  /** acts[l] = output of layer l for the current sample (acts[0] is a copy of the input). */
  acts: Float64Array[];
  /** dA[l] = ∂L/∂acts[l] for the current sample. */
  dA: Float64Array[];
}

function makePlan(m: HandModel): Plan {
  const L = m.layers.length;
  const ins: number[] = [], outs: number[] = [], act: number[] = [], wOff: number[] = [], bOff: number[] = [];
  const acts: Float64Array[] = [], dA: Float64Array[] = [];
  let off = 0;
  acts.push(new Float64Array(m.layers[0]?.in ?? 0));
  dA.push(new Float64Array(m.layers[0]?.in ?? 0));
  for (const l of m.layers) {
    ins.push(l.in);
    outs.push(l.out);
    act.push(codeOf(l.activation));
    wOff.push(off);
    off += l.in * l.out;
    bOff.push(l.bias ? off : -1);
    if (l.bias) off += l.out;
    acts.push(new Float64Array(l.out));
    dA.push(new Float64Array(l.out));
  }
  return { L, ins, outs, act, wOff, bOff, acts, dA };
}

/** Forward pass of one sample x through the layers; leaves every layer's output in plan.acts. */
function forward(plan: Plan, p: Float64Array, x: Float64Array): Float64Array {
  const { L, ins, outs, act, wOff, bOff, acts } = plan;
  const a0 = acts[0]!;
  a0.set(x);
  let a = a0;
  for (let l = 0; l < L; l++) {
    const nin = ins[l]!, nout = outs[l]!, w = wOff[l]!, b = bOff[l]!, kind = act[l]!;
    const out = acts[l + 1]!;
    for (let j = 0; j < nout; j++) {
      // z_j = b_j + Σᵢ W[j][i]·aᵢ, summed in this order (bias first, then i = 0, 1, ...),
      // the order that reproduces the spec's listed losses bit for bit
      const row = w + j * nin;
      let z = b >= 0 ? p[b + j]! : 0;
      for (let i = 0; i < nin; i++) z += p[row + i]! * a[i]!;
      out[j] = kind === TANH ? Math.tanh(z) : kind === SIGMOID ? 1 / (1 + Math.exp(-z)) : kind === RELU ? (z > 0 ? z : 0) : z;
    }
    a = out;
  }
  return a;
}

/**
 * The loss of one sample given the network output `out`; when `dOut` is
 * given, also writes ∂(sample loss)/∂out into it, scaled by `scale` (1/N).
 */
function sampleLoss(m: HandModel, n: number, out: Float64Array, dOut: Float64Array | null, scale: number): number {
  if (m.loss === 'softmax_ce') {
    // logsumexp(z) − z[c], stable: m = max z, lse = m + log Σ exp(z − m)
    const c = m.classes![n]!;
    const K = out.length;
    let mx = out[0]!;
    for (let k = 1; k < K; k++) if (out[k]! > mx) mx = out[k]!;
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(out[k]! - mx);
    const lse = mx + Math.log(s);
    if (dOut) {
      // ∂/∂z_k = softmax(z)_k − [k = c]
      for (let k = 0; k < K; k++) dOut[k] = (Math.exp(out[k]! - mx) / s - (k === c ? 1 : 0)) * scale;
    }
    return lse - out[c]!;
  }
  // 'se' and 'mse': (ŷ − y)², ∂/∂ŷ = 2(ŷ − y)
  const y = m.targets[n]!;
  let sum = 0;
  for (let k = 0; k < out.length; k++) {
    const r = y[k]! - out[k]!;
    sum += r * r;
    if (dOut) dOut[k] = -2 * r * scale;
  }
  return sum;
}

/**
 * A function p ↦ loss of the model at parameters p over its whole batch
 * (forward passes only). 'se' and 'mse' both divide the sum by N (N = 1 for seed3).
 */
export function handwrittenLoss(m: HandModel): (p: Float64Array) => number {
  const plan = makePlan(m);
  const { N, inputs } = m;
  return (p) => {
    let total = 0;
    for (let n = 0; n < N; n++) total += sampleLoss(m, n, forward(plan, p, inputs[n]!), null, 1);
    return total / N;
  };
}

/**
 * A function (p, g) ↦ loss that also fills g with ∂loss/∂p (g is overwritten,
 * length P), by reverse-mode backpropagation, one sample at a time.
 */
export function handwrittenGrad(m: HandModel): (p: Float64Array, g: Float64Array) => number {
  const plan = makePlan(m);
  const { L, ins, outs, act, wOff, bOff, acts, dA } = plan;
  const { N, inputs } = m;
  const scale = 1 / N;
  return (p, g) => {
    g.fill(0);
    let total = 0;
    for (let n = 0; n < N; n++) {
      const out = forward(plan, p, inputs[n]!);
      total += sampleLoss(m, n, out, dA[L]!, scale);
      for (let l = L - 1; l >= 0; l--) {
        const nin = ins[l]!, nout = outs[l]!, w = wOff[l]!, b = bOff[l]!, kind = act[l]!;
        const a = acts[l + 1]!, d = dA[l + 1]!, prev = acts[l]!, dPrev = dA[l]!;
        const needPrev = l > 0;
        if (needPrev) dPrev.fill(0);
        for (let j = 0; j < nout; j++) {
          const aj = a[j]!;
          // δ_j = ∂L/∂a_j · act'(z_j)
          const dz = d[j]! * (kind === TANH ? 1 - aj * aj : kind === SIGMOID ? aj * (1 - aj) : kind === RELU ? (aj > 0 ? 1 : 0) : 1);
          if (dz === 0) continue;
          if (b >= 0) g[b + j]! += dz;
          const row = w + j * nin;
          for (let i = 0; i < nin; i++) g[row + i]! += dz * prev[i]!;
          if (needPrev) for (let i = 0; i < nin; i++) dPrev[i]! += p[row + i]! * dz;
        }
      }
    }
    return total / N;
  };
}
