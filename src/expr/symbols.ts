/**
 * Symbol names, read once for every printer: the TeX printer (print.ts,
 * `symbolTex`) and the picture labels (pictures/labels.ts, `unicodeName`).
 *
 *   symbolParts('w1')       // { kind: 'indexed', base: 'w', index: '1' }
 *   symbolParts('x_12')     // { kind: 'indexed', base: 'x', index: '12' }
 *   symbolParts('W2_1_3')   // { kind: 'layer', base: 'W', layer: '2', indices: ['1', '3'] }  (layer 2, row 1, column 3)
 *   symbolParts('y_hat')    // { kind: 'hat', base: 'y' }
 *   symbolParts('x_max')    // { kind: 'subscript', base: 'x', subscript: 'max' }
 *   symbolParts('alpha')    // { kind: 'word', base: 'alpha' }
 *   symbolParts('x1_')      // { kind: 'other', name: 'x1_' }
 */

/**
 * What a symbol name is, once for the parser's check (parse.ts), the flags
 * that name symbols (`--at`, `--wrt`, `--claim`: cli/args.ts, check/claim.ts)
 * and named steps (program.ts): a letter, `_` or `$` first, then letters,
 * digits, `_` and `$`, as mathjs reads one name. Letters are Unicode
 * letters, so `θ`, `σ2` and `x$y` are names everywhere or nowhere; what
 * mathjs itself does not read as a name (a letter it does not know, `x²`)
 * the parser refuses first. As a source for a RegExp with the `u` flag.
 *
 *   new RegExp(`^${SYMBOL_NAME}$`, 'u').test('θ')   // true
 */
export const SYMBOL_NAME = '[\\p{L}_$][\\p{L}\\p{N}_$]*';

/** One character of a symbol name (see SYMBOL_NAME). */
export const SYMBOL_CHAR = '[\\p{L}\\p{N}_$]';

/** The Greek letters a symbol may be named by, and their Unicode characters. */
export const GREEK_LETTERS: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι',
  kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ',
  phi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π',
  Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

/** Whether a name is a Greek letter's (alpha, Sigma). */
export function isGreek(name: string): boolean {
  return Object.hasOwn(GREEK_LETTERS, name);
}

/** A symbol name taken apart. */
export type SymbolParts =
  /** A layer's weight or bias: W1_2_1 (layer 1, row 2, column 1), b2_1. */
  | { readonly kind: 'layer'; readonly base: string; readonly layer: string; readonly indices: readonly string[] }
  /** y_hat, yhat. */
  | { readonly kind: 'hat'; readonly base: string }
  /** w1, x_12. */
  | { readonly kind: 'indexed'; readonly base: string; readonly index: string }
  /** x_max, w_alpha. */
  | { readonly kind: 'subscript'; readonly base: string; readonly subscript: string }
  /** Letters only: x, loss, alpha. */
  | { readonly kind: 'word'; readonly base: string }
  /** Anything else. */
  | { readonly kind: 'other'; readonly name: string };

export function symbolParts(name: string): SymbolParts {
  let m = /^([A-Za-z]+)(\d+)_(\d+)(?:_(\d+))?$/.exec(name);
  if (m) return { kind: 'layer', base: m[1]!, layer: m[2]!, indices: m[4] === undefined ? [m[3]!] : [m[3]!, m[4]] };
  m = /^([A-Za-z]+)_?hat$/.exec(name);
  if (m) return { kind: 'hat', base: m[1]! };
  m = /^([A-Za-z]+?)_?(\d+)$/.exec(name);
  if (m) return { kind: 'indexed', base: m[1]!, index: m[2]! };
  m = /^([A-Za-z]+)_([A-Za-z0-9]+)$/.exec(name);
  if (m) return { kind: 'subscript', base: m[1]!, subscript: m[2]! };
  if (/^[A-Za-z]+$/.test(name)) return { kind: 'word', base: name };
  return { kind: 'other', name };
}
