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
    expect(list.json()).toEqual({ items: [expect.objectContaining({ id: story.id, url: `http://newsdesk.test/stories/${story.slug}` })], next: null });

    const one = (await t.app.inject({ method: 'GET', url: `/api/v1/stories/${story.id}` })).json();
    expect(one).toMatchObject({ id: story.id, title: story.title, status: 'developing' });
    expect(one.background.map((i: { id: string }) => i.id)).toEqual([first.id, second.id]);
    expect(one.background[1]).toMatchObject({ text: 'Officials claim it was inspected.', status: 'claimed', position: 2 });
  });

  it('lists and shows entities with every name', async () => {
    const entity = await makeEntity(t.deps, 'Ihor Klymenko');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/entities' })).json()).toEqual({
      items: [{ id: entity.id, slug: entity.slug, url: `http://newsdesk.test/entities/${entity.slug}`, kind: 'person', names: entity.names, aliases: [] }],
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
