import { describe, expect, test } from 'vitest';
import { checkModel } from '../src/check/model-check.ts';
import { compileModel } from '../src/matrix/path.ts';
import { loadModel } from '../src/nn/load.ts';
import { runCli } from './support/cli.ts';

describe('check --model on either engine', () => {
  test('the matrix engine passes against central differences on a reference model and a description', () => {
    for (const name of ['iris67', '5-7-3:tanh:softmax_ce']) {
      const m = loadModel(name);
      const c = checkModel(m, { engine: 'matrix' });
      expect(c.engine).toBe('matrix');
      expect(c.summary.checked).toBe(m.params.length);
      expect(c.pass).toBe(true);
      expect(c.loss).toBe(checkModel(m).loss);
    }
  });

  test('the two engines compile the same model to different functions with the same gradient', () => {
    const m = loadModel('mlp321');
    const s = compileModel(m, 'scalar'), x = compileModel(m, 'matrix');
    expect(x).not.toBe(s);
    const gs = new Float64Array(m.p.length), gx = new Float64Array(m.p.length);
    expect(x.lossAndGradient(m.p, gx, m.batch)).toBe(s.lossAndGradient(m.p, gs, m.batch));
    gs.forEach((v, k) => expect(Math.abs(v - gx[k]!)).toBeLessThanOrEqual(1e-12 * Math.max(1e-6, Math.abs(v))));
  });

  test('the CLI takes --engine matrix and refuses an unknown engine with one line', () => {
    const ok = runCli(['check', '--model', 'xor9', '--engine', 'matrix']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.replace(/\s+/g, ' ')).toContain('gradient from the matrix engine'); // prose is wrapped at 78 columns
    const bad = runCli(['check', '--model', 'xor9', '--engine', 'gpu']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('downhill check: --engine must be scalar or matrix, got "gpu"');
  });
});
