/**
 * Evaluating a graph at a point, by walking it once (each shared node once).
 *
 *   evaluate(parseExpression('x^2 + y'), { x: 3, y: 1 })   // 10
 *
 * This is the interpreter, for single points, traces and pictures; training
 * uses compiled code (compile/compile.ts).
 */
import { checkArg, DownhillError, type Accepts } from '../errors.ts';
import { functionRule } from './functions.ts';
import { NODE, topoOrder, type Node } from './node.ts';
import { toText } from './print.ts';
import { formatNumber } from './number.ts';

export type Values = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/** What `values` accepts: an object or a Map of values by name. */
export const POINT: Accepts<Values> = {
  what: 'values by name ({ x: 1 } or a Map)',
  test: (v): v is Values => v instanceof Map || (typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)),
};

/** Values as a Map, taking only an object's own properties. */
export function valueMap(values: Values): ReadonlyMap<string, number> {
  return values instanceof Map ? values : new Map(Object.entries(values));
}

/** A value that is not a number, for an error message (BigInts and cyclic objects included). */
function shown(value: unknown): string {
  if (typeof value === 'bigint') return `the BigInt ${value}n (give a number: Number(x))`;
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 60);
  } catch {
    return `a ${typeof value}`;
  }
}

/** The value of every node reachable from the roots, by node id. */
export function evaluateAll(roots: readonly Node[], values: Values): Map<number, number> {
  const point = valueMap(values);
  const v = new Map<number, number>();
  const get = (n: Node): number => v.get(n.id)!;
  for (const n of topoOrder(roots)) {
    let x: number;
    switch (n.kind) {
      case 'const': x = n.value; break;
      case 'sym': {
        const value = point.get(n.name);
        if (value === undefined) throw new DownhillError(`no value for symbol "${n.name}"`);
        if (typeof value !== 'number') throw new DownhillError(`the value given for ${n.name} is not a number: ${shown(value)}`);
        x = value;
        break;
      }
      case 'add': x = get(n.args[0]) + get(n.args[1]); break;
      case 'sub': x = get(n.args[0]) - get(n.args[1]); break;
      case 'mul': x = get(n.args[0]) * get(n.args[1]); break;
      case 'div': x = get(n.args[0]) / get(n.args[1]); break;
      case 'pow': x = get(n.args[0]) ** get(n.args[1]); break;
      case 'neg': x = -get(n.args[0]); break;
      case 'call': {
        const rule = functionRule(n.fn);
        if (!rule) throw new DownhillError(`unknown function "${n.fn}"`);
        x = rule.numeric(...n.args.map(get));
        break;
      }
    }
    v.set(n.id, x);
  }
  return v;
}

/** The value of an expression at a point (NaN and ±Infinity pass through). */
export function evaluate(root: Node, values: Values): number {
  checkArg('evaluate', 'root', root, NODE);
  checkArg('evaluate', 'values', values, POINT);
  return evaluateAll([root], values).get(root.id)!;
}

/**
 * Like `evaluate`, but a result that is not a finite real number is an
 * error naming the first subexpression that went wrong and the point (or
 * the symbol, when the value given for it is NaN or infinite).
 *
 *   evaluateFinite(parseExpression('log(x)'), { x: -1 })
 *   // DownhillError: log(x) is NaN (not a real number) at x = -1
 */
export function evaluateFinite(root: Node, values: Values): number {
  checkArg('evaluateFinite', 'root', root, NODE);
  checkArg('evaluateFinite', 'values', values, POINT);
  const all = evaluateAll([root], values);
  const result = all.get(root.id)!;
  if (Number.isFinite(result)) return result;
  const culprit = topoOrder([root]).find((n) => !Number.isFinite(all.get(n.id)!)) ?? root;
  const value = all.get(culprit.id)!;
  if (culprit.kind === 'sym') throw new DownhillError(`the value given for ${culprit.name} is ${formatNumber(value)}: give a finite number`);
  const what = Number.isNaN(value) ? 'NaN (not a real number)' : `${formatNumber(value)} (division by zero or overflow)`;
  const point = [...valueMap(values)].map(([k, x]) => `${k} = ${formatNumber(x)}`).join(', ');
  throw new DownhillError(`${toText(culprit)} is ${what}${point ? ` at ${point}` : ''}`);
}
