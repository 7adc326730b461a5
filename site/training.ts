/**
 * The live page of a lesson that trains for long (lessons 10, 11 and 12): on top of the
 * settings form of every live lesson (site/build.ts), a button that trains
 * with the settings, a stop button and a progress bar. A change of a setting
 * trains too (a slider once it is let go); the page (site/live/training.ts)
 * shows each epoch's page as it comes.
 */

/** The lessons whose page trains in the worker with progress (a `training` request: site/training-worker.ts). */
export const TRAINING_LESSONS: ReadonlySet<number> = new Set([10, 11, 12]);

/** The buttons and the progress bar, before the form's status line (which says, in words, how far a run has come). */
export const TRAINING_HTML = [
  '<p class="dh-training">',
  '<button type="submit" name="train">train with these settings</button>',
  '<button type="button" name="stop" disabled>stop</button>',
  '<progress max="1" value="0" aria-label="training" hidden></progress>',
  '</p>',
].join(' ');

export const TRAINING_CSS = `
.dh-training { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: .5rem 0 .25rem; }
.dh-training button { font: inherit; padding: .2rem .8rem; }
.dh-training progress { flex: 1 1 12rem; max-width: 24rem; accent-color: var(--accent); }
`.trim();
