import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from '../test/database.js';
import { buildAppOn, makeToken } from '../test/factories.js';
import { migrateToLatest, openSqlite, type Db } from './database.js';

// Several processes write one SQLite file (a worker per core, `newsdesk import`). Waiting for
// another's write lock must not stop this process: better-sqlite3 runs on the event loop, so a
// wait inside SQLite (its busy handler sleeps) would stall every request the process serves.
// Here the other writer is a second connection in this same process: a wait inside SQLite could
// then never end, since the holder's release needs the event loop the wait would be blocking.

const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function fileDatabase(): Promise<{ db: Db; other: SQLite.Database }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-locking-'));
  const db = openSqlite({ dataDir });
  await migrateToLatest(db);
  const other = new SQLite(path.join(dataDir, 'newsdesk.sqlite'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }), () => void db.destroy(), () => other.close());
  return { db, other };
}

const writeState = (db: Db, value: string) => db.insertInto('moderation_settings').values({ key: 'lock-test', value })
  .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();

describe.runIf(TEST_ENGINE === 'sqlite')('waiting for another writer on SQLite', () => {
  it('keeps the event loop turning while it waits, and writes once the lock is free', async () => {
    const { db, other } = await fileDatabase();
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    cleanups.push(() => clearInterval(ticker));
    setTimeout(() => other.exec('COMMIT'), 150);

    const started = Date.now();
    await writeState(db, 'written after the other commit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    // The timer ran during the wait: nothing held the event loop.
    expect(ticks).toBeGreaterThan(5);
    expect(other.prepare("SELECT value FROM moderation_settings WHERE key = 'lock-test'").get()).toEqual({ value: 'written after the other commit' });
  });

  it('waits the same way for a transaction, and runs it whole', async () => {
    const { db, other } = await fileDatabase();
    other.exec('BEGIN IMMEDIATE');
    setTimeout(() => other.exec('COMMIT'), 100);
    await db.transaction().execute(async (trx) => {
      await writeState(trx, 'first');
      await writeState(trx, 'second');
    });
    expect(other.prepare("SELECT value FROM moderation_settings WHERE key = 'lock-test'").get()).toEqual({ value: 'second' });
  });

  it('gives up with SQLITE_BUSY after five seconds of a lock that is never released, and stores nothing', async () => {
    const { db, other } = await fileDatabase();
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    await expect(writeState(db, 'never')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    other.exec('ROLLBACK');
    expect(other.prepare("SELECT value FROM moderation_settings WHERE key = 'lock-test'").get()).toBeUndefined();
  }, 15_000);

  it('answers a write that waited out the lock with 503 and Retry-After, and stores nothing', async () => {
    const { db, other } = await fileDatabase();
    const app = await buildAppOn(db);
    cleanups.push(() => void app.close());
    const { token } = await makeToken(db, 'editor');
    other.exec('BEGIN IMMEDIATE');
    const res = await app.inject({
      method: 'POST', url: '/api/v1/briefs', headers: { authorization: `Bearer ${token}` },
      payload: { language: 'en', headline: 'Written while another process held the lock', sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] },
    });
    other.exec('ROLLBACK');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ error: { code: 'busy', fields: [] } });
    expect(await db.selectFrom('briefs').select('id').execute()).toEqual([]);
  }, 15_000);
});
