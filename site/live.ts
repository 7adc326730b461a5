/**
 * The page side of the site (a classic script, run after the page's static
 * content): it talks to the engine's worker (started by the head's first
 * script from a Blob, since a page opened from file:// may not start one from
 * a file, and sent the engine by engine.js: site/scripts.ts) and makes
 * the page live:
 * - a lesson page's settings form reruns the lesson in the worker and
 *   patches the page in place, keeping the settings in the URL (a lesson
 *   that trains for long, with progress and a stop button: live/training.ts);
 * - each `.dh-mountain` becomes a rotatable 3-D surface with a map, where a
 *   click starts gradient descent, shown step by step with its numbers;
 * - the playground page differentiates what the learner types;
 * - a practice page grades the learner's answers.
 * Everything computed comes from the worker: this script draws and wires.
 * One file per program: live/lesson.ts, live/mountain.ts, live/playground.ts,
 * sharing live/engine.ts (the worker's connection); the two lesson programs (lesson.ts and
 * training.ts) wire their settings form with live/controls.ts.
 */
import { completed, Engine, engineWorker, freshWorker, state } from './live/engine.ts';
import { liveLesson, type LessonMeta } from './live/lesson.ts';
import { liveMountains } from './live/mountain.ts';
import { liveTraining } from './live/training.ts';
import { livePlayground } from './live/playground.ts';
import { livePractice, type PracticeMeta } from './live/practice.ts';

function start(): void {
  const engine = new Engine(engineWorker(), freshWorker);
  const form = document.querySelector<HTMLFormElement>('form#dh-live');
  const meta = document.querySelector('script#dh-lesson');
  let warmUp: Promise<unknown> | undefined;
  if (form && meta) {
    const lesson = JSON.parse(meta.textContent ?? '{}') as LessonMeta;
    warmUp = lesson.training === true ? liveTraining(engine, form, lesson) : liveLesson(engine, form, lesson);
    form.querySelector('fieldset')!.disabled = false;
  }
  const playground = document.querySelector<HTMLFormElement>('form#dh-playground');
  if (playground) {
    playground.querySelector('fieldset')!.disabled = false;
    livePlayground(engine, playground);
  }
  const practice = document.querySelector('script#dh-practice');
  if (practice) warmUp = livePractice(engine, JSON.parse(practice.textContent ?? '{}') as PracticeMeta);
  liveMountains(engine);
  state.ready = true;
  state.readyAt = performance.now();
  // The first answer compiles and starts everything; a lesson page's is the page itself (see liveLesson).
  void (warmUp ?? engine.call({ kind: 'symbols', text: 'x' }).catch(() => undefined)).then(() => {
    state.warm = true;
    state.warmAt = performance.now();
    // A page that draws nothing in the worker (mountains only) is complete when the engine is warm.
    if (!form && !playground) completed();
  });
}

start();
