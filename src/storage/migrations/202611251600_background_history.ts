import type { Kysely } from 'kysely';

// Never edit after it lands: add a new migration instead. Kysely's schema builder only.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Every state a background item has been in: readers of an older brief follow a claim from what
  // they were told to what is known now, so a row is written for each change, never updated.
  await db.schema
    .createTable('background_item_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('background_items.id').onDelete('cascade'))
    .addColumn('story_id', 'text', (c) => c.notNull().references('stories.id').onDelete('cascade'))
    // 'created', 'edited', or 'baseline' for items that existed before history was kept.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attribution_entity_id', 'text', (c) => c.references('entities.id').onDelete('set null'))
    .addColumn('attribution_source', 'text')
    // Where the news of the change came from ("Reuters, 24 June"), as the editor typed it.
    .addColumn('source', 'text')
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    // Who made the change, as shown to readers; kept when the account itself goes.
    .addColumn('actor_label', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('background_item_changes_item').on('background_item_changes').columns(['item_id', 'changed_at']).execute();

  // A history start for what is already there. Its earlier states are unknown, so an item edited
  // since it was created gets a 'baseline' dated at its last edit rather than a made-up creation.
  await db
    .insertInto('background_item_changes')
    .columns(['id', 'item_id', 'story_id', 'kind', 'text', 'status', 'attribution_entity_id', 'attribution_source', 'changed_at'])
    .expression((eb) =>
      eb.selectFrom('background_items').select((s) => [
        'id', 'id as item_id', 'story_id',
        s.case().when('created_at', '=', s.ref('updated_at')).then('created').else('baseline').end().as('kind'),
        'text', 'status', 'attribution_entity_id', 'attribution_source', 'updated_at as changed_at',
      ]),
    )
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('background_item_changes').execute();
}
