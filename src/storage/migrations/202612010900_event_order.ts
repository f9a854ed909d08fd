import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Never edit after it lands: add a new migration instead.
//
// Other processes read the events table in commit order (storage/event-tail.ts, the webhook
// worker's cursor). On SQLite the rowid gives that order: it is handed out under the single write
// lock. PostgreSQL has no such number, so events get `seq` from a sequence, and a writer takes a
// transaction-scoped advisory lock just before inserting its events (storage/events.ts): from
// there to its commit no other writer can draw a number, so numbers grow in commit order and a
// reader never sees a later number before an earlier one. A statement trigger wakes listeners
// (LISTEN newsdesk_events) at the commit; NOTIFY is delivered only if the transaction commits.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`ALTER TABLE events ADD COLUMN seq BIGSERIAL`.execute(db);
  await sql`CREATE UNIQUE INDEX events_seq ON events (seq)`.execute(db);
  await sql`CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('newsdesk_events', '');
    RETURN NULL;
  END $$`.execute(db);
  await sql`CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_notify()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`DROP TRIGGER IF EXISTS events_notify ON events`.execute(db);
  await sql`DROP FUNCTION IF EXISTS events_notify()`.execute(db);
  await sql`ALTER TABLE events DROP COLUMN seq`.execute(db);
}
