/**
 * A step-through of backpropagation for lesson pages: the computational
 * graph at a point, drawn with the data its steps need (render/step-through.ts
 * makes it a page's picture with buttons and a status line).
 *
 *   doc.stepThrough(parseExpression('x*y + sin(x*y)'), { at: { x: 2, y: 3 } })
 *   const html = await stepThroughHtml(parseExpression('x*y + sin(x*y)'), { at: { x: 2, y: 3 } })
 */
import { checkArg, DownhillError, OBJECT, optional, TEXT } from '../errors.ts';
import type { Node } from '../expr/node.ts';
import { stepThroughFigure, type StepThroughData } from '../render/step-through.ts';
import { checkGraphArguments, computationalGraph, computationalGraphSvgOf, type ComputationalGraphOptions } from './computational.ts';


export interface StepThroughOptions extends ComputationalGraphOptions {
  /** A caption under the picture (plain text). */
  readonly caption?: string;
}

/** The door: the loss a graph, the options an object with `at` and the graph's options, the caption text. */
function checkStepThrough(fn: string, loss: unknown, options: unknown): void {
  checkArg(fn, 'options', options, OBJECT);
  checkGraphArguments(fn, loss, options, ['caption']);
  checkArg(fn, 'caption', options.caption, optional(TEXT));
}

/** The step-through's data (the graph's SVG, its id, the loss's name): a Document's stepThrough block carries it. Needs `at`. */
export async function stepThroughData(loss: Node, options: StepThroughOptions): Promise<StepThroughData> {
  checkStepThrough('stepThrough', loss, options);
  if (options.at === undefined) throw new DownhillError('the step-through needs a point (at) for its values and gradients');
  const { caption: _, ...graphOptions } = options;
  const graph = computationalGraph(loss, graphOptions);
  const svg = await computationalGraphSvgOf(graph, options.digits);
  return { svg, id: graph.prefix, lossName: graph.lossName, ...(options.caption === undefined ? {} : { caption: options.caption }) };
}

/**
 * HTML for a lesson page: the computational graph at a point, buttons
 * (back, next, start again), a status line that reads out each step, and
 * the inline script. Deterministic; needs `at`.
 *
 *   await stepThroughHtml(L, { at: { w1: 0.5, x1: 1, … }, wrt: ['w1', 'w2', 'w3'], caption: 'one step of backprop' })
 *   // '<div class="dh-steps" id="dh…_steps">…<svg …>…</svg>…<script>(function () {…})();</script>'
 */
export async function stepThroughHtml(loss: Node, options: StepThroughOptions): Promise<string> {
  checkStepThrough('stepThroughHtml', loss, options);
  return stepThroughFigure(await stepThroughData(loss, options));
}
