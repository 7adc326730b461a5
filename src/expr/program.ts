/**
 * Named steps: a function written as a few definitions, the way a worked
 * example writes a network,
 *
 *   z = w1*x1 + w2*x2; h = sigmoid(z); L = (y - w3*h)^2
 *
 * Steps are separated by ";" or new lines. The last one is the function;
 * each earlier name is an intermediate that later steps use by name. A lone
 * expression is a program of one step, named f. A last line without a name
 * is named f too (or f0, f1, ... when the text already uses f).
 *
 *   const p = parseProgram('z = w*x; L = (y - z)^2')
 *   p.inputs                    // ['w', 'x', 'y']
 *   toText(p.expanded)          // '(y - w * x) ^ 2'
 *   evaluateProgram(p, new Map([['w', 2], ['x', 3], ['y', 1]])).get('z')   // 6
 */
import { DownhillError } from '../errors.ts';
import { functionRule } from './functions.ts';
import { evaluateFinite, valueMap, type Values } from './evaluate.ts';
import { symbolsOf, substitute, type Node } from './node.ts';
import { checkExpressionLength, parseWithSymbols } from './parse.ts';
import { SYMBOL_NAME } from './symbols.ts';

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

const definition = new RegExp(`^(${SYMBOL_NAME})\\s*=(?!=)([^]*)$`, 'u');
const reserved = new Set(['pi', 'e']);

/** True when the text is more than one expression: it has ";", a new line, or starts with "name =". */
export function isProgram(text: string): boolean {
  return /[;\n]/.test(text.trim()) || definition.test(text.trim());
}

/** The name of a last line written without one: f, or the first of f0, f1, ... that the text does not use. */
function defaultName(text: string): string {
  const taken = new Set(text.match(new RegExp(SYMBOL_NAME, 'gu')) ?? []);
  if (!taken.has('f')) return 'f';
  let k = 0;
  while (taken.has(`f${k}`)) k++;
  return `f${k}`;
}

/** Parses named steps ("a = ...; b = ...; L = ..."); see the top of this file. */
export function parseProgram(text: string): Program {
  if (typeof text !== 'string') throw new DownhillError('expression must be a string');
  checkExpressionLength(text);
  const parts = text.split(/[;\n]/).map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new DownhillError('empty expression');

  const written: { name: string; body: string; named: boolean }[] = parts.map((part, i) => {
    const m = definition.exec(part);
    if (m) return { name: m[1]!, body: m[2]!, named: true };
    if (i < parts.length - 1) throw new DownhillError(`step ${i + 1} "${part}" has no name: write name = expression`);
    return { name: defaultName(text), body: part, named: false };
  });
  const index = new Map<string, number>();
  written.forEach(({ name }, i) => {
    if (functionRule(name) || reserved.has(name)) throw new DownhillError(`step ${i + 1}: ${name} is a function or constant, not a free name`);
    if (index.has(name)) throw new DownhillError(`${name} is defined twice (steps ${index.get(name)! + 1} and ${i + 1})`);
    index.set(name, i);
  });

  const expandedOf = new Map<string, Node>();
  /** The symbols each step names as written, collected before folding (0*z still uses z). */
  const namedSymbols: (readonly string[])[] = [];
  const steps: Step[] = written.map(({ name, body, named }, i) => {
    const label = named ? `step ${i + 1} (${name})` : `step ${i + 1}`;
    let parsed: ReturnType<typeof parseWithSymbols>;
    try {
      parsed = parseWithSymbols(body);
    } catch (e) {
      if (e instanceof DownhillError && written.length > 1) throw new DownhillError(`${label}: ${e.message}`);
      throw e;
    }
    const { node, symbols } = parsed;
    namedSymbols.push(symbols);
    for (const s of symbols) {
      const at = index.get(s);
      if (at === i) throw new DownhillError(`${name} is used in its own definition`);
      if (at !== undefined && at > i) throw new DownhillError(`${label} uses ${s} before it is defined (step ${at + 1})`);
    }
    const expanded = substitute(node, expandedOf);
    expandedOf.set(name, expanded);
    return { name, node, expanded };
  });

  const used = new Set(namedSymbols.flat());
  const unused = steps.slice(0, -1).filter((s) => !used.has(s.name)).map((s) => s.name);
  if (unused.length > 0) throw new DownhillError(`${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} defined but never used`);
  const output = steps[steps.length - 1]!;
  // Inputs that survive folding first, then the folded-away ones in the order written (as parseWithSymbols does).
  const kept = symbolsOf([output.expanded]);
  const folded = [...new Set(namedSymbols.flat())].filter((s) => !index.has(s) && !kept.includes(s));
  return { steps, output, inputs: [...kept, ...folded], expanded: output.expanded };
}

/**
 * Refuses named steps where only one expression is read (check, graph),
 * saying where they do work.
 *
 *   refuseProgram('z = w*x; L = z^2', 'check')   // throws: named steps ... work in downhill grad only
 */
export function refuseProgram(text: string, command: string): void {
  if (isProgram(text)) {
    throw new DownhillError(`named steps ("z = w*x; L = z^2") work in downhill grad only: give ${command} one expression, such as "(w*x)^2"`);
  }
}

/**
 * The value of every input and every step at a point (a value for each
 * input); a step that is not a finite number is an error naming it.
 */
export function evaluateProgram(program: Program, at: Values): Map<string, number> {
  const point = valueMap(at);
  const values = new Map<string, number>();
  for (const input of program.inputs) {
    const v = point.get(input);
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
