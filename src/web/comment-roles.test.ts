import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { signUpReader } from '../accounts/readers.js';
import { QUEUES } from '../comments/moderation.js';
import { getModerationSettings, updateModerationSettings } from '../comments/policy-settings.js';
import { postComment, type CommentAuthor } from '../comments/service.js';
import { csrfTokenIn, deskClient, type DeskClient, type FormFields } from '../desk/test-client.js';
import { settingsValuesFrom } from '../desk/views/ModerationSettings.js';
import { buildTestApp, makePublishedBrief, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { briefPath } from './paths.js';

// The HTML surfaces' twin of src/api/role-matrix.test.ts: every comment form of the reader site
// and every page and form of the moderation desk against every kind of caller, each cell the
// exact status. Everyone signs in through the real forms (readers sign up at /account/signup,
// staff log in at /desk/login) and posts with the CSRF token of a page, as a browser does. Each
// cell makes its own comment or account to act on, so no cell depends on another; a refused
// POST must leave the database as it found it.

const ROLES = ['anonymous', 'reader', 'contributor', 'moderator', 'editor', 'admin'] as const;
type Who = (typeof ROLES)[number];
type Statuses = [anonymous: number, reader: number, contributor: number, moderator: number, editor: number, admin: number];
type Request = { method: 'GET'; url: string } | { method: 'POST'; url: string; fields: FormFields };

let t: TestContext;
let brief: { id: string; slug: string };
let briefUrl: string;
const clients = new Map<Who, DeskClient>();
const authors = new Map<Who, CommentAuthor>();
let other: CommentAuthor;

let counter = 0;
/** Distinct text, so the duplicate rule never turns a fixture into a rejected comment. */
const fresh = (text: string) => `${text} (${++counter})`;

/** A published comment by `author` under the matrix's brief; returns its id. */
async function commentBy(author: CommentAuthor, body = fresh('Thank you for the update')): Promise<string> {
  const posted = await postComment(t.deps, { actor: author, briefId: brief.id, body });
  expect(posted.status, body).toBe('published');
  return posted.id;
}
const othersComment = (body?: string) => commentBy(other, body);
// Anonymous callers have no comment of their own; aim them at someone else's.
const ownComment = (who: Who) => (who === 'anonymous' ? othersComment() : commentBy(authors.get(who)!));
const flaggedComment = () => othersComment(fresh('What a prick'));
async function freshReaderId(): Promise<string> {
  const { user } = await signUpReader({ db: t.db, input: { displayName: 'Subject', email: `subject-${++counter}@newsdesk.test`, password: 'long enough password' } });
  return user.id;
}

/** The settings form as the page renders it for the settings in force, with one change. */
async function settingsForm(change: Record<string, string>): Promise<Record<string, string>> {
  const { profanity, ...values } = settingsValuesFrom(await getModerationSettings(t.db));
  return { ...values, 'profanity[en]': profanity.en, 'profanity[uk]': profanity.uk, 'profanity[ru]': profanity.ru, ...change };
}

const page = (url: string): Request => ({ method: 'GET', url });
const form = (url: string, fields: FormFields = {}): Request => ({ method: 'POST', url, fields });
const comments = () => `${briefUrl}/comments`;

const MODERATE_PAGE: Statuses = [302, 403, 403, 200, 200, 200];
const CONFIGURE_PAGE: Statuses = [302, 403, 403, 403, 403, 200];
const MODERATE_FORM: Statuses = [401, 403, 403, 303, 303, 303];
const CONFIGURE_FORM: Statuses = [401, 403, 403, 403, 403, 303];

/** `route` is the method and Fastify path the row calls, so a test can tell when a route has no row. */
const row = (action: string, route: string, expected: Statuses, arrange: (who: Who) => Request | Promise<Request>) => ({ action, route, expected, arrange });

// prettier-ignore
const MATRIX = [
  //                                                                                              anon reader contrib mod  editor admin
  row('post a comment', 'POST /news/:slug/comments',                                              [401, 303,  303,    303, 303,   303], () => form(comments(), { body: fresh('A remark') })),
  row('edit someone else\'s comment', 'POST /news/:slug/comments/:id/edit',                       [401, 403,  403,    403, 403,   403], async () => form(`${comments()}/${await othersComment()}/edit`, { body: fresh('Edited') })),
  row('edit own comment', 'POST /news/:slug/comments/:id/edit',                                   [401, 303,  303,    303, 303,   303], async (who) => form(`${comments()}/${await ownComment(who)}/edit`, { body: fresh('Edited') })),
  row('delete someone else\'s comment', 'POST /news/:slug/comments/:id/delete',                   [401, 403,  403,    303, 303,   303], async () => form(`${comments()}/${await othersComment()}/delete`)),
  row('delete own comment', 'POST /news/:slug/comments/:id/delete',                               [401, 303,  303,    303, 303,   303], async (who) => form(`${comments()}/${await ownComment(who)}/delete`)),
  row('report a comment', 'POST /news/:slug/comments/:id/report',                                 [401, 303,  303,    303, 303,   303], async () => form(`${comments()}/${await othersComment()}/report`, { reason: 'spam' })),
  row('open the moderation desk', 'GET /desk/moderation',                                         [302, 403,  403,    303, 303,   303], () => page('/desk/moderation')),
  ...QUEUES.map((queue) =>
    row(`see the ${queue} queue`, 'GET /desk/moderation/:queue',                                  MODERATE_PAGE, () => page(`/desk/moderation/${queue}`))),
  row('count the queues', 'GET /desk/moderation/counts',                                          MODERATE_PAGE, () => page('/desk/moderation/counts')),
  row('see a commenter', 'GET /desk/moderation/users/:id',                                        MODERATE_PAGE, async () => page(`/desk/moderation/users/${await freshReaderId()}`)),
  row('read the audit log', 'GET /desk/moderation/log',                                           MODERATE_PAGE, () => page('/desk/moderation/log')),
  row('see the settings', 'GET /desk/moderation/settings',                                        CONFIGURE_PAGE, () => page('/desk/moderation/settings')),
  row('approve a comment', 'POST /desk/moderation/comments/:id/:decision',                        MODERATE_FORM, async () => form(`/desk/moderation/comments/${await flaggedComment()}/approve`, { back: '/desk/moderation/flagged' })),
  row('reject a comment', 'POST /desk/moderation/comments/:id/:decision',                         MODERATE_FORM, async () => form(`/desk/moderation/comments/${await flaggedComment()}/reject`, { reason: 'Insult', back: '/desk/moderation/flagged' })),
  row('feature a comment', 'POST /desk/moderation/comments/:id/:decision',                        MODERATE_FORM, async () => form(`/desk/moderation/comments/${await othersComment()}/feature`)),
  row('unfeature a comment', 'POST /desk/moderation/comments/:id/:decision',                      MODERATE_FORM, async () => form(`/desk/moderation/comments/${await othersComment()}/unfeature`)),
  row('decide in bulk', 'POST /desk/moderation/bulk',                                             MODERATE_FORM, async () => form('/desk/moderation/bulk', { ids: [await flaggedComment(), await flaggedComment()], decision: 'reject', back: '/desk/moderation/flagged' })),
  row('suspend a commenter', 'POST /desk/moderation/users/:id',                                   MODERATE_FORM, async () => form(`/desk/moderation/users/${await freshReaderId()}`, { action: 'suspend-24h', reason: 'Insults' })),
  row('save the settings', 'POST /desk/moderation/settings',                                      CONFIGURE_FORM, async () => form('/desk/moderation/settings', await settingsForm({ maxLinks: String(((await getModerationSettings(t.db)).maxLinks + 1) % 50) }))),
  row('set a brief\'s comment policy', 'POST /desk/briefs/:id/comments',                          MODERATE_FORM, async () => form(`/desk/briefs/${(await makePublishedBrief(t.deps)).id}/comments`, { commentMode: 'closed' })),
  row('set a story\'s comment policy', 'POST /desk/stories/:id/comments',                         MODERATE_FORM, async () => form(`/desk/stories/${(await makeStory(t.deps)).id}/comments`, { commentMode: 'pre' })),
];

// An endless Server-Sent Events stream; src/desk/moderation.test.ts checks who may open it.
const NOT_IN_MATRIX = ['GET /desk/moderation/live'];

/** The CSRF token a browser would post: the brief page's for the site's forms (the log-in page's when signed out, since the brief then shows no form), the desk's otherwise. */
async function tokenFor(client: DeskClient, url: string): Promise<string> {
  if (!url.startsWith('/news/')) return client.csrfToken();
  const token = csrfTokenIn((await client.get(briefUrl)).body) ?? csrfTokenIn((await client.get('/account/login')).body);
  expect(token, `a CSRF token for ${url}`).not.toBeNull();
  return token!;
}

async function send(who: Who, request: Request): Promise<LightMyRequestResponse> {
  const client = clients.get(who)!;
  if (request.method === 'GET') return client.get(request.url);
  return client.post(request.url, request.fields, { csrf: await tokenFor(client, request.url) });
}

/** Everything a comment or moderation form could change, so "nothing changed" is one comparison. */
async function stateOf() {
  return {
    comments: await t.db.selectFrom('comments').select(['id', 'body', 'status', 'featured', 'is_flagged', 'report_count', 'edited_at', 'deleted_at']).orderBy('id').execute(),
    reports: await t.db.selectFrom('comment_reports').select('id').orderBy('id').execute(),
    users: await t.db.selectFrom('users').select(['id', 'banned_at', 'suspended_until', 'premoderate']).orderBy('id').execute(),
    settings: await t.db.selectFrom('moderation_settings').selectAll().orderBy('key').execute(),
    policies: await t.db.selectFrom('comment_policies').selectAll().orderBy('subject_id').execute(),
    audit: await t.db.selectFrom('moderation_actions').select('id').orderBy('id').execute(),
  };
}

beforeAll(async () => {
  t = await buildTestApp();
  brief = await makePublishedBrief(t.deps);
  briefUrl = briefPath(brief);
  // The matrix is about roles: lift the rate limits so that its many fixtures never meet them.
  await updateModerationSettings(t.deps, CLI_ACTOR, { commentsPerMinutePerAccount: 1000, commentsPerMinutePerAddress: 10000 });
  clients.set('anonymous', deskClient(t.app));
  for (const role of ['contributor', 'moderator', 'editor', 'admin'] as const) {
    const staff = await makeUser(t.db, role);
    const client = deskClient(t.app);
    await client.logIn(staff.email, staff.password);
    clients.set(role, client);
    authors.set(role, { id: staff.id, displayName: `Test ${role}`, role });
  }
  const reader = deskClient(t.app);
  const signup = await reader.get('/account/signup');
  const email = 'matrix-reader@newsdesk.test';
  const res = await reader.post('/account/signup', { displayName: 'Matrix reader', email, password: 'long enough password' }, { csrf: csrfTokenIn(signup.body)! });
  expect(res.statusCode).toBe(303);
  const { id } = await t.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  clients.set('reader', reader);
  authors.set('reader', { id, displayName: 'Matrix reader', role: 'reader' });
  const { user } = await signUpReader({ db: t.db, input: { displayName: 'Other', email: 'other@newsdesk.test', password: 'long enough password' } });
  other = { id: user.id, displayName: 'Other', role: 'reader' };
});
afterAll(async () => { await t.close(); });

describe.each(MATRIX.map((r) => [r.action, r] as const))('%s', (_action, { expected, arrange }) => {
  it.each(ROLES.map((who, i) => [who, expected[i]!] as const))('%s → %d', async (who, status) => {
    const request = await arrange(who);
    const before = await stateOf();
    const res = await send(who, request);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
    if (status === 302) expect(res.headers.location).toBe(`/desk/login?next=${encodeURIComponent(request.url)}`);
    // A form that says it worked changed something; one that refused changed nothing.
    if (request.method === 'POST' && status === 303) expect(await stateOf()).not.toEqual(before);
    if (request.method === 'POST' && status >= 400) expect(await stateOf()).toEqual(before);
  });
});

/** Method and path of every route the app registered, read off Fastify's printed route tree. */
function registeredRoutes(): string[] {
  const prefixes: string[] = [];
  const routes: string[] = [];
  for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    prefixes.length = depth;
    const path = prefixes.join('') + match[2]!;
    prefixes.push(match[2]!);
    // Fastify answers a path with and without its trailing slash alike.
    const normalised = path.length > 1 ? path.replace(/\/$/, '') : path;
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${normalised}`);
  }
  return [...new Set(routes)];
}

it('has a row for every comment form of the site and every route of the moderation desk', () => {
  const registered = registeredRoutes();
  expect(registered).toContain('POST /news/:slug/comments/:id/edit');
  const covered = registered.filter((route) =>
    /^POST \/news\/:slug\/comments(\/|$)/.test(route) || /^\w+ \/desk\/moderation(\/|$)/.test(route) || /^POST \/desk\/(briefs|stories)\/:id\/comments$/.test(route));
  expect([...new Set([...MATRIX.map((r) => r.route), ...NOT_IN_MATRIX])].sort()).toEqual(covered.sort());
});
