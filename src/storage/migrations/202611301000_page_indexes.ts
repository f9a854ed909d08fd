import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Never edit after it lands: add a new migration instead.
//
// Indexes for flat cost with growth: every public list reads a page of briefs in the order it
// shows them (published_at desc, id desc) straight from an index, so its cost does not grow with
// the archive. storage/query-plans.test.ts checks the plans at 100,000 briefs.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The home, feeds, the API and the sitemap walk all public briefs by publication time. The
  // older briefs_feed (status, published_at, id) cannot give that order for three statuses at
  // once, so every page sorted all public briefs. status and updated_at ride along so that the
  // sitemap's pages are counted and dated from the index alone.
  await db.schema.createIndex('briefs_published').on('briefs').columns(['published_at', 'id', 'status', 'updated_at']).execute();
  // Without statistics (the app never runs ANALYZE) the planner takes `status IN (…)` for a
  // narrow filter and prefers briefs_feed, then sorts every public brief; nearly every brief is
  // public, so the index only ever misled it. briefs_published carries status for the same filter.
  await db.schema.dropIndex('briefs_feed').execute();
  // The per-language homes and feeds.
  await db.schema.createIndex('briefs_language_published').on('briefs').columns(['language', 'published_at', 'id']).execute();
  // A story's timeline: briefs_story (story_id, published_at) leaves ties to a sort; this one does not.
  await db.schema.dropIndex('briefs_story').execute();
  await db.schema.createIndex('briefs_story_published').on('briefs').columns(['story_id', 'published_at', 'id']).execute();

  // An entity's briefs, newest first: the order is the brief's, the filter the tag's, so no index
  // on either table alone gives the page. The tag keeps a copy of its brief's publication time,
  // kept in step by triggers (whatever path writes a tag or publishes a brief), and is indexed
  // in the page's order. PostgreSQL has the same two triggers in its own syntax (the SQLite branch
  // is the history as it landed).
  await db.schema.alterTable('brief_entities').addColumn('published_at', 'text').execute();
  await sql`UPDATE brief_entities SET published_at = (SELECT briefs.published_at FROM briefs WHERE briefs.id = brief_entities.brief_id)`.execute(db);
  // A bulk load that writes the right time itself (demo-data) skips the lookup.
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION brief_entities_published_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.published_at IS NULL THEN
        NEW.published_at := (SELECT briefs.published_at FROM briefs WHERE briefs.id = NEW.brief_id);
      END IF;
      RETURN NEW;
    END $$`.execute(db);
    await sql`CREATE TRIGGER brief_entities_published_ai BEFORE INSERT ON brief_entities
      FOR EACH ROW EXECUTE FUNCTION brief_entities_published_fill()`.execute(db);
    await sql`CREATE FUNCTION briefs_published_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE brief_entities SET published_at = NEW.published_at WHERE brief_id = NEW.id;
      RETURN NULL;
    END $$`.execute(db);
    await sql`CREATE TRIGGER briefs_published_au AFTER UPDATE OF published_at ON briefs
      FOR EACH ROW WHEN (NEW.published_at IS DISTINCT FROM OLD.published_at) EXECUTE FUNCTION briefs_published_follow()`.execute(db);
  } else {
    await sql`CREATE TRIGGER brief_entities_published_ai AFTER INSERT ON brief_entities WHEN NEW.published_at IS NULL BEGIN
    UPDATE brief_entities SET published_at = (SELECT briefs.published_at FROM briefs WHERE briefs.id = NEW.brief_id)
    WHERE brief_id = NEW.brief_id AND entity_id = NEW.entity_id;
  END`.execute(db);
    await sql`CREATE TRIGGER briefs_published_au AFTER UPDATE OF published_at ON briefs
  WHEN NEW.published_at IS NOT OLD.published_at BEGIN
    UPDATE brief_entities SET published_at = NEW.published_at WHERE brief_id = NEW.id;
  END`.execute(db);
  }
  await db.schema.createIndex('brief_entities_entity_published').on('brief_entities').columns(['entity_id', 'published_at', 'brief_id']).execute();

  // A story's key events: its pinned briefs, found without reading the rest of its timeline.
  await db.schema.createIndex('briefs_story_pinned').on('briefs').columns(['story_id', 'pinned_at']).execute();

  // A brief's page of readers' comments: published top-level comments in (created_at, id) order,
  // one index range. It starts with comments_brief's (brief_id, status), which it replaces, so a
  // comment still updates one index of this kind.
  await db.schema.createIndex('comments_brief_page').on('comments').columns(['brief_id', 'status', 'parent_id', 'created_at', 'id']).execute();
  await db.schema.dropIndex('comments_brief').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('comments_brief').on('comments').columns(['brief_id', 'status', 'created_at']).execute();
  await db.schema.dropIndex('comments_brief_page').execute();
  await db.schema.dropIndex('briefs_story_pinned').execute();
  await db.schema.dropIndex('brief_entities_entity_published').execute();
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS briefs_published_au ON briefs`.execute(db);
    await sql`DROP TRIGGER IF EXISTS brief_entities_published_ai ON brief_entities`.execute(db);
    await sql`DROP FUNCTION IF EXISTS briefs_published_follow()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS brief_entities_published_fill()`.execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS briefs_published_au`.execute(db);
    await sql`DROP TRIGGER IF EXISTS brief_entities_published_ai`.execute(db);
  }
  await db.schema.alterTable('brief_entities').dropColumn('published_at').execute();
  await db.schema.dropIndex('briefs_story_published').execute();
  await db.schema.createIndex('briefs_story').on('briefs').columns(['story_id', 'published_at']).execute();
  await db.schema.dropIndex('briefs_language_published').execute();
  await db.schema.createIndex('briefs_feed').on('briefs').columns(['status', 'published_at', 'id']).execute();
  await db.schema.dropIndex('briefs_published').execute();
}
