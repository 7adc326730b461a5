/**
 * Printing graphs as mathjs text and as TeX.
 *
 *   toText(parseExpression('w1*x1 + 2'))   // 'w1 * x1 + 2'
 *   toTex(parseExpression('w1*x1 + 2'))    // 'w_{1} x_{1} + 2'
 *
 * A graph prints as a tree: a shared node is written out wherever it is
 * used. Numbers print exactly (the shortest text that reads back to the same
 * double) unless `digits` asks for fewer significant digits.
 */
import { checkArg, DownhillError, TEXT } from '../errors.ts';
import { functionRule } from './functions.ts';
import { NODE, topoOrder, type Node } from './node.ts';
import { formatNumber, numberTex } from './number.ts';
import { isGreek, symbolParts } from './symbols.ts';

export interface PrintOptions {
  /** Significant digits for numbers; default: exact. */
  readonly digits?: number;
  /** TeX of a symbol; default: `symbolTex` (w1 → w_{1}). */
  readonly symbolTex?: (name: string) => string;
}

/**
 * The longest formula printed, in characters. A graph prints as a tree, and
 * a tree can be exponentially larger than its graph (x^x^x^... or the
 * derivative of a long product): past this, printing stops with an error
 * instead of running out of memory.
 */
export const MAX_PRINT_LENGTH = 1_000_000;

function tooLarge(): DownhillError {
  return new DownhillError(`formula too large to print: written out it has more than ${MAX_PRINT_LENGTH.toLocaleString('en')} characters (its graph is small; use the graph or the compiled function instead)`);
}

function checkLength(s: string): string {
  if (s.length > MAX_PRINT_LENGTH) throw tooLarge();
  return s;
}

/**
 * Refuses, before building any string, a graph whose tree has more nodes
 * than the printed text may have characters (every node prints at least one).
 */
function checkTreeSize(root: Node): void {
  const size = new Map<number, number>();
  for (const n of topoOrder([root])) {
    let total = 1;
    if (n.kind !== 'const' && n.kind !== 'sym') for (const k of n.args) total += size.get(k.id)!;
    if (total > MAX_PRINT_LENGTH) throw tooLarge();
    size.set(n.id, total);
  }
}

// Precedence: higher binds tighter.
const PREC = { add: 1, sub: 1, mul: 2, div: 2, neg: 3, pow: 4, atom: 5 } as const;

function precedence(n: Node): number {
  switch (n.kind) {
    case 'const': return n.value < 0 || Object.is(n.value, -0) ? PREC.neg : PREC.atom;
    case 'sym':
    case 'call': return PREC.atom;
    default: return PREC[n.kind];
  }
}

/** mathjs text of a graph; it parses back to an equal value. */
export function toText(root: Node, options: PrintOptions = {}): string {
  checkArg('toText', 'root', root, NODE);
  checkTreeSize(root);
  const out = new Map<number, string>();
  const wrap = (n: Node, min: number): string => (precedence(n) < min ? `(${out.get(n.id)})` : out.get(n.id)!);
  for (const n of topoOrder([root])) {
    let s: string;
    switch (n.kind) {
      case 'const': s = formatNumber(n.value, options.digits); break;
      case 'sym': s = n.name; break;
      case 'add': s = `${wrap(n.args[0], PREC.add)} + ${wrap(n.args[1], PREC.add)}`; break;
      case 'sub': s = `${wrap(n.args[0], PREC.add)} - ${wrap(n.args[1], PREC.add + 1)}`; break;
      case 'mul': s = `${wrap(n.args[0], PREC.mul)} * ${wrap(n.args[1], PREC.neg + 1)}`; break;
      case 'div': s = `${wrap(n.args[0], PREC.mul)} / ${wrap(n.args[1], PREC.neg + 1)}`; break;
      case 'pow': s = `${wrap(n.args[0], PREC.atom)} ^ ${wrap(n.args[1], PREC.atom)}`; break;
      case 'neg': s = `-${wrap(n.args[0], PREC.mul)}`; break;
      case 'call': s = `${n.fn}(${n.args.map((a) => out.get(a.id)).join(', ')})`; break;
    }
    out.set(n.id, checkLength(s));
  }
  return out.get(root.id)!;
}

function baseTex(base: string): string {
  if (isGreek(base)) return `\\${base}`;
  return base.length === 1 ? base : `\\mathrm{${base}}`;
}

/**
 * TeX of a symbol name: w1 → w_{1}, x_12 → x_{12}, alpha → \alpha,
 * y_hat → \hat{y}, W2_1_3 → W^{(2)}_{13} (layer 2, row 1, column 3).
 */
export function symbolTex(name: string): string {
  checkArg('symbolTex', 'name', name, TEXT);
  const s = symbolParts(name);
  switch (s.kind) {
    case 'layer': return `${baseTex(s.base)}^{(${s.layer})}_{${s.indices.join('')}}`;
    case 'hat': return `\\hat{${baseTex(s.base)}}`;
    case 'indexed': return `${baseTex(s.base)}_{${s.index}}`;
    case 'subscript': return `${baseTex(s.base)}_{${isGreek(s.subscript) ? `\\${s.subscript}` : s.subscript}}`;
    case 'word': return baseTex(s.base);
    case 'other': break;
  }
  return `\\mathrm{${name.replace(/[\\{}$&#^_%~]/g, (c) => `\\${c}`)}}`;
}

/** TeX of a graph, in textbook style: juxtaposed factors, \frac, \sigma. */
export function toTex(root: Node, options: PrintOptions = {}): string {
  checkArg('toTex', 'root', root, NODE);
  checkTreeSize(root);
  const symTex = options.symbolTex ?? symbolTex;
  const out = new Map<number, string>();
  const paren = (s: string): string => `\\left(${s}\\right)`;
  const wrap = (n: Node, min: number): string => (precedence(n) < min ? paren(out.get(n.id)!) : out.get(n.id)!);
  for (const n of topoOrder([root])) {
    let s: string;
    switch (n.kind) {
      case 'const': s = numberTex(n.value, options.digits); break;
      case 'sym': s = symTex(n.name); break;
      case 'add': s = `${wrap(n.args[0], PREC.add)} + ${wrap(n.args[1], PREC.add)}`; break;
      case 'sub': s = `${wrap(n.args[0], PREC.add)} - ${wrap(n.args[1], PREC.add + 1)}`; break;
      case 'mul': {
        // A fraction needs no brackets in TeX: \frac is a box of its own.
        const left = n.args[0].kind === 'div' ? out.get(n.args[0].id)! : wrap(n.args[0], PREC.mul);
        const right = n.args[1].kind === 'div' ? out.get(n.args[1].id)! : wrap(n.args[1], PREC.neg + 1);
        // Juxtapose unless the right factor starts with a digit (2 · 3, x · 2).
        s = /^[\d.]/.test(right) ? `${left} \\cdot ${right}` : `${left} ${right}`;
        break;
      }
      case 'div': s = `\\frac{${out.get(n.args[0].id)}}{${out.get(n.args[1].id)}}`; break;
      case 'pow': s = `{${wrap(n.args[0], PREC.atom)}}^{${out.get(n.args[1].id)}}`; break;
      case 'neg': s = `-${wrap(n.args[0], PREC.mul)}`; break;
      case 'call': {
        const rule = functionRule(n.fn);
        const args = n.args.map((a) => out.get(a.id)!);
        s = rule ? rule.tex(args) : `\\operatorname{${n.fn}}${paren(args.join(', '))}`;
        break;
      }
    }
    out.set(n.id, checkLength(s));
  }
  return out.get(root.id)!;
}
