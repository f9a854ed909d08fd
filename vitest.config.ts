import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep the browser and the JVM checker from starving each other.
    maxWorkers: 2,
    pool: 'forks',
    // Sweeps PostgreSQL schemas that killed runs left behind.
    globalSetup: ['src/test/global-setup.ts'],
  },
});
