/**
 * `downhill graph "<expression>" [--at x=1,y=2] [--wrt x] [--out graph.svg]`
 * `downhill graph --model <id | description> [--picture network|computation] [--out net.svg]`
 *
 * Draws the computational graph of an expression (values and gradients on
 * every node, local derivatives on every edge) or the diagram of a network;
 * without --out, prints a text outline of the same picture.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { DownhillError } from '../errors.ts';
import { parseExpression } from '../expr/parse.ts';
import { refuseProgram } from '../expr/program.ts';
import { symbolsOf, type Node } from '../expr/node.ts';
import { writeFileAtomic, resolveInside } from '../io/atomic.ts';
import type { DenseNetwork } from '../nn/dense.ts';
import { layeredReferences, loadModel, sampleValues } from '../nn/load.ts';
import { referenceIds } from '../nn/reference.ts';
import { checkModelSize } from '../limits.ts';
import { isLayeredSpec } from '../nn/spec.ts';
import { computationalGraph, computationalGraphOutline, computationalGraphSvgOf } from '../pictures/computational.ts';
import { networkDiagram, networkDiagramDot, networkDiagramOutline } from '../pictures/network.ts';
import { renderDot } from '../pictures/render.ts';
import { checkValues } from '../check/gradient-check.ts';
import { parseFlags, parseNameList, parsePoint } from './args.ts';

const help = `usage: downhill graph "<expression>" [--at x=1,y=2] [--wrt x,y] [--out graph.svg]
       downhill graph --model <id | description> [--picture network|computation] [--at x1=0.5] [--out net.svg]

  --at x=1,y=2        values of the symbols: adds values, gradients and edge values
  --wrt x,y           variables of the gradient (default: every symbol; a model's parameters)
  --model <m>         a reference model (${referenceIds.join(', ')}) or a network
                      description such as 2-3-1:tanh:sigmoid:mse; weights and the first
                      sample of its data give the values (override any of them with --at)
  --picture <p>       network (default for --model) or computation (the loss of one sample)
  --naming <n>        short (w1, w2, ...) or indexed (W1_2_1, b1_2) parameter names
  --out <file.svg>    write the picture as SVG (atomically) instead of printing an outline
  --json              the picture's content (boxes and edges, or layers) as one JSON object`;

/** Resolves --out: a .svg file, written inside the folder it names. */
async function outputPath(out: string): Promise<string> {
  if (out.trim() === '') throw new DownhillError('--out needs a file name');
  if (!/\.svg$/i.test(out)) throw new DownhillError(`--out: "${out}" should end in .svg`);
  const target = resolve(out);
  const path = resolveInside(dirname(target), basename(target));
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new DownhillError(`--out: "${out}" is a folder`);
  return path;
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    at: { type: 'string' }, wrt: { type: 'string' }, out: { type: 'string' }, model: { type: 'string' },
    picture: { type: 'string' }, naming: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, 1);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const naming = values.naming ?? 'short';
  if (naming !== 'short' && naming !== 'indexed') throw new DownhillError(`--naming: expected short or indexed, got "${naming}"`);
  const picture = values.picture ?? (values.model === undefined ? 'computation' : 'network');
  if (picture !== 'network' && picture !== 'computation') throw new DownhillError(`--picture: expected network or computation, got "${picture}"`);
  const outPath = values.out === undefined ? undefined : await outputPath(values.out);
  const at = values.at === undefined ? undefined : parsePoint(values.at, '--at');

  let loss: Node;
  let point: Map<string, number> | undefined;
  let wrt: string[] | undefined = values.wrt === undefined ? undefined : parseNameList(values.wrt, '--wrt');
  let network: DenseNetwork | undefined;
  if (values.model !== undefined) {
    if (positionals.length > 0) throw new DownhillError('give an expression or --model, not both');
    if (isLayeredSpec(values.model) || Object.hasOwn(layeredReferences, values.model.trim())) {
      throw new DownhillError(`--model ${values.model.trim()}: graph draws dense networks; this one has convolution, pooling or attention layers (downhill check --model ${values.model.trim()} checks its gradient)`);
    }
    checkModelSize(values.model, '--model');
    const model = loadModel(values.model, { naming, N: 1 });
    network = model.network;
    loss = model.loss;
    point = sampleValues(model);
    for (const [name, v] of at ?? []) {
      if (!point.has(name)) throw new DownhillError(`--at: ${name} is not a symbol of the model (it has ${[...point.keys()].slice(0, 6).join(', ')}, ...)`);
      point.set(name, v);
    }
    wrt ??= [...model.params];
  } else {
    if (picture === 'network') throw new DownhillError('--picture network needs --model');
    const text = positionals[0];
    if (text === undefined) throw new DownhillError('missing expression: downhill graph "x*y + sin(x)" --at x=1,y=2 (or --model seed3)');
    refuseProgram(text, 'graph');
    loss = parseExpression(text);
    if (at !== undefined) {
      checkValues(loss, at, '--at');
      point = at;
    }
  }
  if (wrt !== undefined) {
    const symbols = new Set(symbolsOf([loss]));
    const unknown = wrt.filter((w) => !symbols.has(w));
    if (unknown.length > 0) throw new DownhillError(`--wrt: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the expression`);
  }

  if (picture === 'network') {
    const net = network!;
    const p = net.params.map((name) => point!.get(name)!);
    const inputs = net.inputs.map((x) => point!.get(x)!);
    const diagram = networkDiagram(net, { p, at: inputs });
    const json = { picture, model: values.model, layers: diagram.layers, notes: diagram.notes, ...(values.out === undefined ? {} : { out: values.out }) };
    if (outPath === undefined) {
      process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : networkDiagramOutline(diagram));
      return 0;
    }
    const { dot, data } = networkDiagramDot(diagram, { stableNumbers: true });
    const svg = await renderDot(dot, data, `network diagram of ${values.model}`);
    await writeFileAtomic(outPath, svg);
    process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `wrote ${values.out}: network diagram, ${diagram.layers.map((l) => l.units.length).join(' → ')}${diagram.notes.length > 0 ? ' (some layers collapsed)' : ''}\n`);
    return 0;
  }
  const graph = computationalGraph(loss, {
    ...(point === undefined ? {} : { at: point }),
    ...(wrt === undefined ? {} : { wrt }),
    ...(network === undefined ? {} : { network }),
  });
  const json = {
    picture,
    loss: graph.lossName,
    ...(graph.at === undefined ? {} : { at: Object.fromEntries(graph.at) }),
    boxes: graph.boxes.map(({ node: _node, ...box }) => box),
    edges: graph.arrows,
    notes: graph.notes,
    ...(values.out === undefined ? {} : { out: values.out }),
  };
  if (outPath === undefined) {
    process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : computationalGraphOutline(graph));
    return 0;
  }
  const svg = await computationalGraphSvgOf(graph);
  await writeFileAtomic(outPath, svg);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`wrote ${values.out}: computational graph, ${graph.boxes.length} boxes, ${graph.arrows.length} edges${graph.notes.length > 0 ? ' (collapsed)' : ''}\n`);
  return 0;
}
