/**
 * A reference model's batch loss written out as ONE mathjs expression, the
 * way a user of mathjs alone would differentiate it: parameters are symbols
 * (w0, w1, ...), inputs and targets are numeric literals, every sample's
 * forward pass is spelled out, and the batch is reduced inside the text.
 *
 *   const { text, params } = batchLossText(referenceModel('seed3'))
 *   // text:   '(0.35... - (w2 * (1 / (1 + exp(-(w0 * 0.2... + w1 * -0.1...)))))) ^ 2'
 *   // params: ['w0', 'w1', 'w2']
 *
 * Sums follow the compiled graph's order (bias first, then the weights), so
 * the value at the initial weights is the listed loss up to rounding.
 */
import type { ReferenceModel } from '../src/nn/reference.ts';
import { DownhillError } from '../src/errors.ts';

/** A double as mathjs text (parenthesised when negative). */
function num(v: number): string {
  if (!Number.isFinite(v)) throw new DownhillError(`cannot write ${v} into a mathjs expression`);
  return v < 0 ? `(${String(v)})` : String(v);
}

/** mathjs has no sigmoid or relu: they are written by their definitions. */
function activate(activation: string, z: string): string {
  switch (activation) {
    case 'identity': return z;
    case 'tanh': return `tanh(${z})`;
    case 'sigmoid': return `1 / (1 + exp(-(${z})))`;
    default: throw new DownhillError(`the mathjs comparison has no activation "${activation}"`);
  }
}

/** The batch loss of `m` as mathjs text over the parameter symbols w0 … w(P−1). */
export function batchLossText(m: ReferenceModel): { text: string; params: string[] } {
  const params = Array.from({ length: m.P }, (_, k) => `w${k}`);
  const samples: string[] = [];
  for (let n = 0; n < m.N; n++) {
    let a = [...m.inputs[n]!].map(num);
    let off = 0;
    for (const layer of m.layers) {
      const out: string[] = [];
      const bOff = off + layer.in * layer.out;
      for (let j = 0; j < layer.out; j++) {
        const terms = a.map((ai, i) => `${params[off + j * layer.in + i]} * ${ai}`);
        if (layer.bias) terms.unshift(params[bOff + j]!);
        out.push(`(${activate(layer.activation, terms.join(' + '))})`);
      }
      off = bOff + (layer.bias ? layer.out : 0);
      a = out;
    }
    if (m.loss === 'softmax_ce') {
      const c = m.classes![n]!;
      samples.push(`(log(${a.map((z) => `exp(${z})`).join(' + ')}) - ${a[c]!})`);
    } else {
      samples.push(`(${num(m.targets[n]![0]!)} - ${a[0]!}) ^ 2`);
    }
  }
  const text = m.N === 1 && m.loss === 'se' ? samples[0]! : `(${samples.join(' + ')}) / ${m.N}`;
  return { text, params };
}
