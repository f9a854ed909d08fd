import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { createUser, listUsers, logIn } from '../accounts/service.js';
import { loadConfig } from '../config/index.js';
import { listBriefs } from '../content/brief-repository.js';
import { listEntities } from '../content/entities.js';
import { listBackground, listStories } from '../content/stories.js';
import { PUBLIC_STATUSES } from '../content/types.js';
import type { Runtime } from '../main.js';
import type { Db } from '../storage/database.js';
import { createEventBus, type DomainEvent } from '../storage/events.js';
import { ensureDemoNewsroom } from './demo.js';
import { listPinnedBriefIds, listTranslations } from '../content/timeline.js';
import { openTestDatabase, TEST_ENGINE, type TestDatabase } from '../test/database.js';

let runtime: Runtime;
let database: TestDatabase;
let db: Db;
let emitted: DomainEvent[];

beforeEach(async () => {
  database = await openTestDatabase();
  db = database.db;
  const bus = createEventBus();
  emitted = [];
  bus.subscribe((e) => void emitted.push(e));
  runtime = { config: loadConfig({}), db, bus, cookieSecret: randomBytes(32).toString('hex') };
});
afterEach(async () => { await database.close(); });

const TABLES = ['users', 'sessions', 'api_tokens', 'stories', 'entities', 'background_items', 'briefs', 'brief_entities', 'brief_authors', 'brief_revisions', 'comments', 'events'] as const;

async function rowCounts(tables: readonly (typeof TABLES)[number][] = TABLES): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

describe('ensureDemoNewsroom', () => {
  it('creates the admin whose printed password logs in, plus an editor, a contributor and a moderator', async () => {
    const login = await ensureDemoNewsroom(runtime);
    expect(login).toMatchObject({ email: 'admin@newsdesk.local' });
    const { user } = await logIn({ db, email: login!.email, password: login!.password });
    expect(user).toMatchObject({ role: 'admin', displayName: 'Desk admin' });
    const users = (await listUsers(db)).filter((u) => u.role !== 'reader');
    expect(users.map((u) => [u.email, u.role]).sort()).toEqual([
      ['admin@newsdesk.local', 'admin'],
      ['contributor@newsdesk.local', 'contributor'],
      ['editor@newsdesk.local', 'editor'],
      ['moderator@newsdesk.local', 'moderator'],
    ]);
  });

  it('seeds one developing story with a day of sourced briefs in English and Ukrainian', async () => {
    const before = Date.now();
    await ensureDemoNewsroom(runtime);
    const [story, ...otherStories] = await listStories(db);
    expect(otherStories).toEqual([]);
    expect(story!.status).toBe('developing');

    const briefs = (await listBriefs(db, { storyId: story!.id, limit: 100 })).items;
    expect(briefs.length).toBeGreaterThanOrEqual(10);
    expect(new Set(briefs.map((b) => b.language))).toEqual(new Set(['en', 'uk']));
    for (const brief of briefs) {
      expect(PUBLIC_STATUSES).toContain(brief.status);
      expect(brief.sources.length).toBeGreaterThanOrEqual(1);
      expect(brief.quotes[0]!.speaker).toBeTruthy();
      expect(brief.details.length).toBeGreaterThanOrEqual(1);
      expect(brief.entityIds.length).toBeGreaterThanOrEqual(1);
    }
    // Fresh but not live: the whole day lies within the last 24 hours and ends hours ago.
    const times = briefs.map((b) => Date.parse(b.publishedAt!));
    expect(new Set(times).size).toBe(briefs.length);
    expect(Math.max(...times)).toBeLessThan(before - 60 * 60_000);
    expect(Math.min(...times)).toBeGreaterThan(before - 24 * 60 * 60_000);
    // Previously links only ever point back in time, at briefs of the same story.
    const byId = new Map(briefs.map((b) => [b.id, b]));
    const links = briefs.flatMap((b) => b.previouslyLinks.map((target) => [b, byId.get(target)] as const));
    expect(links.length).toBeGreaterThan(0);
    for (const [brief, target] of links) expect(Date.parse(target!.publishedAt!)).toBeLessThan(Date.parse(brief.publishedAt!));
  });

  it('fills the background ledger with several claim statuses and keeps what earlier briefs showed', async () => {
    await ensureDemoNewsroom(runtime);
    const [story] = await listStories(db);
    const items = await listBackground(db, story!.id);
    expect(new Set(items.map((i) => i.status)).size).toBeGreaterThanOrEqual(3);
    // Newest first: the first brief citing an item shows the state the ledger should end in.
    const briefs = (await listBriefs(db, { storyId: story!.id, limit: 100 })).items;
    for (const item of items) {
      const latest = briefs.flatMap((b) => b.background).find((e) => e.itemId === item.id);
      expect(latest).toEqual({ itemId: item.id, text: item.text, status: item.status, attribution: item.attributionSource });
    }
    // A claim that moved on during the day still reads as it stood in the briefs published before.
    const moved = items.find((item) => briefs.some((b) => b.background.some((e) => e.itemId === item.id && e.status !== item.status)));
    expect(moved).toBeDefined();
  });

  it('tags people, organisations and places named in three languages, with aliases', async () => {
    await ensureDemoNewsroom(runtime);
    const entities = await listEntities(db);
    const count = (kind: string) => entities.filter((e) => e.kind === kind).length;
    expect(count('person')).toBeGreaterThanOrEqual(3);
    expect(count('organisation')).toBeGreaterThanOrEqual(2);
    expect(count('place')).toBeGreaterThanOrEqual(2);
    for (const entity of entities) {
      expect(entity.names.en && entity.names.uk && entity.names.ru).toBeTruthy();
      expect(entity.aliases.length).toBeGreaterThan(0);
    }
  });

  it('includes a corrected brief and reader comments on several briefs', async () => {
    await ensureDemoNewsroom(runtime);
    const corrected = await db.selectFrom('briefs').select(['correction_reason', 'corrected_at']).where('status', '=', 'corrected').execute();
    expect(corrected.length).toBeGreaterThanOrEqual(1);
    expect(corrected[0]!.correction_reason).toBeTruthy();
    const comments = await db.selectFrom('comments').select(['brief_id', 'status']).execute();
    expect(comments.length).toBeGreaterThanOrEqual(3);
    expect(new Set(comments.map((c) => c.brief_id)).size).toBeGreaterThanOrEqual(2);
    expect(comments.filter((c) => c.status === 'published').length).toBeGreaterThanOrEqual(3);
  });

  it('gives the moderation queues something to do: a reply, a flagged insult and held link spam', async () => {
    await ensureDemoNewsroom(runtime);
    const comments = await db.selectFrom('comments').innerJoin('users', 'users.id', 'comments.user_id')
      .select(['users.display_name', 'comments.status', 'comments.is_flagged', 'comments.reasons', 'comments.parent_id']).execute();
    const by = (name: string) => comments.find((c) => c.display_name === name)!;
    expect(by('Nadia P.')).toMatchObject({ status: 'published', is_flagged: 0 });
    expect(by('Nadia P.').parent_id).not.toBeNull();
    expect(by('angry_reader_77')).toMatchObject({ status: 'published', is_flagged: 1, reasons: '["profanity"]' });
    expect(by('Best Deals')).toMatchObject({ status: 'pending', reasons: '["links"]' });
  });

  it('links its English and Ukrainian tellings of the same news and pins key events', async () => {
    await ensureDemoNewsroom(runtime);
    const briefs = (await listBriefs(db, { limit: 100 })).items;
    const byHeadline = (start: string) => briefs.find((b) => b.headline.startsWith(start))!;
    const breachEn = byHeadline('Water breaches the Zoriane dam');
    const translations = await listTranslations(db, breachEn.id);
    expect(translations.map((b) => [b.language, b.headline.slice(0, 18)])).toEqual([['uk', 'Вода прорвала греб']]);
    const pinned = await listPinnedBriefIds(db, breachEn.storyId!);
    expect(pinned.map((id) => briefs.find((b) => b.id === id)!.headline.slice(0, 20))).toEqual(['Water breaches the Z', 'Prosecutors open neg']);
  });

  it('tells subscribers about the seeded content once it is committed', async () => {
    await ensureDemoNewsroom(runtime);
    const published = emitted.filter((e) => e.type === 'brief.published').length;
    const stored = await db.selectFrom('events').select('id').where('type', '=', 'brief.published').execute();
    expect(published).toBe(stored.length);
    expect(published).toBeGreaterThanOrEqual(10);
  });

  it('returns null and adds nothing when it runs a second time', async () => {
    await ensureDemoNewsroom(runtime);
    const before = await rowCounts();
    const eventsBefore = emitted.length;
    expect(await ensureDemoNewsroom(runtime)).toBeNull();
    expect(await rowCounts()).toEqual(before);
    expect(emitted.length).toBe(eventsBefore);
  });

  it('seeds nothing into a database that already has a user', async () => {
    await createUser({ db, actor: CLI_ACTOR, input: { email: 'someone@example.org', displayName: 'Someone', role: 'admin' } });
    expect(await ensureDemoNewsroom(runtime)).toBeNull();
    expect(await rowCounts()).toMatchObject({ users: 1, stories: 0, entities: 0, briefs: 0, comments: 0, events: 0 });
  });

  it('leaves no half-seeded newsroom when a step fails midway', async () => {
    // Without a comments table the seed fails after users, entities and briefs were written.
    // PostgreSQL refuses to drop a table others' foreign keys point at unless told to drop those too.
    await sql.raw(TEST_ENGINE === 'postgres' ? 'drop table comments cascade' : 'drop table comments').execute(db);
    await expect(ensureDemoNewsroom(runtime)).rejects.toThrow();
    const remaining = TABLES.filter((t) => t !== 'comments');
    expect(await rowCounts(remaining)).toEqual(Object.fromEntries(remaining.map((t) => [t, 0])));
    expect(emitted).toEqual([]);
  });
});
