import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection } from 'kysely';
import { buildApp } from './app.js';
import { loadConfig } from './config/index.js';
import { checkDatabase } from './health.js';
import { engineOf, type Db } from './storage/database.js';
import { createEventBus } from './storage/events.js';
import { openTestDatabase, TEST_ENGINE } from './test/database.js';
import { buildTestApp, type TestContext } from './test/factories.js';

let t: TestContext;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t.close(); });

/** A database whose every query waits for ever, as one behind a dead network link does. */
function unansweringDatabase(): Db {
  const never = () => new Promise<never>(() => {});
  return new Kysely({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => ({
        init: async () => {},
        acquireConnection: async (): Promise<DatabaseConnection> => ({ executeQuery: never, streamQuery: () => { throw new Error('not streamed'); } }),
        beginTransaction: async () => {},
        commitTransaction: async () => {},
        rollbackTransaction: async () => {},
        releaseConnection: async () => {},
        destroy: async () => {},
      }),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }) as unknown as Db;
}

describe('health and readiness', () => {
  it('runs on the engine under test', () => {
    expect(engineOf(t.db)).toBe(TEST_ENGINE);
  });

  it('answers /healthz and /readyz while the database answers', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', process: 'ok' } });
  });

  it('lets no cache keep either answer and limits neither', async () => {
    for (const url of ['/healthz', '/readyz']) {
      const answers = await Promise.all(Array.from({ length: 150 }, () => t.app.inject({ method: 'GET', url })));
      expect(answers.map((res) => res.statusCode)).toEqual(answers.map(() => 200));
      expect(answers[0]!.headers['cache-control']).toBe('no-store');
      expect(answers[0]!.headers.etag).toBeUndefined();
    }
  });

  it('stays live but turns unready when the database is gone, naming it', async () => {
    const database = await openTestDatabase();
    const app = await buildApp({ config: loadConfig({}), db: database.db, bus: createEventBus(), cookieSecret: randomBytes(32).toString('hex'), logger: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      await database.close();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.headers['cache-control']).toBe('no-store');
      expect(ready.json()).toEqual({ status: 'not ready', notReady: ['database'], checks: { database: 'query failed', process: 'ok' } });
      // Liveness asks nothing of the database: an outage must not get healthy processes restarted.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('turns unready at once when the process starts shutting down', async () => {
    const database = await openTestDatabase();
    const app = await buildApp({ config: loadConfig({}), db: database.db, bus: createEventBus(), cookieSecret: randomBytes(32).toString('hex'), logger: false });
    try {
      expect(app.readiness.isShuttingDown).toBe(false);
      app.readiness.markShuttingDown();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'not ready', notReady: ['process'], checks: { database: 'ok', process: 'shutting down' } });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('gives up on a database that does not answer instead of hanging the probe', async () => {
    const started = Date.now();
    expect(await checkDatabase(unansweringDatabase(), { timeoutMs: 100 })).toBe('no answer within 100 ms');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers null for a database that answers', async () => {
    expect(await checkDatabase(t.db)).toBeNull();
  });
});
