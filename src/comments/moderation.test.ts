import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import { signUpReader } from '../accounts/readers.js';
import { AppError } from '../common/errors.js';
import { buildTestApp, makePublishedBrief, makeUser, type TestContext } from '../test/factories.js';
import { decideComment, decideComments, listAuditLog, listQueue, moderateCommenter, queueCounts, type Queue } from './moderation.js';
import { updateModerationSettings } from './policy-settings.js';
import { findComment, listPublishedComments } from './repository.js';
import { postComment, reportComment, type CommentAuthor } from './service.js';

let t: TestContext;
let briefId: string;
let moderator: Actor;
beforeEach(async () => {
  t = await buildTestApp();
  briefId = (await makePublishedBrief(t.deps)).id;
  moderator = (await makeUser(t.db, 'moderator')).actor;
  await updateModerationSettings(t.deps, CLI_ACTOR, { bannedTerms: ['casino'] });
});
afterEach(async () => { await t.close(); });

let readerCount = 0;
async function makeReader(): Promise<CommentAuthor> {
  const displayName = `Reader ${++readerCount}`;
  const { user } = await signUpReader({ db: t.db, input: { displayName, email: `mod-${readerCount}-${Date.now()}@newsdesk.test`, password: 'long enough password' } });
  return { id: user.id, displayName, role: 'reader' };
}
const post = async (body: string, actor?: CommentAuthor) => postComment(t.deps, { actor: actor ?? (await makeReader()), briefId, body });
const idsIn = async (queue: Queue) => (await listQueue(t.db, queue)).items.map((c) => c.id);
const publicIds = async () => (await listPublishedComments(t.db, briefId)).items.map((c) => c.id);
const moderatedEvents = () => t.events.filter((e) => e.type === 'comment.moderated').map((e) => e.payload);
const auditRows = () => t.db.selectFrom('moderation_actions').select(['action', 'actor_id', 'comment_id', 'user_id', 'reason'])
  .where('action', '!=', 'settings.updated').orderBy('created_at').orderBy('id').execute();

async function failureOf(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string; fields: unknown }> {
  const err = await promise.then(() => null, (e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return { status: err.status, code: err.code, message: err.message, fields: err.fields };
}

/** One comment in every state the queues tell apart, written in this order. */
async function commentsInEveryState() {
  const clean = await post('Thank you for the update.');
  const flagged = await post('What a prick.');
  const held = await post('Cheap deals at https://a.org https://b.org https://c.org');
  const rejected = await post('Best casino in town');
  const reported = await post('The mayor lied, as usual.');
  await reportComment(t.deps, { reporter: await makeReader(), commentId: reported.id, report: { reason: 'off_topic' } });
  const flaggedLater = await post('You prick.');
  return { clean, flagged, held, rejected, reported, flaggedLater };
}

describe('queues', () => {
  it('hold exactly the comments of their kind, newest first', async () => {
    const c = await commentsInEveryState();
    expect(await idsIn('pending')).toEqual([c.held.id]);
    expect(await idsIn('flagged')).toEqual([c.flaggedLater.id, c.flagged.id]);
    expect(await idsIn('reported')).toEqual([c.reported.id]);
    expect(await idsIn('rejected')).toEqual([c.rejected.id]);
    expect(await idsIn('approved')).toEqual([]);
    expect(await queueCounts(t.db)).toEqual({ pending: 1, flagged: 2, reported: 1, rejected: 1, approved: 0 });

    await decideComment(t.deps, moderator, c.held.id, 'approve');
    await decideComment(t.deps, moderator, c.clean.id, 'feature');
    expect(await idsIn('approved')).toEqual([c.held.id, c.clean.id]);
    expect(await idsIn('pending')).toEqual([]);
  });

  it('give each comment its brief, its author\'s history and standing, and its reports', async () => {
    const author = await makeReader();
    await post('A first, clean remark.', author);
    await post('Second, best casino', author);
    const flagged = await post('Third, you prick.', author);
    await moderateCommenter(t.deps, moderator, author.id, { action: 'premoderate' });
    const [item] = (await listQueue(t.db, 'flagged')).items;
    expect(item).toMatchObject({
      id: flagged.id, userId: author.id, reasons: ['profanity'], isFlagged: true,
      brief: { id: briefId, language: 'en' },
      authorHistory: { published: 2, pending: 0, rejected: 1, isBanned: false, suspendedUntil: null, isPremoderated: true },
      reports: [],
    });
  });

  it('page through with a cursor and no comment twice or missed', async () => {
    const written: string[] = [];
    for (let i = 0; i < 5; i++) written.push((await post(`Insult number ${i}, prick.`)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listQueue(t.db, 'flagged', { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...written].reverse());
  });
});

describe('decideComment', () => {
  it('approve publishes a held comment, clears flags and reports, and records an audit row and comment.moderated', async () => {
    const held = await post('Links https://a.org https://b.org https://c.org');
    const approved = await decideComment(t.deps, moderator, held.id, 'approve', { reason: 'Sources are fine' });
    expect(approved).toMatchObject({ status: 'published', isFlagged: false, reportCount: 0, reviewedAt: expect.any(String) });
    expect(await publicIds()).toEqual([held.id]);
    expect(await auditRows()).toEqual([{ action: 'comment.approve', actor_id: moderator.userId, comment_id: held.id, user_id: held.userId, reason: 'Sources are fine' }]);
    expect(moderatedEvents()).toEqual([{ commentId: held.id, decision: 'approve', status: 'published', previousStatus: 'pending' }]);
  });

  it('reject takes a published comment down and keeps the reason; feature publishes and marks it', async () => {
    const flagged = await post('What a prick.');
    const reported = await post('Some say this.');
    await reportComment(t.deps, { reporter: await makeReader(), commentId: reported.id, report: { reason: 'spam' } });
    const rejected = await decideComment(t.deps, moderator, flagged.id, 'reject', { reason: '  Insult  ' });
    expect(rejected).toMatchObject({ status: 'rejected', isFlagged: false, isFeatured: false });
    const featured = await decideComment(t.deps, moderator, reported.id, 'feature');
    expect(featured).toMatchObject({ status: 'published', isFeatured: true, reportCount: 0 });
    expect(await publicIds()).toEqual([reported.id]);
    expect((await auditRows()).map((r) => [r.action, r.reason])).toEqual([['comment.reject', 'Insult'], ['comment.feature', null]]);
    expect(moderatedEvents().map((p) => [p.decision, p.previousStatus, p.status])).toEqual([['reject', 'published', 'rejected'], ['feature', 'published', 'published']]);
    expect(await idsIn('reported')).toEqual([]);
    expect(await idsIn('flagged')).toEqual([]);
  });

  it('refuses readers and contributors (403) and changes nothing; an unknown comment is 404', async () => {
    const flagged = await post('What a prick.');
    const contributor = (await makeUser(t.db, 'contributor')).actor;
    const reader = await makeReader();
    for (const actor of [contributor, { userId: reader.id, role: 'reader' as const, label: 'reader' }]) {
      expect(await failureOf(decideComment(t.deps, actor, flagged.id, 'reject'))).toMatchObject({ status: 403 });
    }
    expect((await findComment(t.db, flagged.id))!.status).toBe('published');
    expect(await auditRows()).toEqual([]);
    expect(await failureOf(decideComment(t.deps, moderator, 'nope', 'approve'))).toMatchObject({ status: 404 });
  });
});

describe('decideComments (bulk)', () => {
  it('decides on all of them in one go', async () => {
    const a = await post('What a prick.');
    const b = await post('You prick.');
    const done = await decideComments(t.deps, moderator, { ids: [a.id, b.id], decision: 'reject', reason: 'Insults' });
    expect(done.map((c) => c.status)).toEqual(['rejected', 'rejected']);
    expect(await idsIn('rejected')).toEqual([b.id, a.id]);
    expect(await auditRows()).toHaveLength(2);
  });

  it('changes none of them when one id is unknown: no status, no audit row, no event', async () => {
    const a = await post('What a prick.');
    const b = await post('You prick.');
    expect(await failureOf(decideComments(t.deps, moderator, { ids: [a.id, 'nope', b.id], decision: 'reject' }))).toMatchObject({ status: 404 });
    expect(await idsIn('flagged')).toEqual([b.id, a.id]);
    expect(await auditRows()).toEqual([]);
    expect(moderatedEvents()).toEqual([]);
  });

  it('refuses a contributor before touching anything, and a malformed request', async () => {
    const a = await post('What a prick.');
    const contributor = (await makeUser(t.db, 'contributor')).actor;
    expect(await failureOf(decideComments(t.deps, contributor, { ids: [a.id], decision: 'reject' }))).toMatchObject({ status: 403 });
    expect(await failureOf(decideComments(t.deps, moderator, { ids: [a.id, a.id], decision: 'reject' }))).toMatchObject({ status: 400 });
    expect(await idsIn('flagged')).toEqual([a.id]);
  });
});

describe('moderateCommenter', () => {
  it('suspends a reader for a time: posting answers 403 saying until when; unsuspending lets them back', async () => {
    const reader = await makeReader();
    const history = await moderateCommenter(t.deps, moderator, reader.id, { action: 'suspend', hours: 2, reason: 'Cool off' });
    expect(Date.parse(history.suspendedUntil!) - Date.now()).toBeGreaterThan(119 * 60_000);
    const refused = await failureOf(post('Let me speak.', reader));
    expect(refused).toMatchObject({ status: 403 });
    expect(refused.message).toContain(history.suspendedUntil!);
    await moderateCommenter(t.deps, moderator, reader.id, { action: 'unsuspend' });
    expect((await post('Let me speak.', reader)).status).toBe('published');
    expect((await auditRows()).map((r) => [r.action, r.user_id, r.reason])).toEqual([['user.suspend 2h', reader.id, 'Cool off'], ['user.unsuspend', reader.id, null]]);
  });

  it('bans a reader until unbanned', async () => {
    const reader = await makeReader();
    expect((await moderateCommenter(t.deps, moderator, reader.id, { action: 'ban' })).isBanned).toBe(true);
    expect(await failureOf(post('Hello?', reader))).toMatchObject({ status: 403, message: 'Your account may no longer comment.' });
    await moderateCommenter(t.deps, moderator, reader.id, { action: 'unban' });
    expect((await post('Hello?', reader)).status).toBe('published');
  });

  it('pre-moderates every comment of a reader, however polite, until lifted', async () => {
    const reader = await makeReader();
    await moderateCommenter(t.deps, moderator, reader.id, { action: 'premoderate' });
    expect(await post('A perfectly polite remark.', reader)).toMatchObject({ status: 'pending', reasons: ['premod_user'] });
    await moderateCommenter(t.deps, moderator, reader.id, { action: 'unpremoderate' });
    expect((await post('Another polite remark.', reader)).status).toBe('published');
  });

  it('refuses staff accounts (409), unknown accounts (404) and roles without comment.moderate (403)', async () => {
    const editor = await makeUser(t.db, 'editor');
    expect(await failureOf(moderateCommenter(t.deps, moderator, editor.id, { action: 'ban' })))
      .toMatchObject({ status: 409, fields: [{ path: 'id', reason: 'is a staff account' }] });
    expect(await failureOf(moderateCommenter(t.deps, CLI_ACTOR, editor.id, { action: 'suspend', hours: 1 }))).toMatchObject({ status: 409 });
    expect(await failureOf(moderateCommenter(t.deps, moderator, 'nobody', { action: 'ban' }))).toMatchObject({ status: 404 });
    const reader = await makeReader();
    const contributor = (await makeUser(t.db, 'contributor')).actor;
    expect(await failureOf(moderateCommenter(t.deps, contributor, reader.id, { action: 'ban' }))).toMatchObject({ status: 403 });
    expect((await post('Still allowed.', reader)).status).toBe('published');
    expect(await auditRows()).toEqual([]);
  });
});

describe('listAuditLog', () => {
  it('lists every decision newest first with who acted, on which comment and account, a page at a time', async () => {
    const flagged = await post('What a prick.');
    await decideComment(t.deps, moderator, flagged.id, 'reject', { reason: 'Insult' });
    await moderateCommenter(t.deps, moderator, flagged.userId!, { action: 'ban', reason: 'Repeat offender' });
    const first = await listAuditLog(t.db, { limit: 2 });
    expect(first.items.map((e) => [e.action, e.reason, e.actorName])).toEqual([
      ['user.ban', 'Repeat offender', 'Test moderator'],
      ['comment.reject', 'Insult', 'Test moderator'],
    ]);
    expect(first.items[1]).toMatchObject({ commentId: flagged.id, commentExcerpt: 'What a prick.', userId: flagged.userId });
    const second = await listAuditLog(t.db, { limit: 2, cursor: first.next! });
    // The settings change from beforeEach, made from the command line (no person named).
    expect(second.items.map((e) => [e.action, e.reason, e.actorName])).toEqual([['settings.updated', 'bannedTerms', null]]);
    expect(second.next).toBeNull();
    expect((await listAuditLog(t.db, { commentId: flagged.id })).items.map((e) => e.action)).toEqual(['comment.reject']);
  });
});
