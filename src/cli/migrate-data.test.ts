import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { createBrief, publishBrief } from '../content/briefs.js';
import { migrateToLatest, openPostgres, openSqlite, rawSqliteOf, type Db } from '../storage/database.js';
import { createEventBus } from '../storage/events.js';
import { createTestSchema, TEST_ENGINE } from '../test/database.js';
import { briefInput, buildAppOn, makeToken } from '../test/factories.js';
import { briefPath, entityPath, storyPath } from '../web/paths.js';
import { generateDemoData } from './demo-data.js';
import { runCli } from './main.js';
import { COPIED_TABLES, EXIT_DIFFERENT, migrateData, type MigrationReport } from './migrate-data.js';

// The copy goes to PostgreSQL whichever engine the suite runs on: the source is always a SQLite
// file and the target a schema of its own on the test server, dropped at the end.

const BRIEFS = 300;
const COMMENTS = 600;

let dir: string;
let sourceFile: string;
let source: Db;
let target: { url: string; drop(): Promise<void> };
let targetDb: Db;
let report: MigrationReport;
const progress: string[] = [];

const sqlite = () => rawSqliteOf(source);
const count = (table: string) => Number(sqlite().prepare(`SELECT count(*) FROM ${table}`).pluck().get());

/**
 * Rows for the tables demo-data leaves empty, with what a copy can get wrong: NULLs, quotes,
 * backslashes, new lines, Cyrillic and emoji, an empty string; events whose ids run against the
 * order they were recorded in; a reply recorded before its parent.
 */
function addEdgeRows(db: Db): void {
  const raw = rawSqliteOf(db);
  const userId = raw.prepare("SELECT id FROM users WHERE role = 'reader' ORDER BY id LIMIT 1").pluck().get() as string;
  const staffId = raw.prepare("SELECT id FROM users WHERE role <> 'reader' ORDER BY id LIMIT 1").pluck().get() as string;
  const brief = raw.prepare("SELECT id, story_id FROM briefs WHERE status = 'published' AND story_id IS NOT NULL ORDER BY id LIMIT 1").get() as { id: string; story_id: string };
  const entityId = raw.prepare('SELECT id FROM entities ORDER BY id LIMIT 1').pluck().get() as string;
  const at = '2026-11-20T10:00:00.000Z';
  raw.transaction(() => {
    raw.prepare('INSERT INTO brief_entity_removals (brief_id, entity_id, removed_at) VALUES (?, ?, ?)').run(brief.id, entityId, at);
    raw.prepare('INSERT INTO comment_policies (subject_id, scope, mode, updated_at) VALUES (?, ?, ?, ?)').run(brief.story_id, 'story', 'pre', at);
    raw.prepare('INSERT INTO moderation_settings (key, value) VALUES (?, ?)').run('blocklist', JSON.stringify(['спам', 'O\'Reilly "quoted"', 'back\\slash', '🙂']));
    // The reply first, its parent second: rowid order puts the child before the parent.
    raw.prepare(`INSERT INTO comments (id, brief_id, author_name, body, status, created_at, user_id, parent_id, reasons, is_flagged, report_count, featured)
      VALUES (?, ?, ?, ?, 'published', ?, ?, NULL, '[]', 1, 1, 0)`).run('zz-reply', brief.id, 'Оксана', 'Line one\nline two — «так»', at, userId);
    raw.prepare(`INSERT INTO comments (id, brief_id, author_name, body, status, created_at, user_id, parent_id, reasons, is_flagged, report_count, featured, ip_hash)
      VALUES (?, ?, ?, ?, 'published', ?, NULL, NULL, '["link"]', 0, 0, 1, '')`).run('zz-parent', brief.id, 'Guest 🙂', 'Parent\t"text"\\', at);
    raw.prepare("UPDATE comments SET parent_id = 'zz-parent' WHERE id = 'zz-reply'").run();
    raw.prepare('INSERT INTO comment_revisions (id, comment_id, body, replaced_at) VALUES (?, ?, ?, ?)').run('zz-rev', 'zz-reply', 'Before the edit', at);
    raw.prepare('INSERT INTO comment_reports (id, comment_id, user_id, reason, text, created_at) VALUES (?, ?, ?, ?, NULL, ?)').run('zz-report', 'zz-reply', userId, 'spam', at);
    raw.prepare('INSERT INTO moderation_actions (id, comment_id, user_id, actor_id, action, reason, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)')
      .run('zz-action', 'zz-reply', userId, staffId, 'flag', at);
    for (let i = 5; i >= 1; i--) {
      raw.prepare('INSERT INTO events (id, type, subject_id, actor_id, payload, created_at) VALUES (?, ?, ?, NULL, ?, ?)')
        .run(`zz-event-${i}`, 'brief.updated', brief.id, JSON.stringify({ n: i, text: 'ünïcødé' }), at);
    }
    raw.prepare('INSERT INTO webhooks (id, url, secret, events, active, created_by, created_at) VALUES (?, ?, ?, ?, 0, NULL, ?)')
      .run('zz-hook', 'https://hooks.example/in?a=1&b=2', 's3cret', '["brief.published"]', at);
    raw.prepare(`INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload, status, attempts, next_attempt_at, last_status_code, last_error, created_at, delivered_at)
      VALUES (?, 'zz-hook', ?, 'brief.updated', '{}', ?, ?, ?, ?, ?, ?, ?)`).run('zz-delivery-1', 'zz-event-1', 'failed', 7, null, 503, 'Service Unavailable', at, null);
    raw.prepare(`INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload, status, attempts, next_attempt_at, last_status_code, last_error, created_at, delivered_at)
      VALUES (?, 'zz-hook', ?, 'brief.updated', '{}', 'delivered', 1, NULL, 200, NULL, ?, ?)`).run('zz-delivery-2', 'zz-event-2', at, at);
    raw.prepare('INSERT INTO webhook_cursor (id, last_event_id) VALUES (?, ?)').run('webhooks', 'zz-event-3');
    raw.prepare('INSERT INTO rate_limits (key, count, reset_at) VALUES (?, ?, ?)').run('login:127.0.0.1', 2_000_000_000, at);
  })();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-migrate-'));
  sourceFile = path.join(dir, 'newsdesk.sqlite');
  source = openSqlite({ dataDir: dir });
  await migrateToLatest(source);
  await generateDemoData(source, { briefs: BRIEFS, comments: COMMENTS, seed: 'migrate', readers: 40, sessions: 5 });
  // Through the services too: a token, and a brief that records its events.
  await makeToken(source);
  const deps = { db: source, bus: createEventBus() };
  await publishBrief(deps, CLI_ACTOR, (await createBrief(deps, CLI_ACTOR, briefInput({ headline: 'Migrated brief through the services' }))).id);
  addEdgeRows(source);
  target = await createTestSchema();
  targetDb = openPostgres(target.url);
  report = await migrateData({ sourceFile, targetUrl: target.url, log: (line) => progress.push(line) });
}, 180_000);

afterAll(async () => {
  await targetDb?.destroy();
  await target?.drop();
  await source?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// From SQLite to PostgreSQL whichever engine the suite runs on, so it runs in one half: the
// PostgreSQL one, whose server it needs.
describe.runIf(TEST_ENGINE === 'postgres')('migrate-data', () => {
  it('copies every table with the same row count and checksum on both sides', async () => {
    expect(report.tables.map((t) => t.table)).toEqual([...COPIED_TABLES]);
    for (const table of COPIED_TABLES) {
      // Every table has rows, so every table's copy is really compared.
      expect(count(table), table).toBeGreaterThan(0);
      const check = report.tables.find((t) => t.table === table)!;
      expect(check.sourceRows, table).toBe(count(table));
      const onTarget = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(targetDb);
      expect(check.targetRows, table).toBe(Number(onTarget.rows[0]!.n));
      expect(check.targetChecksum, table).toBe(check.sourceChecksum);
      expect(check.firstDifference, table).toBeNull();
    }
    expect(report.isVerified).toBe(true);
    expect(report.copiedRows).toBe(COPIED_TABLES.reduce((n, t) => n + count(t), 0));
    expect(progress.some((line) => /^briefs: \d+ of \d+ rows$/.test(line))).toBe(true);
  });

  it('keeps the values that are easiest to get wrong', async () => {
    const onTarget = await targetDb.selectFrom('comments').select(['id', 'parent_id', 'body', 'ip_hash', 'user_id', 'is_flagged']).where('id', 'in', ['zz-reply', 'zz-parent']).orderBy('id').execute();
    expect(onTarget).toEqual([
      { id: 'zz-parent', parent_id: null, body: 'Parent\t"text"\\', ip_hash: '', user_id: null, is_flagged: 0 },
      { id: 'zz-reply', parent_id: 'zz-parent', body: 'Line one\nline two — «так»', ip_hash: null, user_id: expect.any(String), is_flagged: 1 },
    ]);
    const limit = await targetDb.selectFrom('rate_limits').select('count').executeTakeFirstOrThrow();
    expect(limit.count).toBe(2_000_000_000);
    const replies = Number(sqlite().prepare('SELECT count(*) FROM comments WHERE parent_id IS NOT NULL').pluck().get());
    expect(replies).toBeGreaterThan(1);
    const copiedReplies = await targetDb.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(copiedReplies.n)).toBe(replies);
  });

  it('numbers the events in the order they were recorded, not by id', async () => {
    const recorded = sqlite().prepare('SELECT id FROM events ORDER BY rowid').pluck().all();
    const sequenced = (await sql<{ id: string }>`SELECT id FROM events ORDER BY seq`.execute(targetDb)).rows.map((r) => r.id);
    expect(sequenced).toEqual(recorded);
    expect(recorded.slice(-5)).toEqual(['zz-event-5', 'zz-event-4', 'zz-event-3', 'zz-event-2', 'zz-event-1']);
  });

  it('rebuilds the search index of the target from the copied briefs', () => {
    const searchable = Number(sqlite().prepare("SELECT count(*) FROM briefs WHERE status IN ('published', 'corrected', 'retracted')").pluck().get());
    expect(report.search).toEqual({ briefs: searchable, entities: count('entities') });
  });

  describe('reader pages', () => {
    let fromSource: FastifyInstance;
    let fromTarget: FastifyInstance;

    beforeAll(async () => {
      // One cookie secret, so anything signed with it is signed alike on both.
      const secret = randomBytes(32).toString('hex');
      fromSource = await buildAppOn(source, secret);
      fromTarget = await buildAppOn(targetDb, secret);
    });

    afterAll(async () => {
      await fromSource?.close();
      await fromTarget?.close();
    });

    it('render byte for byte the same from both databases', async () => {
      const raw = sqlite();
      const publicBriefs = raw.prepare("SELECT slug FROM briefs WHERE status IN ('published', 'corrected', 'retracted') ORDER BY id").all() as { slug: string }[];
      const spread = publicBriefs.filter((_, i) => i % Math.ceil(publicBriefs.length / 15) === 0);
      const discussed = raw.prepare(`SELECT b.slug FROM briefs b JOIN comments c ON c.brief_id = b.id
        GROUP BY b.id ORDER BY count(*) DESC, b.id LIMIT 5`).all() as { slug: string }[];
      const story = raw.prepare('SELECT s.slug, s.language FROM stories s JOIN briefs b ON b.story_id = s.id GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1').get() as { slug: string; language: 'uk' | 'en' | 'ru' };
      const entity = raw.prepare('SELECT e.slug FROM entities e JOIN brief_entities t ON t.entity_id = e.id GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1').get() as { slug: string };
      const urls = [...[...spread, ...discussed].map(briefPath), storyPath(story, story.language), entityPath(entity, 'uk')];
      expect(urls.length).toBeGreaterThanOrEqual(20);
      for (const url of urls) {
        const [a, b] = await Promise.all([fromSource.inject({ method: 'GET', url }), fromTarget.inject({ method: 'GET', url })]);
        expect(a.statusCode, url).toBe(200);
        expect(b.statusCode, url).toBe(200);
        expect(b.body, url).toBe(a.body);
      }
    });
  });

  it('refuses a target that holds data, and --replace copies into it again', async () => {
    await expect(migrateData({ sourceFile, targetUrl: target.url })).rejects.toThrow(/already holds data \(users: \d+, sessions: \d+.*--replace/);
    const again = await migrateData({ sourceFile, targetUrl: target.url, isReplacing: true });
    expect(again.isVerified).toBe(true);
    expect(again.tables.map((t) => t.targetChecksum)).toEqual(report.tables.map((t) => t.sourceChecksum));
  }, 60_000);

  it('fails the verification when a row of the target differs, naming its key', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-migrate-cli-'));
    const out: string[] = [];
    const run = () => runCli(['migrate-data', '--from', `sqlite:${dir}`, '--to', target.url, '--verify-only'], { out: (l) => out.push(l), err: () => {} }, { NEWSDESK_DATA: scratch });
    try {
      expect(await run()).toBe(0);
      await sql`UPDATE comments SET body = body || '.' WHERE id = 'zz-parent'`.execute(targetDb);
      out.length = 0;
      expect(await run()).toBe(EXIT_DIFFERENT);
      expect(out.find((l) => l.startsWith('comments '))).toMatch(/DIFFERENT \(first at key zz-parent\)/);
      expect(out.filter((l) => l.includes('DIFFERENT (')).length).toBe(1);
      expect(out.at(-1)).toMatch(/^DIFFERENT: comments differ/);
    } finally {
      await sql`UPDATE comments SET body = left(body, -1) WHERE id = 'zz-parent' AND body LIKE '%.'`.execute(targetDb);
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a source table it does not know instead of leaving it behind', async () => {
    sqlite().exec('CREATE TABLE future_things (id TEXT PRIMARY KEY)');
    try {
      await expect(migrateData({ sourceFile, targetUrl: target.url, isReplacing: true })).rejects.toThrow(/source has tables migrate-data does not know how to copy: future_things/);
    } finally {
      sqlite().exec('DROP TABLE future_things');
    }
  });

  it('leaves the target empty when a row cannot be copied', async () => {
    // PostgreSQL's text cannot hold a NUL character; SQLite's can.
    sqlite().prepare("UPDATE comments SET body = 'nul' || char(0) || 'inside' WHERE id = 'zz-reply'").run();
    const fresh = await createTestSchema();
    const freshDb = openPostgres(fresh.url);
    try {
      await expect(migrateData({ sourceFile, targetUrl: fresh.url })).rejects.toThrow(/0x00/);
      for (const table of ['users', 'briefs', 'comments']) {
        const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(freshDb);
        expect(Number(rows.rows[0]!.n), table).toBe(0);
      }
    } finally {
      sqlite().prepare("UPDATE comments SET body = 'Line one\nline two — «так»' WHERE id = 'zz-reply'").run();
      await freshDb.destroy();
      await fresh.drop();
    }
  }, 60_000);

  it('answers bad arguments with exit 2 and the option at fault, without a stack trace', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-migrate-args-'));
    const empty = path.join(scratch, 'empty');
    fs.mkdirSync(empty);
    const cases: [string[], RegExp][] = [
      [['--to', target.url], /needs --from sqlite:PATH/],
      [['--from', sourceFile, '--to', target.url], /--from must be sqlite:PATH/],
      [['--from', `sqlite:${path.join(scratch, 'missing.sqlite')}`, '--to', target.url], /--from: .*missing\.sqlite does not exist/],
      [['--from', `sqlite:${empty}`, '--to', target.url], /--from: .* is a folder without newsdesk\.sqlite/],
      [['--from', `sqlite:${dir}`], /needs --to postgres:/],
      [['--from', `sqlite:${dir}`, '--to', 'mysql://localhost/newsdesk'], /--to must be a postgres:\/\/ URL \(got the scheme "mysql:"\)/],
      [['--from', `sqlite:${dir}`, '--to', 'not a url'], /--to must be a postgres:\/\/ URL/],
      [['--from', `sqlite:${dir}`, '--to', target.url, '--replace', '--verify-only'], /--replace and --verify-only/],
      [['--from', `sqlite:${dir}`, '--to', target.url, '--fast'], /--fast/],
    ];
    try {
      for (const [args, message] of cases) {
        const err: string[] = [];
        const code = await runCli(['migrate-data', ...args], { out: () => {}, err: (l) => err.push(l) }, { NEWSDESK_DATA: scratch });
        expect(code, args.join(' ')).toBe(2);
        expect(err.join('\n'), args.join(' ')).toMatch(message);
        expect(err.join('\n')).not.toMatch(/\n\s+at /);
      }
      // NEWSDESK_DATA was the scratch folder: migrate-data opens only what its arguments name.
      expect(fs.readdirSync(scratch)).toEqual(['empty']);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});
