import { sql, type Expression, type ExpressionBuilder, type Generated, type Kysely, type SqlBool } from 'kysely';
import { findBrief, findBriefsByIds } from '../content/brief-repository.js';
import { findEntitiesByIds, findEntity, listEntities } from '../content/entities.js';
import type { Brief, BriefStatus } from '../content/types.js';
import type { Db, Executor } from '../storage/database.js';
import type { Database } from '../storage/schema.js';
import { ANALYSER_VERSION } from './analyser.js';
import { briefDocument, entityDocument, entityToken, planQuery, type QueryNode } from './documents.js';
import { toBriefHit, toEntityHit } from './hits.js';
import { SEARCHABLE_STATUSES, type SearchFilters, type SearchIndex, type SearchPageRequest, type SearchResults } from './types.js';

// The embedded engine: SQLite FTS5 (tables in migrations/202611291200_search.ts). Everything
// SQLite-specific about search is in this file: MATCH syntax, bm25() and the document tables.

export type SearchTables = {
  search_brief_docs: { id: Generated<number>; brief_id: string; headline: string; body: string; names: string };
  search_entity_docs: { id: Generated<number>; entity_id: string; names: string };
  search_state: { key: string; value: string };
};

// Column weights for bm25(): a word in the headline says more than one in the body; a tagged
// entity's name counts between the two.
const BM25 = sql`bm25(search_brief_fts, 4.0, 1.0, 2.0)`;
const ENTITY_LIMIT = 10;

/** FTS5 query syntax for a plan. Every stem goes in double quotes, so nothing a reader types is read as an operator. */
function compile(node: QueryNode): string {
  const quote = (word: string) => `"${word.replace(/"/g, '""')}"`;
  switch (node.kind) {
    case 'term':
      return node.stems.length === 1 ? quote(node.stems[0]!) : `(${node.stems.map(quote).join(' OR ')})`;
    case 'entity':
      return quote(entityToken(node.entityId));
    case 'all':
      return `(${node.nodes.map(compile).join(' AND ')})`;
    case 'any':
      return `(${node.nodes.map(compile).join(' OR ')})`;
  }
}

const isSearchable = (status: BriefStatus) => (SEARCHABLE_STATUSES as readonly BriefStatus[]).includes(status);

export type SearchDb = Kysely<Database & SearchTables>;

/** Writing documents, on the database or inside a rebuild's transaction (`content` reads the briefs). */
export function writers(db: SearchDb, content: Executor) {
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

export function createSqliteSearchIndex(database: Db): SearchIndex {
  const db: SearchDb = database.withTables<SearchTables>();
  const { writeBrief, writeEntity } = writers(db, database);

  /** Entities the query names (found by the tagger), then those whose names match it. */
  async function matchingEntities(match: string, namedIds: string[]): Promise<SearchResults['entities']> {
    // The FTS5 table's hidden column of its own name is what MATCH and bm25() take.
    const found = (await db.selectFrom('search_entity_docs')
      .innerJoin(sql<{ rowid: number }>`search_entity_fts`.as('fts'), (join) => join.onRef(sql.ref('fts.rowid'), '=', 'search_entity_docs.id'))
      .select('search_entity_docs.entity_id')
      .where(sql<SqlBool>`search_entity_fts MATCH ${match}`)
      .orderBy(sql`bm25(search_entity_fts)`)
      .limit(ENTITY_LIMIT)
      .execute()).map((r) => r.entity_id);
    const ids = [...new Set([...namedIds, ...found])].slice(0, ENTITY_LIMIT);
    const entities = new Map((await findEntitiesByIds(database, ids)).map((e) => [e.id, e]));
    return ids.flatMap((id) => (entities.has(id) ? [toEntityHit(entities.get(id)!)] : []));
  }

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

    async search(query, filters, page): Promise<SearchResults> {
      const plan = planQuery(query, await listEntities(database));
      // Punctuation alone asks for nothing; it must not fall through to "every brief".
      if (!plan.root && query.trim()) return { briefs: [], total: 0, nextOffset: null, entities: [] };
      const where = filterCondition(filters);
      if (plan.root) {
        const match = compile(plan.root);
        const base = db.selectFrom('search_brief_docs')
          .innerJoin(sql<{ rowid: number }>`search_brief_fts`.as('fts'), (join) => join.onRef(sql.ref('fts.rowid'), '=', 'search_brief_docs.id'))
          .innerJoin('briefs', 'briefs.id', 'search_brief_docs.brief_id')
          .where(sql<SqlBool>`search_brief_fts MATCH ${match}`)
          .where(where);
        const rows = await base.select('briefs.id')
          .orderBy(BM25).orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc')
          .limit(page.limit).offset(page.offset).execute();
        const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        const entities = page.offset === 0 ? await matchingEntities(match, plan.entityIds) : [];
        return finish(rows.map((r) => r.id), total, entities);
      }
      // No words: the filters alone, newest first, from the same documents.
      const base = db.selectFrom('search_brief_docs').innerJoin('briefs', 'briefs.id', 'search_brief_docs.brief_id').where(where);
      const rows = await base.select('briefs.id').orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc').limit(page.limit).offset(page.offset).execute();
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return finish(rows.map((r) => r.id), total, []);

      async function finish(found: string[], count: number, entities: SearchResults['entities']): Promise<SearchResults> {
        const briefs = new Map((await findBriefsByIds(database, found)).map((b) => [b.id, b]));
        return {
          briefs: found.flatMap((id) => (briefs.has(id) ? [toBriefHit(briefs.get(id)!, plan.highlightTerms)] : [])),
          total: count,
          nextOffset: page.offset + found.length < count ? page.offset + found.length : null,
          entities,
        };
      }
    },

    async rebuild() {
      // One transaction: readers keep the old documents until the new ones are all written.
      return database.transaction().execute(async (content) => {
        const trx = content.withTables<SearchTables>();
        const write = writers(trx, content);
        await trx.deleteFrom('search_brief_docs').execute();
        await trx.deleteFrom('search_entity_docs').execute();
        // Rebuilding the FTS tables from their (now empty) content drops any stray entry too.
        await sql`INSERT INTO search_brief_fts(search_brief_fts) VALUES ('rebuild')`.execute(trx);
        await sql`INSERT INTO search_entity_fts(search_entity_fts) VALUES ('rebuild')`.execute(trx);
        const entities = await trx.selectFrom('entities').select('id').execute();
        for (const { id } of entities) await write.writeEntity(id);
        const briefIds = (await trx.selectFrom('briefs').select('id').where('status', 'in', [...SEARCHABLE_STATUSES]).execute()).map((r) => r.id);
        const briefs = await findBriefsByIds(content, briefIds);
        for (const brief of briefs) await write.writeBrief(brief);
        await trx.insertInto('search_state').values({ key: 'analyser', value: ANALYSER_VERSION })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: ANALYSER_VERSION })).execute();
        const counted = await trx.selectFrom('search_brief_docs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        return { briefs: Number(counted.n), entities: entities.length };
      });
    },

    async ensureCurrent() {
      const state = await db.selectFrom('search_state').select('value').where('key', '=', 'analyser').executeTakeFirst();
      if (state?.value === ANALYSER_VERSION) return false;
      await this.rebuild();
      return true;
    },
  };
}
