import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

// Never edit after it lands: add a new migration instead.
//
// The one dialect-specific migration: FTS5 virtual tables exist only in SQLite, and Kysely's
// schema builder cannot create them, so this is raw SQL. PostgreSQL gets the same document tables
// with a generated tsvector column and a GIN index instead (upPostgres; search/postgres.ts).
//
// Documents hold stems written by src/search/analyser.ts, not the briefs' text, so FTS5's
// tokenizer only splits on spaces. Filling the index needs that analyser, which is domain code
// and must not live in a migration (it changes; migrations never do): the tables start empty with
// no analyser version recorded, and SearchIndex.ensureCurrent(), run when the runtime opens,
// builds every document from the content tables. It rebuilds again whenever the analyser changes.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return upPostgres(db);
  // External-content FTS5 tables over ordinary ones: the ordinary table finds a brief's document by
  // its id (an FTS5 table can only be searched by rowid or MATCH), and triggers keep the two in step.
  await sql`CREATE TABLE search_brief_docs (
    id INTEGER PRIMARY KEY,
    brief_id TEXT NOT NULL UNIQUE REFERENCES briefs(id) ON DELETE CASCADE,
    headline TEXT NOT NULL,
    body TEXT NOT NULL,
    names TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE VIRTUAL TABLE search_brief_fts USING fts5(
    headline, body, names,
    content='search_brief_docs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
  )`.execute(db);
  await sql`CREATE TRIGGER search_brief_docs_ai AFTER INSERT ON search_brief_docs BEGIN
    INSERT INTO search_brief_fts(rowid, headline, body, names) VALUES (new.id, new.headline, new.body, new.names);
  END`.execute(db);
  await sql`CREATE TRIGGER search_brief_docs_ad AFTER DELETE ON search_brief_docs BEGIN
    INSERT INTO search_brief_fts(search_brief_fts, rowid, headline, body, names) VALUES ('delete', old.id, old.headline, old.body, old.names);
  END`.execute(db);
  await sql`CREATE TRIGGER search_brief_docs_au AFTER UPDATE ON search_brief_docs BEGIN
    INSERT INTO search_brief_fts(search_brief_fts, rowid, headline, body, names) VALUES ('delete', old.id, old.headline, old.body, old.names);
    INSERT INTO search_brief_fts(rowid, headline, body, names) VALUES (new.id, new.headline, new.body, new.names);
  END`.execute(db);

  await sql`CREATE TABLE search_entity_docs (
    id INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL UNIQUE REFERENCES entities(id) ON DELETE CASCADE,
    names TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE VIRTUAL TABLE search_entity_fts USING fts5(
    names, content='search_entity_docs', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
  )`.execute(db);
  await sql`CREATE TRIGGER search_entity_docs_ai AFTER INSERT ON search_entity_docs BEGIN
    INSERT INTO search_entity_fts(rowid, names) VALUES (new.id, new.names);
  END`.execute(db);
  await sql`CREATE TRIGGER search_entity_docs_ad AFTER DELETE ON search_entity_docs BEGIN
    INSERT INTO search_entity_fts(search_entity_fts, rowid, names) VALUES ('delete', old.id, old.names);
  END`.execute(db);
  await sql`CREATE TRIGGER search_entity_docs_au AFTER UPDATE ON search_entity_docs BEGIN
    INSERT INTO search_entity_fts(search_entity_fts, rowid, names) VALUES ('delete', old.id, old.names);
    INSERT INTO search_entity_fts(rowid, names) VALUES (new.id, new.names);
  END`.execute(db);

  // Which analyser built the documents; none yet, so the first start builds them.
  await sql`CREATE TABLE search_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.execute(db);
}

/**
 * The documents already hold the analyser's stems (one language-independent form per word), so
 * PostgreSQL's `simple` configuration only splits and lowercases them, as FTS5's unicode61 does;
 * PostgreSQL's own stemmers would stem the stems again. Weights: headline A, entity names B, body D.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE search_brief_docs (
    id BIGSERIAL PRIMARY KEY,
    brief_id TEXT NOT NULL UNIQUE REFERENCES briefs(id) ON DELETE CASCADE,
    headline TEXT NOT NULL,
    body TEXT NOT NULL,
    names TEXT NOT NULL,
    document tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', headline), 'A') || setweight(to_tsvector('simple', names), 'B') || setweight(to_tsvector('simple', body), 'D')
    ) STORED
  )`.execute(db);
  await sql`CREATE INDEX search_brief_docs_document ON search_brief_docs USING gin (document)`.execute(db);
  await sql`CREATE TABLE search_entity_docs (
    id BIGSERIAL PRIMARY KEY,
    entity_id TEXT NOT NULL UNIQUE REFERENCES entities(id) ON DELETE CASCADE,
    names TEXT NOT NULL,
    document tsvector GENERATED ALWAYS AS (to_tsvector('simple', names)) STORED
  )`.execute(db);
  await sql`CREATE INDEX search_entity_docs_document ON search_entity_docs USING gin (document)`.execute(db);
  await sql`CREATE TABLE search_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['search_brief_fts', 'search_brief_docs', 'search_entity_fts', 'search_entity_docs', 'search_state']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
