import { sql, type SqlBool } from 'kysely';
import { findEntitiesByIds, listEntities } from '../content/entities.js';
import type { Db } from '../storage/database.js';
import { ANALYSER_VERSION } from './analyser.js';
import { analyserOf, documentUpkeep, filterCondition, resultPage, rewriteDocuments, type SearchDb, type SearchTables } from './document-store.js';
import { entityToken, planQuery, type QueryNode } from './documents.js';
import { toEntityHit } from './hits.js';
import type { SearchIndex, SearchResults } from './types.js';

// The embedded engine: SQLite FTS5 (tables in migrations/202611291200_search.ts). Everything
// SQLite-specific about search is in this file: MATCH syntax, bm25() and the FTS5 index kept
// over the document tables (document-store.ts) by triggers.

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

export function createSqliteSearchIndex(database: Db): SearchIndex {
  const db: SearchDb = database.withTables<SearchTables>();

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
    ...documentUpkeep(database),

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
        return resultPage(database, plan, page, rows.map((r) => r.id), total, entities);
      }
      // No words: the filters alone, newest first, from the same documents.
      const base = db.selectFrom('search_brief_docs').innerJoin('briefs', 'briefs.id', 'search_brief_docs.brief_id').where(where);
      const rows = await base.select('briefs.id').orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc').limit(page.limit).offset(page.offset).execute();
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return resultPage(database, plan, page, rows.map((r) => r.id), total, []);
    },

    async rebuild() {
      // One transaction: readers keep the old documents until the new ones are all written.
      return database.transaction().execute((content) => rewriteDocuments(content, async (trx) => {
        // Rebuilding the FTS tables from their (now empty) content drops any stray entry too.
        await sql`INSERT INTO search_brief_fts(search_brief_fts) VALUES ('rebuild')`.execute(trx);
        await sql`INSERT INTO search_entity_fts(search_entity_fts) VALUES ('rebuild')`.execute(trx);
      }));
    },

    async ensureCurrent() {
      if ((await analyserOf(database)) === ANALYSER_VERSION) return false;
      await this.rebuild();
      return true;
    },
  };
}
