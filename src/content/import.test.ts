import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import { listComments } from '../comments/service.js';
import type { Db } from '../storage/database.js';
import { openTestDatabase, TEST_ENGINE, type TestDatabase } from '../test/database.js';
import { atomically, createEventBus, type DomainEvent, type EventBus } from '../storage/events.js';
import { findBrief } from './brief-repository.js';
import { detectLanguage, importWireText } from './import.js';
import { formatWireText } from './wiretext.js';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const contributor: Actor = { userId: null, role: 'contributor', label: 'test contributor' };

// A bare database rather than the whole app: importing touches services only.
let database: TestDatabase;
let db: Db;
let bus: EventBus;
let emitted: DomainEvent[];
beforeEach(async () => {
  database = await openTestDatabase();
  db = database.db;
  bus = createEventBus();
  emitted = [];
  bus.subscribe((e) => void emitted.push(e));
});
afterEach(async () => {
  await database.close();
});

async function countRows() {
  const count = async (table: 'briefs' | 'comments' | 'events' | 'brief_revisions') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { briefs: await count('briefs'), comments: await count('comments'), events: await count('events'), revisions: await count('brief_revisions') };
}

describe('importWireText', () => {
  it('saves a published brief with its comments, and exports it back byte for byte', async () => {
    const text = fixture('full-brief.en.txt');
    const [brief, ...others] = await importWireText({ db, bus }, CLI_ACTOR, text, { publish: true });
    expect(others).toEqual([]);
    const stored = await findBrief(db, brief!.id);
    expect(stored).toMatchObject({ status: 'published', language: 'en', publishedAt: '2026-03-14T07:45:00.000Z', datelinePrecision: 'minute' });
    const comments = await listComments(db, brief!.id);
    expect(comments.map((c) => [c.authorName, c.body, c.status])).toEqual([
      ['', 'Stay safe, everyone in the lower town.', 'published'],
      ['', 'Is the road to the hospital still open?', 'published'],
    ]);
    expect(formatWireText(stored!, comments)).toBe(text);
    expect(emitted.map((e) => e.type)).toEqual(['brief.created', 'comment.added', 'comment.added', 'brief.published']);
  });

  it('detects Ukrainian and keeps the Ukrainian brief lossless too', async () => {
    const text = fixture('full-brief.uk.txt');
    const [brief] = await importWireText({ db, bus }, CLI_ACTOR, text, { publish: true });
    const stored = await findBrief(db, brief!.id);
    expect(stored!.language).toBe('uk');
    expect(formatWireText(stored!, await listComments(db, brief!.id))).toBe(text);
  });

  it('leaves briefs as drafts, dated by their date line, without --publish', async () => {
    const briefs = await importWireText({ db, bus }, contributor, 'date 2026-03-14 One\n\ndate 2026-03-15 12:00 Two\n');
    expect(briefs.map((b) => [b.headline, b.status, b.publishedAt, b.datelinePrecision])).toEqual([
      ['One', 'draft', '2026-03-13T22:00:00.000Z', 'day'],
      ['Two', 'draft', '2026-03-15T10:00:00.000Z', 'minute'],
    ]);
  });

  it('reads the dateline in the zone it is given', async () => {
    const [brief] = await importWireText({ db, bus }, CLI_ACTOR, 'date 2026-03-15 12:00 Two', { timeZone: 'America/New_York' });
    expect(brief!.publishedAt).toBe('2026-03-15T16:00:00.000Z');
  });

  it('takes an explicit language over the detected one', async () => {
    const [brief] = await importWireText({ db, bus }, CLI_ACTOR, 'date 2026-03-14 Київ', { language: 'ru' });
    expect(brief!.language).toBe('ru');
  });

  it('refuses a malformed file before saving anything', async () => {
    await expect(importWireText({ db, bus }, CLI_ACTOR, 'date 2026-03-14 Fine\ndate 2026-02-30 Bad', { publish: true })).rejects.toMatchObject({
      status: 400, code: 'invalid_wire_text', fields: [{ path: 'line 2', reason: '2026-02-30 is not a date in the calendar' }],
    });
    expect(await countRows()).toEqual({ briefs: 0, comments: 0, events: 0, revisions: 0 });
  });

  it('checks the brief and comment limits up front, naming the line', async () => {
    const long = 'x'.repeat(301);
    const text = `date 2026-03-14 Fine\nSource: A\n\ndate 2026-03-15 ${long}\nSource: ${'y'.repeat(301)}\n1 comment\n${'z'.repeat(5001)}`;
    await expect(importWireText({ db, bus }, CLI_ACTOR, text)).rejects.toMatchObject({
      code: 'invalid_wire_text',
      fields: [
        { path: 'line 4', reason: 'the headline must be at most 300 characters' },
        { path: 'line 5', reason: 'this Source must be at most 300 characters' },
        { path: 'line 7', reason: 'this comment must be at most 5000 characters' },
      ],
    });
    expect(await countRows()).toEqual({ briefs: 0, comments: 0, events: 0, revisions: 0 });
  });

  it('rolls back every brief of the file when saving fails part-way, and announces nothing', async () => {
    // A trigger stands in for any failure the checks could not foresee (a full disk, a constraint).
    if (TEST_ENGINE === 'postgres') {
      await sql`CREATE FUNCTION refuse_comment() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.body = 'boom' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`.execute(db);
      await sql`CREATE TRIGGER refuse_comment BEFORE INSERT ON comments FOR EACH ROW EXECUTE FUNCTION refuse_comment()`.execute(db);
    } else {
      await sql`CREATE TRIGGER refuse_comment BEFORE INSERT ON comments WHEN NEW.body = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(db);
    }
    const text = 'date 2026-03-14 First\n1 comment\nfine\ndate 2026-03-15 Second\n1 comment\nboom\n';
    await expect(importWireText({ db, bus }, CLI_ACTOR, text, { publish: true })).rejects.toThrow('refused');
    expect(await countRows()).toEqual({ briefs: 0, comments: 0, events: 0, revisions: 0 });
    expect(emitted).toEqual([]);
  });

  it('joins a transaction the caller opened, so several files import all or nothing', async () => {
    const attempt = atomically({ db, bus }, async (inner) => {
      await importWireText(inner, CLI_ACTOR, 'date 2026-03-14 From the first file');
      await importWireText(inner, CLI_ACTOR, 'date 2026-03-14\n');
    });
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_wire_text' });
    expect(await countRows()).toEqual({ briefs: 0, comments: 0, events: 0, revisions: 0 });
  });

  it('lets only roles that may publish import published briefs', async () => {
    await expect(importWireText({ db, bus }, contributor, fixture('full-brief.en.txt'), { publish: true })).rejects.toMatchObject({ status: 403 });
    expect(await countRows()).toEqual({ briefs: 0, comments: 0, events: 0, revisions: 0 });
  });
});

describe('detectLanguage', () => {
  it.each([
    ['Рятувальники евакуювали мешканців', 'uk'],
    ['Ґанок', 'uk'],
    ['Спасатели эвакуировали жителей', 'ru'],
    ['Объявлена тревога', 'ru'],
    ['Rescuers moved 400 people', 'en'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});
