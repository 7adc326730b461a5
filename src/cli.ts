/**
 * The `downhill` command: a table of subcommands, each in src/cli/<name>.ts
 * with `summary` and `run(argv)`. Bad input (a DownhillError) prints one
 * line on stderr and exits with code 2; a failed check exits with 1.
 */
import { DownhillError } from './errors.ts';

export interface Command {
  readonly summary: string;
  /** Runs the subcommand; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  grad: () => import('./cli/grad.ts'),
  graph: () => import('./cli/graph.ts'),
  docs: () => import('./cli/docs.ts'),
  check: () => import('./cli/check.ts'),
  lesson: () => import('./cli/lesson.ts'),
  lessons: () => import('./cli/lessons.ts'),
};

function usage(): string {
  return [
    'usage: downhill <command> [flags]',
    '',
    'commands:',
    ...Object.keys(commands).map((c) => `  ${c}`),
    '',
    'Run "downhill <command> --help" for its flags.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`downhill: unknown command "${name}" (known: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command.run(rest);
  } catch (e) {
    if (e instanceof DownhillError) {
      process.stderr.write(`downhill ${name}: ${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`downhill ${name}: internal error: ${message.split('\n')[0]} (set DOWNHILL_DEBUG=1 for details)\n`);
    if (process.env['DOWNHILL_DEBUG']) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    return 70;
  }
}

// `tsx src/cli.ts ...` (npm start, npm run docs); bin/downhill.js calls main itself.
if (process.argv[1] !== undefined && /(?:^|[\\/])src[\\/]cli\.ts$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
