import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
