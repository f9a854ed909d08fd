import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { deleteReaderAccount, signUpReader } from '../accounts/readers.js';
import { updateModerationSettings } from '../comments/policy-settings.js';
import { addComment } from '../comments/service.js';
import { deskClient } from '../desk/test-client.js';
import { failInsertsInto } from '../test/database.js';
import { buildTestApp, makePublishedBrief, makeUser, type TestContext } from '../test/factories.js';
import { sessionTokenFor } from './auth.js';

let t: TestContext;
let briefId: string;
beforeEach(async () => {
  t = await buildTestApp();
  briefId = (await makePublishedBrief(t.deps)).id;
});
afterEach(async () => { await t.close(); });

let readerCount = 0;
async function makeReader(displayName = `Reader ${++readerCount}`) {
  const { user, sessionId } = await signUpReader({ db: t.db, input: { displayName, email: `reader-${readerCount}-${Date.now()}@newsdesk.test`, password: 'long enough password' } });
  return { id: user.id, token: sessionTokenFor(sessionId) };
}

interface Posted { id: string; status: string; reasons?: string[]; message?: string; parentId: string | null; authorName: string; isStaff: boolean }
interface Thread { id: string; body: string; authorName: string; isStaff: boolean; parentId: string | null; replies: { id: string; parentId: string; body: string }[] }

const post = (token: string | null, body: Record<string, unknown>, id = briefId) =>
  t.app.inject({ method: 'POST', url: `/api/v1/briefs/${id}/comments`, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: body });
const list = async (query = '') => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${briefId}/comments${query}` });
  expect(res.statusCode).toBe(200);
  return res.json<{ items: Thread[]; next: string | null }>();
};
const storedRow = (id: string) => t.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const countRows = async (userId: string) =>
  Number((await t.db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);

const ACCEPTANCE = ['Ha,ha,ha!', 'Prigozhin can go fuck himself.', 'What a prick.'];

describe('the issue\'s acceptance case: three readers under one brief', () => {
  it('under post-moderation shows all three, the last two flagged for profanity', async () => {
    const ids: string[] = [];
    for (const body of ACCEPTANCE) {
      const res = await post((await makeReader()).token, { body });
      expect(res.statusCode).toBe(201);
      expect(res.json<Posted>().status).toBe('published');
      expect(res.json<Posted>().reasons).toBeUndefined();
      ids.push(res.json<Posted>().id);
    }
    expect((await list()).items.map((c) => c.body)).toEqual(ACCEPTANCE);
    const rows = await Promise.all(ids.map(storedRow));
    expect(rows.map((r) => [r.status, r.is_flagged, JSON.parse(r.reasons)])).toEqual([
      ['published', 0, []],
      ['published', 1, ['profanity']],
      ['published', 1, ['profanity']],
    ]);
    const flagged = t.events.filter((e) => e.type === 'comment.flagged').map((e) => e.payload.commentId);
    expect(flagged).toEqual([ids[1], ids[2]]);
  });

  it('under pre-moderation publishes the first and holds the last two', async () => {
    await updateModerationSettings(t.deps, CLI_ACTOR, { moderation: 'pre' });
    const answers: Posted[] = [];
    for (const body of ACCEPTANCE) {
      const res = await post((await makeReader()).token, { body });
      expect(res.statusCode).toBe(201);
      answers.push(res.json<Posted>());
    }
    expect(answers.map((a) => [a.status, a.reasons])).toEqual([
      ['published', undefined],
      ['pending', ['profanity']],
      ['pending', ['profanity']],
    ]);
    expect(answers[1]!.message).toMatch(/moderator/);
    expect((await list()).items.map((c) => c.body)).toEqual(['Ha,ha,ha!']);
  });
});

describe('POST /api/v1/briefs/{id}/comments', () => {
  it('answers 401 to an anonymous comment, and to an API token, storing nothing', async () => {
    const anonymous = await post(null, { body: 'Hello' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const withWrongToken = await post('nd_not-a-session', { body: 'Hello' });
    expect(withWrongToken.statusCode).toBe(401);
    expect(await t.db.selectFrom('comments').selectAll().execute()).toEqual([]);
  });

  it('rejects a comment with a banned term and tells the author why; it never appears', async () => {
    await updateModerationSettings(t.deps, CLI_ACTOR, { bannedTerms: ['casino'] });
    const res = await post((await makeReader()).token, { body: 'Best casino in town, click now' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'rejected', reasons: ['banned_term'], message: 'Your comment breaks the site\'s rules and was not published.' });
    expect((await storedRow(res.json<Posted>().id)).status).toBe('rejected');
    expect((await list()).items).toEqual([]);
  });

  it('rejects the same author repeating a comment, but not another reader saying the same', async () => {
    const reader = await makeReader();
    expect((await post(reader.token, { body: 'Stay safe, everyone!' })).json().status).toBe('published');
    const again = await post(reader.token, { body: 'stay safe everyone' });
    expect(again.json()).toMatchObject({ status: 'rejected', reasons: ['duplicate'] });
    expect((await post((await makeReader()).token, { body: 'Stay safe, everyone!' })).json().status).toBe('published');
    expect((await list()).items).toHaveLength(2);
  });

  it('holds a comment with too many links, or a link outside the allow list', async () => {
    const reader = await makeReader();
    const many = await post(reader.token, { body: 'https://a.org https://b.org https://c.org' });
    expect(many.json()).toMatchObject({ status: 'pending', reasons: ['links'] });
    await updateModerationSettings(t.deps, CLI_ACTOR, { allowedDomains: ['gov.ua'] });
    expect((await post(reader.token, { body: 'Source: https://dsns.gov.ua/news/1' })).json().status).toBe('published');
    expect((await post(reader.token, { body: 'Cheap flights at bestdeals.com' })).json()).toMatchObject({ status: 'pending', reasons: ['links'] });
    expect((await list()).items.map((c) => c.body)).toEqual(['Source: https://dsns.gov.ua/news/1']);
  });

  it('holds every comment of a reader the moderators premoderate', async () => {
    const reader = await makeReader();
    await t.db.updateTable('users').set({ premoderate: 1 }).where('id', '=', reader.id).execute();
    expect((await post(reader.token, { body: 'A perfectly polite remark.' })).json()).toMatchObject({ status: 'pending', reasons: ['premod_user'] });
  });

  it('answers 409 comments_closed once the brief is older than the setting allows', async () => {
    const old = await makePublishedBrief(t.deps, { publishedAt: new Date(Date.now() - 15 * 86400_000).toISOString() });
    const reader = await makeReader();
    const closed = await post(reader.token, { body: 'Late to this.' }, old.id);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('comments_closed');
    await updateModerationSettings(t.deps, CLI_ACTOR, { closeAfterDays: 30 });
    expect((await post(reader.token, { body: 'Late to this.' }, old.id)).statusCode).toBe(201);
  });

  it('refuses an empty body, an unknown field and a parent from another brief, naming the field', async () => {
    const reader = await makeReader();
    const empty = await post(reader.token, { body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields[0].path).toBe('body');
    expect((await post(reader.token, { body: 'x'.repeat(5001) })).statusCode).toBe(400);
    expect((await post(reader.token, { body: 'Hi', isStaff: true })).statusCode).toBe(400);
    const other = await makePublishedBrief(t.deps);
    const elsewhere = await post(reader.token, { body: 'Elsewhere' }, other.id);
    const reply = await post(reader.token, { body: 'A reply', parentId: elsewhere.json<Posted>().id });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.fields).toEqual([{ path: 'parentId', reason: 'is not a published comment on this brief' }]);
  });

  it('limits an account to 10 comments a minute: the excess answers 429 with Retry-After, and every accepted one is stored', async () => {
    const reader = await makeReader();
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => post(reader.token, { body: `Update number ${i} from the lower town` })));
    const accepted = responses.filter((r) => r.statusCode === 201);
    const limited = responses.filter((r) => r.statusCode === 429);
    expect(accepted).toHaveLength(10);
    expect(limited).toHaveLength(190);
    for (const res of limited) {
      expect(res.json().error.code).toBe('rate_limited');
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    expect(await countRows(reader.id)).toBe(10);
    const storedIds = (await t.db.selectFrom('comments').select('id').where('user_id', '=', reader.id).execute()).map((r) => r.id).sort();
    expect(storedIds).toEqual(accepted.map((r) => r.json<Posted>().id).sort());
    expect((await list('?limit=100')).items).toHaveLength(10);
  });

  it('limits comments per address across accounts', async () => {
    await updateModerationSettings(t.deps, CLI_ACTOR, { commentsPerMinutePerAddress: 2 });
    expect((await post((await makeReader()).token, { body: 'One' })).statusCode).toBe(201);
    expect((await post((await makeReader()).token, { body: 'Two' })).statusCode).toBe(201);
    const third = await post((await makeReader()).token, { body: 'Three' });
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
  });

  it('flattens replies deeper than two levels onto the second-level comment', async () => {
    const reader = await makeReader();
    const answer = async (body: string, parentId?: string) => {
      const res = await post(reader.token, parentId ? { body, parentId } : { body });
      expect(res.statusCode).toBe(201);
      return res.json<Posted>();
    };
    const a = await answer('A: top level');
    const b = await answer('B: reply to A', a.id);
    const c = await answer('C: reply to B', b.id);
    const d = await answer('D: reply to C', c.id);
    const e = await answer('E: reply to D', d.id);
    expect([b.parentId, c.parentId, d.parentId, e.parentId]).toEqual([a.id, b.id, b.id, b.id]);
    const [thread] = (await list()).items;
    expect(thread!.id).toBe(a.id);
    expect(thread!.replies.map((r) => [r.body.slice(0, 1), r.parentId])).toEqual([['B', a.id], ['C', b.id], ['D', b.id], ['E', b.id]]);
  });

  it('accepts the site\'s session cookie with a CSRF token, and refuses it without one', async () => {
    const staff = await makeUser(t.db, 'moderator');
    const client = deskClient(t.app);
    await client.logIn(staff.email, staff.password);
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const url = `/api/v1/briefs/${briefId}/comments`;
    const withoutToken = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { body: 'From the newsroom' } });
    expect(withoutToken.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': await client.csrfToken() }, payload: { body: 'From the newsroom' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'published', isStaff: true, authorName: 'Test moderator' });
    expect(await t.db.selectFrom('comments').select('id').execute()).toHaveLength(1);
  });

  it('answers 404 for a draft and 409 for a retracted brief', async () => {
    const reader = await makeReader();
    expect((await post(reader.token, { body: 'Hi' }, 'no-such-brief')).statusCode).toBe(404);
    await t.db.updateTable('briefs').set({ status: 'retracted' }).where('id', '=', briefId).execute();
    expect((await post(reader.token, { body: 'Hi' })).json().error.code).toBe('comments_closed');
  });

  it('records comment.added in the same transaction as the comment: no event, no comment', async () => {
    const reader = await makeReader();
    // A storage failure at the event's insert, after the comment's own insert has run.
    const restore = await failInsertsInto(t.db, 'events');
    const failed = await post(reader.token, { body: 'Thank you for the update.' });
    expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    expect(await countRows(reader.id)).toBe(0);
    expect(t.events.filter((e) => e.type === 'comment.added')).toEqual([]);

    await restore();
    const res = await post(reader.token, { body: 'Thank you for the update.' });
    expect(res.statusCode).toBe(201);
    const id = res.json<Posted>().id;
    expect(await countRows(reader.id)).toBe(1);
    const stored = await t.db.selectFrom('events').selectAll().where('type', '=', 'comment.added').execute();
    expect(stored.map((e) => [e.subject_id, JSON.parse(e.payload).commentId])).toEqual([[briefId, id]]);
  });
});

describe('GET /api/v1/briefs/{id}/comments', () => {
  it('pages through published top-level comments oldest or newest first, without status or internals', async () => {
    const reader = await makeReader('Olena');
    for (const body of ['First', 'Second', 'Third']) await post(reader.token, { body });
    const first = await list('?limit=2');
    expect(first.items.map((c) => c.body)).toEqual(['First', 'Second']);
    expect(first.next).toBeTruthy();
    const second = await list(`?limit=2&cursor=${first.next}`);
    expect(second.items.map((c) => c.body)).toEqual(['Third']);
    expect(second.next).toBeNull();
    expect((await list('?sort=newest')).items.map((c) => c.body)).toEqual(['Third', 'Second', 'First']);
    expect(Object.keys(first.items[0]!).sort()).toEqual(['authorName', 'body', 'briefId', 'createdAt', 'editedAt', 'id', 'isFeatured', 'isStaff', 'parentId', 'replies']);
    expect(first.items[0]).toMatchObject({ authorName: 'Olena', isStaff: false, parentId: null, editedAt: null, isFeatured: false });
  });

  it('shows a deleted reader\'s comments as by "deleted account", and imported comments by their name', async () => {
    const reader = await makeReader('Taras');
    await post(reader.token, { body: 'Thoughts and prayers.' });
    await addComment(t.deps, { briefId, authorName: 'Wire reader', body: 'Imported remark.' });
    await deleteReaderAccount({ db: t.db, userId: reader.id });
    expect((await list()).items.map((c) => c.authorName).sort()).toEqual(['Wire reader', 'deleted account']);
  });

  it('answers 404 for a brief readers cannot see', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/briefs/nope/comments' });
    expect(res.statusCode).toBe(404);
  });
});

const bearer = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});
const edit = (token: string | null, id: string, body: unknown) =>
  t.app.inject({ method: 'PATCH', url: `/api/v1/comments/${id}`, headers: bearer(token), payload: body as Record<string, unknown> });
const remove = (token: string | null, id: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/comments/${id}`, headers: bearer(token) });
const report = (token: string | null, id: string, body: Record<string, unknown> = { reason: 'abusive' }) =>
  t.app.inject({ method: 'POST', url: `/api/v1/comments/${id}/reports`, headers: bearer(token), payload: body });
async function postAs(token: string, body: string): Promise<string> {
  const res = await post(token, { body });
  expect(res.statusCode).toBe(201);
  return res.json<Posted>().id;
}
async function staffToken(role: 'moderator' | 'contributor') {
  const staff = await makeUser(t.db, role);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: staff.email, password: staff.password } });
  return res.json<{ token: string }>().token;
}

describe('PATCH /api/v1/comments/{id}', () => {
  it('lets the author edit within the window; readers see the new text and that it was edited; the old text is kept', async () => {
    const reader = await makeReader();
    const id = await postAs(reader.token, 'The bridge is open.');
    const res = await edit(reader.token, id, { body: 'The bridge is closed again.' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, body: 'The bridge is closed again.', status: 'published', editedAt: expect.any(String) });
    const [shown] = (await list()).items;
    expect(shown).toMatchObject({ id, body: 'The bridge is closed again.', editedAt: res.json().editedAt });
    const kept = await t.db.selectFrom('comment_revisions').select('body').where('comment_id', '=', id).execute();
    expect(kept.map((r) => r.body)).toEqual(['The bridge is open.']);
  });

  it('moderates the new text again: an edit into abuse stays published under post-moderation but is flagged', async () => {
    const reader = await makeReader();
    const id = await postAs(reader.token, 'Good riddance.');
    const res = await edit(reader.token, id, { body: 'Good riddance, you prick.' });
    expect(res.json()).toMatchObject({ status: 'published' });
    const row = await storedRow(id);
    expect([row.is_flagged, JSON.parse(row.reasons)]).toEqual([1, ['profanity']]);
  });

  it('answers 403 to someone else, 409 edit_window_closed once the window is over, 401 anonymously, and changes nothing', async () => {
    const author = await makeReader();
    const id = await postAs(author.token, 'Original words.');
    const other = await edit((await makeReader()).token, id, { body: 'Hijacked words.' });
    expect(other.statusCode).toBe(403);
    expect((await edit(await staffToken('moderator'), id, { body: 'Moderated words.' })).statusCode).toBe(403);
    expect((await edit(null, id, { body: 'Anonymous words.' })).statusCode).toBe(401);
    await t.db.updateTable('comments').set({ created_at: new Date(Date.now() - 6 * 60_000).toISOString() }).where('id', '=', id).execute();
    const late = await edit(author.token, id, { body: 'Too late.' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'edit_window_closed', message: 'Comments can be edited only in the first 5 minutes.' });
    expect((await storedRow(id)).body).toBe('Original words.');
  });

  it('answers 400 naming body for an empty text or extra fields, and 404 for an unknown comment', async () => {
    const reader = await makeReader();
    const id = await postAs(reader.token, 'Some words.');
    const empty = await edit(reader.token, id, { body: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields[0].path).toBe('body');
    expect((await edit(reader.token, id, { body: 'x', parentId: id })).statusCode).toBe(400);
    expect((await edit(reader.token, 'nope', { body: 'x' })).statusCode).toBe(404);
  });

  it('accepts the session cookie with a CSRF token, and refuses the cookie without one', async () => {
    const staff = await makeUser(t.db, 'editor');
    const client = deskClient(t.app);
    await client.logIn(staff.email, staff.password);
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const posted = await t.app.inject({ method: 'POST', url: `/api/v1/briefs/${briefId}/comments`, headers: { cookie, 'x-csrf-token': await client.csrfToken() }, payload: { body: 'Frist' } });
    const id = posted.json<Posted>().id;
    const url = `/api/v1/comments/${id}`;
    expect((await t.app.inject({ method: 'PATCH', url, headers: { cookie }, payload: { body: 'First' } })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'PATCH', url, headers: { cookie, 'x-csrf-token': await client.csrfToken() }, payload: { body: 'First' } });
    expect(res.statusCode).toBe(200);
    expect((await storedRow(id)).body).toBe('First');
  });
});

describe('DELETE /api/v1/comments/{id}', () => {
  it('lets the author delete their comment: 204, gone for readers, kept in the database', async () => {
    const reader = await makeReader();
    const id = await postAs(reader.token, 'I take it back.');
    const res = await remove(reader.token, id);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await list()).items).toEqual([]);
    expect((await storedRow(id)).deleted_at).not.toBeNull();
    expect((await remove(reader.token, id)).statusCode).toBe(404);
  });

  it('lets a moderator delete anyone\'s comment, recorded in the audit log; another reader or a contributor gets 403', async () => {
    const reader = await makeReader();
    const id = await postAs(reader.token, 'Spam spam spam.');
    expect((await remove((await makeReader()).token, id)).statusCode).toBe(403);
    expect((await remove(await staffToken('contributor'), id)).statusCode).toBe(403);
    expect((await storedRow(id)).deleted_at).toBeNull();
    expect((await remove(await staffToken('moderator'), id)).statusCode).toBe(204);
    const audit = await t.db.selectFrom('moderation_actions').select(['action', 'comment_id', 'user_id']).execute();
    expect(audit).toEqual([{ action: 'comment.delete', comment_id: id, user_id: reader.id }]);
  });

  it('answers 401 with WWW-Authenticate to an anonymous request', async () => {
    const id = await postAs((await makeReader()).token, 'Still here.');
    const res = await remove(null, id);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await list()).items).toHaveLength(1);
  });
});

describe('POST /api/v1/comments/{id}/reports', () => {
  it('takes one report per reader, and hides the comment at the third reader\'s report', async () => {
    const id = await postAs((await makeReader()).token, 'Something people dislike.');
    const first = await makeReader();
    const res = await report(first.token, id, { reason: 'spam' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ message: 'Thank you: a moderator will look at this comment.', hidden: false });
    expect((await report(first.token, id)).json().hidden).toBe(false);
    expect((await storedRow(id)).report_count).toBe(1);
    expect((await report((await makeReader()).token, id, { reason: 'other', text: 'Misleading' })).json().hidden).toBe(false);
    expect((await list()).items).toHaveLength(1);
    const third = await report((await makeReader()).token, id, { reason: 'abusive' });
    expect(third.json().hidden).toBe(true);
    expect((await list()).items).toEqual([]);
    expect(await storedRow(id)).toMatchObject({ status: 'pending', report_count: 3 });
  });

  it('answers 400 for an unknown reason, for "other" without text and for one\'s own comment; 401 anonymously; 404 when unknown', async () => {
    const author = await makeReader();
    const id = await postAs(author.token, 'Mine.');
    const reader = await makeReader();
    const badReason = await report(reader.token, id, { reason: 'boring' });
    expect(badReason.statusCode).toBe(400);
    expect(badReason.json().error.fields[0].path).toBe('reason');
    const noText = await report(reader.token, id, { reason: 'other' });
    expect(noText.json().error.fields).toEqual([{ path: 'text', reason: 'must say what is wrong when the reason is other' }]);
    const own = await report(author.token, id);
    expect(own.statusCode).toBe(400);
    expect(own.json().error.fields[0].path).toBe('id');
    expect((await report(null, id)).statusCode).toBe(401);
    expect((await report(reader.token, 'nope')).statusCode).toBe(404);
    expect((await storedRow(id)).report_count).toBe(0);
  });
});
