import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { encodeCursor } from '../common/cursor.js';
import { addComment } from '../comments/service.js';
import { createEntity } from '../content/entities.js';
import { addBackgroundItem, createStory } from '../content/stories.js';
import { linkTranslation, pinBrief } from '../content/timeline.js';
import { LANGUAGES, type Brief, type Entity, type Language, type Story } from '../content/types.js';
import { buildTestApp, makePublishedBrief, type TestContext } from '../test/factories.js';
import { NO_ERRORS } from '../desk/views/fields.js';
import { accountMessagesFor, languageFromAcceptLanguage, messagesFor, plural } from './messages.js';
import { renderDocument } from './render.js';
import { SignUpPage } from './views/AccountPages.js';
import { briefPath, entityPath, homePath, storyPath } from './paths.js';

// The reader site in three languages: every page that exists per language speaks the language of
// its path, a brief speaks its own, and text in another language says so with lang.

let t: TestContext;
let story: Story;
let entity: Entity;
/** Briefs by name: a translation group (dam*), a pinned one (levels) and a Russian one (rescue). */
let b: Record<'damEn' | 'damUk' | 'levels' | 'rescue' | 'loose', Brief>;

beforeAll(async () => {
  t = await buildTestApp();
  story = await createStory(t.deps, CLI_ACTOR, { title: 'Zoriane dam breach', summary: 'Water over the dam at dawn.', language: 'en' });
  entity = await createEntity(t.deps, CLI_ACTOR, { kind: 'place', names: { en: 'Verkhnia Zoria', uk: 'Верхня Зоря', ru: 'Верхняя Заря' }, aliases: [] });
  await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The dam was built in 1961.', status: 'confirmed' });
  const inStory = { storyId: story.id, entityIds: [entity.id] };
  b = {
    damEn: await makePublishedBrief(t.deps, { ...inStory, language: 'en', headline: 'Water breaches the dam', publishedAt: '2026-11-24T05:00:00Z' }),
    damUk: await makePublishedBrief(t.deps, { ...inStory, language: 'uk', headline: 'Вода прорвала греблю', publishedAt: '2026-11-24T05:10:00Z' }),
    levels: await makePublishedBrief(t.deps, { ...inStory, language: 'en', headline: 'Reservoir level falls by a metre', publishedAt: '2026-11-24T09:00:00Z' }),
    rescue: await makePublishedBrief(t.deps, { ...inStory, language: 'ru', headline: 'Спасатели вывезли 1420 человек', publishedAt: '2026-11-24T12:00:00Z' }),
    loose: await makePublishedBrief(t.deps, { language: 'uk', headline: 'Новина поза сюжетом', publishedAt: '2026-11-24T13:00:00Z' }),
  };
  await linkTranslation(t.deps, CLI_ACTOR, b.damEn.id, b.damUk.id);
  await pinBrief(t.deps, CLI_ACTOR, b.levels.id, true);
  await pinBrief(t.deps, CLI_ACTOR, b.damUk.id, true);
  for (const body of ['One', 'Two']) await addComment(t.deps, { briefId: b.levels.id, authorName: 'Reader', body });
});
afterAll(async () => { await t.close(); });

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const htmlLang = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];
/** The hrefs of the language switcher, by language. */
function switcher(html: string): Record<string, string> {
  const nav = /<nav aria-label="[^"]+" class="language-switcher">(.*?)<\/nav>/s.exec(html)?.[1] ?? '';
  return Object.fromEntries([...nav.matchAll(/<a href="([^"]+)" lang="([a-z]+)" hreflang="\2"/g)].map((m) => [m[2], m[1]]));
}
/** Entries of a list section, as the headlines' hrefs in order. */
function listedBriefs(html: string, sectionId: string): string[] {
  const section = new RegExp(`<section id="${sectionId}">(.*?)</section>`, 's').exec(html)?.[1] ?? '';
  return [...section.matchAll(/<a class="brief-item-headline" href="([^"]+)"/g)].map((m) => m[1]!);
}

/** English chrome that must not show on a Ukrainian or Russian page (as whole element texts). */
const ENGLISH_LABELS = ['Latest briefs', 'All languages', 'Search', 'Timeline', 'Background', 'Key events', 'Developing', 'Skip to content', 'Log in / account', 'People, organisations and places'];

function pagesIn(language: Language): Record<string, string> {
  return { home: homePath(language), story: storyPath(story, language), entity: entityPath(entity, language) };
}

describe('pages in every language', () => {
  for (const language of LANGUAGES) {
    it(`speaks ${language} on its home, story and entity pages: html lang, labels, dates`, async () => {
      const m = messagesFor(language);
      for (const [name, url] of Object.entries(pagesIn(language))) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(200);
        expect(htmlLang(res.body), url).toBe(language);
        expect(res.body, url).toContain(`>${m.latestBriefs}</a>`);
        expect(res.body, url).toContain(`<a class="skip-link" href="#main">${m.skipToContent}</a>`);
        if (language !== 'en') {
          for (const label of ENGLISH_LABELS) expect(res.body, `${name}: ${label}`).not.toContain(`>${label}<`);
        }
      }
      const storyHtml = (await get(storyPath(story, language))).body;
      for (const label of [m.timeline, m.background, m.keyEvents, m.entitiesInvolved]) expect(storyHtml).toContain(`<h2>${label}</h2>`);
      expect(storyHtml).toContain(`<span class="tag tag-developing">${m.storyStatus.developing}</span>`);
      expect(storyHtml).toContain(plural(language, m.comments, 2));
      // Dates in the page's language, in the site's zone (09:00 UTC is 11:00 in Kyiv).
      const month = { uk: 'лист.', en: 'Nov', ru: 'нояб.' }[language];
      expect(storyHtml).toMatch(new RegExp(`<time datetime="2026-11-24T09:00:00.000Z">[^<]*${month}[^<]*11:00`));
    });
  }

  it('marks text in another language than the page: story title and summary, headlines, entity names', async () => {
    const uk = (await get(storyPath(story, 'uk'))).body;
    expect(uk).toContain('<h1 lang="en">Zoriane dam breach</h1>');
    expect(uk).toContain('<p class="story-summary" lang="en">Water over the dam at dawn.</p>');
    expect(uk).toContain(`<a class="brief-item-headline" href="${briefPath(b.levels)}" lang="en">Reservoir level falls by a metre</a>`);
    expect(uk).toContain(`<a class="brief-item-headline" href="${briefPath(b.damUk)}">Вода прорвала греблю</a>`);
    expect(uk).toContain(`<a href="${entityPath(entity, 'uk')}">Верхня Зоря</a>`);
    const en = (await get(storyPath(story, 'en'))).body;
    expect(en).toContain('<h1>Zoriane dam breach</h1>');
    expect(en).toContain(`<a href="${entityPath(entity, 'en')}">Verkhnia Zoria</a>`);
    const home = (await get('/')).body;
    expect(home).toContain(`<a class="brief-item-headline" href="${briefPath(b.rescue)}" lang="ru">`);
  });

  it('answers errors in the language of the path, else of the browser', async () => {
    const uk = await get('/uk/stories/no-such-story');
    expect(uk.statusCode).toBe(404);
    expect(htmlLang(uk.body)).toBe('uk');
    expect(uk.body).toContain(`<h1>${messagesFor('uk').errors.notFound.title}</h1>`);
    const ru = await get('/news/no-such-brief', { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' });
    expect(ru.statusCode).toBe(404);
    expect(htmlLang(ru.body)).toBe('ru');
    expect(ru.headers.vary).toContain('accept-language');
  });

  it('serves the all-languages home in the browser\'s language, English by default, and says it varies', async () => {
    for (const [header, language] of [['uk,en;q=0.8', 'uk'], ['de-DE,ru;q=0.5', 'ru'], ['fr', 'en'], [undefined, 'en']] as const) {
      const res = await get('/', header ? { 'accept-language': header } : {});
      expect(htmlLang(res.body), header).toBe(language);
      expect(res.body, header).toContain(`<h1>${messagesFor(language).latestBriefs} — ${messagesFor(language).allLanguages}</h1>`);
      expect(res.headers.vary, header).toContain('accept-language');
      expect(res.headers['content-language'], header).toBe(language);
    }
  });
});

describe('language switcher', () => {
  it('links every per-language page to the same page in the other languages', async () => {
    for (const language of LANGUAGES) {
      for (const url of Object.values(pagesIn(language))) {
        const links = switcher((await get(url)).body);
        const expected = Object.fromEntries(LANGUAGES.map((other) => [other, url.replace(`/${language}/`, `/${other}/`)]));
        expect(links, url).toEqual(expected);
      }
    }
    const olderPage = switcher((await get(`${storyPath(story, 'uk')}?cursor=abc`)).body);
    expect(olderPage.ru).toBe(`${storyPath(story, 'ru')}?cursor=abc`);
  });

  it('links a brief to its translations, and offers no switcher for a brief without any', async () => {
    const html = (await get(briefPath(b.damEn))).body;
    expect(switcher(html)).toEqual({ uk: briefPath(b.damUk), en: briefPath(b.damEn) });
    expect(html).toContain(`<link rel="alternate" hreflang="uk" href="http://newsdesk.test${briefPath(b.damUk)}"/>`);
    expect((await get(briefPath(b.rescue))).body).not.toContain('language-switcher');
  });
});

describe('brief page', () => {
  it('says "Also in" with links to its translations, in its own language', async () => {
    const en = (await get(briefPath(b.damEn))).body;
    expect(en).toContain(`<p class="brief-translations"><span class="also-in">Also in: <a href="${briefPath(b.damUk)}" hreflang="uk" lang="uk" title="Вода прорвала греблю">Українська</a></span></p>`);
    const uk = (await get(briefPath(b.damUk))).body;
    expect(htmlLang(uk)).toBe('uk');
    expect(uk).toContain(`Іншими мовами: <a href="${briefPath(b.damEn)}" hreflang="en" lang="en"`);
    // Its story and entities link to their pages in the brief's language.
    expect(uk).toContain(`href="${storyPath(story, 'uk')}" lang="en">Zoriane dam breach</a>`);
    expect(uk).toContain(`<a href="${entityPath(entity, 'uk')}">Верхня Зоря</a>`);
  });
});

describe('story timeline', () => {
  it('lists a translation group once, in the page\'s language when it has one, newest first', async () => {
    expect(listedBriefs((await get(storyPath(story, 'uk'))).body, 'timeline')).toEqual([briefPath(b.rescue), briefPath(b.levels), briefPath(b.damUk)]);
    expect(listedBriefs((await get(storyPath(story, 'en'))).body, 'timeline')).toEqual([briefPath(b.rescue), briefPath(b.levels), briefPath(b.damEn)]);
    // No Russian version: the story's own language stands for the group.
    const ru = (await get(storyPath(story, 'ru'))).body;
    expect(listedBriefs(ru, 'timeline')).toEqual([briefPath(b.rescue), briefPath(b.levels), briefPath(b.damEn)]);
    expect(ru).toMatch(new RegExp(`${briefPath(b.damEn)}.*?На других языках: <a href="${briefPath(b.damUk)}" hreflang="uk" lang="uk"`, 's'));
    expect(ru).not.toContain('Новина поза сюжетом');
  });

  it('pins key events at the top in the order they happened, each group once', async () => {
    const en = (await get(storyPath(story, 'en'))).body;
    expect(listedBriefs(en, 'key-events')).toEqual([briefPath(b.damEn), briefPath(b.levels)]);
    expect(en.indexOf('id="key-events"')).toBeLessThan(en.indexOf('id="timeline"'));
    expect(listedBriefs((await get(storyPath(story, 'uk'))).body, 'key-events')).toEqual([briefPath(b.damUk), briefPath(b.levels)]);
    // Key events head the first page only; older pages are the timeline alone.
    const older = await get(`${storyPath(story, 'en')}?cursor=${encodeCursor({ at: '2026-11-24T10:00:00.000Z', id: 'z' })}`);
    expect(older.statusCode).toBe(200);
    expect(listedBriefs(older.body, 'timeline')).toEqual([briefPath(b.levels), briefPath(b.damEn)]);
    expect(older.body).not.toContain('id="key-events"');
  });
});

describe('old addresses', () => {
  it('moves unprefixed story and entity pages for good: a story to its own language, an entity to English', async () => {
    const ukStory = await createStory(t.deps, CLI_ACTOR, { title: 'Повінь', summary: '', language: 'uk' });
    for (const [from, to] of [
      [`/stories/${ukStory.slug}`, storyPath(ukStory, 'uk')],
      [`/stories/${story.slug}?cursor=abc`, `${storyPath(story, 'en')}?cursor=abc`],
      [`/entities/${entity.slug}`, entityPath(entity, 'en')],
      ['/?lang=ru', '/ru/'],
      ['/uk', '/uk/'],
    ]) {
      const res = await get(from!);
      expect(res.statusCode, from).toBe(301);
      expect(res.headers.location, from).toBe(to);
    }
    expect((await get('/stories/no-such-story')).statusCode).toBe(404);
    expect((await get('/entities/no-such-entity')).statusCode).toBe(404);
    expect((await get('/de/')).statusCode).toBe(404);
  });
});

describe('plural forms', () => {
  const cases: Record<'uk' | 'ru', Record<number, [string, string]>> = {
    uk: {
      1: ['1 коментар', '1 новина'], 2: ['2 коментарі', '2 новини'], 5: ['5 коментарів', '5 новин'], 11: ['11 коментарів', '11 новин'],
      21: ['21 коментар', '21 новина'], 22: ['22 коментарі', '22 новини'], 25: ['25 коментарів', '25 новин'],
    },
    ru: {
      1: ['1 комментарий', '1 новость'], 2: ['2 комментария', '2 новости'], 5: ['5 комментариев', '5 новостей'], 11: ['11 комментариев', '11 новостей'],
      21: ['21 комментарий', '21 новость'], 22: ['22 комментария', '22 новости'], 25: ['25 комментариев', '25 новостей'],
    },
  };
  for (const language of ['uk', 'ru'] as const) {
    for (const [count, [comments, briefs]] of Object.entries(cases[language])) {
      it(`${language}: ${count} → "${comments}", "${briefs}"`, () => {
        const m = messagesFor(language);
        expect(plural(language, m.comments, Number(count))).toBe(comments);
        expect(plural(language, m.briefs, Number(count))).toBe(briefs);
      });
    }
  }

  it('en: 1 comment, 2 comments', () => {
    expect(plural('en', messagesFor('en').comments, 1)).toBe('1 comment');
    expect(plural('en', messagesFor('en').comments, 21)).toBe('21 comments');
  });
});

describe('languageFromAcceptLanguage', () => {
  it.each([
    ['uk-UA,uk;q=0.9,en-US;q=0.8', 'uk'],
    ['en;q=0.3,ru;q=0.7', 'ru'],
    ['ru-UA', 'ru'],
    ['de,fr;q=0.9', 'en'],
    ['uk;q=0,en', 'en'],
    ['', 'en'],
  ] as const)('%s → %s', (header, language) => {
    expect(languageFromAcceptLanguage(header)).toBe(language);
  });
});

describe('account pages', () => {
  it('speak the language they are given, English by default', () => {
    const ctx = { site: { siteName: 'Newsdesk', publicUrl: 'http://newsdesk.test', timeZone: 'Europe/Kyiv' }, path: '/account/signup', csrfToken: 'x' };
    for (const language of LANGUAGES) {
      const html = renderDocument(SignUpPage({ ctx: { ...ctx, language }, values: { displayName: '', email: '' }, errors: NO_ERRORS }));
      expect(htmlLang(html)).toBe(language);
      expect(html).toContain(`<h1>${accountMessagesFor(language).signUpTitle}</h1>`);
      if (language !== 'en') for (const label of ['Create an account', 'Display name', 'Password']) expect(html).not.toContain(`>${label}<`);
    }
    expect(htmlLang(renderDocument(SignUpPage({ ctx, values: { displayName: '', email: '' }, errors: NO_ERRORS })))).toBe('en');
  });
});
