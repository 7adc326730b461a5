/**
 * Text to expression graphs, through mathjs `parse`.
 *
 *   parseExpression('(y - w3*sigmoid(w1*x1 + w2*x2))^2')
 *
 * mathjs parses (it evaluates nothing); we then accept numbers, symbols,
 * + − · / ^, and calls of the function table, and refuse everything else
 * with a one-line error that names the construct and its column. Limits on
 * length and nesting are checked before mathjs sees the text, so no input
 * can overflow the stack.
 */
import { parse as mathjsParse, FunctionNode, OperatorNode, ConstantNode, SymbolNode, ParenthesisNode, type MathNode } from './mathjs-lib.ts';
import { DownhillError } from '../errors.ts';
import { functionRule } from './functions.ts';
import { constant, sym, symbolsOf, type Node } from './node.ts';
import { describeMathjsNode, fromMathjs, namedConstants } from './mathjs.ts';
import { SYMBOL_CHAR, SYMBOL_NAME } from './symbols.ts';

/** The longest expression text accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 20_000;
/** The deepest nesting of brackets accepted. */
export const MAX_NESTING = 200;

const refusedSymbols: ReadonlyMap<string, string> = new Map([
  ['Infinity', 'Infinity is not a number downhill can differentiate'],
  ['NaN', 'NaN is not a number downhill can differentiate'],
  ['undefined', '"undefined" is not a number'],
  ['null', '"null" is not a number'],
]);

const operatorNames: Record<string, string> = {
  factorial: 'factorial (!)', mod: 'modulo', dotMultiply: 'element-wise multiplication',
  dotDivide: 'element-wise division', dotPow: 'element-wise power', to: 'unit conversion',
  equal: 'comparison (==)', unequal: 'comparison (!=)', smaller: 'comparison (<)', larger: 'comparison (>)',
  smallerEq: 'comparison (<=)', largerEq: 'comparison (>=)', and: 'logical and', or: 'logical or',
  xor: 'logical xor', not: 'logical not', bitAnd: 'bitwise and', bitOr: 'bitwise or', bitXor: 'bitwise xor',
  bitNot: 'bitwise not', leftShift: 'shift', rightArithShift: 'shift', rightLogShift: 'shift',
  transpose: "transpose (')", ctranspose: "transpose (')", nullish: 'nullish (??)',
};

const allowedOperators = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);

/** 1-based column of the first match of `pattern` in `text`, as " at column N" (or ""). */
function columnOf(text: string, pattern: RegExp): string {
  const m = pattern.exec(text);
  return m ? ` at column ${m.index + 1}` : '';
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Refuses a text longer than MAX_EXPRESSION_LENGTH (a whole program of named steps, too). */
export function checkExpressionLength(text: string): void {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new DownhillError(`expression too long: ${text.length} characters (at most ${MAX_EXPRESSION_LENGTH})`);
  }
}

/** Refuses an empty text, a too long one, brackets nested past MAX_NESTING or unbalanced; returns how deep its brackets go. */
function checkLimits(text: string): number {
  if (text.trim() === '') throw new DownhillError('empty expression: write one such as "x^2 + 3*x"');
  checkExpressionLength(text);
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      deepest = Math.max(deepest, ++depth);
      if (depth > MAX_NESTING) throw new DownhillError(`expression nested too deeply at column ${i + 1} (at most ${MAX_NESTING} levels of brackets)`);
    } else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) throw new DownhillError(`unbalanced parentheses: unexpected "${c}" at column ${i + 1}`);
    }
  }
  if (depth > 0) throw new DownhillError(`unbalanced parentheses: ${depth} "(" not closed at the end of the expression`);
  return deepest;
}

/**
 * How deep one call of mathjs's parser goes: its recursive descent takes
 * about 27 calls per level of brackets, and a browser worker's stack holds
 * about 140 levels (Chromium, measured), Node's about 230. Deeper texts are
 * parsed a part at a time (outlined), so the page answers what the command
 * does up to MAX_NESTING.
 */
export const PARSE_DEPTH = 40;

/**
 * mathjs's tree of a text nested deeper than PARSE_DEPTH, parsed a part at a
 * time: each bracket group "( … )" that opens PARSE_DEPTH levels below the
 * part it is in (and holds one expression, no top-level comma) is parsed on
 * its own, and its place in the outer text holds a placeholder name of the
 * same length, replaced by its tree afterwards. Every part is parsed with
 * at most about PARSE_DEPTH levels, and columns in mathjs's messages still
 * count in the whole text.
 *
 *   outlinedParse('(((…(w*x)…)))')   // the same tree as mathjsParse(text), with less stack
 */
function outlinedParse(text: string): MathNode {
  const n = text.length;
  // The matching bracket of each opening one (checkLimits has checked the balance).
  const match = new Int32Array(n).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') open.push(i);
    else if (c === ')' || c === ']' || c === '}') match[open.pop()!] = i;
  }
  let prefix = '_dh';
  while (text.includes(prefix)) prefix += 'q';
  const parts = new Map<string, MathNode>();
  let count = 0;
  const holds = (from: number, to: number): boolean => {
    // One expression: no comma at the group's own level.
    for (let i = from; i < to; i++) {
      if (text[i] === ',') return false;
      if (match[i]! >= 0) i = match[i]!;
    }
    return true;
  };
  /** The text [from, to) parsed, its groups deeper than PARSE_DEPTH parsed first. */
  const parsePart = (from: number, to: number): MathNode => {
    let out = '';
    let last = from;
    let depth = 0;
    for (let i = from; i < to; i++) {
      const c = text[i];
      if (c === ')' || c === ']' || c === '}') depth--;
      if (c !== '(' && c !== '[' && c !== '{') continue;
      depth++;
      const end = match[i]!;
      const name = `${prefix}${count.toString(36)}`.padEnd(end - i - 1, '_');
      if (c !== '(' || depth < PARSE_DEPTH || name.length > end - i - 1 || !holds(i + 1, end)) continue;
      count++;
      parts.set(name, parsePart(i + 1, end));
      out += `${text.slice(last, i + 1)}${name}`;
      last = end;
      i = end - 1;
    }
    out += text.slice(last, to);
    let tree: MathNode;
    try {
      tree = mathjsParse(out);
    } catch (e) {
      // Columns count in the whole text: a part starts at `from`, and each placeholder is as long as what it holds.
      if (e instanceof Error && from > 0) e.message = e.message.replace(/\(char (\d+)\)/, (_, k: string) => `(char ${Number(k) + from})`);
      throw e;
    }
    return tree.transform((node) => (node instanceof SymbolNode && parts.has(node.name) ? parts.get(node.name)! : node));
  };
  return parsePart(0, n);
}

/**
 * mathjs's tree of a text that has passed checkLimits (`depth`: how deep its
 * brackets go, as checkLimits found): parsed a part at a time when deeper
 * than one call of mathjs's parser should go (a text with quotes is parsed
 * whole: strings are refused anyway).
 */
function mathjsTree(text: string, depth: number): MathNode {
  try {
    return depth > PARSE_DEPTH && !/["']/.test(text) ? outlinedParse(text) : mathjsParse(text);
  } catch (e) {
    if (e instanceof RangeError) throw new DownhillError('expression nested too deeply to parse');
    const message = e instanceof Error ? e.message : String(e);
    const m = /^([^]*?)\s*\(char (\d+)\)\s*$/.exec(message);
    if (m) {
      const column = Math.min(Number(m[2]), text.length);
      throw new DownhillError(`cannot parse expression: ${m[1]!.replace(/\.$/, '')} at column ${column}`);
    }
    throw new DownhillError(`cannot parse expression: ${message}`);
  }
}

/**
 * The mathjs tree of a text, after the same limits (length, nesting) and with
 * the same one-line errors as parseExpression, but not walked against the
 * whitelist: for a reader with a grammar of its own (the practice checker's
 * matrix answers, src/practice/matrix.ts, which also accepts ' and .*). Typed
 * unknown so that no declaration of the package names mathjs's types; the
 * caller narrows it to MathNode.
 */
export function limitedMathjsTree(text: string): unknown {
  if (typeof text !== 'string') throw new DownhillError('expression must be a string');
  return mathjsTree(text, checkLimits(text));
}

/**
 * Characters mathjs reads as letters of a name although they look like
 * operators: `x÷2` would be one symbol named "x÷2", whose derivative by x is 0.
 */
const operatorLike: ReadonlyMap<string, string> = new Map([
  ['÷', '/'], ['×', '*'], ['·', '*'], ['−', '-'], ['∗', '*'], ['⋅', '*'], ['∕', '/'],
]);

const nameChar = new RegExp(`^${SYMBOL_CHAR}$`, 'u');
const wholeName = new RegExp(`^${SYMBOL_NAME}$`, 'u');

/**
 * Whether `text` is a symbol name, as the parser reads one: the same
 * characters (SYMBOL_NAME), and the text parsed alone is that symbol (not
 * a constant such as pi, not refused). The one test for every flag and
 * named step that names a symbol.
 *
 *   isSymbolName('θ')     // true
 *   isSymbolName('x$y')   // true
 *   isSymbolName('pi')    // false (a constant)
 *   isSymbolName('x y')   // false
 */
export function isSymbolName(text: string): boolean {
  if (!wholeName.test(text) || [...text].some((c) => operatorLike.has(c))) return false;
  try {
    const node = parseExpression(text);
    return node.kind === 'sym' && node.name === text;
  } catch {
    return false;
  }
}

/** Refuses a symbol name that holds anything but letters, digits and _ (such as ÷ or ×), with a hint. */
function checkName(name: string, text: string): void {
  const bad = [...name].find((c) => !nameChar.test(c) || operatorLike.has(c));
  if (bad === undefined) return;
  const instead = operatorLike.get(bad);
  const hint = instead === undefined ? 'names hold only letters, digits and _' : `write ${instead} for ${bad}`;
  throw new DownhillError(`"${bad}" is not allowed in a name ("${name}")${columnOf(text, new RegExp(escapeRe(bad)))}: ${hint}`);
}

/** Walks the mathjs tree and throws on the first construct we do not accept; returns the symbols it names. */
function validate(root: MathNode, text: string): Set<string> {
  const symbols = new Set<string>();
  const stack: MathNode[] = [root];
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (m instanceof ParenthesisNode) {
      stack.push(m.content);
    } else if (m instanceof ConstantNode) {
      if (typeof m.value !== 'number') {
        const what = typeof m.value === 'string' ? 'strings' : typeof m.value === 'boolean' ? 'booleans' : `the value ${String(m.value)}`;
        throw new DownhillError(`unsupported construct: ${what} are not allowed in an expression`);
      }
      if (!Number.isFinite(m.value)) {
        // Infinity as a word, or a literal too large for a double (1e999).
        const where = columnOf(text, new RegExp(`\\b${String(m.value)}\\b`)) || columnOf(text, /\d+(?:\.\d*)?e\+?\d{3,}/i);
        throw new DownhillError(`the number ${String(m.value)} is not a finite number${where}`);
      }
    } else if (m instanceof SymbolNode) {
      const why = refusedSymbols.get(m.name);
      if (why) throw new DownhillError(`${why}${columnOf(text, new RegExp(`\\b${escapeRe(m.name)}\\b`))}`);
      // A function's name is not a symbol (named steps refuse it too): sin*x is refused, sin(x) is the call.
      if (functionRule(m.name) !== undefined) throw new DownhillError(`${m.name} is a function, not a symbol${columnOf(text, new RegExp(`\\b${escapeRe(m.name)}\\b`))}: call it, as in ${m.name}(x)`);
      checkName(m.name, text);
      if (!namedConstants.has(m.name)) symbols.add(m.name);
    } else if (m instanceof OperatorNode) {
      if (!allowedOperators.has(m.fn)) {
        const name = operatorNames[m.fn] ?? `operator "${m.op}"`;
        throw new DownhillError(`unsupported construct: ${name}${columnOf(text, new RegExp(escapeRe(m.op)))}`);
      }
      stack.push(...m.args);
    } else if (m instanceof FunctionNode) {
      const name = m.fn instanceof SymbolNode ? m.fn.name : undefined;
      if (name === undefined) throw new DownhillError('unsupported construct: calling the result of an expression');
      const where = columnOf(text, new RegExp(`\\b${escapeRe(name)}\\s*\\(`));
      const rule = name === 'pow' ? { arity: [2, 2] as const } : functionRule(name);
      if (!rule) throw new DownhillError(`unknown function "${name}"${where}`);
      const [lo, hi] = rule.arity;
      const n = m.args.length;
      if (n < lo || n > hi) {
        const expected = lo === hi ? `${lo}` : hi === Infinity ? `at least ${lo}` : `${lo} to ${hi}`;
        throw new DownhillError(`${name}() takes ${expected} argument${lo === 1 && hi === 1 ? '' : 's'}, got ${n}${where}`);
      }
      stack.push(...m.args);
    } else {
      throw new DownhillError(`unsupported construct: ${describeMathjsNode(m)}`);
    }
  }
  return symbols;
}

/**
 * Parses mathjs text into an expression graph. Symbols are ordinary
 * symbols, including mathjs's unit names (b, m, s, g, ...); `pi` and `e` are
 * the constants. Names hold letters, digits and _ only: `x÷2` and `x×y`
 * (which mathjs would read as single names) are refused with a hint.
 *
 *   parseExpression('w1*x1 + b')   // a graph over the symbols w1, x1, b
 *
 * See also: parseWithSymbols
 */
export function parseExpression(text: string): Node {
  return parseWithSymbols(text).node;
}

/**
 * Like parseExpression, and also the symbols the text names, collected
 * before any folding: `0*x` is the constant 0, but its symbols are ['x'].
 * Symbols that survive come first, in order of first appearance
 * (as symbolsOf gives them), then the folded-away ones in the order they
 * appear in the text.
 *
 *   parseWithSymbols('0*x + y')   // { node: y, symbols: ['y', 'x'] }
 */
export function parseWithSymbols(text: string): { readonly node: Node; readonly symbols: readonly string[] } {
  if (typeof text !== 'string') throw new DownhillError('expression must be a string');
  const tree = mathjsTree(text, checkLimits(text));
  const named = validate(tree, text);
  let node: Node;
  try {
    node = fromMathjs(tree, (name) => (namedConstants.has(name) ? constant(namedConstants.get(name)!) : sym(name)));
  } catch (e) {
    if (e instanceof RangeError) throw new DownhillError('expression nested too deeply to parse');
    throw e;
  }
  const kept = symbolsOf([node]);
  const keptSet = new Set(kept);
  const folded = [...named].filter((s) => !keptSet.has(s));
  const at = (s: string): number => new RegExp(`(?<![\\p{L}\\p{N}_$])${escapeRe(s)}(?![\\p{L}\\p{N}_$])`, 'u').exec(text)?.index ?? text.length;
  return { node, symbols: [...kept, ...folded.sort((a, b) => at(a) - at(b))] };
}
