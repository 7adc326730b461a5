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
