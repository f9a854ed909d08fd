import type { Kysely } from 'kysely';

// Never edit after it lands: add a new migration instead. Kysely's schema builder only.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Briefs that tell the same news in different languages share a group id (one brief per
  // language in a group, checked by the service). A column rather than a pair table: a group is
  // found with one indexed equality, and a brief leaves its group by clearing one value.
  await db.schema.alterTable('briefs').addColumn('translation_group', 'text').execute();
  // When an editor pinned the brief as a key event of its story; null when not pinned. The time
  // orders the key events as the editors chose them.
  await db.schema.alterTable('briefs').addColumn('pinned_at', 'text').execute();
  await db.schema.createIndex('briefs_translation_group').on('briefs').column('translation_group').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('briefs_translation_group').execute();
  await db.schema.alterTable('briefs').dropColumn('pinned_at').execute();
  await db.schema.alterTable('briefs').dropColumn('translation_group').execute();
}
