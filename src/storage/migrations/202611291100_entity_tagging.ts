import type { Kysely } from 'kysely';

// Never edit after it lands: add a new migration instead. Kysely's schema builder only.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Who put an entity on a brief: 'editor' (chosen or confirmed by a person) or 'auto' (found in
  // the text on save, a suggestion until confirmed). Tags that existed before were chosen by hand.
  await db.schema.alterTable('brief_entities').addColumn('origin', 'text', (c) => c.notNull().defaultTo('editor')).execute();

  // Entities an editor took off a brief. The text still names them, so without this list the
  // next save would suggest them again; an editor choosing one explicitly lifts it.
  await db.schema
    .createTable('brief_entity_removals')
    .addColumn('brief_id', 'text', (c) => c.notNull().references('briefs.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('removed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('brief_entity_removals_pk', ['brief_id', 'entity_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('brief_entity_removals').execute();
  await db.schema.alterTable('brief_entities').dropColumn('origin').execute();
}
