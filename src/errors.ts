/**
 * The one error type that downhill throws on bad input. Its message is a
 * single line that names what is wrong and where; the CLI prints it as is and
 * exits with code 2 (1 is reserved for "a check failed"). Control characters
 * in it (from text a user typed, echoed back) are shown escaped, so an error
 * message can never move the cursor, clear the screen or reverse the text.
 *
 *   throw new DownhillError('unknown function "gamma" at column 3')
 */
export class DownhillError extends Error {
  override readonly name = 'DownhillError';
  constructor(message: string) {
    super(visible(String(message)));
  }
}

/** Throws a DownhillError unless `condition` holds. */
export function ensure(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new DownhillError(typeof message === 'function' ? message() : message);
}

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text with every character that a terminal would act on, or that is
 * invisible, written out: C0 and C1 control characters as `\xHH` (`\n`,
 * `\r`, `\t` for the common ones), bidirectional overrides, zero-width and
 * line-separator characters as `<U+XXXX>`. Backslashes are left alone, so
 * applying it twice changes nothing.
 *
 * Examples:
 *   visible('x+\x1b[2J')        // returns 'x+\\x1b[2J'
 *   visible('abc\u202Edef')     // returns 'abc<U+202E>def'
 *   visible('two\nlines')       // returns 'two\\nlines'
 */
export function visible(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    if (SHORT[c] !== undefined) return SHORT[c];
    return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}

/**
 * A mistake in a lesson file (a syntax error, an import it does not have, an
 * exception its code throws): the message is `file:line:column: what`, the
 * frame shows that line with a caret under the column, and the command
 * exits with 1, as a compiler does. (src/lesson/failure.ts makes them.)
 */
export class LessonError extends DownhillError {
  readonly exitCode = 1;
  constructor(message: string, readonly frame: string) {
    super(message);
  }
}

/**
 * A value as an error message shows it: short, whatever its type.
 *
 *   describeValue('Short')             // 'the text "Short"'
 *   describeValue(NaN)                 // 'NaN'
 *   describeValue(new Float64Array(2)) // 'a Float64Array of 2'
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'bigint') return `the BigInt ${v}n`;
  if (typeof v === 'string') return `the text "${v.length > 20 ? `${v.slice(0, 17)}...` : v}"`;
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of ${(v as unknown as ArrayLike<unknown>).length ?? v.byteLength}`;
  const name = (v as object).constructor?.name;
  if (name === undefined || name === 'Object') {
    const keys = Object.keys(v as object);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', ...' : ''}`;
  }
  return `a ${name}`;
}

// ---------------------------------------------------------------------------
// Checking arguments at the doors. Each exported function checks its
// arguments once, on entry, against a small table of what each accepts, and
// throws a one-line DownhillError naming the function, the argument, what it
// got and what it accepts. Loops inside (the compiled gradients' above all)
// check nothing: what reached them has passed the door.

/** What an argument accepts: words for the message and the test that says whether a value is one. */
export interface Accepts<T> {
  readonly what: string;
  readonly test: (v: unknown) => v is T;
}

/**
 * Throws `fn: name must be <what>, got <value>` unless `value` passes.
 *
 *   checkArg('parseExpression', 'text', 42, TEXT)   // parseExpression: text must be a string, got 42
 *   checkArg('train', 'options', undefined, objectWith('loss', 'params'))
 *     // train: options must be an object with loss, params, got undefined
 */
export function checkArg<T>(fn: string, name: string, value: unknown, accepts: Accepts<T>): asserts value is T {
  if (!accepts.test(value)) throw new DownhillError(`${fn}: ${name} must be ${accepts.what}, got ${describeValue(value)}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** A string. */
export const TEXT: Accepts<string> = { what: 'a string', test: (v): v is string => typeof v === 'string' };
/** true or false. */
export const BOOLEAN: Accepts<boolean> = { what: 'true or false', test: (v): v is boolean => typeof v === 'boolean' };
/** A number, finite or not (NaN and ±Infinity are printed, not refused). */
export const NUMBER: Accepts<number> = { what: 'a number', test: (v): v is number => typeof v === 'number' };
/** A finite number. */
export const FINITE: Accepts<number> = { what: 'a finite number', test: (v): v is number => typeof v === 'number' && Number.isFinite(v) };
/** A function. */
export const FUNCTION: Accepts<(...args: never[]) => unknown> = { what: 'a function', test: (v): v is (...args: never[]) => unknown => typeof v === 'function' };
/** An object (not an array, not null). */
export const OBJECT: Accepts<Record<string, unknown>> = { what: 'an object', test: isObject };
/** An array or a typed array of numbers (every entry is checked: use at doors that then loop over it anyway). */
export const NUMBERS: Accepts<ArrayLike<number>> = {
  what: 'an array of numbers',
  test: (v): v is ArrayLike<number> => {
    if (v instanceof Float64Array || v instanceof Float32Array) return true;
    if (!Array.isArray(v) && !ArrayBuffer.isView(v)) return false;
    const a = v as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number') return false;
    return true;
  },
};
/** Values by name, `{ x: 1, y: 2 }` (each value is checked where it is read, to name the symbol). */
export const VALUES: Accepts<Record<string, number>> = { what: 'an object of values by name ({ x: 1 })', test: (v): v is Record<string, number> => isObject(v) };

/** An array each of whose entries passes `item` (`what` names the entries). */
export function arrayOf<T>(item: Accepts<T>, what = `an array, each ${item.what}`): Accepts<readonly T[]> {
  return { what, test: (v): v is readonly T[] => Array.isArray(v) && v.every((x) => item.test(x)) };
}

/** An object that has every one of `keys` (of any value: the function checks each where it reads it). */
export function objectWith<T extends object = Record<string, unknown>>(...keys: readonly string[]): Accepts<T> {
  return { what: `an object with ${keys.join(', ')}`, test: (v): v is T => isObject(v) && keys.every((k) => k in v) };
}

/** An object whose `kind` is one of `kinds` (`what` says what such an object is and where it comes from). */
export function kindOf<T extends { readonly kind: string }>(what: string, kinds: readonly string[]): Accepts<T> {
  return { what, test: (v): v is T => isObject(v) && typeof v.kind === 'string' && kinds.includes(v.kind) };
}

/** Either undefined or a value that passes `accepts` (`what`, as the message says it: by default accepts' words and "(or nothing)"). */
export function optional<T>(accepts: Accepts<T>, what = `${accepts.what} (or nothing)`): Accepts<T | undefined> {
  return { what, test: (v): v is T | undefined => v === undefined || accepts.test(v) };
}

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): Accepts<number> {
  return { what: `a whole number from ${min} to ${max}`, test: (v): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max };
}

/** Two numbers, [low, high] (that low is below high is checked where they are read, with the reader's words). */
export const RANGE: Accepts<readonly [number, number]> = { what: '[low, high]', test: (v): v is readonly [number, number] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') };

/**
 * Checks each field of an options object against its row of `fields`
 * (absent options: every field undefined), naming it `prefix + key`:
 *
 *   checkFields('train', options, { steps: NUMBER })   // train: steps must be a number, got the text "5"
 */
export function checkFields(fn: string, options: unknown, fields: Readonly<Record<string, Accepts<unknown>>>, prefix = ''): void {
  for (const [key, accepts] of Object.entries(fields)) checkArg(fn, prefix + key, (options as Record<string, unknown> | undefined)?.[key], accepts);
}

/**
 * The checks every exported function makes of its arguments, each throwing a
 * one-line DownhillError that names the function, the argument, what it got
 * and what it accepts (as compileGradient does).
 *
 *   checkOptions('compileNetwork', options, ['engine', 'naming'])   // unknown option "engin" (known: engine, naming)
 *   checkOneOf('compileNetwork', 'loss', loss, ['mse', 'bce'])      // loss must be one of mse, bce, got the text "cross_entropy"
 *   checkWhole('loadDigits', 'seed', seed, 0, 2 ** 32 - 1)          // seed must be a whole number from 0 to 4294967295, got NaN
 */
export function checkOptions(fn: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new DownhillError(`${fn}: options must be an object { ${known.join(', ')} }, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new DownhillError(`${fn}: unknown option "${key}" (known: ${known.join(', ')})`);
  }
}

/** Throws unless `value` is one of `allowed` (see checkOptions). */
export function checkOneOf(fn: string, what: string, value: unknown, allowed: readonly unknown[]): void {
  if (!allowed.includes(value)) throw new DownhillError(`${fn}: ${what} must be one of ${allowed.map(String).join(', ')}, got ${describeValue(value)}`);
}

/** Throws unless `value` is a whole number from `min` to `max` (see checkOptions). */
export function checkWhole(fn: string, what: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new DownhillError(`${fn}: ${what} must be a whole number ${range}, got ${describeValue(value)}`);
  }
}

/** Symbol names: `['w', 'b']`. */
export const NAMES = arrayOf(TEXT, 'an array of symbol names');
