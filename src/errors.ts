/**
 * The one error type that downhill throws on bad input. Its message is a
 * single line that names what is wrong and where; the CLI prints it as is and
 * exits with code 2 (1 is reserved for "a check failed").
 *
 *   throw new DownhillError('unknown function "gamma" at column 3')
 */
export class DownhillError extends Error {
  override readonly name = 'DownhillError';
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

/** Throws a DownhillError unless `condition` holds. */
export function ensure(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new DownhillError(typeof message === 'function' ? message() : message);
}
