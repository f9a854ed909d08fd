import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { findEntitiesByIds, listEntities } from '../content/entities.js';
import type { Db, Executor } from '../storage/database.js';
import { ANALYSER_VERSION } from './analyser.js';
import { analyserOf, documentUpkeep, filterCondition, resultPage, rewriteDocuments, type SearchDb, type SearchTables } from './document-store.js';
import { entityToken, planQuery, type QueryNode } from './documents.js';
import { toEntityHit } from './hits.js';
import type { SearchIndex, SearchResults } from './types.js';

// The PostgreSQL engine: the same documents as SQLite (the analyser's stems, kept by
// document-store.ts), in tables whose generated tsvector column carries a GIN index (upPostgres in
// migrations/202611291200_search.ts). Everything PostgreSQL-specific about search is in this file:
// tsquery syntax, ts_rank and the rebuild lock.
//
// A query stem matches the same stem in a document and nothing else, as in FTS5: no `:*` prefix
// matching. The analyser already folds inflections to one stem, and a prefix on a stem would both
// miss words the stemmer rewrites and match words that merely start alike ("кремл:*" finds
// "кремлівськ"), so the two engines would no longer find the same briefs (see analyser.ts).

/**
 * ts_rank's weights for {D, C, B, A}: body D, entity names B, headline A, in the ratio of the FTS5
 * bm25 weights 1 : 2 : 4 (ts_rank takes weights up to 1). Normalisation 1 divides by 1 + log of
 * the document's length, as bm25 favours the shorter of two documents with the same matches.
 */
const rank = (document: RawBuilder<unknown>, query: RawBuilder<unknown>) => sql`ts_rank('{0.25, 0, 0.5, 1}'::float4[], ${document}, ${query}, 1)`;
const ENTITY_LIMIT = 10;
/** Serialises rebuilds across instances sharing the database; any constant no other code uses. */
const SEARCH_REBUILD_LOCK = 7_301_530_002;

/**
 * One lexeme in tsquery quotes: a quote doubled and a backslash escaped, so no input is read as an
 * operator. `''` is a syntax error, so an empty word becomes a blank one: no lexeme, which
 * to_tsquery leaves out (the analyser never makes an empty stem; this only keeps the SQL valid).
 */
const quote = (word: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''") || ' '}'`;

/**
 * tsquery syntax for a plan, for to_tsquery('simple', …). Each stem is quoted, so `&|!():*<->`
 * typed by a reader stays text; `simple` splits a stem as it split the document's.
 */
export function compileTsquery(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return node.stems.length === 1 ? quote(node.stems[0]!) : `(${node.stems.map(quote).join(' | ')})`;
    case 'entity':
      return quote(entityToken(node.entityId));
    case 'all':
      return `(${node.nodes.map(compileTsquery).join(' & ')})`;
    case 'any':
      return `(${node.nodes.map(compileTsquery).join(' | ')})`;
  }
}

const tsquery = (text: string) => sql`to_tsquery('simple', ${text})`;

export function createPostgresSearchIndex(database: Db): SearchIndex {
  const db: SearchDb = database.withTables<SearchTables>();

  /** Entities the query names (found by the tagger), then those whose names match it. */
  async function matchingEntities(query: string, namedIds: string[]): Promise<SearchResults['entities']> {
    const document = sql.ref('search_entity_docs.document');
    const found = (await db.selectFrom('search_entity_docs')
      .select('search_entity_docs.entity_id')
      .where(sql<SqlBool>`${document} @@ ${tsquery(query)}`)
      // FTS5 ranks by bm25 alone; equal ranks come in insertion order, as FTS5 returns them.
      .orderBy(rank(document, tsquery(query)), 'desc')
      .orderBy('search_entity_docs.id')
      .limit(ENTITY_LIMIT)
      .execute()).map((r) => r.entity_id);
    const ids = [...new Set([...namedIds, ...found])].slice(0, ENTITY_LIMIT);
    const entities = new Map((await findEntitiesByIds(database, ids)).map((e) => [e.id, e]));
    return ids.flatMap((id) => (entities.has(id) ? [toEntityHit(entities.get(id)!)] : []));
  }

  /**
   * One transaction, as on SQLite: readers keep the old documents until the new ones commit. The
   * lock makes instances that start together rebuild one after another, not interleaved.
   */
  const locked = <T>(work: (trx: Executor) => Promise<T>) => database.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(SEARCH_REBUILD_LOCK)})`.execute(trx);
    return work(trx);
  });

  return {
    ...documentUpkeep(database),

    async search(query, filters, page): Promise<SearchResults> {
      const plan = planQuery(query, await listEntities(database));
      // Punctuation alone asks for nothing; it must not fall through to "every brief".
      if (!plan.root && query.trim()) return { briefs: [], total: 0, nextOffset: null, entities: [] };
      const base = db.selectFrom('search_brief_docs').innerJoin('briefs', 'briefs.id', 'search_brief_docs.brief_id').where(filterCondition(filters));
      let found: string[];
      let total: number;
      let entities: SearchResults['entities'] = [];
      if (plan.root) {
        const text = compileTsquery(plan.root);
        const document = sql.ref('search_brief_docs.document');
        const matching = base.where(sql<SqlBool>`${document} @@ ${tsquery(text)}`);
        found = (await matching.select('briefs.id')
          .orderBy(rank(document, tsquery(text)), 'desc').orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc')
          .limit(page.limit).offset(page.offset).execute()).map((r) => r.id);
        total = Number((await matching.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        if (page.offset === 0) entities = await matchingEntities(text, plan.entityIds);
      } else {
        // No words: the filters alone, newest first, from the same documents.
        found = (await base.select('briefs.id').orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc')
          .limit(page.limit).offset(page.offset).execute()).map((r) => r.id);
        total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      }
      return resultPage(database, plan, page, found, total, entities);
    },

    async rebuild() {
      return locked((trx) => rewriteDocuments(trx));
    },

    async ensureCurrent() {
      if ((await analyserOf(database)) === ANALYSER_VERSION) return false;
      // Another instance may have rebuilt while this one waited for the lock.
      return locked(async (trx) => {
        if ((await analyserOf(trx)) === ANALYSER_VERSION) return false;
        await rewriteDocuments(trx);
        return true;
      });
    },
  };
}
