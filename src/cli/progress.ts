/**
 * Progress of a long command, on stderr and only when stderr is a terminal
 * (a log or a pipe gets none): one line, rewritten in place, then cleared.
 *
 *   const step = progress('docs')
 *   step('checking 120 formulas')   // "downhill docs: checking 120 formulas"
 *   step.done()
 */
export interface Progress {
  (message: string): void;
  /** Clears the line. */
  done(): void;
}

export function progress(command: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const on = stream.isTTY === true;
  let shown = false;
  const step = ((message: string) => {
    if (!on) return;
    const columns = stream.columns > 1 ? stream.columns - 1 : 79;
    stream.write(`\r\x1b[2K${`downhill ${command}: ${message}`.slice(0, columns)}`);
    shown = true;
  }) as Progress;
  step.done = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return step;
}
