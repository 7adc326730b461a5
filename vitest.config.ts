import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SiteAwareSequencer from './test/support/sequencer.ts';

export default defineConfig({
  // Lessons import 'downhill': in the tests that is the source, not the build in dist/.
  resolve: {
    alias: [
      { find: /^downhill$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^downhill\/engine$/, replacement: fileURLToPath(new URL('./src/engine.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    // Two files at a time on two cores (vitest's default there is one: cores − 1). A file spends much of its time
    // waiting on a child (the command, Chromium, python), so two keep both cores busy; the browser tests share one
    // site build (support/site.ts) and their time limits hold under load (support/chromium.ts).
    maxWorkers: 2,
    // Each worker runs its files one after another in one module graph (src/, mathjs, KaTeX imported once per worker,
    // not once per file): 73 of the files (all but the browser and the slowest), same run, load 19-21, took 117.5 s of
    // CPU and 501 s isolated, 58.4 s and 237 s not. A test file that changes what others share restores it (spies are
    // restored, stubbed variables unstubbed, support/cli.ts commandOutput puts the streams back).
    isolate: false,
    // Longest first, as vitest orders them, but the files that need the site wait behind others while it is being built
    // (support/sequencer.ts): a worker that takes one first has nothing to do until the build is done.
    sequence: { sequencer: SiteAwareSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
