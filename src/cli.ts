/**
 * The `downhill` command: a table of subcommands, each with its one-line
 * summary (for --help) and its module src/cli/<name>.ts exporting
 * `run(argv)`. Bad input (a DownhillError) prints one line on stderr and
 * exits with code 2; a failed check exits with 1.
 */
import { DownhillError, LessonError, visible } from './errors.ts';
import { fileSystemError, removeTempFilesOnSignals } from './io/atomic.ts';
import { readFileSync } from 'node:fs';
import { didYouMean } from './cli/suggest.ts';

export interface Command {
  /** Runs the subcommand; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

const commands: Record<string, { readonly summary: string; readonly load: () => Promise<Command> }> = {
  grad: { summary: 'exact partial derivatives of an expression, and their values at a point', load: () => import('./cli/grad.ts') },
  graph: { summary: 'draw the computational graph of an expression, or a network diagram (SVG or a text outline)', load: () => import('./cli/graph.ts') },
  docs: { summary: 'write the derivative formula reference (Markdown and HTML), every formula checked', load: () => import('./cli/docs.ts') },
  check: { summary: 'exact gradients against finite differences; hand-derived derivatives; step sweeps; whole networks', load: () => import('./cli/check.ts') },
  lesson: { summary: 'run a lesson: the story in the terminal, and its HTML page', load: () => import('./cli/lesson.ts') },
  lessons: { summary: 'list the lessons, or write all their pages with --html <folder>', load: () => import('./cli/lessons.ts') },
  practice: { summary: 'practise a lesson: derive, compute, predict; the engine grades each answer and hints', load: () => import('./cli/practice.ts') },
  export: { summary: "write a network as a standalone PyTorch script that checks downhill's gradient against PyTorch's", load: () => import('./cli/export.ts') },
  new: { summary: 'write a new lesson file from a commented template: downhill new lesson <name>', load: () => import('./cli/new.ts') },
};

/** The package's package.json (../package.json from src/, ../../ from dist/src/). */
function manifest(): { version: string } {
  const up = import.meta.url.endsWith('.ts') ? '../package.json' : '../../package.json';
  return JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { version: string };
}

/** The package's version, from its package.json. */
function version(): string {
  return manifest().version;
}

function usage(): string {
  return [
    'usage: downhill <command> [flags]',
    '',
    'commands:',
    ...Object.entries(commands).map(([c, { summary }]) => `  ${c.padEnd(8)} ${summary}`),
    '',
    'Run "downhill help <command>" (or "downhill <command> --help") for its flags;',
    '"downhill --version" prints the version.',
  ].join('\n');
}

/**
 * A reader that stops early (`downhill lessons | head -3`) closes the pipe:
 * that ends the output quietly instead of with a stack trace.
 */
let pipesWatched = false;
function quietOnClosedPipe(): void {
  if (pipesWatched) return;
  pipesWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw e;
    });
  }
}

/** The command as a process runs it: the handlers a process needs (a closed pipe, signals), then the command. */
export async function main(argv: readonly string[]): Promise<number> {
  quietOnClosedPipe();
  removeTempFilesOnSignals();
  return command(argv);
}

/** The command itself, without the process's handlers (the tests call it in their own process: test/support/cli.ts). */
export async function command(argv: readonly string[]): Promise<number> {
  let [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (name === 'help' && rest.length > 0) {
    // `downhill help grad` is `downhill grad --help`.
    [name, rest] = [rest[0]!, ['--help']];
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name]!.load : undefined;
  if (!load) {
    const known = Object.keys(commands);
    process.stderr.write(`downhill: unknown command "${visible(name)}"${didYouMean(name, known)} (known: ${known.join(', ')})\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command.run(rest);
  } catch (caught) {
    // A file-system failure the command did not name itself (a full disk, /proc) is still bad input, not a bug.
    const e = fileSystemError(caught, '');
    if (e instanceof LessonError) {
      // A mistake in a lesson file: its place, then the line with a caret under it.
      process.stderr.write(`downhill ${name}: ${e.message}\n${e.frame === '' ? '' : `${e.frame.split('\n').map(visible).join('\n')}\n`}`);
      return e.exitCode;
    }
    if (e instanceof DownhillError) {
      process.stderr.write(`downhill ${name}: ${e.message}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    const { reportHow } = await import('./lesson/failure.ts');
    process.stderr.write(`downhill ${name}: internal error: ${visible(message.split('\n')[0]!)}: a bug in downhill, ${reportHow()} (set DOWNHILL_DEBUG=1 for details)\n`);
    if (process.env['DOWNHILL_DEBUG']) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    return 70;
  }
}

// `tsx src/cli.ts ...` (npm start, npm run docs); bin/downhill.js calls main itself.
if (process.argv[1] !== undefined && /(?:^|[\\/])src[\\/]cli\.ts$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
