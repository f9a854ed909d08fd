import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type StaffRole } from '../accounts/policy.js';
import { revokeToken } from '../accounts/service.js';
import { createBrief } from '../content/briefs.js';
import { addBackgroundItem } from '../content/stories.js';
import { linkTranslation } from '../content/timeline.js';
import { createWebhook } from '../distribution/webhooks.js';
import { bearerToken } from './auth.js';
import { buildTestApp, briefInput, makePublishedBrief, makeStory, makeToken, type TestContext } from '../test/factories.js';

let t: TestContext;
const tokens: Partial<Record<StaffRole | 'revoked', string>> = {};
beforeAll(async () => {
  t = await buildTestApp();
  for (const role of ['contributor', 'editor', 'moderator', 'admin'] as const) tokens[role] = (await makeToken(t.db, role)).token;
  const revoked = await makeToken(t.db, 'admin');
  await revokeToken({ db: t.db, actor: CLI_ACTOR, id: revoked.id });
  tokens.revoked = revoked.token;
});
afterAll(async () => { await t.close(); });

interface Request { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: object }

// Each setup makes fresh data, so one caller's success never changes what the next one meets.
const draft = async () => (await createBrief(t.deps, CLI_ACTOR, briefInput())).id;
const published = async () => (await makePublishedBrief(t.deps)).id;
const webhook = async () => (await createWebhook(t.deps, CLI_ACTOR, { url: 'https://partner.example/hook', events: ['brief.published'] })).webhook.id;
/** A delivery owed to a fresh endpoint, as the worker would have written it. */
async function delivery(): Promise<string> {
  const id = `dl${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const now = new Date().toISOString();
  await t.db.insertInto('webhook_deliveries').values({
    id, webhook_id: await webhook(), event_id: id, event_type: 'brief.published', payload: '{}', status: 'failed', attempts: 1,
    next_attempt_at: null, last_status_code: 500, last_error: 'HTTP 500', created_at: now, delivered_at: null,
  }).execute();
  return id;
}
/** An English and a Ukrainian brief of one story, linked as translations when `linked`. */
async function pair(linked: boolean): Promise<[string, string]> {
  const storyId = (await makeStory(t.deps)).id;
  const en = (await makePublishedBrief(t.deps, { storyId })).id;
  const uk = (await makePublishedBrief(t.deps, { storyId, language: 'uk' })).id;
  if (linked) await linkTranslation(t.deps, CLI_ACTOR, en, uk);
  return [en, uk];
}

const ROUTES: { name: string; setup: () => Promise<Request>; allowed: StaffRole[]; success: number }[] = [
  { name: 'POST /v1/briefs', setup: async () => ({ method: 'POST', url: '/api/v1/briefs', payload: briefInput() }), allowed: ['contributor', 'editor', 'admin'], success: 201 },
  { name: 'PATCH /v1/briefs/{id}', setup: async () => ({ method: 'PATCH', url: `/api/v1/briefs/${await draft()}`, payload: { details: ['More.'] } }), allowed: ['contributor', 'editor', 'admin'], success: 200 },
  { name: 'POST /v1/briefs/{id}/submit', setup: async () => ({ method: 'POST', url: `/api/v1/briefs/${await draft()}/submit` }), allowed: ['contributor', 'editor', 'admin'], success: 200 },
  { name: 'POST /v1/briefs/{id}/publish', setup: async () => ({ method: 'POST', url: `/api/v1/briefs/${await draft()}/publish` }), allowed: ['editor', 'admin'], success: 200 },
  {
    name: 'POST /v1/briefs/{id}/correct', setup: async () => ({ method: 'POST', url: `/api/v1/briefs/${await published()}/correct`, payload: { headline: 'Corrected headline', reason: 'A wrong number.' } }),
    allowed: ['editor', 'admin'], success: 200,
  },
  { name: 'POST /v1/briefs/{id}/retract', setup: async () => ({ method: 'POST', url: `/api/v1/briefs/${await published()}/retract`, payload: { reason: 'Withdrawn.' } }), allowed: ['editor', 'admin'], success: 200 },
  { name: 'POST /v1/stories', setup: async () => ({ method: 'POST', url: '/api/v1/stories', payload: { title: 'Floods in the south', language: 'en' } }), allowed: ['editor', 'admin'], success: 201 },
  {
    name: 'POST /v1/stories/{id}/background', setup: async () => ({ method: 'POST', url: `/api/v1/stories/${(await makeStory(t.deps)).id}/background`, payload: { text: 'The dam is 60 years old.', status: 'confirmed' } }),
    allowed: ['editor', 'admin'], success: 201,
  },
  {
    name: 'PUT /v1/stories/{id}/background/{itemId}',
    setup: async () => {
      const story = await makeStory(t.deps);
      const item = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The dam is 60 years old.', status: 'claimed' });
      return { method: 'PUT', url: `/api/v1/stories/${story.id}/background/${item.id}`, payload: { text: 'The dam is 60 years old.', status: 'confirmed', changeSource: 'Ministry' } };
    },
    allowed: ['editor', 'admin'], success: 200,
  },
  {
    name: 'POST /v1/briefs/{id}/translations',
    setup: async () => {
      const [en, uk] = await pair(false);
      return { method: 'POST', url: `/api/v1/briefs/${en}/translations`, payload: { otherBriefId: uk } };
    },
    allowed: ['editor', 'admin'], success: 200,
  },
  { name: 'DELETE /v1/briefs/{id}/translations', setup: async () => ({ method: 'DELETE', url: `/api/v1/briefs/${(await pair(true))[0]}/translations` }), allowed: ['editor', 'admin'], success: 204 },
  {
    name: 'PUT /v1/briefs/{id}/pin',
    setup: async () => ({ method: 'PUT', url: `/api/v1/briefs/${(await makePublishedBrief(t.deps, { storyId: (await makeStory(t.deps)).id })).id}/pin`, payload: { pinned: true } }),
    allowed: ['editor', 'admin'], success: 200,
  },
  {
    name: 'POST /v1/import/ninjs',
    setup: async () => ({ method: 'POST', url: '/api/v1/import/ninjs', payload: { uri: 'urn:partner:1', language: 'en', headlines: [{ value: 'Floods in the south' }], bodies: [{ value: 'Water rose.' }] } }),
    allowed: ['contributor', 'editor', 'admin'], success: 201,
  },
  {
    name: 'POST /v1/entities', setup: async () => ({ method: 'POST', url: '/api/v1/entities', payload: { kind: 'place', names: { en: 'Kherson', uk: 'Херсон', ru: 'Херсон' } } }),
    allowed: ['editor', 'admin'], success: 201,
  },
  { name: 'POST /v1/webhooks', setup: async () => ({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://partner.example/hook', events: ['brief.published'] } }), allowed: ['admin'], success: 201 },
  {
    name: 'PUT /v1/webhooks/{id}', setup: async () => ({ method: 'PUT', url: `/api/v1/webhooks/${await webhook()}`, payload: { url: 'https://partner.example/v2', events: ['brief.corrected'] } }),
    allowed: ['admin'], success: 200,
  },
  { name: 'DELETE /v1/webhooks/{id}', setup: async () => ({ method: 'DELETE', url: `/api/v1/webhooks/${await webhook()}` }), allowed: ['admin'], success: 204 },
  { name: 'POST /v1/webhook-deliveries/{id}/resend', setup: async () => ({ method: 'POST', url: `/api/v1/webhook-deliveries/${await delivery()}/resend` }), allowed: ['admin'], success: 204 },
];

const CALLERS = ['none', 'revoked', 'contributor', 'moderator', 'editor', 'admin'] as const;

const eventCount = async () => Number((await t.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('who may call each API write', () => {
  for (const route of ROUTES) {
    for (const caller of CALLERS) {
      const expected = caller === 'none' || caller === 'revoked' ? 401 : route.allowed.includes(caller) ? route.success : 403;
      it(`${route.name} as ${caller} → ${expected}`, async () => {
        const request = await route.setup();
        const before = await eventCount();
        const headers = caller === 'none' ? {} : { authorization: `Bearer ${tokens[caller]!}` };
        const res = await t.app.inject({ ...request, headers });
        expect(res.statusCode, res.body).toBe(expected);
        if (expected === 401 || expected === 403) {
          expect(res.json().error.code).toBe(expected === 401 ? 'unauthorized' : 'forbidden');
          expect(await eventCount()).toBe(before);
        } else {
          expect(await eventCount()).toBeGreaterThan(before);
        }
      });
    }
  }

  it('covers every write route the API registers', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    // Session routes (/v1/auth) are not role-gated staff writes; auth-routes.test.ts covers them.
    // Comment and moderation routes take session tokens too; role-matrix.test.ts covers each of them.
    const staffPaths = Object.entries(doc.paths)
      .filter(([path]) => !path.startsWith('/api/v1/auth/') && !path.endsWith('/comments') && !/^\/api\/v1\/(comments|moderation)\//.test(path));
    const writes = staffPaths.flatMap(([path, ops]) =>
      Object.keys(ops).filter((m) => m !== 'get').map((m) => `${m.toUpperCase()} ${path.replace('/api', '')}`));
    expect(writes.sort()).toEqual(ROUTES.map((r) => r.name).sort());
  });
});

describe('bearerToken', () => {
  it('reads the token, tolerating the scheme\'s case, and refuses other schemes', () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('Bearer nd_abc')).toBe('nd_abc');
    expect(bearerToken('bearer nd_abc')).toBe('nd_abc');
    expect(() => bearerToken('Basic dXNlcjpwYXNz')).toThrow(/Bearer/);
    expect(() => bearerToken('Bearer')).toThrow();
  });
});
