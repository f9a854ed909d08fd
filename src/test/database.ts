import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type LogEvent } from 'kysely';
import { engineOf, migrateToLatest, openDatabase, openPostgres, openSqlite, type Db, type Engine } from '../storage/database.js';

// Every test runs on the engine NEWSDESK_TEST_ENGINE names (sqlite, the default, or postgres):
// `npm test` runs the whole suite once per engine. On PostgreSQL each test database is its own
// schema in NEWSDESK_TEST_PG_URL's database, made for the test and dropped after it, so two runs
// (or two workers of one run) never see each other's rows.

export const TEST_ENGINE: Engine = parseEngine(process.env.NEWSDESK_TEST_ENGINE);
/** The server the PostgreSQL runs use: this machine's, trust auth, database `test`. */
export const TEST_PG_URL = process.env.NEWSDESK_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

function parseEngine(raw: string | undefined): Engine {
  if (raw === undefined || raw === '' || raw === 'sqlite') return 'sqlite';
  if (raw === 'postgres') return 'postgres';
  throw new Error(`NEWSDESK_TEST_ENGINE must be sqlite or postgres, got "${raw}"`);
}

export interface TestDatabase {
  db: Db;
  /** What DATABASE_URL a server process needs to open the same database (PostgreSQL only). */
  databaseUrl: string | null;
  close(): Promise<void>;
}

let admin: pg.Pool | null = null;
function adminPool(): pg.Pool {
  if (admin) return admin;
  admin = new pg.Pool({ connectionString: TEST_PG_URL, max: 2 });
  // A test that terminates backends (a crash test) may take an idle admin connection with it;
  // the pool replaces it at the next query.
  admin.on('error', () => {});
  return admin;
}

/**
 * A fresh schema on PostgreSQL: its URL sets the connection's search_path, so the migrations, the
 * app and a spawned server all use it and nothing else. Names carry the process id and a random
 * part; a crashed run leaves its schemas behind under the `nd_t_` prefix. `sql` runs in the same
 * transaction as the CREATE SCHEMA, inside it.
 */
export async function createTestSchema(sql = ''): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `nd_t_${process.pid}_${randomBytes(5).toString('hex')}`;
  await adminPool().query(`BEGIN; CREATE SCHEMA ${schema}; SET LOCAL search_path TO ${schema};\n${sql};\nCOMMIT;`);
  const url = new URL(TEST_PG_URL);
  // Tests do not outlive a crash of the database server, only of the app: a commit may return
  // before PostgreSQL's WAL flush (still durable against the app's own crash, which the
  // durability tests cause), which takes the fsync per commit out of every test.
  url.searchParams.set('options', `-c search_path=${schema} -c synchronous_commit=off`);
  return { url: url.toString(), drop: () => dropTestSchema(url.toString()) };
}

/** Drops the schema a URL made by createTestSchema works in (a server using it must have stopped). */
export async function dropTestSchema(url: string): Promise<void> {
  const schema = /search_path=(nd_t_\w+)/.exec(new URL(url).searchParams.get('options') ?? '')?.[1];
  if (!schema) throw new Error(`dropTestSchema: ${url} names no test schema`);
  await adminPool().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** An empty, migrated database on the engine under test. */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const { migrate = true } = options;
  if (TEST_ENGINE === 'sqlite') {
    const db = openSqlite({ dataDir: ':memory:' });
    if (migrate) await migrateToLatest(db);
    return { db, databaseUrl: null, close: () => db.destroy() };
  }
  const schema = await createTestSchema(migrate ? await migrationScript() : '');
  const db = openDatabase({ dataDir: ':memory:', databaseUrl: schema.url });
  if (engineOf(db) !== 'postgres') throw new Error('openTestDatabase: asked for PostgreSQL and got another engine');
  return {
    db,
    databaseUrl: schema.url,
    async close() {
      // A test may have destroyed the database itself (to see a storage failure); pg's pool
      // refuses a second end where better-sqlite3 shrugs.
      await db.destroy().catch((err: unknown) => {
        if (!/end on pool more than once/i.test(String(err))) throw err;
      });
      await schema.drop();
    },
  };
}

let script: Promise<string> | null = null;

/**
 * The whole migration history as one SQL script, recorded once per test process from a real
 * migrateToLatest into a scratch schema and replayed into each new schema in one round trip: the
 * migrator's hundred-odd statements one by one cost ~300 ms per test database. The replay is
 * what the migrator executed (reads left out), so it cannot drift from the migrations.
 */
function migrationScript(): Promise<string> {
  script ??= (async () => {
    const scratch = await createTestSchema();
    const schemaName = /search_path=(nd_t_\w+)/.exec(new URL(scratch.url).searchParams.get('options') ?? '')![1]!;
    const statements: string[] = [];
    const record = (event: LogEvent) => {
      // Reads change nothing, and locks only guard concurrent migrators; a replay into a private
      // schema needs neither (a session lock taken and never released would stall every test).
      if (event.level !== 'query' || /^\s*select\b/i.test(event.query.sql) || /pg_advisory/i.test(event.query.sql)) return;
      statements.push(inlineParameters(event.query.sql, event.query.parameters).replaceAll(`"${schemaName}".`, ''));
    };
    const db = openPostgres(scratch.url, { log: record });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
      await scratch.drop();
    }
    return statements.join(';\n');
  })();
  // A failure (the server restarting, say) is not kept: the next test database tries again.
  script.catch(() => (script = null));
  return script;
}

/** Writes a statement's parameters into its text as literals (only the migrator's own inserts have any). */
function inlineParameters(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = parameters[Number(n) - 1];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    return `'${String(value).replaceAll("'", "''")}'`;
  });
}

/**
 * What a command needs to open a data folder on the engine under test, for tests that go through
 * `openRuntime`, `runCli` or a spawned `newsdesk` rather than openTestDatabase: on SQLite the folder
 * alone (its file); on PostgreSQL also DATABASE_URL naming a fresh, empty schema, which the command
 * migrates as it would in production. `drop` removes the schema once every connection has closed.
 */
export async function testDataEnv(dataDir: string): Promise<{ env: { NEWSDESK_DATA: string; DATABASE_URL?: string }; drop(): Promise<void> }> {
  if (TEST_ENGINE === 'sqlite') return { env: { NEWSDESK_DATA: dataDir }, drop: async () => {} };
  const schema = await createTestSchema();
  return { env: { NEWSDESK_DATA: dataDir, DATABASE_URL: schema.url }, drop: schema.drop };
}

/**
 * Makes every insert into `table` fail (a storage failure in the middle of a transaction) until
 * the answered function is called, on either engine.
 */
export async function failInsertsInto(db: Db, table: string): Promise<() => Promise<void>> {
  if (!/^\w+$/.test(table)) throw new Error(`failInsertsInto: "${table}" is not a table name`);
  const trigger = `${table}_fail_for_test`;
  if (engineOf(db) === 'postgres') {
    await sql.raw(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`).execute(db);
    await sql.raw(`CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${trigger}()`).execute(db);
    return async () => {
      await sql.raw(`DROP TRIGGER ${trigger} ON ${table}`).execute(db);
      await sql.raw(`DROP FUNCTION ${trigger}()`).execute(db);
    };
  }
  await sql.raw(`CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'boom'); END`).execute(db);
  return async () => void (await sql.raw(`DROP TRIGGER ${trigger}`).execute(db));
}
