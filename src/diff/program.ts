/**
 * Backpropagation through named steps, the way a worked example writes it:
 * one line per name, each using the names after it.
 *
 *   const g = programGradient(parseProgram('z = w1*x1 + w2*x2; h = sigmoid(z); L = (y - w3*h)^2'), ['w1', 'w3'])
 *   g.backward.map((b) => `${b.symbol} = ${toText(b.formula)}`)
 *   // ['∂L/∂h = -2 * (y - w3 * h) * w3', '∂L/∂z = ∂L/∂h * h * (1 - h)',
 *   //  '∂L/∂w1 = ∂L/∂z * x1', '∂L/∂w3 = -2 * (y - w3 * h) * h']
 *
 * The adjoint of a name is the sum, over the steps that use it directly, of
 * that step's adjoint times its local derivative; a local derivative shows a
 * step's value by the step's name (σ'(z) is h·(1 − h), not σ(z)·(1 − σ(z))).
 * `partials` are the same derivatives with every name replaced.
 */
import { checkArg, DownhillError, NAMES, objectWith } from '../errors.ts';
import { add, constant, mapNodes, mul, sym, symbolsOf, type Node } from '../expr/node.ts';
import { evaluateFinite, POINT, type Values } from '../expr/evaluate.ts';
import { evaluateProgram, type Program } from '../expr/program.ts';
import { symbolTex } from '../expr/print.ts';
import { tidy } from '../expr/tidy.ts';
import { derivative, type Derivative } from './derivative.ts';

/** One line of the backward pass: ∂output/∂name. */
export interface NamedAdjoint {
  /** A step name or a variable. */
  readonly name: string;
  /** Its symbol in formulas: ∂L/∂h. */
  readonly symbol: string;
  /** ∂output/∂name over inputs, step names and the adjoint symbols of later steps. */
  readonly formula: Node;
}

export interface ProgramGradient {
  readonly program: Program;
  readonly wrt: readonly string[];
  /** From the output down: every step name (but the output), then the variables. */
  readonly backward: readonly NamedAdjoint[];
  /** ∂output/∂wrt[i] with every name replaced (closed form over the inputs). */
  readonly partials: readonly Derivative[];
}

/** The symbol of ∂out/∂name, as it appears in the backward formulas. */
export function adjointSymbol(output: string, name: string): string {
  return `∂${output}/∂${name}`;
}

/** TeX of a symbol of a backward formula: an adjoint symbol becomes a fraction. */
export function programSymbolTex(name: string): string {
  const m = /^∂([^/]+)\/∂(.+)$/.exec(name);
  return m ? `\\frac{\\partial ${symbolTex(m[1]!)}}{\\partial ${symbolTex(m[2]!)}}` : symbolTex(name);
}

/** The backward pass through the steps of `program`, for the variables `wrt` (inputs). */
export function programGradient(program: Program, wrt: readonly string[]): ProgramGradient {
  checkArg('programGradient', 'program', program, objectWith('steps', 'inputs', 'output', 'expanded'));
  checkArg('programGradient', 'wrt', wrt, NAMES);
  const stepNames = new Set(program.steps.map((s) => s.name));
  for (const w of wrt) {
    if (stepNames.has(w)) throw new DownhillError(`${w} is a step of the program, not an input (its derivative is in the backward pass)`);
    if (!program.inputs.includes(w)) throw new DownhillError(`${w} is not in the expression`);
  }
  const out = program.output.name;
  // A step's value, wherever a local derivative recomputes it, is shown by its name.
  const byNode = new Map(program.steps.slice(0, -1).map((s) => [s.node.id, s.name]));
  const named = (n: Node): Node => mapNodes(n, (m) => (byNode.has(m.id) ? sym(byNode.get(m.id)!) : undefined));

  const steps = program.steps;
  const last = steps.length - 1;
  const adjointOf = (k: number): Node => (k === last ? constant(1) : sym(adjointSymbol(out, steps[k]!.name)));
  const lineFor = (name: string, upTo: number): NamedAdjoint => {
    let formula: Node | undefined;
    for (let k = upTo; k <= last; k++) {
      if (!symbolsOf([steps[k]!.node]).includes(name)) continue;
      const local = named(tidy(derivative(steps[k]!.node, name).node));
      const term = mul(adjointOf(k), local);
      formula = formula === undefined ? term : add(formula, term);
    }
    return { name, symbol: adjointSymbol(out, name), formula: formula ?? constant(0) };
  };
  const backward: NamedAdjoint[] = [];
  for (let i = last - 1; i >= 0; i--) backward.push(lineFor(steps[i]!.name, i + 1));
  for (const w of wrt) backward.push(lineFor(w, 0));
  return { program, wrt, backward, partials: wrt.map((w) => derivative(program.expanded, w)) };
}

/**
 * The numbers of a backward pass at a point: every input and step value,
 * then every adjoint (by its symbol, ∂L/∂h), each line evaluated with the
 * values of the lines before it.
 */
export function programGradientAt(g: ProgramGradient, at: Values): Map<string, number> {
  checkArg('programGradientAt', 'g', g, objectWith('program', 'backward'));
  checkArg('programGradientAt', 'at', at, POINT);
  const values = evaluateProgram(g.program, at);
  for (const line of g.backward) values.set(line.symbol, evaluateFinite(line.formula, values));
  return values;
}
