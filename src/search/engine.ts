import { engineOf, type Db } from '../storage/database.js';
import { createPostgresSearchIndex } from './postgres.js';
import { createSqliteSearchIndex } from './sqlite.js';
import type { SearchIndex } from './types.js';

/** The search index of the database's engine: FTS5 on SQLite, tsvector and GIN on PostgreSQL. */
export function createSearchIndex(db: Db): SearchIndex {
  return engineOf(db) === 'postgres' ? createPostgresSearchIndex(db) : createSqliteSearchIndex(db);
}
