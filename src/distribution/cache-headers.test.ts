import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { signUpReader } from '../accounts/readers.js';
import { correctBrief, createBrief } from '../content/briefs.js';
import { addBackgroundItem } from '../content/stories.js';
import { deskClient } from '../desk/test-client.js';
import type { DomainEvent } from '../storage/events.js';
import { briefInput, buildTestApp, makeEntity, makePublishedBrief, makeStory, makeToken, type TestContext } from '../test/factories.js';
import { backgroundItemPath, briefPath, entityPath, homePath, searchPath, storyPath } from '../web/paths.js';
import { PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL, etagOf } from './cache-headers.js';
import { createRecordingPurger, purgeCacheOnChange, purgeKeysFor } from './purge.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const surrogateKeys = (res: { headers: Record<string, unknown> }) => String(res.headers['surrogate-key'] ?? '').split(' ').filter(Boolean);

/** A story in English with a brief naming an entity, a background item, and one more brief elsewhere. */
async function seed() {
  const story = await makeStory(t.deps, 'Dam breach');
  const entity = await makeEntity(t.deps, 'Olena Shevchenko');
  const item = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The dam was built in 1961.', status: 'confirmed' });
  const brief = await makePublishedBrief(t.deps, { headline: 'Water reaches the lower town', storyId: story.id, entityIds: [entity.id] });
  const other = await makePublishedBrief(t.deps, { headline: 'Grain corridor reopens', language: 'uk' });
  return { story, entity, item, brief, other };
}

/**
 * The contract every public surface keeps: the shared policy, both key headers naming the same
 * keys, an ETag that a repeat request turns into a bodiless 304, and a fresh 200 for a stale tag.
 */
async function expectCacheable(url: string, expectedKeys: string[]): Promise<void> {
  const res = await get(url);
  expect(res.statusCode, url).toBe(200);
  expect(res.headers['cache-control'], url).toBe(PUBLIC_CACHE_CONTROL);
  const keys = surrogateKeys(res);
  expect(keys, url).toEqual(expect.arrayContaining(expectedKeys));
  expect(String(res.headers['cache-tag']).split(','), url).toEqual(keys);
  const etag = String(res.headers.etag);
  expect(etag, url).toMatch(/^(W\/)?"[^"]+"$/);

  const again = await get(url, { 'if-none-match': etag });
  expect(again.statusCode, url).toBe(304);
  expect(again.body, url).toBe('');
  expect(again.headers.etag, url).toBe(etag);
  expect(again.headers['cache-control'], url).toBe(PUBLIC_CACHE_CONTROL);
  // Weak comparison, as If-None-Match wants, and a list with the tag among others.
  expect((await get(url, { 'if-none-match': `"other", W/${etag.replace(/^W\//, '')}` })).statusCode, url).toBe(304);

  const stale = await get(url, { 'if-none-match': '"not-this-one"' });
  expect(stale.statusCode, url).toBe(200);
  expect(stale.body, url).toBe(res.body);
}

describe('public reader pages', () => {
  it('home, language home, brief, story, entity, search and item history share the policy, ETags and keys', async () => {
    const { story, entity, item, brief, other } = await seed();
    await expectCacheable('/', ['home', `brief-${brief.id}`, `brief-${other.id}`, `story-${story.id}`]);
    await expectCacheable(homePath('en'), ['lang-en', `brief-${brief.id}`, `story-${story.id}`]);
    await expectCacheable(homePath('uk'), ['lang-uk', `brief-${other.id}`]);
    await expectCacheable(briefPath(brief), [`brief-${brief.id}`, `story-${story.id}`, `entity-${entity.id}`]);
    await expectCacheable(storyPath(story, 'en'), [`story-${story.id}`, `story-briefs-${story.id}`, `brief-${brief.id}`, `entity-${entity.id}`]);
    await expectCacheable(entityPath(entity, 'en'), [`entity-${entity.id}`, `entity-briefs-${entity.id}`, `brief-${brief.id}`, `story-${story.id}`]);
    await expectCacheable(`${searchPath('en')}?q=lower`, ['home', `brief-${brief.id}`]);
    await expectCacheable(backgroundItemPath(story, item.id, 'en'), [`story-${story.id}`]);
    await expectCacheable('/sitemap.xml', ['feeds']);
    await expectCacheable('/feed.xml', ['feeds', `brief-${brief.id}`]);
    await expectCacheable(`${homePath('en')}feed.json`, ['lang-en', `brief-${brief.id}`]);
  });

  it('names only what a page shows: the Ukrainian home does not carry the English brief', async () => {
    const { brief } = await seed();
    expect(surrogateKeys(await get(homePath('uk')))).not.toContain(`brief-${brief.id}`);
    expect(surrogateKeys(await get(homePath('uk')))).not.toContain('home');
  });

  it('gives a changed page a new ETag, so an old copy is not confirmed after a correction', async () => {
    const { brief } = await seed();
    const before = await get(briefPath(brief));
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'Water reaches the upper town' }, 'The town was misnamed.');
    const after = await get(briefPath(brief), { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Water reaches the upper town');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('keeps a signed-in reader\'s brief page to themselves: no-store, no keys, no ETag', async () => {
    const { brief } = await seed();
    const { sessionId } = await signUpReader({
      db: t.db, input: { displayName: 'Olena', email: `reader-${Date.now()}@newsdesk.test`, password: 'long enough password' },
    });
    const client = deskClient(t.app);
    client.cookies.set('nd_session', sessionId);
    const res = await client.get(briefPath(brief));
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(PRIVATE_CACHE_CONTROL);
    expect(res.headers['surrogate-key']).toBeUndefined();
    expect(res.headers['cache-tag']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
  });

  it('never lets a cache keep a server fault, on the site or the API', async () => {
    const { brief } = await seed();
    await t.db.destroy();
    for (const url of ['/', briefPath(brief), `/api/v1/briefs/${brief.id}`, '/api/v1/briefs']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(500);
      expect(res.headers['cache-control'], url).toBe(PRIVATE_CACHE_CONTROL);
      expect(res.headers['surrogate-key'], url).toBeUndefined();
    }
  });
});

describe('public API reads', () => {
  it('a brief, the lists and search share the policy, ETags and keys', async () => {
    const { story, entity, brief } = await seed();
    await expectCacheable(`/api/v1/briefs/${brief.id}`, [`brief-${brief.id}`, `story-${story.id}`]);
    await expectCacheable(`/api/v1/briefs/${brief.id}?format=text`, [`brief-${brief.id}`]);
    await expectCacheable('/api/v1/briefs', ['home', `brief-${brief.id}`]);
    await expectCacheable(`/api/v1/briefs?story=${story.id}`, [`story-briefs-${story.id}`, `brief-${brief.id}`]);
    await expectCacheable(`/api/v1/briefs?entity=${entity.id}`, [`entity-briefs-${entity.id}`, `brief-${brief.id}`]);
    await expectCacheable('/api/v1/briefs?language=uk', ['lang-uk']);
    await expectCacheable('/api/v1/stories', ['stories']);
    await expectCacheable(`/api/v1/stories/${story.id}`, [`story-${story.id}`]);
    await expectCacheable('/api/v1/entities', ['entities']);
    await expectCacheable(`/api/v1/entities/${entity.id}`, [`entity-${entity.id}`]);
    await expectCacheable('/api/v1/search?q=lower', ['home', `brief-${brief.id}`]);
    await expectCacheable(`/api/v1/briefs/${brief.id}/comments`, [`brief-${brief.id}`]);
    await expectCacheable('/api/v1/ninjs/recent', ['feeds', `brief-${brief.id}`]);
  });

  it('keeps the revision ETag of a brief, which If-Match on writes relies on', async () => {
    const { brief } = await seed();
    const res = await get(`/api/v1/briefs/${brief.id}`);
    expect(res.headers.etag).toBe(`"${brief.revision}"`);
  });

  it('keeps a draft read with a token out of every cache', async () => {
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput());
    const { token } = await makeToken(t.db, 'editor');
    const res = await get(`/api/v1/briefs/${draft.id}`, { authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(PRIVATE_CACHE_CONTROL);
    expect(res.headers['surrogate-key']).toBeUndefined();
    const repeat = await get(`/api/v1/briefs/${draft.id}`, { authorization: `Bearer ${token}`, 'if-none-match': String(res.headers.etag) });
    expect(repeat.statusCode).toBe(200);
  });
});

describe('etagOf', () => {
  it('depends on every byte of the body', () => {
    expect(etagOf('a brief')).toBe(etagOf(Buffer.from('a brief')));
    expect(etagOf('a brief')).not.toBe(etagOf('a brief.'));
  });
});

describe('purges', () => {
  const event = (type: DomainEvent['type'], subjectId: string, payload: Record<string, unknown> = {}): DomainEvent =>
    ({ id: 'e1', type, subjectId, actorId: null, payload, createdAt: '2026-11-29T22:00:00.000Z' });

  it('maps a correction to exactly the brief, its story, entities, language, the lists and the feeds', async () => {
    const { story, entity, brief } = await seed();
    const purger = createRecordingPurger();
    const subscription = purgeCacheOnChange({ bus: t.bus, db: t.db, purger });
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'Water reaches the upper town' }, 'The town was misnamed.');
    // The writer is answered before the purge runs: nothing is purged synchronously.
    expect(purger.recent).toEqual([]);
    await subscription.idle();
    subscription.stop();
    expect(purger.recent).toHaveLength(1);
    expect(purger.recent[0]!.eventType).toBe('brief.corrected');
    expect([...purger.recent[0]!.keys].sort()).toEqual(
      [`brief-${brief.id}`, `story-briefs-${story.id}`, `entity-briefs-${entity.id}`, 'lang-en', 'home', 'feeds'].sort(),
    );
  });

  it('purges the keys the pages name for each other kind of change, and nothing for unseen ones', () => {
    expect(purgeKeysFor(event('story.changed', 's1'), null).sort()).toEqual(['stories', 'story-s1']);
    expect(purgeKeysFor(event('background.changed', 's1', { itemId: 'i1' }), null)).toEqual(['story-background-s1', 'background-item-i1']);
    expect(purgeKeysFor(event('background.changed', 's1', { itemIds: ['i1', 'i2'] }), null))
      .toEqual(['story-background-s1', 'background-item-i1', 'background-item-i2']);
    // Not saying which items changed, it could touch any brief page naming the story.
    expect(purgeKeysFor(event('background.changed', 's1'), null)).toEqual(['story-background-s1', 'story-s1']);
    expect(purgeKeysFor(event('entity.changed', 'n1'), null).sort()).toEqual(['entities', 'entity-n1']);
    expect(purgeKeysFor(event('comment.added', 'b1', { commentId: 'c1' }), null)).toEqual(['brief-b1']);
    expect(purgeKeysFor(event('comment.deleted', 'b1', { commentId: 'c1' }), null)).toEqual(['brief-b1']);
    expect(purgeKeysFor(event('comment.policy_changed', 's1', { scope: 'story' }), null)).toEqual(['story-s1']);
    expect(purgeKeysFor(event('brief.retracted', 'b1'), { language: 'uk', storyId: null, entityIds: [] }).sort())
      .toEqual(['brief-b1', 'feeds', 'home', 'lang-uk']);
    expect(purgeKeysFor(event('comment.flagged', 'b1'), null)).toEqual([]);
    expect(purgeKeysFor(event('moderation.settings_changed', 'site'), null)).toEqual([]);
  });

  it('reports a failing purger and keeps purging later events', async () => {
    const { brief } = await seed();
    const failures: string[] = [];
    let calls = 0;
    const subscription = purgeCacheOnChange({
      bus: t.bus, db: t.db,
      purger: { purge: async () => { calls += 1; if (calls === 1) throw new Error('CDN down'); } },
      onError: (err, e) => failures.push(`${e.type}: ${(err as Error).message}`),
    });
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'Water reaches the upper town' }, 'The town was misnamed.');
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'Water reaches the old town' }, 'Misnamed again.');
    await subscription.idle();
    subscription.stop();
    expect(failures).toEqual(['brief.corrected: CDN down']);
    expect(calls).toBe(2);
  });
});
