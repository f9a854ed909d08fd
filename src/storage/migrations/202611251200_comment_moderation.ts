import type { Kysely } from 'kysely';

// Never edit after it lands: add a new migration instead. Kysely's schema builder only,
// no domain code, so the same history runs on SQLite and PostgreSQL. SQLite accepts one
// ADD COLUMN per ALTER TABLE, hence one statement per column.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Null for comments that came in with imported wire text: they have a name but no account.
  await db.schema.alterTable('comments').addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null')).execute();
  await db.schema.alterTable('comments').addColumn('parent_id', 'text', (c) => c.references('comments.id').onDelete('set null')).execute();
  // Why the pipeline held, flagged or rejected the comment: a JSON array of reason codes.
  await db.schema.alterTable('comments').addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  // Published and still worth a moderator's look (Coral's model): apart from status on purpose.
  await db.schema.alterTable('comments').addColumn('is_flagged', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('comments').addColumn('edited_at', 'text').execute();
  await db.schema.alterTable('comments').addColumn('deleted_at', 'text').execute();
  await db.schema.alterTable('comments').addColumn('ip_hash', 'text').execute();
  await db.schema.alterTable('comments').addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('comments').addColumn('featured', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The rate limits and the duplicate check count an author's (or an address's) recent comments.
  await db.schema.createIndex('comments_user_recent').on('comments').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('comments_ip_recent').on('comments').columns(['ip_hash', 'created_at']).execute();
  await db.schema.createIndex('comments_parent').on('comments').columns(['parent_id', 'created_at']).execute();

  await db.schema
    .createTable('comment_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('comment_reports_once', ['comment_id', 'user_id'])
    .execute();

  // Site-level policy and the editable word lists: one JSON value per key.
  await db.schema
    .createTable('moderation_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  // The audit log. Rows outlive the comments and users they name, hence no cascades.
  await db.schema
    .createTable('moderation_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('comment_id', 'text', (c) => c.references('comments.id').onDelete('set null'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    // Null only for the command line, which acts for whoever owns the data folder.
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moderation_actions_comment').on('moderation_actions').columns(['comment_id', 'created_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('moderation_actions').execute();
  await db.schema.dropTable('moderation_settings').execute();
  await db.schema.dropTable('comment_reports').execute();
  for (const index of ['comments_parent', 'comments_ip_recent', 'comments_user_recent']) await db.schema.dropIndex(index).execute();
  for (const column of ['featured', 'report_count', 'ip_hash', 'deleted_at', 'edited_at', 'is_flagged', 'reasons', 'parent_id', 'user_id']) {
    await db.schema.alterTable('comments').dropColumn(column).execute();
  }
}
