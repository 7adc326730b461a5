/**
 * Evaluating a graph in single precision: every input and every
 * intermediate result is rounded to the nearest float32 (Math.fround), as a
 * GPU or a float32 tensor library would store it. Functions are computed in
 * double and then rounded, which is at least as accurate as float32 math
 * libraries: the errors this shows are the least single precision costs.
 *
 *   const f = float32Evaluator(parseExpression('x^2'), ['x'])
 *   f(Float64Array.of(0.1))   // 0.010000000707805157 (0.1 rounded to float32, squared, rounded)
 */
import { DownhillError } from '../errors.ts';
import { functionRule } from '../expr/functions.ts';
import { topoOrder, type Node } from '../expr/node.ts';

/** A compiled single-precision evaluator: values of `names` in, the root's value out. */
export type Float32Evaluator = (values: ArrayLike<number>) => number;

type Op = (v: Float32Array, inputs: ArrayLike<number>) => number;

/**
 * Builds a single-precision evaluator over a flat tape of the graph
 * (each shared node once), for `names` given in that order.
 *
 *   float32Evaluator(parseExpression('1 + x'), ['x'])(Float64Array.of(1e-8))   // 1 (1e-8 is lost)
 */
export function float32Evaluator(root: Node, names: readonly string[]): Float32Evaluator {
  const order = topoOrder([root]);
  const slot = new Map<number, number>();
  order.forEach((n, i) => slot.set(n.id, i));
  const at = (n: Node): number => slot.get(n.id)!;
  const index = new Map(names.map((name, i) => [name, i]));
  const ops: Op[] = order.map((n): Op => {
    switch (n.kind) {
      case 'const': {
        const c = n.value;
        return () => c;
      }
      case 'sym': {
        const k = index.get(n.name);
        if (k === undefined) throw new DownhillError(`no value for symbol "${n.name}"`);
        return (_, x) => x[k]!;
      }
      case 'add': { const [a, b] = [at(n.args[0]), at(n.args[1])]; return (v) => v[a]! + v[b]!; }
      case 'sub': { const [a, b] = [at(n.args[0]), at(n.args[1])]; return (v) => v[a]! - v[b]!; }
      case 'mul': { const [a, b] = [at(n.args[0]), at(n.args[1])]; return (v) => v[a]! * v[b]!; }
      case 'div': { const [a, b] = [at(n.args[0]), at(n.args[1])]; return (v) => v[a]! / v[b]!; }
      case 'pow': { const [a, b] = [at(n.args[0]), at(n.args[1])]; return (v) => v[a]! ** v[b]!; }
      case 'neg': { const a = at(n.args[0]); return (v) => -v[a]!; }
      case 'call': {
        const rule = functionRule(n.fn);
        if (!rule) throw new DownhillError(`unknown function "${n.fn}"`);
        const args = n.args.map(at);
        const f = rule.numeric;
        return (v) => f(...args.map((a) => v[a]!));
      }
    }
  });
  const rootSlot = at(root);
  return (values) => {
    // Writing into a Float32Array rounds every value to float32.
    const v = new Float32Array(ops.length);
    for (let i = 0; i < ops.length; i++) v[i] = ops[i]!(v, values);
    return v[rootSlot]!;
  };
}

/**
 * A batch loss in single precision: the per-sample loss over `params` and
 * `data`, summed over the rows in float32, then divided by N for 'mean'.
 *
 *   const L = float32BatchLoss(loss, params, data, 'mean')
 *   L(p, batch, N)
 */
export function float32BatchLoss(
  loss: Node, params: readonly string[], data: readonly string[], reduce: 'mean' | 'sum',
): (p: ArrayLike<number>, batch: ArrayLike<number>, N: number) => number {
  const f = float32Evaluator(loss, [...params, ...data]);
  const P = params.length;
  const D = data.length;
  return (p, batch, N) => {
    const row = new Float64Array(P + D);
    for (let k = 0; k < P; k++) row[k] = Math.fround(p[k]!);
    let total = 0;
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < D; j++) row[P + j] = Math.fround(batch[n * D + j]!);
      total = Math.fround(total + f(row));
    }
    return reduce === 'mean' ? Math.fround(total / N) : total;
  };
}
