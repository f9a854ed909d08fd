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
    // A file's modules (Fastify, Preact, the whole app) load once per worker instead of once per
    // file: importing them was about a third of the suite's time. Tests build their own app and
    // database and restore what they change (timers, env), so nothing carries between files.
    isolate: false,
    // Sweeps PostgreSQL schemas that killed runs left behind.
    globalSetup: ['src/test/global-setup.ts'],
  },
});
