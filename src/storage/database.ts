import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql,
  type CompiledQuery, type DatabaseConnection, type DatabaseIntrospector, type Driver, type QueryResult, type KyselyConfig, type SqliteDatabase, type TableMetadata, type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Trx;

/** The two engines one code path runs on (docs/ARCHITECTURE.md, "Storage"). */
export type Engine = 'sqlite' | 'postgres';

export interface OpenOptions {
  /** Folder for the database file; ':memory:' opens a private in-memory database (tests). */
  dataDir: string;
  /** A `postgres://` URL switches to PostgreSQL; absent or null keeps the embedded file. */
  databaseUrl?: string | null;
  /** Kysely's log hook: every executed query with its parameters (the query-plan test reads them). */
  log?: KyselyConfig['log'];
}

/** Opens the database the configuration names: PostgreSQL when a URL is given, else the embedded file. */
export function openDatabase(options: OpenOptions): Db {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openSqlite(options);
}

/** Which engine a database (or an open transaction on it) runs on, from Kysely's own adapter. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** How many connections one process keeps to PostgreSQL; a page runs its queries one after another. */
const PG_POOL_SIZE = 10;
const PG_INT8 = 20;

/**
 * Opens PostgreSQL through a pool. `count(*)` and other bigint results arrive as numbers, as they
 * do from SQLite (the pg driver's default is strings, to be safe beyond 2^53; no count here comes
 * near that). A commit returns once PostgreSQL has flushed its WAL (synchronous_commit's default).
 */
export function openPostgres(url: string, { log }: Pick<OpenOptions, 'log'> = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: PG_POOL_SIZE,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === PG_INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  // An idle connection the server drops (a restart, a failover) must not end the process; the
  // pool opens another at the next query.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new SchemaBoundPostgresDialect({ pool }), ...(log ? { log } : {}) });
  postgresUrls.set(db, url);
  return db;
}

/**
 * Kysely's PostgreSQL introspector reads the tables of every schema in the database, resolving
 * each one's names as it goes, so it fails when another schema is dropped meanwhile (test runs
 * make and drop one per test) and is slow in a database holding many. The migrator only asks
 * which tables exist where it works, so this introspector answers for the current schema only.
 */
class SchemaBoundPostgresDialect extends PostgresDialect {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    const getTables = async (): Promise<TableMetadata[]> => {
      const { rows } = await sql<{ schema: string; name: string; kind: string }>`
        SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p')`.execute(db);
      return rows.map((row) => ({ name: row.name, schema: row.schema, isView: row.kind === 'v', columns: [] }));
    };
    return {
      getSchemas: async () => (await sql<{ name: string }>`SELECT current_schema() AS name`.execute(db)).rows,
      getTables,
      getMetadata: async () => ({ tables: await getTables() }),
    };
  }
}

const postgresUrls = new WeakMap<Db, string>();

/** The URL a PostgreSQL database was opened with, for connections outside the pool (LISTEN). */
export function postgresUrlOf(db: Db): string {
  const url = postgresUrls.get(db);
  if (!url) throw new Error('postgresUrlOf: this database was not opened by openPostgres');
  return url;
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
  // No waiting inside SQLite: its busy handler sleeps, and better-sqlite3 runs on the event loop,
  // so a worker waiting for another's write lock would stop serving anyone. The dialect waits
  // for the lock between tries instead (WaitingSqliteDialect).
  sqlite.pragma('busy_timeout = 0');
  const db = new Kysely<Database>({ dialect: new WaitingSqliteDialect({ database: withStatementCache(sqlite) }, sqlite), ...(log ? { log } : {}) });
  rawHandles.set(db, sqlite);
  return db;
}

/** How long a statement keeps trying for another process's write lock before it fails. */
const LOCK_WAIT_MS = 5_000;

/**
 * SQLite with the waiting for other processes' write locks done between event-loop turns. A
 * statement that meets SQLITE_BUSY outside a transaction (BEGIN IMMEDIATE, or a write on its
 * own) changed nothing and is tried again after a short, growing pause, up to LOCK_WAIT_MS;
 * meanwhile the process serves cached pages and streams. Inside a transaction this process
 * already holds the write lock (BEGIN IMMEDIATE), so a busy error there is passed on as it is.
 */
class WaitingSqliteDialect extends SqliteDialect {
  readonly #sqlite: SQLite.Database;

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0], sqlite: SQLite.Database) {
    super(config);
    this.#sqlite = sqlite;
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
    const sqlite = this.#sqlite;
    driver.acquireConnection = async () => {
      const connection = await acquire();
      let waiting = wrapped.get(connection);
      if (!waiting) {
        const isBusy = (err: unknown) => (err as { code?: string }).code === 'SQLITE_BUSY' && !sqlite.inTransaction;
        const retry = async <R>(query: CompiledQuery, first: unknown): Promise<QueryResult<R>> => {
          const deadline = Date.now() + LOCK_WAIT_MS;
          let failure = first;
          for (let pause = 1; Date.now() < deadline; pause = Math.min(pause * 2, 16)) {
            await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
            try {
              return await connection.executeQuery<R>(query);
            } catch (err) {
              if (!isBusy(err)) throw err;
              failure = err;
            }
          }
          throw failure;
        };
        waiting = {
          // The driver runs the statement before it answers (a failure is thrown, not a rejected
          // promise), so the common case costs one try and no extra promise turn.
          executeQuery<R>(query: CompiledQuery) {
            try {
              return connection.executeQuery<R>(query);
            } catch (err) {
              return isBusy(err) ? retry<R>(query, err) : Promise.reject(err);
            }
          },
          streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
        } satisfies DatabaseConnection as DatabaseConnection;
        wrapped.set(connection, waiting);
      }
      return waiting;
    };
    return driver;
  }
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
  // On PostgreSQL the history lives in the schema the connection works in (search_path): Kysely
  // otherwise looks for its tables in any schema, and finds another newsroom's (or test's).
  const schema = engineOf(db) === 'postgres'
    ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema
    : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
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
  // Bulk loaders run as commands, not servers: blocking while another process writes is fine,
  // and their statements do not pass through the dialect's waiting.
  raw.pragma('busy_timeout = 5000');
  return raw;
}

/**
 * Serializes transactions that check and then write on behalf of the same `key` (a commenter's
 * per-minute count, say), until this transaction ends. SQLite needs nothing: every write
 * transaction already holds the one writer lock (BEGIN IMMEDIATE). PostgreSQL runs them side by
 * side under READ COMMITTED, where two could each count nine and both write a tenth; a
 * transaction-scoped advisory lock on a 64-bit hash of the key makes them take turns. Callers
 * taking several keys take them in one fixed order.
 */
export async function serializeOn(trx: Trx, key: string): Promise<void> {
  if (engineOf(trx) !== 'postgres') return;
  const id = createHash('sha256').update(key).digest().readBigInt64BE(0);
  await sql`SELECT pg_advisory_xact_lock(${sql.lit(id.toString())}::bigint)`.execute(trx);
}
