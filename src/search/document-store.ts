import type { Expression, ExpressionBuilder, Generated, Kysely, SqlBool } from 'kysely';
import { findBrief, findBriefsByIds } from '../content/brief-repository.js';
import { findEntitiesByIds, findEntity } from '../content/entities.js';
import type { Brief, BriefStatus, Entity } from '../content/types.js';
import type { Db, Executor } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import { ANALYSER_VERSION } from './analyser.js';
import { briefDocument, entityDocument, type QueryPlan } from './documents.js';
import { toBriefHit } from './hits.js';
import { SEARCHABLE_STATUSES, type SearchFilters, type SearchIndex, type SearchPageRequest, type SearchResults } from './types.js';

// What both engines do alike: the document rows (the analyser's stems, one row per public brief
// and per entity), their upkeep as content changes, the filters and the shape of a result page.
// Each engine's file holds only what reads the documents: its query syntax, ranking and rebuild
// of its own index structures.

export type SearchTables = {
  search_brief_docs: { id: Generated<number>; brief_id: string; headline: string; body: string; names: string };
  search_entity_docs: { id: Generated<number>; entity_id: string; names: string };
  search_state: { key: string; value: string };
};

export type SearchDb = Kysely<Database & SearchTables>;

const isSearchable = (status: BriefStatus) => (SEARCHABLE_STATUSES as readonly BriefStatus[]).includes(status);
/** Briefs per batch in a rebuild: one read and one insert each, well under SQLite's 32,766 parameters. */
const REBUILD_BATCH = 500;

/** Writing documents, on the database or inside a rebuild's transaction (`content` reads the briefs). */
function writers(db: SearchDb, content: Executor) {
  async function writeBrief(brief: Brief): Promise<void> {
    if (!isSearchable(brief.status) || !brief.publishedAt) {
      await db.deleteFrom('search_brief_docs').where('brief_id', '=', brief.id).execute();
      return;
    }
    const doc = briefDocument(brief, await findEntitiesByIds(content, brief.entityIds));
    await db.insertInto('search_brief_docs')
      .values({ brief_id: brief.id, ...doc })
      .onConflict((oc) => oc.column('brief_id').doUpdateSet(doc))
      .execute();
  }

  async function writeEntity(entityId: string): Promise<void> {
    const entity = await findEntity(content, entityId);
    if (!entity) {
      await db.deleteFrom('search_entity_docs').where('entity_id', '=', entityId).execute();
      return;
    }
    const names = entityDocument(entity);
    await db.insertInto('search_entity_docs').values({ entity_id: entity.id, names }).onConflict((oc) => oc.column('entity_id').doUpdateSet({ names })).execute();
  }

  return { writeBrief, writeEntity };
}

/** The part of SearchIndex that keeps documents in step with content, the same on both engines. */
export function documentUpkeep(database: Db): Pick<SearchIndex, 'indexBrief' | 'removeBrief' | 'indexEntity'> {
  const db: SearchDb = database.withTables<SearchTables>();
  const { writeBrief, writeEntity } = writers(db, database);
  return {
    async indexBrief(briefId) {
      const brief = await findBrief(database, briefId);
      if (!brief) await db.deleteFrom('search_brief_docs').where('brief_id', '=', briefId).execute();
      else await writeBrief(brief);
    },

    async removeBrief(briefId) {
      await db.deleteFrom('search_brief_docs').where('brief_id', '=', briefId).execute();
    },

    async indexEntity(entityId) {
      await writeEntity(entityId);
      const tagged = await db.selectFrom('brief_entities').select('brief_id').where('entity_id', '=', entityId).execute();
      for (const brief of await findBriefsByIds(database, tagged.map((t) => t.brief_id))) await writeBrief(brief);
    },
  };
}

/**
 * Drops and rewrites every document inside the caller's transaction, in batches: entities are
 * read once (a brief's document carries its entities' names), briefs 500 at a time with one
 * insert per batch. Writing one brief per round trip made the rebuild most of a 100k-brief
 * migrate-data. `afterClear` runs once the old documents are gone (SQLite empties its FTS index).
 */
export async function rewriteDocuments(content: Executor, afterClear: (trx: SearchDb) => Promise<void> = async () => {}): Promise<{ briefs: number; entities: number }> {
  const trx = content.withTables<SearchTables>();
  await trx.deleteFrom('search_brief_docs').execute();
  await trx.deleteFrom('search_entity_docs').execute();
  await afterClear(trx);

  const entityIds = (await trx.selectFrom('entities').select('id').orderBy('id').execute()).map((r) => r.id);
  const entities = new Map<string, Entity>();
  for (let i = 0; i < entityIds.length; i += REBUILD_BATCH) {
    const batch = await findEntitiesByIds(content, entityIds.slice(i, i + REBUILD_BATCH));
    for (const entity of batch) entities.set(entity.id, entity);
    if (batch.length) await trx.insertInto('search_entity_docs').values(batch.map((e) => ({ entity_id: e.id, names: entityDocument(e) }))).execute();
  }

  const briefIds = (await trx.selectFrom('briefs').select('id').where('status', 'in', [...SEARCHABLE_STATUSES]).where('published_at', 'is not', null).orderBy('id').execute())
    .map((r) => r.id);
  let briefs = 0;
  for (let i = 0; i < briefIds.length; i += REBUILD_BATCH) {
    const batch = await findBriefsByIds(content, briefIds.slice(i, i + REBUILD_BATCH));
    const docs = batch.map((brief) => ({
      brief_id: brief.id,
      ...briefDocument(brief, brief.entityIds.flatMap((id) => entities.get(id) ?? [])),
    }));
    if (docs.length) await trx.insertInto('search_brief_docs').values(docs).execute();
    briefs += docs.length;
  }

  await trx.insertInto('search_state').values({ key: 'analyser', value: ANALYSER_VERSION })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: ANALYSER_VERSION })).execute();
  return { briefs, entities: entityIds.length };
}

/** The analyser version the documents were written by, if any. */
export async function analyserOf(executor: Executor): Promise<string | undefined> {
  return (await executor.withTables<SearchTables>().selectFrom('search_state').select('value').where('key', '=', 'analyser').executeTakeFirst())?.value;
}

/** The filters as conditions on `briefs`, the same for a query with words and one without. */
export function filterCondition(filters: SearchFilters) {
  const statuses = filters.statuses?.length ? filters.statuses : SEARCHABLE_STATUSES;
  return (eb: ExpressionBuilder<Database & SearchTables, 'briefs'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('briefs.status', 'in', [...statuses]), eb('briefs.published_at', 'is not', null)];
    if (filters.storyId) conditions.push(eb('briefs.story_id', '=', filters.storyId));
    if (filters.language) conditions.push(eb('briefs.language', '=', filters.language));
    if (filters.from) conditions.push(eb('briefs.published_at', '>=', filters.from));
    if (filters.until) conditions.push(eb('briefs.published_at', '<', filters.until));
    if (filters.entityId) {
      conditions.push(eb.exists(eb.selectFrom('brief_entities').select('brief_entities.brief_id')
        .whereRef('brief_entities.brief_id', '=', 'briefs.id').where('brief_entities.entity_id', '=', filters.entityId)));
    }
    return eb.and(conditions);
  };
}

/** A result page from the ids an engine found, in its order, and the total it counted. */
export async function resultPage(
  database: Db, plan: QueryPlan, page: SearchPageRequest, found: string[], total: number, entities: SearchResults['entities'],
): Promise<SearchResults> {
  const briefs = new Map((await findBriefsByIds(database, found)).map((b) => [b.id, b]));
  return {
    briefs: found.flatMap((id) => (briefs.has(id) ? [toBriefHit(briefs.get(id)!, plan.highlightTerms)] : [])),
    total,
    nextOffset: page.offset + found.length < total ? page.offset + found.length : null,
    entities,
  };
}
