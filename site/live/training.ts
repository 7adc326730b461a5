/**
 * The live page of a lesson that trains for long (lessons 10, 11 and 12): a change of a
 * setting (a slider once let go), or the train button, trains in the worker
 * with those settings (site/training-worker.ts). Each checkpoint's page (the
 * lesson as if the run ended at that epoch: the page of --epochs e) replaces
 * the sections after the form as it comes, with the progress bar and the
 * status line saying how far the run is. Stop ends the run; so does the next
 * change, which starts its own. The page then says what it shows: the
 * epochs the run reached, as the command that prints the same numbers, or,
 * where no command does (lesson 11's step size falls over the whole run, so
 * its run after epoch e of 3 is not the run of --epochs e), as the run of
 * the command up to there.
 */
import type { TrainingProgress, TrainingReply } from '../training-worker.ts';
import { afterPaint, completed, state, Stopped, type Engine } from './engine.ts';
import {
  keepInAddress, knownHashes, markStale, patchLesson, type LessonMeta, type Shown,
} from './lesson.ts';
import { showSetting, wireControls } from './controls.ts';

/** Why a run was stopped by the page (the Engine's own budget says its own reason). */
const BY_STOP = 'stopped by you';
const BY_CHANGE = 'superseded by a newer change';
/** How long a run asked to stop may take to reach its next checkpoint before its worker is ended (and started afresh). */
const RETIRE_MS = 2000;

/**
 * The command that prints the same numbers as `settings` (those differing from the lesson's defaults):
 * `downhill lesson 10 --epochs 3 --hidden 10`.
 */
function commandOf(meta: LessonMeta, settings: Readonly<Record<string, string>>): string {
  const flags = meta.flags.filter((f) => settings[f.flag] !== String(f.value)).map((f) => {
    const v = settings[f.flag]!;
    if (f.kind === 'boolean') return v === 'true' ? `--${f.flag}` : `--no-${f.flag}`;
    return `--${f.flag} ${v}`;
  });
  return ['downhill lesson', String(meta.number), ...flags].join(' ');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** How far a run came: `done` of `total` units, and whether its page there is the page of a run of `done` units. */
type Reached = { readonly done: number; readonly total: number; readonly unit: string; readonly shorterRun: boolean };

/**
 * What the page shows once a run with `settings` has reached `reached`: the command that prints those numbers
 * (`downhill lesson 10 --epochs 2`), or the run of the command up to there where no command prints them.
 */
function shownBy(meta: LessonMeta, settings: Readonly<Record<string, string>>, reached?: Reached): string {
  if (reached === undefined || reached.done === reached.total) return commandOf(meta, settings);
  if (reached.shorterRun) return commandOf(meta, { ...settings, [`${reached.unit}s`]: String(reached.done) }); // its flag (--epochs) at `done`
  return `the run of ${commandOf(meta, settings)} up to ${reached.unit} ${reached.done}`;
}

/** Makes a training lesson's page live; resolves once the engine has started (its warm-up: no training). */
export function liveTraining(engine: Engine, form: HTMLFormElement, meta: LessonMeta): Promise<unknown> {
  const status = form.querySelector<HTMLOutputElement>('output.dh-status')!;
  const stop = form.querySelector<HTMLButtonElement>('button[name=stop]')!;
  const bar = form.querySelector<HTMLProgressElement>('progress')!;
  const values = (): Record<string, string> => Object.fromEntries(meta.flags.map((f) => {
    const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${f.flag}]`)!;
    return [f.flag, control instanceof HTMLInputElement && control.type === 'checkbox' ? String(control.checked) : control.value.trim()];
  }));
  // What the sections after the form show: the static page's (the defaults'), then each run's.
  const defaults = values();
  let shownText = commandOf(meta, defaults);
  let shown: Shown | undefined;
  /** The newest run: its settings, how far it has come, and whether it was stopped (by the stop button). */
  let active: { readonly settings: Record<string, string>; reached?: Reached; stopped: boolean; readonly ended: Promise<void> } | undefined;

  const say = (text: string, error = false): void => {
    status.textContent = text;
    status.classList.toggle('dh-error', error);
  };
  const showProgress = (done: number, total: number, unit: string): void => {
    bar.hidden = false;
    bar.max = total;
    bar.value = done;
    bar.setAttribute('aria-valuetext', `${unit} ${done} of ${total}`);
  };
  const idle = (): void => {
    stop.disabled = true;
    form.removeAttribute('aria-busy');
    markStale(form, false);
  };
  /**
   * Ends a run: the worker stops it at its next checkpoint (and stays warm); a run that has not
   * stopped within RETIRE_MS (a long epoch) is ended with its worker.
   */
  const retire = async (old: NonNullable<typeof active>, why: string): Promise<void> => {
    void engine.call({ kind: 'stop-training' }).catch(() => undefined);
    let timer = 0;
    const late = new Promise<'late'>((r) => (timer = window.setTimeout(() => r('late'), RETIRE_MS)));
    if (await Promise.race([old.ended, late]) === 'late') engine.stop(why);
    window.clearTimeout(timer);
    await old.ended;
  };

  const train = async (start: number): Promise<void> => {
    const settings = values();
    const previous = active;
    let ended!: () => void;
    const run: NonNullable<typeof active> = { settings, stopped: false, ended: new Promise<void>((r) => (ended = r)) };
    active = run;
    stop.disabled = false;
    form.setAttribute('aria-busy', 'true');
    // Until the first checkpoint, the numbers below are the last run's.
    markStale(form, true);
    say(`training with these settings; the numbers below are still those of ${shownText}`);
    try {
      if (previous !== undefined) await retire(previous, BY_CHANGE);
      if (active !== run || run.stopped) return; // a newer change, or the stop button, came meanwhile
      const onProgress = (p: unknown): void => {
        if (active !== run || run.stopped) return;
        const reached = p as TrainingProgress;
        if (reached.tick === true) {
          // Inside an epoch (lesson 11's ticks): the bar moves; the page and the status line stay.
          const { done, total, unit } = reached;
          const whole = Math.floor(done);
          bar.hidden = false;
          bar.max = total;
          bar.value = done;
          bar.setAttribute('aria-valuetext', done === whole ? `${unit} ${done} of ${total}` : `${unit} ${whole + 1} of ${total}, ${Math.round(100 * (done - whole))}% through`);
          return;
        }
        const { done, total, unit, shorterRun, parts, ms } = reached;
        shown = patchLesson(form, shown, parts);
        markStale(form, false);
        run.reached = { done, total, unit, shorterRun };
        shownText = shownBy(meta, settings, run.reached);
        showProgress(done, total, unit);
        say(`${unit} ${done} of ${total} done after ${seconds(ms)}: the page below shows the run up to there`);
        void afterPaint().then((at) => {
          if (state.checkpoints++ === 0 || Number.isNaN(state.firstCheckpointMs)) state.firstCheckpointMs = at - start;
        });
      };
      const reply = await engine.call<TrainingReply>({ kind: 'training', lesson: meta.number, settings, known: knownHashes() }, onProgress);
      if (active !== run || run.stopped) return;
      shown = patchLesson(form, shown, reply.parts);
      shownText = commandOf(meta, settings);
      keepInAddress(meta, settings);
      const reached = reply.reached;
      if (reached !== undefined) showProgress(reached.done, reached.total, reached.unit);
      say(`trained in ${seconds(reply.ms)}${reached === undefined ? '' : ` (${reached.done} ${reached.unit}${reached.done === 1 ? '' : 's'})`}: the page below shows the numbers of ${shownText}`);
    } catch (e) {
      if (active !== run || run.stopped) return; // a newer change, or the stop button, says what the page shows
      if (e instanceof Stopped) stopped(run, `Stopped (${e.message})`);
      else say(`downhill lesson: ${(e as Error).message}`, true); // a setting refused (the CLI's line): the page keeps its last run
    } finally {
      ended();
      if (active === run && !run.stopped) {
        idle();
        state.trainings++;
      }
    }
  };
  const go = (start: number): void => void train(start);

  /** What the page says once `run` is stopped: how far it came, and what the page shows. */
  const stopped = (run: NonNullable<typeof active>, why: string): void => {
    const reached = run.reached;
    // The bar says how far the page's numbers go (ticks may have moved it past the last checkpoint drawn).
    if (reached !== undefined) showProgress(reached.done, reached.total, reached.unit);
    say(reached === undefined
      ? `${why} before the first checkpoint: the page below still shows the numbers of ${shownText}`
      : reached.shorterRun || reached.done === reached.total
        ? `${why} after ${reached.unit} ${reached.done} of ${reached.total}: the page below shows the run up to there, the numbers of ${shownText} (its times aside)`
        : `${why} after ${reached.unit} ${reached.done} of ${reached.total}: the page below shows the run of ${commandOf(meta, run.settings)} up to there (that command trains on to ${reached.unit} ${reached.total}; no command stops here)`);
  };

  stop.addEventListener('click', () => {
    const run = active;
    if (run === undefined || run.stopped || stop.disabled) return;
    // The page stops now (later checkpoints are not shown); the worker, at its next checkpoint.
    run.stopped = true;
    stopped(run, 'Stopped');
    idle();
    state.trainings++;
    void retire(run, BY_STOP);
  });
  // A slider shows its value as it moves, and trains once let go.
  wireControls(form, meta.flags, go, 'let go');

  // Settings from the address (a shared link): put in the fields, and trained with at once.
  const given = new URLSearchParams(location.search);
  let linked = false;
  for (const f of meta.flags) {
    const v = given.get(f.flag);
    if (v === null || v === defaults[f.flag]) continue;
    linked = true;
    showSetting(form, f, v);
  }
  if (linked) go(performance.now());
  else say(`the page below shows the numbers of ${shownText}; change a setting, or press train, to train in your browser`);
  // The warm-up: the engine started (no training until asked), then what training reads loaded (the digits, the plot library).
  const warm = engine.call({ kind: 'symbols', text: 'x' }).catch(() => undefined);
  void warm.then(() => {
    completed();
    if (active === undefined) void engine.call({ kind: 'prepare-training', lesson: meta.number }).then(() => (state.prepared = true), () => undefined);
  });
  return warm;
}
