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
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
