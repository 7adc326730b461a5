// `downhill grad`: what it prints, on stdout and stderr, and its exit code. The first test and the closed pipe run the
// command as a user does (bin/downhill.js on the build, a new node process); the others call the command's own function
// in this process (support/cli.ts commandOutput: the same streams, exit code and 80 columns, and
// test/cli-in-process.test.ts shows the two print the same, character for character), which saves starting node
// (0.3–0.4 s of CPU) for each of 27 calls.
import { describe, expect, test } from 'vitest';
import { commandOutput as run, runCli } from './support/cli.ts';

describe('downhill grad', () => {
  test('prints each partial derivative as text and TeX, and its value at a point', async () => {
    const r = runCli(['grad', '(y - w3*sigmoid(w1*x1 + w2*x2))^2', '--wrt', 'w1,w3', '--at', 'w1=0.1,w2=-0.2,w3=0.3,x1=1,x2=0.5,y=0.7']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('∂f/∂w1 = -2 * (y - w3 * sigmoid(w1 * x1 + w2 * x2)) * w3');
    expect(r.stdout).toContain('TeX: -2 \\left(y - w_{3}');
    // By hand: L = 0.55² = 0.3025, ∂L/∂w3 = −2·0.55·0.5 = −0.55
    expect(r.stdout).toMatch(/f = 0\.3024999/);
    expect(r.stdout).toMatch(/∂f\/∂w3 = -0\.549999/);
  });

  test('symbols are collected before folding: grad "0*x + y" --at x=1,y=2 has ∂f/∂x = 0 and ∂f/∂y = 1', async () => {
    const r = await run(['grad', '0*x + y', '--at', 'x=1,y=2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.value).toBe(2);
    expect(out.gradient).toEqual({ x: 0, y: 1 });
    const zero = await run(['grad', '0*x', '--at', 'x=1']);
    expect(zero.code).toBe(0);
    expect(zero.stdout).toContain('∂f/∂x = 0');
  });

  test('control characters in the echoed expression are shown escaped', async () => {
    const r = await run(['grad', 'x\t+ y']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('f = x\\t+ y');
    expect(r.stdout).not.toContain('\t');
  });

  test('--json prints one object with the documented fields', async () => {
    const r = await run(['grad', 'x^2*y', '--wrt', 'x,y', '--at', 'x=3,y=2', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({
      expr: 'x^2*y', wrt: ['x', 'y'],
      derivatives: { x: { text: '2 * y * x', tex: '2 y x' }, y: { text: 'x ^ 2', tex: '{x}^{2}' } },
      at: { x: 3, y: 2 }, value: 18, gradient: { x: 12, y: 9 },
    });
  });

  test('--at takes a value for every symbol the text names, even one folded away (0*x), and for every --wrt variable', async () => {
    const r = await run(['grad', '0*x + y', '--wrt', 'y', '--at', 'x=2,y=1', '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ at: { x: 2, y: 1 }, value: 1, gradient: { y: 1 } });
    expect((await run(['grad', '0*x + y', '--at', 'y=1'])).stderr).toMatch(/--at: no value for x/);
    expect((await run(['grad', 'y', '--wrt', 'z', '--at', 'y=1'])).stderr).toMatch(/--at: no value for z/);
    expect((await run(['grad', 'y', '--at', 'y=1,z=2'])).stderr).toMatch(/--at: z is not in the expression/);
  });

  test('without --wrt it differentiates by every symbol; without --at it prints formulas only', async () => {
    const r = await run(['grad', 'sin(a*b)']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('∂f/∂a = cos(a * b) * b');
    expect(r.stdout).toContain('∂f/∂b = cos(a * b) * a');
    expect(r.stdout).not.toContain('at ');
  });

  test.each([
    [['grad', 'x + * y'], /cannot parse expression: Value expected at column 5/],
    [['grad', 'gamma(x)'], /unknown function "gamma" at column 1/],
    [['grad', 'x + y', '--at', 'x=1'], /--at: no value for y/],
    [['grad', 'x', '--at', 'x=abc'], /--at x: "abc" is not a number/],
    [['grad', 'log(x)', '--at', 'x=-1'], /log\(x\) is NaN \(not a real number\) at x = -1/],
    [['grad', '1/x', '--at', 'x=0'], /is Infinity \(division by zero or overflow\) at x = 0/],
    [['grad', 'x', '--bogus'], /unknown flag --bogus/],
    [['grad', 'a = 2'], /no variables to differentiate by/],
    [['grad', 'a == 2'], /unsupported construct/],
    [['grad'], /missing expression/],
    [['nope'], /unknown command "nope"/],
  ])('%j fails with exit code 2 and one line: %s', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});

describe('downhill and a closed pipe', () => {
  test('a reader that stops early (downhill lessons | head -1) ends the command quietly with exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const bin = fileURLToPath(new URL('../bin/downhill.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'lesson', '4', '--no-page'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('downhill grad with named steps', () => {
  const program = 'z = w1*x1 + w2*x2; h = sigmoid(z); L = (y - w3*h)^2';
  const at = 'w1=0.1,w2=-0.2,w3=0.3,x1=1,x2=0.5,y=0.7';

  test('prints the steps, the backward pass by name, the closed forms, and every value', async () => {
    const r = await run(['grad', program, '--wrt', 'w1,w2,w3', '--at', at]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('h = sigmoid(z)');
    expect(r.stdout).toContain('∂L/∂z = ∂L/∂h * (h * (1 - h))');
    expect(r.stdout).toContain('∂L/∂w1 = -2 * (y - w3 * sigmoid(w1 * x1 + w2 * x2))');
    // By hand, as in the single-expression test: h = 0.5, ∂L/∂w3 = −0.55, ∂L/∂w1 = −0.0825.
    expect(r.stdout).toMatch(/ h = 0\.5\n/);
    expect(r.stdout).toMatch(/∂L\/∂w3 = -0\.549999/);
    expect(r.stdout).toMatch(/∂L\/∂w1 = -0\.08249999/);
  });

  test('--json gives the steps, the backward lines and the gradient', async () => {
    const out = JSON.parse((await run(['grad', program, '--at', at, '--json'])).stdout);
    expect(out.steps.map((s: { name: string }) => s.name)).toEqual(['z', 'h', 'L']);
    expect(out.backward[0]).toMatchObject({ name: 'h', symbol: '∂L/∂h', text: '-2 * (y - w3 * h) * w3' });
    expect(out.values.h).toBe(0.5);
    expect(out.gradient.w3).toBeCloseTo(-0.55, 15);
  });

  test('a value for a step, or a step that uses a later name, exits 2 with one line', async () => {
    const given = await run(['grad', program, '--at', `${at},h=1`]);
    expect(given.code).toBe(2);
    expect(given.stderr).toMatch(/^downhill grad: --at: h is a step of the expression, computed from the inputs\n$/);
    const order = await run(['grad', 'u = v; v = x; L = u']);
    expect(order.code).toBe(2);
    expect(order.stderr).toMatch(/uses v before it is defined/);
  });
});

describe('downhill grad with named steps: same limits and messages as one expression', () => {
  const sum = (n: number): string => Array.from({ length: n }, (_, i) => `x${i + 1}`).join('+');

  test('more than 200 derivatives are refused up front, with the message of the one-expression path', async () => {
    const one = await run(['grad', `(${sum(1499)})^2`]);
    const steps = await run(['grad', `z = ${sum(1499)}; L = z^2`]);
    expect(one.code).toBe(2);
    expect(steps.code).toBe(2);
    expect(steps.stderr).toBe(one.stderr);
    expect(steps.stderr).toContain('1499 partial derivatives asked for: at most 200');
    expect(steps.stdout).toBe('');
  });

  test('a program longer than the expression limit is refused, though each step is short', async () => {
    const text = Array.from({ length: 1700 }, (_, i) => (i === 0 ? 'a0=x' : `a${i}=a${i - 1}+1`)).join(';');
    expect(text.length).toBeGreaterThan(20_000);
    const r = await run(['grad', text]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`downhill grad: expression too long: ${text.length} characters (at most 20000)\n`);
  });

  test('a step folded to 0 still uses the names written in it: z = w; L = 0*z has ∂L/∂w = 0', async () => {
    const r = await run(['grad', 'z = w; L = 0*z', '--at', 'w=3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).gradient).toEqual({ w: 0 });
  });

  test('an unnamed last line does not clash with a step named f: f = w*x; f^2 is (wx)^2', async () => {
    const r = await run(['grad', 'f = w*x; f^2', '--at', 'w=2,x=3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // By hand: (wx)^2 = 36, ∂/∂w = 2wx·x = 36, ∂/∂x = 2wx·w = 24.
    expect(out.value).toBe(36);
    expect(out.gradient).toEqual({ w: 36, x: 24 });
  });

  test('an error in an unnamed last line names the step by its number only', async () => {
    const r = await run(['grad', 'z = w*x; L == z^2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('downhill grad: step 2: unsupported construct: comparison (==) at column 3\n');
  });

  test.each(['check', 'graph'])('%s given named steps says they work in grad only', async (command) => {
    const r = await run([command, 'z = w*x; L = z^2', '--at', 'w=1,x=2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`downhill ${command}: named steps ("z = w*x; L = z^2") work in downhill grad only: give ${command} one expression, such as "(w*x)^2"\n`);
  });
});
