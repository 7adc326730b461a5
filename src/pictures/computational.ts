/**
 * The computational graph of an expression, drawn: every node with its
 * operation, its forward value and its gradient ∂L/∂node; every edge with
 * the local derivative (formula and value) and what it adds to the child's
 * gradient, so that a student can follow the chain rule edge by edge.
 *
 *   const L = parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2')
 *   const svg = await computationalGraphSvg(L, { at: { w1: 0.5, w2: -0.3, w3: 0.8, x1: 1, x2: 0.5, y: 1 } })
 *   // '<svg …><g id="dh…_n3" class="node dh-op" data-value="0.35" data-grad="-0.193…">…'
 *
 * Inner nodes are named v₁, v₂, … in forward order and the root L, so a
 * label reads `v₃ = σ(v₂)` and an edge `∂v₄/∂v₃ = w₃`. A shared node is drawn
 * once with one outgoing edge per use; its gradient is the sum of what the
 * edges add. Past `maxNodes` nodes, layers (or, failing that, the nodes far
 * from the loss) are collapsed into one box each, with a note.
 */
import { arrayOf, checkArg, checkFields, checkOptions, DownhillError, NAMES, NUMBER, OBJECT, objectWith, optional, TEXT, type Accepts } from '../errors.ts';
import { children, mapNodes, NODE, sym, symbolsOf, topoOrder, type Node } from '../expr/node.ts';
import { evaluateAll, POINT, type Values } from '../expr/evaluate.ts';
import { toText } from '../expr/print.ts';
import { tidy } from '../expr/tidy.ts';
import { gradient } from '../diff/gradient.ts';
import type { DenseNetwork } from '../nn/dense.ts';
import { DIGITS, dotColouredLines, dotLines, dotString, functionName, prettyText, shorten, subscript, superscript, unicodeName } from './labels.ts';
import { displayNumber } from '../expr/number.ts';
import { idPrefix, renderDot } from './render.ts';
import { labelNumber } from './stable-layout.ts';
import { lazy } from '../render/lazy.ts';
import { ROLE } from '../render/palette.ts';

/** What a box of the computational graph stands for. */
export type GraphNodeKind = 'param' | 'data' | 'const' | 'op' | 'loss' | 'collapsed';

/** A box of the picture: one node of the expression graph, or a collapsed group. */
export interface GraphBox {
  /** The SVG element id. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** The expression node (undefined for a collapsed group). */
  readonly node?: Node;
  /** Its name in the picture: v₃, w₁, L, 2, or a group's title. */
  readonly name: string;
  /** The operation in terms of the children's names, e.g. σ(v₂); '' for leaves. */
  readonly operation: string;
  /** Forward value at the point (when a point is given). */
  readonly value?: number;
  /** ∂L/∂node at the point (for nodes that depend on a variable of `wrt`). */
  readonly grad?: number;
  /** For a collapsed group: how many expression nodes it holds. */
  readonly size?: number;
  /** Position in the forward pass (0-based), for the step-through. */
  readonly forward?: number;
  /** Position in the backward pass (0-based), for nodes with a gradient. */
  readonly backward?: number;
}

/** An arrow from a child to the node that uses it (the direction of the forward pass). */
export interface GraphArrow {
  readonly id: string;
  /** Element ids of the child (tail) and the consumer (head). */
  readonly from: string;
  readonly to: string;
  /** ∂consumer/∂child as text in the boxes' names, e.g. 'v₃ · (1 − v₃)'. */
  readonly local?: string;
  /** Its value at the point. */
  readonly localValue?: number;
  /** What this edge adds to the child's gradient: ∂L/∂consumer · local. */
  readonly contribution?: number;
  /** How many expression edges it stands for (more than 1 between collapsed groups). */
  readonly count: number;
}

export interface ComputationalGraph {
  readonly boxes: readonly GraphBox[];
  readonly arrows: readonly GraphArrow[];
  /** The name of the root, 'L' by default. */
  readonly lossName: string;
  /** Notes on what was collapsed (empty when everything is drawn). */
  readonly notes: readonly string[];
  /** The SVG id prefix. */
  readonly prefix: string;
  /** The point, when given. */
  readonly at?: ReadonlyMap<string, number>;
}

/** A named set of expression nodes that may be collapsed into one box (a layer). */
export interface NodeGroup {
  readonly label: string;
  readonly nodes: readonly Node[];
}

export interface ComputationalGraphOptions {
  /** A value for every symbol: adds values, gradients and edge values. */
  readonly at?: Values;
  /** Variables of the gradient (default: every symbol). */
  readonly wrt?: readonly string[];
  /** The network the expression was built from: its layers become collapsible groups. */
  readonly network?: DenseNetwork;
  /** Collapsible groups, collapsed first to last (default: the network's, inputs first). */
  readonly groups?: readonly NodeGroup[];
  /** Most boxes drawn (default 60); past it, groups are collapsed. */
  readonly maxNodes?: number;
  /** Significant digits of the numbers shown (default 4). */
  readonly digits?: number;
  /** Name of the root (default 'L'). */
  readonly lossName?: string;
  /** Names of inner nodes, as the lesson's text calls them (z, h, ŷ); others are v₁, v₂, … */
  readonly names?: ReadonlyMap<Node, string>;
  /** SVG id prefix (letters and digits; default: a hash of the picture). */
  readonly id?: string;
}

/** What each option accepts (maxNodes and digits are checked where they are read). */
const GRAPH_OPTIONS: Readonly<Record<string, Accepts<unknown>>> = {
  at: optional(POINT), wrt: optional(NAMES), network: optional(OBJECT), groups: optional(arrayOf(OBJECT, 'an array of groups ({ label, nodes })')),
  maxNodes: optional(NUMBER, NUMBER.what), digits: DIGITS,
  lossName: optional(TEXT), names: optional({ what: 'a Map from graph nodes to names', test: (v): v is ReadonlyMap<Node, string> => v instanceof Map }), id: optional(TEXT),
};

/** The door of the exported pictures of a graph: the loss a graph, the options known and of their kinds (`more`: a caller's own keys). */
export function checkGraphArguments(fn: string, loss: unknown, options: unknown, more: readonly string[] = []): void {
  checkArg(fn, 'loss', loss, NODE);
  checkOptions(fn, options, [...Object.keys(GRAPH_OPTIONS), ...more]);
  checkFields(fn, options, GRAPH_OPTIONS);
}

/** The most boxes drawn by default. */
export const MAX_GRAPH_NODES = 60;

/**
 * The groups of a network's graph, input side first: its inputs, then each
 * layer (weights, biases, products, sums and activations).
 *
 *   layerGroups(denseNetwork([{ in: 2, out: 1, activation: 'sigmoid', bias: false }]))
 *   // [{ label: 'inputs x₁, x₂', … }, { label: 'layer 1: 2 → 1 sigmoid', … }]
 */
export function layerGroups(network: DenseNetwork): NodeGroup[] {
  const seen = new Set<number>();
  const inputs = network.inputs.map((name) => sym(name));
  inputs.forEach((n) => seen.add(n.id));
  const groups: NodeGroup[] = [{ label: `inputs ${nameRange(network.inputs)}`, nodes: inputs }];
  network.a.forEach((outs, l) => {
    const nodes = topoOrder(outs).filter((n) => !seen.has(n.id) && n.kind !== 'const');
    nodes.forEach((n) => seen.add(n.id));
    const layer = network.layers[l]!;
    groups.push({ label: `layer ${l + 1}: ${layer.in} → ${layer.out} ${layer.activation}`, nodes });
  });
  return groups;
}

function nameRange(names: readonly string[]): string {
  return names.length <= 3 ? names.map(unicodeName).join(', ') : `${unicodeName(names[0]!)} … ${unicodeName(names[names.length - 1]!)}`;
}

/** Picks a letter for inner nodes that no symbol of the expression uses with digits. */
function innerLetter(symbols: readonly string[]): string {
  for (const letter of ['v', 'u', 't', 'q', 'k']) {
    if (!symbols.some((s) => new RegExp(`^${letter}_?\\d+$`).test(s))) return letter;
  }
  return 'v';
}

/**
 * Builds the picture's content: boxes, arrows, values and gradients, with
 * groups collapsed past `maxNodes`. `computationalGraphSvg` draws it,
 * `computationalGraphOutline` prints it.
 */
export function computationalGraph(loss: Node, options: ComputationalGraphOptions = {}): ComputationalGraph {
  checkGraphArguments('computationalGraph', loss, options);
  const maxNodes = options.maxNodes ?? MAX_GRAPH_NODES;
  if (!Number.isInteger(maxNodes) || maxNodes < 3) throw new DownhillError(`maxNodes must be a whole number ≥ 3, got ${maxNodes}`);
  const digits = options.digits ?? 4;
  const lossName = options.lossName ?? 'L';
  const order = topoOrder([loss]);
  const symbols = symbolsOf([loss]);
  const wrt = options.wrt ?? symbols;
  const wrtSet = new Set(wrt);
  const { trace } = gradient(loss, wrt);

  // Names: the given ones, v₁, v₂, … for other inner nodes in forward order, L for the root.
  const given = new Map([...(options.names ?? new Map<Node, string>())].map(([n, name]) => [n.id, name] as const));
  const letter = innerLetter(symbols);
  const index = new Map<number, number>(order.map((n, k) => [n.id, k]));
  const names = new Map<number, string>();
  let inner = 0;
  for (const n of order) {
    if (n.kind === 'sym') names.set(n.id, shorten(unicodeName(n.name), 24));
    else if (n.kind === 'const') names.set(n.id, displayNumber(n.value, digits));
    else if (n === loss) names.set(n.id, lossName);
    else names.set(n.id, given.get(n.id) ?? `${letter}${subscript(String(++inner))}`);
  }
  const nameOf = (n: Node): string => names.get(n.id)!;

  // Adjoints and local derivatives, by node and child position.
  const adjoints = new Map<number, Node>();
  const locals = new Map<string, Node>();
  for (const entry of trace) {
    adjoints.set(entry.node.id, entry.adjoint);
    for (const edge of entry.edges) locals.set(`${entry.node.id}:${edge.index}`, edge.local);
  }

  // Values at the point.
  let values: Map<number, number> | undefined;
  let at: ReadonlyMap<string, number> | undefined;
  if (options.at !== undefined) {
    at = options.at instanceof Map ? options.at : new Map(Object.entries(options.at));
    values = evaluateAll([loss, ...adjoints.values(), ...locals.values()], at);
  }
  const valueOf = (n: Node | undefined): number | undefined => (n === undefined || values === undefined ? undefined : values.get(n.id));

  // Collapse: groups in order, then the nodes farthest from the loss.
  const groupOf = new Map<number, number>();
  const groupTitles: string[] = [];
  const groupSizes: number[] = [];
  const notes: string[] = [];
  // Constants are not drawn: they appear in their users' operations (v₆², 1 − v₃).
  const drawn = order.filter((n) => n.kind !== 'const' || n === loss);
  let visible = drawn.length;
  if (visible > maxNodes) {
    const groups = options.groups ?? (options.network ? layerGroups(options.network) : []);
    for (const g of groups) {
      if (visible <= maxNodes) break;
      const members = g.nodes.filter((n) => index.has(n.id) && n.kind !== 'const' && n !== loss && !groupOf.has(n.id));
      if (members.length < 2) continue;
      const k = groupTitles.length;
      members.forEach((n) => groupOf.set(n.id, k));
      groupTitles.push(g.label);
      groupSizes.push(members.length);
      visible += 1 - members.length;
    }
    if (visible > maxNodes) {
      // Keep the nodes nearest the loss (breadth first), collapse the rest.
      const keep = new Set<number>();
      const budget = maxNodes - groupTitles.length - 1;
      const queue: Node[] = [loss];
      const queued = new Set<number>([loss.id]);
      while (queue.length > 0 && keep.size < budget) {
        const n = queue.shift()!;
        if (groupOf.has(n.id) || n.kind === 'const') continue;
        keep.add(n.id);
        for (const kid of children(n)) {
          if (!queued.has(kid.id)) { queued.add(kid.id); queue.push(kid); }
        }
      }
      const k = groupTitles.length;
      let size = 0;
      for (const n of drawn) {
        if (!groupOf.has(n.id) && !keep.has(n.id)) { groupOf.set(n.id, k); size++; }
      }
      groupTitles.push(`${size} more nodes, farther from ${lossName}`);
      groupSizes.push(size);
    }
    notes.push(`${drawn.length} nodes, collapsed to stay readable:`);
    groupTitles.forEach((t, k) => notes.push(t.includes('more nodes') ? t : `${t} (${groupSizes[k]} nodes)`));
  }

  // Element ids.
  const prefix = options.id ?? idPrefix(`${structuralHash(order)}|${wrt.join(',')}|${[...(at ?? [])].join(';')}|${maxNodes}|${digits}|${lossName}`);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(prefix)) throw new DownhillError(`graph id "${prefix}" may hold only letters and digits, starting with a letter`);
  const boxId = (n: Node): string => {
    const g = groupOf.get(n.id);
    return g === undefined ? `${prefix}_n${index.get(n.id)}` : `${prefix}_g${g}`;
  };

  // Forward and backward order of the visible nodes.
  const forward = new Map<number, number>();
  for (const n of order) if (!groupOf.has(n.id) && n.kind !== 'const') forward.set(n.id, forward.size);
  const backward = new Map<number, number>();
  for (const entry of trace) if (!groupOf.has(entry.node.id)) backward.set(entry.node.id, backward.size);

  const boxes: GraphBox[] = [];
  for (const n of drawn) {
    if (groupOf.has(n.id)) continue;
    const adj = adjoints.get(n.id);
    const kind: GraphNodeKind = n === loss && n.kind !== 'sym' && n.kind !== 'const' ? 'loss'
      : n.kind === 'sym' ? (wrtSet.has(n.name) ? 'param' : 'data')
      : n.kind === 'const' ? 'const' : 'op';
    const value = valueOf(n);
    const grad = valueOf(adj);
    const fwd = forward.get(n.id);
    const bwd = backward.get(n.id);
    boxes.push({
      id: boxId(n), kind, node: n, name: nameOf(n), operation: operationText(n, nameOf),
      ...(value === undefined ? {} : { value }),
      ...(grad === undefined ? {} : { grad }),
      ...(fwd === undefined ? {} : { forward: fwd }),
      ...(bwd === undefined ? {} : { backward: bwd }),
    });
  }
  groupTitles.forEach((title, k) => boxes.push({ id: `${prefix}_g${k}`, kind: 'collapsed', name: title, operation: '', size: groupSizes[k]! }));

  // Arrows: child → consumer, one per use; merged between collapsed groups.
  const placeholders = new Map<number, Node>();
  for (const n of order) if (n.kind !== 'const') placeholders.set(n.id, sym(`#${index.get(n.id)}`));
  const byIndex = order.map(nameOf);
  const localText = (local: Node): string => {
    const named = mapNodes(local, (orig) => placeholders.get(orig.id));
    const text = toText(tidy(named), { digits }).replace(/#(\d+)/g, (_, k: string) => byIndex[Number(k)]!);
    return shorten(prettyText(text), 36);
  };
  const arrows: GraphArrow[] = [];
  const merged = new Map<string, { from: string; to: string; count: number }>();
  for (const n of drawn) {
    const kids = children(n);
    kids.forEach((kid, i) => {
      if (kid.kind === 'const') return;
      const from = boxId(kid);
      const to = boxId(n);
      if (groupOf.has(kid.id) || groupOf.has(n.id)) {
        if (from === to) return;
        const key = `${from}>${to}`;
        const m = merged.get(key);
        if (m) m.count++;
        else merged.set(key, { from, to, count: 1 });
        return;
      }
      const local = locals.get(`${n.id}:${i}`);
      const localValue = valueOf(local);
      const adjValue = valueOf(adjoints.get(n.id));
      arrows.push({
        id: `${prefix}_e${arrows.length}`, from, to, count: 1,
        ...(local === undefined ? {} : { local: localText(local) }),
        ...(localValue === undefined ? {} : { localValue }),
        ...(localValue === undefined || adjValue === undefined ? {} : { contribution: adjValue * localValue }),
      });
    });
  }
  for (const m of merged.values()) arrows.push({ id: `${prefix}_e${arrows.length}`, ...m });
  return { boxes, arrows, lossName, notes, prefix, ...(at === undefined ? {} : { at }) };
}

/**
 * A hash of a graph's structure (not of its node ids, which depend on the
 * order nodes were built in), linear in its size: printing the graph as
 * text would grow with every shared use.
 */
function structuralHash(order: readonly Node[]): string {
  const hashes = new Map<number, string>();
  for (const n of order) {
    const own = n.kind === 'const' ? `c${n.value}` : n.kind === 'sym' ? `s${n.name}` : n.kind === 'call' ? `f${n.fn}` : n.kind;
    hashes.set(n.id, idPrefix(`${own}(${children(n).map((k) => hashes.get(k.id)).join(',')})`));
  }
  return hashes.get(order[order.length - 1]!.id) ?? '';
}

/** The operation of a node in its children's names: σ(v₂), v₁ · x₁, v₃². */
function operationText(n: Node, nameOf: (n: Node) => string): string {
  const arg = (k: Node): string => (k.kind === 'const' && k.value < 0 ? `(${nameOf(k)})` : nameOf(k));
  switch (n.kind) {
    case 'const':
    case 'sym':
      return '';
    case 'add': return `${arg(n.args[0])} + ${arg(n.args[1])}`;
    case 'sub': return `${arg(n.args[0])} − ${arg(n.args[1])}`;
    case 'mul': return `${arg(n.args[0])} · ${arg(n.args[1])}`;
    case 'div': return `${arg(n.args[0])} / ${arg(n.args[1])}`;
    case 'pow': {
      const e = n.args[1];
      return e.kind === 'const' && Number.isInteger(e.value) && e.value >= 0 && e.value < 10
        ? `${arg(n.args[0])}${superscript(String(e.value))}`
        : `${arg(n.args[0])}^${arg(e)}`;
    }
    case 'neg': return `−${arg(n.args[0])}`;
    case 'call': return `${functionName(n.fn)}(${n.args.map(arg).join(', ')})`;
  }
}

/** The lines of a box's label; `shown` writes its value and gradient (the picture's DOT marks them: labelNumber). */
export function boxLines(box: GraphBox, lossName: string, digits = 4, shown: (text: string) => string = (t) => t): string[] {
  if (box.kind === 'collapsed') return [box.name, `${box.size} nodes collapsed`];
  if (box.kind === 'const') return [box.name];
  const lines = [box.operation === '' ? box.name : `${box.name} = ${box.operation}`];
  if (box.value !== undefined) lines.push(`= ${shown(displayNumber(box.value, digits))}`);
  if (box.grad !== undefined) lines.push(`∂${lossName}/∂${box.name} = ${shown(displayNumber(box.grad, digits))}`);
  return lines;
}

/** Whether a local derivative's text is just its value (∂v/∂u = 1 needs no '= 1'). */
function isNumberText(text: string, value: number, digits: number): boolean {
  return text === displayNumber(value, digits);
}

/** The lines of an arrow's label. */
function arrowLines(arrow: GraphArrow, from: GraphBox, to: GraphBox, lossName: string, digits: number, shown: (text: string) => string): string[] {
  if (arrow.local === undefined) return arrow.count > 1 ? [`×${arrow.count}`] : [];
  const lines = [`∂${to.name}/∂${from.name} = ${arrow.local}`];
  if (arrow.localValue !== undefined && !isNumberText(arrow.local, arrow.localValue, digits)) lines.push(`= ${shown(displayNumber(arrow.localValue, digits))}`);
  if (arrow.contribution !== undefined) lines.push(`∂${lossName}/∂${from.name} += ${shown(displayNumber(arrow.contribution, digits))}`);
  return lines;
}

/** Box fills by role (render/palette.ts): parameters, data and the loss in their colours' tints. */
const FILL: Readonly<Record<GraphNodeKind, string>> = {
  param: ROLE.param.tint, data: ROLE.data.tint, const: '#ffffff', op: '#ffffff', loss: ROLE.loss.tint, collapsed: '#e5e7eb',
};

/**
 * The DOT text of a computational graph (Graphviz lays it out). `stableNumbers`: the values at the point are
 * marked (labelNumber), so that the picture's layout does not depend on them (stable-layout.ts): the pictures' own DOT.
 */
export function computationalGraphDot(graph: ComputationalGraph, options: { digits?: number; stableNumbers?: boolean } = {}): string {
  const digits = options.digits ?? 4;
  const shown = options.stableNumbers === true ? labelNumber : (t: string): string => t;
  const byId = new Map(graph.boxes.map((b) => [b.id, b]));
  // The gradient lines (∂L/∂… = …, ∂L/∂… += …) in the gradients' colour (render/palette.ts), as in the text and the plots.
  const gradient = `∂${graph.lossName}/∂`;
  const label = (text: readonly string[]): string => dotColouredLines(text, (line) => (line.startsWith(gradient) ? ROLE.grad.text : undefined));
  const lines = [
    'digraph computation {',
    `  graph [id=${dotString(graph.prefix)}, rankdir=BT, nodesep=0.3, ranksep=0.45, fontname="Helvetica", fontsize=11, labelloc=b, labeljust=l${graph.notes.length > 0 ? `, label=${dotLines(graph.notes)}` : ''}];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#475569", margin="0.16,0.06"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#64748b", fontcolor="#334155", arrowsize=0.6];',
  ];
  for (const b of graph.boxes) {
    const shape = b.kind === 'const' ? ', shape=plaintext, style=""' : b.kind === 'collapsed' ? ', style="filled,dashed"' : '';
    const pen = b.kind === 'loss' ? ', penwidth=2' : '';
    lines.push(`  ${b.id} [id=${dotString(b.id)}, class=${dotString(`dh_${b.kind}`)}, label=${label(boxLines(b, graph.lossName, digits, shown))}, fillcolor=${dotString(FILL[b.kind])}${shape}${pen}];`);
  }
  for (const a of graph.arrows) {
    const text = arrowLines(a, byId.get(a.from)!, byId.get(a.to)!, graph.lossName, digits, shown);
    const labelled = text.length === 0 ? '' : `, label=${label(text)}`;
    const style = a.count > 1 || a.local === undefined ? ', style=dashed' : '';
    lines.push(`  ${a.from} -> ${a.to} [id=${dotString(a.id)}, class="dh_edge"${labelled}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Data attributes of the boxes and arrows: exact values, for tests and the step-through. */
export function graphData(graph: ComputationalGraph, digits = 4): Map<string, Record<string, string>> {
  const data = new Map<string, Record<string, string>>();
  const byId = new Map(graph.boxes.map((b) => [b.id, b]));
  for (const b of graph.boxes) {
    const d: Record<string, string> = { name: b.name };
    if (b.value !== undefined) d['value'] = String(b.value);
    if (b.grad !== undefined) d['grad'] = String(b.grad);
    if (b.forward !== undefined) {
      d['fwd'] = String(b.forward);
      const v = b.value === undefined ? '' : ` = ${displayNumber(b.value, digits)}`;
      d['say-fwd'] = b.operation === '' ? `${b.name}${v} (given)` : `${b.name} = ${b.operation}${v}`;
    }
    if (b.backward !== undefined) {
      d['bwd'] = String(b.backward);
      const outgoing = graph.arrows.filter((a) => a.from === b.id && a.contribution !== undefined);
      const sum = outgoing.length === 0 ? '' : ` = ${outgoing.map((a) => displayNumber(a.contribution!, digits)).join(' + ')}`;
      const g = b.grad === undefined ? '' : ` = ${displayNumber(b.grad, digits)}`;
      d['say-bwd'] = outgoing.length > 1 ? `∂${graph.lossName}/∂${b.name}${sum}${g}` : `∂${graph.lossName}/∂${b.name}${g}`;
    }
    data.set(b.id, d);
  }
  for (const a of graph.arrows) {
    const d: Record<string, string> = { from: a.from, to: a.to };
    if (a.localValue !== undefined) d['local'] = String(a.localValue);
    if (a.contribution !== undefined) d['contribution'] = String(a.contribution);
    if (a.count > 1) d['count'] = String(a.count);
    if (byId.get(a.from)?.kind === 'collapsed' || byId.get(a.to)?.kind === 'collapsed') d['collapsed'] = 'true';
    data.set(a.id, d);
  }
  return data;
}

/**
 * The computational graph of an expression as an SVG string (async: Graphviz
 * runs in WebAssembly). Deterministic: the same input gives the same SVG.
 *
 *   await computationalGraphSvg(parseExpression('x*y + x'), { at: { x: 2, y: 3 } })
 *   // x is drawn once, with two outgoing edges; ∂L/∂x = 3 + 1 = 4
 */
export function computationalGraphSvg(loss: Node, options: ComputationalGraphOptions = {}): Promise<string> {
  checkGraphArguments('computationalGraphSvg', loss, options);
  return lazy(() => computationalGraphSvgNow(loss, options));
}

async function computationalGraphSvgNow(loss: Node, options: ComputationalGraphOptions = {}): Promise<string> {
  const graph = computationalGraph(loss, options);
  return computationalGraphSvgOf(graph, options.digits);
}

/** Draws a graph built by `computationalGraph`. */
export async function computationalGraphSvgOf(graph: ComputationalGraph, digits = 4): Promise<string> {
  const dot = computationalGraphDot(graph, { digits, stableNumbers: true });
  return renderDot(dot, graphData(graph, digits), `computational graph of ${graph.lossName}${graph.notes.length > 0 ? ' (collapsed)' : ''}`);
}

/** At most this many values of the point are listed in the outline. */
const OUTLINE_POINT = 12;

/**
 * A text outline of the graph for the terminal: the forward pass node by
 * node, then the backward pass with each edge's local derivative and what
 * it adds to the gradient.
 */
export function computationalGraphOutline(graph: ComputationalGraph, options: { digits?: number } = {}): string {
  checkArg('computationalGraphOutline', 'graph', graph, { ...objectWith('boxes', 'arrows', 'lossName', 'notes'), what: "a computational graph (computationalGraph's result)" });
  checkOptions('computationalGraphOutline', options, ['digits']);
  checkArg('computationalGraphOutline', 'digits', options.digits, GRAPH_OPTIONS['digits']!);
  const digits = options.digits ?? 4;
  const L = graph.lossName;
  const byId = new Map(graph.boxes.map((b) => [b.id, b]));
  const num = (v: number | undefined): string => (v === undefined ? '' : ` = ${displayNumber(v, digits)}`);
  const out: string[] = [];
  if (graph.at !== undefined) {
    const shown = [...graph.at].slice(0, OUTLINE_POINT).map(([k, v]) => `${unicodeName(k)} = ${displayNumber(v, digits)}`);
    const more = graph.at.size > OUTLINE_POINT ? `, … (${graph.at.size} values)` : '';
    out.push(`at ${shown.join(', ')}${more}`, '');
  }
  out.push('forward pass (inputs to loss):');
  const forward = graph.boxes.filter((b) => b.forward !== undefined).sort((a, b) => a.forward! - b.forward!);
  for (const b of forward) out.push(`  ${b.operation === '' ? b.name : `${b.name} = ${b.operation}`}${num(b.value)}`);
  const collapsed = graph.boxes.filter((b) => b.kind === 'collapsed');
  for (const b of collapsed) out.push(`  [${b.name}: ${b.size} nodes collapsed]`);
  out.push('', `backward pass (∂${L}/∂node = Σ over its uses of ∂${L}/∂user · ∂user/∂node):`);
  const backward = graph.boxes.filter((b) => b.backward !== undefined).sort((a, b) => a.backward! - b.backward!);
  for (const b of backward) {
    out.push(`  ∂${L}/∂${b.name}${num(b.grad)}${b.kind === 'loss' ? ' (start)' : ''}`);
    for (const a of graph.arrows) {
      if (a.from !== b.id || a.local === undefined) continue;
      const user = byId.get(a.to)!;
      const adds = a.contribution === undefined ? '' : `, adds ${displayNumber(a.contribution, digits)}`;
      const value = a.localValue === undefined || isNumberText(a.local, a.localValue, digits) ? '' : num(a.localValue);
      out.push(`      via ${user.name}: ∂${user.name}/∂${b.name} = ${a.local}${value}${adds}`);
    }
  }
  if (graph.notes.length > 0) out.push('', `note: ${graph.notes.join('\n  ')}`);
  return `${out.join('\n')}\n`;
}
