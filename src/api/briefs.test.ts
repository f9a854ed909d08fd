import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { addComment } from '../comments/service.js';
import { findBrief } from '../content/brief-repository.js';
import { createBrief, deleteBrief } from '../content/briefs.js';
import { formatWireText } from '../content/wiretext.js';
import { buildTestApp, briefInput, makeEntity, makePublishedBrief, makeStory, makeToken, type TestContext } from '../test/factories.js';

let t: TestContext;
let editor: string;
beforeEach(async () => {
  t = await buildTestApp();
  editor = (await makeToken(t.db, 'editor')).token;
});
afterEach(async () => { await t.close(); });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Row counts of everything a brief write touches: a failed request must leave them all as they were. */
async function counts() {
  const count = async (table: 'briefs' | 'brief_revisions' | 'events' | 'background_items' | 'brief_entities') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    briefs: await count('briefs'), revisions: await count('brief_revisions'), events: await count('events'),
    background: await count('background_items'), entities: await count('brief_entities'),
  };
}

describe('GET /api/v1/briefs', () => {
  it('pages through public briefs newest first with a cursor, leaving out drafts', async () => {
    const days = ['01', '02', '03', '04', '05'];
    const published = [];
    for (const day of days) published.push(await makePublishedBrief(t.deps, { publishedAt: `2026-03-${day}T10:00:00Z` }));
    await createBrief(t.deps, CLI_ACTOR, briefInput({ publishedAt: '2026-03-06T10:00:00Z' }));
    const newestFirst = published.map((b) => b.id).reverse();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = cursor ? { limit: '2', cursor } : { limit: '2' };
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/briefs', query });
      expect(res.statusCode).toBe(200);
      const body: { items: { id: string }[]; next: string | null } = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((b) => b.id));
      cursor = body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(3);
  });

  it('filters by story, entity and language', async () => {
    const story = await makeStory(t.deps);
    const entity = await makeEntity(t.deps);
    const inStory = await makePublishedBrief(t.deps, { storyId: story.id });
    const naming = await makePublishedBrief(t.deps, { entityIds: [entity.id] });
    const ukrainian = await makePublishedBrief(t.deps, { language: 'uk' });
    const ids = async (query: Record<string, string>) =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/briefs', query })).json<{ items: { id: string }[] }>().items.map((b) => b.id);
    expect(await ids({ story: story.id })).toEqual([inStory.id]);
    expect(await ids({ entity: entity.id })).toEqual([naming.id]);
    expect(await ids({ language: 'uk' })).toEqual([ukrainian.id]);
    expect((await ids({})).sort()).toEqual([inStory.id, naming.id, ukrainian.id].sort());
  });

  it('refuses a limit over 100, an unknown filter and a forged cursor, naming the parameter', async () => {
    const tooMany = await t.app.inject({ method: 'GET', url: '/api/v1/briefs?limit=101' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.fields).toEqual([{ path: 'querystring.limit', reason: 'must be at most 100' }]);
    const typo = await t.app.inject({ method: 'GET', url: '/api/v1/briefs?stroy=x' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.fields).toEqual([{ path: 'querystring.stroy', reason: 'is not a known field' }]);
    const forged = await t.app.inject({ method: 'GET', url: '/api/v1/briefs?cursor=not-ours' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.fields).toEqual([{ path: 'cursor', reason: 'is not a cursor this server gave out' }]);
  });
});

describe('GET /api/v1/briefs/{id}', () => {
  it('answers a public brief with its absolute public URL and nothing internal', async () => {
    const brief = await makePublishedBrief(t.deps);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${brief.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: brief.id, headline: brief.headline, status: 'published', url: `http://newsdesk.test/news/${brief.slug}` });
    expect(body.sources).toEqual(brief.sources);
    expect(body).not.toHaveProperty('authorIds');
    expect(res.headers.etag).toBe(`"${brief.revision}"`);
  });

  it('hides drafts from anonymous callers but shows them with a token', async () => {
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput());
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}` });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json().error.code).toBe('not_found');
    const asText = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}?format=text` });
    expect(asText.statusCode).toBe(404);
    const staff = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}`, headers: bearer(editor) });
    expect(staff.statusCode).toBe(200);
    expect(staff.json()).toMatchObject({ id: draft.id, status: 'draft', url: null });
  });

  it('answers 401, not a quieter view, when the token sent is wrong', async () => {
    const brief = await makePublishedBrief(t.deps);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${brief.id}`, headers: bearer('nd_not-a-token') });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers 410 with the error body for a removed published brief, 404 for a removed draft', async () => {
    const published = await makePublishedBrief(t.deps);
    await deleteBrief(t.deps, CLI_ACTOR, published.id);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${published.id}`, headers: bearer(editor) });
    expect(res.statusCode).toBe(410);
    expect(res.json()).toEqual({ error: { code: 'gone', message: 'This brief was removed.', fields: [] } });

    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput());
    await deleteBrief(t.deps, CLI_ACTOR, draft.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}`, headers: bearer(editor) })).statusCode).toBe(404);
  });

  it('answers 404 with the error body for an unknown id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/briefs/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found', fields: [{ path: 'id' }] });
  });

  it('answers wire text as text/plain with ?format=text, comments included', async () => {
    const brief = await makePublishedBrief(t.deps);
    const comment = await addComment(t.deps, { briefId: brief.id, authorName: 'Reader', body: 'Stay safe, everyone.' });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${brief.id}?format=text` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe(formatWireText((await findBrief(t.db, brief.id))!, [comment], { timeZone: 'Europe/Kyiv' }));
    expect(res.body).toContain(brief.headline);
  });
});

describe('writing briefs', () => {
  it('creates, edits with If-Match, publishes, corrects and retracts', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/briefs', headers: bearer(editor), payload: briefInput({ headline: 'Water reaches the lower town' }) });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    expect(draft).toMatchObject({ headline: 'Water reaches the lower town', status: 'draft', revision: 1, url: null });
    expect(created.headers.location).toBe(`/api/v1/briefs/${draft.id}`);

    const edited = await t.app.inject({
      method: 'PATCH', url: `/api/v1/briefs/${draft.id}`, headers: { ...bearer(editor), 'if-match': '"1"' }, payload: { details: ['Rescuers moved 500 people.'] },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ revision: 2, details: ['Rescuers moved 500 people.'], headline: 'Water reaches the lower town' });

    const before = await counts();
    const stale = await t.app.inject({
      method: 'PATCH', url: `/api/v1/briefs/${draft.id}`, headers: { ...bearer(editor), 'if-match': '"1"' }, payload: { details: ['Lost update.'] },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.fields).toEqual([{ path: 'revision', reason: 'is 1, the brief is at 2' }]);
    expect(await counts()).toEqual(before);

    const published = await t.app.inject({ method: 'POST', url: `/api/v1/briefs/${draft.id}/publish`, headers: bearer(editor) });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', url: `http://newsdesk.test/news/${draft.slug}` });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}` })).statusCode).toBe(200);

    const corrected = await t.app.inject({
      method: 'POST', url: `/api/v1/briefs/${draft.id}/correct`, headers: bearer(editor), payload: { headline: 'Water reaches the old town', reason: 'We named the wrong district.' },
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ status: 'corrected', headline: 'Water reaches the old town', correctionReason: 'We named the wrong district.' });

    const retracted = await t.app.inject({ method: 'POST', url: `/api/v1/briefs/${draft.id}/retract`, headers: bearer(editor), payload: { reason: 'The source withdrew it.' } });
    expect(retracted.statusCode).toBe(200);
    expect(retracted.json()).toMatchObject({ status: 'retracted', retractionReason: 'The source withdrew it.' });
    expect((await findBrief(t.db, draft.id))!.status).toBe('retracted');
  });

  it('answers 409 when publishing twice and 404 for an unknown brief', async () => {
    const brief = await makePublishedBrief(t.deps);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/briefs/${brief.id}/publish`, headers: bearer(editor) });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'wrong_status', fields: [{ path: 'status' }] });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/briefs/nope/publish', headers: bearer(editor) });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('bad input to POST /api/v1/briefs', () => {
  const post = (payload: string | object, headers: Record<string, string> = bearer(editor)) =>
    t.app.inject({ method: 'POST', url: '/api/v1/briefs', headers: { 'content-type': 'application/json', ...headers }, payload });

  const cases: { name: string; send: () => Promise<Awaited<ReturnType<typeof post>>>; status: number; code: string; fields: { path: string; reason: string | RegExp }[] }[] = [
    { name: 'an empty headline', send: () => post(briefInput({ headline: '' })), status: 400, code: 'invalid_input', fields: [{ path: 'headline', reason: 'must not be empty' }] },
    { name: 'a blank headline', send: () => post(briefInput({ headline: '   ' })), status: 400, code: 'invalid_input', fields: [{ path: 'headline', reason: 'must not be blank' }] },
    {
      name: 'an unknown source kind', send: () => post({ ...briefInput(), sources: [{ name: 'Agency', kind: 'rumour' }] }), status: 400, code: 'invalid_input',
      fields: [{ path: 'sources.0.kind', reason: /^must be one of: official_statement, news_agency/ }],
    },
    { name: 'an unknown field', send: () => post({ ...briefInput(), author: 'me' }), status: 400, code: 'invalid_input', fields: [{ path: 'author', reason: 'is not a known field' }] },
    {
      name: 'an impossible date', send: () => post(briefInput({ publishedAt: '2026-02-30T10:00:00Z' })), status: 400, code: 'invalid_input',
      fields: [{ path: 'publishedAt', reason: 'must be a date and time in ISO 8601, e.g. 2026-03-14T12:00:00Z' }],
    },
    { name: 'a date that is not one', send: () => post(briefInput({ publishedAt: 'yesterday' })), status: 400, code: 'invalid_input', fields: [{ path: 'publishedAt', reason: /ISO 8601/ }] },
    { name: 'an unknown story id', send: () => post(briefInput({ storyId: 'nope' })), status: 400, code: 'invalid_input', fields: [{ path: 'storyId', reason: 'no story with this id' }] },
    { name: 'an unknown entity id', send: () => post(briefInput({ entityIds: ['nope'] })), status: 400, code: 'invalid_input', fields: [{ path: 'entityIds.0', reason: 'no entity with this id' }] },
    { name: 'malformed JSON', send: () => post('{"headline": '), status: 400, code: 'invalid_json', fields: [{ path: 'body', reason: 'is not valid JSON' }] },
    {
      name: 'a 5 MB body', send: () => post(JSON.stringify({ ...briefInput(), details: ['x'.repeat(5 * 1024 * 1024)] })), status: 413, code: 'payload_too_large',
      fields: [{ path: 'body', reason: 'must be at most 1 MiB' }],
    },
    { name: 'an unknown token', send: () => post(briefInput(), bearer('nd_forged')), status: 401, code: 'unauthorized', fields: [] },
    // Authentication comes before parsing: an anonymous caller learns nothing from the body's problems.
    { name: 'no token and malformed JSON', send: () => post('{', {}), status: 401, code: 'unauthorized', fields: [] },
    { name: 'a token that is not Bearer', send: () => post(briefInput(), { authorization: `Basic ${editor}` }), status: 401, code: 'unauthorized', fields: [] },
  ];

  for (const c of cases) {
    it(`answers ${c.status} for ${c.name}, naming the field, and stores nothing`, async () => {
      // Something in the database already, so "unchanged" is not just "still empty".
      await makePublishedBrief(t.deps);
      const before = await counts();
      const res = await c.send();
      expect(res.statusCode).toBe(c.status);
      const { error } = res.json();
      expect(error.code).toBe(c.code);
      expect(typeof error.message).toBe('string');
      expect(error.fields).toHaveLength(c.fields.length);
      c.fields.forEach((f, i) => {
        expect(error.fields[i].path).toBe(f.path);
        if (typeof f.reason === 'string') expect(error.fields[i].reason).toBe(f.reason);
        else expect(error.fields[i].reason).toMatch(f.reason);
      });
      expect(await counts()).toEqual(before);
    });
  }

  it('rejects a bad correction body naming the field, and changes nothing', async () => {
    const brief = await makePublishedBrief(t.deps);
    const before = await counts();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/briefs/${brief.id}/correct`, headers: bearer(editor), payload: { headline: 'New headline' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'reason', reason: 'is required' }]);
    const badIfMatch = await t.app.inject({ method: 'PATCH', url: `/api/v1/briefs/${brief.id}`, headers: { ...bearer(editor), 'if-match': 'three' }, payload: {} });
    expect(badIfMatch.statusCode).toBe(400);
    expect(badIfMatch.json().error.fields[0].path).toBe('headers.if-match');
    expect(await counts()).toEqual(before);
  });
});
