/**
 * Flag parsing for the `downhill` subcommands: node's `util.parseArgs` in
 * strict mode, with its errors turned into one-line DownhillErrors, and
 * parsers for the values our flags take.
 *
 *   const { values, positionals } = parseFlags(argv, { wrt: { type: 'string' }, json: { type: 'boolean' } })
 *   parsePoint('x=0.5,y=pi/2', '--at')   // Map { 'x' => 0.5, 'y' => 1.5707963267948966 }
 */
import { DownhillError } from '../errors.ts';
import { parseNumber } from '../expr/read-number.ts';

// Numbers are read as every flag and field of the site reads them (expr/read-number.ts).
export { parseBounded, parseNumber } from '../expr/read-number.ts';

export { parseFlags, type FlagSpec, type ParsedFlags } from './flags.ts';

/** A comma-separated list of names: 'x, y' → ['x', 'y']. */
export function parseNameList(text: string, flag: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) throw new DownhillError(`${flag}: "${n}" is not a variable name`);
  }
  if (new Set(names).size !== names.length) throw new DownhillError(`${flag}: a name is listed twice in "${text}"`);
  return names;
}

/** A point: 'x=0.5,y=-2' → Map { x → 0.5, y → -2 }. */
export function parsePoint(text: string, flag: string): Map<string, number> {
  const point = new Map<string, number>();
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(part);
    if (!m) throw new DownhillError(`${flag}: expected name=value, got "${part.trim()}"`);
    const [, name, value] = m;
    if (point.has(name!)) throw new DownhillError(`${flag}: ${name} is given twice`);
    point.set(name!, parseNumber(value!, `${flag} ${name}`));
  }
  return point;
}
