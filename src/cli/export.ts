/**
 * `downhill export --model <id | description> --pytorch <file.py>`
 *
 * Writes a standalone PyTorch script (src/export/pytorch.ts): the same
 * network in torch.nn, the same weights and batch, and downhill's loss and
 * gradient, which the script compares with PyTorch's. The output path is
 * checked before anything is computed, and the file is written atomically.
 */
import { DownhillError, visible } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { checkOutputFile } from '../io/output-file.ts';
import { EXPORT_FLOOR, EXPORT_MARK, EXPORT_TOLERANCE, pytorchExport } from '../export/pytorch.ts';
import { layeredReferences, loadModel } from '../nn/load.ts';
import { engineFor } from '../matrix/path.ts';
import { parameterCount } from '../nn/dense.ts';
import { isLayeredSpec, parseLayeredSpec, parseNetworkSpec } from '../nn/spec.ts';
import { referenceIds } from '../nn/reference.ts';
import { parseBounded, parseFlags } from './args.ts';
import { checkExportSize, checkLayeredWork, checkModelSize } from '../limits.ts';

const help = `usage: downhill export --model <id | description> --pytorch <file.py> [flags]

Writes a standalone PyTorch script: the same network in torch.nn, the same
weights and batch, and downhill's loss and gradient at those weights. Run it
with python3 (it needs PyTorch): it computes PyTorch's loss and gradient in
float64 on one thread, prints the worst relative difference and the parameter
where it is, and exits 1 if any exceeds ${EXPORT_TOLERANCE.toExponential()} (a gradient entry's difference is
taken against at least ${EXPORT_FLOOR.toExponential()} times the largest entry). Then train the network
at scale in PyTorch: the end of the script shows how.

  --model <m>        a reference model (${[...referenceIds, ...Object.keys(layeredReferences)].join(', ')})
                     or a description: dense, such as 2-3-1:tanh:sigmoid:mse, or with
                     images or sequences, such as
                     1x28x28-conv8x5-maxpool2-10:relu:softmax_ce (conv11738) or
                     16x32-attn-mean-4:softmax_ce (attn4228); the grammar is in
                     downhill help check
  --pytorch <file>   the script to write (a .py file); an existing file is
                     replaced only if downhill exported it
  --seed <n>         seed of a description's weights and data (default 42)
  --batch <n>        batch size of a description (default 8)
  --engine <e>       whose gradient to embed: scalar, matrix, or auto (default:
                     scalar up to 2,000 parameters, matrix above; matrix for
                     convolution and attention)

Example:
  downhill export --model iris67 --pytorch iris67.py && python3 iris67.py

Exit code: 0 when the script is written, 2 on bad input.`;

export async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    model: { type: 'string' }, pytorch: { type: 'string' }, seed: { type: 'string' }, batch: { type: 'string' },
    engine: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 0);
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  if (values.model === undefined) throw new DownhillError('--model is needed: a reference model such as xor9, or a description such as 2-3-1:tanh:sigmoid:mse');
  if (values.pytorch === undefined) throw new DownhillError('--pytorch is needed: the script to write, such as --pytorch model.py');
  const file = values.pytorch;
  if (!/\.py$/i.test(file)) throw new DownhillError(`--pytorch: "${visible(file)}" should end in .py`);
  const engineText = values.engine ?? 'auto';
  if (engineText !== 'auto' && engineText !== 'scalar' && engineText !== 'matrix') throw new DownhillError(`--engine must be scalar, matrix or auto, got "${visible(engineText)}"`);
  const text = values.model.trim();
  const isReference = (referenceIds as readonly string[]).includes(text) || Object.hasOwn(layeredReferences, text);
  if (isReference && (values.seed !== undefined || values.batch !== undefined)) {
    throw new DownhillError(`--seed and --batch go with a description: ${text} has its own weights and batch`);
  }
  const seed = values.seed === undefined ? undefined : parseBounded(values.seed, '--seed', { integer: true, min: 0, max: 2 ** 32 - 1 });
  const N = values.batch === undefined ? undefined : parseBounded(values.batch, '--batch', { integer: true, min: 1, max: 100_000 });
  // the size limits of check --model, for the engine that will run, and the script's size
  if (!isReference && /^\d/.test(text)) {
    if (isLayeredSpec(text)) {
      const spec = parseLayeredSpec(text);
      checkModelSize(text, '--model', engineText === 'auto' ? 'matrix' : engineText);
      checkLayeredWork(spec, N ?? 8);
      checkExportSize(spec.P, N ?? 8, spec.inputs + spec.outputs);
    } else {
      const spec = parseNetworkSpec(text);
      const P = parameterCount(spec.layers);
      checkModelSize(text, '--model', engineText === 'auto' ? engineFor(P) : engineText);
      checkExportSize(P, N ?? 8, spec.sizes[0]! + spec.sizes.at(-1)!);
    }
  }

  // where the script goes, before anything is computed
  await checkOutputFile(file, { mark: `#!/usr/bin/env python3\n${EXPORT_MARK}`, flag: '--pytorch' });

  const m = loadModel(text, { ...(seed === undefined ? {} : { seed }), ...(N === undefined ? {} : { N }) });
  const script = pytorchExport(m, { engine: engineText, file });
  await writeFileAtomic(file, script.text);
  process.stdout.write(`wrote ${visible(file)}: model ${visible(m.name)}, ${m.params.length.toLocaleString('en')} parameters, batch of ${m.N}, with downhill's loss ${script.loss} and gradient (${script.engine} engine)\n`);
  process.stdout.write(`run it with PyTorch installed: python3 ${visible(file)}\n`);
  return 0;
}
