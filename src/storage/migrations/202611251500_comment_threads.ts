import type { Kysely } from 'kysely';

// Never edit after it lands: add a new migration instead. Kysely's schema builder only.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A moderator's last decision on the comment: the *approved* queue and author histories read it.
  await db.schema.alterTable('comments').addColumn('reviewed_at', 'text').execute();
  await db.schema.alterTable('comments').addColumn('reviewed_by', 'text', (c) => c.references('users.id').onDelete('set null')).execute();
  await db.schema.createIndex('comments_status_created').on('comments').columns(['status', 'created_at']).execute();

  // Every earlier text of an edited comment: readers may edit, moderators must see what was said.
  await db.schema
    .createTable('comment_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    // When this text was replaced.
    .addColumn('replaced_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_revisions_comment').on('comment_revisions').columns(['comment_id', 'replaced_at']).execute();

  // Comment policy of one story or one brief, over the site's: 'post', 'pre' or 'closed'.
  await db.schema
    .createTable('comment_policies')
    .addColumn('subject_id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('comment_policies').execute();
  await db.schema.dropTable('comment_revisions').execute();
  await db.schema.dropIndex('comments_status_created').execute();
  for (const column of ['reviewed_by', 'reviewed_at']) await db.schema.alterTable('comments').dropColumn(column).execute();
}
