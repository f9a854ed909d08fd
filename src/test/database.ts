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
  await adminPool().query(`DROP SCHEMA IF EXISTS ${schemaOf(url)} CASCADE`);
}

/** An empty, migrated database on the engine under test (`migrate: false`: empty, unmigrated). */
export async function openTestDatabase(options: { migrate?: boolean; fresh?: boolean } = {}): Promise<TestDatabase> {
  const { migrate = true, fresh = false } = options;
  if (TEST_ENGINE === 'sqlite') {
    const db = openSqlite({ dataDir: ':memory:' });
    if (migrate) await migrateToLatest(db);
    return { db, databaseUrl: null, close: () => db.destroy() };
  }
  // `fresh`: a schema never used by another test, for tests of the planner, whose choices follow
  // the statistics a reused schema keeps from the rows it held before.
  const schema = migrate && !fresh ? await takeMigratedSchema() : { ...(await createTestSchema(migrate ? await migrationScript() : '')), release: null };
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
      if (schema.release) await schema.release();
      else await schema.drop();
    },
  };
}

interface PooledSchema {
  url: string;
  name: string;
  /** What the migrations made, counted when the schema was new; see `shapeOf`. */
  shape: string;
}

/** Migrated schemas this process emptied after a test, ready for the next one. */
const idleSchemas: PooledSchema[] = [];

/**
 * A migrated, empty schema: one a finished test left (emptied, see `releaseSchema`) or a new one.
 * Creating and dropping a schema costs ~200 ms of the server's time against ~10 ms to empty one,
 * and a PostgreSQL run opens over a thousand test databases.
 */
async function takeMigratedSchema(): Promise<{ url: string; drop(): Promise<void>; release(): Promise<void> }> {
  let pooled = idleSchemas.pop();
  if (!pooled) {
    const made = await createTestSchema(await migrationScript());
    const name = schemaOf(made.url);
    pooled = { url: made.url, name, shape: await shapeOf(name) };
  }
  const taken = pooled;
  let released = false;
  return {
    url: taken.url,
    drop: () => dropTestSchema(taken.url),
    // Once only: the same schema in the pool twice would be handed to two tests at once.
    release: async () => {
      if (released) return;
      released = true;
      await releaseSchema(taken);
    },
  };
}

/**
 * Empties a schema for the next test, or drops it when the test changed what is in it (a trigger
 * left, a table altered, pg-boss's tables made): only a schema exactly as the migrations left it
 * is reused. Rows go with triggers and foreign keys off (session_replication_role), so the order
 * of tables does not matter and the page-index triggers do not fire on the way out; sequences
 * restart, so a reused schema numbers rows as a new one would. The migrator's own tables keep
 * their rows: they are what makes the schema "migrated".
 */
async function releaseSchema(schema: PooledSchema): Promise<void> {
  if ((await shapeOf(schema.name)) !== schema.shape) return dropTestSchema(schema.url);
  await adminPool().query(`BEGIN;
SET LOCAL session_replication_role = replica;
DO $$ DECLARE t record; BEGIN
  FOR t IN SELECT c.relname, c.relkind FROM pg_class c WHERE c.relnamespace = '${schema.name}'::regnamespace AND c.relkind IN ('r', 'S') AND c.relname NOT IN ('kysely_migration', 'kysely_migration_lock') LOOP
    IF t.relkind = 'r' THEN EXECUTE format('DELETE FROM %I.%I', '${schema.name}', t.relname);
    ELSE EXECUTE format('ALTER SEQUENCE %I.%I RESTART', '${schema.name}', t.relname); END IF;
  END LOOP;
END $$;
COMMIT;`);
  idleSchemas.push(schema);
}

/**
 * A digest of what a schema holds: every relation with its columns and their types, functions
 * with their bodies, triggers with their state, constraints. A test that renames a table (to see a
 * storage failure) or leaves a trigger behind changes it, so its schema is not reused.
 */
async function shapeOf(schema: string): Promise<string> {
  const { rows } = await adminPool().query<{ shape: string | null }>(
    `SELECT md5(concat_ws('|',
       (SELECT string_agg(c.relname || '.' || coalesce(a.attname, '') || ':' || coalesce(a.atttypid::text, ''), ',' ORDER BY c.relname, a.attnum)
          FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE c.relnamespace = n.oid),
       (SELECT string_agg(p.proname || ':' || md5(p.prosrc), ',' ORDER BY p.proname) FROM pg_proc p WHERE p.pronamespace = n.oid),
       (SELECT string_agg(t.tgname || ':' || t.tgenabled::text, ',' ORDER BY t.tgname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = n.oid),
       (SELECT string_agg(k.conname, ',' ORDER BY k.conname) FROM pg_constraint k WHERE k.connamespace = n.oid))) AS shape
     FROM pg_namespace n WHERE n.nspname = $1`,
    [schema],
  );
  return rows[0]?.shape ?? 'missing';
}

function schemaOf(url: string): string {
  const name = /search_path=(nd_t_\w+)/.exec(new URL(url).searchParams.get('options') ?? '')?.[1];
  if (!name) throw new Error(`${url} names no test schema`);
  return name;
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
    const schemaName = schemaOf(scratch.url);
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
