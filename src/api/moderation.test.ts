import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signUpReader } from '../accounts/readers.js';
import { buildTestApp, makePublishedBrief, makeToken, makeUser, type TestContext } from '../test/factories.js';
import { sessionTokenFor } from './auth.js';

let t: TestContext;
let brief: { id: string; slug: string; headline: string; language: string };
let moderator: string;
let admin: string;
beforeEach(async () => {
  t = await buildTestApp();
  brief = await makePublishedBrief(t.deps);
  // What `npx newsdesk token create --role moderator` (and `--role admin`) hand out.
  moderator = (await makeToken(t.db, 'moderator')).token;
  admin = (await makeToken(t.db, 'admin')).token;
});
afterEach(async () => { await t.close(); });

let readerCount = 0;
async function makeReader(displayName = `Reader ${++readerCount}`) {
  const { user, sessionId } = await signUpReader({ db: t.db, input: { displayName, email: `mod-reader-${readerCount}-${Date.now()}@newsdesk.test`, password: 'long enough password' } });
  return { id: user.id, token: sessionTokenFor(sessionId) };
}
async function staffSession(role: 'contributor' | 'moderator' | 'editor' | 'admin') {
  const staff = await makeUser(t.db, role);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: staff.email, password: staff.password } });
  expect(res.statusCode).toBe(200);
  return res.json<{ token: string }>().token;
}

interface QueueItem {
  id: string; body: string; status: string; reasons: string[]; isFlagged: boolean; isFeatured: boolean; reportCount: number; userId: string | null;
  brief: { id: string; slug: string; headline: string; language: string };
  authorHistory: { published: number; pending: number; rejected: number; isBanned: boolean; suspendedUntil: string | null; isPremoderated: boolean } | null;
  reports: { reason: string; text: string | null }[];
}

const headers = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : {});
const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, token: string | null, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: headers(token), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function comment(body: string, token?: string): Promise<{ id: string; status: string }> {
  const res = await api('POST', `/briefs/${brief.id}/comments`, token ?? (await makeReader()).token, { body });
  expect(res.statusCode).toBe(201);
  return res.json();
}
async function queue(name: string, token = moderator, query = '') {
  const res = await api('GET', `/moderation/comments?queue=${name}${query}`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: QueueItem[]; next: string | null }>();
}
async function publicBodies(): Promise<string[]> {
  const res = await api('GET', `/briefs/${brief.id}/comments?limit=100`, null);
  expect(res.statusCode).toBe(200);
  return res.json<{ items: { body: string }[] }>().items.map((c) => c.body);
}
const decide = (id: string, decision: string, payload?: unknown, token = moderator) => api('POST', `/moderation/comments/${id}/${decision}`, token, payload);

const ACCEPTANCE = ['Ha,ha,ha!', 'Prigozhin can go fuck himself.', 'What a prick.'];

describe('the issue\'s acceptance case through the moderation API', () => {
  it('under post-moderation: all three visible to readers, the last two in the flagged queue with a profanity reason', async () => {
    const ids: string[] = [];
    for (const body of ACCEPTANCE) ids.push((await comment(body)).id);
    expect(await publicBodies()).toEqual(ACCEPTANCE);

    const flagged = await queue('flagged');
    // Newest first.
    expect(flagged.items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    for (const item of flagged.items) {
      expect(item).toMatchObject({ status: 'published', isFlagged: true, reportCount: 0, reports: [] });
      expect(item.reasons).toContain('profanity');
      expect(item.brief).toEqual({ id: brief.id, slug: brief.slug, headline: brief.headline, language: 'en' });
      expect(item.authorHistory).toEqual({ published: 1, pending: 0, rejected: 0, isBanned: false, suspendedUntil: null, isPremoderated: false });
    }
    expect((await queue('pending')).items).toEqual([]);
  });

  it('under pre-moderation (set by an admin through the API): the last two held in the pending queue, the first published', async () => {
    const patched = await api('PATCH', '/moderation/settings', admin, { moderation: 'pre' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ moderation: 'pre' });

    const answers = [];
    for (const body of ACCEPTANCE) answers.push(await comment(body));
    expect(answers.map((a) => a.status)).toEqual(['published', 'pending', 'pending']);
    expect(await publicBodies()).toEqual(['Ha,ha,ha!']);

    const pending = await queue('pending');
    expect(pending.items.map((c) => c.body)).toEqual([ACCEPTANCE[2], ACCEPTANCE[1]]);
    expect(pending.items.every((c) => c.reasons.includes('profanity'))).toBe(true);
    expect((await queue('flagged')).items).toEqual([]);
  });
});

describe('decisions', () => {
  it('approving a held comment publishes it, moves it to the approved queue and is audited', async () => {
    await api('PATCH', '/moderation/settings', admin, { moderation: 'pre' });
    const held = await comment('What a prick.');
    expect(await publicBodies()).toEqual([]);
    const res = await decide(held.id, 'approve');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: held.id, status: 'published', isFlagged: false, reviewedAt: expect.any(String) });
    expect(await publicBodies()).toEqual(['What a prick.']);
    expect((await queue('pending')).items).toEqual([]);
    expect((await queue('approved')).items.map((c) => c.id)).toEqual([held.id]);
    expect(t.events.filter((e) => e.type === 'comment.moderated').map((e) => e.payload))
      .toEqual([expect.objectContaining({ commentId: held.id, decision: 'approve', status: 'published', previousStatus: 'pending' })]);
    const audit = await api('GET', '/moderation/audit', moderator);
    // Newest first; an API token names no person.
    expect(audit.json().items).toEqual([
      expect.objectContaining({ action: 'comment.approve', commentId: held.id, actorName: null }),
      expect.objectContaining({ action: 'settings.updated', reason: 'moderation' }),
    ]);
  });

  it('rejecting a flagged comment takes it down for readers and keeps the reason in the audit log', async () => {
    await comment('Ha,ha,ha!');
    const flagged = await comment('Prigozhin can go fuck himself.');
    expect(await publicBodies()).toHaveLength(2);
    const res = await decide(flagged.id, 'reject', { reason: 'Incites violence' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('rejected');
    expect(await publicBodies()).toEqual(['Ha,ha,ha!']);
    expect((await queue('flagged')).items).toEqual([]);
    expect((await queue('rejected')).items.map((c) => c.id)).toEqual([flagged.id]);
    const audit = await api('GET', `/moderation/audit?comment=${flagged.id}`, moderator);
    expect(audit.json().items).toEqual([expect.objectContaining({ action: 'comment.reject', reason: 'Incites violence', commentExcerpt: 'Prigozhin can go fuck himself.' })]);
  });

  it('featuring marks the comment for readers; a decision without a body works, an unknown comment is 404', async () => {
    const posted = await comment('A thoughtful remark about the dam.');
    const res = await decide(posted.id, 'feature');
    expect(res.statusCode).toBe(200);
    const listed = await api('GET', `/briefs/${brief.id}/comments`, null);
    expect(listed.json().items[0]).toMatchObject({ id: posted.id, isFeatured: true });
    expect((await decide(posted.id, 'unfeature', {})).json().isFeatured).toBe(false);
    const unknown = await decide('nope', 'approve');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.fields[0].path).toBe('id');
  });

  it('names the staff member who decided when they use their session token', async () => {
    const flagged = await comment('What a prick.');
    const session = await staffSession('moderator');
    expect((await decide(flagged.id, 'approve', { reason: 'Fair comment' }, session)).statusCode).toBe(200);
    const audit = await api('GET', '/moderation/audit', session);
    expect(audit.json().items[0]).toMatchObject({ action: 'comment.approve', actorName: 'Test moderator', reason: 'Fair comment' });
  });

  it('bulk decisions are all or none: an unknown id answers 404 and changes nothing', async () => {
    await api('PATCH', '/moderation/settings', admin, { moderation: 'pre' });
    const a = await comment('What a prick.');
    const b = await comment('Go fuck yourself.');
    const bad = await api('POST', '/moderation/comments/bulk', moderator, { ids: [a.id, 'nope', b.id], decision: 'approve' });
    expect(bad.statusCode).toBe(404);
    expect((await queue('pending')).items).toHaveLength(2);
    expect(t.events.filter((e) => e.type === 'comment.moderated')).toEqual([]);
    const res = await api('POST', '/moderation/comments/bulk', moderator, { ids: [a.id, b.id], decision: 'reject', reason: 'Insults' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: QueueItem) => [c.id, c.status])).toEqual([[a.id, 'rejected'], [b.id, 'rejected']]);
    expect((await queue('pending')).items).toEqual([]);
    const empty = await api('POST', '/moderation/comments/bulk', moderator, { ids: [], decision: 'reject' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields[0].path).toBe('ids');
  });
});

describe('queues', () => {
  it('counts each queue, pages newest first, shows reports, and refuses an unknown queue naming the field', async () => {
    const reported = await comment('Some say this.');
    const reporter = await makeReader();
    expect((await api('POST', `/comments/${reported.id}/reports`, reporter.token, { reason: 'other', text: 'Not true' })).statusCode).toBe(201);
    await comment('What a prick.');
    await comment('You prick.');
    const counts = await api('GET', '/moderation/counts', moderator);
    expect(counts.json()).toEqual({ pending: 0, flagged: 2, reported: 1, rejected: 0, approved: 0 });

    expect((await queue('reported')).items[0]).toMatchObject({ id: reported.id, reportCount: 1, reports: [{ reason: 'other', text: 'Not true' }] });
    const first = await queue('flagged', moderator, '&limit=1');
    expect(first.items.map((c) => c.body)).toEqual(['You prick.']);
    const second = await queue('flagged', moderator, `&limit=1&cursor=${first.next}`);
    expect(second.items.map((c) => c.body)).toEqual(['What a prick.']);
    expect(second.next).toBeNull();

    const bogus = await api('GET', '/moderation/comments?queue=everything', moderator);
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json().error.fields[0].path).toBe('querystring.queue');
  });
});

describe('who may', () => {
  it('answers 401 with WWW-Authenticate without a token or with an unknown one', async () => {
    const none = await api('GET', '/moderation/comments?queue=flagged', null);
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await api('GET', '/moderation/comments', 'nd_unknown')).statusCode).toBe(401);
    expect((await api('GET', '/moderation/comments', 'nds_ended')).statusCode).toBe(401);
    expect((await api('POST', '/moderation/comments/x/approve', null)).statusCode).toBe(401);
  });

  it('answers 403 to a reader\'s session and to a contributor token, and the comment stays as it was', async () => {
    const flagged = await comment('What a prick.');
    const reader = await makeReader();
    const contributor = (await makeToken(t.db, 'contributor')).token;
    for (const token of [reader.token, contributor]) {
      expect((await api('GET', '/moderation/comments?queue=flagged', token)).statusCode).toBe(403);
      expect((await decide(flagged.id, 'reject', {}, token)).statusCode).toBe(403);
    }
    expect((await queue('flagged')).items.map((c) => c.id)).toEqual([flagged.id]);
  });
});

describe('POST /api/v1/moderation/users/{id}', () => {
  it('suspends a reader, who then cannot comment until it is lifted', async () => {
    const reader = await makeReader();
    const res = await api('POST', `/moderation/users/${reader.id}`, moderator, { action: 'suspend', hours: 24, reason: 'Cooling off' });
    expect(res.statusCode).toBe(200);
    expect(Date.parse(res.json().suspendedUntil) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const blocked = await api('POST', `/briefs/${brief.id}/comments`, reader.token, { body: 'Hello?' });
    expect(blocked.statusCode).toBe(403);
    expect((await api('POST', `/moderation/users/${reader.id}`, moderator, { action: 'unsuspend' })).json().suspendedUntil).toBeNull();
    expect((await api('POST', `/briefs/${brief.id}/comments`, reader.token, { body: 'Hello?' })).statusCode).toBe(201);
  });

  it('pre-moderates and bans a reader; a staff account answers 409; a bad measure 400', async () => {
    const reader = await makeReader();
    expect((await api('POST', `/moderation/users/${reader.id}`, moderator, { action: 'premoderate' })).json().isPremoderated).toBe(true);
    expect((await comment('Polite words.', reader.token)).status).toBe('pending');
    expect((await api('POST', `/moderation/users/${reader.id}`, moderator, { action: 'ban' })).json().isBanned).toBe(true);
    expect((await api('POST', `/briefs/${brief.id}/comments`, reader.token, { body: 'More polite words.' })).statusCode).toBe(403);

    const editor = await makeUser(t.db, 'editor');
    const staff = await api('POST', `/moderation/users/${editor.id}`, moderator, { action: 'ban' });
    expect(staff.statusCode).toBe(409);
    expect(staff.json().error.fields).toEqual([{ path: 'id', reason: 'is a staff account' }]);
    expect((await api('POST', '/moderation/users/nobody', moderator, { action: 'ban' })).statusCode).toBe(404);
    expect((await api('POST', `/moderation/users/${reader.id}`, moderator, { action: 'suspend' })).statusCode).toBe(400);
    expect((await api('POST', `/moderation/users/${reader.id}`, moderator, { action: 'exile' })).statusCode).toBe(400);

    const actions = (await api('GET', '/moderation/audit', moderator)).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['user.ban', 'user.premoderate']);
  });
});

describe('settings and policies', () => {
  it('lets only admins read and change the settings; a bad value is 400 naming the field', async () => {
    expect((await api('GET', '/moderation/settings', moderator)).statusCode).toBe(403);
    expect((await api('PATCH', '/moderation/settings', moderator, { bannedTerms: ['casino'] })).statusCode).toBe(403);
    const read = await api('GET', '/moderation/settings', admin);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ moderation: 'post', editWindowMinutes: 5, reportsToHide: 3, bannedTerms: [] });

    const changed = await api('PATCH', '/moderation/settings', admin, { bannedTerms: ['casino'], profanity: { en: ['numpty'], uk: [], ru: [] } });
    expect(changed.statusCode).toBe(200);
    expect((await comment('Best casino online')).status).toBe('rejected');
    expect((await comment('You numpty.')).status).toBe('published');
    expect((await queue('flagged')).items.map((c) => c.body)).toEqual(['You numpty.']);

    const bad = await api('PATCH', '/moderation/settings', admin, { maxLinks: -1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('maxLinks');
    expect((await api('PATCH', '/moderation/settings', admin, { colour: 'red' })).statusCode).toBe(400);
    expect((await api('PATCH', '/moderation/settings', admin, {})).statusCode).toBe(400);
  });

  it('closes and reopens comments on one brief, and pre-moderates a story', async () => {
    const closed = await api('PUT', `/moderation/policies/brief/${brief.id}`, moderator, { mode: 'closed' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toEqual({ scope: 'brief', id: brief.id, mode: 'closed' });
    const refused = await api('POST', `/briefs/${brief.id}/comments`, (await makeReader()).token, { body: 'Anyone?' });
    expect(refused.json().error.code).toBe('comments_closed');
    expect((await api('PUT', `/moderation/policies/brief/${brief.id}`, moderator, { mode: null })).statusCode).toBe(200);
    expect((await comment('Anyone?')).status).toBe('published');

    const story = await t.app.inject({ method: 'POST', url: '/api/v1/stories', headers: headers(admin), payload: { title: 'Dam breach', summary: 'A developing story.', language: 'en' } });
    const storyId = story.json().id as string;
    expect((await api('PUT', `/moderation/policies/story/${storyId}`, moderator, { mode: 'pre' })).statusCode).toBe(200);
    expect((await api('PUT', '/moderation/policies/story/nope', moderator, { mode: 'pre' })).statusCode).toBe(404);
    const badScope = await api('PUT', `/moderation/policies/site/${storyId}`, moderator, { mode: 'pre' });
    expect(badScope.statusCode).toBe(400);
    expect(badScope.json().error.fields[0].path).toBe('params.scope');
    expect((await api('PUT', `/moderation/policies/story/${storyId}`, moderator, { mode: 'sometimes' })).statusCode).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('lists every moderation and comment route with its tag, bearer security and errors, and 429 with Retry-After on posting', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { tags: string[]; security: unknown; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    }>();
    const moderation = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/v1/moderation'));
    expect(moderation.map(([path, ops]) => `${Object.keys(ops).sort().join(',')} ${path}`).sort()).toEqual([
      'get /api/v1/moderation/audit',
      'get /api/v1/moderation/comments',
      'get /api/v1/moderation/counts',
      'get,patch /api/v1/moderation/settings',
      'post /api/v1/moderation/comments/bulk',
      'post /api/v1/moderation/comments/{id}/approve',
      'post /api/v1/moderation/comments/{id}/feature',
      'post /api/v1/moderation/comments/{id}/reject',
      'post /api/v1/moderation/comments/{id}/unfeature',
      'post /api/v1/moderation/users/{id}',
      'put /api/v1/moderation/policies/{scope}/{id}',
    ]);
    for (const [, ops] of moderation) {
      for (const op of Object.values(ops)) {
        expect(op.tags).toEqual(['moderation']);
        expect(op.security).toEqual([{ bearerAuth: [] }]);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
      }
    }
    expect(Object.keys(doc.paths['/api/v1/comments/{id}']!).sort()).toEqual(['delete', 'patch']);
    expect(Object.keys(doc.paths['/api/v1/comments/{id}/reports']!)).toEqual(['post']);
    const posting = doc.paths['/api/v1/briefs/{id}/comments']!.post!;
    expect(posting.responses['429']!.headers).toHaveProperty('retry-after');
  });
});
