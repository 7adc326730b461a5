import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { run } from '../src/cli/graph.ts';
import { commandOutput as runInProcess, runCli } from './support/cli.ts';

// The outline and --out run the command as a user does (bin/downhill.js, a new node process, in a folder of its own);
// the other calls take the command's own function in this process (support/cli.ts commandOutput: the same streams,
// exit code and 80 columns; test/cli-in-process.test.ts shows the two print the same), saving a node start each.

const dir = mkdtempSync(join(tmpdir(), 'downhill-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('downhill graph', () => {
  test('prints an outline: forward values, then gradients with each edge (∂L/∂(xy) = 1 + cos 6)', () => {
    const r = runCli(['graph', 'x*y + sin(x*y)', '--at', 'x=2,y=3']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  v₁ = x · y = 6\n');
    expect(r.stdout).toContain('  ∂L/∂v₁ = 1.96\n'); // 1 + cos(6) = 1.96017
    expect(r.stdout).toContain('      via v₂: ∂v₂/∂v₁ = cos(v₁) = 0.9602, adds 0.9602\n');
    expect(r.stdout).toContain('  ∂L/∂x = 5.881\n'); // 3 · 1.96017
  });

  test('--out writes an SVG file, atomically, and nothing else', () => {
    const r = runCli(['graph', 'x^2 + x', '--at', 'x=3', '--wrt', 'x', '--out', 'pics/g.svg'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'pics/g.svg'), 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('data-name="x" data-value="3" data-grad="7"'); // 2x + 1
    expect(readdirSync(join(dir, 'pics'))).toEqual(['g.svg']);
  });

  test('--model draws a reference model or a network description', async () => {
    const r = await runInProcess(['graph', '--model', 'seed3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('a⁽¹⁾₁ = σ(w₁·x₁ + w₂·x₂)');
    const s = runCli(['graph', '--model', '2-3-1:tanh', '--picture', 'network', '--naming', 'indexed', '--out', 'net.svg'], { cwd: dir });
    expect(s.stderr).toBe('');
    expect(readFileSync(join(dir, 'net.svg'), 'utf8')).toContain('W⁽¹⁾₂₁');
  });

  test('bad input prints one line on stderr and exits 2', async () => {
    const r = await runInProcess(['graph', 'x^2', '--at', 'x=1,z=2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('downhill graph: --at: z is not in the expression\n');
  });

  // The same checks in process (spawning the command costs seconds each).
  test.each([
    [[], /missing expression/],
    [['x^2', '--wrt', 'q'], /--wrt: q is not in the expression/],
    [['x^2', '--out', 'g.png'], /should end in \.svg/],
    [['x^2', '--out', join(dir, 'adir.svg')], /is a folder/],
    [['--model', 'mnist'], /unknown model "mnist"/],
    [['x', '--picture', 'network'], /--picture network needs --model/],
    [['x', '--naming', 'long'], /--naming: expected short or indexed/],
  ])('run(%j) throws a DownhillError naming the problem', async (args, message) => {
    mkdirSync(join(dir, 'adir.svg'), { recursive: true });
    const error = await run(args).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DownhillError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('downhill graph --json', () => {
  test('the computational graph as data: L = (x + y)·x at x = 1, y = 2 is 3, ∂L/∂x = 2x + y = 4, ∂L/∂y = x = 1', async () => {
    const r = await runInProcess(['graph', '(x + y)*x', '--at', 'x=1,y=2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { picture: string; boxes: { name: string; value?: number; grad?: number }[]; edges: unknown[] };
    expect(out.picture).toBe('computation');
    const box = (name: string) => out.boxes.find((b) => b.name === name)!;
    expect(box('x')).toMatchObject({ value: 1, grad: 4 });
    expect(box('y')).toMatchObject({ value: 2, grad: 1 });
    expect(Math.max(...out.boxes.map((b) => b.value ?? -Infinity))).toBe(3);
    expect(out.edges.length).toBeGreaterThan(0);
  });

  test('a network diagram as data: one entry per layer, with its units', async () => {
    const out = JSON.parse((await runInProcess(['graph', '--model', '2-3-1:tanh:sigmoid:mse', '--picture', 'network', '--json'])).stdout) as { layers: { units: string[] }[] };
    expect(out.layers.map((l) => l.units.length)).toEqual([2, 3, 1]);
  });
});
