import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitPluginOptions } from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { Db } from '../storage/database.js';

// @fastify/rate-limit counts in process memory by default, so with several workers or instances
// a client gets the limit once per process. These counters live where all of them look: the
// database (the SQLite file the cluster workers share, or the PostgreSQL the instances share),
// or Redis when REDIS_URL is set.

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface DatabaseStoreOptions {
  db: Db;
  /** Called when sweeping expired rows fails; the request that triggered it is not affected. */
  onError: (err: unknown) => void;
  /** At most one sweep per this many milliseconds per process. */
  sweepIntervalMs?: number;
  /** Expired rows deleted per sweep, so one sweep never holds the write lock for long. */
  sweepBatch?: number;
}

/** What the plugin is handed per route: its merged options and, at run time, the route itself. */
interface ChildOptions {
  routeInfo?: { method?: string | string[]; url?: string };
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
}

/**
 * A store class for @fastify/rate-limit's `store` option that counts in the `rate_limits` table.
 * Each hit is one upsert, atomic on both engines, so processes racing on one key never lose a hit.
 */
export function databaseRateLimitStore(options: DatabaseStoreOptions): { Store: FastifyRateLimitStoreCtor; settled(): Promise<void> } {
  const { db, onError, sweepIntervalMs = 60_000, sweepBatch = 500 } = options;
  let lastSweepAt = -Infinity;
  let sweeping: Promise<void> | null = null;

  function sweepNowAndThen(now: Date): void {
    if (sweeping || now.getTime() - lastSweepAt < sweepIntervalMs) return;
    lastSweepAt = now.getTime();
    sweeping = deleteExpired(db, now.toISOString(), sweepBatch).catch(onError).finally(() => { sweeping = null; });
  }

  class DatabaseStore implements FastifyRateLimitStore {
    constructor(_options?: FastifyRateLimitOptions, private readonly prefix = '') {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      const now = new Date();
      countHit(db, this.prefix + key, now, timeWindow).then(
        (result) => {
          callback(null, result);
          sweepNowAndThen(now);
        },
        (err: Error) => callback(err),
      );
    }

    /** The plugin's non-mutating peek (`{ increment: false }`). */
    read(key: string, callback: Callback): void {
      readHits(db, this.prefix + key, new Date()).then((result) => callback(null, result), (err: Error) => callback(err));
    }

    child(options: object): FastifyRateLimitStore {
      // The plugin's typings call this the route's options; at run time (11.x) it is the merged
      // limit options with the route under `routeInfo`, as its own Redis store reads them.
      const routeOptions = options as ChildOptions;
      // The window is fixed from its first hit; silently ignoring these would weaken a limit.
      if (routeOptions.continueExceeding || routeOptions.exponentialBackoff) {
        throw new Error('The database rate-limit store supports neither continueExceeding nor exponentialBackoff');
      }
      // Per route, as the plugin's own stores do: a client's logins and sign-ups count apart.
      const { method = '', url = '' } = routeOptions.routeInfo ?? {};
      return new DatabaseStore(undefined, `${this.prefix}${String(method)}${url}-`);
    }
  }

  return { Store: DatabaseStore, settled: async () => { await sweeping; } };
}

async function countHit(db: Db, key: string, now: Date, timeWindow: number): Promise<{ current: number; ttl: number }> {
  const nowIso = now.toISOString();
  const newResetAt = new Date(now.getTime() + timeWindow).toISOString();
  // One statement: the row lock (PostgreSQL) or the write lock (SQLite) orders racing hits, and
  // the expired check is made on the row as it is when this hit gets it, not as it was read.
  const row = await db
    .insertInto('rate_limits')
    .values({ key, count: 1, reset_at: newResetAt })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => {
      const isExpired = eb('rate_limits.reset_at', '<=', nowIso);
      return {
        count: eb.case().when(isExpired).then(eb.lit(1)).else(eb('rate_limits.count', '+', eb.lit(1))).end(),
        reset_at: eb.case().when(isExpired).then(newResetAt).else(eb.ref('rate_limits.reset_at')).end(),
      };
    }))
    .returning(['count', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { current: Number(row.count), ttl: Math.max(0, Date.parse(row.reset_at) - now.getTime()) };
}

async function readHits(db: Db, key: string, now: Date): Promise<{ current: number; ttl: number }> {
  const row = await db.selectFrom('rate_limits').select(['count', 'reset_at'])
    .where('key', '=', key).where('reset_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return { current: 0, ttl: 0 };
  return { current: Number(row.count), ttl: Date.parse(row.reset_at) - now.getTime() };
}

/** Deletes up to `batch` rows whose window has ended; a key seen again simply starts afresh. */
async function deleteExpired(db: Db, nowIso: string, batch: number): Promise<void> {
  await db.deleteFrom('rate_limits')
    // Checked again on the row itself: a hit that restarted the window since the subquery ran
    // (PostgreSQL re-reads the row it waited for) must not lose its new count.
    .where('reset_at', '<=', nowIso)
    .where('key', 'in', (eb) => eb.selectFrom('rate_limits').select('key').where('reset_at', '<=', nowIso).limit(batch))
    .execute();
}

/** The plugin options that make every rate-limited route count in shared storage, and how to let go of it. */
export interface SharedRateLimits {
  options: Pick<RateLimitPluginOptions, 'store' | 'redis' | 'nameSpace'>;
  close(): Promise<void>;
}

/**
 * Redis when `redisUrl` is set (ioredis reads options from the URL's query too, e.g.
 * `?keyPrefix=site-a:` for sites sharing one server), otherwise the database.
 */
export function sharedRateLimits(options: {
  db: Db;
  redisUrl: string | null;
  /** Failures outside any request: a sweep of expired rows, a lost Redis connection. */
  onError: (err: unknown) => void;
}): SharedRateLimits {
  if (options.redisUrl) {
    // ioredis's defaults retry a command for ever while Redis is away, which would hang logins;
    // these fail the request quickly instead (the plugin's README recommends both).
    const redis = new Redis(options.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 });
    // Without a listener ioredis prints its connection errors itself; ours go to the log.
    redis.on('error', options.onError);
    return {
      options: { redis, nameSpace: 'newsdesk-rate-limit-' },
      close: async () => { await redis.quit(); },
    };
  }
  const { Store, settled } = databaseRateLimitStore({ db: options.db, onError: options.onError });
  return { options: { store: Store }, close: settled };
}
