import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { addBackgroundItem } from '../content/stories.js';
import { buildTestApp, makeEntity, makeStory, makeToken, type TestContext } from '../test/factories.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

describe('stories and entities', () => {
  it('lists stories as {items, next} and shows one with its background ledger in order', async () => {
    const story = await makeStory(t.deps);
    const first = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The dam was built in 1961.', status: 'confirmed' });
    const second = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Officials claim it was inspected.', status: 'claimed' });

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/stories' });
    expect(list.json()).toEqual({ items: [expect.objectContaining({ id: story.id, url: `http://newsdesk.test/${story.language}/stories/${story.slug}` })], next: null });

    const one = (await t.app.inject({ method: 'GET', url: `/api/v1/stories/${story.id}` })).json();
    expect(one).toMatchObject({ id: story.id, title: story.title, status: 'developing' });
    expect(one.background.map((i: { id: string }) => i.id)).toEqual([first.id, second.id]);
    expect(one.background[1]).toMatchObject({ text: 'Officials claim it was inspected.', status: 'claimed', position: 2 });
  });

  it('lists and shows entities with every name', async () => {
    const entity = await makeEntity(t.deps, 'Ihor Klymenko');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/entities' })).json()).toEqual({
      items: [{ id: entity.id, slug: entity.slug, url: `http://newsdesk.test/en/entities/${entity.slug}`, kind: 'person', names: entity.names, aliases: [] }],
      next: null,
    });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/entities/${entity.id}` })).json()).toMatchObject({ id: entity.id, names: { en: 'Ihor Klymenko' } });
  });

  it('answers 404 with the error body for unknown ids and unknown API routes', async () => {
    for (const url of ['/api/v1/stories/nope', '/api/v1/entities/nope', '/api/v1/nothing-here']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(res.json().error.code, url).toBe('not_found');
    }
  });

  it('creates a story and adds background, refusing an unknown attribution entity', async () => {
    const { token } = await makeToken(t.db, 'editor');
    const headers = { authorization: `Bearer ${token}` };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/stories', headers, payload: { title: 'Floods in the south', language: 'en' } });
    expect(created.statusCode).toBe(201);
    const story = created.json();
    expect(story).toMatchObject({ title: 'Floods in the south', status: 'developing' });

    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/stories/${story.id}/background`, headers, payload: { text: 'Claimed by the mayor.', status: 'claimed', attributionEntityId: 'nope' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ path: 'attributionEntityId', reason: 'no entity with this id' }]);

    const added = await t.app.inject({ method: 'POST', url: `/api/v1/stories/${story.id}/background`, headers, payload: { text: 'Claimed by the mayor.', status: 'claimed' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ storyId: story.id, position: 1, status: 'claimed' });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stories/${story.id}` })).json().background).toHaveLength(1);
  });
});

describe('background item history', () => {
  it('changes an item with the source of the change and answers its history, oldest first', async () => {
    const { token } = await makeToken(t.db, 'editor');
    const headers = { authorization: `Bearer ${token}` };
    const story = await makeStory(t.deps);
    const added = await t.app.inject({ method: 'POST', url: `/api/v1/stories/${story.id}/background`, headers, payload: { text: 'Prigozhin claimed the march would go on.', status: 'claimed', changeSource: 'Telegram' } });
    expect(added.statusCode).toBe(201);
    const itemId = added.json().id as string;

    const changed = await t.app.inject({
      method: 'PUT', url: `/api/v1/stories/${story.id}/background/${itemId}`, headers,
      payload: { text: 'Prigozhin turned the march back.', status: 'confirmed', attributionSource: 'Kremlin', changeSource: 'Reuters' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ id: itemId, text: 'Prigozhin turned the march back.', status: 'confirmed', attributionSource: 'Kremlin' });
    expect(changed.json()).not.toHaveProperty('changeSource');

    const res = await t.app.inject({ method: 'GET', url: `/api/v1/stories/${story.id}/background/${itemId}/history` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['changes', 'item']);
    expect(body.item).toMatchObject({ id: itemId, storyId: story.id, status: 'confirmed' });
    expect(body.changes).toHaveLength(2);
    expect(Object.keys(body.changes[0]).sort()).toEqual(['attributionEntityId', 'attributionSource', 'changedAt', 'changedBy', 'id', 'kind', 'source', 'status', 'text']);
    expect(body.changes.map((c: Record<string, unknown>) => [c.kind, c.status, c.text, c.source, c.changedBy, c.attributionSource])).toEqual([
      ['created', 'claimed', 'Prigozhin claimed the march would go on.', 'Telegram', 'token test-editor', null],
      ['edited', 'confirmed', 'Prigozhin turned the march back.', 'Reuters', 'token test-editor', 'Kremlin'],
    ]);
    expect(Date.parse(body.changes[0].changedAt)).toBeLessThanOrEqual(Date.parse(body.changes[1].changedAt));
  });

  it('answers 404 for an item of another story, 401 for a change without a token', async () => {
    const [story, other] = [await makeStory(t.deps), await makeStory(t.deps)];
    const item = await addBackgroundItem(t.deps, CLI_ACTOR, other.id, { text: 'Elsewhere.', status: 'claimed' });
    for (const url of [`/api/v1/stories/${story.id}/background/${item.id}/history`, `/api/v1/stories/${story.id}/background/nope/history`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('not_found');
    }
    const { token } = await makeToken(t.db, 'editor');
    const put = (headers: Record<string, string>) => t.app.inject({ method: 'PUT', url: `/api/v1/stories/${story.id}/background/${item.id}`, headers, payload: { text: 'Elsewhere.', status: 'denied' } });
    expect((await put({})).statusCode).toBe(401);
    expect((await put({ authorization: `Bearer ${token}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/stories/${other.id}/background/${item.id}/history` })).json().changes.map((c: { status: string }) => c.status)).toEqual(['claimed']);
  });
});
