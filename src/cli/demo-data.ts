import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { hashPassword, generatePassword } from '../accounts/passwords.js';
import { SESSION_DAYS } from '../accounts/service.js';
import { contentOf } from '../content/brief-repository.js';
import { listEntities } from '../content/entities.js';
import { GAZETTEER } from '../content/fixtures/gazetteer.js';
import { slugBase } from '../content/slugs.js';
import { findMentions } from '../content/tagging.js';
import { LANGUAGES, type BackgroundEntry, type Brief, type BriefStatus, type ClaimStatus, type Entity, type Language, type Quote, type Source } from '../content/types.js';
import { analyse } from '../search/analyser.js';
import { briefDocument, briefPassages, entityDocument } from '../search/documents.js';
import { createSqliteSearchIndex } from '../search/sqlite.js';
import { engineOf, rawSqliteOf, type Db } from '../storage/database.js';
import {
  ATTRIBUTIONS, CHANGE_SOURCES, CLAIMS, COMMENT_PHRASES, CORRECTION_REASONS, CORRESPONDENTS, DETAILS, HEADLINES, MONTHS, QUOTES,
  READER_FIRST_NAMES, READER_INITIALS, REPLY_PHRASES, RETRACTION_REASONS, SOURCES, STORY_SUMMARY, STORY_TOPICS, type Tri,
} from './demo-data-content.js';
import type { Command } from './main.js';
import { UsageError } from './usage.js';

// `newsdesk demo-data`: a large, realistic archive for benchmarks and query-plan tests, written
// straight into the tables through prepared statements in large transactions. The services
// would take hours for a million briefs (a transaction, a tagger run and an index update each),
// so this writes exactly the rows they would: the brief with one revision per state it passed
// through, its tags (found by the same tagger), authors, the story's ledger with its history,
// and the search documents built by the search module's own functions. No domain events are
// written: a million `brief.published` events would be delivered to webhooks and live pages.
// Past BASE_BRIEFS, only a base is built here and the rest are copies of it made in SQL
// (copyArchive), which keeps a million briefs to minutes.

// Only the base is planned in memory, so the limits are about disk and time, not the heap.
export const DEMO_DATA_LIMITS = { briefs: 2_000_000, comments: 20_000_000, readers: 1_000_000, sessions: 100_000 } as const;

export interface DemoDataProgress {
  phase: 'briefs' | 'comments' | 'readers';
  done: number;
  total: number;
}

export interface DemoDataOptions {
  briefs: number;
  comments: number;
  /** Same seed on the same database, same data (relative to `now`). */
  seed?: number | string;
  /** Reader accounts that write the comments; by default one per 25 comments (at least 20). */
  readers?: number;
  /** Reader sessions to open; their cookie values come back in `sessionCookies`. */
  sessions?: number;
  /** The moment the archive ends at; defaults to the present. */
  now?: Date;
  onProgress?: (progress: DemoDataProgress) => void;
  /** Most briefs written from JavaScript before the rest is copied in SQL (tests lower it). */
  baseBriefs?: number;
}

export interface DemoDataResult {
  briefs: number;
  /** Of `briefs`, those readers can see (published, corrected or retracted). */
  publicBriefs: number;
  stories: number;
  backgroundItems: number;
  comments: number;
  readers: number;
  /** Gazetteer entities that were missing and were added. */
  entitiesAdded: number;
  /** Raw values of the `nd_session` cookie, one per session opened. */
  sessionCookies: string[];
  elapsedMs: number;
}

// ---- Deterministic randomness ----------------------------------------------------------------

function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast and good enough to make data look varied. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** A lowercase ULID for a moment, as newId() makes them, with its random part from the seed. */
function ulidAt(ms: number, rnd: () => number): string {
  let time = '';
  let t = Math.floor(ms);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  // 80 random bits: sixteen letters of five bits, six letters from each 32-bit draw.
  let tail = '';
  for (let draw = 0; draw < 3; draw++) {
    let bits = Math.floor(rnd() * 2 ** 30);
    for (let i = 0; i < 6 && tail.length < 16; i++, bits >>>= 5) tail += CROCKFORD[bits & 31]!;
  }
  return time + tail;
}

const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far back the archive reaches; briefs get denser towards the present. */
const ARCHIVE_YEARS = 4;
const BATCH = 10_000;
/** Briefs written from JavaScript in one run; larger archives copy them (see copyArchive). */
const BASE_BRIEFS = 5_000;
/** Briefs outside stories move up to this far back in each copy. */
const COPY_STANDALONE_SHIFT = 30 * DAY;

const langIndex = (language: Language) => LANGUAGES.indexOf(language);
const say = (tri: Tri, language: Language) => tri[langIndex(language)]!;

// ---- Memoised text work ----------------------------------------------------------------------

/**
 * The analyser and tagger are the expensive part of a brief; the generated texts repeat from a
 * small stock of sentences, so each distinct passage is analysed or tagged once. The documents
 * stay exactly what briefDocument builds (the test compares them).
 */
function memo<T>(compute: (key: string) => T, limit = 200_000): (key: string) => T {
  let cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= limit) cache = new Map();
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

// ---- Plan of the archive ----------------------------------------------------------------------

interface StoryPlan {
  id: string;
  slug: string;
  language: Language;
  title: string;
  start: number;
  end: number;
  size: number;
  items: LedgerItem[];
}

interface LedgerItem {
  id: string;
  claim: number;
  text: string;
  attribution: string | null;
  /** States in time order: [from ms, status]. */
  states: [number, ClaimStatus][];
}

interface Choice {
  headline: number;
  details: number[];
  quote: number | null;
  sources: number[];
  n: number[];
}

interface PublicBrief {
  id: string;
  at: number;
  language: Language;
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

/** `k` distinct indexes below `n`, in random order. */
function sample(rnd: () => number, n: number, k: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, k);
}

function pickLanguage(rnd: () => number): Language {
  const r = rnd();
  return r < 0.45 ? 'uk' : r < 0.75 ? 'en' : 'ru';
}

/** A number of tens: "20 людей", "120 человек" — one plural form in both Slavic languages. */
const tens = (rnd: () => number) => 10 * (1 + Math.floor(rnd() * rnd() * 60));

function fill(text: string, n: number[]): string {
  let i = 0;
  return text.replace(/\{n\}/g, () => String(n[i++ % Math.max(n.length, 1)] ?? 10));
}

// ---- The generator ---------------------------------------------------------------------------

/**
 * Appends `briefs` briefs (about 85 % of them in stories of tens to hundreds) and `comments`
 * comments to the database, with reader accounts, entities from the gazetteer, background
 * ledgers and search documents, all consistent with what the services would have written.
 */
export async function generateDemoData(db: Db, options: DemoDataOptions): Promise<DemoDataResult> {
  const started = performance.now();
  checkCount('briefs', options.briefs, DEMO_DATA_LIMITS.briefs, 1);
  checkCount('comments', options.comments, DEMO_DATA_LIMITS.comments, 0);
  if (options.readers !== undefined) checkCount('readers', options.readers, DEMO_DATA_LIMITS.readers, 1);
  if (options.sessions !== undefined) checkCount('sessions', options.sessions, DEMO_DATA_LIMITS.sessions, 0);
  if (options.baseBriefs !== undefined) checkCount('base-briefs', options.baseBriefs, DEMO_DATA_LIMITS.briefs, 1);
  const now = (options.now ?? new Date()).getTime();
  const sqlite = rawSqliteOf(db);

  // Documents of earlier briefs must be current before new ones are added next to them, or the
  // next start would rebuild everything (which at a million briefs takes very long).
  await createSqliteSearchIndex(db).ensureCurrent();

  const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const existing = { briefs: count('briefs'), stories: count('stories'), users: count('users'), comments: count('comments') };
  // Mixing in what is there makes a second run with the same seed append new ids and slugs.
  const rnd = prng(hashSeed(`${options.seed ?? 'newsdesk'}|${existing.briefs}|${existing.stories}|${existing.users}|${existing.comments}`));
  const runTag = Math.floor(rnd() * 36 ** 4).toString(36).padStart(4, '0');

  const entitiesAdded = await ensureGazetteer(db, now);
  const entities = await listEntities(db);
  const passwordHash = await hashPassword(generatePassword());
  const authors = ensureCorrespondents(sqlite, passwordHash, now, rnd);

  const readerCount = Math.max(options.readers ?? Math.min(DEMO_DATA_LIMITS.readers, Math.max(20, Math.round(options.comments / 25))), options.sessions ?? 0);
  const oldest = now - ARCHIVE_YEARS * 365 * DAY;

  const restore = bulkPragmas(sqlite);
  try {
    const readers = writeReaders(sqlite, { count: readerCount, sessions: options.sessions ?? 0, runTag, passwordHash, oldest, rnd });
    options.onProgress?.({ phase: 'readers', done: readers.length, total: readerCount });
    // Past a few tens of thousands, a base archive is written from JavaScript and the rest is
    // copied from it in SQL (see copyArchive); below that, everything comes from JavaScript.
    const maxBase = options.baseBriefs ?? BASE_BRIEFS;
    const copies = Math.ceil(options.briefs / maxBase);
    const baseBriefs = Math.ceil(options.briefs / copies);
    const baseComments = Math.floor((options.comments * baseBriefs) / options.briefs);
    const marks = copies > 1 ? rowidMarks(sqlite) : null;
    const briefResult = await writeBriefs(sqlite, { options: { ...options, briefs: baseBriefs }, now, oldest, rnd, entities, authors, existing, runTag });
    let commentCount = await writeComments(sqlite, { options: { ...options, comments: baseComments }, now, rnd, readers, publicBriefs: briefResult.publicBriefs });
    const totals = { publicBriefs: briefResult.publicBriefs.length, stories: briefResult.stories, backgroundItems: briefResult.backgroundItems };
    if (marks) {
      const copied = await copyArchive(sqlite, {
        options, now, oldest, rnd, marks, baseBriefs, baseComments, storyPlans: briefResult.storyPlans, storyNumber: existing.stories + briefResult.stories,
        briefNumber: existing.briefs + baseBriefs, fixedIds: new Set([...entities.map((e) => e.id), ...authors.map((a) => a.id)]),
      });
      totals.publicBriefs += copied.publicBriefs;
      totals.stories += copied.stories;
      totals.backgroundItems += copied.backgroundItems;
      commentCount += copied.comments;
    }
    // Copies can fall a few comments short of the count asked for (the last, partial copy takes
    // only some stories); those few are written over the base's briefs.
    if (commentCount < options.comments) {
      commentCount += await writeComments(sqlite, { options: { ...options, comments: options.comments - commentCount }, now, rnd, readers, publicBriefs: briefResult.publicBriefs });
    }
    const sessionCookies = writeSessions(sqlite, readers.slice(0, options.sessions ?? 0).map((r) => r.id), now);
    return {
      briefs: options.briefs,
      ...totals,
      comments: commentCount,
      readers: readers.length,
      entitiesAdded,
      sessionCookies,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    restore();
  }
}

function checkCount(name: string, value: number, max: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max.toLocaleString('en')} (got ${String(value)})`);
  }
}

/**
 * Durability is not worth paying for rows that can be generated again: no fsync per commit and a
 * large page cache while loading. The settings the app runs with come back afterwards, and the
 * WAL is checkpointed so the file is complete and consistent on its own.
 */
function bulkPragmas(sqlite: ReturnType<typeof rawSqliteOf>): () => void {
  const before = {
    synchronous: sqlite.pragma('synchronous', { simple: true }) as number,
    cacheSize: sqlite.pragma('cache_size', { simple: true }) as number,
    foreignKeys: sqlite.pragma('foreign_keys', { simple: true }) as number,
  };
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -1000000');
  // Every reference is to a row this run wrote first or read from the table; the test checks
  // foreign_key_check on a generated database.
  sqlite.pragma('foreign_keys = OFF');
  return () => {
    sqlite.pragma(`synchronous = ${before.synchronous}`);
    sqlite.pragma(`cache_size = ${before.cacheSize}`);
    sqlite.pragma(`foreign_keys = ${before.foreignKeys}`);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  };
}

/** The gazetteer's entities that are missing (matched by English name, as `newsdesk gazetteer` does). */
async function ensureGazetteer(db: Db, now: number): Promise<number> {
  const sqlite = rawSqliteOf(db);
  const known = new Set((sqlite.prepare('SELECT name_en FROM entities').all() as { name_en: string }[]).map((r) => r.name_en.trim().toLowerCase()));
  const slugs = new Set((sqlite.prepare('SELECT slug FROM entities').all() as { slug: string }[]).map((r) => r.slug));
  const insert = sqlite.prepare(`INSERT INTO entities (id, slug, kind, name_en, name_uk, name_ru, aliases, created_at, updated_at)
    VALUES (@id, @slug, @kind, @name_en, @name_uk, @name_ru, @aliases, @at, @at)`);
  const insertDoc = sqlite.prepare('INSERT INTO search_entity_docs (entity_id, names) VALUES (?, ?)');
  const rnd = prng(hashSeed(`entities|${known.size}`));
  let added = 0;
  sqlite.transaction(() => {
    for (const input of Object.values(GAZETTEER)) {
      if (known.has(input.names.en.toLowerCase())) continue;
      let slug = slugBase(input.names.en);
      for (let n = 2; slugs.has(slug); n++) slug = `${slugBase(input.names.en)}-${n}`;
      slugs.add(slug);
      const entity: Entity = { id: ulidAt(now, rnd), slug, kind: input.kind, names: { ...input.names }, aliases: [...input.aliases] };
      insert.run({ id: entity.id, slug, kind: entity.kind, name_en: entity.names.en, name_uk: entity.names.uk, name_ru: entity.names.ru, aliases: JSON.stringify(entity.aliases), at: iso(now) });
      insertDoc.run(entity.id, entityDocument(entity));
      added += 1;
    }
  })();
  return added;
}

interface Author { id: string; name: string }

/** The correspondents who write the briefs: created on the first run, reused after. */
function ensureCorrespondents(sqlite: ReturnType<typeof rawSqliteOf>, passwordHash: string, now: number, rnd: () => number): Author[] {
  const find = sqlite.prepare('SELECT id, display_name FROM users WHERE email = ?');
  const insert = sqlite.prepare(`INSERT INTO users (id, email, display_name, password_hash, role, created_at, disabled_at, deleted_at, premoderate, suspended_until, banned_at)
    VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL, NULL)`);
  const authors: Author[] = [];
  sqlite.transaction(() => {
    CORRESPONDENTS.forEach((name, i) => {
      const email = `correspondent-${i + 1}@demo.newsdesk.local`;
      const row = find.get(email) as { id: string; display_name: string } | undefined;
      if (row) {
        authors.push({ id: row.id, name: row.display_name });
        return;
      }
      const id = ulidAt(now - ARCHIVE_YEARS * 366 * DAY, rnd);
      insert.run(id, email, name, passwordHash, i < 2 ? 'editor' : 'contributor', iso(now - ARCHIVE_YEARS * 366 * DAY));
      authors.push({ id, name });
    });
  })();
  return authors;
}

interface Reader { id: string; name: string; premoderated: boolean }

/** Readers; the first `sessions` of them are in good standing, since the bench posts as them. */
function writeReaders(sqlite: ReturnType<typeof rawSqliteOf>, opts: { count: number; sessions: number; runTag: string; passwordHash: string; oldest: number; rnd: () => number }): Reader[] {
  const { rnd } = opts;
  const insert = sqlite.prepare(`INSERT INTO users (id, email, display_name, password_hash, role, created_at, disabled_at, deleted_at, premoderate, suspended_until, banned_at)
    VALUES (?, ?, ?, ?, 'reader', ?, NULL, NULL, ?, NULL, NULL)`);
  const readers: Reader[] = [];
  for (let start = 0; start < opts.count; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(opts.count, start + BATCH); i++) {
        // Accounts older than the archive: a reader's comments never predate the account.
        // Copies of the archive reach up to COPY_STANDALONE_SHIFT before `oldest`.
        const created = opts.oldest - Math.floor(rnd() * 365 * DAY) - COPY_STANDALONE_SHIFT - DAY;
        const reader: Reader = { id: ulidAt(created, rnd), name: `${pick(rnd, READER_FIRST_NAMES)} ${pick(rnd, READER_INITIALS)}`, premoderated: rnd() < 0.01 && i >= opts.sessions };
        insert.run(reader.id, `reader-${opts.runTag}-${i + 1}@readers.demo.newsdesk.local`, reader.name, opts.passwordHash, iso(created), reader.premoderated ? 1 : 0);
        readers.push(reader);
      }
    })();
  }
  return readers;
}

/** Sessions opened now, as openSession would; answers the cookie values. */
function writeSessions(sqlite: ReturnType<typeof rawSqliteOf>, userIds: string[], now: number): string[] {
  const insert = sqlite.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const cookies: string[] = [];
  sqlite.transaction(() => {
    for (const userId of userIds) {
      // Real secrets, never derived from the seed: a session id is a password.
      const sessionId = randomBytes(32).toString('base64url');
      insert.run(createHash('sha256').update(sessionId).digest('hex'), userId, iso(now), iso(now + SESSION_DAYS * DAY));
      cookies.push(sessionId);
    }
  })();
  return cookies;
}

interface BriefsContext {
  options: DemoDataOptions;
  now: number;
  oldest: number;
  rnd: () => number;
  entities: Entity[];
  authors: Author[];
  existing: { briefs: number; stories: number };
  runTag: string;
}

/** A moment in the archive, denser towards `end`. */
function archiveMoment(rnd: () => number, oldest: number, end: number): number {
  return end - (end - oldest) * rnd() ** 2.5;
}

async function writeBriefs(sqlite: ReturnType<typeof rawSqliteOf>, ctx: BriefsContext): Promise<{ publicBriefs: PublicBrief[]; stories: number; backgroundItems: number; storyPlans: StoryPlan[] }> {
  const { rnd, now, oldest, options } = ctx;
  const total = options.briefs;
  const latest = now - 10 * MINUTE;

  // Tags: the tagger's findMentions over each stock sentence once; a brief's tags are the union
  // over its sentences (the test runs the tagger over whole generated briefs and compares).
  const mentions = memo((text: string) => findMentions(text, ctx.entities).map((m) => m.entityId), 50_000);
  const analysed = memo(analyse);
  const entityById = new Map(ctx.entities.map((e) => [e.id, e]));
  const namesDoc = memo((id: string) => briefDocument({ headline: '', details: [], quotes: [], previously: [], background: [] } as unknown as Brief, [entityById.get(id)!]).names);
  const slugOf = memo(slugBase, 50_000);
  const plainText = memo((markdown: string) => briefPassages({ details: [markdown], quotes: [], previously: [], background: [] } as unknown as Brief)[0] ?? '');

  // A tag may carry a copy of its brief's publication time (for the entity page's index), kept by
  // a trigger that re-reads the brief per tag; written here directly, with the trigger set aside.
  const tagColumns = (sqlite.prepare('SELECT name FROM pragma_table_info(\'brief_entities\')').all() as { name: string }[]).map((c) => c.name);
  const hasTagTime = tagColumns.includes('published_at');
  const statements = {
    story: sqlite.prepare('INSERT INTO stories (id, slug, language, title, summary, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    item: sqlite.prepare(`INSERT INTO background_items (id, story_id, position, text, status, attribution_entity_id, attribution_source, occurred_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)`),
    change: sqlite.prepare(`INSERT INTO background_item_changes (id, item_id, story_id, kind, text, status, attribution_entity_id, attribution_source, source, actor_id, actor_label, changed_at)
      VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`),
    brief: sqlite.prepare(`INSERT INTO briefs (id, slug, language, headline, status, story_id, published_at, dateline_precision, content, revision, created_at, updated_at,
      created_by, corrected_at, correction_reason, retracted_at, retraction_reason, translation_group, pinned_at)
      VALUES (@id, @slug, @language, @headline, @status, @story_id, @published_at, @dateline_precision, @content, @revision, @created_at, @updated_at,
      @created_by, @corrected_at, @correction_reason, @retracted_at, @retraction_reason, @translation_group, @pinned_at)`),
    revision: sqlite.prepare('INSERT INTO brief_revisions (id, brief_id, number, kind, reason, user_id, created_at, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    tag: hasTagTime
      ? sqlite.prepare('INSERT INTO brief_entities (brief_id, entity_id, origin, published_at) VALUES (?, ?, ?, ?)')
      : sqlite.prepare('INSERT INTO brief_entities (brief_id, entity_id, origin) VALUES (?, ?, ?)'),
    author: sqlite.prepare('INSERT INTO brief_authors (brief_id, user_id) VALUES (?, ?)'),
    doc: sqlite.prepare('INSERT INTO search_brief_docs (brief_id, headline, body, names) VALUES (?, ?, ?, ?)'),
  };

  // Stories: log-uniform sizes from 10 to 500 briefs, about 85 % of all briefs.
  const inStories = total < 20 ? total : Math.floor(total * 0.85);
  const stories: StoryPlan[] = [];
  let storyNumber = ctx.existing.stories;
  let itemCount = 0;
  for (let left = inStories; left > 0;) {
    const size = Math.min(left, Math.round(10 * Math.exp(rnd() * Math.log(50))));
    left -= size;
    const language = pickLanguage(rnd);
    // A story runs from a day to three months, roughly with its size.
    const duration = Math.min(90 * DAY, Math.max(DAY, size * (0.5 + rnd() * 4) * HOUR));
    const start = Math.min(archiveMoment(rnd, oldest, latest), latest - duration);
    const begun = new Date(start);
    const title = `${say(pick(rnd, STORY_TOPICS), language)}, ${MONTHS[language][begun.getUTCMonth()]} ${begun.getUTCFullYear()}`;
    storyNumber += 1;
    const story: StoryPlan = {
      id: ulidAt(start - HOUR, rnd), slug: `${slugOf(title)}-${storyNumber.toString(36)}`, language, title, start, end: start + duration, size, items: [],
    };
    // The ledger: three to six claims, some of which change status while the story runs.
    const claims = sample(rnd, CLAIMS.length, 3 + Math.floor(rnd() * 4));
    for (const claim of claims) {
      const created = start + rnd() * duration * 0.3;
      const spec = CLAIMS[claim]!;
      const states: [number, ClaimStatus][] = [[created, spec.starts]];
      if (spec.becomes.length && rnd() < 0.6) states.push([created + rnd() * (start + duration - created), pick(rnd, spec.becomes)]);
      story.items.push({
        id: ulidAt(created, rnd), claim, text: say(spec.text, language), attribution: rnd() < 0.7 ? say(pick(rnd, ATTRIBUTIONS), language) : null, states,
      });
    }
    stories.push(story);
  }

  const publicBriefs: PublicBrief[] = [];
  let written = 0;
  let briefNumber = ctx.existing.briefs;

  const writeStory = (story: StoryPlan) => {
    const lastAt = Math.max(...story.items.flatMap((i) => i.states.map((s) => s[0])), story.start);
    statements.story.run(story.id, story.slug, story.language, story.title, say(STORY_SUMMARY, story.language),
      story.end < now - 30 * DAY ? 'concluded' : 'developing', iso(story.start - HOUR), iso(Math.min(latest, Math.max(lastAt, story.end))));
    story.items.forEach((item, index) => {
      const [first, ...later] = item.states;
      const current = item.states.at(-1)!;
      statements.item.run(item.id, story.id, index + 1, item.text, current[1], item.attribution, iso(first![0]), iso(current[0]));
      const editor = ctx.authors[0]!;
      statements.change.run(ulidAt(first![0], rnd), item.id, story.id, 'created', item.text, first![1], item.attribution, null, editor.id, editor.name, iso(first![0]));
      for (const [at, status] of later) {
        statements.change.run(ulidAt(at, rnd), item.id, story.id, 'edited', item.text, status, item.attribution, pick(rnd, CHANGE_SOURCES), editor.id, editor.name, iso(at));
      }
      itemCount += 1;
    });
  };

  /** One brief, as saveBrief and the search indexer would store it. */
  const writeBrief = (b: {
    language: Language; choice: Choice; story: StoryPlan | null; at: number; status: BriefStatus; group: string | null;
    previous: { id: string; headline: string } | null; pinned: boolean; ownBackground: number | null;
  }): { id: string; headline: string } => {
    const { language, choice } = b;
    const lang = (tri: Tri) => fill(say(tri, language), choice.n);
    const headline = lang(HEADLINES[choice.headline]!);
    const id = ulidAt(b.at, rnd);
    briefNumber += 1;
    const sources: Source[] = choice.sources.map((s) => {
      const source = SOURCES[language][s]!;
      return { name: source.name, url: source.hasUrl ? `https://example.org/${source.kind.replace('_', '-')}/${id}` : null, kind: source.kind };
    });
    const quotes: Quote[] = choice.quote === null ? [] : [{ text: say(QUOTES[choice.quote]!.text, language), speaker: say(QUOTES[choice.quote]!.speaker, language), sourceIndex: 0 }];
    const details = choice.details.map((d) => lang(DETAILS[d]!));
    const background: BackgroundEntry[] = [];
    if (b.story) {
      // The snapshot a brief freezes on publishing: up to two of its story's items as they stood then.
      const known = b.story.items.filter((item) => item.states[0]![0] <= b.at);
      for (let k = Math.min(known.length, Math.floor(rnd() * 3)); k > 0; k--) {
        const item = known.splice(Math.floor(rnd() * known.length), 1)[0]!;
        const state = item.states.filter((s) => s[0] <= b.at).at(-1)!;
        background.push({ text: item.text, status: state[1], attribution: item.attribution, itemId: item.id });
      }
    } else if (b.ownBackground !== null) {
      const claim = CLAIMS[b.ownBackground]!;
      background.push({ text: say(claim.text, language), status: claim.starts, attribution: say(ATTRIBUTIONS[0]!, language), itemId: null });
    }
    const isPublic = b.status !== 'draft';
    const publishedAt = isPublic ? iso(b.at) : null;
    const createdAt = iso(b.at - (5 + Math.floor(rnd() * 40)) * MINUTE);
    const author = pick(rnd, ctx.authors);
    const brief: Brief = {
      sources, quotes, details, previously: b.previous ? [b.previous.headline] : [], previouslyLinks: b.previous ? [b.previous.id] : [], background,
      id, slug: `${slugOf(headline)}-${briefNumber.toString(36)}`, language, headline, status: 'draft', storyId: b.story?.id ?? null, publishedAt,
      datelinePrecision: rnd() < 0.05 ? 'day' : 'minute', revision: 1, createdAt, updatedAt: publishedAt ?? createdAt,
      correctedAt: null, correctionReason: null, retractedAt: null, retractionReason: null, entityIds: [], authorIds: [author.id],
    };
    const tagged = new Set<string>();
    for (const text of [headline, ...quotes.map((q) => q.text), ...details, ...brief.previously, ...background.map((e) => e.text)]) {
      for (const entityId of mentions(text)) tagged.add(entityId);
    }
    brief.entityIds = [...tagged].sort();

    // One revision per state the brief passed through on the way to its status. A snapshot is
    // JSON.stringify(brief): the content's JSON (its first keys) and the row's fields after them.
    const contentJson = JSON.stringify(contentOf(brief));
    const snapshotOf = (state: Brief) => {
      const { sources: _s, quotes: _q, details: _d, previously: _p, previouslyLinks: _l, background: _b, ...row } = state;
      return `${contentJson.slice(0, -1)},${JSON.stringify(row).slice(1)}`;
    };
    const revisions: { kind: string; reason: string | null; at: string; snapshot: string }[] = [];
    if (b.status === 'draft') {
      revisions.push({ kind: 'create', reason: null, at: brief.updatedAt, snapshot: snapshotOf(brief) });
    } else {
      brief.status = 'published';
      revisions.push({ kind: 'publish', reason: null, at: brief.updatedAt, snapshot: snapshotOf(brief) });
      const later = b.at + (1 + rnd() * 48) * HOUR;
      if (b.status === 'corrected' && later < now) {
        Object.assign(brief, { status: 'corrected', revision: 2, correctedAt: iso(later), correctionReason: say(CORRECTION_REASONS, language), updatedAt: iso(later) });
        revisions.push({ kind: 'correct', reason: brief.correctionReason, at: brief.updatedAt, snapshot: snapshotOf(brief) });
      } else if (b.status === 'retracted' && later < now) {
        Object.assign(brief, { status: 'retracted', revision: 2, retractedAt: iso(later), retractionReason: say(RETRACTION_REASONS, language), updatedAt: iso(later) });
        revisions.push({ kind: 'retract', reason: brief.retractionReason, at: brief.updatedAt, snapshot: snapshotOf(brief) });
      }
    }
    statements.brief.run({
      id, slug: brief.slug, language, headline, status: brief.status, story_id: brief.storyId, published_at: publishedAt,
      dateline_precision: brief.datelinePrecision, content: contentJson, revision: brief.revision,
      created_at: createdAt, updated_at: brief.updatedAt, created_by: author.id, corrected_at: brief.correctedAt, correction_reason: brief.correctionReason,
      retracted_at: brief.retractedAt, retraction_reason: brief.retractionReason, translation_group: b.group,
      pinned_at: b.pinned && isPublic ? iso(b.at + 30 * MINUTE) : null,
    });
    revisions.forEach((r, i) => statements.revision.run(ulidAt(Date.parse(r.at), rnd), id, i + 1, r.kind, r.reason, author.id, r.at, r.snapshot));
    // Most tags were confirmed by the editor; on some briefs they are still the tagger's suggestions.
    const origin = rnd() < 0.8 ? 'editor' : 'auto';
    for (const entityId of brief.entityIds) {
      if (hasTagTime) statements.tag.run(id, entityId, origin, publishedAt);
      else statements.tag.run(id, entityId, origin);
    }
    statements.author.run(id, author.id);
    if (isPublic) {
      // briefPassages' order, each passage's Markdown stripped and analysed once for all briefs.
      const passages = [
        ...details.map(plainText), ...quotes.flatMap((q) => [q.text, q.speaker ?? '']), ...brief.previously.map(plainText),
        ...background.flatMap((e) => [e.text, e.attribution ?? '']),
      ].filter((p) => p.trim());
      statements.doc.run(id, analysed(headline), passages.map(analysed).join(' '), brief.entityIds.map(namesDoc).join(' '));
      publicBriefs.push({ id, at: b.at, language });
      if (brief.status !== 'retracted') return { id, headline };
    }
    return { id: '', headline: '' };
  };

  const newChoice = (): Choice => ({
    headline: Math.floor(rnd() * HEADLINES.length),
    details: sample(rnd, DETAILS.length, 1 + Math.floor(rnd() * 3)),
    quote: rnd() < 0.7 ? Math.floor(rnd() * QUOTES.length) : null,
    sources: [Math.floor(rnd() * 6), ...(rnd() < 0.3 ? [Math.floor(rnd() * 6)] : [])].filter((s, i, all) => all.indexOf(s) === i),
    n: [tens(rnd), tens(rnd)],
  });
  const statusOf = (): BriefStatus => {
    const r = rnd();
    return r < 0.004 ? 'draft' : r < 0.019 ? 'corrected' : r < 0.022 ? 'retracted' : 'published';
  };

  // The whole archive is planned first and written in order of publication: ids (ULIDs of the
  // publication time) and every index on time then grow at their end, which keeps pages full and
  // inserts cheap, and is the order a real archive was written in.
  interface Planned {
    at: number; story: StoryPlan | null; language: Language; choice: Choice; group: string | null; status: BriefStatus;
    pinned: boolean; ownBackground: number | null; linksPrevious: boolean;
  }
  const plan: Planned[] = [];
  for (const story of stories) {
    const times = Array.from({ length: story.size }, () => story.start + rnd() * (story.end - story.start)).sort((a, b) => a - b);
    let made = 0;
    for (let i = 0; made < story.size; i++) {
      const at = times[i]!;
      const language = rnd() < 0.85 ? story.language : pickLanguage(rnd);
      const choice = newChoice();
      // About one brief in eight is published in one or two more languages within the hour.
      const translations = made + 1 < story.size && rnd() < 0.12
        ? LANGUAGES.filter((l) => l !== language).sort(() => rnd() - 0.5).slice(0, Math.min(story.size - made - 1, rnd() < 0.5 ? 1 : 2))
        : [];
      const group = translations.length ? ulidAt(at, rnd) : null;
      plan.push({
        at, story, language, choice, group, status: translations.length ? 'published' : statusOf(), pinned: rnd() < 0.015, ownBackground: null, linksPrevious: rnd() < 0.5,
      });
      made += 1;
      for (const other of translations) {
        plan.push({
          at: Math.min(latest, at + (5 + rnd() * 40) * MINUTE), story, language: other, choice, group, status: 'published', pinned: false, ownBackground: null, linksPrevious: false,
        });
        made += 1;
      }
    }
  }
  for (let i = inStories; i < total; i++) {
    plan.push({
      at: archiveMoment(rnd, oldest, latest), story: null, language: pickLanguage(rnd), choice: newChoice(), group: null, status: statusOf(),
      pinned: false, ownBackground: rnd() < 0.3 ? Math.floor(rnd() * CLAIMS.length) : null, linksPrevious: false,
    });
  }
  plan.sort((a, b) => a.at - b.at);
  sqlite.transaction(() => stories.forEach(writeStory))();

  // FTS5 indexes a batch of documents in one INSERT … SELECT at about half the cost of the
  // per-row trigger, so the trigger is set aside inside each batch's transaction and put back
  // before its commit: other connections never see the schema without it, and a crash midway
  // rolls back documents, index entries and the drop together.
  const triggerSql = (name: string) => (sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(name) as { sql: string } | undefined)?.sql;
  const trigger = triggerSql('search_brief_docs_ai');
  const tagTrigger = hasTagTime ? triggerSql('brief_entities_published_ai') : undefined;
  const lastDoc = sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM search_brief_docs');
  const indexDocs = (afterId: number) => sqlite.prepare('INSERT INTO search_brief_fts (rowid, headline, body, names) SELECT id, headline, body, names FROM search_brief_docs WHERE id > ?').run(afterId);

  const previousInStory = new Map<string, { id: string; headline: string }>();
  for (let i = 0; i < plan.length;) {
    let inBatch = 0;
    sqlite.transaction(() => {
      const afterId = (lastDoc.get() as { id: number }).id;
      if (trigger) sqlite.exec('DROP TRIGGER search_brief_docs_ai');
      if (tagTrigger) sqlite.exec('DROP TRIGGER brief_entities_published_ai');
      for (; i < plan.length && inBatch < BATCH; i++, inBatch++) {
        const { linksPrevious, ...brief } = plan[i]!;
        const key = brief.story ? `${brief.story.id}|${brief.language}` : '';
        const previous = linksPrevious ? previousInStory.get(key) ?? null : null;
        const done = writeBrief({ ...brief, previous });
        if (brief.story && done.id) previousInStory.set(key, done);
      }
      if (trigger) {
        indexDocs(afterId);
        sqlite.exec(trigger);
      }
      if (tagTrigger) sqlite.exec(tagTrigger);
    })();
    written += inBatch;
    options.onProgress?.({ phase: 'briefs', done: written, total });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { publicBriefs, stories: stories.length, backgroundItems: itemCount, storyPlans: stories };
}

interface CommentsContext {
  options: DemoDataOptions;
  now: number;
  rnd: () => number;
  readers: Reader[];
  publicBriefs: PublicBrief[];
}

/**
 * Comments over the run's public briefs with a long tail: most briefs get a few, some hundreds.
 * About 94 % are published, the rest held or rejected with the pipeline's reasons; a third are
 * replies, never deeper than the two levels the service allows.
 */
async function writeComments(sqlite: ReturnType<typeof rawSqliteOf>, ctx: CommentsContext): Promise<number> {
  const { rnd, options, now } = ctx;
  const total = options.comments;
  if (total === 0 || ctx.publicBriefs.length === 0) return 0;
  const insert = sqlite.prepare(`INSERT INTO comments (id, brief_id, author_name, body, status, created_at, user_id, parent_id, reasons, is_flagged,
    edited_at, deleted_at, ip_hash, report_count, featured, reviewed_at, reviewed_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, 0, ?, NULL, NULL)`);

  // Pareto weights: a few briefs draw most of the discussion.
  const briefs = ctx.publicBriefs;
  const weights = new Float64Array(briefs.length);
  let sum = 0;
  for (let i = 0; i < briefs.length; i++) {
    weights[i] = Math.min(1e4, (1 - rnd()) ** (-1 / 1.1));
    sum += weights[i]!;
  }
  const counts = new Uint32Array(briefs.length);
  let assigned = 0;
  for (let i = 0; i < briefs.length; i++) {
    counts[i] = Math.floor((weights[i]! / sum) * total);
    assigned += counts[i]!;
  }
  while (assigned < total) {
    counts[Math.floor(rnd() * briefs.length)]! += 1;
    assigned += 1;
  }

  const readers = ctx.readers;
  const latest = now - 2 * MINUTE;
  let written = 0;
  let index = 0;
  while (index < briefs.length) {
    let inBatch = 0;
    sqlite.transaction(() => {
      while (index < briefs.length && inBatch < BATCH) {
        const brief = briefs[index]!;
        const n = counts[index]!;
        index += 1;
        if (n === 0) continue;
        const window = Math.max(MINUTE, Math.min(3 * DAY, latest - brief.at));
        const times = Array.from({ length: n }, () => brief.at + MINUTE + rnd() ** 2 * window).sort((a, b) => a - b);
        const published: { id: string; depth: number; parent: string | null }[] = [];
        const phrases = COMMENT_PHRASES[brief.language];
        for (const at of times) {
          // Active readers write most: the first readers of the pool are picked far more often.
          const reader = readers[Math.floor(readers.length * rnd() ** 2)]!;
          let parent: (typeof published)[number] | null = published.length > 0 && rnd() < 0.33 ? published[Math.floor(rnd() * published.length)]! : null;
          let depth = 0;
          if (parent) {
            depth = parent.depth + 1;
            if (depth > 2) {
              // Two levels at most: a reply to the deepest level goes beside it.
              const grand = published.find((p) => p.id === parent!.parent)!;
              parent = grand;
              depth = 2;
            }
          }
          let body = parent ? pick(rnd, REPLY_PHRASES[brief.language]) : pick(rnd, phrases);
          if (rnd() < 0.5) body += ` ${pick(rnd, phrases)}`;
          let status = 'published';
          let reasons = '[]';
          let flagged = 0;
          const r = rnd();
          if (reader.premoderated) {
            status = 'pending';
            reasons = '["premod_user"]';
          } else if (r < 0.02) {
            status = 'pending';
            reasons = '["links"]';
            body += ' www.example.com';
          } else if (r < 0.035) {
            status = 'rejected';
            reasons = '["banned_term"]';
          } else if (r < 0.05) {
            flagged = 1;
            reasons = '["profanity"]';
          }
          const id = ulidAt(at, rnd);
          const featured = status === 'published' && !parent && rnd() < 0.003 ? 1 : 0;
          insert.run(id, brief.id, reader.name, body, status, iso(at), reader.id, parent?.id ?? null, reasons, flagged, featured);
          if (status === 'published') published.push({ id, depth, parent: parent?.id ?? null });
          inBatch += 1;
        }
      }
    })();
    written += inBatch;
    options.onProgress?.({ phase: 'comments', done: written, total });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}

// ---- Copies of the base archive ---------------------------------------------------------------

/**
 * Building a brief in JavaScript (its text, tags, documents, revisions) costs far more than
 * copying its rows, so a large archive is the base written above plus copies of it made with
 * INSERT … SELECT. A copy keeps every row's text and moves each story as a whole to a new place
 * in the archive (a new random start, as the base's stories got), so copies interleave in time
 * rather than stacking; briefs outside stories move back by up to a month per copy. Ids keep their
 * random part but take the new time (ULIDs sort by time, as newId's do) and end in the copy's
 * number; slugs get new numbers; story titles their new month. References inside JSON (content,
 * revision snapshots) are rewritten by the same functions, so every snapshot still equals its
 * brief as read back. Search documents carry no ids or times, so the copies' documents are the
 * base's, which is exactly what the indexer would write for them. The texts repeat per copy: at
 * a million briefs, realism per copy matters less than a generation time the bench can afford.
 */
interface RowidMarks { briefs: number; comments: number; stories: number }

function rowidMarks(sqlite: ReturnType<typeof rawSqliteOf>): RowidMarks {
  const max = (table: string) => (sqlite.prepare(`SELECT coalesce(max(rowid), 0) AS n FROM ${table}`).get() as { n: number }).n;
  return { briefs: max('briefs'), comments: max('comments'), stories: max('stories') };
}

const CROCKFORD_VALUE = new Map([...CROCKFORD].map((c, i) => [c, i]));

/** The ULID `id` moved by `shift` ms, its last two letters the copy's number. */
function movedId(id: string, shift: number, copy: number): string {
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD_VALUE.get(id[i]!)!;
  t += shift;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return `${time}${id.slice(10, 24)}${CROCKFORD[(copy >> 5) & 31]}${CROCKFORD[copy & 31]}`;
}

const movedTime = (at: string, shift: number) => iso(Date.parse(at) + shift);

/**
 * The same move in SQL, which is cheaper than a call into JavaScript: SQLite's dates count whole
 * milliseconds, so the result is toISOString's (the snapshot test compares the two).
 */
const moved = (column: string, modifier: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, ${modifier})`;
const modifier = (shift: number) => `${shift < 0 ? '-' : '+'}${(Math.abs(shift) / 1000).toFixed(3)} seconds`;

interface CopyContext {
  options: DemoDataOptions;
  now: number;
  oldest: number;
  rnd: () => number;
  marks: RowidMarks;
  baseBriefs: number;
  baseComments: number;
  storyPlans: StoryPlan[];
  storyNumber: number;
  briefNumber: number;
  /** Users' and entities' ids: they appear in snapshots and stay as they are. */
  fixedIds: Set<string>;
}

async function copyArchive(sqlite: ReturnType<typeof rawSqliteOf>, ctx: CopyContext): Promise<{ publicBriefs: number; stories: number; backgroundItems: number; comments: number }> {
  const { options, now, oldest, rnd, marks, baseBriefs } = ctx;
  const latest = now - 10 * MINUTE;
  const latestComment = now - 2 * MINUTE;
  let briefNumber = ctx.briefNumber;
  let storyNumber = ctx.storyNumber;
  // The base is what lies between the marks taken before it and these.
  const ends = rowidMarks(sqlite);

  sqlite.function('dd_id', { deterministic: true }, (id: unknown, shift: unknown, copy: unknown) =>
    (typeof id === 'string' ? movedId(id, Number(shift), Number(copy)) : null));
  sqlite.function('dd_slug', { deterministic: false }, (slug: unknown) => `${String(slug).replace(/-[0-9a-z]+$/, '')}-${(++briefNumber).toString(36)}`);
  // Ids in JSON stand in quotes or end a source URL; times are toISOString's.
  sqlite.function('dd_text', { deterministic: true }, (text: unknown, shift: unknown, copy: unknown, oldSlug: unknown, newSlug: unknown) => {
    const by = Number(shift);
    let out = String(text)
      .replace(/(?<=["/])[0-9a-z]{26}(?=")/g, (id) => (ctx.fixedIds.has(id) ? id : movedId(id, by, Number(copy))))
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, (at) => movedTime(at, by));
    if (typeof oldSlug === 'string') out = out.replace(`"slug":${JSON.stringify(oldSlug)}`, () => `"slug":${JSON.stringify(newSlug)}`);
    return out;
  });

  // How late each base story's rows reach (comments included), so no copy lands in the future.
  const reach = new Map<string, number>();
  const extend = (rows: { story_id: string; at: string }[]) => {
    for (const row of rows) reach.set(row.story_id, Math.max(reach.get(row.story_id) ?? 0, Date.parse(row.at)));
  };
  extend(sqlite.prepare(`SELECT story_id, max(updated_at, coalesce(max(pinned_at), '')) AS at FROM briefs WHERE rowid > ? AND story_id IS NOT NULL GROUP BY story_id`).all(marks.briefs) as never);
  const commentReach = new Map((sqlite.prepare(`SELECT b.story_id, max(c.created_at) AS at FROM comments c JOIN briefs b ON b.id = c.brief_id
    WHERE c.rowid > ? AND b.story_id IS NOT NULL GROUP BY b.story_id`).all(marks.comments) as { story_id: string; at: string }[]).map((r) => [r.story_id, Date.parse(r.at)]));

  sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS dd_story (old_id TEXT NOT NULL, copy INTEGER NOT NULL, shift INTEGER NOT NULL, mod TEXT NOT NULL, slug TEXT, title TEXT, status TEXT, PRIMARY KEY (copy, old_id)) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS dd_brief (copy INTEGER NOT NULL, old_id TEXT NOT NULL, new_id TEXT NOT NULL, old_slug TEXT NOT NULL, new_slug TEXT NOT NULL, shift INTEGER NOT NULL, mod TEXT NOT NULL, PRIMARY KEY (copy, old_id)) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS dd_single (old_id TEXT PRIMARY KEY) WITHOUT ROWID;
    DELETE FROM dd_story; DELETE FROM dd_brief; DELETE FROM dd_single;`);
  const insertStory = sqlite.prepare('INSERT INTO dd_story (old_id, copy, shift, mod, slug, title, status) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const slugOf = memo(slugBase, 50_000);

  const total = options.briefs;
  const fullCopies = Math.floor(total / baseBriefs);
  const partial = total - fullCopies * baseBriefs;
  const lastCopy = partial > 0 ? fullCopies : fullCopies - 1;
  const result = { publicBriefs: 0, stories: 0, backgroundItems: 0, comments: 0 };
  const triggerSql = (name: string) => (sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(name) as { sql: string } | undefined)?.sql;
  const triggers = ['search_brief_docs_ai', 'brief_entities_published_ai'].map(triggerSql).filter((t): t is string => !!t);
  const hasTagTime = (sqlite.prepare('SELECT name FROM pragma_table_info(\'brief_entities\')').all() as { name: string }[]).some((c) => c.name === 'published_at');
  let written = baseBriefs;

  // The secondary indexes of the big tables are built once at the end: sorting all rows costs far
  // less than inserting copies at scattered places in each index (copies spread over the whole
  // archive). Unique indexes stay, so a clash still fails the insert that makes it. Dropped and
  // made again in this function's finally; only a killed process leaves them missing.
  const indexes = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
    AND tbl_name IN ('briefs', 'comments', 'brief_entities') AND sql NOT LIKE 'CREATE UNIQUE%'`).all() as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name.replace(/"/g, '""')}"`);
  try {
    for (let copy = 1; copy <= lastCopy; copy++) {
      // The last copy may take only some of the base: whole stories (their translations and links
      // stay together) and then as many briefs outside stories as are still missing.
      let stories = ctx.storyPlans;
      let singles = -1;
      if (copy === fullCopies && partial > 0) {
        stories = [];
        let taken = 0;
        for (const story of ctx.storyPlans) {
          if (taken + story.size <= partial) {
            stories.push(story);
            taken += story.size;
          }
        }
        singles = partial - taken;
      }
      sqlite.transaction(() => {
        sqlite.exec('DELETE FROM dd_story; DELETE FROM dd_brief; DELETE FROM dd_single;');
        for (const story of stories) {
          const lastAt = Math.max(reach.get(story.id) ?? 0, story.end);
          const newStart = archiveMoment(rnd, oldest, latest);
          // Never zero: a row moved by nothing whose id happened to end in the copy's number would
          // get its own id back.
          const shift = Math.round(Math.min(newStart - story.start, latest - lastAt, latestComment - (commentReach.get(story.id) ?? 0))) || -1;
          const begun = new Date(story.start + shift);
          const title = story.title.replace(/, [^,]+$/, `, ${MONTHS[story.language][begun.getUTCMonth()]} ${begun.getUTCFullYear()}`);
          storyNumber += 1;
          insertStory.run(story.id, copy, shift, modifier(shift), `${slugOf(title)}-${storyNumber.toString(36)}`, title, story.end + shift < now - 30 * DAY ? 'concluded' : 'developing');
        }
        const singleShift = -1 - Math.round(rnd() * COPY_STANDALONE_SHIFT);
        insertStory.run('', copy, singleShift, modifier(singleShift), null, null, null);
        if (singles >= 0) {
          sqlite.prepare('INSERT INTO dd_single SELECT id FROM briefs WHERE rowid > ? AND rowid <= ? AND story_id IS NULL ORDER BY rowid LIMIT ?').run(marks.briefs, ends.briefs, singles);
        }
        const picked = sqlite.prepare(`INSERT INTO dd_brief (copy, old_id, new_id, old_slug, new_slug, shift, mod)
          SELECT @copy, b.id, dd_id(b.id, s.shift, @copy), b.slug, dd_slug(b.slug), s.shift, s.mod FROM briefs b JOIN dd_story s ON s.copy = @copy AND s.old_id = coalesce(b.story_id, '')
          WHERE b.rowid > @after AND b.rowid <= @end AND (@singles < 0 OR b.story_id IS NOT NULL OR b.id IN (SELECT old_id FROM dd_single)) ORDER BY b.rowid`).run({ copy, after: marks.briefs, end: ends.briefs, singles }).changes;
        // Whole stories leave a gap smaller than one story, which a base of thousands fills.
        if (picked !== (singles < 0 ? baseBriefs : partial)) throw new Error(`demo-data: the base has too few briefs outside stories for a partial copy (${picked} of ${partial})`);

        for (const sql of triggers) sqlite.exec(`DROP TRIGGER ${/TRIGGER (\w+)/.exec(sql)![1]}`);
        result.stories += sqlite.prepare(`INSERT INTO stories (id, slug, language, title, summary, status, created_at, updated_at)
          SELECT dd_id(t.id, s.shift, s.copy), s.slug, t.language, s.title, t.summary, s.status, ${moved('t.created_at', 's.mod')}, ${moved('t.updated_at', 's.mod')}
          FROM dd_story s JOIN stories t ON t.id = s.old_id WHERE s.copy = ?`).run(copy).changes;
        result.backgroundItems += sqlite.prepare(`INSERT INTO background_items (id, story_id, position, text, status, attribution_entity_id, attribution_source, occurred_at, created_at, updated_at)
          SELECT dd_id(i.id, s.shift, s.copy), dd_id(i.story_id, s.shift, s.copy), i.position, i.text, i.status, i.attribution_entity_id, i.attribution_source,
            ${moved('i.occurred_at', 's.mod')}, ${moved('i.created_at', 's.mod')}, ${moved('i.updated_at', 's.mod')}
          FROM dd_story s JOIN background_items i ON i.story_id = s.old_id WHERE s.copy = ?`).run(copy).changes;
        sqlite.prepare(`INSERT INTO background_item_changes (id, item_id, story_id, kind, text, status, attribution_entity_id, attribution_source, source, actor_id, actor_label, changed_at)
          SELECT dd_id(c.id, s.shift, s.copy), dd_id(c.item_id, s.shift, s.copy), dd_id(c.story_id, s.shift, s.copy), c.kind, c.text, c.status, c.attribution_entity_id,
            c.attribution_source, c.source, c.actor_id, c.actor_label, ${moved('c.changed_at', 's.mod')}
          FROM dd_story s JOIN background_item_changes c ON c.story_id = s.old_id WHERE s.copy = ?`).run(copy);
        sqlite.prepare(`INSERT INTO briefs (id, slug, language, headline, status, story_id, published_at, dateline_precision, content, revision, created_at, updated_at,
            created_by, corrected_at, correction_reason, retracted_at, retraction_reason, translation_group, pinned_at)
          SELECT m.new_id, m.new_slug, b.language, b.headline, b.status, dd_id(b.story_id, m.shift, m.copy), ${moved('b.published_at', 'm.mod')}, b.dateline_precision,
            -- Ids in the content: the brief's own (in source URLs), the previous brief's and the ledger
            -- items'. Swapped with replace(), since handing long texts to JavaScript costs more; a
            -- missing one falls back to the own id, which is then no longer there to replace.
            CASE WHEN json_array_length(b.content, '$.previouslyLinks') <= 1 AND json_array_length(b.content, '$.background') <= 2
              THEN replace(replace(replace(replace(b.content, b.id, m.new_id),
                coalesce(b.content ->> '$.previouslyLinks[0]', b.id), coalesce(dd_id(b.content ->> '$.previouslyLinks[0]', m.shift, m.copy), m.new_id)),
                coalesce(b.content ->> '$.background[0].itemId', b.id), coalesce(dd_id(b.content ->> '$.background[0].itemId', m.shift, m.copy), m.new_id)),
                coalesce(b.content ->> '$.background[1].itemId', b.id), coalesce(dd_id(b.content ->> '$.background[1].itemId', m.shift, m.copy), m.new_id))
              ELSE dd_text(b.content, m.shift, m.copy, NULL, NULL) END, b.revision, ${moved('b.created_at', 'm.mod')}, ${moved('b.updated_at', 'm.mod')}, b.created_by,
            ${moved('b.corrected_at', 'm.mod')}, b.correction_reason, ${moved('b.retracted_at', 'm.mod')}, b.retraction_reason, dd_id(b.translation_group, m.shift, m.copy),
            ${moved('b.pinned_at', 'm.mod')}
          FROM dd_brief m JOIN briefs b ON b.id = m.old_id WHERE m.copy = ? ORDER BY m.new_id`).run(copy).changes;
        sqlite.prepare(`INSERT INTO brief_revisions (id, brief_id, number, kind, reason, user_id, created_at, snapshot)
          SELECT dd_id(r.id, m.shift, m.copy), m.new_id, r.number, r.kind, r.reason, r.user_id, ${moved('r.created_at', 'm.mod')},
            -- A snapshot is the content's JSON followed by the row's fields: the new brief's content,
            -- then the fields with the copy's id, slug, story and times (JSON functions, in C). As
            -- writeBrief makes them, every revision was saved at its brief's updatedAt, and only the
            -- last one carries the correction or retraction.
            CASE WHEN substr(r.snapshot, 1, length(b.content) - 1) = substr(b.content, 1, length(b.content) - 1)
              THEN json_replace(substr(n.content, 1, length(n.content) - 1) || substr(r.snapshot, length(b.content)),
                '$.id', m.new_id, '$.slug', m.new_slug, '$.storyId', n.story_id, '$.publishedAt', n.published_at, '$.createdAt', n.created_at,
                '$.updatedAt', ${moved('r.created_at', 'm.mod')}, '$.correctedAt', iif(r.number = n.revision, n.corrected_at, NULL),
                '$.retractedAt', iif(r.number = n.revision, n.retracted_at, NULL))
              ELSE dd_text(r.snapshot, m.shift, m.copy, m.old_slug, m.new_slug) END
          FROM dd_brief m JOIN brief_revisions r ON r.brief_id = m.old_id JOIN briefs b ON b.id = m.old_id JOIN briefs n ON n.id = m.new_id WHERE m.copy = ?`).run(copy);
        sqlite.prepare(hasTagTime
          ? `INSERT INTO brief_entities (brief_id, entity_id, origin, published_at) SELECT m.new_id, t.entity_id, t.origin, ${moved('t.published_at', 'm.mod')}
            FROM dd_brief m JOIN brief_entities t ON t.brief_id = m.old_id WHERE m.copy = ?`
          : 'INSERT INTO brief_entities (brief_id, entity_id, origin) SELECT m.new_id, t.entity_id, t.origin FROM dd_brief m JOIN brief_entities t ON t.brief_id = m.old_id WHERE m.copy = ?').run(copy);
        sqlite.prepare('INSERT INTO brief_authors (brief_id, user_id) SELECT m.new_id, a.user_id FROM dd_brief m JOIN brief_authors a ON a.brief_id = m.old_id WHERE m.copy = ?').run(copy);
        // FTS5 indexes a batch in one INSERT … SELECT at about half the per-row trigger's cost.
        const afterDoc = (sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM search_brief_docs').get() as { id: number }).id;
        // Only public briefs have a document.
        result.publicBriefs += sqlite.prepare(`INSERT INTO search_brief_docs (brief_id, headline, body, names) SELECT m.new_id, d.headline, d.body, d.names
          FROM dd_brief m JOIN search_brief_docs d ON d.brief_id = m.old_id WHERE m.copy = ? ORDER BY m.new_id`).run(copy).changes;
        if (triggers.some((t) => t.includes('search_brief_docs_ai'))) {
          sqlite.prepare('INSERT INTO search_brief_fts (rowid, headline, body, names) SELECT id, headline, body, names FROM search_brief_docs WHERE id > ?').run(afterDoc);
        }
        // Comments in the base's order, so the last copy's share (a prefix) keeps each reply's parent.
        const share = copy < fullCopies ? ctx.baseComments : Math.max(0, options.comments - ctx.baseComments * fullCopies);
        result.comments += sqlite.prepare(`INSERT INTO comments (id, brief_id, author_name, body, status, created_at, user_id, parent_id, reasons, is_flagged,
            edited_at, deleted_at, ip_hash, report_count, featured, reviewed_at, reviewed_by)
          SELECT dd_id(c.id, m.shift, m.copy), m.new_id, c.author_name, c.body, c.status, ${moved('c.created_at', 'm.mod')}, c.user_id, dd_id(c.parent_id, m.shift, m.copy),
            c.reasons, c.is_flagged, NULL, NULL, NULL, 0, c.featured, NULL, NULL
          FROM comments c JOIN dd_brief m ON m.copy = @copy AND m.old_id = c.brief_id WHERE c.rowid > @after AND c.rowid <= @end ORDER BY c.rowid LIMIT @share`).run({ copy, after: marks.comments, end: ends.comments, share }).changes;
        for (const sql of triggers) sqlite.exec(sql);
      })();
      written += copy === fullCopies && partial > 0 ? partial : baseBriefs;
      options.onProgress?.({ phase: 'briefs', done: written, total });
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    sqlite.transaction(() => indexes.forEach((index) => sqlite.exec(index.sql)))();
    sqlite.exec('DROP TABLE temp.dd_story; DROP TABLE temp.dd_brief; DROP TABLE temp.dd_single;');
  }
  return result;
}

// ---- The command ----------------------------------------------------------------------------

function positive(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max.toLocaleString('en')} (got "${raw}")`);
  }
  return Number(raw);
}

/** `newsdesk demo-data`: prints progress on stderr and a summary on stdout. */
export const demoDataCommand: Command = async (args, io, runtime) => {
  // It writes through better-sqlite3's prepared statements and SQLite's own SQL, nothing else.
  if (engineOf(runtime.db) === 'postgres') {
    throw new UsageError('demo-data writes the embedded SQLite database only (unset DATABASE_URL); '
      + 'generate the archive there, then copy it to PostgreSQL with `newsdesk migrate-data`');
  }
  const { values, positionals } = parseArgs({
    args,
    options: {
      briefs: { type: 'string' }, comments: { type: 'string' }, seed: { type: 'string' }, readers: { type: 'string' },
      sessions: { type: 'string' }, 'sessions-count': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`demo-data takes only options (got "${positionals.join(' ')}")`);
  const briefs = positive('briefs', values.briefs, DEMO_DATA_LIMITS.briefs);
  const comments = positive('comments', values.comments, DEMO_DATA_LIMITS.comments);
  if (briefs === undefined) throw new UsageError('demo-data needs --briefs N');
  if (comments === undefined) throw new UsageError('demo-data needs --comments M');
  const readers = positive('readers', values.readers, DEMO_DATA_LIMITS.readers);
  const sessionsCount = positive('sessions-count', values['sessions-count'], DEMO_DATA_LIMITS.sessions);
  if (sessionsCount !== undefined && values.sessions === undefined) throw new UsageError('--sessions-count needs --sessions FILE');
  if (values.sessions !== undefined && values.sessions.trim() === '') throw new UsageError('--sessions needs a file name');
  if (values.seed !== undefined && values.seed.trim() === '') throw new UsageError('--seed must not be empty');

  let lastReport = 0;
  const result = await generateDemoData(runtime.db, {
    briefs, comments, ...(values.seed === undefined ? {} : { seed: values.seed }), ...(readers === undefined ? {} : { readers }),
    ...(values.sessions === undefined ? {} : { sessions: sessionsCount ?? 2000 }),
    onProgress: ({ phase, done, total }) => {
      const at = performance.now();
      if (done === total || at - lastReport > 5000) {
        lastReport = at;
        io.err(`${phase}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`);
      }
    },
  });
  if (values.sessions !== undefined) fs.writeFileSync(values.sessions, result.sessionCookies.map((c) => `${c}\n`).join(''), { mode: 0o600 });
  const seconds = result.elapsedMs / 1000;
  io.out(`Added ${result.briefs} briefs (${result.publicBriefs} public) in ${result.stories} stories with ${result.backgroundItems} background items, `
    + `${result.comments} comments by ${result.readers} readers, ${result.entitiesAdded} entities, in ${seconds.toFixed(1)} s.`);
  if (values.sessions !== undefined) io.out(`Wrote ${result.sessionCookies.length} session cookies (nd_session) to ${values.sessions}.`);
  return 0;
};
