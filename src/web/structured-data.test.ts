import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { correctBrief, createBrief, publishBrief } from '../content/briefs.js';
import { createEntity } from '../content/entities.js';
import { updateStory } from '../content/stories.js';
import { linkTranslation } from '../content/timeline.js';
import { briefInput, buildTestApp, makePublishedBrief, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { vnuErrors } from '../test/vnu.js';
import { briefPath, storyPath } from './paths.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const origin = 'http://newsdesk.test';
const get = (url: string) => t.app.inject({ method: 'GET', url });

type Ld = Record<string, unknown>;

/** Every ld+json script of a page, parsed the way a crawler would: JSON.parse of the element's text. */
function jsonLdOf(html: string): Ld[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Ld);
}

function ofType(html: string, type: string): Ld[] {
  return jsonLdOf(html).filter((ld) => ld['@type'] === type);
}

/** The content of `<meta property=…>` (Open Graph) or `<meta name=…>` tags, in order. */
function metaContent(html: string, key: string): string[] {
  return [...html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"\s*\/?>/g)].filter((m) => m[1] === key).map((m) => m[2]!);
}

/** A story with an entity and a brief written by a staff member, as readers find it. */
async function seedBrief(headline = 'Officials order evacuations below the dam') {
  const story = await makeStory(t.deps, 'Dam breach on the Dnipro');
  const city = await createEntity(t.deps, CLI_ACTOR, { kind: 'place', names: { en: 'Kherson', uk: 'Херсон', ru: 'Херсон' }, aliases: [] });
  const reporter = await makeUser(t.deps.db, 'editor');
  const draft = await createBrief(t.deps, reporter.actor, briefInput({ headline, storyId: story.id, entityIds: [city.id], publishedAt: '2026-11-25T07:30:00Z' }));
  const brief = await publishBrief(t.deps, CLI_ACTOR, draft.id);
  return { story, city, brief };
}

describe('structured data on a brief page', () => {
  it('has a NewsArticle with every required property', async () => {
    const { story, brief } = await seedBrief();
    const html = (await get(briefPath(brief))).body;
    const [article, ...others] = ofType(html, 'NewsArticle');
    expect(others).toEqual([]);
    expect(article).toMatchObject({
      '@context': 'https://schema.org',
      headline: 'Officials order evacuations below the dam',
      datePublished: '2026-11-25T07:30:00.000Z',
      inLanguage: 'en',
      mainEntityOfPage: `${origin}${briefPath(brief)}`,
      isAccessibleForFree: true,
      author: [{ '@type': 'Person', name: 'Test editor' }],
      publisher: { '@type': 'NewsMediaOrganization', name: 'Newsdesk', logo: { '@type': 'ImageObject', url: `${origin}/assets/logo.png` } },
      about: [{ '@type': 'Place', name: 'Kherson' }],
    });
    expect(Date.parse(article!.dateModified as string)).toBeGreaterThanOrEqual(Date.parse(article!.datePublished as string));
    expect(html).toContain(`<link rel="canonical" href="${origin}${briefPath(brief)}"`);

    const [crumbs] = ofType(html, 'BreadcrumbList');
    expect((crumbs!.itemListElement as Ld[]).map((i) => [i.position, i.name, i.item])).toEqual([
      [1, 'Newsdesk', `${origin}/en/`],
      [2, 'Dam breach on the Dnipro', `${origin}${storyPath(story, 'en')}`],
      [3, 'Officials order evacuations below the dam', `${origin}${briefPath(brief)}`],
    ]);
  });

  it('moves dateModified to a correction and carries the correction note', async () => {
    const { brief } = await seedBrief();
    const corrected = await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'Officials order evacuations below the Kakhovka dam' }, 'Named the dam.');
    const [article] = ofType((await get(briefPath(brief))).body, 'NewsArticle');
    expect(article!.headline).toBe('Officials order evacuations below the Kakhovka dam');
    expect(article!.dateModified).toBe(new Date(corrected.correctedAt!).toISOString());
    expect(article!.correction).toEqual([{ '@type': 'CorrectionComment', text: 'Named the dam.', datePublished: corrected.correctedAt }]);
  });

  it('names the newsroom as author when no staff member wrote it', async () => {
    const brief = await makePublishedBrief(t.deps, { headline: 'Wire brief' });
    const [article] = ofType((await get(briefPath(brief))).body, 'NewsArticle');
    expect(article!.author).toEqual([{ '@type': 'Organization', name: 'Newsdesk', url: `${origin}/` }]);
  });

  it('keeps a headline that tries to close the script inside its JSON-LD', async () => {
    const headline = 'Breaking </script><script>alert(1)</script> news';
    const brief = await makePublishedBrief(t.deps, { headline });
    const html = (await get(briefPath(brief))).body;
    expect(html).not.toContain('<script>alert(1)');
    expect(ofType(html, 'NewsArticle')[0]!.headline).toBe(headline);
  });

  it('has Open Graph and Twitter card tags, with locales of the translations and hreflang links kept', async () => {
    const { story, brief } = await seedBrief();
    const translation = await makePublishedBrief(t.deps, { headline: 'Посадовці оголосили евакуацію', language: 'uk', storyId: story.id });
    await linkTranslation(t.deps, CLI_ACTOR, brief.id, translation.id);
    const html = (await get(briefPath(brief))).body;
    expect(metaContent(html, 'og:title')).toEqual(['Officials order evacuations below the dam']);
    expect(metaContent(html, 'og:type')).toEqual(['article']);
    expect(metaContent(html, 'og:url')).toEqual([`${origin}${briefPath(brief)}`]);
    expect(metaContent(html, 'og:site_name')).toEqual(['Newsdesk']);
    expect(metaContent(html, 'og:locale')).toEqual(['en_GB']);
    expect(metaContent(html, 'og:locale:alternate')).toEqual(['uk_UA']);
    expect(metaContent(html, 'og:description')).toHaveLength(1);
    expect(metaContent(html, 'article:published_time')).toEqual(['2026-11-25T07:30:00.000Z']);
    expect(metaContent(html, 'twitter:card')).toEqual(['summary']);
    expect(html).toContain(`<link rel="alternate" hreflang="uk" href="${origin}${briefPath(translation)}"`);
  });

  it('leaves the brief and story pages valid for the Nu HTML Checker', async () => {
    const { story, brief } = await seedBrief('Dam breach & "evacuations" </script> <!-- begin');
    const pages = { 'brief-with-structured-data': (await get(briefPath(brief))).body, 'live-story': (await get(storyPath(story, 'ru'))).body };
    expect(ofType(pages['live-story'], 'LiveBlogPosting')).toHaveLength(1);
    expect(await vnuErrors(pages)).toEqual([]);
  });
});

describe('structured data on a story page', () => {
  it('is a LiveBlogPosting of the newest briefs while the story develops, with breadcrumbs', async () => {
    const { story, brief } = await seedBrief();
    const html = (await get(storyPath(story, 'uk'))).body;
    const [live] = ofType(html, 'LiveBlogPosting');
    expect(live).toMatchObject({
      headline: 'Dam breach on the Dnipro',
      url: `${origin}${storyPath(story, 'uk')}`,
      coverageStartTime: story.createdAt,
      liveBlogUpdate: [{ '@type': 'BlogPosting', headline: brief.headline, url: `${origin}${briefPath(brief)}`, datePublished: '2026-11-25T07:30:00.000Z' }],
    });
    const [crumbs] = ofType(html, 'BreadcrumbList');
    expect((crumbs!.itemListElement as Ld[]).map((i) => i.item)).toEqual([`${origin}/uk/`, `${origin}${storyPath(story, 'uk')}`]);
    expect(metaContent(html, 'og:type')).toEqual(['website']);
    expect(metaContent(html, 'og:locale')).toEqual(['uk_UA']);
    expect(metaContent(html, 'og:locale:alternate')).toEqual(['en_GB', 'ru_RU']);
  });

  it('leaves the live blog to the first page of the timeline', async () => {
    const { story } = await seedBrief();
    for (let i = 0; i < 21; i++) {
      await makePublishedBrief(t.deps, { storyId: story.id, headline: `Update ${i}`, publishedAt: new Date(Date.UTC(2026, 10, 26, i)).toISOString() });
    }
    const first = (await get(storyPath(story, 'en'))).body;
    expect((ofType(first, 'LiveBlogPosting')[0]!.liveBlogUpdate as Ld[])[0]!.headline).toBe('Update 20');
    const older = /<a rel="next" href="([^"]+)"/.exec(first)?.[1];
    expect(older).toBeDefined();
    const second = (await get(older!.replaceAll('&amp;', '&'))).body;
    expect(second).toContain('Officials order evacuations below the dam');
    expect(ofType(second, 'LiveBlogPosting')).toEqual([]);
    expect(ofType(second, 'BreadcrumbList')).toHaveLength(1);
  });

  it('is no live blog once the story has concluded', async () => {
    const { story } = await seedBrief();
    await updateStory(t.deps, CLI_ACTOR, story.id, { title: story.title, summary: story.summary, language: story.language, status: 'concluded' });
    const html = (await get(storyPath(story, 'en'))).body;
    expect(ofType(html, 'LiveBlogPosting')).toEqual([]);
    expect(ofType(html, 'BreadcrumbList')).toHaveLength(1);
  });
});
