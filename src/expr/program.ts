/**
 * Named steps: a function written as a few definitions, the way a worked
 * example writes a network,
 *
 *   z = w1*x1 + w2*x2; h = sigmoid(z); L = (y - w3*h)^2
 *
 * Steps are separated by ";" or new lines. The last one is the function;
 * each earlier name is an intermediate that later steps use by name. A lone
 * expression is a program of one step, named f.
 *
 *   const p = parseProgram('z = w*x; L = (y - z)^2')
 *   p.inputs                    // ['w', 'x', 'y']
 *   toText(p.expanded)          // '(y - w * x) ^ 2'
 *   evaluateProgram(p, new Map([['w', 2], ['x', 3], ['y', 1]])).get('z')   // 6
 */
import { DownhillError } from '../errors.ts';
import { functionRule } from './functions.ts';
import { evaluateFinite } from './evaluate.ts';
import { symbolsOf, substitute, type Node } from './node.ts';
import { parseExpression } from './parse.ts';

/** One definition: name = expression (the expression may use earlier names). */
export interface Step {
  readonly name: string;
  /** The expression as written, over inputs and earlier names. */
  readonly node: Node;
  /** The same with every earlier name replaced: over the inputs only. */
  readonly expanded: Node;
}

export interface Program {
  /** The definitions in order; the last is the function. */
  readonly steps: readonly Step[];
  /** The last step. */
  readonly output: Step;
  /** The symbols that are not step names (what a point must give values to). */
  readonly inputs: readonly string[];
  /** The function over the inputs only (`output.expanded`). */
  readonly expanded: Node;
}

const definition = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)([^]*)$/;
const reserved = new Set(['pi', 'e']);

/** True when the text is more than one expression: it has ";", a new line, or starts with "name =". */
export function isProgram(text: string): boolean {
  return /[;\n]/.test(text.trim()) || definition.test(text.trim());
}

/** Parses named steps ("a = ...; b = ...; L = ..."); see the top of this file. */
export function parseProgram(text: string): Program {
  if (typeof text !== 'string') throw new DownhillError('expression must be a string');
  const parts = text.split(/[;\n]/).map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new DownhillError('empty expression');

  const written: { name: string; body: string }[] = parts.map((part, i) => {
    const m = definition.exec(part);
    if (m) return { name: m[1]!, body: m[2]! };
    if (i < parts.length - 1) throw new DownhillError(`step ${i + 1} "${part}" has no name: write name = expression`);
    return { name: 'f', body: part };
  });
  const index = new Map<string, number>();
  written.forEach(({ name }, i) => {
    if (functionRule(name) || reserved.has(name)) throw new DownhillError(`step ${i + 1}: ${name} is a function or constant, not a free name`);
    if (index.has(name)) throw new DownhillError(`${name} is defined twice (steps ${index.get(name)! + 1} and ${i + 1})`);
    index.set(name, i);
  });

  const expandedOf = new Map<string, Node>();
  const steps: Step[] = written.map(({ name, body }, i) => {
    let node: Node;
    try {
      node = parseExpression(body);
    } catch (e) {
      if (e instanceof DownhillError && written.length > 1) throw new DownhillError(`step ${i + 1} (${name}): ${e.message}`);
      throw e;
    }
    for (const s of symbolsOf([node])) {
      const at = index.get(s);
      if (at === i) throw new DownhillError(`${name} is used in its own definition`);
      if (at !== undefined && at > i) throw new DownhillError(`step ${i + 1} (${name}) uses ${s} before it is defined (step ${at + 1})`);
    }
    const expanded = substitute(node, expandedOf);
    expandedOf.set(name, expanded);
    return { name, node, expanded };
  });

  const used = new Set(steps.flatMap((s) => symbolsOf([s.node])));
  const unused = steps.slice(0, -1).filter((s) => !used.has(s.name)).map((s) => s.name);
  if (unused.length > 0) throw new DownhillError(`${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} defined but never used`);
  const output = steps[steps.length - 1]!;
  return { steps, output, inputs: symbolsOf([output.expanded]), expanded: output.expanded };
}

/**
 * The value of every input and every step at a point (a value for each
 * input); a step that is not a finite number is an error naming it.
 */
export function evaluateProgram(program: Program, at: ReadonlyMap<string, number>): Map<string, number> {
  const values = new Map<string, number>();
  for (const input of program.inputs) {
    const v = at.get(input);
    if (v === undefined) throw new DownhillError(`no value for ${input}`);
    values.set(input, v);
  }
  for (const step of program.steps) {
    try {
      values.set(step.name, evaluateFinite(step.node, values));
    } catch (e) {
      if (e instanceof DownhillError && program.steps.length > 1) throw new DownhillError(`step ${step.name}: ${e.message}`);
      throw e;
    }
  }
  return values;
}
