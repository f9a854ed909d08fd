import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../storage/database.js';
import { createEventBus } from '../storage/events.js';
import { openTestDatabase, TEST_ENGINE, type TestDatabase } from '../test/database.js';
import { makeBareBrief } from '../test/factories.js';
import { ANALYSER_VERSION } from './analyser.js';
import type { QueryNode } from './documents.js';
import { compileTsquery, createPostgresSearchIndex } from './postgres.js';

// What only the PostgreSQL engine has: tsquery syntax, the GIN index and instances that share one
// database. Everything both engines must answer alike is in sqlite.test.ts, which runs on each.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(options: { fresh?: boolean } = {}): Promise<TestDatabase> {
  const database = await openTestDatabase(options);
  cleanups.push(() => database.close());
  return database;
}

const term = (...stems: string[]): QueryNode => ({ kind: 'term', stems });

describe.runIf(TEST_ENGINE === 'postgres')('PostgreSQL search', () => {
  it('quotes any stem, quotes, backslashes and operators included, so the tsquery parses and finds it', async () => {
    const { db } = await open();
    const stems = ["'", "''", '\\', "a'b", "x\\'y", '&|!():*', '<->', 'col:*', '!', '(', ')', 'кремл', "'кремл'", '', ' ', 'a\\', "\\'", 'пригожин&путін'];
    const cases = stems.flatMap((stem) => {
      const query = compileTsquery({ kind: 'all', nodes: [term(stem), term('column', 'колона')] });
      return [
        { stem, query, document: `${stem} column`, expected: true },
        // Whatever the stem holds, the other term is still required: no operator in it undid the AND.
        { stem, query, document: stem, expected: false },
        // A stem with words in it is required too, not read as a NOT or dropped.
        ...(/\p{L}/u.test(stem) ? [{ stem, query, document: 'column', expected: false }] : []),
      ];
    });
    // One round trip for every case: each to_tsquery that failed to parse would fail the whole query.
    const { rows } = await sql<{ hit: boolean }>`
      SELECT to_tsvector('simple', c.document) @@ to_tsquery('simple', c.query) AS hit
      FROM unnest(${cases.map((c) => c.document)}::text[], ${cases.map((c) => c.query)}::text[]) WITH ORDINALITY AS c(document, query, n)
      ORDER BY c.n`.execute(db);
    expect(rows.map((r, i) => ({ ...cases[i], hit: r.hit }))).toEqual(cases.map((c) => ({ ...c, hit: c.expected })));
  });

  it('finds matches through the GIN index on the documents', async () => {
    // A schema no earlier test filled: the planner's choice must not follow their statistics.
    const { databaseUrl } = await open({ fresh: true });
    const logged: CompiledQuery[] = [];
    const db: Db = openPostgres(databaseUrl!, { log: (event) => { if (event.level === 'query') logged.push(event.query); } });
    cleanups.push(() => db.destroy());
    const bus = createEventBus();
    const index = createPostgresSearchIndex(db);
    bus.subscribe((event) => (event.type.startsWith('brief.') ? index.indexBrief(event.subjectId) : undefined));
    const brief = await makeBareBrief({ db, bus }, { headline: 'Columns leave Rostov' });
    logged.length = 0;
    expect((await index.search('columns', {}, { offset: 0, limit: 10 })).briefs.map((b) => b.id)).toEqual([brief.id]);
    const matching = logged.filter((q) => q.sql.includes('@@') && q.sql.includes('search_brief_docs'));
    expect(matching.length).toBeGreaterThan(0);
    for (const query of matching) {
      // A table this small is read whole unless sequential scans are ruled out; the index must then serve.
      const plan = await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        return (await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]))).rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('search_brief_docs_document');
    }
  });

  it('two instances starting on a stale index rebuild it once, one after the other', async () => {
    const { db, databaseUrl } = await open();
    const brief = await makeBareBrief({ db, bus: createEventBus() }, { headline: 'Columns leave Rostov' });
    const other = openPostgres(databaseUrl!);
    cleanups.push(() => other.destroy());
    const results = await Promise.all([createPostgresSearchIndex(db).ensureCurrent(), createPostgresSearchIndex(other).ensureCurrent()]);
    expect(results.sort()).toEqual([false, true]);
    const state = await db.withTables<{ search_state: { key: string; value: string } }>().selectFrom('search_state').selectAll().execute();
    expect(state).toEqual([{ key: 'analyser', value: ANALYSER_VERSION }]);
    expect((await createPostgresSearchIndex(other).search('columns', {}, { offset: 0, limit: 10 })).briefs.map((b) => b.id)).toEqual([brief.id]);
  });
});
