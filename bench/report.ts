/**
 * The benchmark's figures as a terminal table, a JSON object and the page
 * docs/benchmarks.md. Every number printed comes from a run; nothing here is
 * typed by hand.
 *
 *   const report: BenchReport = { machine, models, mathjs, fit }
 *   console.log(terminalTable(report))
 *   await writeFileAtomic('docs/benchmarks.md', markdown(report))
 */
import type { ModelResult } from './measure.ts';
import type { MathjsResult } from './mathjs-run.ts';
import type { DigitsEpochResult } from './digits-epoch.ts';
import type { LayeredResult } from './layered.ts';

/** PyTorch's figures on a layered model (bench/torch-layered.py), or why there are none. */
export type TorchOutcome =
  | {
    readonly status: 'ok'; readonly loss: number; readonly grad_ms: number; readonly loss_ms: number; readonly grad_wall_ms?: number; readonly max_rel_grad: number; readonly torch: string; readonly threads: number;
    /** The median over the interleaved rounds of downhill's grad / PyTorch's grad in the same round (bench/interleave.ts); absent in runs before the interleaving, whose ratio is that of the medians. */
    readonly grad_ratio?: number;
    /** How many interleaved rounds. */
    readonly rounds?: number;
  }
  | { readonly status: 'not run'; readonly reason: string };

/** A layered model's figures with PyTorch's beside them. */
export type LayeredRow = LayeredResult & { readonly pytorch: TorchOutcome };

/** The mathjs comparison of one model: its figures, or why there are none. */
export type MathjsOutcome =
  | { readonly status: 'ok'; readonly result: MathjsResult }
  | { readonly status: 'did not finish'; readonly limit_s: number }
  | { readonly status: 'out of memory'; readonly after_s: number }
  | { readonly status: 'failed'; readonly error: string }
  | { readonly status: 'not run'; readonly reason: string };

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly v8: string;
  readonly date: string;
  /** 1-minute load average at the start and the end of the run. */
  readonly load: readonly [number, number];
}

export interface BenchReport {
  readonly machine: Machine;
  readonly models: readonly (ModelResult & { readonly mathjs: MathjsOutcome })[];
  /** build_ms ≈ slope·P + intercept over the models run (null for fewer than 3). */
  readonly build_fit: { readonly slope_ms_per_param: number; readonly intercept_ms: number; readonly r2: number } | null;
  /** The models with convolution or attention, with PyTorch (float64, one thread) in the same run. */
  readonly layered?: readonly LayeredRow[];
  /** The digits lesson's training speed (null when not measured). */
  readonly digits_lesson?: DigitsEpochResult | null;
  readonly duration_s: number;
}

/** A duration in µs with three significant digits, or in ms/s when large. */
export function duration(us: number): string {
  if (!Number.isFinite(us)) return '–';
  if (us < 1000) return `${us.toPrecision(3)} µs`;
  if (us < 1e6) return `${(us / 1000).toPrecision(3)} ms`;
  return `${(us / 1e6).toPrecision(3)} s`;
}

const ms = (v: number): string => duration(v * 1000);
const x2 = (v: number): string => (v >= 100 ? `${Math.round(v)}×` : `${v.toFixed(2)}×`);
const sci = (v: number): string => (v === 0 ? '0' : v.toExponential(1));

function mathjsCells(o: MathjsOutcome): [string, string] {
  switch (o.status) {
    case 'ok': return [ms(o.result.setup_ms), duration(o.result.grad_us)];
    case 'did not finish': return [`did not finish in ${o.limit_s} s`, '–'];
    case 'out of memory': return [`out of memory after ${o.after_s.toFixed(0)} s`, '–'];
    case 'failed': return ['failed', '–'];
    case 'not run': return [`not run: ${o.reason}`, '–'];
  }
}

/** The main table: one row per model. */
export function tableRows(report: BenchReport): { headers: string[]; rows: string[][] } {
  const headers = ['model', 'P', 'build', 'loss', 'grad', 'grad/loss', 'hand grad', 'grad/hand', 'nodes fwd → grad', 'fd max rel', 'hand max rel', 'warm-up', 'peak RSS', 'mathjs set-up', 'mathjs grad'];
  const rows = report.models.map((m) => [
    m.engine === 'matrix' ? `${m.id} (matrix)` : m.id, String(m.P), ms(m.build_ms), duration(m.loss_us), duration(m.grad_us), x2(m.ratio), duration(m.hand_grad_us), x2(m.vs_hand),
    `${m.forward_nodes} → ${m.gradient_nodes} (${(m.gradient_nodes / m.forward_nodes).toFixed(2)}×)`,
    sci(m.fd_max_rel), sci(m.hand_max_rel), m.warm_ms === null ? 'not observed' : ms(m.warm_ms), `${m.peak_rss_mb.toFixed(0)} MB`,
    ...mathjsCells(m.mathjs),
  ]);
  return { headers, rows };
}

/** downhill's grad / PyTorch's: the median of the per-round ratios of the interleaved timing, or (a run before it) the ratio of the medians; null without PyTorch. */
export function gradVsTorch(m: LayeredRow): number | null {
  const t = m.pytorch;
  return t.status !== 'ok' ? null : t.grad_ratio ?? m.grad_us / 1000 / t.grad_ms;
}

/** The layered models' table: downhill's matrix engine and PyTorch, float64, one thread, same run. */
export function layeredRows(rows: readonly LayeredRow[]): { headers: string[]; rows: string[][] } {
  const headers = ['model', 'P', 'build', 'loss', 'grad', 'grad/loss', 'PyTorch grad', 'grad/PyTorch', 'PyTorch loss', 'grad max rel vs PyTorch', 'loss rel error', 'nodes fwd → grad', 'code', 'warm-up', 'peak RSS'];
  return {
    headers,
    rows: rows.map((m) => {
      const t = m.pytorch;
      return [
        m.id, String(m.P), ms(m.build_ms), duration(m.loss_us), duration(m.grad_us), x2(m.ratio),
        t.status === 'ok' ? ms(t.grad_ms) : `not run: ${t.reason}`, t.status === 'ok' ? x2(gradVsTorch(m)!) : '–',
        t.status === 'ok' ? ms(t.loss_ms) : '–', t.status === 'ok' ? sci(t.max_rel_grad) : '–', sci(m.loss_rel_error),
        `${m.forward_nodes} → ${m.gradient_nodes}`, `${(m.source_chars / 1000).toFixed(0)} k chars`, m.warm_ms === null ? 'not observed' : ms(m.warm_ms), `${m.peak_rss_mb.toFixed(0)} MB`,
      ];
    }),
  };
}

/** Aligned plain text of a table. */
function aligned(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), ...rows.map(line)];
}

/** The table as aligned plain text, with the build fit below it. */
export function terminalTable(report: BenchReport): string {
  const { headers, rows } = tableRows(report);
  const layered = report.layered && report.layered.length > 0 ? layeredRows(report.layered) : null;
  return [
    ...(rows.length > 0 ? [...aligned(headers, rows), '', fitSentence(report)] : []),
    ...(report.digits_lesson ? [digitsSentence(report.digits_lesson)] : []),
    ...(layered ? ['', ...aligned(layered.headers, layered.rows), '', ...layeredTargets(report.layered!).map((t) => `${t.met ? 'met' : 'NOT met'}: ${t.target} (${t.detail})`)] : []),
  ].join('\n');
}

/** Whether each target of issue 22 is met on the layered models. */
export function layeredTargets(rows: readonly LayeredRow[]): { target: string; met: boolean; detail: string }[] {
  const each = (target: string, met: (m: LayeredRow) => boolean, value: (m: LayeredRow) => string): { target: string; met: boolean; detail: string } => ({
    target, met: rows.every(met), detail: rows.map((m) => `${m.id} ${value(m)}`).join(', '),
  });
  const withTorch = rows.filter((m) => m.pytorch.status === 'ok');
  return [
    ...(withTorch.length === 0 ? [] : [each('grad ≤ PyTorch (float64, one thread, same run)', (m) => (gradVsTorch(m) ?? Infinity) <= 1, (m) => { const r = gradVsTorch(m); return r === null ? 'not run' : x2(r); })]),
    each('grad / loss ≤ 3', (m) => m.ratio <= 3, (m) => x2(m.ratio)),
    each('build ≤ 100 ms', (m) => m.build_ms <= 100, (m) => ms(m.build_ms)),
    each('peak memory ≤ 300 MB', (m) => m.peak_rss_mb <= 300, (m) => `${m.peak_rss_mb.toFixed(0)} MB`),
    each('loss at the initial weights = listed value to 1e-13', (m) => m.loss_rel_error <= 1e-13, (m) => sci(m.loss_rel_error)),
  ];
}

/** The digits lesson's time per epoch, in one sentence. */
export function digitsSentence(d: DigitsEpochResult): string {
  return `digits lesson (784-30-10, ${d.train_digits} training digits, batches of ${d.batch}): ${d.epoch_s.toFixed(2)} s per epoch (median of epochs 2–${d.epochs}; the first, with V8's warm-up, ${d.first_epoch_s.toFixed(2)} s); loading the digits ${d.load_s.toFixed(2)} s; test accuracy after ${d.epochs} epochs ${(100 * d.test_accuracy).toFixed(1)}%`;
}

function fitSentence(report: BenchReport): string {
  const f = report.build_fit;
  if (!f) return 'build time fit: needs at least three models.';
  return `build time fit over P: ${f.slope_ms_per_param.toFixed(4)} ms per parameter + ${f.intercept_ms.toFixed(1)} ms, r² = ${f.r2.toFixed(3)}`;
}

/** Whether each target of issue 7 is met on every model of the report. */
export function targets(report: BenchReport): { target: string; met: boolean; detail: string }[] {
  const scale = report.models.filter((m) => m.engine === 'matrix');
  const small = report.models.filter((m) => m.engine === 'scalar');
  const worst = <K extends keyof ModelResult>(key: K): ModelResult => [...small].sort((a, b) => Number(b[key]) - Number(a[key]))[0]!;
  const ratio = worst('ratio'), vsHand = worst('vs_hand');
  const size = [...report.models].sort((a, b) => b.gradient_nodes / b.forward_nodes - a.gradient_nodes / a.forward_nodes)[0]!;
  const deep = report.models.find((m) => m.id === 'deep1249');
  const scaleTargets = (label: string, met: (m: ModelResult) => boolean, value: (m: ModelResult) => string): { target: string; met: boolean; detail: string }[] => (scale.length === 0 ? [] : [{
    target: label, met: scale.every(met), detail: scale.map((m) => `${m.id} ${value(m)}`).join(', '),
  }]);
  return [
    ...scaleTargets('scale models: build ≤ 100 ms', (m) => m.build_ms <= 100, (m) => ms(m.build_ms)),
    ...scaleTargets('scale models: grad ≤ 0.5 × naive hand-written loops', (m) => m.vs_hand <= 0.5, (m) => x2(m.vs_hand)),
    ...scaleTargets('scale models: grad / loss ≤ 3', (m) => m.ratio <= 3, (m) => x2(m.ratio)),
    ...scaleTargets('scale models: peak memory ≤ 300 MB', (m) => m.peak_rss_mb <= 300, (m) => `${m.peak_rss_mb.toFixed(0)} MB`),
    ...(small.length === 0 ? [] : [
    { target: 'grad ≤ hand-written backpropagation', met: vsHand.vs_hand <= 1, detail: `worst ${x2(vsHand.vs_hand)} (${vsHand.id})` },
    { target: 'grad / loss ≤ 3', met: ratio.ratio <= 3, detail: `worst ${x2(ratio.ratio)} (${ratio.id})` },
    { target: 'gradient graph ≤ 4 × forward graph', met: size.gradient_nodes <= 4 * size.forward_nodes, detail: `worst ${(size.gradient_nodes / size.forward_nodes).toFixed(2)}× (${size.id})` },
    ...(deep ? [{ target: 'build of deep1249 < 0.3 s', met: deep.build_ms < 300, detail: ms(deep.build_ms) }] : [])]),
    { target: 'loss at the initial weights = listed value', met: report.models.every((m) => m.loss_exact), detail: report.models.every((m) => m.loss_exact) ? 'bit for bit on every model' : report.models.filter((m) => !m.loss_exact).map((m) => m.id).join(', ') },
  ];
}

/** The layered models' section: table, method, targets (in docs/benchmarks.md, and alone in docs/benchmarks-layers.md). */
function layeredSection(rows: readonly LayeredRow[], heading: string): string[] {
  const t = layeredRows(rows);
  const table = (h: readonly string[], r: readonly (readonly string[])[]): string[] => [
    `| ${h.join(' | ')} |`, `|${h.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`, ...r.map((cells) => `| ${cells.join(' | ')} |`),
  ];
  return [
    heading,
    '',
    ...table(t.headers, t.rows),
    '',
    '- build: `layeredMatrixNetwork` + `compileLayered` (the gradient as a matrix',
    '  graph, compiled to loops: a convolution without padding reads the image',
    '  through a table of its taps, its kernel gradient sums over the nonzero δ',
    '  that max-pooling leaves, so the code (`code` column) does not grow with',
    '  the sizes), cold, in',
    '  a fresh process per model (bench/layered.ts); loss and grad after warm-up',
    '  (until V8 has optimised every generated function holding loops: a long',
    '  body is cut into chunk functions, see compile.ts; at least 2 s).',
    '- PyTorch: bench/torch-layered.py with Debian\'s python3-torch, float64,',
    '  `torch.set_num_threads(1)`, the same weights and batch (passed as float64',
    '  files), `F.conv2d`/`max_pool2d`/`softmax`/`cross_entropy`, one',
    '  `loss.backward()` per call, 20 warm-up calls; its gradient compared with',
    '  downhill\'s (grad max rel vs PyTorch).',
    '- Timing, interleaved (bench/interleave.ts): the PyTorch process stays',
    '  alive beside downhill\'s; in each of 25 rounds, one window of ≥ 20 ms of',
    '  downhill\'s grad, then one of PyTorch\'s (asked over its stdin), then the',
    '  same for loss, the order rotated from round to round. Each side\'s time is',
    '  its median over the rounds; grad/PyTorch is the median of the per-round',
    '  ratios, each from two windows a few tens of ms apart, so that a machine',
    '  whose load drifts slows both sides alike. CPU time of each process on both',
    '  sides (on a shared machine wall time mostly measures the wait for a core).',
    '  Both processes run on one CPU (`taskset -c 0` where it exists: bench/bench.ts,',
    '  PIN_ONE_CPU): on this 2-vCPU VM a vCPU now and then runs all code about',
    '  1.5× slower for tens of seconds, and two processes on two vCPUs would not',
    '  share it.',
    '  Peak RSS is downhill\'s process alone. The PyTorch script runs with',
    '  glibc\'s malloc keeping freed memory (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_):',
    '  otherwise each backward pass gets its large temporaries as fresh pages',
    '  from the system and its CPU time moved between 11 and 48 ms in one run.',
    '',
    ...table(['target', 'met', 'detail'], layeredTargets(rows).map((x) => [x.target, x.met ? 'yes' : 'no', x.detail])),
    '',
  ];
}

/** docs/benchmarks-layers.md: the convolution and attention models beside PyTorch. */
export function layeredMarkdown(report: BenchReport): string {
  const m = report.machine;
  return [
    '# Benchmarks: convolution and attention',
    '',
    'Written by `npm run bench -- --layers --write` (bench/bench.ts); do not edit by hand.',
    'The models are conv11738 and attn4228 of `benchmark-models.md`, built by its recipe.',
    '',
    `Machine: ${m.cpu} (${m.cores} cores), Node ${m.node} (V8 ${m.v8}), ${m.date}.`,
    `Load average (1 min) at the start and the end of the run: ${m.load[0].toFixed(1)} and ${m.load[1].toFixed(1)}. The run took ${report.duration_s.toFixed(0)} s.`,
    ...(m.load[0] > m.cores - 1 ? ['', `The machine was busy (load average above ${m.cores - 1}): both sides' timings are several times off, and their ratio moves by tens of per cent from run to run.`] : []),
    '',
    ...layeredSection(report.layered ?? [], '## The matrix engine and PyTorch (float64, one thread, same run)'),
  ].join('\n');
}

/** docs/benchmarks.md. */
export function markdown(report: BenchReport): string {
  const { headers, rows } = tableRows(report);
  const table = (h: readonly string[], r: readonly (readonly string[])[]): string[] => [
    `| ${h.join(' | ')} |`,
    `|${h.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`,
    ...r.map((cells) => `| ${cells.join(' | ')} |`),
  ];
  const m = report.machine;
  const mathjsRows = report.models.map((r) => {
    const o = r.mathjs;
    switch (o.status) {
      case 'ok': return [r.id, ms(o.result.setup_ms), duration(o.result.grad_us), x2(o.result.grad_us / r.grad_us), sci(o.result.max_rel_vs_compiled), `${o.result.peak_rss_mb.toFixed(0)} MB`];
      case 'did not finish': return [r.id, `did not finish in ${o.limit_s} s`, '–', '–', '–', '–'];
      case 'out of memory': return [r.id, `did not finish: out of memory (V8's default heap) after ${o.after_s.toFixed(0)} s`, '–', '–', '–', '–'];
      case 'failed': return [r.id, `failed: ${o.error}`, '–', '–', '–', '–'];
      case 'not run': return [r.id, `not run: ${o.reason}`, '–', '–', '–', '–'];
    }
  });
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/bench.ts); do not edit by hand. The models',
    'are the reference models of `benchmark-models.md`, built by its recipe.',
    '',
    `Machine: ${m.cpu} (${m.cores} cores), Node ${m.node} (V8 ${m.v8}), ${m.date}.`,
    `Load average (1 min) at the start and the end of the run: ${m.load[0].toFixed(1)} and ${m.load[1].toFixed(1)}. The run took ${report.duration_s.toFixed(0)} s.`,
    '',
    '## Compiled gradient and hand-written backpropagation',
    '',
    ...table(headers.slice(0, 13), rows.map((r) => r.slice(0, 13))),
    '',
    fitSentence(report) + '.',
    '',
    ...(report.digits_lesson ? [`The ${digitsSentence(report.digits_lesson)}.`, ''] : []),
    '- build: `networkLoss` (the graph) + `compileGradient` (reverse mode, code',
    '  generation, `new Function`), cold, in a fresh process per model; for the',
    '  scale models (matrix): `matrixNetwork` + `compileMatrixGradient` (the',
    '  gradient as a matrix graph, compiled to loops), their hand grad the same',
    '  naive per-sample, per-layer loops; fd checks every 80th or 340th parameter.',
    '- loss, grad: one loss, one loss-and-gradient over the whole batch; median',
    '  over rounds, after warm-up: until every generated function and both',
    '  hand-written functions are optimised by TurboFan (`%GetOptimizationStatus`),',
    '  or, since a small function may only ever run inlined into its caller,',
    '  until nothing is queued for optimisation and no status changed for 1 s.',
    '  The four timed functions take turns, the order rotating each round. The',
    '  warm-up column is how long reaching full speed took.',
    '- hand grad: bench/handwritten.ts, backpropagation by hand over',
    '  `Float64Array`s (loops over layers, neurons and samples), same process.',
    '- fd max rel: largest |g − fd| / max(|g|, |fd|, 10⁻⁶·max|g|) against',
    '  fourth-order central differences (h = 10⁻³), over every parameter;',
    '  hand max rel: the same measure against the hand-written gradient.',
    '- peak RSS: the peak resident memory of the process measuring the model',
    '  (`process.resourceUsage().maxRSS`, Node itself included; the',
    '  JSON output also has `retained_heap_mb`, the V8 heap the compiled model keeps',
    '  after a full GC).',
    '',
    '## Targets',
    '',
    ...table(['target', 'met', 'detail'], targets(report).map((t) => [t.target, t.met ? 'yes' : 'no', t.detail])),
    '',
    ...(report.layered && report.layered.length > 0 ? layeredSection(report.layered, '## Layers beyond dense: conv11738 and attn4228, beside PyTorch') : []),
    '## mathjs `derivative` + `compile().evaluate()`',
    '',
    'The batch loss written out as one expression (bench/batch-loss-text.ts),',
    '`derivative(tree, w, { simplify: false }).compile()` for every parameter',
    '(set-up), then `evaluate` of all of them (one gradient), in a child process',
    'killed past the time limit.',
    '',
    ...table(['model', 'set-up', 'one gradient', 'vs compiled grad', 'max rel vs compiled', 'peak RSS'], mathjsRows),
    '',
  ].join('\n');
}
