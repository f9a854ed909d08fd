import type { Kysely } from 'kysely';

// Never edit after it lands: add a new migration instead. Kysely's schema builder only,
// no domain code, so the same history runs on SQLite and PostgreSQL. SQLite accepts one
// ADD COLUMN per ALTER TABLE, hence one statement per column.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deleted_at', 'text').execute();
  // Moderation settings for readers; a later migration may move them if they grow.
  await db.schema.alterTable('users').addColumn('premoderate', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('suspended_until', 'text').execute();
  await db.schema.alterTable('users').addColumn('banned_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['banned_at', 'suspended_until', 'premoderate', 'deleted_at']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}
