// Practice for lesson 12: backpropagation through one self-attention block,
// for a single sequence of T tokens as the columns of X (d = 13 numbers
// each). Answers are matrix equations, graded on random matrices with their
// shapes checked; and two numbers: the parameters and one entry of the
// softmax's Jacobian.
import { definePractice } from 'downhill';

const shapes = {
  X: ['d', 'T'], Wq: ['d', 'd'], Wk: ['d', 'd'], Wv: ['d', 'd'], dO: ['d', 'T'], dS: ['T', 'T'],
} as const;
const forward = { Q: 'Wq * X', K: 'Wk * X', V: 'Wv * X', A: "softmax(K' * Q / sqrt(13))" };
const where = 'One sequence of T tokens is the matrix X, a token per column: $Q = W_q X$, $K = W_k X$, $V = W_v X$, $A = \\operatorname{softmax}(K^T Q/\\sqrt{13})$ down each column, $O = V A$.';

export default definePractice({
  lesson: 12, name: 'attention', title: 'Practice: backpropagation through attention',
}, (v) => {
  const a1 = v.pick([0.5, 0.6, 0.2]);
  const a2 = v.pick([0.3, 0.1, 0.7]);
  const sizes = { d: 13, T: 5 };
  const common = { shapes, sizes } as const;
  return [
    { kind: 'matrix', id: 'dv', prompt: `${where} Given $dO = \\partial L/\\partial O$ (\`dO\`), write $dV = \\partial L/\\partial V$.`, ...common, names: forward, formula: "dO * A'" },
    { kind: 'matrix', id: 'da', prompt: 'Write $dA = \\partial L/\\partial A$ in terms of $dO$ (`dO`).', ...common, names: forward, formula: "V' * dO" },
    { kind: 'matrix', id: 'dq', prompt: 'Given $dS$ (`dS`), the derivative of the loss with respect to the scores $S = K^T Q/\\sqrt{13}$, write $dQ$.', ...common, names: forward, formula: 'K * dS / sqrt(13)' },
    { kind: 'matrix', id: 'dk', prompt: 'Given $dS$ (`dS`), write $dK$.', ...common, names: forward, formula: "Q * dS' / sqrt(13)" },
    { kind: 'number', id: 'parameters', prompt: 'How many parameters has the lesson\'s network: $W_q$, $W_k$, $W_v$, $W_o$ (13 × 13 each), then a dense layer from 13 to 4 values with a bias?', value: 4 * 169 + 13 * 4 + 4, tolerance: 0,
      hint: 'Four 13 × 13 matrices, then (outputs × inputs) weights and one bias per output.' },
    { kind: 'number', id: 'jacobian', prompt: `A column of attention weights has $a_1 = ${a1}$ and $a_2 = ${a2}$. What is $\\partial a_1/\\partial s_2$?`, value: -a1 * a2, tolerance: 1e-9,
      hint: '∂a_i/∂s_j = a_i(δ_ij − a_j): off the diagonal, −a_i a_j.' },
  ];
});
