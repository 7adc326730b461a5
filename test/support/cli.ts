/** Runs the `downhill` command as a user would, and collects what it prints. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/downhill.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; timeout?: number; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    ...(options.input === undefined ? {} : { input: options.input }),
    cwd: options.cwd ?? process.cwd(),
    timeout: options.timeout ?? 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * What `downhill <args>` prints, from the command's own function (src/cli.ts
 * `command`: `main` without the process's handlers for closed pipes and
 * signals, which would stay in this worker for the files after it) in this process: for a test that compares another face (a page in
 * the browser) with the command's output, without starting node again
 * (0.3–0.4 s of CPU a spawn). The command's behaviour as a process (its exit
 * code, its streams, bin/downhill.js on the build) is runCli's to test.
 * As runCli: both streams piped (not a terminal: 80 columns, no colour;
 * NO_COLOR too), stdout and stderr apart.
 */
export async function commandOutput(args: readonly string[]): Promise<CliResult> {
  // The command without the process's own handlers (closed pipes, signals): they would stay in this shared worker.
  const { command } = await import('../../src/cli.ts');
  let stdout = '';
  let stderr = '';
  const write = { out: process.stdout.write, err: process.stderr.write };
  const tty = { out: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'), err: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY') };
  const noColor = process.env['NO_COLOR'];
  process.env['NO_COLOR'] = '1';
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true, writable: true });
  Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true, writable: true });
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    const code = await command(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    for (const [stream, was] of [[process.stdout, tty.out], [process.stderr, tty.err]] as const) {
      if (was === undefined) delete (stream as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(stream, 'isTTY', was);
    }
    if (noColor === undefined) delete process.env['NO_COLOR'];
    else process.env['NO_COLOR'] = noColor;
  }
}
