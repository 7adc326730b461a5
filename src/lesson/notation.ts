/**
 * The notation of the lessons: one symbol per quantity, stated once and
 * used everywhere. Each row says what a symbol means, where it is
 * introduced, and what may not be written in its place; test/notation.test.ts
 * holds every lesson's document (its Exercises aside) to this table.
 *
 *   L              the loss, in every lesson (never f, even for Rosenbrock's function in lesson 9)
 *   h, h₁, h₂      a hidden unit's activation in the scalar lessons (4, 8); never a₁, a₂
 *   a⁽ˡ⁾, z⁽ˡ⁾     a layer's activations and pre-activations in the matrix lesson (10), where
 *                  the link is said: the h of lessons 4 and 8 is a⁽¹⁾
 *   adjoint        ∂L/∂node, the general name, introduced once (lesson 4)
 *   δ              ∂L/∂z, the adjoint of a unit's pre-activation (lesson 4; δ⁽ˡ⁾ for a layer in
 *                  lesson 10); no other quantity is called δ (Huber's threshold is k)
 *   no ½           the squared error is (y − ŷ)², without the ½ of Nielsen and Mazur: said where
 *                  the worked example is (lesson 4), gradients being twice theirs
 */
export interface NotationRule {
  /** The symbol, as the lessons write it in TeX. */
  readonly symbol: string;
  readonly means: string;
  /** The lesson that introduces it, and the words there that do (a pattern of its prose). */
  readonly introduced: { readonly lesson: number; readonly by: RegExp };
  /** Text that may not appear in the lessons listed (prose, formulas, table cells, captions), with why. */
  readonly never?: { readonly pattern: RegExp; readonly lessons: readonly number[]; readonly why: string };
}

const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const scalar = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

export const NOTATION: readonly NotationRule[] = [
  {
    symbol: 'L', means: 'the loss',
    introduced: { lesson: 1, by: /^The loss is the mean of the last column: \$L\(/ },
    never: { pattern: /(^|[^\\\w])f\(w|\$f\$|\$f [<=]|\bf = 0\b/, lessons: all, why: 'the loss is L in every lesson' },
  },
  {
    symbol: 'h', means: 'a hidden unit\'s activation in the scalar lessons',
    introduced: { lesson: 4, by: /its output \$h\$/ },
    never: { pattern: /(^|[^A-Za-z\\])a(_\{\d\}|[₁₂₃])/, lessons: scalar, why: 'a hidden activation is h (h₁, h₂) in the scalar lessons' },
  },
  {
    symbol: 'a^{(l)}', means: 'a layer\'s activations in the matrix lesson',
    introduced: { lesson: 10, by: /lessons 4 and 8 called \$h\$ are \$a\^\{\(1\)\}\$/ },
    never: { pattern: /a\^\{\(\d\)\}/, lessons: scalar, why: 'a⁽ˡ⁾ belongs to the matrix lesson' },
  },
  {
    symbol: '\\partial L/\\partial \\text{node}', means: 'the adjoint of a node: the general name',
    introduced: { lesson: 4, by: /is called its adjoint/ },
    never: { pattern: /is called its adjoint|\bthe adjoint\b.*\bis\b.*\bdefined\b/, lessons: [1, 2, 3, 5, 6, 7, 8, 9, 10], why: 'the adjoint is introduced once, in lesson 4' },
  },
  {
    symbol: '\\delta', means: '∂L/∂z, the adjoint of a unit\'s pre-activation',
    introduced: { lesson: 4, by: /\\delta = \\frac\{\\partial L\}\{\\partial z\}/ },
    never: { pattern: /\\delta|δ/, lessons: [1, 2, 3, 5, 6, 7, 8, 9], why: 'δ is ∂L/∂z, written only where it is defined (lesson 4) and for layers (lesson 10)' },
  },
  {
    symbol: '(y - \\hat{y})^{2}', means: 'the squared error, without the ½ of Nielsen and Mazur',
    introduced: { lesson: 4, by: /no ½ in front.*Nielsen.*Mazur.*twice theirs/ },
  },
];
