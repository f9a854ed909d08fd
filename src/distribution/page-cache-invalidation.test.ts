import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpReader } from '../accounts/readers.js';
import { CLI_ACTOR } from '../accounts/policy.js';
import { postComment } from '../comments/service.js';
import { correctBrief, createBrief, publishBrief, retractBrief } from '../content/briefs.js';
import { addBackgroundItem } from '../content/stories.js';
import type { Brief } from '../content/types.js';
import { briefInput, buildTestApp, makeEntity, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { briefPath, entityPath, feedPath, homePath, storyPath } from '../web/paths.js';

// Acceptance, issue 6: "after publishing, correcting and retracting a brief and after a comment,
// each affected page (and no unaffected cached page) is re-rendered, checked through a render
// counter exposed to tests". The counter is the cache's fills per URL: a page served from the
// cache adds nothing; a page rendered again because an event dropped it adds one.
//
// Which pages an event affects follows from what each page shows (its surrogate keys, set by the
// routes) and what the event changes (purge.ts). The site here:
//   story S1 (en): brief A (en, tagged E1);  story S2 (en): brief B (en, tagged E2)
//   brief C (uk, no story, tagged E2);        brief D (ru, no story, untagged)

let t: TestContext;
let briefs: Record<'A' | 'B' | 'C' | 'D', Brief>;
let urls: Record<string, string>;

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const fills = () => ({ ...t.app.pageCache.stats().fills });

beforeAll(async () => {
  t = await buildTestApp();
  const [s1, s2] = [await makeStory(t.deps), await makeStory(t.deps)];
  const [e1, e2] = [await makeEntity(t.deps), await makeEntity(t.deps)];
  briefs = {
    A: await makePublishedBrief(t.deps, { storyId: s1.id, entityIds: [e1.id] }),
    B: await makePublishedBrief(t.deps, { storyId: s2.id, entityIds: [e2.id] }),
    C: await makePublishedBrief(t.deps, { language: 'uk', headline: `Рятувальники евакуювали людей ${Date.now()}`, entityIds: [e2.id] }),
    D: await makePublishedBrief(t.deps, { language: 'ru', headline: `Спасатели эвакуировали людей ${Date.now()}` }),
  };
  urls = {
    home: '/', uk: homePath('uk'), en: homePath('en'), ru: homePath('ru'),
    briefA: briefPath(briefs.A), briefB: briefPath(briefs.B), briefC: briefPath(briefs.C), briefD: briefPath(briefs.D),
    storyS1: storyPath(s1, 'en'), storyS2: storyPath(s2, 'en'),
    entityE1: entityPath(e1, 'en'), entityE2: entityPath(e2, 'en'),
    feed: feedPath({ kind: 'site' }, 'rss'), feedEn: feedPath({ kind: 'language', language: 'en' }, 'rss'),
    apiA: `/api/v1/briefs/${briefs.A.id}`, apiB: `/api/v1/briefs/${briefs.B.id}`,
    sitemap: '/sitemap.xml',
  };
});
afterAll(async () => { await t.close(); });

/** Requests every page until each is cached, then checks that a second round is served without a render. */
async function warmAll(): Promise<void> {
  for (const url of Object.values(urls)) expect((await get(url)).statusCode, url).toBe(200);
  const before = fills();
  for (const url of Object.values(urls)) await get(url);
  expect(fills(), 'every page of the set is cached').toEqual(before);
}

/** Warms the set, runs `change`, requests every page once more; answers which were rendered again, and their bodies. */
async function afterChange(change: () => Promise<unknown>): Promise<{ rendered: string[]; bodies: Record<string, string> }> {
  await warmAll();
  const before = fills();
  await change();
  const bodies: Record<string, string> = {};
  for (const [name, url] of Object.entries(urls)) bodies[name] = (await get(url)).body;
  const after = fills();
  const rendered = Object.entries(urls).filter(([, url]) => after[url] !== before[url]).map(([name]) => name);
  for (const [, url] of Object.entries(urls)) expect((after[url] ?? 0) - (before[url] ?? 0), url).toBeLessThanOrEqual(1);
  return { rendered: rendered.sort(), bodies };
}

const sorted = (names: string[]) => [...names].sort();


describe('exact invalidation of the page cache', () => {
  it('publishing an English brief in story S1 tagging E1 re-renders the lists it joins, and nothing in other languages, stories or entities', async () => {
    const s1Story = briefs.A.storyId!;
    const e1 = briefs.A.entityIds[0]!;
    let headline = '';
    const { rendered, bodies } = await afterChange(async () => {
      const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: s1Story, entityIds: [e1] }));
      headline = (await publishBrief(t.deps, CLI_ACTOR, draft.id)).headline;
    });
    expect(rendered).toEqual(sorted([
      ...['home', 'en', 'storyS1', 'entityE1', 'feed', 'feedEn', 'sitemap'],
    ]));
    for (const name of ['home', 'en', 'storyS1', 'entityE1', 'feed', 'feedEn']) expect(bodies[name], name).toContain(headline);
    expect(bodies.uk).not.toContain(headline);
  });

  it('correcting brief B re-renders its page, its story, its entity, the lists and feeds, and the brief API', async () => {
    const reason = `Casualty figure corrected ${Date.now()}`;
    const before = (await get(urls.briefB!)).body;
    expect(before).not.toContain(reason);
    const { rendered, bodies } = await afterChange(() => correctBrief(t.deps, CLI_ACTOR, briefs.B.id, { details: ['Rescuers moved **350 people** overnight.'] }, reason));
    expect(rendered).toEqual(sorted([
      ...['home', 'en', 'briefB', 'apiB', 'storyS2', 'entityE2', 'feed', 'feedEn', 'sitemap'],
    ]));
    expect(bodies.briefB).toContain(reason);
    expect(bodies.briefB).toContain('350 people');
    expect(bodies.briefB).not.toContain('400 people');
    expect(JSON.parse(bodies.apiB!)).toMatchObject({ status: 'corrected' });
  });

  it('retracting the Ukrainian brief C re-renders the Ukrainian lists, its page and its entity, not the English or Russian ones', async () => {
    const reason = `Could not be verified ${Date.now()}`;
    const { rendered, bodies } = await afterChange(() => retractBrief(t.deps, CLI_ACTOR, briefs.C.id, reason));
    expect(rendered).toEqual(sorted([
      ...['home', 'uk', 'briefC', 'entityE2', 'feed', 'sitemap'],
    ]));
    expect(bodies.briefC).toContain(reason);
  });

  it('a background item naming entity E2 added to story S2 re-renders S2\'s page and E2\'s page, nothing else', async () => {
    const text = `Officials confirmed the evacuation route ${Date.now()}`;
    const { rendered, bodies } = await afterChange(() => addBackgroundItem(t.deps, CLI_ACTOR, briefs.B.storyId!, {
      text, status: 'confirmed', attributionEntityId: briefs.B.entityIds[0]!,
    }));
    expect(rendered).toEqual(sorted(['storyS2', 'entityE2']));
    expect(bodies.storyS2).toContain(text);
    expect(bodies.entityE2).toContain(text);
  });

  it('a reader\'s comment on brief D re-renders every page showing D\'s comment count, and only those', async () => {
    const { user } = await signUpReader({ db: t.db, input: { displayName: 'Olena', email: `olena-${Date.now()}@newsdesk.test`, password: 'long enough password' } });
    const countOf = (html: string) => /(\d+) (?:comments?|комментари\w*)/i.exec(html)?.[1];
    const before = (await get(urls.briefD!)).body;
    const { rendered, bodies } = await afterChange(async () => {
      const posted = await postComment(t.deps, { actor: { id: user.id, displayName: 'Olena', role: 'reader' }, briefId: briefs.D.id, body: 'Thank you for the update.' });
      expect(posted.status).toBe('published');
    });
    expect(rendered).toEqual(sorted(['home', 'ru', 'briefD', 'feed']));
    expect(bodies.briefD).toContain('Thank you for the update.');
    expect(before).not.toContain('Thank you for the update.');
    expect(countOf(bodies.briefD!)).not.toBe(countOf(before));
  });
});

describe('the page cache in the application', () => {
  it('renders a cold brief page once for fifty simultaneous readers', async () => {
    const cold = await makePublishedBrief(t.deps);
    const url = briefPath(cold);
    await get(urls.briefA!); // the brief route has been cached before, so its misses are coalesced
    const responses = await Promise.all(Array.from({ length: 50 }, () => get(url)));
    expect(responses.every((res) => res.statusCode === 200 && res.body.includes(cold.headline))).toBe(true);
    expect(fills()[url]).toBe(1);
  });

  it('answers a revalidation with 304 from the cache, and sends gzip and brotli that decode to the page', async () => {
    const url = urls.briefA!;
    const plain = await get(url);
    await t.app.pageCache.idle();
    const rendersBefore = fills()[url];
    const notModified = await get(url, { 'if-none-match': String(plain.headers.etag) });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(url, { 'accept-encoding': 'gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    // The security headers are part of the stored copy.
    expect(br.headers['content-security-policy']).toBe(plain.headers['content-security-policy']);
    expect(fills()[url]).toBe(rendersBefore);
  });

  it('never gives a signed-in reader the public copy, nor keeps their page', async () => {
    const url = urls.briefA!;
    const publicCopy = (await get(url)).body;
    const { sessionId } = await signUpReader({ db: t.db, input: { displayName: 'Mykola Signed-In', email: `mykola-${Date.now()}@newsdesk.test`, password: 'long enough password' } });
    const rendersBefore = fills()[url];
    const personal = await get(url, { cookie: `nd_session=${sessionId}` });
    expect(personal.statusCode).toBe(200);
    expect(personal.body).toContain('Mykola Signed-In');
    expect(personal.headers['cache-control']).toBe('no-store');
    expect(personal.body).not.toBe(publicCopy);
    expect((await get(url)).body).toBe(publicCopy);
    expect(fills()[url]).toBe(rendersBefore);
  });
});
