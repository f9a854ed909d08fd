import { sql } from 'kysely';
import { engineOf, type Db } from './database.js';
import type { DomainEvent, DomainEventType, EventBus } from './events.js';
import { listenForCommits, type CommitListener } from './notify.js';

// Several processes share one SQLite file (a worker per core, plus `newsdesk import` from a
// shell). Each process's bus hears only its own commits, so the tail reads what the others
// committed from the `events` table and relays it to the subscribers that asked for remote
// events (page caches, live streams).
//
// The position is SQLite's rowid, not the event id: ids are ULIDs made in JS before the commit,
// so two processes can commit them out of order, while rowids are handed out under the single
// write lock and so grow in commit order (events are never deleted, so none is reused). The
// events table is a rowid table (a text primary key, not WITHOUT ROWID). On PostgreSQL the
// position is `seq`, numbered in commit order (migration 202612010900_event_order), and a
// LISTEN connection (storage/notify.ts) wakes the tail at each commit instead of waiting for the
// next tick; the tick stays as a safety net.

/** How many ids of this process's own events are kept while waiting to be read back. */
const MAX_OWN_IDS = 10_000;

export interface EventTailOptions {
  db: Db;
  bus: EventBus;
  /** How often the table is read; a new brief reaches other processes within about this. */
  intervalMs?: number;
  /** Rows read per query; a longer backlog is read in several. */
  batch?: number;
  /** Failed reads are reported here and retried at the next interval. */
  onError?: (err: unknown) => void;
}

export interface EventTail {
  /** Reads and relays what other processes committed since the last read; never overlaps another read. */
  poll(): Promise<void>;
  /** Stops reading; resolves once a read in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Relays events other processes commit to `bus.emitRemote`, in commit order, from the newest
 * event present at the start (history is not replayed). Events this process emitted itself are
 * recognised by id and skipped: its subscribers heard them already.
 */
export function tailEvents(options: EventTailOptions): EventTail {
  const { db, bus, intervalMs = 100, batch = 500, onError = () => {} } = options;
  const ownIds = new Set<string>();
  // Own ids are noted when the transaction announces them, before its commit: on PostgreSQL the
  // commit's notification can wake a read of the same rows before the bus delivers them here.
  const unsubscribe = bus.onAnnounce((events) => {
    for (const event of events) ownIds.add(event.id);
    // Each own id is normally dropped when its row is read back; the cap covers announced
    // transactions that rolled back.
    while (ownIds.size > MAX_OWN_IDS) ownIds.delete(ownIds.values().next().value!);
  });

  const position = eventPosition(db);
  let cursor: number | null = null;
  const start = async () => {
    const row = await db.selectFrom('events').select(sql<number | null>`max(${position})`.as('last')).executeTakeFirst();
    cursor = row?.last ?? 0;
  };
  // Read the starting position now, not at the first tick, so nothing committed in between is lost.
  let reading: Promise<void> = start().catch(onError);
  let isStopped = false;
  let isBusy = false;

  async function readOnce(): Promise<number> {
    if (cursor === null) await start();
    const rows = await db
      .selectFrom('events')
      .select([sql<number>`${position}`.as('seq'), 'id', 'type', 'subject_id', 'actor_id', 'payload', 'created_at'])
      .where(position, '>', cursor)
      .orderBy(position)
      .limit(batch)
      .execute();
    if (rows.length === 0) return 0;
    cursor = rows[rows.length - 1]!.seq;
    const remote: DomainEvent[] = [];
    for (const row of rows) {
      if (ownIds.delete(row.id)) continue;
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(row.payload) as Record<string, unknown>;
      } catch (err) {
        onError(err);
        continue;
      }
      remote.push({
        id: row.id, type: row.type as DomainEventType, subjectId: row.subject_id, actorId: row.actor_id, payload, createdAt: row.created_at,
      });
    }
    if (remote.length > 0) await bus.emitRemote(remote);
    return rows.length;
  }

  async function drain(): Promise<void> {
    if (isStopped) return;
    try {
      while (!isStopped && (await readOnce()) === batch) {
        // a backlog (an import of thousands of briefs): keep reading
      }
    } catch (err) {
      onError(err);
    }
  }

  const poll = (): Promise<void> => {
    // Chained, so reads never overlap and a caller's poll starts after any read in progress.
    reading = reading.then(drain);
    return reading;
  };

  const tick = () => {
    // A slow read (a big backlog) skips ticks rather than queueing them up.
    if (isBusy) return;
    isBusy = true;
    void poll().finally(() => (isBusy = false));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // A commit that lands while a read is running is read by the next drain: poll() chains, so a
  // wake-up is never lost the way a skipped tick would be.
  const listening: Promise<CommitListener | null> = listenForCommits(db, () => void poll(), { onError }).catch((err: unknown) => {
    onError(err);
    return null;
  });

  return {
    poll,
    async stop() {
      isStopped = true;
      clearInterval(timer);
      unsubscribe();
      await (await listening)?.close();
      await reading;
    },
  };
}

/** The column that grows in commit order: SQLite's rowid, PostgreSQL's `seq`. */
export function eventPosition(db: Db) {
  return engineOf(db) === 'postgres' ? sql<number>`seq` : sql<number>`rowid`;
}
