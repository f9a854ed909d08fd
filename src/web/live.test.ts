import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { encodeCursor } from '../common/cursor.js';
import { newId } from '../common/ids.js';
import { correctBrief, createBrief, publishBrief, retractBrief, updateBrief } from '../content/briefs.js';
import { briefsTopic, storyTopic } from '../live/hub.js';
import { briefInput, buildTestApp, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { readSse } from '../test/sse.js';
import { newUpdatesText } from './live-messages.js';
import { homePath, storyPath } from './paths.js';
import { firstPageOf } from './views/LiveUpdates.js';

let t: TestContext;
let address: string;
beforeAll(async () => {
  t = await buildTestApp();
  address = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

interface OpenStream {
  /** The next `brief` event's data (keep-alives, retry lines and other events skipped). */
  next(): Promise<Record<string, unknown>>;
  /** Every block received so far, as sent. */
  received: string[];
  close(): void;
}

/** Opens an event stream of the reader site; the server is listening once the headers are in. */
async function openStream(path: string): Promise<OpenStream> {
  const controller = new AbortController();
  const res = await fetch(`${address}${path}`, { signal: controller.signal });
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events = readSse(res.body!, `the stream ${path}`);
  return {
    received: events.received,
    next: () => events.next('brief'),
    close: () => controller.abort(),
  };
}

describe('live brief updates over SSE', () => {
  it('tells the right language, all-languages and story streams of a publication, and nothing of a draft', { timeout: 20_000 }, async () => {
    const storyA = await makeStory(t.deps);
    const storyB = await makeStory(t.deps);
    const uk = await openStream('/live/briefs?lang=uk');
    const en = await openStream('/live/briefs?lang=en');
    const ru = await openStream('/live/briefs?lang=ru');
    const all = await openStream('/live/briefs');
    const onA = await openStream(`/live/stories/${storyA.id}`);
    const onB = await openStream(`/live/stories/${storyB.id}`);
    try {
      expect(t.app.live.listenerCount(briefsTopic('uk'))).toBe(1);
      expect(t.app.live.listenerCount(storyTopic(storyA.id))).toBe(1);

      // A draft, saved twice: readers must not hear of it.
      const headline = 'Чернетка: ще не для читачів';
      const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ language: 'uk', storyId: storyA.id, headline }));
      await updateBrief(t.deps, CLI_ACTOR, draft.id, { headline: `${headline} (2)` });
      const published = await publishBrief(t.deps, CLI_ACTOR, draft.id);
      const publishedNews = { briefId: draft.id, kind: 'published', publishedAt: published.publishedAt };
      // Events leave in commit order, so a message about the draft would have come first.
      expect(await uk.next()).toEqual(publishedNews);
      expect(await all.next()).toEqual(publishedNews);
      expect(await onA.next()).toEqual(publishedNews);

      // An English brief in the other story: its streams hear of it, and it is the first thing
      // they hear, so the Ukrainian brief and the draft never reached them.
      const english = await makePublishedBrief(t.deps, { language: 'en', storyId: storyB.id });
      const englishNews = { briefId: english.id, kind: 'published', publishedAt: english.publishedAt };
      expect(await en.next()).toEqual(englishNews);
      expect(await onB.next()).toEqual(englishNews);
      expect(await all.next()).toEqual(englishNews);

      const corrected = await correctBrief(t.deps, CLI_ACTOR, draft.id, { details: ['Виправлено: 400 людей.'] }, 'The number was wrong');
      expect(corrected.status).toBe('corrected');
      const correctedNews = { briefId: draft.id, kind: 'corrected', publishedAt: published.publishedAt };
      expect(await uk.next()).toEqual(correctedNews);
      expect(await onA.next()).toEqual(correctedNews);
      expect(await all.next()).toEqual(correctedNews);

      await retractBrief(t.deps, CLI_ACTOR, draft.id, 'The source withdrew it');
      expect(await onA.next()).toEqual({ briefId: draft.id, kind: 'retracted', publishedAt: published.publishedAt });

      // A Russian brief with no story is the Russian stream's first news; the others' next is it too.
      const russian = await makePublishedBrief(t.deps, { language: 'ru' });
      expect(await ru.next()).toEqual({ briefId: russian.id, kind: 'published', publishedAt: russian.publishedAt });
      expect(await uk.next()).toEqual({ briefId: draft.id, kind: 'retracted', publishedAt: published.publishedAt });
      const last = await makePublishedBrief(t.deps, { language: 'uk', storyId: storyA.id });
      expect(await uk.next()).toEqual({ briefId: last.id, kind: 'published', publishedAt: last.publishedAt });
      expect(await onA.next()).toEqual({ briefId: last.id, kind: 'published', publishedAt: last.publishedAt });
      // Only ids, kinds and dates go out: not a word of any brief, published or not.
      const sent = [uk, en, ru, all, onA, onB].flatMap((stream) => stream.received).join('\n');
      expect(sent).not.toContain('Чернетка');
      expect(sent).not.toContain(english.headline);
    } finally {
      for (const stream of [uk, en, ru, all, onA, onB]) stream.close();
    }
  });
});

describe('live stream routes', () => {
  it('answers 404 for a story that does not exist and 400 for a language the site does not have', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/live/stories/nosuchstory' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/live/briefs?lang=de' })).statusCode).toBe(400);
  });

  it('stops listening when the reader leaves', { timeout: 10_000 }, async () => {
    const story = await makeStory(t.deps);
    const stream = await openStream(`/live/stories/${story.id}`);
    expect(t.app.live.listenerCount(storyTopic(story.id))).toBe(1);
    stream.close();
    for (let i = 0; i < 50 && t.app.live.listenerCount(storyTopic(story.id)) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(t.app.live.listenerCount(storyTopic(story.id))).toBe(0);
  });
});

describe('live updates on the home and story pages', () => {
  /** The live spot of a page: its stream, the link's target and the link's text. */
  function liveSpotOf(html: string): { stream: string; href: string; linkHref: string; text: string } | null {
    const match = /<div class="live-updates" lang="[a-z]+" aria-live="polite" data-live="([^"]+)" data-href="([^"]+)"><p class="live-updates-check"><a href="([^"]+)">([^<]+)<\/a><\/p><\/div><script type="module" src="\/assets\/updates-live.js"><\/script>/.exec(html);
    return match ? { stream: match[1]!, href: match[2]!, linkHref: match[3]!, text: match[4]! } : null;
  }
  const unescape = (s: string) => s.replace(/&amp;/g, '&');

  it('a story page links to itself for readers without JavaScript and names its story\'s stream for the island', async () => {
    const story = await makeStory(t.deps);
    await makePublishedBrief(t.deps, { storyId: story.id });
    for (const [language, text] of [['en', 'Check for new updates'], ['uk', 'Перевірити, чи є нові оновлення'], ['ru', 'Проверить, есть ли новые обновления']] as const) {
      const path = storyPath(story, language);
      const res = await t.app.inject({ method: 'GET', url: path });
      expect(res.statusCode, path).toBe(200);
      const spot = liveSpotOf(res.body);
      expect(spot, path).not.toBeNull();
      expect(spot!.stream).toBe(`/live/stories/${story.id}`);
      expect(spot!.linkHref).toBe(path);
      expect(spot!.href).toBe(path);
      expect(spot!.text).toBe(text);
    }
    // On an older page the link goes to the first, where new briefs land.
    const cursor = encodeCursor({ at: '2026-11-25T08:00:00.000Z', id: newId() });
    const older = await t.app.inject({ method: 'GET', url: `${storyPath(story, 'en')}?cursor=${cursor}` });
    expect(older.statusCode).toBe(200);
    expect(unescape(liveSpotOf(older.body)?.linkHref ?? '')).toBe(storyPath(story, 'en'));
  });

  it('a home page names its language\'s stream', async () => {
    await makePublishedBrief(t.deps, { language: 'uk' });
    const res = await t.app.inject({ method: 'GET', url: homePath('uk') });
    expect(res.statusCode).toBe(200);
    const spot = liveSpotOf(res.body);
    expect(spot).not.toBeNull();
    expect(unescape(spot!.stream)).toBe('/live/briefs?lang=uk');
    expect(spot!.linkHref).toBe(homePath('uk'));
    expect(spot!.text).toBe('Перевірити, чи є нові оновлення');
  });

  it('drops only the cursor from the page the link reloads', () => {
    expect(firstPageOf('/uk/stories/dam?cursor=abc')).toBe('/uk/stories/dam');
    expect(firstPageOf('/?lang=uk&cursor=abc')).toBe('/?lang=uk');
    expect(firstPageOf('/en/')).toBe('/en/');
  });
});

describe('the island\'s "N new updates"', () => {
  it('takes the plural form each language asks for', () => {
    const cases: [Parameters<typeof newUpdatesText>[0], number, string][] = [
      ['en', 1, '1 new update'], ['en', 2, '2 new updates'], ['en', 5, '5 new updates'],
      ['uk', 1, '1 нове оновлення'], ['uk', 2, '2 нові оновлення'], ['uk', 4, '4 нові оновлення'], ['uk', 5, '5 нових оновлень'],
      ['uk', 11, '11 нових оновлень'], ['uk', 21, '21 нове оновлення'], ['uk', 22, '22 нові оновлення'],
      ['ru', 1, '1 новое обновление'], ['ru', 2, '2 новых обновления'], ['ru', 5, '5 новых обновлений'],
      ['ru', 12, '12 новых обновлений'], ['ru', 21, '21 новое обновление'], ['ru', 34, '34 новых обновления'],
    ];
    for (const [language, count, text] of cases) expect(newUpdatesText(language, count), `${language} ${count}`).toBe(text);
  });
});
