// The `sitemap` package (ekalinin/sitemap.js) writes sitemaps, sitemap indexes and the Google News
// extension as streams. It is maintained, typed, validates each item against the protocol's
// limits (and throws here rather than writing an invalid file), and escapes every value, so the
// XML is not ours to get wrong; the issue asks for a library rather than hand-built XML.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { ErrorLevel, SitemapIndexStream, SitemapStream, streamToPromise, type IndexItem, type LinkItem, type SitemapItemLoose } from 'sitemap';
import { decodeCursor, encodeCursor, type Cursor } from '../common/cursor.js';
import { LANGUAGES, PUBLIC_STATUSES, type Language } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import {
  briefPath, briefsSitemapPath, entityPath, homePath, newsSitemapPath, pagesSitemapPath, sitemapIndexPath, storyPath,
} from '../web/paths.js';

/** The protocol's ceiling of URLs per sitemap file. */
export const SITEMAP_PAGE_SIZE = 50_000;
/** Google News reads only articles of the last two days… */
export const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;
/** …and at most 1,000 of them per sitemap. */
export const NEWS_SITEMAP_LIMIT = 1000;
export const SITEMAP_CONTENT_TYPE = 'application/xml; charset=utf-8';
// The library refuses to end a urlset with no <url> (the schema wants at least one), but two quiet
// days must not turn the News sitemap that robots.txt names into an error page: crawlers read an
// empty urlset as "nothing new".
const EMPTY_NEWS_SITEMAP = '<?xml version="1.0" encoding="UTF-8"?>'
  + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"></urlset>';

interface SitemapScope {
  db: Executor;
  /** The site's public origin, without a trailing slash. */
  publicUrl: string;
  /** URLs per sitemap file; a parameter so tests can page with a handful of briefs. */
  pageSize?: number;
}

// A retracted brief keeps its URL and shows the retraction, so crawlers should still see it in
// the ordinary sitemap; only the News sitemap leaves it out, since a withdrawn claim must not be
// offered to readers as news.
const NEWS_STATUSES = ['published', 'corrected'] as const;

function pageSizeOf(scope: SitemapScope): number {
  const size = scope.pageSize ?? SITEMAP_PAGE_SIZE;
  // It is spliced into SQL as a literal (integer division must stay integer on both engines).
  if (!Number.isSafeInteger(size) || size < 1 || size > SITEMAP_PAGE_SIZE) throw new RangeError(`page size ${size} is not 1…${SITEMAP_PAGE_SIZE}`);
  return size;
}

async function write(stream: SitemapStream | SitemapIndexStream, items: readonly (SitemapItemLoose | IndexItem)[]): Promise<string> {
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');
}

function latest(...times: (string | null | undefined)[]): string | undefined {
  return times.filter((time): time is string => Boolean(time)).sort().at(-1);
}

function publicBriefs(db: Executor) {
  return db.selectFrom('briefs').where('briefs.status', 'in', [...PUBLIC_STATUSES]).where('briefs.published_at', 'is not', null);
}

/**
 * Pages of the briefs sitemap, oldest first, so that a page once full keeps its briefs while new
 * ones land on the last: crawlers need not refetch pages whose lastmod did not move. Each page is
 * named by the (published time, id) of its first brief and read by keyset from there.
 */
async function briefPages(db: Executor, size: number): Promise<{ start: string; lastmod: string }[]> {
  const ranked = publicBriefs(db).select([
    'briefs.id', 'briefs.published_at', 'briefs.updated_at',
    sql<number>`row_number() over (order by briefs.published_at, briefs.id) - 1`.as('rn'),
  ]).as('ranked');
  const [starts, lastmods] = await Promise.all([
    db.selectFrom(ranked).select(['ranked.id', 'ranked.published_at', 'ranked.rn'])
      .where(sql<boolean>`ranked.rn % ${sql.lit(size)} = 0`).orderBy('ranked.rn').execute(),
    db.selectFrom(ranked).select([sql<number>`ranked.rn / ${sql.lit(size)}`.as('page'), sql<string>`max(ranked.updated_at)`.as('lastmod')])
      .groupBy(sql`ranked.rn / ${sql.lit(size)}`).execute(),
  ]);
  const lastmodOf = new Map(lastmods.map((row) => [Number(row.page), row.lastmod]));
  return starts.map((row) => ({
    start: encodeCursor({ at: row.published_at!, id: row.id }),
    lastmod: lastmodOf.get(Math.floor(Number(row.rn) / size))!,
  }));
}

/** The sitemap index at `/sitemap.xml`: every page of briefs, then the pages of homes, stories and entities. */
export async function renderSitemapIndex(scope: SitemapScope): Promise<string> {
  const size = pageSizeOf(scope);
  const [briefs, pages] = await Promise.all([briefPages(scope.db, size), sitePages(scope.db)]);
  const items: IndexItem[] = [
    ...briefs.map((page) => ({ url: scope.publicUrl + briefsSitemapPath(page.start), lastmod: page.lastmod })),
    ...chunk(pages, size).map((urls, index) => ({ url: scope.publicUrl + pagesSitemapPath(index + 1), lastmod: latest(...urls.map((url) => url.lastmod)) })),
  ];
  return write(new SitemapIndexStream({ level: ErrorLevel.THROW }), items);
}

/** Language versions of briefs that are translations of one another, by translation group. */
async function translationsOf(db: Executor, groups: string[]): Promise<Map<string, { slug: string; language: Language }[]>> {
  const byGroup = new Map<string, { slug: string; language: Language }[]>();
  if (groups.length === 0) return byGroup;
  const rows = await publicBriefs(db).select(['briefs.slug', 'briefs.language', 'briefs.translation_group'])
    .where('briefs.translation_group', 'in', groups).execute();
  for (const row of rows) {
    const group = row.translation_group!;
    byGroup.set(group, [...(byGroup.get(group) ?? []), { slug: row.slug, language: row.language as Language }]);
  }
  return byGroup;
}

/**
 * One page of the briefs sitemap, from the brief its name points at; null when the name is no
 * cursor or no brief is left there. Translations name each other with hreflang alternates.
 */
export async function renderBriefsSitemap(scope: SitemapScope & { start: string }): Promise<string | null> {
  let start: Cursor | null;
  try {
    start = decodeCursor(scope.start);
  } catch {
    return null;
  }
  if (!start) return null;
  const from = start;
  const rows = await publicBriefs(scope.db)
    .select(['briefs.slug', 'briefs.updated_at', 'briefs.corrected_at', 'briefs.translation_group'])
    .where(({ eb, or, and }) => or([eb('briefs.published_at', '>', from.at), and([eb('briefs.published_at', '=', from.at), eb('briefs.id', '>=', from.id)])]))
    .orderBy('briefs.published_at').orderBy('briefs.id').limit(pageSizeOf(scope)).execute();
  if (rows.length === 0) return null;
  const groups = await translationsOf(scope.db, [...new Set(rows.flatMap((row) => (row.translation_group ? [row.translation_group] : [])))]);
  const items = rows.map((row): SitemapItemLoose => {
    const versions = row.translation_group ? groups.get(row.translation_group) ?? [] : [];
    // Google wants each version to list every version, itself included; a lone brief lists none.
    const links: LinkItem[] = versions.length > 1
      ? versions.map((version) => ({ lang: version.language, url: scope.publicUrl + briefPath(version) }))
      : [];
    // A correction rewrites updated_at too; naming corrected_at keeps that true if saves ever stop doing so.
    return { url: scope.publicUrl + briefPath(row), lastmod: latest(row.updated_at, row.corrected_at), links };
  });
  return write(new SitemapStream({ level: ErrorLevel.THROW, xmlns: { news: false, video: false, image: false, xhtml: true } }), items);
}

/** One URL of the sitemap of homes, stories and entities, with the same page in every language. */
interface SitePage {
  path: string;
  paths: Record<Language, string>;
  lastmod: string | undefined;
}

/**
 * Homes, stories and entities: each a page in every language. They are few next to briefs, so
 * they are read whole and numbered; lastmod is the newest change of the thing or of a public
 * brief shown on it.
 */
async function sitePages(db: Executor): Promise<SitePage[]> {
  const [homes, stories, storyBriefs, entities, entityBriefs] = await Promise.all([
    publicBriefs(db).select(['briefs.language', sql<string>`max(briefs.updated_at)`.as('lastmod')]).groupBy('briefs.language').execute(),
    db.selectFrom('stories').select(['id', 'slug', 'updated_at']).orderBy('created_at').orderBy('id').execute(),
    publicBriefs(db).select(['briefs.story_id', sql<string>`max(briefs.updated_at)`.as('lastmod')]).where('briefs.story_id', 'is not', null).groupBy('briefs.story_id').execute(),
    db.selectFrom('entities').select(['id', 'slug', 'updated_at']).orderBy('created_at').orderBy('id').execute(),
    publicBriefs(db).innerJoin('brief_entities', 'brief_entities.brief_id', 'briefs.id')
      .select(['brief_entities.entity_id', sql<string>`max(briefs.updated_at)`.as('lastmod')]).groupBy('brief_entities.entity_id').execute(),
  ]);
  const homeLastmod = new Map(homes.map((row) => [row.language, row.lastmod]));
  const storyLastmod = new Map(storyBriefs.map((row) => [row.story_id, row.lastmod]));
  const entityLastmod = new Map(entityBriefs.map((row) => [row.entity_id, row.lastmod]));
  const inEveryLanguage = (pathIn: (language: Language) => string, lastmodIn: (language: Language) => string | undefined): SitePage[] => {
    const paths = Object.fromEntries(LANGUAGES.map((language) => [language, pathIn(language)])) as Record<Language, string>;
    return LANGUAGES.map((language) => ({ path: paths[language], paths, lastmod: lastmodIn(language) }));
  };
  return [
    // A home lists only its language's briefs, so each has its own lastmod.
    ...inEveryLanguage(homePath, (language) => homeLastmod.get(language)),
    ...stories.flatMap((story) => inEveryLanguage((language) => storyPath(story, language), () => latest(story.updated_at, storyLastmod.get(story.id)))),
    ...entities.flatMap((entity) => inEveryLanguage((language) => entityPath(entity, language), () => latest(entity.updated_at, entityLastmod.get(entity.id)))),
  ];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** One page (numbered from 1) of the sitemap of homes, stories and entities; null past the last. */
export async function renderPagesSitemap(scope: SitemapScope & { page: number }): Promise<string | null> {
  const urls = chunk(await sitePages(scope.db), pageSizeOf(scope))[scope.page - 1];
  if (!urls) return null;
  const items = urls.map((url): SitemapItemLoose => ({
    url: scope.publicUrl + url.path,
    lastmod: url.lastmod,
    links: LANGUAGES.map((language) => ({ lang: language, url: scope.publicUrl + url.paths[language] })),
  }));
  return write(new SitemapStream({ level: ErrorLevel.THROW, xmlns: { news: false, video: false, image: false, xhtml: true } }), items);
}

/**
 * The Google News sitemap at `/sitemap-news.xml`: briefs published in the 48 hours before `now`,
 * newest first, under the site's name in each brief's language. Retracted and deleted briefs
 * leave it at once, since it is built from the database on each request.
 */
export async function renderNewsSitemap(scope: Omit<SitemapScope, 'pageSize'> & { siteName: string; now?: Date }): Promise<string> {
  const since = new Date((scope.now ?? new Date()).getTime() - NEWS_WINDOW_MS).toISOString();
  const rows = await scope.db.selectFrom('briefs')
    .select(['slug', 'language', 'headline', 'published_at'])
    .where('status', 'in', [...NEWS_STATUSES]).where('published_at', '>=', since)
    .orderBy('published_at', 'desc').orderBy('id', 'desc').limit(NEWS_SITEMAP_LIMIT).execute();
  const items = rows.map((row): SitemapItemLoose => ({
    url: scope.publicUrl + briefPath(row),
    news: {
      publication: { name: scope.siteName, language: row.language },
      publication_date: row.published_at!,
      title: row.headline,
    },
  }));
  if (items.length === 0) return EMPTY_NEWS_SITEMAP;
  return write(new SitemapStream({ level: ErrorLevel.THROW, xmlns: { news: true, video: false, image: false, xhtml: false } }), items);
}

/**
 * robots.txt: where the sitemaps are, and what crawlers should leave alone (the desk, readers'
 * accounts, the API's data; its OpenAPI document stays open as the API's public description).
 */
export function renderRobotsTxt(publicUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /api/openapi.json',
    'Disallow: /api/',
    'Disallow: /desk',
    'Disallow: /account',
    '',
    `Sitemap: ${publicUrl}${sitemapIndexPath}`,
    `Sitemap: ${publicUrl}${newsSitemapPath}`,
    '',
  ].join('\n');
}
