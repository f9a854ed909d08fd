import { sql } from 'kysely';
import { findBrief } from '../content/brief-repository.js';
import { presentBrief, presentStory } from '../content/presenter.js';
import { findStory } from '../content/stories.js';
import { presentComment } from '../comments/presenter.js';
import { findComment } from '../comments/repository.js';
import { newId } from '../common/ids.js';
import { engineOf, openPostgres, postgresUrlOf, type Db, type Executor } from '../storage/database.js';
import { startJobQueue, stopJobQueue, type JobQueue } from '../jobs/queue.js';
import { eventPosition } from '../storage/event-tail.js';
import type { DomainEvent, DomainEventType, EventBus } from '../storage/events.js';
import { signatureHeader, webhookEventsFor, type WebhookEvent } from './webhooks.js';

// Deliveries come from the `events` table, which the services write inside their own
// transactions, rather than from the in-process bus: a crash between a commit and a bus
// subscriber would lose the delivery, while the events table is already on disk. The worker
// reads it from a stored cursor and writes deliveries and the new cursor in one transaction.
// Sending happens here, off the request path, so a slow endpoint never slows publishing.
//
// The cursor names the last event read, but events are read in rowid order, not id order: rowids
// grow in commit order (SQLite has one writer at a time), while two processes sharing the
// database (cluster workers, the CLI) can commit ULIDs out of order, which would skip an event.
// PostgreSQL numbers events in commit order in `seq` (see storage/event-tail.ts).
//
// With SQLite one process runs this worker (the cluster's first). On PostgreSQL every instance
// runs it, so each step is made safe to run concurrently: dispatching locks the cursor row;
// sending goes through a pg-boss queue (jobs/queue.ts), one job per due delivery, fed from the
// deliveries table, which stays the record of every attempt the desk shows. The queue spreads
// the jobs over the instances; the delivery row, locked FOR UPDATE SKIP LOCKED for the length of
// an attempt, is what makes each attempt happen once: a duplicate job finds the row locked, or no
// longer due, and does nothing. An instance that dies mid-attempt drops its connection, the
// server releases the lock and rolls the attempt back, and the next feed hands the still-pending
// delivery to another instance (the dead instance's job expires later and finds nothing to do).

const CURSOR_ID = 'events';
const HOUR = 3_600_000;

export interface WebhookWorkerOptions {
  db: Db;
  bus: EventBus;
  /** The site's public origin, for the links in payloads. */
  origin: string;
  /** First retry delay; each later one doubles, capped at an hour. */
  backoffMs: number;
  /** How often due deliveries are looked for besides the bus's nudges. */
  pollMs?: number;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs?: number;
  /** How long a delivery keeps being retried before it is marked failed. */
  retryForMs?: number;
  maxConcurrent?: number;
  /**
   * How long `stop` lets attempts in flight finish before abandoning them (default 0). An attempt
   * abandoned after the endpoint got the request is sent again later, so the endpoint sees it twice.
   */
  stopGraceMs?: number;
  /**
   * SQLite: how long past `timeoutMs` a delivery claimed by a runner that died stays its own
   * before another runner sends it (default 60 s).
   */
  claimMarginMs?: number;
  onError?: (err: unknown) => void;
}

export interface WebhookWorker {
  /** Looks for work now instead of at the next poll. */
  nudge(): void;
  /** Stops polling, gives attempts in flight `stopGraceMs`, then abandons the rest: they stay pending for the next start. */
  stop(): Promise<void>;
}

/** The delay before retry number `attempts` (1 = after the first failure), with ±20 % jitter. */
export function retryDelay(backoffMs: number, attempts: number): number {
  const plain = Math.min(backoffMs * 2 ** Math.min(attempts - 1, 30), Math.max(HOUR, backoffMs));
  return Math.round(plain * (0.8 + Math.random() * 0.4));
}

async function payloadData(db: Executor, event: DomainEvent, name: WebhookEvent, origin: string): Promise<Record<string, unknown> | null> {
  if (name.startsWith('brief.')) {
    const brief = await findBrief(db, event.subjectId);
    return brief ? { brief: presentBrief(brief, origin) } : null;
  }
  if (name === 'story.changed') {
    const story = await findStory(db, event.subjectId);
    return story ? { story: presentStory(story, origin), change: event.type === 'background.changed' ? 'background' : 'story' } : null;
  }
  const commentId = event.payload.commentId;
  const comment = typeof commentId === 'string' ? await findComment(db, commentId) : null;
  if (!comment) return null;
  return { comment: presentComment(comment), ...(name === 'comment.flagged' ? { reasons: event.payload.reasons ?? [] } : {}) };
}

/**
 * Turns events committed since the cursor into deliveries for the endpoints subscribed to them.
 * Safe to run twice over the same events (one delivery per endpoint and event). Answers how
 * many events it read, so a caller knows whether a backlog remains.
 */
export async function dispatchNewEvents(db: Db, origin: string, batch = 200): Promise<number> {
  // The order events committed in (rowid, or seq on PostgreSQL): ids from two processes can commit out of order.
  const position = eventPosition(db);
  const isShared = engineOf(db) === 'postgres';
  return db.transaction().execute(async (trx) => {
    let cursorQuery = trx.selectFrom('webhook_cursor').select('last_event_id').where('id', '=', CURSOR_ID);
    // Every instance dispatches on PostgreSQL: the row lock makes a second dispatcher wait for the
    // first to commit and then read the cursor it moved, so no batch is dispatched twice.
    // (SQLite's single writer already serialises these transactions, and it has no FOR UPDATE.)
    if (isShared) cursorQuery = cursorQuery.forUpdate();
    const cursor = await cursorQuery.executeTakeFirst();
    if (!cursor) {
      // First start with webhooks: history before now is nobody's delivery. Two instances starting
      // together both get here; the second insert waits for the first and then does nothing.
      const newest = await trx.selectFrom('events').select('id').orderBy(position, 'desc').limit(1).executeTakeFirst();
      await trx.insertInto('webhook_cursor').values({ id: CURSOR_ID, last_event_id: newest?.id ?? '' })
        .onConflict((oc) => oc.column('id').doNothing()).execute();
      return 0;
    }
    const after = sql<number>`coalesce((select ${position} from events where id = ${cursor.last_event_id}), 0)`;
    const rows = await trx.selectFrom('events').selectAll().where(position, '>', after).orderBy(position).limit(batch).execute();
    if (rows.length === 0) return 0;
    const hooks = (await trx.selectFrom('webhooks').select(['id', 'events', 'created_at']).where('active', '=', 1).execute())
      .map((h) => ({ id: h.id, events: JSON.parse(h.events) as string[], createdAt: h.created_at }));
    for (const row of rows) {
      const event: DomainEvent = {
        id: row.id, type: row.type as DomainEventType, subjectId: row.subject_id, actorId: row.actor_id,
        payload: JSON.parse(row.payload) as Record<string, unknown>, createdAt: row.created_at,
      };
      for (const name of webhookEventsFor(event)) {
        // An endpoint hears only of what happened after it was registered.
        const targets = hooks.filter((h) => h.events.includes(name) && h.createdAt <= event.createdAt);
        if (targets.length === 0) continue;
        const data = await payloadData(trx, event, name, origin);
        if (!data) continue;
        for (const hook of targets) {
          const id = newId();
          const body = JSON.stringify({ id, event: name, occurredAt: event.createdAt, data });
          await trx.insertInto('webhook_deliveries')
            .values({
              id, webhook_id: hook.id, event_id: event.id, event_type: name, payload: body, status: 'pending', attempts: 0,
              next_attempt_at: new Date().toISOString(), last_status_code: null, last_error: null, created_at: new Date().toISOString(), delivered_at: null,
            })
            .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
            .execute();
        }
      }
    }
    await trx.updateTable('webhook_cursor').set({ last_event_id: rows[rows.length - 1]!.id }).where('id', '=', CURSOR_ID).execute();
    return rows.length;
  });
}

interface DueDelivery {
  id: string;
  url: string;
  secret: string;
  eventType: string;
  payload: string;
  attempts: number;
  createdAt: string;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
}

const DELIVERY_QUEUE = 'webhook-delivery';

/** An attempt cut short by `stop`: its transaction rolls back and the delivery stays pending. */
class AbandonedAttempt extends Error {}

function dueDeliveries(db: Executor, now: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select(['d.id', 'w.url', 'w.secret', 'd.event_type', 'd.payload', 'd.attempts', 'd.created_at', 'd.next_attempt_at'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where('w.active', '=', 1);
}

function toDelivery(row: { id: string; url: string; secret: string; event_type: string; payload: string; attempts: number; created_at: string }): DueDelivery {
  return { id: row.id, url: row.url, secret: row.secret, eventType: row.event_type, payload: row.payload, attempts: row.attempts, createdAt: row.created_at };
}

/** Starts turning events into deliveries and sending them; runs until `stop`. */
export function startWebhookWorker(opts: WebhookWorkerOptions): WebhookWorker {
  const { db, origin, backoffMs } = opts;
  const pollMs = opts.pollMs ?? 250;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const claimMarginMs = opts.claimMarginMs ?? 60_000;
  const retryForMs = opts.retryForMs ?? 24 * HOUR;
  const maxConcurrent = opts.maxConcurrent ?? 8;
  const stopGraceMs = opts.stopGraceMs ?? 0;
  const onError = opts.onError ?? (() => {});
  const inFlight = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let isWanted = false;
  let isStopped = false;

  async function record(executor: Executor, delivery: DueDelivery, outcome: Outcome): Promise<void> {
    const now = new Date();
    const attempts = delivery.attempts + 1;
    const isDelivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const isExpired = now.getTime() - Date.parse(delivery.createdAt) >= retryForMs;
    const status = isDelivered ? 'delivered' : isExpired ? 'failed' : 'pending';
    await executor.updateTable('webhook_deliveries').set({
      status,
      attempts,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      delivered_at: isDelivered ? now.toISOString() : null,
      next_attempt_at: status === 'pending' ? new Date(now.getTime() + retryDelay(backoffMs, attempts)).toISOString() : null,
    }).where('id', '=', delivery.id).execute();
  }

  /** One POST of the delivery; null when `stop` cut it short. */
  async function send(delivery: DueDelivery): Promise<Outcome | null> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Newsdesk-Webhooks/1',
          'newsdesk-event': delivery.eventType,
          'newsdesk-delivery': delivery.id,
          'newsdesk-signature': signatureHeader(delivery.secret, timestamp, delivery.payload),
        },
        body: delivery.payload,
        // A redirect could carry signed content to an address nobody registered.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]),
      });
      // Only the status matters; dropping the body frees the connection.
      await response.body?.cancel().catch(() => {});
      return { statusCode: response.status, error: response.ok ? null : `HTTP ${response.status}` };
    } catch (err) {
      if (stopping.signal.aborted) return null;
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const name = (err as { name?: string }).name;
      return { statusCode: null, error: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause ?? (err instanceof Error ? err.message : String(err)) };
    }
  }

  function track(key: string, work: Promise<void>): void {
    const run = work
      .catch(onError)
      .finally(() => {
        inFlight.delete(key);
        worker.nudge();
      });
    inFlight.set(key, run);
  }

  /**
   * SQLite: one job runner per machine by design (the cluster elects one), but a second `serve` on
   * the same file (a restart overlapping the old process) would read the same due rows. Each
   * delivery is claimed before it is sent by moving its next attempt past the send's timeout, in a
   * write that only succeeds if nobody moved it first; SQLite's single writer makes the check and
   * the move one step. A runner that dies mid-send leaves a claim that lapses, and the delivery is
   * tried again; one that stops gives its claims back.
   */
  const local = {
    async startDue(): Promise<void> {
      const room = maxConcurrent - inFlight.size;
      if (room <= 0) return;
      let query = dueDeliveries(db, new Date().toISOString());
      if (inFlight.size > 0) query = query.where('d.id', 'not in', [...inFlight.keys()]);
      const due = await query.orderBy('d.next_attempt_at').orderBy('d.id').limit(room).execute();
      for (const row of due) {
        const delivery = toDelivery(row);
        const claimedUntil = new Date(Date.now() + timeoutMs + claimMarginMs).toISOString();
        const claim = await db.updateTable('webhook_deliveries').set({ next_attempt_at: claimedUntil })
          .where('id', '=', row.id).where('status', '=', 'pending').where('next_attempt_at', '=', row.next_attempt_at)
          .executeTakeFirst();
        if (Number(claim.numUpdatedRows) === 0) continue;
        track(delivery.id, (async () => {
          const outcome = await send(delivery);
          if (outcome && !stopping.signal.aborted) await record(db, delivery, outcome);
          else {
            await db.updateTable('webhook_deliveries').set({ next_attempt_at: row.next_attempt_at })
              .where('id', '=', row.id).where('status', '=', 'pending').where('next_attempt_at', '=', claimedUntil).execute();
          }
        })());
      }
    },
  };

  const shared = engineOf(db) === 'postgres' ? startShared() : null;

  /** PostgreSQL: deliveries become queue jobs, and a job attempts its delivery only under the row's lock. */
  function startShared() {
    // Attempts hold a connection for up to timeoutMs; their own pool leaves the web server's alone.
    const senderDb = openPostgres(postgresUrlOf(db));
    const expireInSeconds = Math.ceil(timeoutMs / 1000) + 60;
    let queue: Promise<JobQueue> | null = null;
    // Started at the first pass; a start that fails (the server unreachable) is tried again at the next.
    const connect = (): Promise<JobQueue> => (queue ??= startJobQueue({
      db, onError, queues: [{ name: DELIVERY_QUEUE, policy: 'short', expireInSeconds }],
    }).catch((err: unknown) => {
      queue = null;
      throw err;
    }));
    // Jobs this process holds, by job id, with their delivery, so a feed does not queue them again.
    const held = new Map<string, string>();

    /**
     * Queues a job for each due delivery that no attempt holds. The deliveries table is the source:
     * it covers new deliveries, retries whose time came, a resend from the desk, and deliveries
     * whose instance died. The `short` policy drops a job for a delivery that already has one waiting.
     */
    async function feed(boss: JobQueue): Promise<void> {
      let query = dueDeliveries(db, new Date().toISOString()).clearSelect().select('d.id');
      if (held.size > 0) query = query.where('d.id', 'not in', [...held.values()]);
      // SKIP LOCKED leaves out deliveries an attempt (here or elsewhere) is sending right now.
      const due = await query.orderBy('d.next_attempt_at').orderBy('d.id').limit(100).forUpdate('d').skipLocked().execute();
      for (const { id } of due) {
        await boss.send(DELIVERY_QUEUE, { deliveryId: id }, { singletonKey: id, expireInSeconds, retryLimit: 0 });
      }
    }

    async function attemptLocked(deliveryId: string): Promise<void> {
      try {
        await senderDb.transaction().execute(async (trx) => {
          const row = await dueDeliveries(trx, new Date().toISOString())
            .where('d.id', '=', deliveryId).forUpdate('d').skipLocked().executeTakeFirst();
          // Locked: another attempt holds it. Gone: sent, failed or rescheduled since it was queued.
          if (!row) return;
          const delivery = toDelivery(row);
          const outcome = await send(delivery);
          if (!outcome || stopping.signal.aborted) throw new AbandonedAttempt();
          await record(trx, delivery, outcome);
        });
      } catch (err) {
        if (!(err instanceof AbandonedAttempt)) throw err;
      }
    }

    async function startDue(): Promise<void> {
      const boss = await connect();
      await feed(boss);
      const room = maxConcurrent - inFlight.size;
      if (room <= 0 || isStopped) return;
      const jobs = await boss.fetch<{ deliveryId: string }>(DELIVERY_QUEUE, { batchSize: room });
      if (isStopped) {
        // Fetched while stopping: handed back by completing them; their deliveries stay pending for the next feed.
        if (jobs.length > 0) await boss.complete(DELIVERY_QUEUE, jobs.map((job) => job.id));
        return;
      }
      for (const job of jobs) {
        held.set(job.id, job.data.deliveryId);
        track(job.id, (async () => {
          try {
            await attemptLocked(job.data.deliveryId);
            // Completed even when abandoned by stop: the delivery is still pending, so the next
            // feed (here or on another instance) queues it again.
            await boss.complete(DELIVERY_QUEUE, job.id);
          } finally {
            held.delete(job.id);
          }
        })());
      }
    }

    async function stop(): Promise<void> {
      const boss = await queue?.catch(() => null);
      if (boss) await stopJobQueue(boss);
      await senderDb.destroy();
    }

    return { startDue, stop };
  }

  async function tick(): Promise<void> {
    if (isStopped) return;
    if (running) {
      isWanted = true;
      return;
    }
    running = pass();
    await running;
    running = null;
    if (isWanted) {
      isWanted = false;
      worker.nudge();
    }
  }

  async function pass(): Promise<void> {
    try {
      while (!isStopped && (await dispatchNewEvents(db, origin)) > 0) {
        // keep going while a backlog remains
      }
      if (!isStopped) await (shared ?? local).startDue();
    } catch (err) {
      onError(err);
    }
  }

  const timer = setInterval(() => void tick(), pollMs);
  timer.unref();
  // Only a nudge: the bus awaits its subscribers after the commit, and publishing must not wait.
  const unsubscribe = opts.bus.subscribe(() => {
    worker.nudge();
  });

  const worker: WebhookWorker = {
    nudge() {
      if (!isStopped) setImmediate(() => void tick());
    },
    async stop() {
      isStopped = true;
      clearInterval(timer);
      unsubscribe();
      // No attempt starts once the pass in progress is over; those in flight get the grace period.
      await running;
      const attempts = Promise.allSettled([...inFlight.values()]);
      if (stopGraceMs > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([attempts, new Promise((resolve) => (timer = setTimeout(resolve, stopGraceMs)))]);
        clearTimeout(timer);
      }
      stopping.abort();
      await attempts;
      await shared?.stop();
    },
  };
  void tick();
  return worker;
}
