import pg from 'pg';
import { engineOf, postgresUrlOf, type Db } from './database.js';

// The one dialect difference in how processes learn of each other's commits. Both engines keep
// the durable record in the events table; PostgreSQL can also wake a reader the moment a commit
// lands (LISTEN/NOTIFY, raised by the trigger of migration 202612010900_event_order), where
// SQLite has nothing to offer but reading the table again soon.

export interface CommitListener {
  close(): Promise<void>;
}

/** The channel the events table's trigger notifies on every commit that added events. */
export const EVENTS_CHANNEL = 'newsdesk_events';

/**
 * Calls `onCommit` whenever another transaction commits events, and once after (re)connecting, so
 * nothing committed while the connection was down is left unread. On SQLite it never calls: the
 * caller polls. Errors (a lost connection) go to `onError`; it reconnects after `retryMs`.
 */
export async function listenForCommits(db: Db, onCommit: () => void, options: { onError?: (err: unknown) => void; retryMs?: number } = {}): Promise<CommitListener> {
  if (engineOf(db) !== 'postgres') return { close: async () => {} };
  const { onError = () => {}, retryMs = 1000 } = options;
  const url = postgresUrlOf(db);
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    // A LISTEN belongs to one session, so it needs a connection of its own, outside the pool.
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL) onCommit();
    });
    next.on('error', (err) => {
      onError(err);
      void next.end().catch(() => {});
      if (client === next) client = null;
      schedule();
    });
    await next.connect();
    await next.query(`LISTEN ${EVENTS_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    onCommit();
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch((err: unknown) => {
        onError(err);
        schedule();
      });
    }, retryMs);
    retry.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
