/**
 * How the checker shows what it names: a formula or a symbol in Unicode as
 * TeX prints it (σ(z) (1 − σ(z)), ŷ, w₁), and the kinked calls of a graph
 * (relu, abs, sign, heaviside, leaky_relu, max, min, huber, clip).
 *
 *   shownFormula(parseExpression('sigmoid(z)*(1 - sigmoid(z))'))   // 'σ(z) (1 − σ(z))'
 *   shownName('yhat')                                               // 'ŷ'
 */
import { topoOrder, type Node } from '../expr/node.ts';
import { symbolTex, toTex } from '../expr/print.ts';
import { texToUnicode } from '../render/unicode.ts';

export const shownFormula = (n: Node): string => texToUnicode(toTex(n));
export const shownName = (name: string): string => texToUnicode(symbolTex(name));

/** The functions with a kink (the table's kinkDistance), whose sides the checker samples. */
export const KINKED: ReadonlySet<string> = new Set(['relu', 'abs', 'sign', 'heaviside', 'leaky_relu', 'max', 'min', 'huber', 'clip']);

/** The kinked calls of some graphs. */
export function kinkCalls(roots: readonly Node[]): Node[] {
  return topoOrder(roots).filter((n) => n.kind === 'call' && KINKED.has(n.fn));
}
