import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { createEntity } from '../content/entities.js';
import type { BriefInput } from '../content/schema.js';
import type { SearchPageJson } from '../search/presenter.js';
import { briefInput, buildTestApp, makeBareBrief, makeStory, makeToken, type TestContext } from '../test/factories.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const publish = (overrides: Partial<BriefInput>) => makeBareBrief(t.deps, overrides);

async function search(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?${query}` });
  return { status: res.statusCode, body: res.json() as SearchPageJson & { error?: { code: string; fields: { path: string; reason: string }[] } } };
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('GET /api/v1/search', () => {
  it('finds a brief in each language by an inflected form, with plain-text highlights and offsets', async () => {
    const uk = await publish({ language: 'uk', headline: 'Пригожин оголосив про відхід', publishedAt: '2026-06-24T10:00:00Z' });
    const ru = await publish({ language: 'ru', headline: 'Колонна подошла к Кремлю', publishedAt: '2026-06-24T11:00:00Z' });
    const en = await publish({ headline: 'The mutiny is over', publishedAt: '2026-06-24T12:00:00Z' });
    const ukRes = await search(q({ q: 'Пригожина' }));
    expect(ukRes.status).toBe(200);
    expect(ukRes.body.items.map((i) => i.id)).toEqual([uk.id]);
    expect(ukRes.body.items[0]).toMatchObject({
      url: `http://newsdesk.test/news/${uk.slug}`, language: 'uk', status: 'published', publishedAt: '2026-06-24T10:00:00.000Z',
      headline: { text: 'Пригожин оголосив про відхід', ranges: [{ start: 0, end: 8 }] },
    });
    expect((await search(q({ q: 'Кремлём' }))).body.items.map((i) => i.id)).toEqual([ru.id]);
    expect((await search(q({ q: 'mutinies' }))).body.items.map((i) => i.id)).toEqual([en.id]);
    expect(ukRes.body).toMatchObject({ total: 1, next: null });
  });

  it('finds briefs tagged with an entity the query names, in every language, and lists the entity', async () => {
    const person = await createEntity(t.deps, CLI_ACTOR, { kind: 'person', names: { en: 'Yevgeny Prigozhin', uk: 'Євген Пригожин', ru: 'Евгений Пригожин' }, aliases: [] });
    const english = await publish({ headline: 'The Wagner chief leaves for Belarus', entityIds: [person.id] });
    const res = await search(q({ q: 'Пригожин' }));
    expect(res.body.items.map((i) => i.id)).toEqual([english.id]);
    expect(res.body.items[0]!.snippet).toBeNull();
    expect(res.body.entities).toEqual([{
      id: person.id, slug: person.slug, url: expect.stringContaining(person.slug) as string, kind: 'person',
      names: { en: 'Yevgeny Prigozhin', uk: 'Євген Пригожин', ru: 'Евгений Пригожин' },
    }]);
  });

  it('narrows by entity and by a date range of whole days in the site\'s zone', async () => {
    const person = await createEntity(t.deps, CLI_ACTOR, { kind: 'person', names: { en: 'Dmitry Utkin', uk: 'Дмитро Уткін', ru: 'Дмитрий Уткин' }, aliases: [] });
    // The site's zone is Europe/Kyiv (UTC+3 in June): 23 June 22:30 UTC is already the 24th there.
    const lateOn23 = await publish({ headline: 'Columns move', entityIds: [person.id], publishedAt: '2026-06-23T20:30:00Z' });
    const earlyOn24 = await publish({ headline: 'Columns near Voronezh', entityIds: [person.id], publishedAt: '2026-06-23T22:30:00Z' });
    const untagged = await publish({ headline: 'Columns in Rostov', publishedAt: '2026-06-24T12:00:00Z' });
    const on25 = await publish({ headline: 'Columns turn back', entityIds: [person.id], publishedAt: '2026-06-25T09:00:00Z' });
    const ids = async (params: Record<string, string>) => (await search(q(params))).body.items.map((i) => i.id).sort();
    expect(await ids({ q: 'columns' })).toEqual([lateOn23.id, earlyOn24.id, untagged.id, on25.id].sort());
    expect(await ids({ q: 'columns', entity: person.id })).toEqual([lateOn23.id, earlyOn24.id, on25.id].sort());
    expect(await ids({ q: 'columns', from: '2026-06-24', to: '2026-06-24' })).toEqual([earlyOn24.id, untagged.id].sort());
    expect(await ids({ q: 'columns', from: '2026-06-24', to: '2026-06-24', entity: person.id })).toEqual([earlyOn24.id]);
    expect(await ids({ entity: person.id, from: '2026-06-24T00:00:00Z' })).toEqual([on25.id]);
  });

  it('narrows by story, language and status', async () => {
    const story = await makeStory(t.deps);
    const inStory = await publish({ headline: 'Columns move', storyId: story.id });
    await publish({ language: 'uk', headline: 'Columns stop' });
    expect((await search(q({ q: 'columns', story: story.id }))).body.items.map((i) => i.id)).toEqual([inStory.id]);
    expect((await search(q({ q: 'columns', language: 'en' }))).body.items.map((i) => i.id)).toEqual([inStory.id]);
    expect((await search(q({ q: 'columns', status: 'corrected' }))).body.items).toEqual([]);
  });

  it('pages with an opaque cursor and caps the page size', async () => {
    for (let i = 0; i < 3; i++) await publish({ headline: `Columns seen, report ${i}` });
    const first = await search(q({ q: 'columns', limit: '2' }));
    expect(first.body.items).toHaveLength(2);
    expect(first.body.total).toBe(3);
    const second = await search(q({ q: 'columns', limit: '2', cursor: first.body.next! }));
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next).toBeNull();
    expect(new Set([...first.body.items, ...second.body.items].map((i) => i.id)).size).toBe(3);
    expect((await search(q({ q: 'columns', limit: '51' }))).status).toBe(400);
  });

  it('keeps a brief\'s markup as text in highlights', async () => {
    await publish({ headline: 'Someone typed <script>alert(1)</script> columns' });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?${q({ q: 'columns' })}` });
    expect(res.json<SearchPageJson>().items[0]!.headline.text).toBe('Someone typed <script>alert(1)</script> columns');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers 400 naming the field for bad filters', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ q: 'x', language: 'de' }, 'language'],
      [{ q: 'x', status: 'draft' }, 'status'],
      [{ q: 'x', from: 'yesterday' }, 'from'],
      [{ q: 'x', from: '2026-02-30' }, 'from'],
      [{ q: 'x', to: '2026-13-45' }, 'to'],
      [{ q: 'x', from: '0000-00-00' }, 'from'],
      [{ q: 'x', from: '+275760-09-14T00:00:00Z' }, 'from'],
      [{ q: 'x', from: '2026-06-25', to: '2026-06-24' }, 'to'],
      [{ q: 'x', story: 'nosuchstory' }, 'story'],
      [{ q: 'x', entity: 'nosuchentity' }, 'entity'],
      [{ q: 'x', cursor: 'forged' }, 'cursor'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ q: 'x', colour: 'red' }, 'colour'],
    ];
    for (const [params, field] of cases) {
      const res = await search(q(params));
      expect(res.status, JSON.stringify(params)).toBe(400);
      // Schema failures are named as Fastify names them (querystring.x); the service's own checks by the field.
      expect(res.body.error!.fields.map((f) => f.path.replace(/^querystring\./, '')), JSON.stringify(params)).toContain(field);
    }
  });

  it('finds a brief published through the API in the very next request', async () => {
    const { token } = await makeToken(t.db, 'editor');
    const auth = { authorization: `Bearer ${token}` };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/briefs', headers: auth, payload: briefInput({ headline: 'Zaporizhzhia plant loses power' }) });
    expect((await search(q({ q: 'Zaporizhzhia' }))).body.items).toEqual([]);
    await t.app.inject({ method: 'POST', url: `/api/v1/briefs/${created.json<{ id: string }>().id}/publish`, headers: auth });
    expect((await search(q({ q: 'Zaporizhzhia' }))).body.items.map((i) => i.id)).toEqual([created.json<{ id: string }>().id]);
  });
});
