// `downhill check`: few, broad cases; the library tests (check*.test.ts) cover the details. The first test runs the
// command as a user does (bin/downhill.js on the build, a new node process); the others call the command's own
// function in this process (support/cli.ts commandOutput: the same streams, exit code and 80 columns, and
// test/cli-in-process.test.ts shows the two print the same), which saves starting node (0.3–0.4 s of CPU) for each.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { commandOutput as run, runCli } from './support/cli.ts';

describe('downhill check', () => {
  test('a right gradient exits 0 and prints the exact values 12 and 9 of ∂(x²y) at (3, 2)', async () => {
    const r = runCli(['check', 'x^2*y', '--at', 'x=3,y=2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/∂f\/∂x\s+12\s/);
    expect(r.stdout).toMatch(/∂f\/∂y\s+9\s/);
    expect(r.stdout).toContain('all 2 partial derivatives agree');
  });

  test('a wrong claim exits 1 and shows the exact formula, the missing factor and the differing points', async () => {
    const r = await run(['check', 'sin(3*x)', '--at', 'x=1', '--claim', 'x: cos(3*x)']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WRONG');
    expect(r.stdout).toMatch(/WRONG; exact:\n +∂f\/∂x = 3 cos\(3x\)/); // the formula as the terminal renderer writes TeX
    expect(r.stdout).toContain('0.333333 times');
    expect(r.stdout).toMatch(/x = 1 +−2\.96998 +−0\.989992/); // 3cos(3) and cos(3)
  });

  test('relu at 0 warns of the kink and exits 0', async () => {
    const r = await run(['check', 'relu(x)', '--at', 'x=0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/∂f\/∂x\s+0\s+0\.5\s+1\s.*kink \(warning\)/);
    expect(r.stdout).toContain("relu'(0) = 0");
  });

  test('--float32 --sweep --json --html: float32 errors exceed float64 ones, sweep rows for 1e-1 … 1e-12, a report with KaTeX and SVG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'downhill-check-'));
    const file = join(dir, 'report.html');
    const r = await run(['check', 'sin(x)', '--at', 'x=1', '--float32', '--sweep', '--json', '--html', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      gradient: { variables: { absError: number }[] }; float32: { variables: { absError: number }[] };
      sweeps: { precision: string; rows: { h: number }[]; best: { central: { h: number } }; exact: number }[];
    };
    expect(out.gradient.variables[0]!.absError).toBeLessThan(1e-9);
    expect(out.float32.variables[0]!.absError).toBeGreaterThan(1e-4);
    expect(out.sweeps.map((s) => s.precision)).toEqual(['float64', 'float32']);
    expect(out.sweeps[0]!.rows.map((x) => x.h)).toEqual([1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12]);
    expect(out.sweeps[0]!.exact).toBe(Math.cos(1));
    expect(out.sweeps[0]!.best.central.h).toBeGreaterThanOrEqual(1e-7);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('class="katex"');
    expect(html.match(/<figure>\s*<svg/g)!.length).toBe(2); // one plot per sweep (KaTeX draws √ with SVG too)
    expect(existsSync(join(dir, 'katex', 'katex.min.css'))).toBe(true);
  });

  test('--model with --directions checks a description along random directions and says so', async () => {
    const r = await run(['check', '--model', '2-3-1:tanh:sigmoid:mse', '--directions', '4']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' '); // prose is wrapped at 78 columns
    expect(text).toContain('model 2-3-1:tanh:sigmoid:mse: 13 parameters, batch of 8');
    expect(text).toContain('along 4 random unit directions');
    expect(text).toContain('4 passed, 0 failed');
  });

  test.each([
    [['check', 'x^2', '--at', 'y=1'], /downhill check: the point: no value for x/],
    [['check', '--model', '2-x-1'], /downhill check: network "2-x-1": layer size "x"/],
  ])('bad input %j exits 2 with one line on stderr', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBe(1);
  });
});

describe('check --engine matrix on the README\'s digits network', () => {
  test('npx downhill check --model 784-30-10:sigmoid:softmax_ce --engine matrix --directions 20 passes: 20 directions of 23,860 parameters', async () => {
    const r = await run(['check', '--model', '784-30-10:sigmoid:softmax_ce', '--engine', 'matrix', '--directions', '20', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { model: { P: number; engine: string; summary: { checked: number; passed: number } } };
    // 784·30 + 30 + 30·10 + 10 parameters, checked against central differences along 20 directions.
    expect(out.model.P).toBe(784 * 30 + 30 + 30 * 10 + 10);
    expect(out.model.engine).toBe('matrix');
    expect(out.model.summary).toMatchObject({ checked: 20, passed: 20 });
  });
});

test('check --claim says how many of the differing points it shows', async () => {
  // 2x·sin(x) is not the derivative of x²·sin(x): it differs at every one of the 9 points, 5 rows are shown.
  const r = await run(['check', 'x^2*sin(x)', '--at', 'x=1', '--claim', 'x: 2*x*sin(x)']);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('they differ at 9 of 9 points (5 of 9 shown):');
  expect(r.stdout.split('\n').filter((line) => /^\s+x = /.test(line))).toHaveLength(5);
});
