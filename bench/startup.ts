/**
 * `npm run bench:startup`: how long `downhill <command>` takes from the
 * command line, against `node -e 0` on the same machine (median of 5 runs
 * after one warm-up run, one process at a time, in rounds of node and every
 * command). A busy machine (less than one idle core) gets a warning on stderr.
 *
 *   npm run bench:startup                       # the built bin of this checkout
 *   npm run bench:startup -- --bin path/to/bin  # any other downhill bin (e.g. node_modules/.bin/downhill)
 *   npm run bench:startup -- --json
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBounded, parseFlags } from '../src/cli/args.ts';
import { busyMachineWarning, median } from './stats.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The commands timed: each prints its result and writes no file. */
export const startupCommands: readonly (readonly string[])[] = [
  ['--help'],
  ['grad', 'x^2', '--wrt', 'x', '--at', 'x=3'],
  ['lessons'],
  ['lesson', '4', '--no-page'],
  ['check', 'sin(x)*y', '--at', 'x=1,y=2'],
  ['graph', '(x + y)*x', '--at', 'x=1,y=2'],
];

/** Wall time in milliseconds of one run of `command`. */
function timeMs(command: readonly string[]): number {
  const start = performance.now();
  const r = spawnSync(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command.join(' ')} exited with ${r.status}: ${r.stderr.toString().trim().split('\n')[0]}`);
  return ms;
}

const { values } = parseFlags(process.argv.slice(2), { bin: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } }, 0);
const bin = values.bin ?? join(root, 'bin', 'downhill.js');
const runs = values.runs === undefined ? 5 : parseBounded(values.runs, '--runs', { integer: true, min: 1, max: 100 });
const load = loadavg()[0]!;
const warning = busyMachineWarning('bench:startup', load);
if (warning) process.stderr.write(`${warning}\n`);
// Rounds of `node -e 0` and every command, one warm-up round first: a change in the machine's
// load during the run then touches node and the commands alike, not one row.
const commands = [[process.execPath, '-e', '0'], ...startupCommands.map((args) => [bin, ...args])];
const times: number[][] = commands.map(() => []);
for (let round = 0; round <= runs; round++) {
  commands.forEach((command, i) => {
    const ms = timeMs(command);
    if (round > 0) times[i]!.push(ms);
  });
}
const [node, ...medians] = times.map(median) as [number, ...number[]];
const rows = startupCommands.map((args, i) => {
  const ms = medians[i]!;
  return { command: `downhill ${args.map((a) => (/[\s*^(]/.test(a) ? `"${a}"` : a)).join(' ')}`, ms, ratio: ms / node };
});
if (values.json) {
  process.stdout.write(`${JSON.stringify({ bin, runs, load, node_ms: node, commands: rows }, null, 2)}\n`);
} else {
  const width = Math.max(...rows.map((r) => r.command.length));
  process.stdout.write(`median of ${runs} runs; load ${load.toFixed(2)}; node -e 0: ${node.toFixed(0)} ms\n`);
  for (const r of rows) process.stdout.write(`${r.command.padEnd(width)}  ${r.ms.toFixed(0).padStart(5)} ms  ${r.ratio.toFixed(1)}× node\n`);
}
