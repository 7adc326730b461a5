/**
 * A failure while loading or running a lesson, told as the lesson's own
 * when it is: `my-lesson.ts:12:9: boom` and the line with a caret under
 * the column (a code frame), exit 1. What is not the lesson's (no frame of
 * the stack in a lesson's files: the lesson and the local files it imports,
 * import.ts's importedFiles) is returned as it was.
 *
 *   failure                                  where it points
 *   amaro cannot strip a .ts file            the place amaro names (file, line, column)
 *   node cannot compile a lesson's file      the place amaro, then `node --check`, finds in it
 *   an import the module does not have       the place node names (its stack's first line)
 *   anything thrown while the lesson runs    the lesson's frame nearest the throw
 *     (a DownhillError from downhill's
 *     functions too: the call that was refused)
 * A TypeError or the like raised inside downhill's own code under a lesson's
 * call also says that it may be downhill's bug, and where to report it.
 *
 *   try { await runLesson(lesson) } catch (e) { throw lessonFailure(e) }
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DownhillError, LessonError } from '../errors.ts';
import { importedFiles, selfFolder } from './import.ts';

/**
 * How to report a bug in downhill: at package.json's bugs.url when the
 * package names one, else to its maintainers with the command and the
 * message. The address is written in one place, package.json; none is
 * written until the project has a public home (a made-up one sends a
 * learner's report nowhere).
 */
export function reportHow(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', selfFolder()), 'utf8')) as { version: string; bugs?: { url?: string } };
  const url = pkg.bugs?.url;
  return url !== undefined && url !== '' ? `please report it at ${url}` : `please report it (downhill ${pkg.version}) with the command you ran and this message`;
}

interface Place {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A path as the user would type it: relative to the working folder when inside it. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : file;
}

/**
 * The code frame of a place: up to two lines before it, the line itself
 * marked with '>', a caret under the column (1-based; tabs kept so the caret
 * lines up), and one line after.
 */
export function codeFrame(source: string, line: number, column: number): string {
  const lines = source.replace(/\r?\n$/, '').split(/\r?\n/);
  if (line < 1 || line > lines.length) return '';
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1]!;
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`.trimEnd());
    if (n === line) {
      const lead = text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${lead}^`);
    }
  }
  return out.join('\n');
}

function frameOf(place: Place): string {
  try {
    return codeFrame(readFileSync(place.file, 'utf8'), place.line, place.column);
  } catch {
    return '';
  }
}

const at = (place: Place, what: string): LessonError => new LessonError(`${shown(place.file)}:${place.line}:${place.column}: ${what}`, frameOf(place));

/** A path or file: URL (without its ?version=N) as a path. */
function pathOf(where: string): string {
  const bare = where.replace(/[?#][^:]*$/, '');
  return bare.startsWith('file:') ? fileURLToPath(bare) : bare;
}

/** Whose a file is: node's, a lesson's (a file of a lesson's module graph), downhill's own, or another's (a dependency, the caller). */
function owner(file: string, lessons: ReadonlySet<string>): 'node' | 'lesson' | 'downhill' | 'other' {
  if (!file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(file)) return 'node';
  if (lessons.has(file)) return 'lesson';
  return file.startsWith(fileURLToPath(selfFolder())) && !/[\\/]node_modules[\\/]/.test(file) ? 'downhill' : 'other';
}

/** The places of a stack, top first: `at f (file:///x.ts?version=2:12:9)`, `at /x.ts:12:9`. */
export function stackPlaces(stack: string): Place[] {
  const places: Place[] = [];
  for (const m of stack.matchAll(/^\s+at (?:.*?\()?((?:file:\/\/|node:|\/|[A-Za-z]:[\\/])[^()\s]*?):(\d+):(\d+)\)?$/gm)) {
    places.push({ file: m[1]!.startsWith('node:') ? m[1]! : pathOf(m[1]!), line: Number(m[2]), column: Number(m[3]) });
  }
  return places;
}

/** amaro's report (`x Expression expected` over a frame whose caret line follows `12 | code`): its text, line and column. */
export function amaroPlace(report: string): { what: string; line: number; column: number } | undefined {
  const what = /^\s*x (.+)$/m.exec(report)?.[1]?.trim();
  const lines = report.split('\n');
  for (let k = 1; k < lines.length; k++) {
    const caret = /^(\s*):(\s*)\^/.exec(lines[k]!);
    const code = /^\s*(\d+) \| /.exec(lines[k - 1]!);
    if (caret && code && what !== undefined) {
      const bar = lines[k - 1]!.indexOf('|');
      return { what, line: Number(code[1]), column: lines[k]!.indexOf('^') - bar - 1 };
    }
  }
  return undefined;
}

let amaro: { transformSync(source: string, options: object): { code: string } } | undefined;

/**
 * The syntax error in a file, if any: amaro's parse first (JavaScript parses
 * as TypeScript), then node's own check of the stripped text (`node --check`,
 * which also finds what only the compiler refuses, such as a name declared
 * twice; stripping keeps every line and column).
 */
function parseError(file: string): { what: string; line: number; column: number } | undefined {
  let code: string;
  try {
    amaro ??= createRequire(import.meta.url)('amaro') as typeof amaro;
    code = amaro!.transformSync(readFileSync(file, 'utf8'), { mode: 'strip-only', filename: file }).code;
  } catch (e) {
    return typeof e === 'string' ? amaroPlace(e) : undefined;
  }
  // node:child_process only here, for a lesson that failed to load: a lesson that runs does not load it.
  const { spawnSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], { input: code, encoding: 'utf8', timeout: 20_000 });
  const at = /^\[stdin\]:(\d+)\n[^\n]*\n( *)\^[^]*?^SyntaxError: (.*)$/m.exec(check.stderr ?? '');
  return check.status !== 0 && at ? { what: at[3]!, line: Number(at[1]), column: at[2]!.length + 1 } : undefined;
}

/** The lesson's own failure, or `e` itself when the lesson's files are not where it happened. */
export function lessonFailure(e: unknown): unknown {
  if (e instanceof LessonError || !(e instanceof Error)) return e;
  const stack = e.stack ?? '';
  const lessons = new Set(importedFiles());
  const error = e as Error & { downhillFile?: string; downhillStrip?: boolean };
  if (error.downhillStrip === true && error.downhillFile !== undefined) {
    const file = pathOf(error.downhillFile);
    const place = amaroPlace(e.message);
    if (place !== undefined) return at({ file, line: place.line, column: place.column }, `syntax error: ${place.what}`);
    return new LessonError(`${shown(file)}: ${e.message.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'cannot be read'}`, '');
  }
  // From source, tsx (esbuild) reports a file it cannot compile as "Transform failed with 1 error:\n/x.ts:3:10: ERROR: …".
  const esbuild = /^Transform failed[^\n]*\n(\/[^\n]*?):(\d+):(\d+): ERROR: (.*)$/m.exec(e.message);
  if (esbuild) return at({ file: esbuild[1]!, line: Number(esbuild[2]), column: Number(esbuild[3]) + 1 }, `syntax error: ${esbuild[4]}`);
  if (e instanceof SyntaxError) {
    // Node's own report of a module that does not link: "file:///x.ts:3\n<the line>\n   ^^^^\nSyntaxError: …".
    const head = /^(file:\/\/[^\n]*?):(\d+)\n([^\n]*)\n( *)\^/.exec(stack);
    if (head) {
      const what = e.message.replace(/^The requested module '([^']+)' does not provide an export named '([^']+)'$/, "'$1' has no export named '$2'");
      return at({ file: pathOf(head[1]!), line: Number(head[2]), column: head[4]!.length + 1 }, what);
    }
    if (stackPlaces(stack).every((p) => owner(p.file, lessons) === 'node')) {
      // A parse error in an imported .js file: node does not say where; amaro reads each of the lesson's files to find it.
      for (const file of importedFiles().reverse()) {
        const place = parseError(file);
        if (place !== undefined) return at({ file, line: place.line, column: place.column }, `syntax error: ${place.what}`);
      }
    }
  }
  const places = stackPlaces(stack).filter((p) => owner(p.file, lessons) !== 'node');
  const mine = places.find((p) => owner(p.file, lessons) === 'lesson');
  if (mine === undefined) return e;
  const what = e instanceof DownhillError || e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
  const inside = !(e instanceof DownhillError) && places[0] !== mine && places[0] !== undefined && owner(places[0].file, lessons) === 'downhill';
  return at(mine, `${what.split('\n')[0]}${inside ? ` (raised inside downhill: if this call is right, it is a bug in downhill; ${reportHow()})` : ''}`);
}
