/**
 * Flag parsing for the `downhill` subcommands: node's `util.parseArgs` in
 * strict mode, with its errors turned into one-line DownhillErrors. Light:
 * no parser of expressions (args.ts has the parsers of values), so that a
 * command that reads no number (`downhill lessons`) starts without mathjs.
 *
 *   const { values, positionals } = parseFlags(argv, { wrt: { type: 'string' }, json: { type: 'boolean' } })
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DownhillError } from '../errors.ts';
import { closest } from './suggest.ts';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** What parseFlags returns: the flags' values and the positionals. */
export type ParsedFlags<O extends FlagSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** A token that looks like a flag (--name, --name=value, -h), not like a value such as -1 or -x^2. */
const flagShaped = (a: string): boolean => /^--?[A-Za-z][\w-]*(=[^]*)?$/.test(a);

/**
 * Sorts argv into flags (string flags joined with their value, --lr=-1) and
 * positionals (after a "--"), so that values and expressions starting with
 * "-" (--lr -1, grad "-x^2") are read as values, not as unknown flags.
 */
function normalizeArgv(argv: readonly string[], options: FlagSpec): string[] {
  const flags: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!flagShaped(a)) {
      positionals.push(a);
      continue;
    }
    const name = /^--([\w-]+)$/.exec(a)?.[1];
    const next = argv[i + 1];
    const spec = name !== undefined && Object.hasOwn(options, name) ? options[name] : undefined;
    if (spec?.type === 'string' && next !== undefined && next !== '--' && !flagShaped(next)) {
      flags.push(`${a}=${next}`);
      i++;
    } else {
      flags.push(a);
    }
  }
  return [...flags, '--', ...positionals];
}

/**
 * Parses flags strictly; an unknown flag or a missing value is a DownhillError.
 * Values may start with "-": `--lr -1` and `grad "-x^2"` work.
 *
 *   parseFlags(['-x^2', '--wrt', 'x'], { wrt: { type: 'string' } }, 1)   // positionals ['-x^2'], values.wrt 'x'
 */
export function parseFlags<O extends FlagSpec>(argv: readonly string[], options: O, maxPositionals = Infinity): ParsedFlags<O> {
  let parsed: ParsedFlags<O>;
  try {
    parsed = parseArgs({ args: normalizeArgv(argv, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) {
      const known = Object.keys(options).map((k) => `--${k}`).join(', ');
      const hint = /^-[^-]/.test(unknown[1]!) && maxPositionals > 0 ? '; an expression starting with "-" goes after --, as in -- "-x"' : '';
      const near = closest(unknown[1]!.replace(/^-+/, ''), Object.keys(options));
      const meant = near === undefined ? '' : ` (did you mean --${near}?)`;
      throw new DownhillError(`unknown flag ${unknown[1]}${meant} (known: ${known || 'none'})${hint}`);
    }
    const missing = /Option '([^']+?)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(message);
    if (missing) throw new DownhillError(`flag ${missing[1]!.replace(/^-\w, /, '')} needs a value`);
    const noValue = /Option '(?:-\w, )?([^']+)' does not take an argument/.exec(message);
    if (noValue) throw new DownhillError(`flag ${noValue[1]} takes no value`);
    throw new DownhillError(message.split('\n')[0]!.replace(/\.\s*To specify.*$/, ''));
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new DownhillError(`unexpected argument "${parsed.positionals[maxPositionals]}"${maxPositionals === 1 ? ' (quote the expression: "x^2 + y")' : ''}`);
  }
  return parsed;
}
