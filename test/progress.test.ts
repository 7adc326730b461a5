// Progress lines (src/cli/progress.ts): shown on a terminal only, and cleared.
import { describe, expect, test } from 'vitest';
import { progress } from '../src/cli/progress.ts';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  let text = '';
  const stream = { isTTY, columns: 40, write: (s: string) => { text += s; return true; } } as unknown as NodeJS.WriteStream;
  return { stream, written: () => text };
}

describe('progress', () => {
  test('on a terminal: one line rewritten in place, cut to the width, cleared at the end', () => {
    const { stream, written } = fakeStream(true);
    const step = progress('docs', stream);
    step('page 1 of 2');
    step('page 2 of 2, with a message far longer than the forty columns of this terminal');
    step.done();
    const parts = written().split('\r\x1b[2K');
    expect(parts).toEqual(['', 'downhill docs: page 1 of 2', 'downhill docs: page 2 of 2, with a messa'.slice(0, 39), '']);
  });

  test('not a terminal (a log, a pipe, CI): nothing at all', () => {
    const { stream, written } = fakeStream(false);
    const step = progress('lessons', stream);
    step('page 1 of 9');
    step.done();
    expect(written()).toBe('');
  });
});
