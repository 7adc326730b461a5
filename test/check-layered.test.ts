// `downhill check --model` on networks with convolution and attention. Each case calls the command's own function in
// this process (support/cli.ts commandOutput: the same streams, exit code and 80 columns; test/cli-in-process.test.ts
// shows it prints what the spawned command prints, character for character), not a new node process (0.5–1 s of CPU
// a start): what is tested here is what the command prints, not the process.
import { describe, expect, test } from 'vitest';
import { commandOutput as run } from './support/cli.ts';

describe('downhill check --model with images and sequences', () => {
  test.each([
    ['conv11738', 11738, 32, 15.087702831315827],
    ['attn4228', 4228, 16, 1.6584179806807828],
  ] as const)('check --model %s --engine matrix --json passes along 20 directions and carries the listed loss to 1e-13', async (id, P, N, listed) => {
    const r = await run(['check', '--model', id, '--engine', 'matrix', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { pass: boolean; model: { loss: number; P: number; N: number; engine: string; mode: string; summary: { checked: number; failed: number } } };
    expect(out.pass).toBe(true);
    expect(out.model).toMatchObject({ P, N, engine: 'matrix', mode: 'directions', summary: { checked: 20, failed: 0 } });
    expect(Math.abs(out.model.loss - listed) / listed).toBeLessThan(1e-13);
  });

  test('a small description is checked parameter by parameter, by the matrix engine unless --engine scalar', async () => {
    const r = await run(['check', '--model', '1x5x5-conv2x3-avgpool3-2:tanh:softmax_ce', '--batch', '3', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { model: { engine: string; mode: string; summary: { checked: number; failed: number } } };
    expect(out.model).toMatchObject({ engine: 'matrix', mode: 'parameters', summary: { checked: 2 * 9 + 2 + 2 * 2 + 2, failed: 0 } });
    const s = await run(['check', '--model', '1x5x5-conv2x3-avgpool3-2:tanh:softmax_ce', '--batch', '3', '--engine', 'scalar']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('26 passed, 0 failed');
  });

  test('the scalar engine is refused a convolution whose graph would be too large, with the count that decides', async () => {
    const r = await run(['check', '--model', '1x28x28-conv8x5-maxpool2-10:relu:softmax_ce', '--engine', 'scalar']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('has 131,328 multiply-adds per sample: at most 2,500 with --engine scalar (use --engine matrix)');
  });

  test('graph --model refuses a network with convolution or attention in one line (it draws dense networks)', async () => {
    const r = await run(['graph', '--model', 'attn4228']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('graph draws dense networks; this one has convolution, pooling or attention layers');
  });

  test('help check documents the layers of a description', async () => {
    const r = await run(['check', '--help']);
    expect(r.stdout).toContain('convFxK');
    expect(r.stdout).toContain('attn, attn_causal');
    expect(r.stdout).toContain('1x28x28-conv8x5-maxpool2-10:relu:softmax_ce (conv11738)');
  });
});
