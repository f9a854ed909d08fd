import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_ENGINE, type TestDatabase } from '../test/database.js';
import { engineOf } from './database.js';

// `npm test` runs the suite once per engine; a run that silently fell back to SQLite would pass
// the PostgreSQL half without testing it. These ask the server itself what it is.

let open: TestDatabase | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

describe(`the engine under test (${TEST_ENGINE})`, () => {
  it('is the one NEWSDESK_TEST_ENGINE names, as the server reports it', async () => {
    open = await openTestDatabase();
    expect(engineOf(open.db)).toBe(TEST_ENGINE);
    if (TEST_ENGINE === 'postgres') {
      const { rows } = await sql<{ version: string }>`SELECT version() AS version`.execute(open.db);
      expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
      expect(open.databaseUrl).toMatch(/^postgres:\/\//);
    } else {
      const { rows } = await sql<{ version: string }>`SELECT sqlite_version() AS version`.execute(open.db);
      expect(rows[0]!.version).toMatch(/^3\.\d+/);
      expect(open.databaseUrl).toBeNull();
    }
  });

  it('migrates an empty database to the whole schema, with counts as numbers', async () => {
    open = await openTestDatabase();
    const migrations = await open.db.selectFrom('kysely_migration' as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(typeof migrations.n).toBe('number');
    expect(migrations.n).toBeGreaterThanOrEqual(11);
    for (const table of ['briefs', 'stories', 'comments', 'events', 'search_brief_docs', 'webhooks'] as const) {
      const row = await open.db.selectFrom(table as 'briefs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(row.n, table).toBe(0);
    }
  });

  it('gives each test database its own schema on PostgreSQL, so runs never see each other', async () => {
    if (TEST_ENGINE !== 'postgres') return;
    const a = await openTestDatabase();
    const b = await openTestDatabase();
    try {
      await a.db.insertInto('webhook_cursor').values({ id: 'only-in-a', last_event_id: '' }).execute();
      const inB = await b.db.selectFrom('webhook_cursor').selectAll().execute();
      expect(inB).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
