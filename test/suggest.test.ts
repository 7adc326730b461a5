// "Did you mean" for mistyped commands and flags (src/cli/suggest.ts).
import { describe, expect, test } from 'vitest';
import { closest, didYouMean, editDistance } from '../src/cli/suggest.ts';

describe('editDistance', () => {
  test.each([
    ['', '', 0], ['grad', 'grad', 0], ['grad', 'gard', 1], ['lesons', 'lessons', 1],
    ['kitten', 'sitting', 3], ['', 'abc', 3], ['check', 'chekc', 1],
  ])('%s → %s: %i edits (counted by hand)', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
    expect(editDistance(b, a)).toBe(n);
  });
});

describe('closest', () => {
  const commands = ['grad', 'graph', 'docs', 'check', 'lesson', 'lessons', 'new'];
  test('a typo finds the command meant', () => {
    expect(closest('lesons', commands)).toBe('lessons');
    expect(closest('grpah', commands)).toBe('graph');
    expect(closest('chekc', commands)).toBe('check');
    expect(closest('GRAD', commands)).toBe('grad');
  });
  test('a word far from every command finds none', () => {
    expect(closest('train', commands)).toBeUndefined();
    expect(closest('x', commands)).toBeUndefined();
    expect(didYouMean('zzzz', commands)).toBe('');
  });
  test('the hint reads as a parenthesis', () => {
    expect(didYouMean('wtr', ['wrt', 'at', 'json'])).toBe(' (did you mean "wrt"?)');
  });
});
