import { render } from 'preact-render-to-string';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import type { Brief, Entity, Story } from '../content/types.js';
import {
  briefBreadcrumbs, JsonLdScript, liveBlogPosting, newsArticle, safeJsonLd, socialMetaTags, type SiteIdentity,
} from './structured-data.js';

const site: SiteIdentity = { siteName: 'Newsdesk Test', publicUrl: 'https://news.example' };

function brief(overrides: Partial<Brief> = {}): Brief {
  return {
    id: '01jbrief', slug: 'dam-breach-evacuation', language: 'en', headline: 'Dam breach forces evacuation', status: 'published',
    storyId: null, publishedAt: '2026-11-20T08:00:00.000Z', datelinePrecision: 'minute', revision: 2,
    createdAt: '2026-11-20T07:30:00.000Z', updatedAt: '2026-11-20T08:00:00.000Z',
    correctedAt: null, correctionReason: null, retractedAt: null, retractionReason: null,
    entityIds: [], authorIds: [], sources: [], quotes: [], details: [], previously: [], previouslyLinks: [], background: [],
    ...overrides,
  };
}

const story: Story = {
  id: '01jstory', slug: 'dam-breach', language: 'en', title: 'Dam breach on the river', summary: 'Water rising downstream.',
  status: 'developing', createdAt: '2026-11-19T12:00:00.000Z', updatedAt: '2026-11-19T12:00:00.000Z',
};

const entities: Entity[] = [
  { id: 'e1', slug: 'olena-koval', kind: 'person', names: { en: 'Olena Koval', uk: 'Олена Коваль', ru: 'Елена Коваль' }, aliases: [] },
  { id: 'e2', slug: 'rescue-service', kind: 'organisation', names: { en: 'Rescue Service', uk: 'ДСНС', ru: 'ГСЧС' }, aliases: [] },
  { id: 'e3', slug: 'kherson', kind: 'place', names: { en: 'Kherson', uk: 'Херсон', ru: 'Херсон' }, aliases: [] },
];

describe('newsArticle', () => {
  it('carries every property Google asks of a NewsArticle, with the brief\'s values', () => {
    const ld = newsArticle({ site, brief: brief(), description: 'Residents leave.', entities, authorNames: ['Iryna Shevchenko', 'Max Bauer'] });
    expect(ld).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Dam breach forces evacuation',
      description: 'Residents leave.',
      url: 'https://news.example/news/dam-breach-evacuation',
      mainEntityOfPage: 'https://news.example/news/dam-breach-evacuation',
      inLanguage: 'en',
      datePublished: '2026-11-20T08:00:00.000Z',
      dateModified: '2026-11-20T08:00:00.000Z',
      author: [{ '@type': 'Person', name: 'Iryna Shevchenko' }, { '@type': 'Person', name: 'Max Bauer' }],
      publisher: {
        '@type': 'NewsMediaOrganization', name: 'Newsdesk Test', url: 'https://news.example/',
        logo: { '@type': 'ImageObject', url: 'https://news.example/assets/logo.png', width: 192, height: 192 },
      },
      isAccessibleForFree: true,
      about: [
        { '@type': 'Person', name: 'Olena Koval', url: 'https://news.example/en/entities/olena-koval' },
        { '@type': 'Organization', name: 'Rescue Service', url: 'https://news.example/en/entities/rescue-service' },
        { '@type': 'Place', name: 'Kherson', url: 'https://news.example/en/entities/kherson' },
      ],
    });
  });

  it('names entities in the brief\'s language and falls back to the newsroom as author', () => {
    const ld = newsArticle({ site, brief: brief({ language: 'uk' }), description: 'x', entities, authorNames: [] });
    expect(ld.author).toEqual([{ '@type': 'Organization', name: 'Newsdesk Test', url: 'https://news.example/' }]);
    expect((ld.about as { name: string }[]).map((a) => a.name)).toEqual(['Олена Коваль', 'ДСНС', 'Херсон']);
    expect(ld.inLanguage).toBe('uk');
  });

  it('moves dateModified to the correction and adds the correction note', () => {
    const corrected = brief({ status: 'corrected', correctedAt: '2026-11-20T10:15:00.000Z', correctionReason: 'The dam is on the Dnipro, not the Desna.' });
    const ld = newsArticle({ site, brief: corrected, description: 'x', entities: [], authorNames: [] });
    expect(ld.datePublished).toBe('2026-11-20T08:00:00.000Z');
    expect(ld.dateModified).toBe('2026-11-20T10:15:00.000Z');
    expect(ld.correction).toEqual([{ '@type': 'CorrectionComment', text: 'The dam is on the Dnipro, not the Desna.', datePublished: '2026-11-20T10:15:00.000Z' }]);
    expect(ld).not.toHaveProperty('about');
  });

  it('never dates a modification before publication, and leaves out what an unpublished brief lacks', () => {
    const late = newsArticle({ site, brief: brief({ updatedAt: '2026-11-20T07:59:00.000Z' }), description: 'x', entities: [], authorNames: [] });
    expect(late.dateModified).toBe('2026-11-20T08:00:00.000Z');
    const parsed = JSON.parse(safeJsonLd(newsArticle({ site, brief: brief({ publishedAt: null }), description: 'x', entities: [], authorNames: [] })));
    expect(parsed).not.toHaveProperty('datePublished');
    expect(parsed).not.toHaveProperty('correction');
  });
});

describe('breadcrumbs and live blog', () => {
  it('leads from the home page through the story to the brief', () => {
    expect(briefBreadcrumbs(site, brief({ language: 'uk' }), story)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: [
        { '@type': 'ListItem', position: 1, name: 'Newsdesk Test', item: 'https://news.example/uk/' },
        { '@type': 'ListItem', position: 2, name: 'Dam breach on the river', item: 'https://news.example/uk/stories/dam-breach' },
        { '@type': 'ListItem', position: 3, name: 'Dam breach forces evacuation', item: 'https://news.example/news/dam-breach-evacuation' },
      ],
    });
    expect((briefBreadcrumbs(site, brief(), null).itemListElement as unknown[]).length).toBe(2);
  });

  it('lists a developing story\'s newest briefs as its updates', () => {
    const briefs = Array.from({ length: 12 }, (_, i) => brief({
      slug: `update-${i}`, headline: `Update ${i}`, publishedAt: new Date(Date.UTC(2026, 10, 20, 20 - i)).toISOString(),
    }));
    const ld = liveBlogPosting({ site, story, language: 'ru', briefs });
    expect(ld['@type']).toBe('LiveBlogPosting');
    expect(ld.coverageStartTime).toBe('2026-11-19T12:00:00.000Z');
    expect(ld.url).toBe('https://news.example/ru/stories/dam-breach');
    expect(ld.dateModified).toBe('2026-11-20T20:00:00.000Z');
    const updates = ld.liveBlogUpdate as Record<string, unknown>[];
    expect(updates).toHaveLength(10);
    expect(updates[0]).toEqual({
      '@type': 'BlogPosting', headline: 'Update 0', url: 'https://news.example/news/update-0', inLanguage: 'en',
      datePublished: '2026-11-20T20:00:00.000Z', dateModified: '2026-11-20T20:00:00.000Z',
    });
  });
});

describe('socialMetaTags', () => {
  it('describes a brief as an article with its locales and dates', () => {
    const tags = socialMetaTags({
      site, title: 'T', description: 'D', path: '/news/t', language: 'uk', alternateLanguages: ['en', 'ru'],
      article: { publishedAt: '2026-11-20T08:00:00.000Z', modifiedAt: '2026-11-20T09:00:00.000Z' },
    });
    expect(tags).toEqual([
      { property: 'og:title', content: 'T' },
      { property: 'og:type', content: 'article' },
      { property: 'og:url', content: 'https://news.example/news/t' },
      { property: 'og:description', content: 'D' },
      { property: 'og:site_name', content: 'Newsdesk Test' },
      { property: 'og:locale', content: 'uk_UA' },
      { property: 'og:locale:alternate', content: 'en_GB' },
      { property: 'og:locale:alternate', content: 'ru_RU' },
      { property: 'article:published_time', content: '2026-11-20T08:00:00.000Z' },
      { property: 'article:modified_time', content: '2026-11-20T09:00:00.000Z' },
      { name: 'twitter:card', content: 'summary' },
      { name: 'twitter:title', content: 'T' },
      { name: 'twitter:description', content: 'D' },
    ]);
  });
});

describe('safeJsonLd', () => {
  const cases: [string, string, string][] = [
    ['closing script tag', '</script><script>alert(1)</script>', '\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e'],
    ['comment opener', '<!--', '\\u003c!--'],
    ['ampersand', 'R&D &amp;', 'R\\u0026D \\u0026amp;'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
    ['paragraph separator', 'a\u2029b', 'a\\u2029b'],
    ['CDATA end', ']]>', ']]\\u003e'],
  ];
  it.each(cases)('escapes a %s and parses back to the same string', (_name, input, escaped) => {
    const json = safeJsonLd({ headline: input });
    expect(json).toBe(`{"headline":"${escaped}"}`);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual({ headline: input });
  });

  it('renders an ld+json script whose only end tag is its own', () => {
    const html = render(h(JsonLdScript, { data: { headline: 'Breaking </script><script>alert(1)</script> news', note: '<!-- x -->' } }));
    expect(html.startsWith('<script type="application/ld+json">')).toBe(true);
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html).not.toContain('<!--');
    const body = html.slice('<script type="application/ld+json">'.length, -'</script>'.length);
    expect(JSON.parse(body).headline).toBe('Breaking </script><script>alert(1)</script> news');
  });
});
