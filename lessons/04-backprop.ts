// Lesson 4, the main lesson: a network with three weights learns one sample.
// Two inputs x1, x2; a hidden unit h = σ(w1·x1 + w2·x2); the output ŷ = w3·h;
// the loss L = (y − ŷ)². The story in order: initialise the weights, run the
// forward pass, measure the loss, find the exact partial derivatives (the
// formula, the chain rule through the graph, the numbers), take one step,
// and then descend until the loss is (almost) zero.
//
// It imports only the public API, so a teacher can copy this file, change
// the data or the network, and run it with `npx downhill lesson ./my-lesson.ts`.
import {
  children, defineLesson, derivative, diagnose, evaluate, parseExpression, mapNodes, formatNumber, gd, gradient, initParams, linePlot, mainExample, namedValues, network,
  networkDiagramSvg, squaredError, surfacePlot, stopMessage, sym, symbolTex, texNumber, toTex, toText, train, updateRule, verdictLabel, type Node, type TrainResult, type UnitState,
} from 'downhill';

/** Numbers as the lesson shows them: 6 significant digits. */
const num = (v: number): string => formatNumber(v, 6);
/** A number inside a formula: negative ones in brackets, so −2·(−0.1) reads right. */
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const texNum = (v: number): string => (v < 0 ? `\\left(${texNumber(v)}\\right)` : texNumber(v));

export default defineLesson({
  number: 4, name: 'backprop', title: 'Backpropagation: a network learns, one exact derivative at a time',
  summary: 'three weights, one sample: forward pass, the exact partials by the chain rule, and gradient descent with every number',
  defaults: { lr: 0.5, steps: 200, seed: 1 },
}, async (doc, { lr, steps, seed }) => {
  // --- The network and the data -------------------------------------------
  const example = mainExample();
  const [x1, x2, Y] = example.rows[0]! as [number, number, number];
  const net = network([2, 1, 1], { hidden: 'sigmoid', output: 'identity', bias: false });
  const params = [...net.params]; // ['w1', 'w2', 'w3']
  const z = net.z[0]![0]!; // w1·x1 + w2·x2
  const h = net.a[0]![0]!; // σ(z)
  const yhat = net.outputs[0]!; // w3·h
  const L = squaredError(yhat, sym('y')); // (y − ŷ)²

  doc.section('The network');
  doc.text('Two inputs $x_{1}, x_{2}$ feed one hidden unit with the sigmoid activation $\\sigma(z) = \\frac{1}{1 + e^{-z}}$; its output $h$, times a third weight, is the prediction $\\hat{y}$. The loss measures how far the prediction is from the target $y$:');
  doc.formula(`z = ${toTex(z)}, \\quad h = \\sigma(z), \\quad \\hat{y} = w_{3} h, \\quad L = \\left(y - \\hat{y}\\right)^{2}`);
  doc.text('The units are arranged in layers: a layer is a set of units that read the same inputs. Here the input layer holds $x_{1}, x_{2}$, the one hidden layer holds $h$, and the output layer holds $\\hat{y}$. The weights $w_{1}, w_{2}, w_{3}$ are the parameters: the numbers training changes. Written out as one expression in the weights:');
  doc.expression(L, { label: 'L' });
  doc.text(`The data is one sample: $x_{1} = ${num(x1)}$, $x_{2} = ${num(x2)}$, and the output we want is $y = ${num(Y)}$. Training means finding weights that make $\\hat{y}$ equal to $y$: the loss is then 0.`);

  // --- 1. Initialise --------------------------------------------------------
  doc.section('1. Start from random weights');
  const p0 = initParams(net, { seed });
  doc.text(`Nobody knows good weights in advance, so they start random: each drawn uniformly from $[-1, 1)$ by a seeded generator (seed ${seed}; the same seed gives the same numbers, another seed other ones: try --seed 2). Why not start every weight at 0, or all at the same value? In a layer of several units, units that start equal compute the same thing and get the same gradient, so they stay equal forever; a random start breaks this symmetry (lesson 8 has two hidden units).`);
  doc.table(['weight', 'initial value'], params.map((w, k) => [`$${symbolTex(w)}$`, p0[k]!]));
  const at: Record<string, number> = { ...namedValues(params, p0), x1, x2, y: Y };
  // Picture: the network with its starting weights, the sample's inputs and each unit's z and a.
  doc.plot(networkDiagramSvg(net, { p: p0, at: [x1, x2], hiddenNames: [['h']] }), 'The network with its starting weights on the connections, fed the sample $(x_{1}, x_{2})$.');

  // --- 2. Forward pass ------------------------------------------------------
  doc.section('2. The forward pass');
  doc.text('Compute the prediction from the inputs, one intermediate value at a time:');
  const zv = evaluate(z, at), hv = evaluate(h, at), yv = evaluate(yhat, at);
  doc.formula(`z = w_{1} x_{1} + w_{2} x_{2} = ${texNum(at['w1']!)} \\cdot ${texNum(x1)} + ${texNum(at['w2']!)} \\cdot ${texNum(x2)} = ${texNumber(zv)}`);
  doc.formula(`h = \\sigma(z) = \\frac{1}{1 + e^{-z}} = ${texNumber(hv)}`);
  doc.formula(`\\hat{y} = w_{3} h = ${texNum(at['w3']!)} \\cdot ${texNum(hv)} = ${texNumber(yv)}`);

  // --- 3. The loss ----------------------------------------------------------
  doc.section('3. The loss against the target');
  const Lv = evaluate(L, at);
  doc.formula(`L = (y - \\hat{y})^{2} = \\left(${texNumber(Y)} - ${texNum(yv)}\\right)^{2} = ${texNumber(Lv)}`);
  doc.text(`The prediction $\\hat{y} = ${texNumber(yv)}$ is off by $y - \\hat{y} = ${texNumber(Y - yv)}$. To lower the loss we need to know how it changes when each weight moves a little: the partial derivatives $\\frac{\\partial L}{\\partial w_{1}}, \\frac{\\partial L}{\\partial w_{2}}, \\frac{\\partial L}{\\partial w_{3}}$.`);

  // --- 4. The exact partial derivatives -----------------------------------
  doc.section('4. The exact partial derivatives');
  doc.text('First the formulas. Differentiating $L$ by each weight (the engine does it exactly, with the chain rule, and tidies the result):');
  const partialTex = (w: string): string => `\\frac{\\partial L}{\\partial ${symbolTex(w)}}`;
  const closed = params.map((w) => derivative(L, w));
  closed.forEach((d, k) => doc.expression(d.node, { label: partialTex(params[k]!) }));

  doc.text('Where do they come from? Backpropagation walks the graph of $L$ from the loss down. Each node knows its local derivative with respect to each of its inputs; the adjoint $\\partial L/\\partial \\text{node}$ of an input is the adjoint of the node times that local derivative (summed over every node that uses it). Step by step, at the current numbers:');
  // One name per quantity, in the text, the tables and the picture: z, h, ŷ, L (and the error y − ŷ).
  const error = L.kind === 'pow' ? L.args[0] : undefined;
  const named = new Map<Node, string>([[z, 'z'], [h, 'h'], [yhat, 'yhat'], ...(error === undefined ? [] : [[error, 'e'] as const])]);
  const nameTex = new Map<number, string>([[L.id, 'L'], [z.id, 'z'], [h.id, 'h'], [yhat.id, '\\hat{y}'], ...(error === undefined ? [] : [[error.id, 'y - \\hat{y}'] as const])]);
  const inNames = (n: Node): Node => mapNodes(n, (m) => (named.has(m) && m !== n ? sym(named.get(m) === 'e' ? 'e' : named.get(m)!) : undefined));
  const label = (n: Node): string => `$${nameTex.get(n.id) ?? toTex(inNames(n))}$`;
  const localTex = (n: Node): string => `$${toTex(mapNodes(n, (m) => (named.has(m) && named.get(m) !== 'e' ? sym(named.get(m)!) : undefined))).replace(/\be\b/g, '(y - \\hat{y})')}$`;
  const grad = gradient(L, params);
  const traceRows: (string | number)[][] = [];
  for (const entry of grad.trace) {
    const adjoint = evaluate(entry.adjoint, at);
    for (const edge of entry.edges) {
      const local = evaluate(edge.local, at);
      traceRows.push([label(entry.node), evaluate(entry.node, at), adjoint, label(edge.child), localTex(edge.local), local, adjoint * local]);
    }
  }
  doc.table(['node', 'value', '$\\partial L/\\partial \\text{node}$', 'input', 'local $\\partial \\text{node}/\\partial \\text{input}$', 'local value', 'adds to $\\partial L/\\partial \\text{input}$'], traceRows, {
    caption: 'The chain rule through the graph, from the loss down:',
  });
  // Picture: the computational graph of L, stepping forward (values) then backward (adjoints), its nodes named as in the text.
  const pictureNames = new Map<Node, string>([[z, 'z'], [h, 'h'], [yhat, 'ŷ'], ...(error === undefined ? [] : [[error, '(y − ŷ)'] as const])]);
  doc.stepThrough(L, { at, wrt: params, names: pictureNames, caption: 'The graph of L at the starting weights, its nodes named as in the text (z, h, ŷ, L): press “next” to compute the values forward, then the adjoints backward.' });
  const adj = (n: Node): number => evaluate(grad.trace.find((t) => t.node.id === n.id)!.adjoint, at);
  doc.text('Read down the table and the chain rule appears: for $w_{1}$,');
  doc.formula(`\\frac{\\partial L}{\\partial w_{1}} = \\frac{\\partial L}{\\partial \\hat{y}} \\cdot \\frac{\\partial \\hat{y}}{\\partial h} \\cdot \\frac{\\partial h}{\\partial z} \\cdot \\frac{\\partial z}{\\partial w_{1}} = ${texNum(adj(yhat))} \\cdot ${texNum(at['w3']!)} \\cdot ${texNum(hv * (1 - hv))} \\cdot ${texNum(x1)} = ${texNumber(adj(yhat) * at['w3']! * hv * (1 - hv) * x1)}`);
  doc.text('with $\\partial L/\\partial \\hat{y} = -2(y - \\hat{y})$, $\\partial \\hat{y}/\\partial h = w_{3}$, $\\partial h/\\partial z = \\sigma\'(z) = \\sigma(z)(1 - \\sigma(z))$ and $\\partial z/\\partial w_{1} = x_{1}$.');

  doc.text('Now the same formulas with the current numbers in place of the symbols (rounded to 4 digits here), and their values. To keep them short, write $z$ for $w_{1} x_{1} + w_{2} x_{2}$, whose value $' + texNumber(zv) + '$ came out of the forward pass:');
  const zSym = sym('z');
  const withZ = (n: Node): Node => mapNodes(n, (m) => (m.id === z.id ? zSym : undefined));
  const short = (v: number): string => formatNumber(v, 4);
  const g0 = params.map((w, k) => {
    const d = withZ(closed[k]!.node);
    const value = evaluate(closed[k]!.node, at);
    // z only ever appears as σ(z): its number needs no brackets of its own
    const numberTex = (s: string): string => (s === 'z' ? short(zv) : s in at ? (at[s]! < 0 ? `\\left(${short(at[s]!)}\\right)` : short(at[s]!)) : symbolTex(s));
    doc.formula(`\\begin{aligned} ${partialTex(w)} &= ${toTex(d)} \\\\ &= ${toTex(d, { symbolTex: numberTex })} \\\\ &= ${texNumber(value)} \\end{aligned}`);
    return value;
  });
  const agree = g0.every((v, k) => Math.abs(v - evaluate(grad.partials[k]!, at)) <= 1e-12 * Math.max(1, Math.abs(v)));
  doc.note(`The formulas and the walk through the graph give the same numbers${agree ? '' : ' (up to rounding)'}. The signs tell the direction: a negative $\\frac{\\partial L}{\\partial w}$ means that making $w$ larger lowers the loss.`);

  // --- 5. The update --------------------------------------------------------
  doc.section('5. One step downhill');
  doc.text('Gradient descent moves every weight against its partial derivative, scaled by the learning rate $\\eta$:');
  doc.formula(updateRule(gd(lr)).tex);
  doc.text(`With $\\eta = ${num(lr)}$ (set it with --lr):`);
  const p1 = params.map((w, k) => p0[k]! - lr * g0[k]!);
  params.forEach((w, k) => {
    doc.formula(`${symbolTex(w)} \\leftarrow ${texNum(p0[k]!)} - ${texNumber(lr)} \\cdot ${texNum(g0[k]!)} = ${texNumber(p1[k]!)}`);
  });
  const L1 = evaluate(L, { ...at, ...namedValues(params, p1) });
  doc.text(Number.isFinite(L1)
    ? `At the new weights the loss is ${num(L1)} (it was ${num(Lv)}): ${L1 < Lv ? 'lower, as promised for a small enough step' : 'higher: this step was too long, it jumped past the valley'}.`
    : 'At the new weights the loss is no longer a finite number: the step was far too long.');

  doc.text('Why $\\eta$ matters: the partial derivatives only describe the loss near the current weights. A small $\\eta$ trusts them for a short step and creeps; a larger one may jump past the valley; a much larger one can throw $z$ so far out that $\\sigma$ saturates and the gradient vanishes (section 7). The same start, different rates, 20 steps each, and what each run did (read from its numbers):');
  // The hidden unit at given weights: its pre-activation z and the slope σ′(z), to name it when it saturates.
  const units = (p: Float64Array): UnitState[] => {
    const zAt = p[0]! * x1 + p[1]! * x2;
    const s = sigmoid(zAt);
    return [{ name: 'h = \\sigma(z)', preActivation: zAt, slope: s * (1 - s) }];
  };
  const rates = [...new Set([0.05, lr, 5, 50])].sort((a, b) => a - b);
  const tries = rates.map((eta) => {
    const tried = train({ loss: L, params, data: ['x1', 'x2', 'y'], batch: example.rows, init: p0, optimizer: gd(eta), steps: 20 });
    return { eta, run: tried, diagnosis: diagnose(tried, { units }) };
  });
  doc.table(['$\\eta$', 'loss after 1 step', 'loss after 20 steps', 'what happened'], tries.map(({ eta, run: tried, diagnosis }) => [
    eta,
    tried.steps[1]?.loss ?? '—',
    tried.stop.reason === 'diverged' ? '—' : tried.loss,
    verdictLabel(diagnosis),
  ]));
  for (const t of tries) doc.text(`With $\\eta = ${texNumber(t.eta)}$ the run ${t.diagnosis.summary}.`);

  // --- 6. Descent until convergence ----------------------------------------
  doc.section('6. Descent until the loss is (almost) zero');
  const run: TrainResult = train({
    loss: L, params, data: ['x1', 'x2', 'y'], batch: example.rows, init: p0, optimizer: gd(lr), steps, tolerance: { loss: 1e-10 },
  });
  const verdict = diagnose(run, { units, tolerance: 1e-10 });
  doc.text(`Repeat the step: compute the loss and its exact gradient, move the weights, ${steps === 1 ? 'once' : `${steps} times`} at most, stopping early once the loss is under $10^{-10}$.`);
  // Once nothing changes any more (a vanished gradient), the rows repeat: show the first of them and the last.
  const frozen = run.steps.findIndex((r, k) => k > 0 && run.steps.slice(k).every((q) => q.loss === r.loss && q.p.every((v, j) => v === r.p[j])));
  const rows = frozen > 0 && frozen < run.steps.length - 2 ? [...run.steps.slice(0, frozen + 1), run.steps[run.steps.length - 1]!] : run.steps;
  doc.table(['step', '$w_{1}$', '$w_{2}$', '$w_{3}$', '$L$', '$\\partial L/\\partial w_{1}$', '$\\partial L/\\partial w_{2}$', '$\\partial L/\\partial w_{3}$'], rows.map((r) => [
    r.step, r.p[0]!, r.p[1]!, r.p[2]!, r.loss, r.gradient[0]!, r.gradient[1]!, r.gradient[2]!,
  ]), { caption: `Gradient descent with $\\eta = ${num(lr)}$:` });
  if (rows !== run.steps) doc.note(`From step ${run.steps[frozen]!.step} to step ${run.steps[run.steps.length - 1]!.step} nothing changes: the gradient is ${run.steps[frozen]!.gradient.every((g) => g === 0) ? 'exactly 0' : 'too small to move the weights in floating point'}, so the rows in between, all the same, are left out.`);
  if (run.stop.reason === 'diverged') {
    doc.note(`${stopMessage(run.stop)}. Training stopped there: the table ends at the last step whose numbers still mean something.`);
  } else {
    doc.text(`${stopMessage(run.stop)[0]!.toUpperCase()}${stopMessage(run.stop).slice(1)}. The prediction is now $\\hat{y} = ${texNumber(evaluate(yhat, { ...at, ...namedValues(params, run.p) }))}$ for the target $y = ${texNumber(Y)}$.`);
  }
  doc.text(`What happened, from the numbers: the run ${verdict.summary}.`);
  const curve = run.steps.filter((r) => r.loss > 0).map((r) => [r.step, r.loss] as const);
  doc.plot(linePlot({ series: [{ name: `loss (η = ${num(lr)})`, points: curve }], xLabel: 'step', yLabel: 'loss L', logY: true }),
    `The loss by step (log scale) with $\\eta = ${num(lr)}$: ${verdictLabel(verdict)}.`);

  // --- The mountain ---------------------------------------------------------
  const w2 = p0[1]!;
  const surfaceLoss = (a: number, c: number): number => (Y - c * sigmoid(a * x1 + w2 * x2)) ** 2;
  const walkWith = (eta: number): { eta: number; walk: TrainResult; diagnosis: ReturnType<typeof diagnose> } => {
    const walk = train({ loss: L, params: ['w1', 'w3'], data: ['x1', 'x2', 'y', 'w2'], batch: [[x1, x2, Y, w2]], init: [p0[0]!, p0[2]!], optimizer: gd(eta), steps: 40 });
    return { eta, walk, diagnosis: diagnose(walk) };
  };
  // The second walk: the first of a few larger rates that overshoots (the diagnosis says which), else the largest tried.
  const larger = [1.5, 2, 3, 4].filter((eta) => eta > lr).map(walkWith);
  const second = larger.find((w) => w.diagnosis.kind === 'overshooting') ?? larger[larger.length - 1];
  const walks = [walkWith(lr), ...(second === undefined ? [] : [second])];
  const walksIntro = walks.length === 1 ? 'One walk from the start, training only $w_{1}$ and $w_{3}$, 40 steps:' : `${walks.length === 2 ? 'Two' : walks.length} walks from the same start, training only $w_{1}$ and $w_{3}$, 40 steps each:`;
  doc.text(`The loss is a landscape over the three weights. Hold $w_{2}$ at its starting value $${texNumber(p0[1]!)}$ and it is a surface over $w_{1}$ and $w_{3}$: descent walks down it. ${walksIntro}`);
  const reach = walks.flatMap((w) => w.walk.steps.map((st) => [st.p[0]!, st.p[1]!] as const));
  const span = (k: 0 | 1, lo: number, hi: number): [number, number] => [Math.min(lo, ...reach.map((q) => q[k] - 0.5)), Math.max(hi, ...reach.map((q) => q[k] + 0.5))];
  doc.plot(surfacePlot({
    f: surfaceLoss, xRange: span(0, -4, 4), yRange: span(1, -1, 2.5), xLabel: 'w₁', yLabel: 'w₃', zLabel: 'L',
    paths: walks.map((w) => ({ name: `η = ${w.eta}`, points: w.walk.steps.map((st) => [st.p[0]!, st.p[1]!] as const) })),
  }), `The loss over $w_{1}$ and $w_{3}$ (with $w_{2} = ${texNumber(w2)}$), and ${walks.length === 1 ? 'a descent' : `${walks.length} descents`} on it: ${walks.map((w) => `$\\eta = ${w.eta}$: ${verdictLabel(w.diagnosis)}`).join('; ')}. The floor of the valley is where $w_{3}\\,\\sigma(z) = y$: every point on it fits the sample.`);

  // On the site: the loss over w1 and w3 (w2 held at its start) as a 3-D mountain; the learner picks the start.
  doc.mountain({
    loss: L, params: ['w1', 'w3'], data: ['x1', 'x2', 'y'], batch: example.rows, fixed: { w2: p0[1]! }, x: [-4, 4], y: [-3, 3], start: [p0[0]!, p0[2]!], lr, steps,
    caption: `The loss over $w_{1}$ and $w_{3}$, with $w_{2}$ held at its start ${num(p0[1]!)}: drag to turn the mountain; click a point on the map or the surface to start gradient descent on $w_{1}, w_{3}$ there with $\\eta = ${num(lr)}$.`,
  });

  // --- 7. Saturation --------------------------------------------------------
  doc.section('7. When the gradient vanishes: saturation');
  doc.text('Every path from the loss back to $w_{1}$ and $w_{2}$ passes through $\\partial h/\\partial z = \\sigma\'(z) = \\sigma(z)(1 - \\sigma(z))$. Far from $z = 0$ the sigmoid is flat: $\\sigma(z)$ is stuck near 0 or 1, and its slope is nearly 0:');
  doc.table(['$z$', '$\\sigma(z)$', "$\\sigma'(z)$"], [0, -2, -5, -10, -20, -40].map((v) => [v, sigmoid(v), sigmoid(v) * (1 - sigmoid(v))]));
  const far = train({ loss: L, params, data: ['x1', 'x2', 'y'], batch: example.rows, init: p0, optimizer: gd(100), steps: 5 });
  const k = far.steps.findIndex((r) => units(r.p)[0]!.slope <= 1e-3);
  if (k > 0) {
    const at100 = far.steps[k]!;
    const unit = units(at100.p)[0]!;
    const stays = far.steps.slice(k).every((r) => Math.abs(r.loss - at100.loss) <= 1e-9 * at100.loss);
    const zBefore = units(far.steps[k - 1]!.p)[0]!.preActivation;
    doc.text(`A separate 5-step demonstration, not your run: with $\\eta = 100$ (try --lr 100) from the weights of section 1, the step from step ${far.steps[k - 1]!.step} to step ${at100.step} throws $z$ from $${texNumber(zBefore)}$ to $${texNumber(unit.preActivation)}$, where $\\sigma'(z) = ${texNumber(unit.slope)}$ and $h = ${texNumber(sigmoid(unit.preActivation))}$. The gradient there is $(${[...at100.gradient].map((g) => texNumber(g)).join(', ')})$: the unit passes ${unit.slope === 0 ? 'no' : 'almost no'} signal back${stays ? `, and for the remaining ${far.steps.length - 1 - k} ${far.steps.length - 1 - k === 1 ? 'step' : 'steps'} of the demonstration the loss stays at $${texNumber(at100.loss)}$, far from 0` : ''}. The unit is saturated.`);
  } else {
    doc.text(`From the weights of section 1 (seed ${seed}), even $\\eta = 100$ does not push $z$ into the flat part within ${far.steps.length - 1} steps: $\\sigma'(z)$ stays above $10^{-3}$. Try another seed, or a larger --lr, to see the unit saturate.`);
  }
  doc.text('Steps that are not too long, inputs and initial weights of moderate size, and losses that undo the flattening at the output (cross-entropy, lesson 7) keep units out of saturation.');
  // --- 8. Two outputs share the hidden unit -----------------------------------
  doc.section('8. Two outputs that share a hidden unit');
  doc.text('Give the network a second output, $\\hat{y}_{2} = w_{4} h$, with its own target $y_{2}$, and add its squared error to the loss. Both outputs read the same $h$, so $w_{1}$ now reaches the loss along two paths, and its gradient is the sum of what each path contributes:');
  const two = parseExpression('(y1 - w3*sigmoid(w1*x1 + w2*x2))^2 + (y2 - w4*sigmoid(w1*x1 + w2*x2))^2');
  const y2 = 0.3;
  const w4 = 0.5;
  const at2: Record<string, number> = { w1: p0[0]!, w2: p0[1]!, w3: p0[2]!, w4, x1, x2, y1: Y, y2 };
  doc.formula('L = (y_{1} - \\hat{y}_{1})^{2} + (y_{2} - \\hat{y}_{2})^{2}, \\quad \\hat{y}_{1} = w_{3} h, \\quad \\hat{y}_{2} = w_{4} h');
  doc.formula('\\frac{\\partial L}{\\partial w_{1}} = \\underbrace{\\frac{\\partial L}{\\partial \\hat{y}_{1}} \\, w_{3}}_{\\text{path 1}} \\, \\sigma\'(z) \\, x_{1} + \\underbrace{\\frac{\\partial L}{\\partial \\hat{y}_{2}} \\, w_{4}}_{\\text{path 2}} \\, \\sigma\'(z) \\, x_{1}');
  const h2 = sigmoid(p0[0]! * x1 + p0[1]! * x2);
  const slope = h2 * (1 - h2);
  const paths2 = [
    { name: 'path 1: through $\\hat{y}_{1}$', dOut: -2 * (Y - p0[2]! * h2), weight: p0[2]! },
    { name: 'path 2: through $\\hat{y}_{2}$', dOut: -2 * (y2 - w4 * h2), weight: w4 },
  ].map((q) => ({ ...q, product: q.dOut * q.weight * slope * x1 }));
  const exact = evaluate(derivative(two, 'w1').node, at2);
  doc.table(['', '$\\partial L/\\partial \\hat{y}_{k}$', '$\\partial \\hat{y}_{k}/\\partial h$', "$\\sigma'(z)$", '$\\partial z/\\partial w_{1}$', 'contribution to $\\partial L/\\partial w_{1}$'], [
    ...paths2.map((q) => [q.name, q.dOut, q.weight, slope, x1, q.product]),
    ['sum of the two paths', '', '', '', '', paths2[0]!.product + paths2[1]!.product],
    ['the engine\'s $\\partial L/\\partial w_{1}$', '', '', '', '', exact],
  ], { caption: `At the starting weights, with $w_{4} = ${w4}$ and $y_{2} = ${y2}$:` });
  doc.text(`The two contributions, $${texNumber(paths2[0]!.product)}$ and $${texNumber(paths2[1]!.product)}$, add up to the engine's exact $\\partial L/\\partial w_{1} = ${texNumber(exact)}$${Math.abs(paths2[0]!.product + paths2[1]!.product - exact) <= 1e-12 * Math.max(1, Math.abs(exact)) ? '' : ' (up to rounding)'}. Backpropagation does this sum at $h$: the adjoint of a node is the sum over every node that uses it.`);
  // Name the picture's nodes as the text does: z, h, ŷ₁, ŷ₂.
  const nodesOf = (n: Node, seen = new Map<string, Node>()): Map<string, Node> => {
    seen.set(toText(n), n);
    for (const c of children(n)) nodesOf(c, seen);
    return seen;
  };
  const byText = nodesOf(two);
  const twoNames = new Map<Node, string>([['w1 * x1 + w2 * x2', 'z'], ['sigmoid(w1 * x1 + w2 * x2)', 'h'], ['w3 * sigmoid(w1 * x1 + w2 * x2)', 'ŷ₁'], ['w4 * sigmoid(w1 * x1 + w2 * x2)', 'ŷ₂']]
    .flatMap(([text, name]) => (byText.has(text!) ? [[byText.get(text!)!, name!] as const] : [])));
  doc.stepThrough(two, {
    at: at2, wrt: ['w1', 'w2', 'w3', 'w4'], names: twoNames,
    caption: 'The graph of the two-output loss: h feeds both outputs. Step backward to h: both of its outgoing edges light up, and the status line adds their two contributions.',
  });

  doc.text('Nothing here was approximated: every number in these tables is the exact derivative of the loss, evaluated in floating point. Bigger networks change nothing in the method, only the size of the graph.');

  // --- Exercises -----------------------------------------------------------
  doc.section('Exercises');
  doc.exercise('Derive $\\partial L/\\partial w_{3}$ by the chain rule, by hand.', '`downhill check "(y - w3*sigmoid(w1*x1 + w2*x2))^2" --at w1=0.25,w2=-1,w3=0.05,x1=1,x2=0.5,y=0.8 --wrt w3 --claim "w3: <your answer>"`');
  doc.exercise('Find a learning rate that saturates $h$: what happens to the gradient?', '`downhill lesson 4 --lr 5` and `downhill lesson 4 --lr 100`: section 6 names the saturated unit and its pre-activation.');
  doc.exercise('Does $\\eta = 0.5$ reach the bottom from other random starts?', '`downhill lesson 4 --seed 3`, `--seed 4`, `--seed 5`');
});
