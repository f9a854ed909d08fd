import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type KyselyConfig, type SqliteDatabase, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Trx;

export interface OpenOptions {
  /** Folder for the database file; ':memory:' opens a private in-memory database (tests). */
  dataDir: string;
  /** Kysely's log hook: every executed query with its parameters (the query-plan test reads them). */
  log?: KyselyConfig['log'];
}

/**
 * Opens the embedded database. WAL with synchronous=FULL means a transaction that
 * returned is on disk, so an acknowledged write survives a crash of the process or machine.
 */
export function openSqlite({ dataDir, log }: OpenOptions): Db {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'newsdesk.sqlite');
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), ...(log ? { log } : {}) });
  rawHandles.set(db, sqlite);
  return db;
}

/** Prepared statements kept per connection; a page runs a few dozen distinct queries. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew, and preparing (parsing and planning the SQL)
 * costs more than running the small indexed queries a page makes. The same SQL text always
 * means the same statement, so one prepared statement per text is reused, least recently used
 * first out. Safe because better-sqlite3 runs a statement to completion synchronously; nothing
 * here streams rows with iterate().
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        // Kysely opens transactions with a plain BEGIN, which takes the write lock only at the
        // first write: if another process (a cluster worker, the CLI) committed since this
        // transaction's first read, SQLite answers SQLITE_BUSY at once instead of waiting
        // busy_timeout. BEGIN IMMEDIATE takes the lock up front, so writers queue instead.
        statement = sqlite.prepare(sql === 'begin' ? 'begin immediate' : sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const rawHandles = new WeakMap<Db, SQLite.Database>();

/**
 * The better-sqlite3 connection behind a Db that openSqlite opened, for bulk loads where
 * Kysely's per-statement cost dominates (`newsdesk demo-data`); everything else goes through Kysely.
 */
export function rawSqliteOf(db: Db): SQLite.Database {
  const raw = rawHandles.get(db);
  if (!raw) throw new Error('rawSqliteOf: this database was not opened by openSqlite');
  return raw;
}
