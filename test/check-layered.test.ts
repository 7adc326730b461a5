// `downhill check --model` on networks with convolution and attention. Each run spawns the command, so the cases are few.
import { describe, expect, test } from 'vitest';
import { runCli } from './support/cli.ts';

describe('downhill check --model with images and sequences', () => {
  test.each([
    ['conv11738', 11738, 32, 15.087702831315827],
    ['attn4228', 4228, 16, 1.6584179806807828],
  ] as const)('check --model %s --engine matrix --json passes along 20 directions and carries the listed loss to 1e-13', (id, P, N, listed) => {
    const r = runCli(['check', '--model', id, '--engine', 'matrix', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { pass: boolean; model: { loss: number; P: number; N: number; engine: string; mode: string; summary: { checked: number; failed: number } } };
    expect(out.pass).toBe(true);
    expect(out.model).toMatchObject({ P, N, engine: 'matrix', mode: 'directions', summary: { checked: 20, failed: 0 } });
    expect(Math.abs(out.model.loss - listed) / listed).toBeLessThan(1e-13);
  });

  test('a small description is checked parameter by parameter, by the matrix engine unless --engine scalar', () => {
    const r = runCli(['check', '--model', '1x5x5-conv2x3-avgpool3-2:tanh:softmax_ce', '--batch', '3', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { model: { engine: string; mode: string; summary: { checked: number; failed: number } } };
    expect(out.model).toMatchObject({ engine: 'matrix', mode: 'parameters', summary: { checked: 2 * 9 + 2 + 2 * 2 + 2, failed: 0 } });
    const s = runCli(['check', '--model', '1x5x5-conv2x3-avgpool3-2:tanh:softmax_ce', '--batch', '3', '--engine', 'scalar']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('26 passed, 0 failed');
  });

  test('the scalar engine is refused a convolution whose graph would be too large, with the count that decides', () => {
    const r = runCli(['check', '--model', '1x28x28-conv8x5-maxpool2-10:relu:softmax_ce', '--engine', 'scalar']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('has 131,328 multiply-adds per sample: at most 2,500 with --engine scalar (use --engine matrix)');
  });

  test('help check documents the layers of a description', () => {
    const r = runCli(['check', '--help']);
    expect(r.stdout).toContain('convFxK');
    expect(r.stdout).toContain('attn, attn_causal');
    expect(r.stdout).toContain('1x28x28-conv8x5-maxpool2-10:relu:softmax_ce (conv11738)');
  });
});
