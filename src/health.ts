import type { FastifyInstance, FastifyReply } from 'fastify';
import { sql } from 'kysely';
import type { Db } from './storage/database.js';

// Two questions a load balancer or an orchestrator asks. Liveness (/healthz): is the process up
// and its event loop turning? It touches nothing else, so a database outage never gets healthy
// processes restarted. Readiness (/readyz): should this instance be sent traffic now? Only while
// the database answers and the process is not shutting down. Both answer `no-store`, so neither
// the page cache (which keeps only public answers) nor any proxy keeps a stale verdict, and
// neither carries a rate limit (the app sets none globally), so probes are never refused.

/** Longer than a healthy database needs for `select 1`; short enough for a probe's own timeout. */
export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

export interface Readiness {
  readonly isShuttingDown: boolean;
  /** From now on /readyz answers 503: called first thing on SIGTERM, before connections drain. */
  markShuttingDown(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether this instance should still receive traffic; main.ts flips it on shutdown. */
    readiness: Readiness;
  }
}

/**
 * Asks the database a trivial question on either engine; answers null when it answered in time,
 * or why not. The reason is kept generic: the body is public, the error goes to the log.
 */
export async function checkDatabase(db: Db, options: { timeoutMs?: number; onError?: (err: unknown) => void } = {}): Promise<string | null> {
  const { timeoutMs = DATABASE_CHECK_TIMEOUT_MS, onError = () => {} } = options;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs); });
  const query = sql<{ one: number }>`select 1 as one`.execute(db).then(
    () => null,
    (err: unknown) => {
      onError(err);
      return 'query failed';
    },
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const unstored = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Registers /healthz and /readyz on the root app and decorates it with `readiness`. */
export function registerHealthRoutes(app: FastifyInstance, deps: { db: Db; databaseTimeoutMs?: number }): void {
  let isShuttingDown = false;
  app.decorate('readiness', {
    get isShuttingDown() { return isShuttingDown; },
    markShuttingDown() { isShuttingDown = true; },
  } satisfies Readiness);

  app.get('/healthz', async (_request, reply) => {
    unstored(reply);
    return { status: 'ok' };
  });

  app.get('/readyz', async (request, reply) => {
    unstored(reply);
    const database = await checkDatabase(deps.db, {
      timeoutMs: deps.databaseTimeoutMs,
      onError: (err) => request.log.warn({ err }, 'readiness: the database did not answer'),
    });
    const checks = { database: database ?? 'ok', process: isShuttingDown ? 'shutting down' : 'ok' };
    const notReady = Object.entries(checks).filter(([, state]) => state !== 'ok').map(([name]) => name);
    if (notReady.length === 0) return { status: 'ready', checks };
    return reply.code(503).send({ status: 'not ready', notReady, checks });
  });
}
