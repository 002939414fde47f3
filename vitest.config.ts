import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests import the packages' TypeScript sources directly (no build needed for unit tests);
// end-to-end tests that spawn the built CLI or server run `npm run build` first (see package.json).
export default defineConfig({
  resolve: {
    alias: {
      '@rubric/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'editor-extension/test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
