/**
 * Runs exported PyTorch scripts with Debian's python3-torch (/usr/bin/python3:
 * the python3 first on PATH may be another one, without torch). Several
 * scripts run in one python process, since importing torch takes seconds.
 */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export interface ScriptRun {
  readonly file: string;
  /** The script's exit code (0 when it returned normally). */
  readonly code: number;
  readonly stdout: string;
  /** The message it exited with (raise SystemExit('...')), or ''. */
  readonly message: string;
}

/** The driver: runs each file as __main__ (its folder first on sys.path), captures its output and its exit code, prints one JSON list. */
const driver = `
import contextlib, io, json, os, runpy, sys
runs = []
for f in sys.argv[1:]:
    out = io.StringIO()
    code, message = 0, ''
    sys.path.insert(0, os.path.dirname(os.path.abspath(f)))  # as python3 file.py: imports beside the file
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(f, run_name='__main__')
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        message = e.code if isinstance(e.code, str) else ''
    runs.append({'file': f, 'code': code, 'stdout': out.getvalue(), 'message': message})
print(json.dumps(runs))
`;

/** Runs the scripts in one python process; throws with python's stderr when the driver itself fails (no torch, say). */
export function runScripts(files: readonly string[], timeout = 120_000): ScriptRun[] {
  const r = spawnSync(PYTHON, ['-c', driver, ...files], { encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${PYTHON} failed (status ${r.status}, ${r.error?.message ?? ''}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as ScriptRun[];
}

/** Runs a Python snippet; returns its stdout, or throws with its stderr. */
export function runPython(code: string, timeout = 120_000): string {
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${PYTHON} failed (status ${r.status}, ${r.error?.message ?? ''}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}
