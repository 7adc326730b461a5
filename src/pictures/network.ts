/**
 * The network diagram: neurons in layers, each connection labelled with its
 * weight (w₁, w₂, … or W⁽ˡ⁾ⱼᵢ), inputs and outputs named; with the weights'
 * values, the neurons' z and a, and the gradient of each weight when given.
 *
 *   await networkDiagramSvg([{ in: 2, out: 1, activation: 'sigmoid', bias: false },
 *                            { in: 1, out: 1, activation: 'identity', bias: false }],
 *                           { p: [0.5, -0.3, 0.8], at: [1, 0.5] })
 *   // x₁ —w₁ = 0.5→ a⁽¹⁾₁ (z = 0.35, a = 0.5866) —w₃ = 0.8→ ŷ …
 *
 * Past `maxNeurons` neurons or `maxEdges` labelled connections, the widest
 * layers are collapsed into one box each (with a note), so the picture stays
 * bounded whatever the network.
 */
import { arrayOf, checkArg, checkFields, checkOptions, DownhillError, NUMBERS, objectWith, optional, TEXT, type Accepts } from '../errors.ts';
import { evaluateAll } from '../expr/evaluate.ts';
import { checkLayers, denseNetwork, layerOffsets, type DenseNetwork, type LayerSpec, type Naming } from '../nn/dense.ts';
import { DIGITS, dotLines, dotString, functionName, subscript, superscript, unicodeName } from './labels.ts';
import { displayNumber } from '../expr/number.ts';
import { idPrefix, renderDot } from './render.ts';
import { labelNumber } from './stable-layout.ts';
import { lazy } from '../render/lazy.ts';
import { ROLE } from '../render/palette.ts';

export interface NetworkDiagramOptions {
  /** Parameter values in the network's parameter order (layer by layer, W row by row, then b). */
  readonly p?: ArrayLike<number>;
  /** Input values x₁…x_d (needs `p` to show z and a). */
  readonly at?: ArrayLike<number>;
  /** ∂L/∂parameter, in the same order as `p`: shown on each connection. */
  readonly grad?: ArrayLike<number>;
  /** Parameter naming when layers are given (default 'short': w1, w2, …). */
  readonly naming?: Naming;
  /** Most boxes drawn (default 40 neurons, inputs included). */
  readonly maxNeurons?: number;
  /** Most labelled connections drawn (default 120). */
  readonly maxEdges?: number;
  /** Significant digits of the numbers shown (default 4). */
  readonly digits?: number;
  /** SVG id prefix (letters and digits; default: a hash of the picture). */
  readonly id?: string;
  /** Names of the hidden units, layer by layer, as the text calls them (default a⁽ˡ⁾ⱼ): [['h']]. */
  readonly hiddenNames?: readonly (readonly string[])[];
}

/** What each option accepts (the sizes are checked where they are read). */
const DIAGRAM_OPTIONS: Readonly<Record<string, Accepts<unknown>>> = {
  p: optional(NUMBERS), at: optional(NUMBERS), grad: optional(NUMBERS), naming: { what: "'short' or 'indexed'", test: (v): v is unknown => v === undefined || v === 'short' || v === 'indexed' },
  maxNeurons: { what: 'a whole number', test: (v): v is unknown => v === undefined || Number.isInteger(v) },
  maxEdges: { what: 'a whole number', test: (v): v is unknown => v === undefined || Number.isInteger(v) },
  digits: DIGITS,
  id: optional(TEXT), hiddenNames: optional(arrayOf(arrayOf(TEXT), 'an array, per hidden layer, of unit names')),
};

/** The door of the exported diagram: layers or a built network, and the options known and of their kinds. */
function checkDiagramArguments(fn: string, net: unknown, options: unknown): void {
  if (Array.isArray(net) || typeof net === 'string') checkLayers(fn, net);
  else checkArg(fn, 'net', net, { ...objectWith('layers', 'params', 'inputs'), what: 'layers [{ in, out, activation, bias }] or a network (denseNetwork)' });
  checkOptions(fn, options, Object.keys(DIAGRAM_OPTIONS));
  checkFields(fn, options, DIAGRAM_OPTIONS);
}

export const MAX_DIAGRAM_NEURONS = 40;
export const MAX_DIAGRAM_EDGES = 120;

/** One column of the diagram: the inputs (layer 0) or a layer's neurons. */
export interface DiagramLayer {
  readonly index: number;
  readonly title: string;
  /** Unit names: x₁, a⁽¹⁾₂, ŷ. */
  readonly units: readonly string[];
  readonly collapsed: boolean;
  /** z and a of each unit (inputs: a only), when values are given. */
  readonly z?: readonly number[];
  readonly a?: readonly number[];
}

/** The content of a network diagram, before layout. */
export interface NetworkDiagram {
  readonly network: DenseNetwork;
  readonly layers: readonly DiagramLayer[];
  readonly notes: readonly string[];
  readonly prefix: string;
  readonly options: NetworkDiagramOptions;
}

function isNetwork(x: readonly LayerSpec[] | DenseNetwork): x is DenseNetwork {
  return !Array.isArray(x);
}

function checkLength(what: string, values: ArrayLike<number> | undefined, n: number): void {
  if (values !== undefined && values.length !== n) throw new DownhillError(`network diagram: ${what} has ${values.length} values, the network needs ${n}`);
}

/**
 * Builds a diagram's content: unit names, values, and which layers collapse.
 *
 *   networkDiagram(referenceModel('deep1249').layers).notes
 *   // ['89 units, collapsed to stay readable:', 'layer 1: 16 tanh (16 neurons)', …, 'layer 4: 16 tanh (16 neurons)']
 */
export function networkDiagram(net: readonly LayerSpec[] | DenseNetwork, options: NetworkDiagramOptions = {}): NetworkDiagram {
  checkDiagramArguments('networkDiagram', net, options);
  const network = isNetwork(net) ? net : denseNetwork(net, { naming: options.naming ?? 'short' });
  const maxNeurons = options.maxNeurons ?? MAX_DIAGRAM_NEURONS;
  const maxEdges = options.maxEdges ?? MAX_DIAGRAM_EDGES;
  checkLength('p', options.p, network.params.length);
  checkLength('grad', options.grad, network.params.length);
  checkLength('at', options.at, network.inputs.length);
  if (options.at !== undefined && options.p === undefined) throw new DownhillError('network diagram: input values need parameter values too');

  const sizes = [network.inputs.length, ...network.layers.map((l) => l.out)];
  const last = sizes.length - 1;
  const unitName = (l: number, j: number): string => {
    if (l === 0) return unicodeName(network.inputs[j]!);
    if (l === last) return sizes[l] === 1 ? 'ŷ' : `ŷ${subscript(String(j + 1))}`;
    return options.hiddenNames?.[l - 1]?.[j] ?? `a${superscript(`(${l})`)}${subscript(String(j + 1))}`;
  };

  // Values of z and a at the point.
  let zs: number[][] | undefined;
  let as: number[][] | undefined;
  if (options.p !== undefined && options.at !== undefined) {
    const point = new Map<string, number>();
    network.params.forEach((name, k) => point.set(name, options.p![k]!));
    network.inputs.forEach((name, i) => point.set(name, options.at![i]!));
    const all = evaluateAll([...network.z.flat(), ...network.a.flat()], point);
    zs = network.z.map((layer) => layer.map((n) => all.get(n.id)!));
    as = [Array.from(options.at), ...network.a.map((layer) => layer.map((n) => all.get(n.id)!))];
  }

  // Collapse the widest layers (nearest the middle first) until the picture fits.
  const collapsed = sizes.map(() => false);
  const neurons = (): number => sizes.reduce((s, n, l) => s + (collapsed[l] ? 1 : n), 0);
  const edges = (): number => sizes.slice(1).reduce((s, n, l) => s + (collapsed[l] || collapsed[l + 1] ? 0 : n * sizes[l]!), 0);
  const total = sizes.reduce((s, n) => s + n, 0);
  const collapsedNames: string[] = [];
  while (neurons() > maxNeurons || edges() > maxEdges) {
    let pick = -1;
    for (let l = 0; l <= last; l++) {
      if (collapsed[l] || sizes[l]! < 2) continue;
      if (pick < 0 || sizes[l]! > sizes[pick]! || (sizes[l] === sizes[pick] && Math.abs(l - last / 2) < Math.abs(pick - last / 2))) pick = l;
    }
    if (pick < 0) break;
    collapsed[pick] = true;
  }
  const titleOf = (l: number): string => {
    if (l === 0) return `inputs (${sizes[0]})`;
    const spec = network.layers[l - 1]!;
    return `${l === last ? 'output layer' : `layer ${l}`}: ${spec.out} ${spec.activation}`;
  };
  sizes.forEach((n, l) => { if (collapsed[l]) collapsedNames.push(`${titleOf(l)} (${n} ${l === 0 ? 'inputs' : 'neurons'})`); });
  const notes = collapsedNames.length === 0 ? [] : [`${total} units, collapsed to stay readable:`, ...collapsedNames];

  const layers: DiagramLayer[] = sizes.map((n, l) => ({
    index: l,
    title: titleOf(l),
    units: Array.from({ length: n }, (_, j) => unitName(l, j)),
    collapsed: collapsed[l]!,
    ...(l > 0 && zs ? { z: zs[l - 1]! } : {}),
    ...(as ? { a: as[l]! } : {}),
  }));
  const prefix = options.id ?? idPrefix(`net|${network.params.join(',')}|${sizes.join('-')}|${network.layers.map((l) => l.activation).join(',')}|${Array.from(options.p ?? []).join(',')}|${Array.from(options.at ?? []).join(',')}|${Array.from(options.grad ?? []).join(',')}|${maxNeurons}|${maxEdges}`);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(prefix)) throw new DownhillError(`diagram id "${prefix}" may hold only letters and digits, starting with a letter`);
  return { network, layers, notes, prefix, options };
}

/** Offsets of each layer's W and b in the flat parameter vector. */
function offsets(network: DenseNetwork): { w: number; b: number }[] {
  return layerOffsets(network.layers).map(({ weights, bias }) => ({ w: weights, b: bias }));
}

/**
 * The DOT text of a network diagram. `stableNumbers`: its numbers are marked (labelNumber), so that the
 * picture's layout does not depend on them (stable-layout.ts): the pictures' own DOT.
 */
export function networkDiagramDot(diagram: NetworkDiagram, dotOptions: { stableNumbers?: boolean } = {}): { dot: string; data: Map<string, Record<string, string>> } {
  const { network, layers, prefix, options } = diagram;
  const digits = options.digits ?? 4;
  const num = (v: number): string => (dotOptions.stableNumbers === true ? labelNumber(displayNumber(v, digits)) : displayNumber(v, digits));
  const offs = offsets(network);
  const data = new Map<string, Record<string, string>>();
  const unitId = (l: number, j: number): string => (layers[l]!.collapsed ? `${prefix}_c${l}` : `${prefix}_u${l}_${j}`);
  const lines = [
    'digraph network {',
    `  graph [id=${dotString(prefix)}, rankdir=LR, nodesep=0.25, ranksep=1.1, fontname="Helvetica", fontsize=11, labelloc=b, labeljust=l${diagram.notes.length > 0 ? `, label=${dotLines(diagram.notes)}` : ''}];`,
    '  node [shape=circle, style=filled, fontname="Helvetica", fontsize=11, color="#475569", fillcolor="#ffffff", margin="0.12,0.05"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#94a3b8", fontcolor="#334155", arrowsize=0.6];',
  ];
  for (const layer of layers) {
    const l = layer.index;
    const ids: string[] = [];
    if (layer.collapsed) {
      const id = `${prefix}_c${l}`;
      ids.push(id);
      lines.push(`  ${id} [id=${dotString(id)}, class="dh_collapsed", shape=box, style="filled,dashed", fillcolor="#e5e7eb", label=${dotLines([layer.title, `${layer.units.length} ${l === 0 ? 'inputs' : 'neurons'} collapsed`])}];`);
      data.set(id, { layer: String(l), units: String(layer.units.length) });
    } else {
      layer.units.forEach((name, j) => {
        const id = `${prefix}_u${l}_${j}`;
        ids.push(id);
        const d: Record<string, string> = { layer: String(l), unit: String(j), name };
        const text: string[] = [];
        const a = layer.a?.[j];
        if (l === 0) {
          text.push(name);
          if (a !== undefined) text.push(`= ${num(a)}`);
        } else {
          const spec = network.layers[l - 1]!;
          const identity = spec.activation === 'identity';
          text.push(identity ? name : `${name} = ${functionName(spec.activation)}(z)`);
          if (spec.bias) {
            const k = offs[l - 1]!.b + j;
            const bias = unicodeName(network.params[k]!);
            text.push(options.p ? `bias ${bias} = ${num(options.p[k]!)}` : `bias ${bias}`);
            if (options.grad) text.push(`∂L/∂${bias} = ${num(options.grad[k]!)}`);
          }
          const z = layer.z?.[j];
          if (z !== undefined) d['z'] = String(z);
          if (z !== undefined && a !== undefined) text.push(identity ? `= ${num(a)}` : `z = ${num(z)}, a = ${num(a)}`);
        }
        if (a !== undefined) d['value'] = String(a);
        const kind = l === 0 ? 'input' : l === layers.length - 1 ? 'output' : 'hidden';
        const fill = kind === 'input' ? ROLE.data.tint : kind === 'output' ? '#fde68a' : '#ffffff';
        const shape = text.length > 2 ? ', shape=box, style="rounded,filled"' : text.length === 2 ? ', shape=ellipse' : '';
        lines.push(`  ${id} [id=${dotString(id)}, class="dh_${kind}", fillcolor="${fill}"${shape}, label=${dotLines(text)}];`);
        data.set(id, d);
      });
    }
    lines.push(`  { rank=same; ${ids.join('; ')}; }`);
    // Invisible edges inside the rank keep the units in order: x₁ above x₂ above x₃.
    if (ids.length > 1) lines.push(`  ${ids.join(' -> ')} [style=invis];`);
  }
  // Connections, layer by layer.
  let e = 0;
  for (let l = 1; l < layers.length; l++) {
    const from = layers[l - 1]!, to = layers[l]!;
    const spec = network.layers[l - 1]!;
    const off = offs[l - 1]!.w;
    if (from.collapsed || to.collapsed) {
      // One arrow per visible unit, or one between two collapsed boxes.
      const pairs: [string, string, number][] = [];
      if (from.collapsed && to.collapsed) pairs.push([unitId(l - 1, 0), unitId(l, 0), spec.in * spec.out]);
      else if (from.collapsed) for (let j = 0; j < spec.out; j++) pairs.push([unitId(l - 1, 0), unitId(l, j), spec.in]);
      else for (let i = 0; i < spec.in; i++) pairs.push([unitId(l - 1, i), unitId(l, 0), spec.out]);
      for (const [a, b, count] of pairs) {
        const id = `${prefix}_e${e++}`;
        lines.push(`  ${a} -> ${b} [id=${dotString(id)}, class="dh_edge", style=dashed, label=${dotString(`${count} weights`)}];`);
        data.set(id, { from: a, to: b, count: String(count) });
      }
      continue;
    }
    for (let j = 0; j < spec.out; j++) {
      for (let i = 0; i < spec.in; i++) {
        const k = off + j * spec.in + i;
        const name = unicodeName(network.params[k]!);
        const text = [options.p ? `${name} = ${num(options.p[k]!)}` : name];
        const d: Record<string, string> = { from: unitId(l - 1, i), to: unitId(l, j), weight: network.params[k]! };
        if (options.p) d['value'] = String(options.p[k]!);
        if (options.grad) { text.push(`∂L/∂${name} = ${num(options.grad[k]!)}`); d['grad'] = String(options.grad[k]!); }
        const id = `${prefix}_e${e++}`;
        lines.push(`  ${unitId(l - 1, i)} -> ${unitId(l, j)} [id=${dotString(id)}, class="dh_edge", label=${dotLines(text)}];`);
        data.set(id, d);
      }
    }
  }
  lines.push('}');
  return { dot: `${lines.join('\n')}\n`, data };
}

/**
 * The network diagram as an SVG string (async: Graphviz runs in
 * WebAssembly). Give layers (named with `naming`) or a built network.
 *
 *   await networkDiagramSvg(referenceModel('xor9').layers, { naming: 'indexed' })
 *   // connections labelled W⁽¹⁾₁₁, W⁽¹⁾₁₂, …; biases b⁽¹⁾₁ inside the neurons
 */
export function networkDiagramSvg(net: readonly LayerSpec[] | DenseNetwork, options: NetworkDiagramOptions = {}): Promise<string> {
  checkDiagramArguments('networkDiagramSvg', net, options);
  return lazy(() => networkDiagramSvgNow(net, options));
}

async function networkDiagramSvgNow(net: readonly LayerSpec[] | DenseNetwork, options: NetworkDiagramOptions = {}): Promise<string> {
  const diagram = networkDiagram(net, options);
  const { dot, data } = networkDiagramDot(diagram, { stableNumbers: true });
  const sizes = diagram.layers.map((l) => l.units.length).join(' → ');
  return renderDot(dot, data, `network diagram ${sizes}${diagram.notes.length > 0 ? ' (collapsed)' : ''}`);
}

/** At most this many units per layer are listed in the text outline. */
const OUTLINE_UNITS = 4;

/**
 * A text outline of the network for the terminal: each neuron's formula in
 * its weights' names, with z and a when values are given.
 *
 *   networkDiagramOutline(networkDiagram(referenceModel('seed3').layers))
 *   // 'network 2 → 1 → 1, 3 parameters\ninputs: x₁, x₂\nlayer 1: 2 → 1 sigmoid\n  a⁽¹⁾₁ = σ(w₁·x₁ + w₂·x₂)\n…'
 */
export function networkDiagramOutline(diagram: NetworkDiagram): string {
  checkArg('networkDiagramOutline', 'diagram', diagram, { ...objectWith('network', 'layers', 'notes'), what: "a network diagram (networkDiagram's result)" });
  const { network, layers, options } = diagram;
  const num = (v: number): string => displayNumber(v, options.digits ?? 4);
  const offs = offsets(network);
  const out: string[] = [`network ${layers.map((l) => l.units.length).join(' → ')}, ${network.params.length} parameters`];
  const inputs = layers[0]!;
  out.push(`inputs: ${inputs.units.slice(0, OUTLINE_UNITS).map((u, i) => (inputs.a ? `${u} = ${num(inputs.a[i]!)}` : u)).join(', ')}${inputs.units.length > OUTLINE_UNITS ? `, … (${inputs.units.length} in all)` : ''}`);
  for (let l = 1; l < layers.length; l++) {
    const layer = layers[l]!, prev = layers[l - 1]!;
    const spec = network.layers[l - 1]!;
    out.push(`${l === layers.length - 1 ? 'output layer' : `layer ${l}`}: ${spec.in} → ${spec.out} ${spec.activation}`);
    layer.units.slice(0, OUTLINE_UNITS).forEach((name, j) => {
      const terms: string[] = [];
      if (spec.bias) terms.push(unicodeName(network.params[offs[l - 1]!.b + j]!));
      const shown = Math.min(spec.in, 4);
      for (let i = 0; i < shown; i++) terms.push(`${unicodeName(network.params[offs[l - 1]!.w + j * spec.in + i]!)}·${prev.units[i]}`);
      if (spec.in > shown) terms.push(`… (${spec.in} terms)`);
      const z = terms.join(' + ');
      const f = spec.activation === 'identity' ? z : `${functionName(spec.activation)}(${z})`;
      const values = layer.a ? `   z = ${num(layer.z![j]!)}, a = ${num(layer.a[j]!)}` : '';
      out.push(`  ${name} = ${f}${values}`);
    });
    if (layer.units.length > OUTLINE_UNITS) out.push(`  … ${layer.units.length - OUTLINE_UNITS} more neurons`);
  }
  if (diagram.notes.length > 0) out.push('', `note (picture): ${diagram.notes.join('\n  ')}`);
  return `${out.join('\n')}\n`;
}
