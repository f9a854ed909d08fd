import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseSitemap, parseSitemapIndex, type SitemapItem } from 'sitemap';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { correctBrief, deleteBrief, retractBrief } from '../content/briefs.js';
import { linkTranslation } from '../content/timeline.js';
import type { Brief } from '../content/types.js';
import { buildTestApp, makeEntity, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { briefPath, entityPath, homePath, storyPath } from '../web/paths.js';
import { NEWS_WINDOW_MS, renderBriefsSitemap, renderNewsSitemap, renderPagesSitemap, renderSitemapIndex } from './sitemaps.js';

const XSD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'xsd');
const SITEINDEX_XSD = path.join(XSD_DIR, 'siteindex.xsd');
/** The official sitemap schema with the News extension's and our hreflang link's. */
const URLSET_XSD = path.join(XSD_DIR, 'urlset-extensions.xsd');
const ORIGIN = 'http://newsdesk.test';
const HOUR = 60 * 60 * 1000;

let workDir: string;
beforeAll(() => { workDir = mkdtempSync(path.join(tmpdir(), 'newsdesk-sitemaps-')); });
afterAll(() => { rmSync(workDir, { recursive: true, force: true }); });

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

let fileCount = 0;
/** What Debian's xmllint says of the document against the schema: its exit status and complaints. */
function xmllint(xsd: string, xml: string): { status: number | null; errors: string } {
  const file = path.join(workDir, `doc-${fileCount++}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, errors: run.stderr };
}

function expectValid(xsd: string, xml: string): void {
  const result = xmllint(xsd, xml);
  expect(result.errors).toContain('validates');
  expect(result.status).toBe(0);
}

async function get(url: string) {
  return t.app.inject({ method: 'GET', url: url.startsWith(ORIGIN) ? url.slice(ORIGIN.length) : url });
}

const urlsOf = (xml: string): Promise<SitemapItem[]> => parseSitemap(Readable.from([xml]));
const locsOf = async (xml: string) => (await urlsOf(xml)).map((item) => item.url);
const sitemapsOf = async (xml: string) => parseSitemapIndex(Readable.from([xml]));

/** A published brief with a chosen dateline, so tests can order briefs and place them in time. */
async function briefAt(publishedAt: Date, overrides: Parameters<typeof makePublishedBrief>[1] = {}): Promise<Brief> {
  return makePublishedBrief(t.deps, { publishedAt: publishedAt.toISOString(), ...overrides });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sitemaps against the official schemas (xmllint)', () => {
  it('validates the index, every sitemap it lists and the News sitemap', async () => {
    const story = await makeStory(t.deps);
    const entity = await makeEntity(t.deps);
    const en = await makePublishedBrief(t.deps, { language: 'en', headline: 'Officials confirm the dam breach & evacuations <live>' });
    const uk = await makePublishedBrief(t.deps, { language: 'uk', headline: 'Рятувальники евакуювали 400 людей', entityIds: [entity.id] });
    await makePublishedBrief(t.deps, { language: 'ru', storyId: story.id });
    // Translations bring hreflang links, so the xhtml part of the schema is exercised too.
    await linkTranslation(t.deps, CLI_ACTOR, en.id, uk.id);

    const index = await get('/sitemap.xml');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('application/xml; charset=utf-8');
    expectValid(SITEINDEX_XSD, index.body);

    const listed = await sitemapsOf(index.body);
    expect(listed.map((sitemap) => /\/sitemaps\/(briefs|pages)-/.exec(sitemap.url)?.[1])).toEqual(['briefs', 'pages']);
    const bodies: string[] = [];
    for (const sitemap of listed) {
      const page = await get(sitemap.url);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('application/xml; charset=utf-8');
      expectValid(URLSET_XSD, page.body);
      bodies.push(page.body);
    }
    expect(bodies.every((body) => body.includes('<xhtml:link rel="alternate" hreflang='))).toBe(true);

    const news = await get('/sitemap-news.xml');
    expect(news.statusCode).toBe(200);
    expect(news.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(news.body).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    expectValid(URLSET_XSD, news.body);
  });

  it('the schema check fails on a News sitemap entry without its title', async () => {
    await makePublishedBrief(t.deps);
    const xml = (await get('/sitemap-news.xml')).body.replace(/<news:title>.*?<\/news:title>/, '');
    const result = xmllint(URLSET_XSD, xml);
    expect(result.status).not.toBe(0);
    expect(result.errors).toContain('{http://www.google.com/schemas/sitemap-news/0.9}title');
  });

  it('the schema check fails on an index entry without its address', async () => {
    await makePublishedBrief(t.deps);
    const xml = (await get('/sitemap.xml')).body.replace(/<loc>.*?<\/loc>/, '');
    expect(xmllint(SITEINDEX_XSD, xml).status).not.toBe(0);
  });
});

describe('paging', () => {
  it('splits the briefs exactly at the page size, oldest first, each brief once', async () => {
    const base = Date.now() - 10 * 24 * HOUR;
    const briefs: Brief[] = [];
    for (let i = 0; i < 5; i++) briefs.push(await briefAt(new Date(base + i * HOUR)));
    const scope = { db: t.db, publicUrl: ORIGIN, pageSize: 2 };

    const index = await renderSitemapIndex(scope);
    expectValid(SITEINDEX_XSD, index);
    const briefPages = (await sitemapsOf(index)).filter((sitemap) => sitemap.url.includes('/sitemaps/briefs-'));
    expect(briefPages).toHaveLength(3);

    const pages: string[][] = [];
    for (const sitemap of briefPages) {
      const start = /briefs-([^/]+)\.xml$/.exec(sitemap.url)![1]!;
      const xml = await renderBriefsSitemap({ ...scope, start });
      expect(xml).not.toBeNull();
      expectValid(URLSET_XSD, xml!);
      pages.push(await locsOf(xml!));
    }
    const expected = briefs.map((brief) => ORIGIN + briefPath(brief));
    expect(pages).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4)]);
  });

  it('a sixth brief on a page size of two fills the last page without moving the others', async () => {
    const base = Date.now() - 10 * 24 * HOUR;
    for (let i = 0; i < 5; i++) await briefAt(new Date(base + i * HOUR));
    const scope = { db: t.db, publicUrl: ORIGIN, pageSize: 2 };
    const before = (await sitemapsOf(await renderSitemapIndex(scope))).filter((s) => s.url.includes('/briefs-')).map((s) => s.url);
    await briefAt(new Date(base + 6 * HOUR));
    const after = (await sitemapsOf(await renderSitemapIndex(scope))).filter((s) => s.url.includes('/briefs-')).map((s) => s.url);
    expect(after).toEqual(before);
  });

  it('pages homes, stories and entities at the page size too, each in every language', async () => {
    const story = await makeStory(t.deps);
    const entity = await makeEntity(t.deps);
    const scope = { db: t.db, publicUrl: ORIGIN, pageSize: 2 };
    const index = await sitemapsOf(await renderSitemapIndex(scope));
    const sitePages = index.filter((sitemap) => sitemap.url.includes('/sitemaps/pages-'));
    // Three homes, three story pages, three entity pages: nine URLs, five pages of at most two.
    expect(sitePages.map((sitemap) => sitemap.url)).toEqual([1, 2, 3, 4, 5].map((n) => `${ORIGIN}/sitemaps/pages-${n}.xml`));
    const all: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const xml = await renderPagesSitemap({ ...scope, page });
      expectValid(URLSET_XSD, xml!);
      const locs = await locsOf(xml!);
      expect(locs.length).toBe(page < 5 ? 2 : 1);
      all.push(...locs);
    }
    expect(await renderPagesSitemap({ ...scope, page: 6 })).toBeNull();
    expect(all).toEqual([
      ...(['uk', 'en', 'ru'] as const).map((language) => ORIGIN + homePath(language)),
      ...(['uk', 'en', 'ru'] as const).map((language) => ORIGIN + storyPath(story, language)),
      ...(['uk', 'en', 'ru'] as const).map((language) => ORIGIN + entityPath(entity, language)),
    ]);
  });

  it('answers 404 for a page that is not there', async () => {
    await makePublishedBrief(t.deps);
    expect((await get('/sitemaps/briefs-notacursor.xml')).statusCode).toBe(404);
    expect((await get('/sitemaps/pages-99.xml')).statusCode).toBe(404);
    expect((await get('/sitemaps/other.xml')).statusCode).toBe(404);
  });
});

describe('lastmod and alternates', () => {
  it('moves a brief\'s lastmod, and its page\'s in the index, when the brief is corrected', async () => {
    const brief = await makePublishedBrief(t.deps);
    const entryOf = async () => {
      const index = await sitemapsOf((await get('/sitemap.xml')).body);
      const page = index.find((sitemap) => sitemap.url.includes('/sitemaps/briefs-'))!;
      const urls = await urlsOf((await get(page.url)).body);
      return { page: page.lastmod, url: urls.find((item) => item.url === ORIGIN + briefPath(brief))!.lastmod };
    };
    const before = await entryOf();
    expect(before.url).toBe(brief.updatedAt);

    await pause(5);
    const corrected = await correctBrief(t.deps, CLI_ACTOR, brief.id, { details: ['Rescuers moved 450 people overnight.'] }, 'The number of people moved was wrong.');
    const after = await entryOf();
    expect(after.url).toBe(corrected.correctedAt);
    expect(after.url! > before.url!).toBe(true);
    expect(after.page).toBe(corrected.updatedAt);
    expect(after.page! > before.page!).toBe(true);
  });

  it('links translations to each other with hreflang, themselves included', async () => {
    const en = await makePublishedBrief(t.deps, { language: 'en' });
    const uk = await makePublishedBrief(t.deps, { language: 'uk', headline: 'Дамбу прорвало' });
    const lone = await makePublishedBrief(t.deps, { language: 'ru', headline: 'Отдельная новость' });
    await linkTranslation(t.deps, CLI_ACTOR, en.id, uk.id);
    const index = await sitemapsOf(await renderSitemapIndex({ db: t.db, publicUrl: ORIGIN }));
    const start = /briefs-([^/]+)\.xml$/.exec(index[0]!.url)![1]!;
    const xml = (await renderBriefsSitemap({ db: t.db, publicUrl: ORIGIN, start }))!;
    expectValid(URLSET_XSD, xml);
    const items = new Map((await urlsOf(xml)).map((item) => [item.url, item]));
    const pair = [{ lang: 'en', url: ORIGIN + briefPath(en) }, { lang: 'uk', url: ORIGIN + briefPath(uk) }];
    for (const brief of [en, uk]) {
      const links = items.get(ORIGIN + briefPath(brief))!.links.map((link) => ({ lang: link.lang, url: link.url }));
      expect(links.sort((a, b) => a.lang.localeCompare(b.lang))).toEqual(pair);
    }
    expect(items.get(ORIGIN + briefPath(lone))!.links).toEqual([]);
  });
});

describe('the Google News sitemap', () => {
  it('names the publication in the brief\'s language, its publication date and title', async () => {
    const brief = await makePublishedBrief(t.deps, { language: 'uk', headline: 'Рятувальники евакуювали 400 людей' });
    const [item] = await urlsOf((await get('/sitemap-news.xml')).body);
    expect(item!.url).toBe(ORIGIN + briefPath(brief));
    expect(item!.news).toMatchObject({ publication: { name: 'Newsdesk', language: 'uk' }, title: brief.headline });
    expect(new Date(item!.news!.publication_date).toISOString()).toBe(brief.publishedAt);
  });

  it('drops retracted and deleted briefs, which the ordinary sitemap keeps and drops respectively', async () => {
    const kept = await makePublishedBrief(t.deps);
    const retracted = await makePublishedBrief(t.deps);
    const deleted = await makePublishedBrief(t.deps);
    const corrected = await makePublishedBrief(t.deps);
    const newsBefore = await locsOf((await get('/sitemap-news.xml')).body);
    expect(newsBefore.sort()).toEqual([kept, retracted, deleted, corrected].map((b) => ORIGIN + briefPath(b)).sort());

    await retractBrief(t.deps, CLI_ACTOR, retracted.id, 'The statement was a forgery.');
    await deleteBrief(t.deps, CLI_ACTOR, deleted.id);
    await correctBrief(t.deps, CLI_ACTOR, corrected.id, { details: ['The bridge reopened.'] }, 'The bridge reopened.');

    const news = (await get('/sitemap-news.xml')).body;
    expectValid(URLSET_XSD, news);
    expect((await locsOf(news)).sort()).toEqual([kept, corrected].map((b) => ORIGIN + briefPath(b)).sort());

    const index = await sitemapsOf((await get('/sitemap.xml')).body);
    const ordinary = await locsOf((await get(index.find((s) => s.url.includes('/briefs-'))!.url)).body);
    expect(ordinary).toContain(ORIGIN + briefPath(retracted));
    expect(ordinary).not.toContain(ORIGIN + briefPath(deleted));
  });

  it('holds only the last 48 hours', async () => {
    const now = new Date();
    const fresh = await briefAt(new Date(now.getTime() - 47 * HOUR));
    const stale = await briefAt(new Date(now.getTime() - 49 * HOUR));
    const locs = await locsOf(await renderNewsSitemap({ db: t.db, publicUrl: ORIGIN, siteName: 'Newsdesk', now }));
    expect(locs).toEqual([ORIGIN + briefPath(fresh)]);
    // The same brief leaves once its time is up.
    const later = new Date(new Date(fresh.publishedAt!).getTime() + NEWS_WINDOW_MS + 1000);
    const empty = await renderNewsSitemap({ db: t.db, publicUrl: ORIGIN, siteName: 'Newsdesk', now: later });
    expect(await locsOf(empty)).toEqual([]);
    // Well-formed, though the schema wants one <url> at least: an empty urlset is what a quiet
    // News sitemap is, and crawlers read it so.
    expect(spawnSync('xmllint', ['--noout', '-'], { input: empty, encoding: 'utf8' }).status).toBe(0);
    expect(stale.status).toBe('published');
  });
});

describe('robots.txt', () => {
  it('names the sitemap index and the News sitemap and keeps crawlers out of the desk, the API and accounts', async () => {
    const response = await get('/robots.txt');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = response.body.split('\n');
    expect(lines).toContain(`Sitemap: ${ORIGIN}/sitemap.xml`);
    expect(lines).toContain(`Sitemap: ${ORIGIN}/sitemap-news.xml`);
    expect(lines).toEqual(expect.arrayContaining(['User-agent: *', 'Disallow: /desk', 'Disallow: /api/', 'Allow: /api/openapi.json', 'Disallow: /account']));
    // Both named sitemaps answer.
    expect((await get('/sitemap.xml')).statusCode).toBe(200);
    expect((await get('/sitemap-news.xml')).statusCode).toBe(200);
  });
});
