import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config/index.js';
import { migrateToLatest, openSqlite, type Db } from './storage/database.js';
import { createEventBus, type EventBus } from './storage/events.js';
import { keepSearchIndexCurrent } from './search/indexer.js';
import { createHttpPurger, createRecordingPurger, purgeCacheOnChange } from './distribution/purge.js';
import { createSqliteSearchIndex } from './search/sqlite.js';
import type { SearchIndex } from './search/types.js';
import { startWebhookWorker } from './distribution/webhook-worker.js';

export interface Runtime {
  config: Config;
  db: Db;
  bus: EventBus;
  cookieSecret: string;
  /** Kept current from `bus`; absent only in runtimes assembled by hand (tests). */
  search?: SearchIndex;
}

/** Reads the cookie-signing secret from the data folder, creating it (mode 0600) on first start. */
export function loadSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/** Opens and migrates the database; what every command does before touching data. */
export async function openRuntime(config: Config): Promise<Runtime> {
  const db = openSqlite({ dataDir: config.dataDir });
  await migrateToLatest(db);
  const bus = createEventBus();
  // Every command, not only the server, keeps the index current: `newsdesk import` publishes too.
  const search = createSqliteSearchIndex(db);
  await search.ensureCurrent();
  keepSearchIndexCurrent(bus, search);
  return { config, db, bus, cookieSecret: loadSecret(config.dataDir), search };
}

/** Starts the web server; resolves once it listens. Closes cleanly on SIGINT and SIGTERM. */
export async function startServer(runtime: Runtime): Promise<FastifyInstance> {
  const app = await buildApp({ ...runtime, logger: { level: runtime.config.logLevel } });
  await app.listen({ port: runtime.config.port, host: runtime.config.host });
  // Only the server purges the CDN: a command such as `newsdesk import` closes the database before
  // a queued purge could read the brief, and the pages it changed expire within s-maxage anyway.
  const { config, db, bus } = runtime;
  const isDebug = config.logLevel === 'debug' || config.logLevel === 'trace';
  purgeCacheOnChange({
    bus, db,
    purger: config.purgeUrl ? createHttpPurger(config.purgeUrl) : createRecordingPurger(isDebug ? (msg, req) => app.log.debug({ keys: req.keys, event: req.eventType }, msg) : undefined),
    onError: (err, event) => app.log.error({ err, event: event.type, subject: event.subjectId }, 'cache purge failed'),
  });
  // Only the server sends webhooks; other commands leave their events for it to pick up.
  const webhooks = startWebhookWorker({
    db: runtime.db, bus: runtime.bus, origin: runtime.config.publicUrl, backoffMs: runtime.config.webhookBackoffMs,
    onError: (err) => app.log.error({ err }, 'webhook worker'),
  });
  const stop = async () => {
    await webhooks.stop();
    await app.close();
    await runtime.db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return app;
}
