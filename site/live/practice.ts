/**
 * A practice page (site/practice.ts writes it): each exercise's answer is
 * read back as it is typed (KaTeX of the parsed expression, from the
 * worker; a text that does not read shows the reader's message as text),
 * graded by the engine in the worker (the CLI's checker: gradeAnswer), with
 * the kind of mistake (level 1), where it is on request ("hint", level 2)
 * and the answer only behind "show me" (level 3).
 *
 * Progress (attempts, hint level, verdict, last answer) is kept per set in
 * localStorage under `downhill-practice:<lesson>-<name>`, so a reload keeps
 * it; the summary (score, attempts, hints used) follows every change.
 *
 * Nothing typed becomes markup: answers, verdicts and hints go into the page
 * as text (.value, .textContent); only the engine's KaTeX renderings of a
 * parsed expression and the author's own hints are parsed as HTML.
 */
import type { GradeReply, PracticeRequest, PreviewReply, RevealReply } from '../practice-worker.ts';
import { el, engineHtml, latestOnly, state, type Engine } from './engine.ts';

/** What the page's JSON says: the set and its items' ids and kinds (no answers). */
export interface PracticeMeta {
  readonly lesson: number;
  readonly name: string;
  readonly items: readonly { readonly id: string; readonly kind: string }[];
}

/** One exercise's progress, as stored. */
interface ItemProgress {
  attempts: number;
  /** The highest hint level seen: 1 with a wrong answer, 2 after "hint", 3 after "show me". */
  level: number;
  /** Right at some attempt (the summary's), and the last verdict's own (the ✔ or ✘ shown beside it). */
  correct: boolean;
  lastCorrect: boolean;
  /** Right before the answer was shown (it counts in the score). */
  scored: boolean;
  revealed: boolean;
  /** The last verdict's level-1 text, and the last answer. */
  verdict: string;
  answer: string;
  /** A prediction has one try: after it, the item is done. */
  done: boolean;
}

const fresh = (): ItemProgress => ({ attempts: 0, level: 0, correct: false, lastCorrect: false, scored: false, revealed: false, verdict: '', answer: '', done: false });

/** The stored progress of a set (an unreadable or foreign entry is ignored). */
function load(key: string): Record<string, ItemProgress> {
  try {
    const raw = JSON.parse(localStorage.getItem(key) ?? '{}') as { items?: Record<string, Partial<ItemProgress>> };
    const out: Record<string, ItemProgress> = Object.create(null) as Record<string, ItemProgress>;
    for (const [id, p] of Object.entries(raw.items ?? {})) {
      const f = fresh();
      out[id] = {
        attempts: typeof p.attempts === 'number' ? p.attempts : 0, level: typeof p.level === 'number' ? p.level : 0,
        correct: p.correct === true, lastCorrect: typeof p.lastCorrect === 'boolean' ? p.lastCorrect : p.correct === true, scored: p.scored === true, revealed: p.revealed === true, done: p.done === true,
        verdict: typeof p.verdict === 'string' ? p.verdict : f.verdict, answer: typeof p.answer === 'string' ? p.answer : f.answer,
      };
    }
    return out;
  } catch {
    return Object.create(null) as Record<string, ItemProgress>;
  }
}

function save(key: string, progress: Record<string, ItemProgress>): void {
  try {
    localStorage.setItem(key, JSON.stringify({ version: 1, items: progress }));
  } catch {
    // Storage refused (private mode, full): the page works on, without memory.
  }
}

export function livePractice(engine: Engine, meta: PracticeMeta): Promise<unknown> {
  const key = `downhill-practice:${meta.lesson}-${meta.name}`;
  let progress = load(key);
  const of = (id: string): ItemProgress => (progress[id] ??= fresh());
  type Op = PracticeRequest extends infer R ? R extends PracticeRequest ? Omit<R, 'kind' | 'lesson'> : never : never;
  const call = <T>(r: Op): Promise<T> => engine.call<T>({ kind: 'practice', lesson: meta.lesson, ...r } as PracticeRequest);

  const summary = document.querySelector<HTMLElement>('#dh-summary')!;
  const showSummary = (): void => {
    const all = meta.items.map((i) => ({ id: i.id, p: of(i.id) }));
    const score = all.filter((i) => i.p.scored).length;
    const attempts = all.reduce((s, i) => s + i.p.attempts, 0);
    const hints = all.filter((i) => i.p.level >= 2).length;
    const shown = all.filter((i) => i.p.revealed).length;
    summary.querySelector('.dh-score')!.textContent = `Score: ${score} of ${all.length} right; ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}; hints asked on ${hints} ${hints === 1 ? 'exercise' : 'exercises'}; answers shown: ${shown}.`;
    summary.querySelector('tbody')!.replaceChildren(...all.map(({ id, p }, k) => {
      const tr = el('tr');
      const verdict = p.correct ? (p.scored ? 'right' : 'right, after the answer was shown') : p.revealed ? 'answer shown' : p.done ? 'answered (one try)' : p.attempts === 0 ? 'not answered' : 'not yet';
      tr.append(el('td', {}, `${k + 1}. ${id}`), el('td', {}, verdict), el('td', { class: 'num' }, String(p.attempts)), el('td', { class: 'num' }, String(p.level)));
      return tr;
    }));
  };
  const store = (): void => {
    save(key, progress);
    showSummary();
  };

  const wires = meta.items.map((item) => {
    const section = document.getElementById(`item-${item.id}`)!;
    const form = section.querySelector<HTMLFormElement>('form')!;
    const input = form.querySelector<HTMLInputElement>('input[name=answer][type=text]');
    const radios = [...form.querySelectorAll<HTMLInputElement>('input[type=radio]')];
    const check = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    const hint = form.querySelector<HTMLButtonElement>('button[name=hint]')!;
    const reveal = form.querySelector<HTMLButtonElement>('button[name=reveal]')!;
    const verdict = form.querySelector<HTMLElement>('.dh-verdict')!;
    const runLine = form.querySelector<HTMLElement>('.dh-run')!;
    const hintLine = form.querySelector<HTMLElement>('.dh-hint')!;
    const shownBox = form.querySelector<HTMLElement>('.dh-shown')!;
    const methodLine = form.querySelector<HTMLElement>('.dh-method')!;
    const previewMath = form.querySelector<HTMLElement>('.dh-preview-math');
    const previewError = form.querySelector<HTMLElement>('.dh-preview-error');
    /** The last wrong answer's level-2 hint (asked for with "hint"). */
    let level2: GradeReply['level2'] | undefined;

    const answerOf = (): string => (input ? input.value : radios.find((r) => r.checked)?.value ?? '');
    const showVerdict = (p: ItemProgress): void => {
      verdict.textContent = p.verdict === '' ? '' : `${p.lastCorrect ? '✔' : '✘'} ${p.verdict}`;
      verdict.className = `dh-verdict ${p.verdict === '' ? '' : p.lastCorrect ? 'dh-right' : 'dh-wrong'}`;
    };
    const enable = (): void => {
      const p = of(item.id);
      if (input) input.disabled = p.done;
      for (const r of radios) r.disabled = p.done;
      check.disabled = p.done;
      hint.disabled = level2 === undefined;
      reveal.disabled = false;
    };

    const preview = latestOnly(async (text: string) => {
      if (!previewMath || !previewError) return;
      try {
        const r = await call<PreviewReply>({ op: 'preview', item: item.id, text });
        if (input!.value !== text) return; // typed on meanwhile: the newer text's preview follows
        if (r.html !== undefined) previewMath.replaceChildren(engineHtml(r.html));
        else previewMath.replaceChildren();
        previewError.textContent = r.error ?? '';
      } catch (e) {
        previewError.textContent = (e as Error).message;
      }
    });
    input?.addEventListener('input', () => preview(input.value));

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const answer = answerOf().trim();
      if (answer === '') {
        verdict.textContent = input ? 'Type an answer first.' : 'Choose an answer first.';
        verdict.className = 'dh-verdict';
        return;
      }
      const start = performance.now();
      check.disabled = true;
      form.setAttribute('aria-busy', 'true');
      void call<GradeReply>({ op: 'grade', item: item.id, text: answer }).then((v) => {
        const p = of(item.id);
        p.attempts++;
        p.answer = answer;
        p.verdict = v.level1;
        p.lastCorrect = v.correct;
        if (v.correct) {
          if (!p.correct && !p.revealed) p.scored = true;
          p.correct = true;
          level2 = undefined;
          hintLine.textContent = '';
        } else {
          p.level = Math.max(p.level, 1);
          level2 = v.level2;
        }
        if (v.run) {
          p.done = true;
          runLine.textContent = `You said ${v.run.said}; the run: ${v.run.value} (${v.run.report}).`;
        }
        showVerdict(p);
        methodLine.textContent = v.kind === 'unreadable' || v.kind === 'unknown-name' ? '' : `(${v.method})`;
        state.verdictMs = performance.now() - start;
        state.workerVerdictMs = v.ms;
        state.verdicts++;
        store();
      }, (e: unknown) => {
        verdict.textContent = `Could not grade: ${(e as Error).message}`;
        verdict.className = 'dh-verdict dh-wrong';
      }).finally(() => {
        form.removeAttribute('aria-busy');
        enable();
      });
    });

    hint.addEventListener('click', () => {
      if (level2 === undefined) return;
      const p = of(item.id);
      p.level = Math.max(p.level, 2);
      if ('html' in level2) hintLine.replaceChildren(engineHtml(level2.html));
      else hintLine.textContent = level2.text;
      hintLine.prepend('Hint: ');
      store();
    });

    reveal.addEventListener('click', () => {
      reveal.disabled = true;
      void call<RevealReply>({ op: 'reveal', item: item.id }).then((r) => {
        const p = of(item.id);
        p.level = 3;
        p.revealed = true;
        const line = el('p');
        line.append('The answer: ', el('code', {}, r.text));
        shownBox.replaceChildren(line);
        if (r.html !== undefined) {
          const math = el('div');
          math.replaceChildren(engineHtml(r.html));
          shownBox.append(math);
        }
        shownBox.hidden = false;
        store();
      }, (e: unknown) => {
        shownBox.textContent = `Could not show the answer: ${(e as Error).message}`;
        shownBox.hidden = false;
      }).finally(enable);
    });

    /** The stored progress shown again (after a reload), or cleared (start again). */
    const restore = (): void => {
      const p = of(item.id);
      level2 = undefined;
      if (input) {
        input.value = p.answer;
        preview(p.answer);
      } else for (const r of radios) r.checked = r.value === p.answer;
      showVerdict(p);
      for (const line of [runLine, hintLine, methodLine]) line.textContent = '';
      shownBox.replaceChildren();
      shownBox.hidden = true;
      enable();
    };
    return { restore };
  });

  summary.querySelector<HTMLButtonElement>('button[name=reset]')!.addEventListener('click', () => {
    progress = Object.create(null) as Record<string, ItemProgress>;
    store();
    for (const w of wires) w.restore();
  });
  for (const w of wires) w.restore();
  showSummary();
  // Every exact answer worked out once, so that the first verdict is as quick as the others.
  return call<{ items: number }>({ op: 'prepare' });
}
