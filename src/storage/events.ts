import { newId } from '../common/ids.js';
import { sql } from 'kysely';
import { engineOf, type Db, type Trx } from './database.js';

/** The advisory lock that orders event writers on PostgreSQL; any constant no other code uses. */
const EVENT_ORDER_LOCK = 7_301_530_001;

export type DomainEventType =
  | 'brief.created'
  | 'brief.updated'
  | 'brief.submitted'
  | 'brief.published'
  | 'brief.corrected'
  | 'brief.retracted'
  | 'brief.deleted'
  | 'brief.translations_changed'
  | 'brief.pinned'
  | 'story.created'
  | 'story.changed'
  | 'background.changed'
  | 'entity.changed'
  | 'comment.added'
  | 'comment.flagged'
  | 'comment.edited'
  | 'comment.deleted'
  | 'comment.reported'
  | 'comment.moderated'
  | 'comment.policy_changed'
  | 'commenter.moderated'
  | 'moderation.settings_changed'
  | 'webhook.changed';

export interface DomainEvent {
  id: string;
  type: DomainEventType;
  subjectId: string;
  actorId: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

export type EventHandler = (event: DomainEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /**
   * Also hear events that another process sharing the database committed (relayed by the event
   * tail). Per-process state wants them (page cache, live streams); work that must happen once
   * (search indexing, webhooks, CDN purges) does not, since the committing process does it.
   */
  remote?: boolean;
}

/**
 * In-process fan-out of committed events. Cache purges, feeds, webhooks and live updates
 * subscribe here instead of being called from services; the events table is the durable
 * record other processes read (`emitRemote`).
 */
export interface EventBus {
  subscribe(handler: EventHandler, options?: SubscribeOptions): () => void;
  /** Events this process committed: every subscriber hears them. */
  emit(events: DomainEvent[]): Promise<void>;
  /** Events another process committed: only subscribers that asked for `remote` hear them. */
  emitRemote(events: DomainEvent[]): Promise<void>;
  /**
   * Events this process is about to commit, announced inside the transaction: a reader of the
   * events table (the tail) may see the rows before `emit` delivers them, woken by PostgreSQL's
   * NOTIFY at the commit, and must know them for its own. An announced transaction may still
   * roll back; listeners keep the ids bounded.
   */
  announce(events: DomainEvent[]): void;
  /** Hears `announce`; answers the unsubscribe function. */
  onAnnounce(listener: (events: DomainEvent[]) => void): () => void;
}

export function createEventBus(onHandlerError: (err: unknown, event: DomainEvent) => void = () => {}): EventBus {
  const handlers = new Map<EventHandler, SubscribeOptions>();
  const deliver = async (events: DomainEvent[], remote: boolean) => {
    for (const event of events) {
      for (const [handler, options] of [...handlers]) {
        if (remote && !options.remote) continue;
        // A failing subscriber must never undo or block a committed change.
        try {
          await handler(event);
        } catch (err) {
          onHandlerError(err, event);
        }
      }
    }
  };
  const announceListeners = new Set<(events: DomainEvent[]) => void>();
  return {
    subscribe(handler, options = {}) {
      handlers.set(handler, options);
      return () => handlers.delete(handler);
    },
    emit: (events) => deliver(events, false),
    emitRemote: (events) => deliver(events, true),
    announce: (events) => announceListeners.forEach((listener) => listener(events)),
    onAnnounce(listener) {
      announceListeners.add(listener);
      return () => announceListeners.delete(listener);
    },
  };
}

export interface EventRecorder {
  record(type: DomainEventType, subjectId: string, payload?: Record<string, unknown>): void;
}

export interface TransactionDeps {
  db: Db;
  bus: EventBus;
}

/**
 * Runs `work` in one transaction; events it records are written in that same transaction
 * and handed to subscribers only after the commit, so nobody hears of a change that rolled back.
 */
export async function inTransaction<T>(
  deps: TransactionDeps,
  actorId: string | null,
  work: (trx: Trx, events: EventRecorder) => Promise<T>,
): Promise<T> {
  const recorded: DomainEvent[] = [];
  // Inside atomically(): join the outer transaction; its bus holds events until the commit.
  const run = (fn: (trx: Trx) => Promise<T>) =>
    deps.db.isTransaction ? fn(deps.db as Trx) : deps.db.transaction().execute(fn);
  const result = await run(async (trx) => {
    const value = await work(trx, {
      record(type, subjectId, payload = {}) {
        recorded.push({ id: newId(), type, subjectId, actorId, payload, createdAt: new Date().toISOString() });
      },
    });
    if (recorded.length > 0) {
      // PostgreSQL: events must be numbered in commit order (migration 202612010900_event_order);
      // held from here to the commit, which follows at once.
      if (engineOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(${sql.lit(EVENT_ORDER_LOCK)})`.execute(trx);
      await trx
        .insertInto('events')
        .values(recorded.map((e) => ({
          id: e.id,
          type: e.type,
          subject_id: e.subjectId,
          actor_id: e.actorId,
          payload: JSON.stringify(e.payload),
          created_at: e.createdAt,
        })))
        .execute();
      deps.bus.announce(recorded);
    }
    return value;
  });
  await deps.bus.emit(recorded);
  return result;
}

/**
 * Runs several service calls as one transaction: `work` receives deps whose database is the
 * open transaction, so either every call's writes and events land, or none do.
 */
export async function atomically<T>(deps: TransactionDeps, work: (inner: TransactionDeps) => Promise<T>): Promise<T> {
  const held: DomainEvent[] = [];
  const holdingBus: EventBus = {
    subscribe: () => () => {},
    emit: async (events) => void held.push(...events),
    emitRemote: (events) => deps.bus.emitRemote(events),
    announce: (events) => deps.bus.announce(events),
    onAnnounce: (listener) => deps.bus.onAnnounce(listener),
  };
  const result = await deps.db.transaction().execute((trx) => work({ db: trx, bus: holdingBus }));
  await deps.bus.emit(held);
  return result;
}
