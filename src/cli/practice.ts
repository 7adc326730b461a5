/**
 * `downhill practice [<lesson | name | file>] [--answers <file>] [--variant <id>] [--key] [--reveal] [--json] [--print <file>]`
 *
 * Without a set: the list of practice sets (lessons/practice/NN-name.ts).
 * With one: the set in the terminal, one item after another: the prompt,
 * an answer per line (on a terminal, "you typed: …" read back in Unicode),
 * the verdict with the kind of mistake, retries until right; `hint` shows
 * where the mistake is, `reveal` the answer (only with --reveal), `skip`
 * moves on. Piped input is read the same way, one line at a time. The score
 * and the report (attempts, hints used, verdict per item) come at the end.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { DownhillError, visible } from '../errors.ts';
import { lessonFailure } from '../lesson/failure.ts';
import { answerText, gradeAnswer, itemsOf, prepareItem, promptText, warmUp, type PracticeItem, type PracticeSet, type PreparedItem, type Verdict } from '../practice/practice.ts';
import { practiceDocument } from '../practice/document.ts';
import { proseText, wrap } from '../render/terminal.ts';
import { documentHtml } from '../render/html.ts';
import { documentMarkdown } from '../render/markdown.ts';
import { writePages } from '../render/page.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { parseFlags } from './args.ts';
import { roundedNumber } from '../expr/number.ts';
import { allSets, findSet } from '../lesson/practice-sets.ts';

export { allSets, findSet };

const help = `usage: downhill practice                       list the practice sets
       downhill practice <lesson | name | file>  practise: answer, get a verdict and hints, retry

  --answers <file>  grade a file of answers, one line per item in order (blank: no answer)
  --variant <id>    a seeded variant: other numbers, the same skills (any id, e.g. a student's name)
  --key             print the answer key (for a teacher)
  --reveal          allow "reveal" (the answer) during practice
  --json            the report (or the list) as one JSON object
  --print <file>    write a printable page of the set without answers (.html or .md)

While practising, type an answer in mathjs syntax (2*x*(w*x - y), sigmoid(z)),
"hint" for where the mistake is, "reveal" for the answer (with --reveal), or
"skip". Piped input is read one line at a time the same way.`;

/** What happened to one item. */
export interface ItemReport {
  id: string;
  kind: PracticeItem['kind'];
  attempts: number;
  /** The highest hint level shown (1 comes with every wrong answer). */
  hintsUsed: number;
  revealed: boolean;
  correct: boolean;
  verdict: string;
  answers: string[];
  /** How the last verdict was reached (points, tolerance). */
  method?: string;
  run?: Verdict['run'];
}

const out = (text: string): void => {
  process.stdout.write(text);
};

function feedback(v: Verdict, tty: boolean): string {
  const lines: string[] = [];
  if (tty && v.typed) lines.push(`  you typed: ${v.typed.shown}`);
  if (v.run) lines.push(`  you said ${roundedNumber(v.run.said, 6)}; the run: ${roundedNumber(v.run.value, 6)} (${v.run.report})`);
  lines.push(`  ${v.correct ? '✔' : '✘'} ${proseText(v.hints[0])}`);
  if (v.kind !== 'unreadable' && v.kind !== 'unknown-name' && (v.typed || v.method.startsWith('evaluated'))) lines.push(`    (${v.method})`);
  if (!v.correct && !v.run) lines.push('    ("hint" for where the mistake is, "skip" to move on)');
  return `${lines.join('\n')}\n`;
}

function summary(set: PracticeSet, reports: readonly ItemReport[], variantId: string | undefined): object {
  return {
    set: set.name, lesson: set.lesson, title: set.title, ...(variantId === undefined ? {} : { variant: variantId }),
    score: reports.filter((r) => r.correct).length, total: reports.length, items: reports,
  };
}

export function reportText(reports: readonly ItemReport[]): string {
  const rows = reports.map((r, i) => `  ${String(i + 1).padStart(2)}. ${r.id.padEnd(22)} ${r.correct ? 'right' : r.revealed ? 'revealed' : r.attempts === 0 ? 'not answered' : 'not yet'}   ${r.attempts} ${r.attempts === 1 ? 'attempt' : 'attempts'}, hints up to level ${r.hintsUsed}`);
  return `\nscore: ${reports.filter((r) => r.correct).length} of ${reports.length}\n${rows.join('\n')}\n`;
}

/** A report per item, before any answer. */
export function emptyReports(items: readonly PracticeItem[]): ItemReport[] {
  return items.map((item) => ({ id: item.id, kind: item.kind, attempts: 0, hintsUsed: 0, revealed: false, correct: false, verdict: 'not answered', answers: [] }));
}

export async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    answers: { type: 'string' }, variant: { type: 'string' }, key: { type: 'boolean' }, reveal: { type: 'boolean' },
    json: { type: 'boolean' }, print: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 1);
  if (values.help) {
    out(`${help}\n`);
    return 0;
  }
  const variantId = values.variant;
  if (variantId !== undefined && !/^[\p{L}\p{N}_.-]{1,64}$/u.test(variantId)) throw new DownhillError(`--variant: "${visible(variantId)}" should be 1 to 64 letters, digits, '_', '.' or '-'`);
  const which = positionals[0];
  if (which === undefined) {
    for (const k of ['answers', 'variant', 'key', 'reveal', 'print'] as const) if (values[k] !== undefined) throw new DownhillError(`--${k} needs a set: downhill practice 4 --${k}${k === 'key' || k === 'reveal' ? '' : ' …'}`);
    const sets = await allSets();
    const list = sets.map((s) => ({ lesson: s.lesson, name: s.name, title: s.title, items: itemsOf(s).length }));
    out(values.json ? `${JSON.stringify({ sets: list }, null, 2)}\n` : `${list.map((s) => `${String(s.lesson).padStart(2)}  ${s.name.padEnd(14)} ${s.title} (${s.items} exercises)`).join('\n')}\n`);
    return 0;
  }
  if (values.answers !== undefined && values.key) throw new DownhillError('--answers and --key: give one of them');
  const set = await findSet(which);
  let items: readonly PracticeItem[];
  try {
    items = itemsOf(set, variantId);
  } catch (e) {
    throw lessonFailure(e); // a throw in the set's own code points at its line
  }

  if (values.print !== undefined) {
    const file = values.print;
    if (!/\.(html?|md)$/i.test(file)) throw new DownhillError(`--print: "${visible(file)}" should end in .html or .md`);
    const doc = practiceDocument(set, items, variantId);
    if (/\.md$/i.test(file)) await writeFileAtomic(resolve(file), documentMarkdown(doc));
    else await writePages(dirname(resolve(file)), [{ file: basename(file), html: documentHtml(doc) }]);
    out(`printable page of ${items.length} exercises written to ${file}\n`);
    return 0;
  }

  const prepared: PreparedItem[] = items.map(prepareItem);
  if (values.key) {
    const key = prepared.map((p) => ({ id: p.item.id, answer: answerText(p) }));
    out(values.json ? `${JSON.stringify({ set: set.name, ...(variantId === undefined ? {} : { variant: variantId }), key }, null, 2)}\n` : `${key.map((k, i) => `${i + 1}. ${k.id}: ${k.answer}`).join('\n')}\n`);
    return 0;
  }
  const reports = emptyReports(items);

  if (values.answers !== undefined) {
    const text = await readFile(values.answers, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new DownhillError(`--answers: cannot read ${values.answers}${e.code === 'ENOENT' ? ': no such file' : `: ${e.code ?? e.message}`}`);
    });
    const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    if (lines.length > items.length) throw new DownhillError(`--answers: ${lines.length} lines for ${items.length} exercises (one line per exercise, in order)`);
    for (const [i, p] of prepared.entries()) {
      const line = lines[i]?.trim() ?? '';
      if (line === '') continue;
      const v = gradeAnswer(p, line);
      Object.assign(reports[i]!, { attempts: 1, hintsUsed: v.correct ? 0 : 1, correct: v.correct, verdict: v.correct ? 'right' : v.hints[0], answers: [line], method: v.method, ...(v.run ? { run: v.run } : {}) });
    }
    out(values.json ? `${JSON.stringify(summary(set, reports, variantId), null, 2)}\n` : `${set.title}${reportText(reports)}${reports.map((r, i) => (r.correct || r.attempts === 0 ? '' : `  ${i + 1}. ${r.verdict}\n`)).join('')}`);
    return 0;
  }

  // Interactive (or piped): one line at a time.
  const tty = process.stdin.isTTY === true;
  // node:readline only here: the command's bundle holds this module beside the lessons', which do not load it (tools/build-command.ts).
  const { createInterface } = createRequire(import.meta.url)('node:readline') as typeof import('node:readline');
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    const quiet = values.json === true;
    await practise(set, prepared, reports, { lines: rl[Symbol.asyncIterator](), write: (t) => { if (!quiet) out(t); }, tty, reveal: values.reveal === true, variantId });
  } finally {
    rl.close();
  }
  out(values.json ? `${JSON.stringify(summary(set, reports, variantId), null, 2)}\n` : reportText(reports));
  return 0;
}

/** Where a session reads its lines and writes its text. */
export interface SessionIo {
  readonly lines: AsyncIterator<string>;
  readonly write: (text: string) => void;
  /** On a terminal the typed formula is read back ("you typed: …"); piped input is echoed instead. */
  readonly tty: boolean;
  readonly reveal: boolean;
  readonly variantId?: string | undefined;
}

/**
 * The session: each item's prompt, then lines until it is right, skipped,
 * revealed, or (a prediction) answered once. Fills in `reports`.
 */
export async function practise(set: PracticeSet, prepared: readonly PreparedItem[], reports: ItemReport[], io: SessionIo): Promise<void> {
  const say = io.write;
  warmUp(prepared);
  say(`${set.title}: ${prepared.length} exercises${io.variantId === undefined ? '' : ` (variant ${io.variantId})`}\n`);
  for (const [i, p] of prepared.entries()) {
    const r = reports[i]!;
    say(`\n${i + 1}. ${wrap(proseText(promptText(p.item)), 78)}\n`);
    let last: Verdict | undefined;
    for (;;) {
      say('> ');
      const next = await io.lines.next();
      if (next.done) {
        say('\n');
        return;
      }
      const line = next.value.trim();
      if (!io.tty) say(`${line}\n`);
      if (line === 'skip' || line === '') break;
      if (line === 'hint' || line === '?') {
        if (last === undefined || last.correct) say('  answer first: the hint is about your answer\n');
        else {
          r.hintsUsed = Math.max(r.hintsUsed, 2);
          say(`  hint: ${proseText(last.hints[1])}\n`);
        }
        continue;
      }
      if (line === 'reveal') {
        if (!io.reveal) {
          say('  the answer is shown only with --reveal (downhill practice … --reveal)\n');
          continue;
        }
        r.revealed = true;
        r.hintsUsed = 3;
        say(`  the answer: ${answerText(p)}\n`);
        break;
      }
      last = gradeAnswer(p, line);
      r.attempts++;
      r.answers.push(line);
      if (!last.correct) r.hintsUsed = Math.max(r.hintsUsed, 1);
      say(feedback(last, io.tty));
      r.verdict = last.correct ? 'right' : last.hints[0];
      r.method = last.method;
      if (last.run) r.run = last.run;
      if (last.correct) {
        r.correct = true;
        break;
      }
      if (last.run) break; // the run has shown its number: one try
    }
  }
}

