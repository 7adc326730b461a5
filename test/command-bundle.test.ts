// The command runs its bundle (dist/command/, tools/build-command.ts): the same
// output as the unbundled modules of dist/src/, from a handful of files, and a
// lesson's 'downhill' is the bundle's own copy of the library (one module each).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/downhill.js');

/** A module hook that writes the URL of every file: module node loads to stderr, one line each. */
const hook = `export async function load(url, context, next) { if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n'); return next(url, context); }`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The package's ES modules loaded, as paths inside the package. */
  readonly loaded: readonly string[];
}

/** Runs node with `args`, hooked (`--import` of the hook above) when `hooked`. */
function run(args: readonly string[], cwd: string, hooked = false): Run {
  const r = spawnSync(process.execPath, [...(hooked ? ['--import', `data:text/javascript,${encodeURIComponent(register)}`] : []), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const loaded = [...r.stderr.matchAll(/^loaded (.*)$/gm)].map((m) => fileURLToPath(m[1]!.replace(/[?#].*$/, ''))).filter((f) => f.startsWith(root)).map((f) => f.slice(root.length).split('\\').join('/'));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^loaded .*\n/gm, ''), loaded };
}

/** The command from dist/src/, unbundled (what bin/downhill.js ran before the bundle). */
const unbundled = [
  '--input-type=module',
  '-e',
  `const { enableCompileCache } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/src/expr/compile-cache.js')).href)});
enableCompileCache();
const { main } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/src/cli.js')).href)});
process.exitCode = await main(process.argv.slice(1));`,
];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-bundle-'));
  // A lesson of the user's that refuses with the library's own DownhillError, and a helper.
  await writeFile(join(dir, 'helper.ts'), 'export const half = (x: number): number => x / 2;\n');
  await writeFile(join(dir, 'mine.ts'), [
    "import { defineLesson, parseExpression, toText } from 'downhill';",
    "import { centralDifference } from 'downhill/engine';",
    "import { half } from './helper.ts';",
    "export default defineLesson({ number: 1, name: 'mine', title: 'Mine', summary: 's', defaults: {} }, async (doc) => {",
    "  doc.code(`${toText(parseExpression('x^2 + y'))} and ${half(3)}; ${centralDifference((d) => (1 + d) ** 2, 1e-3).toFixed(3)}`);",
    '});',
    '',
  ].join('\n'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the command runs from its bundle, dist/command/', () => {
  test('lesson 4 prints byte for byte what the unbundled modules print, loading no module of dist/src/ and at most 20 of its own (106 from dist/src/ unbundled)', () => {
    const bundled = run([bin, 'lesson', '4', '--no-page'], dir, true);
    const plain = run([...unbundled, 'lesson', '4', '--no-page'], dir);
    expect(bundled.code).toBe(0);
    expect(bundled.stderr).toBe('');
    expect(bundled.stdout).toBe(plain.stdout);
    expect(plain.stdout).toMatch(/^Lesson 4: Backpropagation/);
    expect(bundled.loaded.filter((f) => f.startsWith('dist/src/'))).toEqual([]);
    expect(bundled.loaded.every((f) => f === 'bin/downhill.js' || f.startsWith('dist/command/'))).toBe(true);
    expect(bundled.loaded.length).toBeLessThanOrEqual(20);
  });

  test("a lesson of one's own gets the bundle's library through both doors, and its helper, with the output of the unbundled command", () => {
    const bundled = run([bin, 'lesson', './mine.ts', '--no-page'], dir, true);
    const plain = run([...unbundled, 'lesson', './mine.ts', '--no-page'], dir);
    expect(bundled.code).toBe(0);
    expect(bundled.stdout).toBe(plain.stdout);
    // x^2 + y, half of 3, and the central difference of x² at 1 (2 exactly, to 3 places).
    expect(bundled.stdout).toContain('1.5; 2.000');
    expect(bundled.loaded.filter((f) => f.startsWith('dist/src/'))).toEqual([]);
    expect(bundled.loaded).toEqual(expect.arrayContaining(['dist/command/index.js', 'dist/command/engine.js']));
  });

  test('a refusal from the library inside a command is told as one line, exit 2, as unbundled', () => {
    const bundled = run([bin, 'grad', 'x^^2'], dir);
    const plain = run([...unbundled, 'grad', 'x^^2'], dir);
    expect(bundled.code).toBe(2);
    expect(bundled.stderr).toBe(plain.stderr);
    expect(bundled.stderr.trim().split('\n')).toHaveLength(1);
  });
});
