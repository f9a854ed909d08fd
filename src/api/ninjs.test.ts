import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { createBrief } from '../content/briefs.js';
import { ninjsValidator } from '../distribution/ninjs.js';
import { buildTestApp, briefInput, makePublishedBrief, makeToken, type TestContext } from '../test/factories.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(repoRoot, 'src/distribution/ninjs/examples/3.1_005_complex_text_article.json');

let t: TestContext;
let contributor: string;
let moderator: string;
beforeAll(async () => {
  t = await buildTestApp();
  contributor = (await makeToken(t.db, 'contributor')).token;
  moderator = (await makeToken(t.db, 'moderator')).token;
});
afterAll(async () => { await t.close(); });

const isValidNinjs = (doc: unknown) => {
  const validate = ninjsValidator();
  return validate(doc) ? [] : validate.errors;
};
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('GET /api/v1/briefs/{id}?format=ninjs', () => {
  it('answers the brief as a valid ninjs 3.1 item, and a correction moves versionCreated', async () => {
    const brief = await makePublishedBrief(t.deps);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${brief.id}?format=ninjs` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const item = res.json<{ headlines: { value: string }[]; versionCreated: string; pubStatus: string; infoSources: unknown[] }>();
    expect(isValidNinjs(item)).toEqual([]);
    expect(item.headlines[0]!.value).toBe(brief.headline);
    expect(item.pubStatus).toBe('usable');
    expect(item.infoSources).toHaveLength(1);

    const editor = (await makeToken(t.db, 'editor')).token;
    const corrected = await t.app.inject({ method: 'POST', url: `/api/v1/briefs/${brief.id}/correct`, headers: auth(editor), payload: { details: ['Fixed.'], reason: 'Typo.' } });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${brief.id}?format=ninjs` })).json<{ versionCreated: string }>();
    expect(after.versionCreated).toBe(corrected.json<{ updatedAt: string }>().updatedAt);
    expect(after.versionCreated > item.versionCreated).toBe(true);
  });

  it('keeps drafts from anonymous readers, as the JSON form does', async () => {
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput());
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}?format=ninjs` })).statusCode).toBe(404);
    const staff = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}?format=ninjs`, headers: auth(contributor) });
    expect(staff.statusCode).toBe(200);
    expect(staff.json<{ pubStatus: string }>().pubStatus).toBe('withheld');
  });

  it('refuses an unknown format', async () => {
    const brief = await makePublishedBrief(t.deps);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${brief.id}?format=xml` })).statusCode).toBe(400);
  });
});

describe('GET /api/v1/ninjs/recent', () => {
  it('lists recent public briefs as valid ninjs items, newest first, with paging', async () => {
    const older = await makePublishedBrief(t.deps, { language: 'uk', headline: 'Старіша новина', publishedAt: '2026-01-01T10:00:00Z' });
    const newer = await makePublishedBrief(t.deps, { language: 'uk', headline: 'Новіша новина', publishedAt: '2026-01-01T11:00:00Z' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/ninjs/recent?language=uk&limit=1' });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<{ items: { altIds: { value: string }[] }[]; next: string | null }>();
    expect(page.items).toHaveLength(1);
    expect(res.headers['cache-control']).toMatch(/s-maxage/);
    expect(isValidNinjs(page.items[0])).toEqual([]);
    expect(page.items[0]!.altIds[0]!.value).toBe(newer.id);
    const second = (await t.app.inject({ method: 'GET', url: `/api/v1/ninjs/recent?language=uk&limit=1&cursor=${encodeURIComponent(page.next!)}` })).json<typeof page>();
    expect(second.items[0]!.altIds[0]!.value).toBe(older.id);
  });
});

describe('POST /api/v1/import/ninjs', () => {
  it('makes a draft from the IPTC example and points at it', async () => {
    const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as object;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/import/ninjs', headers: auth(contributor), payload: example });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ brief: { id: string; status: string; headline: string; details: string[] }; unmatched: { pointer: string; name: string }[] }>();
    expect(body.brief).toMatchObject({ status: 'draft', headline: 'Captain of wrecked cruise ship on trial in Italy' });
    expect(body.brief.details[0]).toMatch(/^GROSSETO, Italy \(AP\)/);
    expect(res.headers.location).toBe(`/api/v1/briefs/${body.brief.id}`);
    expect(body.unmatched.map((u) => u.pointer)).toContain('/people/0/name');
    const exported = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${body.brief.id}?format=ninjs`, headers: auth(contributor) });
    expect(isValidNinjs(exported.json())).toEqual([]);
  });

  it('answers 422 with the JSON pointer of each problem, and saves nothing', async () => {
    const before = await t.db.selectFrom('briefs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/import/ninjs', headers: auth(contributor),
      payload: { headlines: [{ value: 7 }], bodies: [{ contentType: 'text/plain' }], renditions: [{ name: 'x' }], colour: 'red' },
    });
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json<{ error: { code: string; fields: { path: string; reason: string }[] } }>().error;
    expect(error.code).toBe('unprocessable_ninjs');
    expect(error.fields.map((f) => f.path).sort()).toEqual(['/bodies/0/value', '/colour', '/headlines/0/value', '/renditions', '/uri']);
    expect(error.fields.every((f) => f.reason.length > 0)).toBe(true);
    const after = await t.db.selectFrom('briefs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('answers 422 for a body that is not one JSON object', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/import/ninjs', headers: auth(contributor), payload: [{ uri: 'urn:x' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ error: { fields: { path: string }[] } }>().error.fields).toEqual([{ path: '/', reason: expect.any(String) }]);
  });

  it('needs a token of a role that writes briefs', async () => {
    const doc = { uri: 'urn:x', headlines: [{ value: 'H' }] };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/import/ninjs', payload: doc })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/import/ninjs', headers: auth(moderator), payload: doc })).statusCode).toBe(403);
  });
});
