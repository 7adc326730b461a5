// Lesson 8: training XOR. A 2-2-1 network learns the function no straight
// line can draw; then: how big the derivative of one weight gets when it is
// written out in full, against the graph backpropagation works on.
import {
  proseNumber, binaryCrossEntropyWithLogits, children, compileGradient, continuation, defineLesson, denseNetwork, derivative, diagnose, evaluate, gd, gradient, linePlot,
  mapNodes, mulberry32, networkDiagramSvg, nodeCount, scatterPlot, stopMessage, sym, symbolTex, toText, train, trainOn, uniform, verdictLabel, xor, type LayerSpec, type LessonDoc, type Node, type TrainOptions, type TrainResult, type UnitState,
} from 'downhill';

/** Numbers in sentences: the prose style of the run diagnoses (4 digits, a power of ten below 10⁻³), so no 0.0004234 sits beside 4.23 × 10⁻⁴. */
const num = (v: number): string => proseNumber(v);
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Size of a graph written out as a tree: a shared subexpression counts once per use. */
function treeSize(root: Node): number {
  const memo = new Map<Node, number>();
  const size = (n: Node): number => {
    const known = memo.get(n);
    if (known !== undefined) return known;
    const s = children(n).reduce((total, c) => total + size(c), 1);
    memo.set(n, s);
    return s;
  };
  return size(root);
}

/**
 * The curves where p(x₁, x₂) = 0.5 over a square: for each x₁, the crossings
 * along x₂ (found on a grid, refined by bisection). Crossings where p rises
 * with x₂ make one line, those where it falls the other.
 */
function boundary(p: (x1: number, x2: number) => number, range: readonly [number, number]): { name: string; points: (readonly [number, number])[] }[] {
  const [lo, hi] = range;
  const lines: (readonly [number, number])[][] = [];
  const n = 160;
  // p at each grid point of a column, and at a bisection's lower end, each asked for once (p is a function of its
  // arguments: the same crossings as asking again, in half the evaluations; the live page reruns this at every change).
  const column = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const x1 = lo + ((hi - lo) * i) / n;
    for (let j = 0; j <= n; j++) column[j] = p(x1, lo + ((hi - lo) * j) / n);
    for (let j = 0; j < n; j++) {
      let a = lo + ((hi - lo) * j) / n;
      let b = lo + ((hi - lo) * (j + 1)) / n;
      if ((column[j]! - 0.5) * (column[j + 1]! - 0.5) > 0) continue;
      let pa = column[j]!;
      for (let step = 0; step < 40; step++) {
        const m = (a + b) / 2;
        const pm = p(x1, m);
        if ((pa - 0.5) * (pm - 0.5) <= 0) b = m;
        else {
          a = m;
          pa = pm;
        }
      }
      (lines[column[j]! < 0.5 ? 0 : 1] ??= []).push([x1, (a + b) / 2]);
    }
  }
  return lines.flatMap((points, k) => (points === undefined ? [] : [{ name: k === 0 ? 'p = 0.5, rising' : 'p = 0.5, falling', points }]));
}

/** The sizes of the written-out derivative and of the backpropagation graph, by depth: the same at every setting. */
interface DepthSizes {
  readonly rows: readonly (readonly (number | string)[])[];
  readonly sizes: readonly { hidden: number; params: number; tree: number; graph: number }[];
}

/** Made once (a live page reruns the lesson at every change, and these differentiate six networks: ~150 ms). */
let depthTable: DepthSizes | undefined;

function sizesByDepth(): DepthSizes {
  const rows: (number | string)[][] = [];
  const sizes: { hidden: number; params: number; tree: number; graph: number }[] = [];
  for (let hidden = 1; hidden <= 6; hidden++) {
    const deep = denseNetwork(layersOf(hidden), { naming: 'indexed' });
    const L = binaryCrossEntropyWithLogits(deep.outputs[0]!, sym('y'));
    const d = derivative(L, deep.params[0]!).node;
    const tree = treeSize(d);
    const graph = nodeCount([L, ...gradient(L, deep.params).partials]);
    sizes.push({ hidden, params: deep.params.length, tree, graph });
    rows.push([`2-${'2-'.repeat(hidden)}1`, hidden, deep.params.length, tree, toText(d).length, graph]);
  }
  return { rows, sizes };
}

/** Sigmoid hidden layers of width 2 and one output logit. */
const layersOf = (hidden: number): LayerSpec[] => [
  ...Array.from({ length: hidden }, (): LayerSpec => ({ in: 2, out: 2, activation: 'sigmoid', bias: true })),
  { in: 2, out: 1, activation: 'identity', bias: true },
];

export default defineLesson({
  number: 8, name: 'xor', title: 'Training XOR',
  summary: 'a 2-2-1 network trained on XOR: the loss curve, the decision boundary, and why backpropagation exists',
  defaults: { lr: 2, steps: 2000, seed: 1, init: 'random' as 'random' | 'equal' },
}, async (doc, { lr, steps, seed, init: start }) => {
  // --- The problem -----------------------------------------------------------
  doc.section('XOR: no straight line will do');
  const data = xor();
  doc.table(['$x_{1}$', '$x_{2}$', '$y = x_{1} \\operatorname{XOR} x_{2}$'], data.rows.map((r) => [...r]));
  doc.text('The output is 1 when exactly one input is 1. The two classes sit on opposite corners of a square, so no single straight line separates them: a model with no hidden layer cannot learn this. Two hidden neurons can.');

  // --- The network -------------------------------------------------------------
  doc.section('A 2-2-1 network');
  const net = denseNetwork(layersOf(1), { naming: 'indexed' });
  doc.text('Two sigmoid neurons see the inputs; their outputs are the hidden activations $h_{1}$ and $h_{2}$ (as $h$ in lesson 4). The output neuron adds them, weighted, into a logit $z$, and the probability of class 1 is $\\sigma(z)$. The loss is cross-entropy written on the logit (lesson 7):');
  // Hidden activations are h in the scalar lessons (lesson 4's h), h₁ and h₂ here; lesson 10 writes a layer's as a⁽ˡ⁾.
  net.a[0]!.forEach((a, j) => doc.expression(a, { label: `h_{${j + 1}}` }));
  const z = net.outputs[0]!;
  const hidden = new Map(net.a[0]!.map((a, j) => [a, sym(`h${j + 1}`)] as const));
  doc.expression(mapNodes(z, (n) => hidden.get(n)), { label: 'z' });
  const loss = binaryCrossEntropyWithLogits(z, sym('y'));
  doc.formula('L = \\operatorname{softplus}(z) - y\\,z');
  doc.text(`${net.params.length} parameters: ${net.params.map((name) => `$${symbolTex(name)}$`).join(', ')}.`);

  // --- Training --------------------------------------------------------------
  doc.section('Training');
  const rng = mulberry32(seed);
  const drawn = net.params.map(() => uniform(rng, -1, 1));
  // --init equal: the second hidden unit starts as a copy of the first (its incoming weights and bias, and its weight into the output).
  const twin = (name: string): string | undefined => /^W1_2_(\d+)$/.exec(name)?.[1] !== undefined ? `W1_1_${/^W1_2_(\d+)$/.exec(name)![1]}` : name === 'b1_2' ? 'b1_1' : name === 'W2_1_2' ? 'W2_1_1' : undefined;
  const init = start === 'equal' ? net.params.map((name, k) => drawn[net.params.indexOf(twin(name) ?? name)] ?? drawn[k]!) : drawn;
  const setupOf = (steps: number): TrainOptions => ({ loss, params: net.params, data: [...data.inputs, ...data.targets], batch: data.rows, init, optimizer: gd(lr), steps });
  // The rest of the lesson for the run of `steps` steps: at the end, and on the live page at each checkpoint below.
  const finish = (doc: LessonDoc, run: TrainResult, steps: number): void => {
    const setup = setupOf(steps);
    doc.text(`Gradient descent with $\\eta = ${lr}$ on the mean loss over the four rows, from weights drawn uniformly in $[-1, 1]$ (seed ${seed}); ${stopMessage(run.stop)}. Flags: --lr, --steps, --seed.`);
    const at = (p: ArrayLike<number>, x1: number, x2: number): Record<string, number> => ({ ...Object.fromEntries(net.params.map((name, k) => [name, p[k]!])), x1, x2 });
    const probAt = (p: ArrayLike<number>, x1: number, x2: number): number => sigmoid(evaluate(z, at(p, x1, x2)));
    const allRight = (p: ArrayLike<number>): boolean => data.rows.every(([x1, x2, y]) => (probAt(p, x1!, x2!) > 0.5 ? 1 : 0) === y);
    // The hidden units on each row: their pre-activations and slopes σ′, to name any that saturate.
    const units = (p: Float64Array): UnitState[] => net.z[0]!.flatMap((zj, j) => data.rows.map(([x1, x2]) => {
      const pre = evaluate(zj, at(p, x1!, x2!));
      return { name: `h_{${j + 1}} \\text{ at } (${x1}, ${x2})`, preActivation: pre, slope: sigmoid(pre) * (1 - sigmoid(pre)) };
    }));
    // What comes next is the run continued (at most 10,000 more steps), never projected; a stationary point is one the continuation stays at.
    const verdict = diagnose(run, { units, nameSaturated: 'when-stuck', target: allRight, continued: continuation(setup) });
    const curve = run.steps.map((s) => [s.step, s.loss] as const);
    doc.plot(linePlot({ series: [{ name: 'loss', points: curve }], xLabel: 'step', yLabel: 'mean cross-entropy', logY: true }),
      `The loss by step (log scale): ${verdictLabel(verdict)}.`);
    // The trained network's probability, with z compiled once (the same arithmetic as evaluate, node for node, so the
    // same numbers): the decision boundary below asks for it at some 50,000 points, which evaluate took ~0.5 s to walk.
    const zOf = compileGradient(z, { params: net.params, data: data.inputs, reduce: 'sum' });
    const trained = Float64Array.from(run.p);
    const input = new Float64Array(2);
    const prob = (x1: number, x2: number): number => {
      input[0] = x1;
      input[1] = x2;
      return sigmoid(zOf.loss(trained, input, 1));
    };
    const predictions = data.rows.map(([x1, x2, y]) => [x1!, x2!, y!, prob(x1!, x2!), prob(x1!, x2!) > 0.5 ? 1 : 0]);
    doc.table(['$x_{1}$', '$x_{2}$', '$y$', '$p = \\sigma(z)$', 'predicted class'], predictions);
    const correct = predictions.filter((r) => r[2] === r[4]).length;
    doc.text(`Final loss $${num(run.loss)}$; ${correct} of 4 rows classified correctly. The run ${verdict.summary}.`);
    // Cross-entropy on rows the network gets right has no minimum it can reach: said, with the continuation's loss as the evidence.
    const later = verdict.future;
    if (correct === 4 && later !== undefined && !later.reached && !later.diverged && later.loss < run.loss) {
      doc.text(`The loss keeps falling without reaching 0, and it never will: each row's loss $\\operatorname{softplus}(z) - y\\,z$ is above 0 for every finite logit $z$, and approaches 0 only as $z \\to +\\infty$ on the rows with $y = 1$ and $z \\to -\\infty$ on those with $y = 0$. With every row on the right side, growing the weights pushes each logit further out, so descent can always lower the loss a little more: it has no minimum to arrive at, only the bound 0 it approaches. Continued for ${(10_000).toLocaleString('en')} more steps, this run's loss is $${num(later.loss)}$.`);
    }
    // Symmetry, shown: with --init equal, each of h₂'s parameters against its twin of h₁, compared bit for bit at every recorded step.
    const pairs = net.params.flatMap((name, k) => (twin(name) === undefined ? [] : [[net.params.indexOf(twin(name)!), k] as const]));
    const equalAt = run.steps.filter((r) => pairs.every(([a, b]) => Object.is(r.p[a], r.p[b]))).length;
    if (correct < 4) {
      // Only a gradient that did fall (to under 1% of its start) is called vanishing, and only a point the
      // diagnosis verified (the update exactly 0, or the run continued stays there) a stationary point.
      const vanished = verdict.endGradient <= 1e-2 * verdict.startGradient;
      const stays = verdict.future === undefined ? 'no step moves it' : `continued for ${(10_000).toLocaleString('en')} more steps, the run still gets ${verdict.future.targetMet ? 'all 4' : 'fewer than 4'} rows right`;
      doc.note((verdict.kind === 'stationary' || verdict.kind === 'stuck') && vanished
        ? `With ${correct} of 4 rows right the network has not learned XOR, and descent is not getting closer: the gradient fell from $${num(verdict.startGradient)}$ to $${num(verdict.endGradient)}$ while the loss stays far above 0. This is a point where the gradient (almost) vanishes but which is not a minimum of the training target: the hidden units have settled into roles that descent does not leave (${stays}). Try another start (--seed) or rate (--lr).`
        : start === 'equal' && equalAt === run.steps.length
          ? `With ${correct} of 4 rows right the network has not learned XOR: ${verdictLabel(verdict)} (after ${steps} ${steps === 1 ? 'step' : 'steps'}). Its two hidden units started equal and are still equal to the last bit (below), so it computes what one hidden unit computes, and more steps do not part them: start them apart (--init random).`
          : `With ${correct} of 4 rows right the network has not learned XOR yet: ${verdictLabel(verdict)} (after ${steps} ${steps === 1 ? 'step' : 'steps'}; --steps sets more).`);
    }
    doc.table(['parameter', 'learned value'], net.params.map((name, k) => [`$${symbolTex(name)}$`, run.p[k]!]), { caption: 'The learned weights:' });
    if (start === 'equal') {
      doc.section('Units that start equal stay equal');
      doc.text(`This run started with the two hidden units equal (--init equal): $h_{2}$'s incoming weights, bias and weight into the output are copies of $h_{1}$'s. Both units then compute the same value on every row, get the same gradient, and take the same step.`);
      doc.table(['$h_{1}$\'s parameter', 'at the start', 'at the end', '$h_{2}$\'s twin', 'at the start', 'at the end', 'equal to the last bit at the end'], pairs.map(([a, b]) => [
        `$${symbolTex(net.params[a]!)}$`, init[a]!, run.p[a]!, `$${symbolTex(net.params[b]!)}$`, init[b]!, run.p[b]!, Object.is(run.p[a], run.p[b]) ? 'yes' : 'no',
      ]));
      doc.text(equalAt === run.steps.length
        ? `At every one of the ${run.steps.length.toLocaleString('en')} recorded steps the two units' parameters are equal to the last bit: the network behaves as if it had one hidden unit, and one unit cannot draw the two lines XOR needs (${correct} of 4 rows right). A random start (--init random, the default) breaks the symmetry.`
        : `The two units' parameters are equal to the last bit at ${equalAt.toLocaleString('en')} of the ${run.steps.length.toLocaleString('en')} recorded steps: rounding separated them.`);
    } else {
      doc.note('Why a random start? Units that start equal compute the same thing and get the same gradient, so they stay equal: run with --init equal to see it.');
    }
    doc.plot(networkDiagramSvg(net, { p: run.p, at: [1, 0], hiddenNames: [['h₁', 'h₂']] }), `The trained network with its learned weights at the input (1, 0): the output is the logit $z$, and $\\sigma(z) = ${num(prob(1, 0))}$.`);

    // --- The decision boundary --------------------------------------------------
    doc.section('The decision boundary');
    doc.text(correct === 4
      ? 'Colour every point of the plane by the probability the network gives it: the boundary $p = 0.5$ is no longer a straight line. Each hidden neuron draws one line, and the output combines the two into a band that puts the four corners on the right sides.'
      : `Colour every point of the plane by the probability the network gives it. With ${correct} of 4 rows right, the boundary $p = 0.5$ leaves ${4 - correct} of the corners on the wrong side.`);
    doc.plot(scatterPlot({
      categories: [
        { name: 'y = 0', points: data.rows.filter((r) => r[2] === 0).map((r) => [r[0]!, r[1]!] as const) },
        { name: 'y = 1', points: data.rows.filter((r) => r[2] === 1).map((r) => [r[0]!, r[1]!] as const) },
      ],
      xLabel: 'x₁', yLabel: 'x₂', xRange: [-0.5, 1.5], yRange: [-0.5, 1.5],
      background: { kind: 'probability', f: prob, label: 'P(y = 1)' },
      lines: () => boundary(prob, [-0.5, 1.5]), // found when the plot is drawn (a live page shows the numbers first)
    }), 'The trained network’s probability of class 1 over the plane, the boundary p = 0.5 (dark lines), and the four XOR points.');

    // --- Why backpropagation exists ---------------------------------------------
    doc.section('Why backpropagation exists');
    const w = net.params[0]!;
    const closed = derivative(loss, w);
    doc.text(`Here is the derivative of the loss with respect to the first weight, written out in full:`);
    doc.expression(closed.node, { label: `\\frac{\\partial L}{\\partial ${symbolTex(w)}}` });
    doc.text('Every copy of a hidden activation and of the logit appears again inside it. Add layers and each one multiplies the copies: written as a tree, the closed form of the first weight\'s derivative grows about fourfold per layer. Backpropagation never writes it out: it computes each node once, keeps its value, and passes the adjoint $\\partial L / \\partial \\text{node}$ back along the edges, so the graph for the derivatives of all the parameters grows by a fixed amount per layer.');
    const { rows, sizes } = depthTable ??= sizesByDepth();
    doc.table(['network', 'hidden layers', 'parameters', 'closed form: tree nodes', 'characters', 'backprop graph: nodes'], rows, {
      caption: 'The closed form of ∂L/∂(first weight), written out, against the backpropagation graph of the loss and all its derivatives:',
    });
    doc.plot(linePlot({
      series: [
        { name: 'closed form, one weight', points: sizes.map((s) => [s.hidden, s.tree] as const) },
        { name: 'backprop graph, all weights', points: sizes.map((s) => [s.hidden, s.graph] as const) },
      ],
      xLabel: 'hidden layers of width 2', yLabel: 'size', logY: true, points: true,
    }), 'Log scale: the written-out derivative of one weight grows exponentially with depth; the shared graph of every derivative grows linearly.');
    const last = sizes[sizes.length - 1]!;
    doc.text(`With ${last.hidden} hidden layers the one written-out derivative has ${last.tree} nodes; the backpropagation graph holds the loss and all ${last.params} derivatives in ${last.graph}.`);

    // --- Exercises -----------------------------------------------------------
    // The items of the practice set lessons/practice/08-xor.ts (the default variant), each graded by the
    // engine: downhill practice 8. test/lesson-exercises.test.ts checks that they are the set's prompts.
    doc.section('Exercises');
    doc.exercise('The network: $z_{1} = w_{1} x_{1} + w_{2} x_{2} + b_{1}$, $a_{1} = \\sigma(z_{1})$, $z_{2} = w_{3} x_{1} + w_{4} x_{2} + b_{2}$, $a_{2} = \\sigma(z_{2})$, the logit $z = v_{1} a_{1} + v_{2} a_{2} + c$, and the loss $L = \\operatorname{softplus}(z) - y z$. Derive $\\partial L/\\partial v_{1}$. (You may use `z1`, `a1`, `z2`, `a2`, `z`.)', '`downhill practice 8` (exercise 1)');
    doc.exercise('Derive $\\partial L/\\partial c$, the output bias. (You may use `z1`, `a1`, `z2`, `a2`, `z`.)', '`downhill practice 8` (exercise 2)');
    doc.exercise('Derive $\\partial L/\\partial w_{1}$: back through the output, $a_{1}$ and $z_{1}$. (You may use `z1`, `a1`, `z2`, `a2`, `z`.)', '`downhill practice 8` (exercise 3)');
    doc.exercise('Derive $\\partial L/\\partial b_{2}$, the bias of the second hidden unit. (You may use `z1`, `a1`, `z2`, `a2`, `z`.)', '`downhill practice 8` (exercise 4)');
    doc.exercise('Compute the logit $z$ for the row $(x_{1}, x_{2}) = (1, 0)$ with $w_{1} = 0.5$, $w_{2} = -0.3$, $b_{1} = 0.1$, $w_{3} = 0.8$, $w_{4} = 0.2$, $b_{2} = -0.4$, $v_{1} = 1.2$, $v_{2} = -0.7$, $c = 0.3$. (Within ±0.0005.)', '`downhill practice 8` (exercise 5)');
    doc.exercise('The lesson\'s run from the start of seed 11 (η = 2, 2000 steps): how many of the 4 rows does it get right at the end? (Exactly what the run does; the run is done after you answer.)', '`downhill practice 8` (exercise 6); afterwards `downhill lesson 8 --seed 11`');
    doc.exercise('Does a larger rate change where that start ends up? From seed 11 with η = 10 and 300 steps: how many of the 4 rows are right at the end? (Exactly what the run does; the run is done after you answer.)', '`downhill practice 8` (exercise 7); afterwards `downhill lesson 8 --seed 11 --lr 10 --steps 300`');
  };
  // The run in pieces (trainOn: each piece goes on from the last one's end, the whole equal to one run bit for bit):
  // the live page shows the lesson for the run so far at steps/8, /4 and /2 (LessonDoc.checkpoint: the page of
  // --steps k, exactly), then at the end. The command line writes the end only.
  const marks = [...new Set([steps / 8, steps / 4, steps / 2].map(Math.round))].filter((k) => k >= 1 && k < steps);
  let run = train(setupOf(marks[0] ?? steps));
  for (const [j, k] of marks.entries()) {
    const shortRun = run;
    await doc.checkpoint({ done: k, total: steps, unit: 'step' }, (d) => finish(d, shortRun, k));
    run = trainOn(run, setupOf(marks[j + 1] ?? steps));
  }
  finish(doc, run, steps);
});
