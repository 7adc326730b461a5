/**
 * `npm run bench`: compiled symbolic gradients against hand-written
 * backpropagation and against mathjs, on the reference models.
 *
 *   npm run bench                          # all models: the table
 *   npm run bench -- --write               # ... and docs/benchmarks.md from this run
 *   npm run bench -- --model deep1249      # one model (never written to docs/benchmarks.md)
 *   npm run bench -- --model digits23860   # a scale model: the matrix engine (no mathjs run)
 *   npm run bench -- --model conv11738     # convolution or attention (attn4228): the matrix engine beside PyTorch
 *                                          # (float64, one thread, Debian's /usr/bin/python3 with python3-torch)
 *   npm run bench -- --layers --write      # conv11738 and attn4228 beside PyTorch, recorded in docs/benchmarks-layers.md
 *   npm run bench -- --model digits-lesson # the digits lesson's time per epoch only
 *   npm run bench -- --json                # the same figures as one JSON object
 *   npm run bench -- --mathjs-limit 5      # seconds before a mathjs run counts as "did not finish"
 *
 * Each model is measured in its own process (bench/measure.ts, with
 * --allow-natives-syntax to see when V8 has optimised the code, and
 * --expose-gc for the retained heap), then mathjs in another
 * (bench/mathjs-run.ts), killed past the limit. Processes run one at a time.
 * A busy machine (load average above cores − 1 at the start: less than one
 * idle core) gets a warning on stderr: its figures can be several times off.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBounded, parseFlags } from '../src/cli/args.ts';
import { DownhillError } from '../src/errors.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { keepSection, SITE_SECTION } from './sections.ts';
import { referenceIds, referenceModel } from '../src/nn/reference.ts';
import { isScaleId, scaleIds } from './scale.ts';
import type { DigitsEpochResult } from './digits-epoch.ts';
import type { ModelResult } from './measure.ts';
import type { MathjsResult } from './mathjs-run.ts';
import { layeredMarkdown, markdown, terminalTable, type BenchReport, type LayeredRow, type MathjsOutcome } from './report.ts';
import { isLayeredId, layeredIds } from './layered.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { busyMachineWarning, linearFit } from './stats.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** How a child process ended. */
type ChildEnd =
  | { readonly kind: 'ok'; readonly line: string; readonly seconds: number }
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'error'; readonly message: string; readonly outOfMemory: boolean; readonly seconds: number };

/** Runs a TypeScript file of bench/ in a fresh node (under `prefix`, e.g. taskset, if given), killed past the limit; its last stdout line. */
function runChild(script: string, args: readonly string[], nodeFlags: readonly string[], limitMs: number, prefix: readonly string[] = []): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const command = [...prefix, process.execPath, ...nodeFlags, '--import', 'tsx', join(root, 'bench', script), ...args];
    const child = spawn(command[0]!, command.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', timedOut = false;
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, limitMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      if (timedOut) return resolve({ kind: 'timeout', seconds });
      if (code !== 0) {
        const outOfMemory = /heap out of memory/i.test(err);
        const last = err.trim().split('\n').filter((l) => l.trim() !== '' && !/^\s*(at |\d+: 0x)/.test(l)).pop();
        return resolve({ kind: 'error', message: last ?? `exit code ${code ?? signal}`, outOfMemory, seconds });
      }
      resolve({ kind: 'ok', line: out.trim().split('\n').pop() ?? '', seconds });
    });
  });
}

async function measure(id: string): Promise<ModelResult> {
  const end = await runChild('measure.ts', [id], ['--allow-natives-syntax', '--expose-gc'], 10 * 60_000);
  switch (end.kind) {
    case 'ok': return JSON.parse(end.line) as ModelResult;
    case 'timeout': throw new DownhillError(`measuring ${id} took more than 10 minutes`);
    case 'error': throw new DownhillError(`measuring ${id} failed: ${end.message}`);
  }
}

/**
 * Both sides of the layered benchmark on one CPU: taskset -c 0 on the node
 * child, which its PyTorch child inherits (Linux with util-linux; otherwise
 * unpinned). On this 2-vCPU VM each vCPU has, now and then for tens of
 * seconds, a slow mode: any code, even a plain Float64Array loop with no
 * downhill code (a 64 KB a[i]*c + b[i] pass: 1434 µs on vCPU 0 against
 * 932-975 µs on either vCPU in the seconds around), takes ~1.5× the CPU time
 * (no steal time is reported by the guest, so a host's preemption counts as
 * the process's CPU time). Unpinned, node and python sit on different vCPUs,
 * and when only downhill's is slow, its loss and grad are both ~1.4× slower
 * for the whole process while PyTorch's stay put: attn4228 grad/PyTorch
 * 0.81, 1.56, 0.84, 0.88, 0.83, 1.22 in 6 runs alternated with 6 pinned
 * (both on vCPU 0 or both on 1): 0.82, 0.84, 0.79, 0.80, 0.83, 0.59 (the
 * last with both sides slow: downhill 1.5×, PyTorch 2.1×). Pinning does not
 * remove the slow mode; it makes both sides share it, round by round.
 * npm run bench -- --layers, grad/PyTorch (conv11738; attn4228), unpinned:
 * 1.08, 0.64, 0.89, 0.92; 0.82, 1.37, 0.80, 0.82; pinned: 0.87 ×5, 0.90;
 * 0.60, 0.82, 0.81, 0.81, 0.82, 0.81 (the 0.87 and 0.60 of the first pinned
 * run: both sides in the slow mode, grad 7.77 ms and 2.11 ms).
 */
const PIN_ONE_CPU: readonly string[] = process.platform === 'linux' && existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', '0'] : [];

/** A layered model measured in its own process, beside the same model in PyTorch, interleaved in time (bench/layered.ts), both on one CPU (PIN_ONE_CPU). */
async function layered(id: string, folder: string): Promise<LayeredRow> {
  const end = await runChild('layered.ts', [id, folder], ['--expose-gc', '--allow-natives-syntax'], 10 * 60_000, PIN_ONE_CPU);
  if (end.kind !== 'ok') throw new DownhillError(`measuring ${id} ${end.kind === 'timeout' ? 'took more than 10 minutes' : `failed: ${end.message}`}`);
  return JSON.parse(end.line) as LayeredRow;
}

async function digitsEpochs(): Promise<DigitsEpochResult> {
  const end = await runChild('digits-epoch.ts', [], [], 10 * 60_000);
  if (end.kind === 'ok') return JSON.parse(end.line) as DigitsEpochResult;
  throw new DownhillError(`timing the digits lesson's epochs ${end.kind === 'timeout' ? 'took more than 10 minutes' : `failed: ${end.message}`}`);
}

async function mathjs(id: string, limitS: number): Promise<MathjsOutcome> {
  const end = await runChild('mathjs-run.ts', [id], [], limitS * 1000);
  switch (end.kind) {
    case 'ok': return { status: 'ok', result: JSON.parse(end.line) as MathjsResult };
    case 'timeout': return { status: 'did not finish', limit_s: limitS };
    case 'error': return end.outOfMemory
      ? { status: 'out of memory', after_s: end.seconds }
      : { status: 'failed', error: end.message };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    model: { type: 'string' },
    json: { type: 'boolean' },
    write: { type: 'boolean' },
    layers: { type: 'boolean' },
    'mathjs-limit': { type: 'string' },
  }, 0);
  if (values.write && values.model !== undefined) throw new DownhillError('--write records every model (or, with --layers, conv11738 and attn4228): drop --model');
  if (values.layers && values.model !== undefined) throw new DownhillError('--layers runs conv11738 and attn4228: drop --model');
  const layeredOnly = (values.model !== undefined && isLayeredId(values.model)) || values.layers === true;
  const ids = layeredOnly ? [] : values.model === undefined ? [...referenceIds, ...scaleIds]
    : values.model === 'digits-lesson' || layeredOnly ? [] : [isScaleId(values.model) ? values.model : referenceModel(values.model).id];
  const layeredToRun = values.layers || values.model === undefined ? layeredIds : layeredOnly ? [values.model!] : [];
  const limitS = values['mathjs-limit'] === undefined ? 20 : parseBounded(values['mathjs-limit'], '--mathjs-limit', { min: 0, max: 3600, exclusiveMin: true });
  const log = (s: string): void => { if (!values.json) process.stderr.write(`${s}\n`); };

  const start = performance.now();
  const load0 = loadavg()[0]!;
  const busyWarning = busyMachineWarning('bench', load0);
  if (busyWarning) process.stderr.write(`${busyWarning}\n`);
  const measured: ModelResult[] = [];
  for (const id of ids) {
    log(`measuring ${id} ...`);
    measured.push(await measure(id));
  }
  const models: BenchReport['models'][number][] = [];
  for (const r of measured) {
    if (isScaleId(r.id)) { models.push({ ...r, mathjs: { status: 'not run', reason: 'too large for mathjs' } }); continue; }
    log(`mathjs on ${r.id} (limit ${limitS} s) ...`);
    models.push({ ...r, mathjs: await mathjs(r.id, limitS) });
  }
  const layeredRows: LayeredRow[] = [];
  if (layeredToRun.length > 0) {
    const folder = mkdtempSync(join(tmpdir(), 'downhill-bench-'));
    try {
      for (const id of layeredToRun) {
        log(`measuring ${id} and the same model in PyTorch (float64, one thread), interleaved ...`);
        layeredRows.push(await layered(id, folder));
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  // the digits lesson's time per epoch, with every model (or alone: --model digits-lesson)
  const withDigits = !values.layers && (values.model === undefined || values.model === 'digits-lesson');
  if (withDigits) log('timing the digits lesson\'s epochs ...');
  const digits = withDigits ? await digitsEpochs() : null;
  const scalar = models.filter((m) => m.engine === 'scalar');
  const fit = scalar.length >= 3 ? linearFit(scalar.map((m) => m.P), scalar.map((m) => m.build_ms)) : null;
  const report: BenchReport = {
    machine: {
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      node: process.versions.node,
      v8: process.versions.v8,
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      load: [load0, loadavg()[0]!],
    },
    models,
    layered: layeredRows,
    build_fit: fit && { slope_ms_per_param: fit.slope, intercept_ms: fit.intercept, r2: fit.r2 },
    digits_lesson: digits,
    duration_s: (performance.now() - start) / 1000,
  };

  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`\n${terminalTable(report)}\n`);
  if (values.write && values.layers) {
    await writeFileAtomic(join(root, 'docs', 'benchmarks-layers.md'), layeredMarkdown(report));
    log('wrote docs/benchmarks-layers.md');
  } else if (values.write) {
    // The live site's section is site/measure.ts's: kept as it was.
    const file = join(root, 'docs', 'benchmarks.md');
    const old = await readFile(file, 'utf8').catch(() => '');
    await writeFileAtomic(file, keepSection(markdown(report), old, SITE_SECTION));
    log('wrote docs/benchmarks.md');
  } else {
    log('docs/benchmarks.md left as it was (--write records this run there)');
  }
  if (busyWarning) process.stderr.write(`${busyWarning}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof DownhillError) {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      throw e;
    }
  },
);
