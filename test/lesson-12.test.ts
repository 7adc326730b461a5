// Lesson 12 on a few sequences (the full run belongs to the lesson itself):
// its accuracy before training against a count made here with a plain-loop
// attention forward pass, its Jacobian table against the closed form, its
// data against answers decoded here from the tokens.
import { describe, expect, test } from 'vitest';
import { mulberry32, normal } from '../src/nn/random.ts';
import { findLesson } from '../src/lesson/registry.ts';
import { readSettings, settingsFor } from '../src/lesson/settings.ts';
import { column, table, undrawnDoc } from './support/lesson-doc.ts';
import { proseOf } from '../src/render/document.ts';
import { sequences } from '../lessons/12-attention.ts';

const T = 5, d = 13, C = 4, ROW = T * d + C;
/** A number as a cell or sentence shows it: '0.0154', '24.2%', or TeX '$-2.77 \\times 10^{-4}$'. */
const value = (c: unknown): number => {
  const tex = /^\$?(-?[\d.]+) \\times 10\^\{(-?\d+)\}\$?$/.exec(String(c));
  return tex ? Number(`${tex[1]}e${tex[2]}`) : Number(String(c).replace('%', ''));
};

/** The answer decoded from the tokens: the value of the pair whose key is the query's. */
function decode(data: Float64Array, n: number): number {
  const tok = (t: number): Float64Array => data.subarray(n * ROW + t * d, n * ROW + t * d + d);
  const key = tok(4).subarray(0, 8).indexOf(1);
  const pair = [0, 1, 2, 3].filter((t) => tok(t)[key] === 1);
  expect(pair).toHaveLength(1);
  return tok(pair[0]!).subarray(8, 12).indexOf(1);
}

/** The network's answer by plain loops: q, k, v per token, softmax down each column of KᵀQ/√d, residual, mean, dense. */
function predict(W: Float64Array[], b: Float64Array, data: Float64Array, n: number): number {
  const mv = (M: Float64Array, v: ArrayLike<number>, rows: number): number[] => Array.from({ length: rows }, (_, r) => { let s = 0; for (let c = 0; c < d; c++) s += M[r * d + c]! * v[c]!; return s; });
  const x = Array.from({ length: T }, (_, t) => data.subarray(n * ROW + t * d, n * ROW + t * d + d));
  const [q, k, v] = [0, 1, 2].map((w) => x.map((xt) => mv(W[w]!, xt, d))) as [number[][], number[][], number[][]];
  const m = new Array<number>(d).fill(0);
  for (let t = 0; t < T; t++) {
    const s = k.map((ki) => ki.reduce((acc, kv, j) => acc + kv * q[t]![j]!, 0) / Math.sqrt(d));
    const top = Math.max(...s), e = s.map((si) => Math.exp(si - top)), sum = e.reduce((a, b2) => a + b2, 0);
    const o = new Array<number>(d).fill(0);
    e.forEach((ei, i) => v[i]!.forEach((vv, j) => { o[j] = o[j]! + (ei / sum) * vv; }));
    const h = mv(W[3]!, o, d).map((hv, j) => hv + x[t]![j]!);
    h.forEach((hv, j) => { m[j] = m[j]! + hv / T; });
  }
  const z = mv(W[4]!, m, C).map((zv, c) => zv + b[c]!);
  return z.indexOf(Math.max(...z));
}

describe('lesson 12: attention', () => {
  test('on 200 sequences (200 held out) for 2 epochs: accuracy, counts, the first sequences and the Jacobian agree with independent answers', async () => {
    const seed = 3, nTrain = 200, HELD = 200;
    // Its plots and pictures undrawn (support/lesson-doc.ts undrawnDoc): only the prose and the tables are read here.
    const doc = await undrawnDoc('12', { seed, sequences: nTrain, epochs: 2, batch: 20, lr: 0.01 });
    const flat = proseOf(doc).join(' ').replace(/\s+/g, ' ');

    // The lesson's draws: weights W_q, W_k, W_v, W_o (13 × 13), W (4 × 13) normal/√13, bias 0; then the training and held-out sequences.
    const rng = mulberry32(seed);
    const W = [d, d, d, d, C].map((rows) => Float64Array.from({ length: rows * d }, () => normal(rng) / Math.sqrt(d)));
    sequences(rng, nTrain);
    const held = sequences(rng, HELD);
    const answers = Array.from({ length: HELD }, (_, n) => decode(held, n));
    answers.forEach((y, n) => expect(held[n * ROW + T * d + y]).toBe(1));

    // Accuracy before training: a count made here with the loops above.
    const right0 = answers.filter((y, n) => predict(W, new Float64Array(C), held, n) === y).length;
    const epochs = table(doc, 'held-out accuracy');
    const acc = column(epochs, 'held-out accuracy');
    expect(epochs.rows.map((r) => r[0])).toEqual([0, 1, 2]);
    expect(value(epochs.rows[0]![acc])).toBeCloseTo((100 * right0) / HELD, 6);

    // After training: the counts table's rows are the answers counted here, its diagonal the last epoch's accuracy.
    const counts = table(doc, 'held-out sequences answered wrong');
    counts.rows.forEach((r, y) => expect(r.slice(1).reduce((s: number, c) => s + Number(c), 0)).toBe(answers.filter((a) => a === y).length));
    const diagonal = counts.rows.reduce((s: number, r, y) => s + Number(r[y + 1]), 0);
    expect((100 * diagonal) / HELD).toBeCloseTo(value(epochs.rows[2]![acc]), 6);
    expect(counts.caption).toContain(`${HELD - diagonal} of ${HELD} held-out sequences answered wrong`);
    const accSentence = /answered right (?:rose|fell) from ([\d.]+)% to ([\d.]+)%|answered right stayed at ([\d.]+)%/.exec(flat)!;
    expect(value(accSentence[2] ?? accSentence[3])).toBe(value(epochs.rows[2]![acc]));
    const perAnswer = [0, 1, 2, 3].map((c) => answers.filter((a) => a === c).length);
    const common = Math.max(...perAnswer), tied = [0, 1, 2, 3].filter((c) => perAnswer[c] === common);
    if (tied.length === 1) expect(flat).toContain(`always answering ${tied[0]}, the most frequent answer among them, would score ${(100 * common / HELD).toFixed(1)}%`);
    else expect(flat).toContain(`always answering ${tied.slice(0, -1).join(', ')} or ${tied.at(-1)}, tied as the most frequent answers among them`);

    // The first held-out sequences as shown, decoded here.
    const shown = table(doc, 'asks for the value');
    expect(shown.rows.length).toBeGreaterThan(0);
    shown.rows.forEach((r, n) => expect(r.at(-1)).toBe(answers[n]));

    // The Jacobian: a = softmax(s) from the table's scores, each entry a_i(δ_ij − a_j) at the table's a, each row summing to 0.
    const J = table(doc, 'Jacobian of the softmax');
    const s = J.rows.map((r) => value(r[1])), a = J.rows.map((r) => value(r[2]));
    const e = s.map(Math.exp), sum = e.reduce((x, y) => x + y, 0);
    e.forEach((ei, i) => expect(Math.abs(ei / sum - a[i]!)).toBeLessThan(2e-3));
    J.rows.forEach((r, i) => r.slice(3).forEach((c, j) => expect(Math.abs(value(c) - a[i]! * ((i === j ? 1 : 0) - a[j]!))).toBeLessThan(2e-3)));
    // the engine's dS and the table's Jacobian applied to the engine's dA, as printed
    const adj = table(doc, 'same dS from the table');
    expect(adj.rows.length).toBeGreaterThan(0);
    adj.rows.forEach((r) => expect(value(r[2])).toBeCloseTo(value(r[3]), 12));
    const gap = /differs from the engine's dS by at most (\S+ \\times 10\^\{-?\d+\}\$|[\d.]+)/.exec(flat)!;
    expect(value(gap[1])).toBeLessThan(1e-12);

    // the derived attention equations, as text
    const eq = table(doc, 'The same equations as text').rows.map((r) => String(r[0]));
    expect(eq).toContain('dS = A ⊙ (dA − 1 Σ_rows (dA ⊙ A))');
    expect(eq).toContain('dQ = (1/√13) K dS');
    expect(eq).toContain('dK = (1/√13) Q dSᵀ');
    expect(eq).toContain('dV = dO Aᵀ');
    expect(eq).toContain('dA = Vᵀ dO');
  }, 60_000);

  test('takes the training flags and refuses others', async () => {
    const lesson = await findLesson('attention');
    expect(settingsFor(lesson, { epochs: 3 })).toMatchObject({ epochs: 3, lr: 0.01, batch: 50, seed: 1, sequences: 4000 });
    expect(() => settingsFor(lesson, { steps: 5 })).toThrow('lesson 12 (attention) takes no --steps');
    expect(() => readSettings({ sequences: '5' })).toThrow('--sequences expects a number ≥ 10, got 5');
  });
});
