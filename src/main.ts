import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config/index.js';
import { migrateToLatest, openSqlite, type Db } from './storage/database.js';
import { createEventBus, type EventBus } from './storage/events.js';
import { keepSearchIndexCurrent } from './search/indexer.js';
import { createSqliteSearchIndex } from './search/sqlite.js';
import type { SearchIndex } from './search/types.js';

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
  const stop = async () => {
    await app.close();
    await runtime.db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return app;
}
