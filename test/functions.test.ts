import { describe, expect, test } from 'vitest';
import { derivative as mathjsDerivative, parse } from '../src/expr/mathjs-lib.ts';
import { functionTable } from '../src/expr/functions.ts';
import { call, constant, sym } from '../src/expr/node.ts';
import { fromMathjs } from '../src/expr/mathjs.ts';
import { evaluate } from '../src/expr/evaluate.ts';
import { gradient } from '../src/diff/gradient.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { centralDifference, relativeError } from '../src/diff/finite-difference.ts';

/** Where each function is smooth and real; [lo, hi] per argument. */
const domains: Record<string, readonly (readonly [number, number])[]> = {
  log: [[0.1, 5], [1.5, 5]], log10: [[0.1, 5]], sqrt: [[0.1, 5]], nthRoot: [[0.1, 5], [3, 3]],
  asin: [[-0.9, 0.9]], acos: [[-0.9, 0.9]], atanh: [[-0.9, 0.9]], acosh: [[1.1, 5]], asec: [[1.1, 5]],
  acsc: [[1.1, 5]], acoth: [[1.1, 5]], asech: [[0.1, 0.9]], acsch: [[0.1, 5]], cot: [[0.2, 3]], csc: [[0.2, 3]],
  coth: [[0.2, 3]], csch: [[0.2, 3]], tan: [[-1.2, 1.2]], sec: [[-1.2, 1.2]],
  leaky_relu: [[-3, 3], [0.01, 0.3]], huber: [[-3, 3], [0.5, 2]], clip: [[-3, 3], [-1, -0.5], [0.5, 1]],
  logsumexp: [[-3, 3], [-3, 3], [-3, 3]], max: [[-3, 3], [-3, 3]], min: [[-3, 3], [-3, 3]],
};

function samplePoints(name: string, arity: number, count: number): number[][] {
  const rng = mulberry32(7);
  const dom = domains[name] ?? [];
  const points: number[][] = [];
  while (points.length < count) {
    const args = Array.from({ length: arity }, (_, i) => {
      const [lo, hi] = dom[i] ?? [-3, 3];
      return lo + (hi - lo) * rng();
    });
    const rule = functionTable.get(name)!;
    if (rule.kinkDistance && rule.kinkDistance(args) < 1e-3) continue;
    points.push(args);
  }
  return points;
}

const names = (args: number) => Array.from({ length: args }, (_, i) => `u${i + 1}`);

describe('the function table', () => {
  const withDefinition = [...functionTable.values()].filter((r) => r.definition && r.derivative);

  test.each(withDefinition.map((r) => [r.name, r.definition!] as const))(
    "%s: the textbook derivative equals mathjs's derivative of the definition %s at 50 points",
    (name, definition) => {
      const args = definition.includes('u1') ? names(3) : ['u'];
      const call_ = call(name, ...args.map(sym));
      const textbook = gradient(call_, args).partials;
      const mathjs = args.map((a) => fromMathjs(mathjsDerivative(parse(definition), a), (s) => (args.includes(s) ? sym(s) : undefined)));
      for (const point of samplePoints(name, args.length, 50)) {
        const at = new Map(args.map((a, i) => [a, point[i]!]));
        // The definition and the stable numeric form agree too.
        expect(relativeError(evaluate(call_, at), evaluate(fromMathjs(parse(definition), (s) => sym(s)), at))).toBeLessThan(1e-12);
        args.forEach((_, i) => {
          const a = evaluate(textbook[i]!, at);
          const b = evaluate(mathjs[i]!, at);
          expect(relativeError(a, b), `${name}' at ${point}: textbook ${a}, mathjs ${b}`).toBeLessThan(1e-12);
        });
      }
    },
  );

  test.each([...functionTable.values()].map((r) => [r.name] as const))(
    '%s: every partial derivative agrees with central finite differences at 20 points',
    (name) => {
      const rule = functionTable.get(name)!;
      const arity = Math.min(rule.arity[1], Math.max(rule.arity[0], 3));
      const args = names(arity);
      const f = call(name, ...args.map(sym));
      const partials = gradient(f, args).partials;
      for (const point of samplePoints(name, arity, 20)) {
        const at = new Map(args.map((a, i) => [a, point[i]!]));
        args.forEach((a, i) => {
          const h = 1e-6;
          const up = new Map(at).set(a, point[i]! + h);
          const down = new Map(at).set(a, point[i]! - h);
          // Skip a coordinate whose step straddles a kink.
          if (rule.kinkDistance && Math.min(rule.kinkDistance([...up.values()]), rule.kinkDistance([...down.values()])) < 2 * h) return;
          const fd = centralDifference((d) => evaluate(f, new Map(at).set(a, point[i]! + d)), h);
          const exact = evaluate(partials[i]!, at);
          expect(relativeError(exact, fd), `∂${name}/∂${a} at ${point}: exact ${exact}, fd ${fd}`).toBeLessThan(1e-6);
        });
      }
    },
  );

  test.each([
    ['relu', 0, 0],
    ['abs', 0, 0],
    ['heaviside', 0, 0],
  ])("%s'(%d) = %d by convention", (name, at, want) => {
    const d = gradient(call(name, sym('u')), ['u']).partials[0]!;
    expect(evaluate(d, { u: at })).toBe(want);
  });

  test("leaky_relu'(0) = α by convention", () => {
    const d = gradient(call('leaky_relu', sym('u'), constant(0.1)), ['u']).partials[0]!;
    expect(evaluate(d, { u: 0 })).toBeCloseTo(0.1, 15);
  });

  test.each([
    ['relu', [NaN]],
    ['heaviside', [NaN]],
    ['max', [NaN, 1]],
    ['max', [1, NaN]],
    ['min', [NaN, 1]],
    ['min', [1, NaN]],
    ['logsumexp', [NaN]],
    ['logsumexp', [Infinity, NaN]],
    ['clip', [NaN, -1, 1]],
    ['leaky_relu', [NaN, 0.1]],
  ] as const)('%s(%s) is NaN: a NaN argument is never hidden behind a number', (name, args) => {
    expect(functionTable.get(name)!.numeric(...args)).toBeNaN();
  });

  test('relu and heaviside, written without a branch on the sign, are max(0, u) and [u > 0] to the bit, at every special value and at random', () => {
    const relu = functionTable.get('relu')!.numeric, H = functionTable.get('heaviside')!.numeric;
    const rng = mulberry32(11);
    const special = [0, -0, 5e-324, -5e-324, 1, -1, 1.7976931348623157e308, -1.7976931348623157e308, Infinity, -Infinity];
    const random = Array.from({ length: 1000 }, () => (rng() - 0.5) * 10 ** Math.floor(40 * rng() - 20));
    for (const u of [...special, ...random]) {
      // the definitions, branch by branch: max(0, u) is +0 for u ≤ 0 (−0 included), u above
      expect(Object.is(relu(u), u > 0 ? u : 0), `relu(${u})`).toBe(true);
      expect(Object.is(H(u), u > 0 ? 1 : 0), `heaviside(${u})`).toBe(true);
    }
  });

  test('stable forms do not overflow: sigmoid(-800), softplus(800), logsumexp(1000, 1000)', () => {
    const t = (n: string) => functionTable.get(n)!.numeric;
    expect(t('sigmoid')(-800)).toBe(0);
    expect(t('sigmoid')(800)).toBe(1);
    expect(t('softplus')(800)).toBe(800);
    expect(t('logsumexp')(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 10);
  });
});
