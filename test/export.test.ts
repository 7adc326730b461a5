// Exported PyTorch scripts run with Debian's python3-torch (.ci/run installs
// it; the test fails, never skips, without it). All scripts of a test run in
// one python process: importing torch takes seconds.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { loadModel } from '../src/nn/load.ts';
import { referenceModel } from '../src/nn/reference.ts';
import type { LayeredModel } from '../src/nn/layered.ts';
import { mulberry32 } from '../src/nn/random.ts';
import { denseTorchNet, EXPORT_MARK, layeredTorchNet, pytorchExport, pytorchModelSource, pytorchScript, pythonFloat, type PyTorchExport } from '../src/export/pytorch.ts';
import { registrationOrder, torchReference, torchReferenceIds, torchReferenceLoss } from '../src/export/recipes.ts';
import { layeredMatrixNetwork } from '../src/matrix/layered.ts';
import { layeredNetwork } from '../src/nn/layered.ts';
import { runCli } from './support/cli.ts';
import { command } from '../src/cli.ts';
import { runScripts, type ScriptRun } from './support/python.ts';

const dir = mkdtempSync(join(tmpdir(), 'downhill-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The script with gradient entry k of downhill's numbers multiplied by (1 + factor). */
function perturbGradient(text: string, k: number, factor: number): string {
  const m = /DOWNHILL_GRADIENT = \[([^\]]*)\]/.exec(text)!;
  const values = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  values[k] = values[k]! * (1 + factor);
  return text.replace(m[0], `DOWNHILL_GRADIENT = [${values.map(pythonFloat).join(', ')}]`);
}

/** The worst relative difference a script printed. */
const worstOf = (stdout: string): number => Number(/worst relative difference (\S+) at/.exec(stdout)![1]);
/** PyTorch's loss a script printed. */
const torchLossOf = (stdout: string): number => Number(/loss +PyTorch (\S+)/.exec(stdout)![1]);

/** README's export section: the script's output shown, and train.py. */
function readmeSection(): { output: string; train: string } {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = /## Train at scale in PyTorch the network you understood here\n([^]*?)\n## /.exec(readme)![1]!;
  const blocks = [...section.matchAll(/```(\w*)\n([^]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  expect(blocks[0]!.text).toBe('npx downhill export --model iris67 --pytorch iris67.py\npython3 iris67.py\n');
  return { output: blocks.find((b) => b.lang === '')!.text, train: blocks.find((b) => b.lang === 'python')!.text };
}

/** The command run in this process: its exit code and what it printed. */
async function inProcess(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
  try {
    return { code: await command(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('pythonFloat(x)', () => {
  test('reads back to the same float64 (random values over 600 decades), whole numbers get .0, -0 keeps its sign', () => {
    const rng = mulberry32(7);
    for (let i = 0; i < 5_000; i++) {
      const x = (rng() - 0.5) * 10 ** Math.floor(rng() * 600 - 300);
      expect(Number(pythonFloat(x))).toBe(x);
    }
    expect(pythonFloat(3)).toBe('3.0');
    expect(pythonFloat(-0)).toBe('-0.0');
    expect(pythonFloat(1e-7)).toBe('1e-7');
    expect(pythonFloat(1.5e21)).toBe('1.5e+21');
    expect(() => pythonFloat(NaN)).toThrow('finite');
  });
});

describe('denseTorchNet and pytorchScript', () => {
  test('xor9: nn.Linear and nn.Sigmoid per layer, the 4 XOR rows, MSELoss; a parameter count that disagrees is refused', () => {
    const net = denseTorchNet(loadModel('xor9'));
    expect(net.layers).toEqual([
      { kind: 'linear', in: 2, out: 2, bias: true }, { kind: 'activation', name: 'sigmoid' },
      { kind: 'linear', in: 2, out: 1, bias: true }, { kind: 'activation', name: 'sigmoid' },
    ]);
    expect(Array.from(net.inputs)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(net.targets).toEqual({ kind: 'values', width: 1, values: [0, 1, 1, 0] });
    const e = pytorchExport(loadModel('xor9'));
    expect(e.text.startsWith(`#!/usr/bin/env python3\n${EXPORT_MARK}`)).toBe(true);
    expect(e.text).toContain('nn.Linear(2, 2),\n    nn.Sigmoid(),\n    nn.Linear(2, 1),\n    nn.Sigmoid(),');
    expect(e.text).toContain('loss_fn = nn.MSELoss()');
    expect(e.loss).toBe(referenceModel('xor9').initialLoss);
    expect(() => pytorchScript({ ...net, p: net.p.subarray(1) }, e)).toThrow('its layers hold 9 parameters but p has 8');
  });

  test('xor9: p fills the torch parameters in the order of the description the engines read (W1, b1, W2, b2: 0.weight, 0.bias, 2.weight, 2.bias)', () => {
    const net = denseTorchNet(loadModel('xor9'));
    expect(net.parameters).toEqual([
      { name: '0.weight', rows: 2, cols: 2 }, { name: '0.bias', rows: 2, cols: 1 },
      { name: '2.weight', rows: 1, cols: 2 }, { name: '2.bias', rows: 1, cols: 1 },
    ]);
    expect(pytorchExport(loadModel('xor9')).text).toContain("PARAMETERS = [\n    (\"0.weight\", 2, 2),\n    (\"0.bias\", 2, 1),\n    (\"2.weight\", 1, 2),\n    (\"2.bias\", 1, 1),\n]");
  });

  test('a layered model whose description was altered is refused with the line both engines give it', () => {
    const m = loadModel('2x5x5-conv3x3s2p1-avgpool3s1-2:tanh:mse') as LayeredModel;
    const altered = { ...m.layered, P: m.layered.P + 1 };
    const line = `network "2x5x5-conv3x3s2p1-avgpool3s1-2:tanh:mse": P is ${m.layered.P + 1}, but its blocks make ${m.layered.P}`;
    expect(() => layeredTorchNet({ ...m, layered: altered })).toThrow(line);
    expect(() => layeredNetwork(altered)).toThrow(line);
    expect(() => layeredMatrixNetwork(altered)).toThrow(line);
  });

  test('iris67: one-hot targets become class indices for CrossEntropyLoss', () => {
    const net = denseTorchNet(loadModel('iris67'));
    expect(net.targets).toEqual({ kind: 'classes', classes: referenceModel('iris67').classes });
  });
});

describe('the exported scripts, run by PyTorch (one python process)', () => {
  // Reference models, descriptions with every kind of activation module and loss, and both engines.
  const cases: { model: string; engine?: 'scalar' | 'matrix'; seed?: number; N?: number }[] = [
    { model: 'seed3' }, { model: 'xor9' }, { model: 'iris67' }, { model: 'deep1249', engine: 'matrix' },
    { model: '2-3-1:tanh:sigmoid:mse' }, { model: '4-5-3:relu:softmax_ce', engine: 'matrix' },
    { model: '3-4-2:sin:huber' }, { model: '2-3-1:softplus:bce_logits', seed: 5, N: 16 },
    { model: '2-3-1:tanh:sigmoid:bce' }, { model: '3-2:mae' }, { model: '3-4-1:leaky_relu:hinge' },
    { model: '3-4-2:cbrt:se' }, { model: '2-3-1:nobias' },
    { model: '2-3-1:\ntanh:sigmoid:\u2028mse' }, // line breaks between the words of a description stay out of the code
    // convolution, pooling and attention (the matrix engine's layered networks)
    { model: 'conv11738' }, { model: 'attn4228' },
    { model: '2x5x5-conv3x3s2p1-avgpool3s1-2:tanh:mse', N: 3 },
    { model: '1x4x4-conv2x2p1-maxpool3s2-4-1:sigmoid:identity:mse:nobias', N: 3 },
    { model: '3x2-attn_causal-attn-mean-2-1:tanh:mse', N: 4 },
    { model: '4x3-attn-mean-3:softmax_ce', engine: 'scalar', N: 3 },
  ];
  let exports: PyTorchExport[] = [];
  let runs: ScriptRun[] = [];
  const byName = (name: string): ScriptRun => runs.find((r) => r.file.endsWith(`/${name}.py`))!;
  /** The run of a script that must exit 1. */
  const failed = (name: string): ScriptRun => {
    const r = byName(name);
    expect(r.code, name).toBe(1);
    return r;
  };

  beforeAll(() => {
    const files: string[] = [];
    const write = (name: string, text: string): void => {
      const file = join(dir, `${name}.py`);
      writeFileSync(file, text);
      files.push(file);
    };
    exports = cases.map((c, i) => {
      const m = loadModel(c.model, { ...(c.seed === undefined ? {} : { seed: c.seed }), ...(c.N === undefined ? {} : { N: c.N }) });
      const e = pytorchExport(m, { engine: c.engine ?? 'auto' });
      write(`case${i}`, e.text);
      return e;
    });
    // xor9 with downhill's gradient entry 5 (0.bias[1]) off by 1e-8, relative; and with its loss off by 1e-9
    const xor = exports[1]!;
    write('bad-gradient', perturbGradient(xor.text, 5, 1e-8));
    write('bad-loss', xor.text.replace(/^DOWNHILL_LOSS = .*$/m, `DOWNHILL_LOSS = ${pythonFloat(xor.loss * (1 + 1e-9))}`));
    // iris67 with an entry off by 2e-10: just past the tolerance
    write('just-past', perturbGradient(exports[2]!.text, 40, 2e-10));
    // conv11738 with the gradient of kernel entry K[3][0][2][4] (p[3·25 + 2·5 + 4] = p[89]) off by 1e-9
    write('bad-kernel', perturbGradient(exports[cases.findIndex((c) => c.model === 'conv11738')]!.text, 89, 1e-9));
    // xor9 with PARAMETERS wrong: the first two names swapped (their sizes kept), the first two
    // rows swapped (p read in another order), and one left out
    const rows = /PARAMETERS = \[\n(.*)\n(.*)\n(.*)\n(.*)\n\]/.exec(xor.text)!;
    write('swapped-names', xor.text.replace(rows[0], `PARAMETERS = [\n${rows[1]!.replace('0.weight', '0.bias')}\n${rows[2]!.replace('0.bias', '0.weight')}\n${rows[3]}\n${rows[4]}\n]`));
    write('swapped-parameters', xor.text.replace(rows[0], `PARAMETERS = [\n${rows[2]}\n${rows[1]}\n${rows[3]}\n${rows[4]}\n]`));
    write('missing-parameter', xor.text.replace(rows[0], `PARAMETERS = [\n${rows[1]}\n${rows[2]}\n${rows[3]}\n]`));
    // conv11738 and attn4228 from the recipe: PyTorch's loss at the initial weights
    for (const id of torchReferenceIds) {
      write(id, `${pytorchModelSource(torchReference(id))}
print(repr(loss_fn(model(x), target).item()))
`);
    }
    // README's section: iris67.py, and train.py beside it
    const readmeDir = join(dir, 'readme');
    mkdirSync(readmeDir);
    writeFileSync(join(readmeDir, 'iris67.py'), pytorchExport(loadModel('iris67')).text);
    writeFileSync(join(readmeDir, 'train.py'), readmeSection().train);
    files.push(join(readmeDir, 'iris67.py'), join(readmeDir, 'train.py'));
    runs = runScripts(files);
  });

  test("README's section: iris67.py prints what README shows, and train.py prints what its comment says", () => {
    const { output, train } = readmeSection();
    const [iris, trained] = runs.slice(-2);
    expect(iris!.code).toBe(0);
    // the first line names the installed PyTorch version
    expect(iris!.stdout.trim().split('\n').slice(1)).toEqual(output.trim().split('\n').slice(1));
    expect(trained!.code).toBe(0);
    expect(trained!.stdout.trim()).toBe(/# prints (.*)$/m.exec(train)![1]);
  });

  test('p fills the torch parameters in torch\'s registration order, read from the layers alone, for every case', () => {
    exports.forEach((e, i) => expect(e.net.parameters, cases[i]!.model).toEqual(registrationOrder(e.net.layers)));
  });

  test('a script whose PARAMETERS do not name each torch parameter once at its size refuses to load p (exit 1, no comparison); p read in another order fails the comparison', () => {
    const names = failed('swapped-names');
    expect(names.stdout).toBe('');
    expect(names.message).toBe('0.bias is (2,) in the model but 2 x 2 in p');
    expect(failed('swapped-parameters').stdout).toContain('FAIL: the loss and 9 of 9 gradient entries differ by more than 1e-10');
    expect(failed('missing-parameter').message).toBe("PARAMETERS names ['0.weight', '0.bias', '2.weight'], the model has ['0.weight', '0.bias', '2.weight', '2.bias']");
  });

  test('every script passes: PyTorch\'s loss and gradient agree with downhill\'s within 1e-10', () => {
    cases.forEach((c, i) => {
      const r = byName(`case${i}`);
      expect(r.code, `${c.model}: ${r.stdout}`).toBe(0);
      expect(r.stdout).toContain(`model ${c.model}: ${exports[i]!.gradient.length} parameters`);
      expect(r.stdout).toContain('PASS: the loss and all');
      expect(worstOf(r.stdout)).toBeLessThan(1e-10);
    });
  });

  test('PyTorch\'s losses from the embedded weights and batch are the listed losses of the reference models', () => {
    for (const [i, id] of [[0, 'seed3'], [1, 'xor9'], [2, 'iris67'], [3, 'deep1249']] as const) {
      expect(Math.abs(torchLossOf(byName(`case${i}`).stdout) / referenceModel(id).initialLoss - 1)).toBeLessThan(1e-14);
    }
  });

  test('a perturbed gradient entry or loss makes the script exit 1, naming the parameter', () => {
    const badGradient = failed('bad-gradient');
    expect(badGradient.stdout).toMatch(/worst relative difference 1e-08 at p\[5\] = 0\.bias\[1\]/);
    expect(badGradient.stdout).toContain('FAIL: 1 of 9 gradient entries differ by more than 1e-10');
    expect(failed('bad-loss').stdout).toContain('FAIL: the loss differs by more than 1e-10');
    expect(failed('bad-kernel').stdout).toMatch(/at p\[89\] = 0\.weight\[3, 0, 2, 4\]/);
    expect(failed('just-past').stdout).toMatch(/at p\[40\] = 2\.weight\[0, 0\]/);
  });

  test('conv11738 and attn4228: the weights, inputs and classes of the recipe alone are those of the matrix engine\'s models', () => {
    for (const id of torchReferenceIds) {
      const ours = torchReference(id), engine = loadModel(id) as LayeredModel;
      const theirs = layeredTorchNet(engine);
      expect(Array.from(theirs.p)).toEqual(Array.from(ours.p));
      expect(Array.from(theirs.inputs)).toEqual(Array.from(ours.inputs));
      expect(theirs.targets).toEqual(ours.targets);
      expect(theirs.layers).toEqual(ours.layers);
      // the order of p by the description the engines read (blockParameters) is torch's registration order
      expect(theirs.parameters).toEqual(ours.parameters);
    }
  });

  test('conv11738 and attn4228 built from the recipe alone: PyTorch\'s loss is the listed one to 1e-14', () => {
    for (const id of torchReferenceIds) {
      const r = byName(id);
      expect(r.code, r.stdout).toBe(0);
      expect(Math.abs(Number(r.stdout.trim()) / torchReferenceLoss[id] - 1)).toBeLessThan(1e-14);
    }
  });
});

describe('downhill export (the command)', () => {
  test('writes the script (parent folders made) and says how to run it', () => {
    const file = join(dir, 'cli', 'deeper', 'xor9.py');
    const r = runCli(['export', '--model', 'xor9', '--pytorch', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("model xor9, 9 parameters, batch of 4, with downhill's loss 0.25708337712896895 and gradient (scalar engine)");
    expect(r.stdout).toContain(`python3 ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(pytorchExport(loadModel('xor9'), { file }).text);
    expect(readFileSync(file, 'utf8')).toContain(`#     python3 ${file}\n`);
  });

  test('refuses before any work, in one line with exit 2: a file it did not write, a folder, a file as a folder, not .py; the file stays', async () => {
    const notes = join(dir, 'notes.py');
    writeFileSync(notes, 'my own code\n');
    const folder = join(dir, 'folder.py');
    mkdirSync(folder);
    const refusals: [string[], string][] = [
      [['--model', 'xor9', '--pytorch', notes], 'cannot write'],
      [['--model', 'xor9', '--pytorch', folder], 'it is a folder'],
      [['--model', 'xor9', '--pytorch', join(notes, 'x.py')], `${notes} is a file, not a folder`],
      [['--model', 'xor9', '--pytorch', join(dir, 'x.txt')], 'should end in .py'],
      [['--model', 'xor9'], '--pytorch is needed'],
      [['--model', 'xor9', '--seed', '3', '--pytorch', join(dir, 'y.py')], '--seed and --batch go with a description'],
      [['--model', '2-3-1:nope', '--pytorch', join(dir, 'y.py')], '"nope" is neither an activation'],
      [['--model', '784-30-10:sigmoid:softmax_ce', '--batch', '2000', '--pytorch', join(dir, 'y.py')], 'holds 1,635,720 numbers: at most 1,000,000'],
      [['--model', '1x28x28-conv8x5-maxpool2-10:relu:softmax_ce', '--engine', 'scalar', '--pytorch', join(dir, 'y.py')], 'at most 2,500 with --engine scalar'],
    ];
    // the first through the command as a user runs it, the others in this process (the same command(), faster)
    const first = runCli(['export', ...refusals[0]![0]]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(refusals[0]![1]);
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
    for (const [args, message] of refusals.slice(1)) {
      const r = await inProcess(['export', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(notes, 'utf8')).toBe('my own code\n');
    expect(existsSync(join(dir, 'y.py'))).toBe(false);
    // a loss that is not a number (log of negative inputs) leaves an earlier export as it was
    const earlier = join(dir, 'cli', 'deeper', 'xor9.py');
    const before = readFileSync(earlier, 'utf8');
    const nan = await inProcess(['export', '--model', '2-3-1:log', '--pytorch', earlier]);
    expect(nan.code).toBe(2);
    expect(nan.stderr).toBe("downhill export: model 2-3-1:log: downhill's loss is NaN; only a finite loss can be compared\n");
    expect(readFileSync(earlier, 'utf8')).toBe(before);
  });
});
