import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import { findBrief } from '../content/brief-repository.js';
import { findEntitiesByIds, listEntities } from '../content/entities.js';
import { briefText, findMentions } from '../content/tagging.js';
import type { Language } from '../content/types.js';
import { openRuntime } from '../main.js';
import { briefDocument } from '../search/documents.js';
import { createSqliteSearchIndex } from '../search/sqlite.js';
import { migrateToLatest, openSqlite, rawSqliteOf, type Db } from '../storage/database.js';
import { createEventBus } from '../storage/events.js';
import { briefPath, entityPath, storyPath } from '../web/paths.js';
import { generateDemoData, type DemoDataResult } from './demo-data.js';
import { ensureDemoNewsroom } from './demo.js';
import { runCli } from './main.js';
import { testDataEnv, TEST_ENGINE } from '../test/database.js';

const BRIEFS = 3200;
const COMMENTS = 10_000;

let dir: string;
let db: Db;
let app: FastifyInstance;
let result: DemoDataResult;

const sqlite = () => rawSqliteOf(db);
const one = <T>(query: string, ...params: unknown[]) => sqlite().prepare(query).get(...params) as T;
const all = <T>(query: string, ...params: unknown[]) => sqlite().prepare(query).all(...params) as T[];
const get = (url: string, cookie?: string) => app.inject({ method: 'GET', url, ...(cookie ? { cookies: { nd_session: cookie } } : {}) });

// demo-data writes SQLite's own tables through better-sqlite3 (rawSqliteOf), so all but the last
// test run on the embedded database only; on PostgreSQL the command must refuse.
describe.runIf(TEST_ENGINE === 'sqlite')('on the embedded SQLite database', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-demo-data-'));
    db = openSqlite({ dataDir: dir });
    await migrateToLatest(db);
    // A small base makes most of the archive copies of it (one whole, a second partial), as at scale.
    result = await generateDemoData(db, { briefs: BRIEFS, comments: COMMENTS, seed: 'test', readers: 300, sessions: 3, baseBriefs: 1100 });
    const search = createSqliteSearchIndex(db);
    const config = { ...loadConfig({}), publicUrl: 'http://newsdesk.test' };
    app = await buildApp({ config, db, bus: createEventBus(), cookieSecret: randomBytes(32).toString('hex'), logger: false, search });
    await app.ready();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('generateDemoData', () => {
    it('writes as many briefs, comments and readers as asked, in stories', () => {
      expect(one<{ n: number }>('SELECT count(*) AS n FROM briefs').n).toBe(BRIEFS);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM comments').n).toBe(COMMENTS);
      expect(one<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'reader'").n).toBe(300);
      expect(result).toMatchObject({ briefs: BRIEFS, comments: COMMENTS, readers: 300, entitiesAdded: 20 });
      expect(result.publicBriefs).toBe(one<{ n: number }>("SELECT count(*) AS n FROM briefs WHERE status IN ('published', 'corrected', 'retracted')").n);
      const languages = all<{ language: string; n: number }>('SELECT language, count(*) AS n FROM briefs GROUP BY language');
      expect(languages.map((l) => l.language).sort()).toEqual(['en', 'ru', 'uk']);
      for (const l of languages) expect(l.n).toBeGreaterThan(BRIEFS / 10);
      const sizes = all<{ n: number }>('SELECT count(*) AS n FROM briefs WHERE story_id IS NOT NULL GROUP BY story_id');
      expect(sizes.length).toBe(result.stories);
      expect(Math.max(...sizes.map((s) => s.n))).toBeGreaterThanOrEqual(50);
      // Copies end their ids in the copy's number: the first copy is a whole base (1,067 briefs).
      expect(one<{ n: number }>("SELECT count(*) AS n FROM briefs WHERE id LIKE '%01'").n).toBeGreaterThan(1000);
      const statuses = all<{ status: string }>('SELECT DISTINCT status FROM briefs').map((s) => s.status).sort();
      expect(statuses).toEqual(['corrected', 'draft', 'published', 'retracted']);
    });

    it('leaves every reference pointing at a row and the full-text index matching its documents', () => {
      expect(all('PRAGMA foreign_key_check')).toEqual([]);
      expect(() => sqlite().prepare("INSERT INTO search_brief_fts (search_brief_fts) VALUES ('integrity-check')").run()).not.toThrow();
      expect(one<{ n: number }>('SELECT count(*) AS n FROM search_brief_docs').n).toBe(result.publicBriefs);
      expect(sqlite().pragma('foreign_keys', { simple: true })).toBe(1);
      expect(sqlite().pragma('synchronous', { simple: true })).toBe(2);
    });

    it('keeps one revision per state, the snapshot matching the row', async () => {
      const rows = all<{ id: string; status: string; revision: number; n: number; kinds: string }>(`SELECT b.id, b.status, b.revision, count(r.id) AS n,
        group_concat(r.kind, ',') AS kinds FROM briefs b JOIN brief_revisions r ON r.brief_id = b.id GROUP BY b.id`);
      expect(rows.length).toBe(BRIEFS);
      for (const row of rows) {
        expect(row.n).toBe(row.revision);
        const expected = { draft: 'create', published: 'publish', corrected: 'publish,correct', retracted: 'publish,retract' }[row.status];
        expect(row.kinds.split(',').sort().join(',')).toBe(expected!.split(',').sort().join(','));
      }
      // The latest revision holds the brief exactly as the repository reads it back.
      const sample = all<{ id: string }>("SELECT id FROM briefs WHERE status IN ('corrected', 'retracted', 'draft') OR id IN (SELECT id FROM briefs LIMIT 20)");
      expect(sample.length).toBeGreaterThan(40);
      for (const { id } of sample) {
        const brief = (await findBrief(db, id))!;
        const last = JSON.parse(one<{ snapshot: string }>('SELECT snapshot FROM brief_revisions WHERE brief_id = ? ORDER BY number DESC LIMIT 1', id).snapshot);
        expect(last).toEqual(brief);
      }
    });

    it('tags each brief with exactly the entities the tagger finds in it, and indexes it as the search module would', async () => {
      const entities = await listEntities(db);
      const ids = all<{ id: string }>("SELECT id FROM briefs WHERE status = 'published' ORDER BY id LIMIT 60");
      let tagged = 0;
      for (const { id } of ids) {
        const brief = (await findBrief(db, id))!;
        const found = findMentions(briefText(brief), entities).map((m) => m.entityId).sort();
        expect([...brief.entityIds].sort()).toEqual(found);
        if (found.length) tagged += 1;
        const doc = one<{ headline: string; body: string; names: string }>('SELECT headline, body, names FROM search_brief_docs WHERE brief_id = ?', id);
        const sorted = (await findEntitiesByIds(db, brief.entityIds)).sort((a, b) => a.id.localeCompare(b.id));
        expect(doc).toEqual(briefDocument(brief, sorted));
      }
      expect(tagged).toBeGreaterThan(30);
      const hasTagTime = all<{ name: string }>("SELECT name FROM pragma_table_info('brief_entities')").some((c) => c.name === 'published_at');
      if (hasTagTime) {
        expect(one<{ n: number }>('SELECT count(*) AS n FROM brief_entities t JOIN briefs b ON b.id = t.brief_id WHERE t.published_at IS NOT b.published_at').n).toBe(0);
      }
    });

    it('keeps translation groups to one brief per language of one story, and background snapshots to their ledger', () => {
      const groups = all<{ n: number; languages: number; stories: number }>(`SELECT count(*) AS n, count(DISTINCT language) AS languages, count(DISTINCT story_id) AS stories
        FROM briefs WHERE translation_group IS NOT NULL GROUP BY translation_group`);
      expect(groups.length).toBeGreaterThan(50);
      for (const g of groups) expect([g.n, g.languages, g.stories]).toEqual([g.n, g.n, 1]);
      expect(Math.min(...groups.map((g) => g.n))).toBeGreaterThanOrEqual(2);
      // Every item's history starts with its creation, and its current status is its latest state's.
      const items = all<{ status: string; last: string; first: string }>(`SELECT i.status,
        (SELECT c.status FROM background_item_changes c WHERE c.item_id = i.id ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) AS last,
        (SELECT c.kind FROM background_item_changes c WHERE c.item_id = i.id ORDER BY c.changed_at, c.id LIMIT 1) AS first FROM background_items i`);
      expect(items.length).toBe(result.backgroundItems);
      for (const item of items) expect([item.first, item.last]).toEqual(['created', item.status]);
      const entries = all<{ content: string; story_id: string }>("SELECT content, story_id FROM briefs WHERE story_id IS NOT NULL AND content LIKE '%\"itemId\":\"%' LIMIT 200");
      expect(entries.length).toBeGreaterThan(50);
      for (const row of entries) {
        for (const entry of JSON.parse(row.content).background as { itemId: string | null }[]) {
          if (entry.itemId) expect(one<{ story_id: string }>('SELECT story_id FROM background_items WHERE id = ?', entry.itemId).story_id).toBe(row.story_id);
        }
      }
    });

    it('threads replies at most two levels deep under published comments of the same brief, with a long tail of comments per brief', () => {
      const bad = one<{ n: number }>(`SELECT count(*) AS n FROM comments c JOIN comments p ON p.id = c.parent_id
        WHERE p.brief_id != c.brief_id OR p.status != 'published' OR p.created_at > c.created_at
        OR (p.parent_id IS NOT NULL AND (SELECT g.parent_id FROM comments g WHERE g.id = p.parent_id) IS NOT NULL)`).n;
      expect(bad).toBe(0);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM comments WHERE parent_id IS NOT NULL').n).toBeGreaterThan(COMMENTS / 10);
      const statuses = all<{ status: string; n: number }>('SELECT status, count(*) AS n FROM comments GROUP BY status');
      expect(statuses.map((s) => s.status).sort()).toEqual(['pending', 'published', 'rejected']);
      expect(statuses.find((s) => s.status === 'published')!.n).toBeGreaterThan(COMMENTS * 0.85);
      const perBrief = all<{ n: number }>('SELECT count(*) AS n FROM comments GROUP BY brief_id ORDER BY n DESC');
      expect(perBrief[0]!.n).toBeGreaterThanOrEqual(100);
      // Comments come after their brief was published, and never from the future.
      expect(one<{ n: number }>('SELECT count(*) AS n FROM comments c JOIN briefs b ON b.id = c.brief_id WHERE c.created_at <= b.published_at OR c.created_at > ?', new Date().toISOString()).n).toBe(0);
    });

    it('leaves the search index current, so opening the runtime does not rebuild it', async () => {
      expect(await createSqliteSearchIndex(db).ensureCurrent()).toBe(false);
    });

    it('makes public briefs findable by a word of their headline in each language', async () => {
      const search = createSqliteSearchIndex(db);
      for (const language of ['uk', 'en', 'ru'] as const) {
        const brief = one<{ id: string; headline: string }>("SELECT id, headline FROM briefs WHERE language = ? AND status = 'published' ORDER BY published_at DESC LIMIT 1", language);
        const word = brief.headline.split(/[\s,:«»]+/).sort((a, b) => b.length - a.length)[0]!;
        const found = await search.search(word, { language }, { offset: 0, limit: 100 });
        expect(found.total, `${language}: ${word}`).toBeGreaterThan(0);
        for (const hit of found.briefs) expect(hit.language).toBe(language);
        const page = await get(`/${language}/search?q=${encodeURIComponent(word)}`);
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain('/news/');
      }
    });
  });

  describe('the site over generated data', () => {
    const newest = (language?: Language) => one<{ id: string; slug: string; headline: string }>(
      `SELECT id, slug, headline FROM briefs WHERE status IN ('published', 'corrected') ${language ? 'AND language = ?' : ''} ORDER BY published_at DESC, id DESC LIMIT 1`,
      ...(language ? [language] : []),
    );

    it('renders the home page with the newest brief', async () => {
      const res = await get('/');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`href="${briefPath(newest())}"`);
    });

    it('renders a story page with its title and its newest brief', async () => {
      const story = one<{ id: string; slug: string; language: Language; title: string }>(
        'SELECT s.id, s.slug, s.language, s.title FROM stories s JOIN briefs b ON b.story_id = s.id GROUP BY s.id ORDER BY count(*) DESC LIMIT 1',
      );
      const res = await get(storyPath(story, story.language));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(story.title);
      const item = one<{ text: string }>('SELECT text FROM background_items WHERE story_id = ? ORDER BY position LIMIT 1', story.id);
      expect(res.body).toContain(item.text);
      const latest = one<{ slug: string }>(`SELECT slug FROM briefs WHERE story_id = ? AND status IN ('published', 'corrected', 'retracted')
        AND translation_group IS NULL ORDER BY published_at DESC, id DESC LIMIT 1`, story.id);
      expect(res.body).toContain(`href="${briefPath(latest)}"`);
    });

    it('renders the brief with the most comments, showing its first published comment', async () => {
      const top = one<{ brief_id: string }>("SELECT brief_id FROM comments WHERE status = 'published' GROUP BY brief_id ORDER BY count(*) DESC LIMIT 1");
      const brief = one<{ slug: string; headline: string }>('SELECT slug, headline FROM briefs WHERE id = ?', top.brief_id);
      const first = one<{ body: string; author_name: string }>(
        "SELECT body, author_name FROM comments WHERE brief_id = ? AND status = 'published' AND parent_id IS NULL ORDER BY created_at, id LIMIT 1", top.brief_id,
      );
      const res = await get(briefPath(brief));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(brief.headline);
      expect(res.body).toContain(first.body);
    });

    it('renders an entity page with the newest brief tagged with it', async () => {
      const entity = one<{ id: string; slug: string }>('SELECT e.id, e.slug FROM entities e JOIN brief_entities t ON t.entity_id = e.id GROUP BY e.id ORDER BY count(*) DESC LIMIT 1');
      const brief = one<{ slug: string }>(`SELECT b.slug FROM briefs b JOIN brief_entities t ON t.brief_id = b.id WHERE t.entity_id = ?
        AND b.status IN ('published', 'corrected', 'retracted') ORDER BY b.published_at DESC, b.id DESC LIMIT 1`, entity.id);
      const res = await get(entityPath(entity, 'en'));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`href="${briefPath(brief)}"`);
    });

    it('serves the language feed and the API with generated briefs', async () => {
      const en = newest('en');
      const feed = await get('/en/feed.xml');
      expect(feed.statusCode).toBe(200);
      expect(feed.body).toContain(briefPath(en));
      const list = await get('/api/v1/briefs?limit=5');
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toHaveLength(5);
      const one = await get(`/api/v1/briefs/${en.id}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ id: en.id, headline: en.headline });
    });

    it('accepts the session cookies it wrote as signed-in readers', async () => {
      expect(result.sessionCookies).toHaveLength(3);
      for (const cookie of result.sessionCookies) {
        const res = await get('/account', cookie);
        expect(res.statusCode).toBe(200);
      }
      expect((await get('/account', 'not-a-session')).statusCode).toBe(302);
    });

    it('appends on a second run, with new ids and slugs', async () => {
      const again = await generateDemoData(db, { briefs: 400, comments: 500, seed: 'test' });
      expect(again).toMatchObject({ briefs: 400, comments: 500, entitiesAdded: 0 });
      expect(one<{ n: number }>('SELECT count(*) AS n FROM briefs').n).toBe(BRIEFS + 400);
      expect(one<{ n: number }>('SELECT count(*) AS n FROM comments').n).toBe(COMMENTS + 500);
      expect(one<{ n: number }>("SELECT count(*) AS n FROM users WHERE email LIKE 'correspondent-%'").n).toBe(8);
      expect(all('PRAGMA foreign_key_check')).toEqual([]);
    });

    it('refuses counts that are not positive whole numbers, naming the option', async () => {
      await expect(generateDemoData(db, { briefs: 0, comments: 1 })).rejects.toThrow(/--briefs/);
      await expect(generateDemoData(db, { briefs: 1.5, comments: 1 })).rejects.toThrow(/--briefs/);
      await expect(generateDemoData(db, { briefs: 1, comments: -1 })).rejects.toThrow(/--comments/);
    });
  });

  describe('newsdesk demo-data', () => {
    it('appends to the demo newsroom and writes the sessions file; bad options are usage errors', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-demo-data-cli-'));
      try {
        const env = { NEWSDESK_DATA: dataDir, NEWSDESK_TIMEZONE: 'Europe/Kyiv' };
        const runtime = await openRuntime(loadConfig(env));
        await ensureDemoNewsroom(runtime);
        const before = (await runtime.db.selectFrom('briefs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
        await runtime.db.destroy();

        const out: string[] = [];
        const err: string[] = [];
        const io = { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) };
        const sessions = path.join(dataDir, 'sessions.txt');
        const code = await runCli(['demo-data', '--briefs', '200', '--comments', '300', '--sessions', sessions, '--sessions-count', '4'], io, env);
        expect(code).toBe(0);
        expect(out.join('\n')).toMatch(/Added 200 briefs .* 300 comments/);
        expect(fs.readFileSync(sessions, 'utf8').trim().split('\n')).toHaveLength(4);

        const reopened = await openRuntime(loadConfig(env));
        try {
          const after = (await reopened.db.selectFrom('briefs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
          expect(Number(after)).toBe(Number(before) + 200);
          // The demo newsroom's entities were there already: the gazetteer's were added beside them.
          const demo = await reopened.search!.search('Verkhnia Zoria', {}, { offset: 0, limit: 5 });
          expect(demo.total).toBeGreaterThan(0);
        } finally {
          await reopened.db.destroy();
        }

        for (const [args, option] of [
          [['--briefs', 'ten', '--comments', '1'], '--briefs'],
          [['--briefs', '0', '--comments', '1'], '--briefs'],
          [['--briefs', '10'], '--comments'],
          [['--briefs', '10', '--comments', '99999999999'], '--comments'],
          [['--briefs', '10', '--comments', '1', '--sessions-count', '5'], '--sessions'],
        ] as const) {
          const errors: string[] = [];
          expect(await runCli(['demo-data', ...args], { out: () => {}, err: (l) => void errors.push(l) }, env)).toBe(2);
          expect(errors.join('\n')).toContain(option);
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});

describe.runIf(TEST_ENGINE === 'postgres')('newsdesk demo-data on PostgreSQL', () => {
  it('refuses as a usage error naming the embedded database and migrate-data, and writes nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-demo-data-pg-'));
    const database = await testDataEnv(dataDir);
    try {
      const errors: string[] = [];
      const code = await runCli(['demo-data', '--briefs', '10', '--comments', '10'], { out: () => {}, err: (l) => void errors.push(l) }, database.env);
      expect(code).toBe(2);
      expect(errors.join('\n')).toMatch(/demo-data writes the embedded SQLite database only/);
      expect(errors.join('\n')).toContain('migrate-data');
      const runtime = await openRuntime(loadConfig(database.env));
      try {
        const count = await runtime.db.selectFrom('briefs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(count.n)).toBe(0);
      } finally {
        await runtime.db.destroy();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  });
});
