import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config/index.js';
import { migrateToLatest, openDatabase, type Db } from './storage/database.js';
import { createEventBus, type EventBus } from './storage/events.js';
import { tailEvents } from './storage/event-tail.js';
import { keepSearchIndexCurrent } from './search/indexer.js';
import { createHttpPurger, createRecordingPurger, purgeCacheOnChange } from './distribution/purge.js';
import { createSearchIndex } from './search/engine.js';
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
  const db = openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await migrateToLatest(db);
  const bus = createEventBus();
  // Every command, not only the server, keeps the index current: `newsdesk import` publishes too.
  const search = createSearchIndex(db);
  await search.ensureCurrent();
  keepSearchIndexCurrent(bus, search);
  return { config, db, bus, cookieSecret: loadSecret(config.dataDir), search };
}

export interface ServerOptions {
  /**
   * Runs the webhook worker and the CDN purger. Their work must happen once per event, so of
   * several server processes exactly one runs them (src/cli/cluster.ts); a lone server does.
   */
  runsJobs?: boolean;
  /**
   * Names the answering process in an `x-newsdesk-worker` header: for tests of the cluster and of
   * instances behind a load balancer only (NEWSDESK_EXPOSE_WORKER=1 by default).
   */
  exposesWorker?: boolean;
}

/** How long requests in flight get to finish on shutdown before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Closes the app within `graceMs`. Node's server.close() closes idle keep-alive connections only
 * once, so a connection whose request finishes afterwards would idle until its keep-alive timeout;
 * the reaper closes each as it turns idle. A request still running at the deadline is cut off.
 */
async function closeWithin(app: FastifyInstance, graceMs: number): Promise<void> {
  const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => {
    app.log.warn(`requests still running ${graceMs} ms after shutdown began were cut off`);
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(reaper);
    clearTimeout(deadline);
  }
}

/** The bus as work done for every process sees it: it hears the others' commits too. */
const hearingRemote = (bus: EventBus): EventBus => ({ ...bus, subscribe: (handler) => bus.subscribe(handler, { remote: true }) });

/** Starts the web server; resolves once it listens. Closes cleanly on SIGINT and SIGTERM. */
export async function startServer(runtime: Runtime, options: ServerOptions = {}): Promise<FastifyInstance> {
  const { runsJobs = true, exposesWorker = process.env.NEWSDESK_EXPOSE_WORKER === '1' } = options;
  const app = await buildApp({ ...runtime, logger: { level: runtime.config.logLevel } });
  // On the raw server, ahead of Fastify: cached answers and event streams carry it too.
  if (exposesWorker) app.server.prependListener('request', (_req, res) => res.setHeader('x-newsdesk-worker', String(process.pid)));
  await app.listen({ port: runtime.config.port, host: runtime.config.host });
  const { config, db, bus } = runtime;
  // Other processes on this database (more workers, `newsdesk import`) commit too: their events
  // reach this process's page cache and live streams through the tail.
  const tail = tailEvents({ db, bus, onError: (err) => app.log.error({ err }, 'reading other processes\' events failed') });
  let webhooks: { stop(): Promise<void> } | null = null;
  if (runsJobs) {
    // Only a server purges the CDN, for its own writes and those of other processes (a command
    // such as `newsdesk import` closes the database before a queued purge could read the brief).
    const isDebug = config.logLevel === 'debug' || config.logLevel === 'trace';
    purgeCacheOnChange({
      bus: hearingRemote(bus), db,
      purger: config.purgeUrl ? createHttpPurger(config.purgeUrl) : createRecordingPurger(isDebug ? (msg, req) => app.log.debug({ keys: req.keys, event: req.eventType }, msg) : undefined),
      onError: (err, event) => app.log.error({ err, event: event.type, subject: event.subjectId }, 'cache purge failed'),
    });
    // Only a server sends webhooks; other processes leave their events in the table for it.
    webhooks = startWebhookWorker({
      db, bus: hearingRemote(bus), origin: config.publicUrl, backoffMs: config.webhookBackoffMs,
      // Attempts in flight finish on shutdown, so another instance does not send them a second time.
      stopGraceMs: 5_000,
      onError: (err) => app.log.error({ err }, 'webhook worker'),
    });
  }
  let stopping: Promise<void> | null = null;
  // A terminal's Ctrl-C reaches a cluster worker twice (from the terminal and from the primary).
  const stop = () => (stopping ??= (async () => {
    // First, so a load balancer probing /readyz hears of it before anything else changes.
    app.readiness.markShuttingDown();
    let exitCode = 0;
    try {
      // Stops listening, ends open event streams (the live hub's preClose hook) and lets requests
      // in flight finish; their commits still need the database, so it closes last.
      await closeWithin(app, SHUTDOWN_GRACE_MS);
      await tail.stop();
      await webhooks?.stop();
      await runtime.db.destroy();
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      exitCode = 1;
    }
    process.exit(exitCode);
  })());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return app;
}
