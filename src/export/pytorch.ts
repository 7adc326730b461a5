/**
 * A network downhill understood, written as a standalone PyTorch script: the
 * same architecture in torch.nn, the same weights and batch (embedded as
 * float64 numbers that read back to the same bits), and downhill's loss and
 * gradient at those weights. Run, the script computes PyTorch's loss and
 * gradient in float64 on one thread, prints the worst relative difference
 * and where it is, and exits 1 when any exceeds 1e-10: an independent check
 * of downhill's derivatives by the framework a learner trains with next.
 *
 *   const script = pytorchExport(loadModel('xor9'))
 *   script.text      // "#!/usr/bin/env python3\n# Exported by downhill ...
 *   script.loss      // 0.25708337712896895, downhill's loss at the embedded weights
 *   script.engine    // 'scalar'
 *
 * A network is a list of layers in torch.nn terms (`TorchLayer`), applied in
 * order as an nn.Sequential. Which part of p fills which torch parameter is
 * read from the description the engines build from (nn/spec.ts: the blocks
 * walked by readLayeredSpec, each block's matrices in the order of p by
 * blockParameters), so the order of the parameters has one definition: the
 * script carries that list (`PARAMETERS`: a torch parameter's name, and the
 * rows × columns downhill lays out row by row), loads p by it and reads the
 * gradient back by it, and refuses a list that does not name every torch
 * parameter once at its size.
 *
 * Relative difference of the losses a, b: |a − b| / max(|a|, |b|) (0 when
 * equal); of two gradient entries: |a − b| / max(|a|, |b|, 1e-5·‖g‖∞), g
 * downhill's gradient (see EXPORT_FLOOR).
 */
import { checkArg, checkOneOf, checkOptions, DownhillError, optional, TEXT, visible } from '../errors.ts';
import { compileModel, engineFor, type Engine } from '../matrix/path.ts';
import { MODEL, type LossName, type Model } from '../nn/network-loss.ts';
import type { LayeredModel } from '../nn/layered.ts';
import { blockParameters, readLayeredSpec, type Block, type LayeredSpec } from '../nn/spec.ts';

/** The largest relative difference the script accepts between PyTorch's numbers and downhill's. */
export const EXPORT_TOLERANCE = 1e-10;

/**
 * A gradient entry's relative difference is taken against at least this
 * fraction of the largest entry (1e-5): an entry near 0 is a sum of larger terms
 * that cancel, and its rounding error is relative to them (measured: an
 * entry of 1.7e-18 from PyTorch against −9.8e-19 from downhill, on a
 * 3-4-1:leaky_relu:hinge network whose largest entry is about 0.1).
 */
export const EXPORT_FLOOR = 1e-5;

/** One layer of an exported network, in torch.nn terms. */
export type TorchLayer =
  /** y = W x + b, W out × in: nn.Linear. */
  | { readonly kind: 'linear'; readonly in: number; readonly out: number; readonly bias: boolean }
  /** f applied element by element: downhill's activation name (sigmoid, tanh, relu, sin, ...). */
  | { readonly kind: 'activation'; readonly name: string }
  /** A cross-correlation, as in every framework: nn.Conv2d. */
  | {
    readonly kind: 'conv2d'; readonly inChannels: number; readonly outChannels: number;
    readonly kernel: number; readonly stride: number; readonly padding: number; readonly bias: boolean;
  }
  /** The largest value of each size × size window: nn.MaxPool2d. */
  | { readonly kind: 'maxpool2d'; readonly size: number; readonly stride: number }
  /** The mean of each size × size window: nn.AvgPool2d. */
  | { readonly kind: 'avgpool2d'; readonly size: number; readonly stride: number }
  /** Channels × rows × columns to one vector, channel by channel, then row by row: nn.Flatten. */
  | { readonly kind: 'flatten' }
  /**
   * One self-attention block over T tokens of width d, with a residual:
   * q = W_q x, k = W_k x, v = W_v x (no biases), A = softmax_u(q_t·k_u / √d),
   * o_t = Σ_u A_tu v_u, h_t = x_t + W_o o_t. Parameters W_q, W_k, W_v, W_o.
   */
  | { readonly kind: 'selfattention'; readonly d: number; readonly causal: boolean }
  /** The mean over the tokens of a sequence: (T, d) → (d). */
  | { readonly kind: 'meantokens' };

/** The targets of a batch: values (regression, bce, hinge), or class indices (softmax_ce). */
export type TorchTargets =
  | { readonly kind: 'values'; readonly width: number; readonly values: readonly number[] | Float64Array }
  | { readonly kind: 'classes'; readonly classes: readonly number[] };

/** A network with its loss, weights and batch, ready to be written as a script. */
export interface TorchNet {
  /** The model's name: a reference id or a description. */
  readonly name: string;
  readonly layers: readonly TorchLayer[];
  readonly loss: LossName;
  /** One sample's input shape: [d], [channels, rows, columns], [T, d]. */
  readonly inputShape: readonly number[];
  /** N samples, each inputShape's numbers in row-major order. */
  readonly inputs: readonly number[] | Float64Array;
  readonly targets: TorchTargets;
  readonly N: number;
  /** Where p goes, in p's order: each torch parameter a part of p fills. */
  readonly parameters: readonly TorchParameter[];
  /** The weights, in downhill's order (`parameters`). */
  readonly p: Float64Array;
}

/**
 * A part of p: the torch parameter it fills (its name in
 * model.named_parameters(), such as '0.weight' or '0.W_q.weight') and
 * downhill's matrix there, rows × cols, row by row (a bias is rows × 1).
 */
export interface TorchParameter {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
}

/** Downhill's numbers the script checks PyTorch's against. */
export interface DownhillValues {
  readonly loss: number;
  readonly gradient: Float64Array;
  /** Which engine computed them: scalar, matrix, or another name. */
  readonly engine: string;
}

/** An exported script. */
export interface PyTorchExport extends DownhillValues {
  readonly text: string;
  readonly net: TorchNet;
}

/**
 * A dense model (a reference model or a description, as `loadModel` gives
 * it) as a TorchNet: nn.Linear and an activation per layer (its dense
 * blocks, walked as a layered network's), the batch's inputs and targets
 * (one-hot targets of softmax_ce as class indices).
 */
export function denseTorchNet(m: Pick<Model, 'name' | 'layers' | 'lossKind' | 'batch' | 'N' | 'p' | 'data' | 'targets'>): TorchNet {
  if (!m.layers || !m.lossKind) throw new DownhillError(`model ${m.name}: export needs its layers and loss`);
  const d = m.layers[0]!.in;
  const { layers, parameters } = torchBlocks(m.layers.map((layer) => ({ kind: 'dense', layer })), false);
  return { name: m.name, layers, parameters, loss: m.lossKind, inputShape: [d], ...batchOf(m, d, m.lossKind), N: m.N, p: m.p };
}

/** A batch's rows (inputs then targets) as the inputs and the targets of a TorchNet. */
function batchOf(m: Pick<Model, 'name' | 'batch' | 'N' | 'data' | 'targets'>, d: number, loss: LossName): { inputs: number[]; targets: TorchTargets } {
  const C = m.targets.length, D = m.data.length, N = m.N;
  if (D !== d + C) throw new DownhillError(`model ${m.name}: a batch row holds ${D} numbers, not ${d} inputs and ${C} targets`);
  const inputs: number[] = [];
  const values: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < d; i++) inputs.push(m.batch[n * D + i]!);
    for (let c = 0; c < C; c++) values.push(m.batch[n * D + d + c]!);
  }
  return { inputs, targets: targetsOf(loss, values, C, N) };
}

/**
 * The torch parameter each of downhill's matrices fills (blockParameters' `base`):
 *
 *   downhill          torch (the module of the block)
 *   K, W              weight  (nn.Conv2d: filter × channel × row × column; nn.Linear: out × in)
 *   b                 bias
 *   Wq, Wk, Wv, Wo    W_q.weight, W_k.weight, W_v.weight, W_o.weight  (SelfAttention's nn.Linear(d, d))
 */
const TORCH_PARAMETER: Readonly<Record<string, string>> = {
  K: 'weight', W: 'weight', b: 'bias', Wq: 'W_q.weight', Wk: 'W_k.weight', Wv: 'W_v.weight', Wo: 'W_o.weight',
};

/**
 * A network's blocks (nn/spec.ts) as torch.nn layers: nn.Conv2d then its
 * activation, the pools, SelfAttention, MeanOverTokens, nn.Linear then its
 * activation; nn.Flatten before the first dense layer after an image
 * (channel by channel, then row by row: as downhill lays an image out).
 * With them, the torch parameter each block's matrices fill, in the order
 * of p (blockParameters, as both engines take them).
 */
function torchBlocks(blocks: readonly Block[], image: boolean): { layers: TorchLayer[]; parameters: TorchParameter[] } {
  const layers: TorchLayer[] = [];
  const parameters: TorchParameter[] = [];
  const act = (name: string): TorchLayer[] => (name === 'identity' ? [] : [{ kind: 'activation', name }]);
  blocks.forEach((b, i) => {
    if (b.kind === 'dense' && image) layers.push({ kind: 'flatten' });
    if (b.kind === 'dense') image = false;
    // the block's module is the next layer (its activation comes after it)
    const module = layers.length;
    for (const m of blockParameters(b, i + 1)) {
      const torch = TORCH_PARAMETER[m.base];
      if (torch === undefined) throw new DownhillError(`block ${i + 1} "${b.kind}": the exporter has no torch parameter for its matrix ${m.base}`);
      parameters.push({ name: `${module}.${torch}`, rows: m.rows, cols: m.cols });
    }
    switch (b.kind) {
      case 'conv': {
        const g = b.geom;
        if (g.kh !== g.kw) throw new DownhillError(`a ${g.kh}×${g.kw} kernel: the exporter writes square kernels only`);
        layers.push({ kind: 'conv2d', inChannels: g.C, outChannels: g.F, kernel: g.kh, stride: g.stride, padding: g.pad, bias: b.bias }, ...act(b.activation));
        break;
      }
      case 'pool':
        layers.push({ kind: b.mode === 'max' ? 'maxpool2d' : 'avgpool2d', size: b.geom.k, stride: b.geom.stride });
        break;
      case 'attention':
        layers.push({ kind: 'selfattention', d: b.d, causal: b.causal });
        break;
      case 'mean':
        layers.push({ kind: 'meantokens' });
        break;
      case 'dense':
        layers.push({ kind: 'linear', in: b.layer.in, out: b.layer.out, bias: b.layer.bias }, ...act(b.layer.activation));
        break;
    }
  });
  return { layers, parameters };
}

/**
 * A layered model (nn/layered.ts) as a TorchNet: its description read as
 * the engines read it (readLayeredSpec: a hand-altered one is refused with
 * their line), its blocks as torch.nn layers (torchBlocks).
 */
export function layeredTorchNet(m: LayeredModel): TorchNet {
  const s = readLayeredSpec('pytorchExport', m.layered);
  const inputShape = s.input.kind === 'image' ? [s.input.C, s.input.H, s.input.W] : [s.input.T, s.input.d];
  return { name: m.name, ...torchBlocks(s.blocks, s.input.kind === 'image'), loss: s.loss, inputShape, ...batchOf(m, s.inputs, s.loss), N: m.N, p: m.p };
}

/** Softmax cross-entropy's one-hot rows as class indices; any other targets as values. */
function targetsOf(loss: LossName, values: readonly number[], C: number, N: number): TorchTargets {
  if (loss === 'softmax_ce') {
    const classes: number[] = [];
    for (let n = 0; n < N; n++) {
      const row = values.slice(n * C, (n + 1) * C);
      const c = row.indexOf(1);
      // only a one-hot row is a class; otherwise CrossEntropyLoss takes the probabilities themselves
      if (c < 0 || row.some((v, k) => v !== (k === c ? 1 : 0))) return { kind: 'values', width: C, values };
      classes.push(c);
    }
    return { kind: 'classes', classes };
  }
  return { kind: 'values', width: C, values };
}

/**
 * Downhill's loss and gradient of a model at its weights, by the scalar
 * engine (the model's own graph) or the matrix engine ('auto': by size, as
 * training chooses; always the matrix engine for convolution and attention).
 */
export function modelValues(m: Model, engine: Engine | 'auto' = 'auto'): DownhillValues {
  const layered = (m as Partial<LayeredModel>).layered;
  // a layered network's scalar graph is built only when asked for (conv11738's has about 300,000 nodes)
  const chosen = engine === 'auto' ? (layered ? 'matrix' : engineFor(m.params.length)) : engine;
  const f = compileModel(m, chosen);
  const gradient = new Float64Array(m.params.length);
  const loss = f.lossAndGradient(m.p, gradient, m.batch, m.N);
  return { loss, gradient, engine: chosen };
}

/**
 * The script for a model (see the top of this file): a dense one, or one
 * with convolution, pooling and attention (nn/layered.ts).
 *
 *   pytorchExport(loadModel('2-3-1:tanh:sigmoid:mse'), { engine: 'matrix' }).engine   // 'matrix'
 */
export function pytorchExport(m: Model, options: { engine?: Engine | 'auto'; version?: string; file?: string } = {}): PyTorchExport {
  checkArg('pytorchExport', 'm', m, MODEL);
  checkOptions('pytorchExport', options, ['engine', 'version', 'file']);
  if (options.engine !== undefined) checkOneOf('pytorchExport', 'engine', options.engine, ['scalar', 'matrix', 'auto']);
  checkArg('pytorchExport', 'version', options.version, optional(TEXT));
  checkArg('pytorchExport', 'file', options.file, optional(TEXT));
  const layered = (m as Partial<LayeredModel>).layered;
  const net = layered ? layeredTorchNet(m as LayeredModel) : denseTorchNet(m);
  const values = modelValues(m, options.engine);
  return { ...values, net, text: pytorchScript(net, values, { ...(options.version === undefined ? {} : { version: options.version }), ...(options.file === undefined ? {} : { file: options.file }) }) };
}

// ---------------------------------------------------------------------------
// Python text

/**
 * A float64 as Python reads it back to the same bits: JavaScript's shortest
 * round-trip decimal (1e-7, 1.5e+21 are Python literals too), -0.0 kept.
 */
export function pythonFloat(x: number): string {
  if (!Number.isFinite(x)) throw new DownhillError(`cannot write ${x} into the script: downhill's numbers must be finite`);
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A Python list of numbers, `perLine` to a line, indented. */
function pythonList(values: readonly number[] | Float64Array, format: (x: number) => string, perLine = 6): string {
  const items = Array.from(values, format);
  if (items.length <= perLine) return `[${items.join(', ')}]`;
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(`    ${items.slice(i, i + perLine).join(', ')},`);
  return `[\n${lines.join('\n')}\n]`;
}

/** Activations torch.nn has a module for (Softplus: PyTorch's threshold 20 is for float32; at 40 float64 rounds log(1 + e^u) to u anyway). */
const torchModules: Readonly<Record<string, string>> = {
  sigmoid: 'nn.Sigmoid()',
  tanh: 'nn.Tanh()',
  relu: 'nn.ReLU()',
  leaky_relu: 'nn.LeakyReLU(0.01)',
  softplus: 'nn.Softplus(threshold=40)',
};

/** The other activations a description may name, as torch expressions in u (downhill's numeric definitions, src/expr/functions.ts). */
const torchFunctions: Readonly<Record<string, string>> = {
  abs: 'torch.abs(u)', sign: 'torch.sign(u)', heaviside: '0 * u + (u > 0).to(u.dtype)',
  exp: 'torch.exp(u)', log: 'torch.log(u)', log10: 'torch.log10(u)', sqrt: 'torch.sqrt(u)',
  cbrt: 'torch.sign(u) * torch.abs(u) ** (1 / 3)', nthRoot: 'u ** 0.5',
  sin: 'torch.sin(u)', cos: 'torch.cos(u)', tan: 'torch.tan(u)',
  sec: '1 / torch.cos(u)', csc: '1 / torch.sin(u)', cot: '1 / torch.tan(u)',
  asin: 'torch.asin(u)', acos: 'torch.acos(u)', atan: 'torch.atan(u)',
  asec: 'torch.acos(1 / u)', acsc: 'torch.asin(1 / u)', acot: 'torch.atan(1 / u)',
  sinh: 'torch.sinh(u)', cosh: 'torch.cosh(u)', sech: '1 / torch.cosh(u)', csch: '1 / torch.sinh(u)', coth: '1 / torch.tanh(u)',
  asinh: 'torch.asinh(u)', acosh: 'torch.acosh(u)', atanh: 'torch.atanh(u)',
  asech: 'torch.acosh(1 / u)', acsch: 'torch.asinh(1 / u)', acoth: 'torch.atanh(1 / u)',
};

/** A layer as a torch.nn module expression. */
function moduleOf(l: TorchLayer): string {
  switch (l.kind) {
    case 'linear': return `nn.Linear(${l.in}, ${l.out}${l.bias ? '' : ', bias=False'})`;
    case 'activation': {
      const m = torchModules[l.name];
      if (m !== undefined) return m;
      const f = torchFunctions[l.name];
      if (f === undefined) throw new DownhillError(`activation "${l.name}" has no PyTorch counterpart in the exporter`);
      return `Elementwise('${l.name}', lambda u: ${f})`;
    }
    case 'conv2d': {
      const extra = [l.stride !== 1 ? `stride=${l.stride}` : '', l.padding !== 0 ? `padding=${l.padding}` : '', l.bias ? '' : 'bias=False'].filter(Boolean);
      return `nn.Conv2d(${l.inChannels}, ${l.outChannels}, ${l.kernel}${extra.map((e) => `, ${e}`).join('')})`;
    }
    case 'maxpool2d': return `nn.MaxPool2d(${l.size}${l.stride !== l.size ? `, stride=${l.stride}` : ''})`;
    case 'avgpool2d': return `nn.AvgPool2d(${l.size}${l.stride !== l.size ? `, stride=${l.stride}` : ''})`;
    case 'flatten': return 'nn.Flatten()';
    case 'selfattention': return `SelfAttention(${l.d}${l.causal ? ', causal=True' : ''})`;
    case 'meantokens': return 'MeanOverTokens()';
  }
}

const elementwiseClass = `class Elementwise(nn.Module):
    """f applied to every element: an activation torch.nn has no module for."""

    def __init__(self, name, f):
        super().__init__()
        self.name, self.f = name, f

    def forward(self, u):
        return self.f(u)

    def extra_repr(self):
        return self.name`;

const attentionClass = `class SelfAttention(nn.Module):
    """One self-attention block with a residual, on x of shape (batch, T, d):
    q, k, v = W_q x, W_k x, W_v x (no biases); A = softmax over u of q_t . k_u / sqrt(d);
    o_t = sum over u of A_tu v_u; h_t = x_t + W_o o_t."""

    def __init__(self, d, causal=False):
        super().__init__()
        self.d, self.causal = d, causal
        self.W_q = nn.Linear(d, d, bias=False)
        self.W_k = nn.Linear(d, d, bias=False)
        self.W_v = nn.Linear(d, d, bias=False)
        self.W_o = nn.Linear(d, d, bias=False)

    def attention(self, x):
        """The attention weights A, shape (batch, T, T): row t says where token t looks."""
        s = self.W_q(x) @ self.W_k(x).transpose(-2, -1) / math.sqrt(self.d)
        if self.causal:
            T = x.shape[-2]
            s = s.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float('-inf'))
        return torch.softmax(s, dim=-1)

    def forward(self, x):
        return x + self.W_o(self.attention(x) @ self.W_v(x))`;

const meanClass = `class MeanOverTokens(nn.Module):
    """The mean over the T tokens of each sequence: (batch, T, d) -> (batch, d)."""

    def forward(self, h):
        return h.mean(dim=-2)`;

/** The loss as Python: an nn loss module where torch has one, else a function; its formula in a comment. */
function lossOf(loss: LossName, C: number): { line: string; about: string } {
  switch (loss) {
    case 'se':
      return C === 1
        ? { line: "loss_fn = nn.MSELoss(reduction='sum')", about: 'the squared error (y - y_hat)^2, summed over the batch' }
        : { line: `loss_fn = lambda output, target: nn.functional.mse_loss(output, target, reduction='sum') / ${C}`, about: 'the squared error averaged over the outputs, summed over the batch' };
    case 'half_se':
      return { line: 'loss_fn = lambda output, target: 0.5 * nn.functional.mse_loss(output, target)', about: 'half the squared error, averaged over the outputs and the batch' };
    case 'mse': return { line: 'loss_fn = nn.MSELoss()', about: 'the squared error (y - y_hat)^2 (no factor 1/2), averaged over the outputs and the batch' };
    case 'mae': return { line: 'loss_fn = nn.L1Loss()', about: 'the absolute error |y - y_hat|, averaged over the outputs and the batch' };
    case 'huber': return { line: 'loss_fn = nn.HuberLoss(delta=1.0)', about: 'huber(y - y_hat, 1), averaged over the outputs and the batch' };
    case 'bce': return { line: 'loss_fn = nn.BCELoss()', about: 'binary cross-entropy of a probability output, averaged over the batch' };
    case 'bce_logits': return { line: 'loss_fn = nn.BCEWithLogitsLoss()', about: 'binary cross-entropy on a logit, softplus(z) - y z, averaged over the batch' };
    case 'hinge': return { line: 'loss_fn = lambda output, target: torch.relu(1 - target * output).mean()', about: 'the hinge loss max(0, 1 - y s), y in {-1, 1}, averaged over the batch' };
    case 'softmax_ce': return { line: 'loss_fn = nn.CrossEntropyLoss()', about: 'softmax cross-entropy, logsumexp(z) - z[c], averaged over the batch' };
  }
}

/** The header line that marks a file as a script downhill exported (an existing file without it is never replaced). */
export const EXPORT_MARK = '# Exported by downhill';

/**
 * The model part of a script, runnable alone: the imports, torch set to
 * float64 on one thread, the network as an nn.Sequential (`model`), the loss
 * (`loss_fn`), the weights (`p`, in downhill's order) and the batch (`x`,
 * `target`), p loaded into the model by `PARAMETERS` (the script refuses a
 * list that does not name each torch parameter once, at its size). Throws
 * when the parameters' sizes do not add up to p's length.
 *
 *   pytorchModelSource(denseTorchNet(loadModel('xor9')))   // "import math\nimport sys\n..."
 */
export function pytorchModelSource(net: TorchNet): string {
  const P = net.parameters.reduce((s, q) => s + q.rows * q.cols, 0);
  if (P !== net.p.length) throw new DownhillError(`model ${net.name}: its layers hold ${P} parameters but p has ${net.p.length}`);
  const sampleSize = net.inputShape.reduce((a, b) => a * b, 1);
  if (net.inputs.length !== net.N * sampleSize) throw new DownhillError(`model ${net.name}: ${net.inputs.length} input numbers for ${net.N} samples of shape (${net.inputShape.join(', ')})`);
  const C = net.targets.kind === 'values' ? net.targets.width : 0;
  const loss = lossOf(net.loss, C);
  const uses = (kind: TorchLayer['kind']): boolean => net.layers.some((l) => l.kind === kind);
  const usesElementwise = net.layers.some((l) => l.kind === 'activation' && torchModules[l.name] === undefined);
  const classes = [
    ...(usesElementwise ? [elementwiseClass] : []),
    ...(uses('selfattention') ? [attentionClass] : []),
    ...(uses('meantokens') ? [meanClass] : []),
  ];
  const shape = [net.N, ...net.inputShape].join(', ');
  const targetLines = net.targets.kind === 'classes'
    ? [`# the class of each sample (CrossEntropyLoss takes indices)`, `target = torch.tensor(${pythonList(net.targets.classes, String, 16)})`]
    : [`# the targets, ${net.N} x ${C}`, `target = torch.tensor(${pythonList(net.targets.values, pythonFloat)}).reshape(${net.N}, ${C})`];
  return [
    'import math',
    'import sys',
    '',
    'import torch',
    'from torch import nn',
    '',
    'torch.set_default_dtype(torch.float64)',
    'torch.set_num_threads(1)',
    '',
    ...classes.flatMap((c) => [c, '', '']),
    `model = nn.Sequential(\n${net.layers.map((l) => `    ${moduleOf(l)},`).join('\n')}\n)`,
    `# ${loss.about}`,
    loss.line,
    '',
    "# the weights, in downhill's order: the torch parameters PARAMETERS names, one after another,",
    '# each rows x columns, row by row (nn.Linear: out x in; nn.Conv2d: a row per filter, its',
    '# channel, row and column across; a bias: one column)',
    `p = ${pythonList(net.p, pythonFloat)}`,
    `PARAMETERS = [\n${net.parameters.map((q) => `    (${JSON.stringify(q.name)}, ${q.rows}, ${q.cols}),`).join('\n')}\n]`,
    '',
    `# the batch: ${net.N} samples of shape (${net.inputShape.join(', ')})`,
    `x = torch.tensor(${pythonList(net.inputs, pythonFloat)}).reshape(${shape})`,
    ...targetLines,
    '',
    '',
    weightsFunction,
    '',
    '',
    "# downhill's weights into the model (so `from this_file import model` gets them too)",
    'weights = weights_in_order()',
    'with torch.no_grad():',
    '    nn.utils.vector_to_parameters(torch.tensor(p), weights)',
  ].join('\n');
}

const weightsFunction = `def weights_in_order():
    """The model's parameters in the order of p, as PARAMETERS names them; refuses a list that
    does not name each parameter of the model once, or gives one another size."""
    named = dict(model.named_parameters())
    if sorted(named) != sorted(name for name, _, _ in PARAMETERS):
        raise SystemExit(f'PARAMETERS names {[name for name, _, _ in PARAMETERS]}, the model has {list(named)}')
    for name, rows, cols in PARAMETERS:
        q = named[name]
        if q.numel() != rows * cols or q.shape[0] != rows:
            raise SystemExit(f'{name} is {tuple(q.shape)} in the model but {rows} x {cols} in p')
    return [named[name] for name, _, _ in PARAMETERS]`;

/**
 * The standalone script for a network and downhill's values (see the top of
 * this file). Throws when the parameter counts disagree or a number is not finite.
 */
export function pytorchScript(net: TorchNet, values: DownhillValues, options: { version?: string; file?: string } = {}): string {
  const version = options.version ?? '';
  // the file's name as the comment shows how to run it (written out: a comment holds one line)
  const file = options.file === undefined ? 'this_file.py' : visible(options.file);
  const P = net.p.length;
  const model = pytorchModelSource(net);
  if (values.gradient.length !== P) throw new DownhillError(`model ${net.name}: ${values.gradient.length} gradient entries for ${P} parameters`);
  if (!Number.isFinite(values.loss)) throw new DownhillError(`model ${net.name}: downhill's loss is ${values.loss}; only a finite loss can be compared`);
  const bad = values.gradient.findIndex((g) => !Number.isFinite(g));
  if (bad >= 0) throw new DownhillError(`model ${net.name}: downhill's gradient entry p[${bad}] is ${values.gradient[bad]}; only finite numbers can be compared`);
  const header = [
    '#!/usr/bin/env python3',
    // a description may hold a line break between its words: in a comment it is written out (\n), never a new line of code
    `${EXPORT_MARK}${version ? ` ${version}` : ''}: model ${visible(net.name)}, ${P} parameters, batch of ${net.N}.`,
    '#',
    '# The network in torch.nn, with the weights and the batch downhill used, and',
    `# downhill's loss and gradient at those weights (its ${values.engine} engine). Run it:`,
    '#',
    `#     python3 ${file}`,
    '#',
    "# PyTorch computes the loss and the gradient in float64 on one thread; the script",
    "# prints the largest relative difference from downhill's numbers and where it is,",
    `# and exits 1 if any exceeds ${EXPORT_TOLERANCE.toExponential()}: |a - b| / max(|a|, |b|) for the loss, and for a`,
    `# gradient entry |a - b| / max(|a|, |b|, ${EXPORT_FLOOR.toExponential()} x the largest |entry|).`,
    '# From there, train it at scale: see the end of this file.',
  ];
  const body = [
    model,
    '',
    `# downhill's loss and gradient at p (${values.engine} engine)`,
    `MODEL_NAME = ${JSON.stringify(net.name)}`,
    `DOWNHILL_LOSS = ${pythonFloat(values.loss)}`,
    `DOWNHILL_GRADIENT = ${pythonList(values.gradient, pythonFloat)}`,
    `TOLERANCE = ${EXPORT_TOLERANCE.toExponential()}`,
    `FLOOR = ${EXPORT_FLOOR.toExponential()}`,
    '',
    '',
    checkFunctions,
    '',
    '',
    "if __name__ == '__main__':",
    '    sys.exit(main())',
    '',
    trainingNote,
  ];
  return [...header, '', ...body].join('\n') + '\n';
}

const checkFunctions = `def relative_difference(a, b, floor=0.0):
    """|a - b| / max(|a|, |b|, floor); 0 when a == b."""
    return 0.0 if a == b else abs(a - b) / max(abs(a), abs(b), floor)


def parameter_name(k):
    """The torch name of entry k of p, such as 0.weight[2, 1]."""
    for (name, _, _), q in zip(PARAMETERS, weights):
        if k < q.numel():
            index = []
            for size in reversed(q.shape):
                index.append(k % size)
                k //= size
            return f"{name}[{', '.join(str(i) for i in reversed(index))}]"
        k -= q.numel()
    raise IndexError(k)


def main():
    count = len(DOWNHILL_GRADIENT)
    model.zero_grad()
    loss = loss_fn(model(x), target)
    loss.backward()
    grad = torch.cat([q.grad.reshape(-1) for q in weights]).tolist()
    # an entry near 0 is a sum of larger terms that cancel: its rounding error is relative to them,
    # so the denominator is at least FLOOR times the largest entry
    floor = FLOOR * max(abs(g) for g in DOWNHILL_GRADIENT)
    differences = [relative_difference(grad[k], DOWNHILL_GRADIENT[k], floor) for k in range(count)]

    print(f'model {MODEL_NAME}: {count} parameters, batch of {len(x)}; PyTorch {torch.__version__}, float64, one thread')
    loss_rel = relative_difference(loss.item(), DOWNHILL_LOSS)
    print(f'loss      PyTorch {loss.item()!r}  downhill {DOWNHILL_LOSS!r}  relative difference {loss_rel:.3g}')
    worst = max(range(count), key=lambda k: differences[k])
    worst_rel = differences[worst]
    print(f'gradient  worst relative difference {worst_rel:.3g} at p[{worst}] = {parameter_name(worst)}: '
          f'PyTorch {grad[worst]!r}, downhill {DOWNHILL_GRADIENT[worst]!r}')
    failed = [k for k in range(count) if differences[k] > TOLERANCE]
    if loss_rel > TOLERANCE or failed:
        what = ['the loss'] if loss_rel > TOLERANCE else []
        what += [f'{len(failed)} of {count} gradient entries'] if failed else []
        verb = 'differs' if what == ['the loss'] else 'differ'
        print(f"FAIL: {' and '.join(what)} {verb} by more than {TOLERANCE} (relative)")
        return 1
    print(f'PASS: the loss and all {count} gradient entries agree within {TOLERANCE} (relative)')
    return 0`;

const trainingNote = `# Train at scale from here: model and loss_fn are ordinary PyTorch objects. For
# speed, drop torch.set_default_dtype(torch.float64) and torch.set_num_threads(1)
# above (float32, every core); then, with your data in a torch.utils.data.DataLoader:
#
#     optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
#     for epoch in range(10):
#         for xb, yb in loader:
#             optimizer.zero_grad()
#             loss_fn(model(xb), yb).backward()
#             optimizer.step()`;
