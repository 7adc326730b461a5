/**
 * Bad input, everywhere: every mistake gets a one-line DownhillError that
 * names what is wrong and where; the CLI prints it on stderr, writes nothing
 * on stdout and exits with code 2. Long operator chains never overflow the
 * stack anywhere in the pipeline.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { parseExpression, MAX_EXPRESSION_LENGTH } from '../src/expr/parse.ts';
import { call, sym } from '../src/expr/node.ts';
import { evaluate, evaluateFinite } from '../src/expr/evaluate.ts';
import { gradient } from '../src/diff/gradient.ts';
import { centralDifference } from '../src/diff/finite-difference.ts';
import { derivative } from '../src/diff/derivative.ts';
import { compileGradient } from '../src/compile/compile.ts';
import { packBatch } from '../src/nn/datasets.ts';
import { parseBounded, parseFlags, parseNameList, parseNumber, parsePoint } from '../src/cli/args.ts';
import { command } from '../src/cli.ts';
import { checkGradient } from '../src/check/gradient-check.ts';
import { train } from '../src/train/train.ts';
import { gd } from '../src/train/optimizers.ts';
import { runCli } from './support/cli.ts';
import * as library from '../src/index.ts';
import * as engineEntry from '../src/engine.ts';
import { compileNetwork } from '../src/matrix/path.ts';
import { compileMatrixValues } from '../src/matrix/compile.ts';
import { matrixNetwork } from '../src/matrix/network.ts';
import { matmul } from '../src/matrix/node.ts';
import { sgdEpoch } from '../src/train/epoch.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { loadDigits } from '../src/nn/digits.ts';
import { loadModel } from '../src/nn/load.ts';
import { imageGridSvg } from '../src/render/pixels.ts';
import type { LayerSpec } from '../src/nn/dense.ts';

/** A 2-3-1 network: 2·3 + 3 + 3·1 + 1 = 13 parameters. */
const LAYERS: LayerSpec[] = [{ in: 2, out: 3, activation: 'tanh', bias: true }, { in: 3, out: 1, activation: 'identity', bias: true }];
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Lesson files for the table: a folder named like a script. (A lesson's syntax error is the lesson's, exit 1: test/lesson-errors.test.ts.) */
const fixtures = mkdtempSync(join(tmpdir(), 'downhill-robustness-'));
mkdirSync(join(fixtures, 'folder.ts'));
/** Text that a terminal would act on: escape sequences, BEL, a right-to-left override, a newline. */
const HOSTILE = 'x\x1b]0;pwned\x07 + \u202e\x1b[2J\ny';
/** n distinct three-letter symbols added up: 4,999 of them are 19,995 characters, as in the review. */
const sumOf = (n: number): string => Array.from({ length: n }, (_, i) => 'qwzj'[Math.floor(i / 1296)]! + (i % 1296).toString(36).padStart(2, '0')).join('+');

/** Characters a terminal acts on (C0 but for none, DEL, C1, bidirectional overrides). */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** Runs `fn` and returns the DownhillError it throws (fails the test otherwise). */
function downhillError(fn: () => unknown): DownhillError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DownhillError) return e;
    throw new Error(`expected a DownhillError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected a DownhillError, but nothing was thrown');
}

const deep = '('.repeat(5000) + 'x' + ')'.repeat(5000);
const long = 'x + '.repeat(75_000) + 'x'; // 300,001 characters

// [input, what the message must say]
const parseCases: readonly (readonly [string, RegExp])[] = [
  ['', /empty expression/],
  ['   \t ', /empty expression/],
  ['(x + 1', /unbalanced parentheses: 1 "\(" not closed/],
  ['x + 1)', /unbalanced parentheses: unexpected "\)" at column 6/],
  ['x +', /cannot parse expression: .* at column 3/],
  ['x + * y', /cannot parse expression: .* at column 5/],
  ['2 ^', /cannot parse expression/],
  [deep, /nested too deeply at column 201/],
  [long, /expression too long: 300001 characters \(at most \d+\)/],
  ['gamma(x)', /unknown function "gamma" at column 1/],
  ['x * foo(2)', /unknown function "foo" at column 5/],
  ['f(x) = x^2', /function definition/],
  ['a = 2', /assignment/],
  ['[1, 2] * x', /matrix/],
  ['"text"', /strings are not allowed/],
  ['5 cm to inch', /unit conversion/],
  ['x > 0 ? x : 0', /conditional/],
  ['x!', /factorial \(!\) at column 2/],
  ['x == 2', /comparison/],
  ['x mod 2', /modulo/],
  ['x; y', /several statements/],
  ['{a: 1}', /object/],
  ['x[1]', /indexing/],
  ['x.y', /indexing or property access/],
  ['1:3', /range/],
  ['true * x', /booleans are not allowed/],
  ['x and y', /logical and/],
  ["x'", /transpose/],
  ['x & y', /bitwise and/],
  ['sigmoid(x, y)', /sigmoid\(\) takes 1 argument, got 2 at column 1/],
  ['sin()', /sin\(\) takes 1 argument, got 0/],
  ["Infinity * x", /the number Infinity is not a finite number at column 1/],
  ["x + NaN", /the number NaN is not a finite number at column 5/],
  ['1e400 * x', /not a finite number/],
  ['x÷2', /"÷" is not allowed in a name \("x÷2"\) at column 2: write \/ for ÷/],
  ['x×y', /"×" is not allowed in a name \("x×y"\) at column 2: write \* for ×/],
  ['x + \x07y', /\\x07/],
  ['x +\n* y', /cannot parse expression: .* at column/],
];

describe('parseExpression(text) refuses bad text with a one-line message naming what and where', () => {
  test.each(parseCases)('%j → %s', (text, message) => {
    const e = downhillError(() => parseExpression(text));
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toMatch(CONTROL);
    expect(e.message.length).toBeLessThan(200);
  });

  test('the length limit leaves room for 10,000-term chains', () => {
    expect(MAX_EXPRESSION_LENGTH).toBeGreaterThanOrEqual(Array(10_000).fill('x').join('+').length);
  });
});

describe('the library API refuses bad values with a one-line message', () => {
  const logx = parseExpression('log(x)');
  const cases: readonly (readonly [string, () => unknown, RegExp])[] = [
    ['evaluateFinite: log of a negative number, with the point', () => evaluateFinite(logx, { x: -1 }), /^log\(x\) is NaN \(not a real number\) at x = -1$/],
    ['evaluateFinite: division by zero, with the point', () => evaluateFinite(parseExpression('y + 1/x'), { x: 0, y: 2 }), /^1 \/ x is Infinity \(division by zero or overflow\) at x = 0, y = 2$/],
    ['evaluateFinite: overflow', () => evaluateFinite(parseExpression('exp(x)'), { x: 1000 }), /exp\(x\) is Infinity .* at x = 1000/],
    ['evaluateFinite: NaN inside relu, max, heaviside is not hidden', () => evaluateFinite(parseExpression('relu(log(x)) + max(log(x), 1) + heaviside(log(x))'), { x: -1 }), /^log\(x\) is NaN \(not a real number\) at x = -1$/],
    ['evaluateFinite: a NaN value given', () => evaluateFinite(parseExpression('x + 1'), { x: Number.NaN }), /value given for x is NaN/],
    ['evaluateFinite: an infinite value given', () => evaluateFinite(parseExpression('x * 2'), { x: -Infinity }), /value given for x is -Infinity/],
    ['evaluate: a missing value', () => evaluate(parseExpression('x + y'), { x: 1 }), /no value for symbol "y"/],
    ['evaluate: a non-numeric value from JavaScript', () => evaluate(parseExpression('x + 1'), JSON.parse('{"x": "2"}') as Record<string, number>), /value given for x is not a number: "2"/],
    ['gradient: a variable listed twice', () => gradient(parseExpression('x*y'), ['x', 'x']), /variable "x" is listed twice/],
    ['gradient: a function with no rule', () => gradient(call('gamma', sym('x')), ['x']), /no rule for "gamma"/],
    ['derivative: text with an unknown function', () => derivative('x * gamma(x)', 'x'), /unknown function "gamma" at column 5/],
    ['compileGradient: a symbol with no value', () => compileGradient(parseExpression('w*x + b'), { params: ['w'], data: ['x'] }), /symbol "b" has no value/],
    ['compileGradient: a symbol both parameter and data', () => compileGradient(parseExpression('w*x'), { params: ['w', 'x'], data: ['x'] }), /"x" is both a parameter and data/],
    ['compiled loss: wrong number of parameters', () => compileGradient(parseExpression('w^2'), { params: ['w'] }).loss(new Float64Array(2)), /expected 1 parameters, got 2/],
    ['compiled gradient: wrong gradient length', () => compileGradient(parseExpression('w^2'), { params: ['w'] }).lossAndGradient(new Float64Array(1), new Float64Array(3)), /gradient array has length 3, expected 1/],
    ['compiled loss: a batch too short', () => compileGradient(parseExpression('w*x'), { params: ['w'], data: ['x'] }).loss(new Float64Array(1), new Float64Array(2), 5), /batch has 2 numbers, expected 5 rows of 1/],
    ['compiled loss: a batch size of zero', () => compileGradient(parseExpression('w*x'), { params: ['w'], data: ['x'] }).loss(new Float64Array(1), new Float64Array(2), 0), /the sample count N must be a whole number ≥ 1, got 0/],
    ['packBatch: ragged rows', () => packBatch([[1, 2], [3]]), /batch row 1 has 1 numbers, expected 2/],
    ['parseNumber: not a number', () => parseNumber('abc', '--lr'), /--lr: "abc" is not a number/],
    ['parseNumber: 1e999 overflows', () => parseNumber('1e999', '--lr'), /--lr: 1e999 is not a finite number/],
    ['parseNumber: NaN', () => parseNumber('NaN', '--lr'), /--lr: "NaN" is not a number/],
    ['parseNumber: 1/0', () => parseNumber('1/0', '--lr'), /Infinity/],
    ['parseBounded: below the minimum', () => parseBounded('-1', '--lr', { min: 0, exclusiveMin: true }), /--lr expects a number > 0, got -1/],
    ['parseBounded: not whole', () => parseBounded('2.5', '--steps', { integer: true }), /--steps expects a whole number, got 2.5/],
    ['parseNameList: not a name', () => parseNameList('x,1y', '--wrt'), /--wrt: "1y" is not a variable name/],
    ['parsePoint: no equals sign', () => parsePoint('x', '--at'), /--at: expected name=value, got "x"/],
    ['parsePoint: a name twice', () => parsePoint('x=1,x=2', '--at'), /--at: x is given twice/],
    ['parseFlags: an unknown flag', () => parseFlags(['--nope'], { wrt: { type: 'string' } }), /unknown flag --nope \(known: --wrt\)/],
    ['parseFlags: a flag without its value', () => parseFlags(['--wrt'], { wrt: { type: 'string' } }), /flag --wrt needs a value/],
    ['parseFlags: a value for a boolean flag', () => parseFlags(['--json=yes'], { json: { type: 'boolean' } }), /^flag --json takes no value$/],
    ['parseFlags: a flag followed by another flag instead of its value', () => parseFlags(['--wrt', '--json'], { wrt: { type: 'string' }, json: { type: 'boolean' } }), /^flag --wrt needs a value$/],
    ['parseFlags: an unknown short flag hints at --', () => parseFlags(['-x'], { wrt: { type: 'string' } }, 1), /unknown flag -x .*goes after --/],
    // The library's public boundary: options and arguments are checked, naming the one that is wrong.
    ['compileGradient: chunkSize NaN (gave loss 0)', () => compileGradient(parseExpression('w^2'), { params: ['w'], chunkSize: Number.NaN }), /chunkSize must be a whole number ≥ 1, got NaN/],
    ['compileGradient: chunkSize 0 (looped forever)', () => compileGradient(parseExpression('w^2'), { params: ['w'], chunkSize: 0 }), /chunkSize must be a whole number ≥ 1, got 0/],
    ["compileGradient: reduce 'max' (summed silently)", () => compileGradient(parseExpression('w^2'), { params: ['w'], reduce: 'max' as 'sum' }), /reduce must be 'mean' or 'sum', got the text "max"/],
    ['compileGradient: an unknown option', () => compileGradient(parseExpression('w^2'), { params: ['w'], chunksize: 3 } as never), /unknown option "chunksize"/],
    ['compileGradient: params not an array', () => compileGradient(parseExpression('w^2'), { params: 'w' as never }), /params must be an array of symbol names, got the text "w"/],
    ['compileGradient: a parameter that is not a name', () => compileGradient(parseExpression('w^2'), { params: [7 as never] }), /params\[0\] is 7, not a symbol name/],
    ['compileGradient: the loss is not a graph', () => compileGradient('w^2' as never, { params: ['w'] }), /loss must be an expression graph/],
    ['compiled loss: a batch not of whole rows (was truncated)', () => compileGradient(parseExpression('w*x - y'), { params: ['w'], data: ['x', 'y'] }).loss(new Float64Array(1), new Float64Array(3)), /batch has 3 numbers, not whole rows of 2 \(x, y\)/],
    ['compiled loss: a batch longer than N rows (was truncated)', () => compileGradient(parseExpression('w*x'), { params: ['w'], data: ['x'] }).loss(new Float64Array(1), new Float64Array(4), 2), /batch has 4 numbers, expected 2 rows of 1/],
    ['compiled gradient: g is the parameter array (gave a wrong gradient)', () => { const p = new Float64Array([1]); return compileGradient(parseExpression('w^2'), { params: ['w'] }).lossAndGradient(p, p); }, /g shares memory with the parameters p/],
    ['compiled gradient: g is p, after a valid call with other arrays (the sharing check is not skipped)', () => {
      const f = compileGradient(parseExpression('w^2 + v^2'), { params: ['w', 'v'] });
      const p = new Float64Array([1, 2]);
      f.lossAndGradient(p, new Float64Array(2));
      return f.lossAndGradient(p, p);
    }, /g shares memory with the parameters p/],
    ['compiled gradient: g overlaps p in one buffer', () => { const b = new Float64Array(3); return compileGradient(parseExpression('w^2 + v^2'), { params: ['w', 'v'] }).lossAndGradient(b.subarray(0, 2), b.subarray(1, 3)); }, /g shares memory with the parameters p/],
    ['compiled loss: an array of strings (was coerced)', () => compileGradient(parseExpression('w^2'), { params: ['w'] }).loss(['2'] as never), /p\[0\] is the text "2", not a number/],
    ['compiled loss: a batch of strings', () => compileGradient(parseExpression('w*x'), { params: ['w'], data: ['x'] }).loss(new Float64Array(1), ['2'] as never), /batch\[0\] is the text "2", not a number/],
    ['compiled loss: a huge sample count with no data (never returned)', () => compileGradient(parseExpression('w^2'), { params: ['w'] }).loss(new Float64Array(1), undefined, 1e15), /reads no data, so the sample count N must be 1/],
    ['compiled loss: a fractional sample count', () => compileGradient(parseExpression('w*x'), { params: ['w'], data: ['x'] }).loss(new Float64Array(1), new Float64Array(2), 1.5), /sample count N must be a whole number ≥ 1, got 1.5/],
    ['evaluate: a BigInt (crashed building the message)', () => evaluate(parseExpression('x + 1'), { x: 2n as never }), /value given for x is not a number: the BigInt 2n/],
    ['checkGradient: a step lost in rounding (called a right gradient wrong)', () => checkGradient('x^2', { x: 1 }, { h: 1e-320 }), /step h = 1e-320 is too small to mean anything at x = 1/],
    ['train: maxRecords below 2', () => train({ loss: parseExpression('w^2'), params: ['w'], init: [1], optimizer: gd(0.1), steps: 3, maxRecords: 1 }), /maxRecords must be a whole number ≥ 2, got 1/],
    // The newer entry points (issue 27): each names the argument, what it got and what it accepts.
    ['compileNetwork: an unknown loss (read undefined)', () => compileNetwork(LAYERS, 'cross_entropy' as never), /^compileNetwork: loss must be one of se, half_se, mse, mae, huber, bce, bce_logits, softmax_ce, hinge, got the text "cross_entropy"$/],
    ['compileNetwork: a misspelt option (accepted)', () => compileNetwork(LAYERS, 'mse', { engin: 'matrix' } as never), /^compileNetwork: unknown option "engin" \(known: engine, naming\)$/],
    ["compileNetwork: naming 'Short' (accepted)", () => compileNetwork(LAYERS, 'mse', { naming: 'Short' } as never), /^compileNetwork: naming must be one of indexed, short, got the text "Short"$/],
    ['compileNetwork: a description for the layers (layers.map is not a function)', () => compileNetwork('784-30-10' as never, 'mse'), /^compileNetwork: layers must be an array of \{ in, out, activation, bias \}, got the text "784-30-10" \(parseNetworkSpec/],
    ['compileNetwork: layers that do not chain', () => compileNetwork([{ in: 2, out: 3, activation: 'tanh', bias: true }, { in: 4, out: 1, activation: 'identity', bias: true }], 'mse'), /^compileNetwork: layers\[1\]\.in is 4, but layers\[0\] has 3 outputs$/],
    ['compileNetwork: 10¹⁰ parameters (Invalid array length)', () => compileNetwork([{ in: 100_000, out: 100_000, activation: 'sigmoid', bias: false }], 'mse'), /^compileNetwork: the layers have 10,000,000,000 parameters: the matrix engine takes at most 30,000,000/],
    ['compileMatrixValues: an empty p (returned NaN)', () => { const net = matrixNetwork(LAYERS, 'mse'); return compileMatrixValues([net.a[1]!], net.D)(new Float64Array(0), new Float64Array(net.D)); }, /^values: p must be a Float64Array of the network's 13 parameters \(at least\), got a Float64Array of 0$/],
    ['compileMatrixValues: roots not matrix nodes', () => compileMatrixValues([] as never, 3), /^compileMatrixValues: roots must be a non-empty array of matrix nodes/],
    ['sgdEpoch: the rng factory for a generator (accepted)', () => { const f = compileNetwork(LAYERS, 'mse'); return sgdEpoch(f, new Float64Array(f.params.length), new Float64Array(3), { batch: 1, lr: 0.1, rng: mulberry32 as never }); }, /^sgdEpoch: rng must be a generator, such as mulberry32\(1\), got a function of 1 argument \(mulberry32\): call it with a seed first$/],
    ['sgdEpoch: no rng (a TypeError)', () => { const f = compileNetwork(LAYERS, 'mse'); return sgdEpoch(f, new Float64Array(f.params.length), new Float64Array(3), { batch: 1, lr: 0.1 } as never); }, /^sgdEpoch: rng must be a generator of random numbers in \[0, 1\), such as mulberry32\(1\), got undefined$/],
    ['sgdEpoch: plain arrays (data.subarray is not a function)', () => { const f = compileNetwork(LAYERS, 'mse'); return sgdEpoch(f, Array.from(f.params, () => 0) as never, [1, 2, 3] as never, { batch: 1, lr: 0.1, rng: mulberry32(1) }); }, /^sgdEpoch: p must be a Float64Array \(updated in place\), got an array of 13$/],
    ['matmul: two Float64Arrays (a TypeError)', () => matmul(new Float64Array(2) as never, new Float64Array(2) as never), /^matmul: a must be a matrix node .*, got a Float64Array of 2$/],
    ['imageGridSvg: 10⁶ × 10⁶ pixels (a RangeError)', () => imageGridSvg([{ rgb: new Uint8Array(3), caption: '1' }], { width: 1e6, height: 1e6 }), /^imageGridSvg: width must be a whole number from 1 to 4096, got 1000000$/],
    ['imageGridSvg: an image of the wrong size', () => imageGridSvg([{ rgb: new Uint8Array(3), caption: '1' }], { width: 2, height: 2 }), /^imageGridSvg: images\[0\]\.rgb must be a Uint8Array of 2 × 2 × 3 bytes, got a Uint8Array of 3$/],
    // Accepted in silence before, or a raw error from deep inside (the sweep below only sees the raw errors).
    ['counted: a description for the count (printed "784-30-10 undefineds")', () => library.counted('784-30-10' as never, undefined as never), /^counted: n must be a number, got the text "784-30-10"$/],
    ['continuation: no options (accepted; failed later, inside diagnose)', () => library.continuation(undefined as never), /^continuation: options must be an object with loss, init, optimizer, steps, got undefined$/],
    ['mulberry32: a NaN seed (silently seed 0)', () => mulberry32(Number.NaN), /^mulberry32: seed must be a whole number, got NaN$/],
    ['formatNumber: 0 digits (a RangeError)', () => library.formatNumber(1.5, 0), /^formatNumber: digits must be a whole number from 1 to 100, got 0$/],
    ['train: a misspelt option (accepted)', () => train({ loss: parseExpression('w^2'), params: ['w'], init: [1], optimizer: gd(0.1), steps: 3, recordevery: 2 } as never), /^train: unknown option "recordevery" \(known: loss, params, data, batch, init, optimizer, steps, /],
    ['train: an optimizer that is not one (returned undefined steps)', () => train({ loss: parseExpression('w^2'), params: ['w'], init: [1], optimizer: { kind: 'sgd', lr: 0.1 } as never, steps: 3 }), /^train: optimizer must be an optimizer \(gd\(lr\), momentum\(lr\) or adam\(lr\)\), got an object with kind, lr$/],
    ['linePlot: a misspelt option (accepted)', () => library.linePlot({ series: [{ name: 'L', points: [[0, 1]] }], xLabel: 'w', yLabel: 'L', logy: true } as never), /^linePlot: unknown option "logy" \(known: series, xLabel, yLabel, logX, logY, points, title, width, height\)$/],
    ['describeOptimizer: an unknown kind (returned undefined)', () => library.describeOptimizer({ kind: 'sgd', lr: 1 } as never), /^describeOptimizer: optimizer must be an optimizer .*, got an object with kind, lr$/],
    ['pytorchExport: an engine that is not one', () => library.pytorchExport(loadModel('2-3-1:tanh:sigmoid:mse'), { engine: 'gpu' as never }), /^pytorchExport: engine must be one of scalar, matrix, auto, got the text "gpu"$/],
    ['DownhillError: control characters in a message are shown escaped', () => { throw new DownhillError(`unknown name "${HOSTILE}"`); }, /^unknown name "x\\x1b]0;pwned\\x07 \+ <U\+202E>\\x1b\[2J\\ny"$/],
  ];
  test.each([
    [{ seed: Number.NaN }, /^loadDigits: seed must be a whole number from 0 to 4294967295, got NaN$/],
    [{ seeed: 1 }, /^loadDigits: unknown option "seeed" \(known: seed, train, test\)$/],
    [{ train: 1.5 }, /^loadDigits: training digits: a whole number ≥ 1, got 1.5$/],
  ])('loadDigits(%j) is refused (a NaN seed silently used seed 0)', async (options, message) => {
    await expect(loadDigits(options as never)).rejects.toThrow(message);
    await expect(loadDigits(options as never)).rejects.toBeInstanceOf(DownhillError);
  });

  test.each(cases)('%s', (_, fn, message) => {
    const e = downhillError(fn);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toMatch(CONTROL);
  });
});

describe('every export of the library, given junk arguments', () => {
  // A DownhillError, never a TypeError or RangeError, from every exported function given nothing, text, NaN, an
  // unknown object, two Float64Arrays, null, an empty array, empty objects, mixed values, a function or a Symbol
  // (issue 27, "what to build" 6). An export added later is swept too: it fails here until its door checks its
  // arguments (errors.ts: checkArg).
  const junk: readonly unknown[][] = [
    [], [undefined], ['784-30-10'], [Number.NaN], [{ bogus: 1 }], [new Float64Array(2), new Float64Array(2)],
    [null], [[]], [{}, {}], [1, 'x', null], [() => 1], [Symbol('junk')],
  ];
  // Both public entries: 'downhill' (src/index.ts) and 'downhill/engine' (src/engine.ts).
  const exports = [...Object.entries(library), ...Object.entries(engineEntry)]
    .filter(([name, v]) => typeof v === 'function' && name !== 'DownhillError') as [string, (...a: unknown[]) => unknown][];
  test('the sweep covers the library (not an empty list)', () => {
    // The two entries export 137 functions in all (December 2026); the sweep must see them all, not pass on nothing.
    expect(exports.length).toBeGreaterThanOrEqual(130);
    for (const name of ['compileGradient', 'train', 'pytorchExport', 'gradeAnswer', 'linePlot', 'compileMatrixGradient', 'compileNetwork', 'matmul', 'checkModel']) expect(exports.map(([n]) => n)).toContain(name);
  });
  test.each(exports)('%s', async (name, fn) => {
    const raw: string[] = [];
    for (const args of junk) {
      try {
        await fn(...args);
      } catch (e) {
        if (!(e instanceof DownhillError)) raw.push(`${args.map((a) => (typeof a === 'symbol' ? 'a Symbol' : String(a))).join(', ')}: ${e instanceof Error ? `${e.name}: ${e.message}` : typeof e}`);
        else expect(e.message).not.toContain('\n');
      }
    }
    expect(raw, `${name} threw something other than a DownhillError`).toEqual([]);
  });
});

describe('downhill <command>: bad input gets one line on stderr, nothing on stdout, exit code 2', () => {
  let out = '';
  let err = '';
  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err += String(chunk); return true; });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const cases: readonly (readonly [readonly string[], RegExp])[] = [
    [['nosuch'], /^downhill: unknown command "nosuch" \(known: grad/],
    [['grad'], /^downhill grad: missing expression/],
    [['grad', ''], /^downhill grad: empty expression/],
    [['grad', 'x^2', 'y'], /unexpected argument "y" \(quote the expression/],
    [['grad', 'x^2', '--nope'], /unknown flag --nope \(known: --wrt, --at, --json, --help\)/],
    [['grad', 'x^2', '--wrt'], /flag --wrt needs a value/],
    [['grad', 'x^2', '--wrt', 'x,,y'], /--wrt: "" is not a variable name/],
    [['grad', 'x*y', '--wrt', 'x,x'], /--wrt: a name is listed twice/],
    [['grad', '(x + 1'], /unbalanced parentheses/],
    [['grad', 'x *'], /cannot parse expression: .* at column 3/],
    [['grad', 'gamma(x)'], /unknown function "gamma" at column 1/],
    [['grad', 'cos.constructor("return process")()'], /^downhill grad: /],
    [['grad', deep], /nested too deeply/],
    [['grad', long], /too long/],
    [['grad', '2 + 3'], /no variables to differentiate by/],
    [['grad', 'x*y', '--at', 'x=1'], /--at: no value for y/],
    [['grad', 'x', '--at', 'x=1,z=2'], /--at: z is not in the expression/],
    [['grad', 'x', '--at', 'x=abc'], /--at x: "abc" is not a number/],
    [['grad', 'x', '--at', 'x=NaN'], /--at x: "NaN" is not a number/],
    [['grad', 'x', '--at', 'x=1e999'], /--at x: 1e999 is not a finite number/],
    [['grad', 'x', '--at', 'x=1/0'], /--at x: 1 \/ 0 is Infinity/],
    [['grad', 'x', '--at', 'x'], /--at: expected name=value, got "x"/],
    [['grad', 'log(x)', '--at', 'x=-1'], /^downhill grad: log\(x\) is NaN \(not a real number\) at x = -1$/],
    [['grad', '1/x', '--at', 'x=0'], /^downhill grad: 1 \/ x is Infinity \(division by zero or overflow\) at x = 0$/],
    [['grad', 'sqrt(x)', '--at', 'x=0'], /at x = 0/], // the value is 0, but the slope is infinite there
    [['grad', 'x', '--at', '__proto__=1,x=1'], /--at: __proto__ is not in the expression/],
    [['grad', 'x', '--json=yes'], /flag --json takes no value/],
    [['lesson'], /^downhill lesson: which lesson\?/],
    [['lesson', '99'], /^downhill lesson: unknown lesson "99" \(known: 1 /],
    [['lesson', 'nosuch'], /unknown lesson "nosuch"/],
    [['lesson', '1', '--steps', '0'], /--steps expects a number ≥ 1, got 0/],
    [['lesson', '1', '--lr', '-1'], /--lr expects a number > 0, got -1/],
    [['lesson', '1', '--lr', 'abc'], /--lr: "abc" is not a number/],
    [['lesson', '1', '--seed', '1.5'], /--seed expects a whole number, got 1.5/],
    [['lesson', '1', '2'], /unexpected argument "2"/],
    [['lessons', 'extra'], /^downhill lessons: unexpected argument "extra"$/],
    [['lessons', '--html'], /flag --html needs a value/],
    [['docs', 'extra'], /^downhill docs: unexpected argument "extra"$/],
    [['docs', '--out', ''], /--out needs a folder name/],
    [['docs', '--bogus'], /unknown flag --bogus \(known: --out, --json, --help\)/],
    [['check'], /^downhill check: missing expression/],
    [['check', '--model', 'nosuch'], /unknown model "nosuch"/],
    [['check', 'x^2', '--at', 'x=abc'], /--at x: "abc" is not a number/],
    [['check', 'x^2', '--html', 'out.txt'], /--html: "out.txt" should end in .html/],
    [['check', 'log(x)', '--at', 'x=-1'], /log\(x\) is NaN \(not a real number\) at x = -1/],
    [['graph'], /^downhill graph: missing expression/],
    [['graph', '--model', 'nosuch'], /unknown model "nosuch"/],
    [['graph', 'x^2', '--out', 'g.png'], /--out: "g.png" should end in .svg/],
    [['graph', 'x^2', '--picture', 'nope'], /--picture: expected network or computation, got "nope"/],
    [['graph', 'gamma(x)'], /unknown function "gamma" at column 1/],
    // Control characters in echoed text come back escaped.
    [['grad', HOSTILE], /^downhill grad: /],
    [['grad', 'x', '--at', `${HOSTILE}=1`], /^downhill grad: --at: expected name=value, got "x\\x1b/],
    [['grad', 'x', '--wrt', HOSTILE], /^downhill grad: --wrt: "x\\x1b\]0;pwned\\x07 \+ <U\+202E>\\x1b\[2J\\ny" is not a variable name$/],
    [['lesson', HOSTILE], /^downhill lesson: unknown lesson "x\\x1b/],
    [[HOSTILE], /^downhill: unknown command "x\\x1b/],
    // Names that look like operators.
    [['grad', 'x÷2', '--at', 'x=1'], /"÷" is not allowed in a name .*: write \/ for ÷/],
    // Flags checked before any output; empty output paths; lesson files that are no lesson.
    [['lesson', '1', '--lr', '0.5'], /^downhill lesson: lesson 1 \(loss\) takes no --lr/],
    [['lesson', '1', '--out', ''], /--out needs a folder name/],
    [['lesson', '1', '--out', '  '], /--out needs a folder name/],
    [['lessons', '--html', ''], /--html needs a folder name/],
    [['check', 'x^2', '--at', 'x=1', '--html', ''], /--html needs a file name/],
    [['graph', 'x^2', '--out', ''], /--out needs a file name/],
    [['lesson', join(fixtures, 'folder.ts')], /folder\.ts is a folder: give the path of a lesson script$/],
    // A step too small to mean anything.
    [['check', 'x^2', '--at', 'x=1', '--h', '1e-320'], /step h = 1e-320 is too small to mean anything at x = 1: x ± h rounds to a step of 0/],
    [['check', '--model', 'xor9', '--h', '1e-17'], /step h = 1e-17 is too small to mean anything at /],
    // The limits of one call, named.
    [['grad', sumOf(4999)], /^downhill grad: 4999 partial derivatives asked for: at most 200 in one call, to stay within the limits of one call \(10 s, 1 GB\); pick the variables with --wrt$/],
    [['grad', sumOf(4999).replaceAll('+', '*')], /4999 partial derivatives asked for: at most 200/],
    [['check', sumOf(300), '--at', sumOf(300).replaceAll('+', '=1,') + '=1'], /300 partial derivatives asked for: at most 200 .*--wrt/],
    [['lesson', '3', '--steps', '1000000'], /^downhill lesson: --steps 1000000: at most 10,000 steps in one call, to stay within the limits of one call \(10 s, 1 GB\)$/],
    [['lesson', '9', '--steps', '10001'], /--steps 10001: at most 10,000 steps in one call/],
    [['lesson', '10', '--epochs', '1000'], /^downhill lesson: --epochs 1000 --batch 32 --hidden 30 --digits 10000: 1000 epochs × \(8,000 training digits × 23,860 parameters \+ 250 steps × 26,360\) is 2\.0e\+11 multiply-adds: at most 2e\+9 in one call/],
    [['lesson', '10', '--hidden', '1', '--epochs', '310', '--batch', '1'], /^downhill lesson: --epochs 310 --batch 1 --hidden 1 --digits 10000: .* is 1\.0e\+10 multiply-adds: at most 2e\+9 in one call/],
    [['lesson', '10', '--hidden', '1024'], /10 epochs × \(8,000 training digits × 814,090 parameters .* at most 2e\+9 in one call/],
    [['check', '--model', '1024-1024-1'], /network "1024-1024-1" has 1,050,625 parameters: at most 2,500 here, to stay within the limits of one call \(10 s, 1 GB\)/],
    [['graph', '--model', '1024-1024-1024-1'], /network "1024-1024-1024-1" has 2,100,225 parameters: at most 2,500/],
    [['check', '--model', '40-40-1', '--batch', '100000'], /on 100,000 samples is .* operations: at most 2e\+8 in one call/],
    [['check', '--model', '784-40-10', '--engine', 'matrix', '--directions', '2'], /network "784-40-10" has 31,810 parameters: at most 25,000 with --engine matrix, to stay within the limits of one call/],
    [['check', '--model', '784-30-10:relu:softmax_ce', '--engine', 'matrix', '--directions', '1', '--batch', '4000', '--float32'], /checking in float32 1 directions of 23,860 parameters on 4,000 samples is 1\.9e\+8 operations: at most 1e\+6 in one call/],
  ];
  test.each(cases.map(([argv, message]) => [argv.map((a) => (a.length > 60 ? `${a.slice(0, 40)}... (${a.length} characters)` : a)), message, argv] as const))('downhill %j → %s', async (_, message, argv) => {
    const code = await command(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trimEnd()).toMatch(message);
    expect(err.trimEnd()).not.toContain('\n');
    expect(err.trimEnd()).not.toMatch(CONTROL);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a --batch too large for a described model is refused before its samples are drawn: 100,000 of 1,024 inputs would be 0.8 GB', async () => {
    // Refused after drawing them, this took 17.5 s of CPU and 2.1 GB (measured with the command, before the change); now 0.4 s and 69 MB.
    const before = process.cpuUsage();
    const code = await command(['check', '--model', '1024-2-1', '--batch', '100000']);
    const cpu = process.cpuUsage(before);
    expect(code).toBe(2);
    expect(err.trimEnd()).toMatch(/^downhill check: checking 20 directions of 2,053 parameters on 100,000 samples is 8\.2e\+9 operations: at most 2e\+8 in one call/);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(3);
  });
});

describe('values and expressions that start with "-" are values, not flags', () => {
  let out = '';
  beforeEach(() => {
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('downhill grad "-x^2" --at x=3 --json: value −9, slope −6', async () => {
    expect(await command(['grad', '-x^2', '--at', 'x=3', '--json'])).toBe(0);
    const json = JSON.parse(out) as { value: number; gradient: { x: number } };
    expect(json.value).toBe(-9);
    expect(json.gradient.x).toBe(-6);
  });

  test('downhill grad --wrt x -- "-x*y" differentiates by x only: −y', async () => {
    expect(await command(['grad', '--wrt', 'x', '--at', 'x=2,y=5', '--json', '--', '-x*y'])).toBe(0);
    const json = JSON.parse(out) as { value: number; gradient: Record<string, number> };
    expect(json.value).toBe(-10);
    expect(json.gradient).toEqual({ x: -5 });
  });
});

describe('the real binary', () => {
  test('bad input: exit code 2 and one line on stderr, no stack trace', () => {
    const r = runCli(['grad', 'x + * y']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^downhill grad: cannot parse expression: .* at column 5\n$/);
  });
});

describe('long operator chains never overflow the stack', () => {
  const n = 10_000;
  test('x + x + ... + x (10,000 terms) parses, evaluates, differentiates and compiles to the right answer', () => {
    const e = parseExpression(Array(n).fill('x').join(' + ').replaceAll(' ', ''));
    expect(evaluate(e, { x: 0.5 })).toBe(n * 0.5);
    const d = derivative(e, 'x');
    expect(evaluate(d.node, { x: 0.5 })).toBe(n);
    const f = compileGradient(e, { params: ['x'] });
    const g = new Float64Array(1);
    expect(f.lossAndGradient(new Float64Array([0.25]), g)).toBe(n * 0.25);
    expect(g[0]).toBe(n);
  });

  test('x - x - ... - x (10,000 terms): value 1 − (n−1)·x... and slope 2 − n', () => {
    const e = parseExpression(Array(n).fill('x').join('-'));
    expect(evaluate(e, { x: 1 })).toBe(1 - (n - 1));
    const f = compileGradient(e, { params: ['x'] });
    const g = new Float64Array(1);
    f.lossAndGradient(new Float64Array([1]), g);
    expect(g[0]).toBe(2 - n);
  });

  test.each([
    ['-'.repeat(1000) + 'x', 1, 2],
    ['-'.repeat(1001) + 'x', -1, -2],
  ])('%# a run of unary minus: %s... has slope %d', (text, slope, value) => {
    const e = parseExpression(text);
    expect(evaluate(e, { x: 2 })).toBe(value);
    expect(evaluate(derivative(e, 'x').node, { x: 2 })).toBe(slope);
  });

  test.each([
    ['-'.repeat(15_000) + 'x'],
    ['+'.repeat(15_000) + 'x'],
    [Array(9_000).fill('x').join('^')],
    ['sin(' .repeat(150) + 'x' + ')'.repeat(150) + '^2'.repeat(4000)],
  ])('%# is parsed or refused cleanly, never a RangeError', (text) => {
    let result: unknown;
    try {
      result = parseExpression(text);
    } catch (e) {
      result = e;
    }
    expect(result instanceof DownhillError || (typeof result === 'object' && result !== null && 'kind' in result)).toBe(true);
  });

  test('x ^ x ^ ... ^ x (1,000 levels): the compiled gradient agrees with the interpreter and with (x^x)-style finite differences', () => {
    const e = parseExpression(Array(1000).fill('x').join('^'));
    const f = compileGradient(e, { params: ['x'] });
    const g = new Float64Array(1);
    const x = 0.5;
    const L = f.lossAndGradient(new Float64Array([x]), g);
    expect(L).toBe(evaluate(e, { x }));
    const fd = centralDifference((d) => evaluate(e, { x: x + d }), 1e-6);
    expect(Math.abs(g[0]! - fd)).toBeLessThan(1e-6);
  });
});
