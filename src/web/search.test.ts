import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { retractBrief } from '../content/briefs.js';
import { createEntity } from '../content/entities.js';
import type { BriefInput } from '../content/schema.js';
import type { Entity, Story } from '../content/types.js';
import { buildTestApp, makeBareBrief, makeStory, type TestContext } from '../test/factories.js';
import { vnuErrors } from '../test/vnu.js';

// One app for the file: the pages only read, and the content is seeded once.
let t: TestContext;
let person: Entity;
let story: Story;
const ids: Record<string, string> = {};

const publish = (overrides: Partial<BriefInput>) => makeBareBrief(t.deps, overrides);

beforeAll(async () => {
  t = await buildTestApp();
  story = await makeStory(t.deps, 'Mutiny in Rostov');
  person = await createEntity(t.deps, CLI_ACTOR, { kind: 'person', names: { en: 'Yevgeny Prigozhin', uk: 'Євген Пригожин', ru: 'Евгений Пригожин' }, aliases: [] });
  ids.uk = (await publish({ language: 'uk', headline: 'Пригожин оголосив про відхід колон', storyId: story.id, publishedAt: '2026-06-24T17:00:00Z', details: ['Колони розвертаються на Ростов.'] })).id;
  ids.ru = (await publish({ language: 'ru', headline: 'Колонна подошла к Кремлю', publishedAt: '2026-06-24T12:00:00Z', details: ['Пригожину предложили выехать в Беларусь.'] })).id;
  ids.en = (await publish({ headline: 'The mutiny is over', entityIds: [person.id], publishedAt: '2026-06-25T08:00:00Z', details: ['The Wagner chief agreed to leave.'] })).id;
  ids.script = (await publish({ headline: 'Someone typed <script>alert("x")</script> mutinies & <b>tags</b>', publishedAt: '2026-06-22T08:00:00Z' })).id;
  const retracted = await publish({ headline: 'Mutiny spreads to Voronezh', publishedAt: '2026-06-24T09:00:00Z' });
  await retractBrief(t.deps, CLI_ACTOR, retracted.id, 'The report was wrong.');
  ids.retracted = retracted.id;
});
afterAll(async () => { await t.close(); });

const get = (url: string) => t.app.inject({ method: 'GET', url });
const hrefs = (html: string) => [...html.matchAll(/href="\/news\/([^"#]+)"/g)].map((m) => m[1]);
const slugOf = async (id: string) => (await t.db.selectFrom('briefs').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;

describe('the search page', () => {
  it('uk: "Пригожина" finds the briefs that say "Пригожин" or are tagged with him, with the word marked', async () => {
    const res = await get(`/uk/search?q=${encodeURIComponent('Пригожина')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="uk"');
    expect(res.body).toContain('<h1>Пошук</h1>');
    expect(hrefs(res.body).sort()).toEqual([await slugOf(ids.uk!), await slugOf(ids.ru!), await slugOf(ids.en!)].sort());
    expect(res.body).toContain('3 результати');
    expect(res.body).toContain('<mark>Пригожин</mark> оголосив');
    expect(res.body).toContain('<mark>Пригожину</mark> предложили');
    // The entity the query names, linked in the page's language.
    expect(res.body).toMatch(/<a href="\/uk\/entities\/[^"]+">Євген Пригожин<\/a>/);
  });

  it('ru: "Кремлём" finds "Кремлю" and counts with Russian plural forms', async () => {
    const res = await get(`/ru/search?q=${encodeURIComponent('Кремлём')}`);
    expect(res.body).toContain('<html lang="ru"');
    expect(hrefs(res.body)).toEqual([await slugOf(ids.ru!)]);
    expect(res.body).toContain('1 результат<');
    expect(res.body).toContain('<mark>Кремлю</mark>');
  });

  it('en: "mutiny" finds "mutinies"; a brief\'s markup comes out as inert text; a retraction is marked', async () => {
    const res = await get('/en/search?q=mutiny');
    expect(res.body).toContain('<html lang="en"');
    expect(hrefs(res.body).sort()).toEqual([await slugOf(ids.en!), await slugOf(ids.script!), await slugOf(ids.retracted!)].sort());
    expect(res.body).toContain('3 results');
    // Preact escapes < and & in text (">" needs no escaping there).
    expect(res.body).toContain('Someone typed &lt;script>alert(&quot;x&quot;)&lt;/script> <mark>mutinies</mark> &amp; &lt;b>tags&lt;/b>');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).not.toContain('<b>tags');
    expect(res.body).toMatch(/<span class="tag tag-retracted">Retracted<\/span>/);
  });

  it('narrows by entity and date range, and keeps the choices in the form', async () => {
    const all = await get('/en/search?q=&entity=&from=2026-06-24&to=2026-06-24');
    expect(hrefs(all.body).sort()).toEqual([await slugOf(ids.uk!), await slugOf(ids.ru!), await slugOf(ids.retracted!)].sort());
    const tagged = await get(`/en/search?entity=${person.id}&from=2026-06-25&to=2026-06-25&utm_source=feed`);
    expect(tagged.statusCode).toBe(200);
    expect(hrefs(tagged.body)).toEqual([await slugOf(ids.en!)]);
    expect(tagged.body).toContain(`<option value="${person.id}" selected>`);
    expect(tagged.body).toContain('name="from" value="2026-06-25"');
    const byStory = await get(`/en/search?q=${encodeURIComponent('Пригожин')}&story=${story.id}&status=published&language=uk`);
    expect(hrefs(byStory.body)).toEqual([await slugOf(ids.uk!)]);
  });

  it('shows the form and a prompt with nothing asked, and says so when nothing is found', async () => {
    const empty = await get('/uk/search');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('<form class="search-form" method="get" action="/uk/search" role="search">');
    expect(empty.body).toContain('class="search-prompt"');
    const none = await get('/en/search?q=zeppelin');
    expect(none.body).toContain('0 results');
    expect(none.body).toContain('Nothing found.');
  });

  it('answers a bad filter with a 400 page naming the field in the page\'s language, never a 500', async () => {
    const cases: [string, string, string][] = [
      ['/uk/search?q=x&from=2026-02-30', 'from', 'Від'],
      ['/en/search?q=x&to=2026-99-99', 'to', 'To'],
      ['/en/search?q=x&language=de', 'language', 'Language'],
      ['/ru/search?q=x&status=draft', 'status', 'Статус'],
      ['/en/search?q=x&story=nosuch', 'story', 'Story'],
      ['/en/search?q=x&from=2026-06-25&to=2026-06-24', 'to', 'To'],
      ['/en/search?q=x&cursor=forged', 'cursor', 'Page'],
      ['/en/search?q=a&q=b', 'q', 'Words or names'],
      [`/en/search?q=${'x'.repeat(201)}`, 'q', 'Words or names'],
    ];
    for (const [url, field, label] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body, url).toContain(`<li data-field="${field}"><strong>${label}</strong>`);
    }
    expect((await get('/en/search?q=x&from=2026-06-25&to=2026-06-24')).body).toContain('the range ends before it starts');
  });

  it('pages with a "More results" link that carries the query', async () => {
    for (let i = 0; i < 21; i++) await publish({ headline: `Convoy sighting number ${i}`, publishedAt: '2026-06-20T08:00:00Z' });
    const first = await get('/en/search?q=convoy');
    expect(hrefs(first.body)).toHaveLength(20);
    const more = /<a rel="next" href="([^"]+)">/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    expect(more).toMatch(/^\/en\/search\?q=convoy&cursor=/);
    const second = await get(more);
    expect(hrefs(second.body)).toHaveLength(1);
    expect(second.body).not.toContain('rel="next"');
  });

  it('sends /search to the English page with the query', async () => {
    const res = await get('/search?q=mutiny&language=en');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/en/search?q=mutiny&language=en');
  });

  it('passes the Nu HTML Checker in uk, en and ru, with results, nothing found and refused filters', { timeout: 120_000 }, async () => {
    const urls = [
      `/uk/search?q=${encodeURIComponent('Пригожина')}`, '/uk/search', `/ru/search?q=${encodeURIComponent('Кремль')}&status=published`,
      '/ru/search?q=x&from=bad', '/en/search?q=mutiny', '/en/search?q=zeppelin', `/en/search?entity=${person.id}`,
    ];
    const pages: Record<string, string> = {};
    for (const [i, url] of urls.entries()) pages[`page-${i}`] = (await get(url)).body;
    expect(await vnuErrors(pages)).toEqual([]);
  });
});
