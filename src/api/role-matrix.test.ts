import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { signUpReader } from '../accounts/readers.js';
import { QUEUES } from '../comments/moderation.js';
import { updateModerationSettings } from '../comments/policy-settings.js';
import { buildTestApp, makePublishedBrief, makeStory, makeUser, type TestContext } from '../test/factories.js';

// Every comment and moderation route against every kind of caller, each cell the exact status.
// Staff sign in through POST /api/v1/auth/login and readers through POST /api/v1/auth/signup, and
// all of them call with the `nds_` session token they got: the roles are people, not API tokens.
// Each cell makes its own comment or account to act on, so no cell depends on another.

const ROLES = ['anonymous', 'reader', 'contributor', 'moderator', 'editor', 'admin'] as const;
type Who = (typeof ROLES)[number];
type Statuses = [anonymous: number, reader: number, contributor: number, moderator: number, editor: number, admin: number];
type Run = (who: Who) => Promise<LightMyRequestResponse>;

let t: TestContext;
let briefId: string;
let storyId: string;
const tokens = new Map<Who, string>();
let otherReader: string;

let counter = 0;
/** Distinct text, so the duplicate rule never turns a fixture into a rejected comment. */
const fresh = (text: string) => `${text} (${++counter})`;

function call(who: Who | 'other', method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) {
  const token = who === 'other' ? otherReader : tokens.get(who);
  return t.app.inject({
    method, url: `/api/v1${url}`, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });
}

/** A published comment by `who` (a reader other than every caller when 'other'); returns its id. */
async function commentBy(who: Who | 'other', body = fresh('Thank you for the update')): Promise<string> {
  const res = await call(who, 'POST', `/briefs/${briefId}/comments`, { body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
const othersComment = (body?: string) => commentBy('other', body);
// Anonymous callers have no comment of their own; aim them at someone else's.
const ownComment = (who: Who) => (who === 'anonymous' ? othersComment() : commentBy(who));
const flaggedComment = () => othersComment(fresh('What a prick'));
async function freshReaderId(): Promise<string> {
  const { user } = await signUpReader({ db: t.db, input: { displayName: 'Subject', email: `subject-${++counter}@newsdesk.test`, password: 'long enough password' } });
  return user.id;
}

const MODERATE: Statuses = [401, 403, 403, 200, 200, 200];
const CONFIGURE: Statuses = [401, 403, 403, 403, 403, 200];

/** `route` is the OpenAPI operation the row calls, so a test can tell when a route has no row. */
const row = (action: string, route: string, expected: Statuses, run: Run) => ({ action, route, expected, run });

// prettier-ignore
const MATRIX = [
  //                                               anon reader contrib mod  editor admin
  row('read a brief\'s comments', 'GET /v1/briefs/{id}/comments',                  [200, 200,  200,    200, 200,   200], (who) => call(who, 'GET', `/briefs/${briefId}/comments`)),
  row('post a comment', 'POST /v1/briefs/{id}/comments',                            [401, 201,  201,    201, 201,   201], (who) => call(who, 'POST', `/briefs/${briefId}/comments`, { body: fresh('A remark') })),
  row('edit someone else\'s comment', 'PATCH /v1/comments/{id}',              [401, 403,  403,    403, 403,   403], async (who) => call(who, 'PATCH', `/comments/${await othersComment()}`, { body: fresh('Edited') })),
  row('edit own comment', 'PATCH /v1/comments/{id}',                          [401, 200,  200,    200, 200,   200], async (who) => call(who, 'PATCH', `/comments/${await ownComment(who)}`, { body: fresh('Edited') })),
  row('delete someone else\'s comment', 'DELETE /v1/comments/{id}',            [401, 403,  403,    204, 204,   204], async (who) => call(who, 'DELETE', `/comments/${await othersComment()}`)),
  row('delete own comment', 'DELETE /v1/comments/{id}',                        [401, 204,  204,    204, 204,   204], async (who) => call(who, 'DELETE', `/comments/${await ownComment(who)}`)),
  row('report a comment', 'POST /v1/comments/{id}/reports',                          [401, 201,  201,    201, 201,   201], async (who) => call(who, 'POST', `/comments/${await othersComment()}/reports`, { reason: 'spam' })),
  ...QUEUES.map((queue) =>
    row(`list the ${queue} queue`, 'GET /v1/moderation/comments',                 MODERATE, (who) => call(who, 'GET', `/moderation/comments?queue=${queue}`))),
  row('count the queues', 'GET /v1/moderation/counts',                          MODERATE, (who) => call(who, 'GET', '/moderation/counts')),
  row('approve a comment', 'POST /v1/moderation/comments/{id}/approve',                         MODERATE, async (who) => call(who, 'POST', `/moderation/comments/${await flaggedComment()}/approve`)),
  row('reject a comment', 'POST /v1/moderation/comments/{id}/reject',                          MODERATE, async (who) => call(who, 'POST', `/moderation/comments/${await flaggedComment()}/reject`, { reason: 'Insult' })),
  row('unfeature a comment', 'POST /v1/moderation/comments/{id}/unfeature', MODERATE, async (who) => call(who, 'POST', `/moderation/comments/${await othersComment()}/unfeature`)),
  row('feature a comment', 'POST /v1/moderation/comments/{id}/feature',                         MODERATE, async (who) => call(who, 'POST', `/moderation/comments/${await othersComment()}/feature`)),
  row('decide in bulk', 'POST /v1/moderation/comments/bulk',                            MODERATE, async (who) => call(who, 'POST', '/moderation/comments/bulk', { ids: [await flaggedComment(), await flaggedComment()], decision: 'reject' })),
  row('ban a reader', 'POST /v1/moderation/users/{id}',                              MODERATE, async (who) => call(who, 'POST', `/moderation/users/${await freshReaderId()}`, { action: 'ban' })),
  row('set a story\'s comment policy', 'PUT /v1/moderation/policies/{scope}/{id}',             MODERATE, (who) => call(who, 'PUT', `/moderation/policies/story/${storyId}`, { mode: 'pre' })),
  row('set a brief\'s comment policy', 'PUT /v1/moderation/policies/{scope}/{id}', MODERATE, async (who) => call(who, 'PUT', `/moderation/policies/brief/${(await makePublishedBrief(t.deps)).id}`, { mode: 'closed' })),
  row('read the audit log', 'GET /v1/moderation/audit',                        MODERATE, (who) => call(who, 'GET', '/moderation/audit')),
  row('read the settings', 'GET /v1/moderation/settings',                         CONFIGURE, (who) => call(who, 'GET', '/moderation/settings')),
  row('edit the word lists', 'PATCH /v1/moderation/settings',                       CONFIGURE, (who) => call(who, 'PATCH', '/moderation/settings', { bannedTerms: ['matrixword'], profanity: { en: ['numpty'], uk: [], ru: [] } })),
];

beforeAll(async () => {
  t = await buildTestApp();
  briefId = (await makePublishedBrief(t.deps)).id;
  storyId = (await makeStory(t.deps)).id;
  // The matrix is about roles: lift the rate limits so that its many fixtures never meet them.
  await updateModerationSettings(t.deps, CLI_ACTOR, { commentsPerMinutePerAccount: 1000, commentsPerMinutePerAddress: 10000 });
  for (const role of ['contributor', 'moderator', 'editor', 'admin'] as const) {
    const staff = await makeUser(t.db, role);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: staff.email, password: staff.password } });
    expect(res.statusCode).toBe(200);
    tokens.set(role, res.json<{ token: string }>().token);
  }
  const signUp = async (name: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { displayName: name, email: `${name.toLowerCase()}@newsdesk.test`, password: 'long enough password' } });
    expect(res.statusCode).toBe(201);
    return res.json<{ token: string }>().token;
  };
  tokens.set('reader', await signUp('Reader'));
  otherReader = await signUp('Other');
});
afterAll(async () => { await t.close(); });

const ERROR_CODES: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden' };

describe.each(MATRIX.map((r) => [r.action, r] as const))('%s', (_action, { expected, run }) => {
  it.each(ROLES.map((who, i) => [who, expected[i]!] as const))('%s → %d', async (who, status) => {
    const res = await run(who);
    expect(res.statusCode, res.body).toBe(status);
    if (ERROR_CODES[status]) expect(res.json().error.code).toBe(ERROR_CODES[status]);
    if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

it('has a row for every comment and moderation route the API registers', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
  const registered = Object.entries(doc.paths)
    .filter(([path]) => /^\/api\/v1\/(comments|moderation)\/|^\/api\/v1\/briefs\/\{id\}\/comments$/.test(path))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace('/api', '')}`));
  expect([...new Set(MATRIX.map((r) => r.route))].sort()).toEqual(registered.sort());
});
