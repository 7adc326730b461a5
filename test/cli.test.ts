// The `downhill` command's conventions: --version, help <command>, did you mean.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runCli } from './support/cli.ts';

describe('downhill', () => {
  test('--version prints the version in package.json', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  test('"help <command>" prints that command\'s help, the same as "<command> --help"', () => {
    const help = runCli(['help', 'grad']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: downhill grad/);
    expect(help.stdout).toBe(runCli(['grad', '--help']).stdout);
  });

  test('a mistyped command or flag gets the one meant, on one line, exit 2', () => {
    const command = runCli(['lesons']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^downhill: unknown command "lesons" \(did you mean "lessons"\?\)[^\n]*\n$/);
    const flag = runCli(['grad', 'x^2', '--wtr', 'x']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^downhill grad: unknown flag --wtr \(did you mean --wrt\?\)[^\n]*\n$/);
    expect(runCli(['help', 'grda']).stderr).toMatch(/did you mean "grad"/);
  });
});
