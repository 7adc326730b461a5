/**
 * What the learner typed, read back as TeX (the practice page's live
 * preview, KaTeX of the parsed expression): never the typed text itself, so
 * typed text cannot become markup. Each name goes through symbolTex (w1 → w_{1},
 * anything else inside \mathrm with TeX's specials escaped), each number
 * through the number printer.
 *
 *   answerTex(item, '-2*(y - yhat)*h')   // '-2 \left(y - \hat{y}\right) h'
 *   answerTex(matrixItem, "delta2 * a1'") // '\delta_{2} {a_{1}}^{\top}'
 *   answerTex(choiceItem, 'b')            // undefined: a choice has no formula
 *
 * A text that does not read throws the parser's DownhillError (the page shows
 * its message as text).
 */
import { DownhillError } from '../errors.ts';
import { ConstantNode, FunctionNode, OperatorNode, ParenthesisNode, SymbolNode, type MathNode } from '../expr/mathjs-lib.ts';
import { limitedMathjsTree, parseWithSymbols } from '../expr/parse.ts';
import { functionRule } from '../expr/functions.ts';
import { numberTex } from '../expr/number.ts';
import { symbolTex, toTex } from '../expr/print.ts';
import type { PracticeItem } from './practice.ts';

/** The TeX of an answer to `item`, or undefined for a choice. */
export function answerTex(item: Pick<PracticeItem, 'kind'>, text: string): string | undefined {
  switch (item.kind) {
    case 'formula': case 'number': case 'prediction': return toTex(parseWithSymbols(text).node);
    case 'matrix': return matrixTex(limitedMathjsTree(text) as MathNode);
    case 'choice': return undefined;
  }
}

const paren = (s: string): string => `\\left(${s}\\right)`;

/**
 * A matrix answer's tree as TeX: `*` juxtaposes (the matrix product), `.*`
 * is ⊙, `./` is ⊘, `'` and transpose(X) are ᵀ, `.^` is a power element by element.
 *   (W2' * delta2) .* a1 .* (1 - a1)   →   \left(W_{2}^{\top} \delta_{2}\right) \odot a_{1} \odot \left(1 - a_{1}\right)
 */
function matrixTex(node: MathNode): string {
  const go = (m: MathNode): string => {
    if (m instanceof ParenthesisNode) return paren(go(m.content));
    if (m instanceof ConstantNode) {
      if (typeof m.value !== 'number') throw new DownhillError('only numbers and matrices are allowed');
      return numberTex(m.value);
    }
    if (m instanceof SymbolNode) return symbolTex(m.name);
    if (m instanceof OperatorNode) {
      const [a, b] = m.args.map(go) as [string, string];
      switch (m.fn) {
        case 'add': return `${a} + ${b}`;
        case 'subtract': return `${a} - ${b}`;
        case 'multiply': return /^[\d.]/.test(b) ? `${a} \\cdot ${b}` : `${a} \\, ${b}`;
        case 'dotMultiply': return `${a} \\odot ${b}`;
        case 'divide': return `\\frac{${a}}{${b}}`;
        case 'dotDivide': return `${a} \\oslash ${b}`;
        case 'pow': return `{${a}}^{${b}}`;
        case 'dotPow': return `{${a}}^{\\circ ${b}}`;
        case 'unaryMinus': return `-${a}`;
        case 'unaryPlus': return `+${a}`;
        case 'transpose': case 'ctranspose': return `{${a}}^{\\top}`;
        default: throw new DownhillError(`unsupported construct: operator "${m.op}"`);
      }
    }
    if (m instanceof FunctionNode) {
      const name = m.fn instanceof SymbolNode ? m.fn.name : '';
      const args = m.args.map(go);
      if (name === 'transpose' && args.length === 1) return `{${args[0]}}^{\\top}`;
      if (name === 'sigmoid') return `\\sigma${paren(args.join(', '))}`;
      if (name !== 'sum' && name !== 'softmax' && functionRule(name) === undefined) throw new DownhillError(`unknown function "${name}"`);
      return `\\operatorname{${name}}${paren(args.join(', '))}`;
    }
    throw new DownhillError(`unsupported construct in a matrix answer: ${m.type}`);
  };
  return go(node);
}
