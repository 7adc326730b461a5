// The browser tests compare a page with what `downhill` prints, taken from the
// command's own function in the test's process (support/cli.ts commandOutput)
// rather than from a new node process each time. Here: the two agree, exit
// code, stdout and stderr, character for character, on a report, a refusal
// and a lesson.
import { expect, test } from 'vitest';
import { commandOutput, runCli } from './support/cli.ts';

test.each([
  [['grad', 'sin(w*x)^2 + w*b/(1 + exp(-b))', '--wrt', 'w,b', '--at', 'w=0.5,x=1,b=0.5']],
  [['grad', '(w*x']],
  [['lesson', '3', '--lr', '0', '--no-page']],
  [['lesson', '4', '--no-page']],
])('downhill %j in this process prints what the command prints', async (args) => {
  const spawned = runCli(args);
  const inProcess = await commandOutput(args);
  expect(inProcess).toEqual(spawned);
  expect(spawned.stdout + spawned.stderr).not.toBe('');
});
