import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { defineLesson } from '../src/lesson/lesson.ts';
import { LESSON_FLAGS, readSetting, readSettings, settingFlags, settingLabel, settingsFor, settingsHelp, typedFromFlags } from '../src/lesson/settings.ts';
import { parseFlags } from '../src/cli/args.ts';

describe('readSettings(typed): one reader for the command and the page', () => {
  test.each([
    [{ lr: '0.5' }, { lr: 0.5 }],
    [{ lr: 'pi/4' }, { lr: Math.PI / 4 }],
    [{ steps: '200', seed: '0' }, { steps: 200, seed: 0 }],
    [{ beta: '0.9', beta1: '0', beta2: '0.999', eps: '1e-8' }, { beta: 0.9, beta1: 0, beta2: 0.999, eps: 1e-8 }],
    [{ bias: true }, { bias: true }],
    [{ bias: 'false' }, { bias: false }],
    [{ init: ' random ' }, { init: 'random' }],
    [{ lr: undefined, hidden: '30' }, { hidden: 30 }],
  ])('readSettings(%j) is %j', (typed, read) => {
    expect(readSettings(typed)).toEqual(read);
  });

  test.each([
    ['lr', '0', '--lr expects a number > 0, got 0'],
    ['lr', 'abc', '--lr: "abc" is not a number'],
    ['lr', '1e400', '--lr: 1e400 is not a finite number'],
    ['steps', '2.5', '--steps expects a whole number, got 2.5'],
    ['steps', '0', '--steps expects a number ≥ 1, got 0'],
    ['steps', '20000', '--steps 20000: at most 10,000 steps in one call'],
    ['seed', '-1', '--seed expects a number ≥ 0, got -1'],
    ['digits', '5', '--digits expects a number ≥ 10, got 5'],
    ['beta', '1', '--beta expects a number < 1, got 1'],
    ['beta2', '-0.1', '--beta2 expects a number ≥ 0, got -0.1'],
    ['eps', '0', '--eps expects a number > 0, got 0'],
    ['bias', 'yes', '--bias takes no value (--no-bias for false), got yes'],
    ['init', 'zeros', '--init expects one of equal, random, got zeros'],
    ['init', '', '--init expects one of equal, random, got nothing'],
  ] as const)('--%s %s is refused: %s', (flag, typed, message) => {
    expect(() => readSetting(flag, typed)).toThrow(DownhillError);
    expect(() => readSetting(flag, typed)).toThrow(message);
  });
});

describe('the command line: settingFlags with parseFlags, then typedFromFlags', () => {
  const parse = (argv: string[]) => readSettings(typedFromFlags(parseFlags(argv, settingFlags()).values));
  test('--lr 0.5 --bias --init random', () => {
    expect(parse(['--lr', '0.5', '--bias', '--init', 'random'])).toEqual({ lr: 0.5, bias: true, init: 'random' });
  });
  test('--no-bias is bias false; --lr -1 reaches the reader (a value, not a flag)', () => {
    expect(parse(['--no-bias'])).toEqual({ bias: false });
    expect(() => parse(['--lr', '-1'])).toThrow('--lr expects a number > 0, got -1');
  });
  test('--bias with --no-bias is refused', () => {
    expect(() => parse(['--bias', '--no-bias'])).toThrow('--bias and --no-bias say opposite things: give one');
  });
});

describe('settingsFor(lesson, given): the defaults, overridden, checked once', () => {
  const demo = defineLesson({ number: 99, name: 'demo', title: 'Demo', summary: 'x', defaults: { lr: 0.1, steps: 3, init: 'equal', bias: true } }, () => undefined);
  test('a given setting overrides its default; the rest are the defaults', () => {
    expect(settingsFor(demo, { steps: 7, bias: false })).toEqual({ lr: 0.1, steps: 7, init: 'equal', bias: false });
  });
  test('a setting the lesson does not take is refused, naming what it takes', () => {
    expect(() => settingsFor(demo, { seed: 3 })).toThrow('lesson 99 (demo) takes no --seed (it takes --lr, --steps, --init, --bias)');
  });
  test('epochs × digits × parameters beyond one call is refused (10 × 8,000 × 795,010 for hidden 1,000)', () => {
    const digits = defineLesson({ number: 98, name: 'd', title: 'D', summary: 'x', defaults: { epochs: 10, digits: 10_000, hidden: 30, batch: 32 } }, () => undefined);
    expect(settingsFor(digits, {})).toEqual({ epochs: 10, digits: 10_000, hidden: 30, batch: 32 });
    // 784·1000 + 1000 + 1000·10 + 10 = 795,010 parameters
    expect(() => settingsFor(digits, { hidden: 1000 })).toThrow('10 epochs × (8,000 training digits × 795,010 parameters');
  });
});

describe('defineLesson checks its defaults against the settings', () => {
  test.each([
    [{ lr: -1 }, 'lesson 97 (bad): default --lr expects a number > 0, got -1'],
    [{ frobs: 1 }, 'lesson 97 (bad): no setting "frobs"'],
    [{ bias: 1 }, 'lesson 97 (bad): the default of --bias must be a boolean'],
    [{ init: 'zeros' }, 'lesson 97 (bad): default --init expects one of equal, random, got zeros'],
  ])('defaults %j: %s', (defaults, message) => {
    expect(() => defineLesson({ number: 97, name: 'bad', title: 'B', summary: 'x', defaults: defaults as never }, () => undefined)).toThrow(message);
  });
});

test('the help and the page label each setting with the same words', () => {
  const help = settingsHelp();
  expect(help).toHaveLength(LESSON_FLAGS.length);
  for (const [k, flag] of LESSON_FLAGS.entries()) {
    const words = settingLabel(flag).replace(/ \(--\w+\)$/, '');
    expect(help[k]).toContain(`--${flag}`);
    expect(help[k]).toContain(words);
  }
  expect(settingLabel('lr')).toBe('learning rate η (--lr)');
});
