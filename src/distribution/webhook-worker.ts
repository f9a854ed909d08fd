import { sql } from 'kysely';
import { findBrief } from '../content/brief-repository.js';
import { presentBrief, presentStory } from '../content/presenter.js';
import { findStory } from '../content/stories.js';
import { presentComment } from '../comments/presenter.js';
import { findComment } from '../comments/repository.js';
import { newId } from '../common/ids.js';
import type { Db, Executor } from '../storage/database.js';
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
// PostgreSQL (issue 7) needs its own commit-ordered sequence here.

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
  onError?: (err: unknown) => void;
}

export interface WebhookWorker {
  /** Looks for work now instead of at the next poll. */
  nudge(): void;
  /** Stops polling and abandons attempts in flight; they stay pending for the next start. */
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
  return db.transaction().execute(async (trx) => {
    const cursor = await trx.selectFrom('webhook_cursor').select('last_event_id').where('id', '=', CURSOR_ID).executeTakeFirst();
    if (!cursor) {
      // First start with webhooks: history before now is nobody's delivery.
      const newest = await trx.selectFrom('events').select('id').orderBy(sql`rowid`, 'desc').limit(1).executeTakeFirst();
      await trx.insertInto('webhook_cursor').values({ id: CURSOR_ID, last_event_id: newest?.id ?? '' }).execute();
      return 0;
    }
    const after = sql<number>`coalesce((select rowid from events where id = ${cursor.last_event_id}), 0)`;
    const rows = await trx.selectFrom('events').selectAll().where(sql`rowid`, '>', after).orderBy(sql`rowid`).limit(batch).execute();
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

/** Starts turning events into deliveries and sending them; runs until `stop`. */
export function startWebhookWorker(opts: WebhookWorkerOptions): WebhookWorker {
  const { db, origin, backoffMs } = opts;
  const pollMs = opts.pollMs ?? 250;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const retryForMs = opts.retryForMs ?? 24 * HOUR;
  const maxConcurrent = opts.maxConcurrent ?? 8;
  const onError = opts.onError ?? (() => {});
  const inFlight = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let isWanted = false;
  let isStopped = false;

  async function record(delivery: DueDelivery, outcome: { statusCode: number | null; error: string | null }): Promise<void> {
    const now = new Date();
    const attempts = delivery.attempts + 1;
    const isDelivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const isExpired = now.getTime() - Date.parse(delivery.createdAt) >= retryForMs;
    const status = isDelivered ? 'delivered' : isExpired ? 'failed' : 'pending';
    await db.updateTable('webhook_deliveries').set({
      status,
      attempts,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      delivered_at: isDelivered ? now.toISOString() : null,
      next_attempt_at: status === 'pending' ? new Date(now.getTime() + retryDelay(backoffMs, attempts)).toISOString() : null,
    }).where('id', '=', delivery.id).execute();
  }

  async function attempt(delivery: DueDelivery): Promise<void> {
    const timestamp = Math.floor(Date.now() / 1000);
    let outcome: { statusCode: number | null; error: string | null };
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
      outcome = { statusCode: response.status, error: response.ok ? null : `HTTP ${response.status}` };
    } catch (err) {
      if (stopping.signal.aborted) return;
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const name = (err as { name?: string }).name;
      outcome = { statusCode: null, error: name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause ?? (err instanceof Error ? err.message : String(err)) };
    }
    if (!isStopped) await record(delivery, outcome);
  }

  async function startDue(): Promise<void> {
    const room = maxConcurrent - inFlight.size;
    if (room <= 0) return;
    let query = db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['d.id', 'w.url', 'w.secret', 'd.event_type', 'd.payload', 'd.attempts', 'd.created_at'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', new Date().toISOString())
      .where('w.active', '=', 1);
    if (inFlight.size > 0) query = query.where('d.id', 'not in', [...inFlight.keys()]);
    const due = await query.orderBy('d.next_attempt_at').orderBy('d.id').limit(room).execute();
    for (const row of due) {
      const delivery: DueDelivery = {
        id: row.id, url: row.url, secret: row.secret, eventType: row.event_type, payload: row.payload, attempts: row.attempts, createdAt: row.created_at,
      };
      const run = attempt(delivery)
        .catch(onError)
        .finally(() => {
          inFlight.delete(delivery.id);
          worker.nudge();
        });
      inFlight.set(delivery.id, run);
    }
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
      if (!isStopped) await startDue();
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
      stopping.abort();
      await Promise.allSettled([running, ...inFlight.values()]);
    },
  };
  void tick();
  return worker;
}
