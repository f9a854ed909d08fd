import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './202611250900_initial.js';

// Listed by hand rather than read from the folder so the compiled build and the
// TypeScript sources (tests) see exactly the same history.
const migrations: Record<string, Migration> = {
  '202611250900_initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
