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
/** Briefs on the first page of a home, story or entity (web/loaders.ts), which its lastmod follows. */
const FIRST_PAGE = 20;
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
 * named by the (published time, id) of its first brief and read by keyset from there. The pages
 * are found by stepping `size` briefs along briefs_published, which carries status and updated_at,
 * so the index answers without touching a row; that is still one pass over the index per render
 * (the index lists the whole archive), which the page cache absorbs.
 */
async function briefPages(db: Executor, size: number): Promise<{ start: string; lastmod: string }[]> {
  const pages: { start: string; lastmod: string }[] = [];
  const inOrder = (from: { id: string; published_at: string | null } | null) => {
    let query = publicBriefs(db).orderBy('briefs.published_at').orderBy('briefs.id');
    if (from) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('briefs.published_at', 'briefs.id'), '>=', tuple(from.published_at!, from.id)));
    return query;
  };
  let start = await inOrder(null).select(['briefs.id', 'briefs.published_at']).limit(1).executeTakeFirst();
  while (start) {
    const from = start;
    const [page, next] = await Promise.all([
      db.selectFrom(inOrder(from).select('briefs.updated_at').limit(size).as('page'))
        .select(sql<string>`max(page.updated_at)`.as('lastmod')).executeTakeFirstOrThrow(),
      inOrder(from).select(['briefs.id', 'briefs.published_at']).limit(1).offset(size).executeTakeFirst(),
    ]);
    pages.push({ start: encodeCursor({ at: from.published_at!, id: from.id }), lastmod: page.lastmod });
    start = next;
  }
  return pages;
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
    .where(({ eb, refTuple, tuple }) => eb(refTuple('briefs.published_at', 'briefs.id'), '>=', tuple(from.at, from.id)))
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
 * brief on its first page (what a crawler fetching the address sees), read along the index in
 * the page's own order rather than by grouping every brief.
 */
async function sitePages(db: Executor): Promise<SitePage[]> {
  const newestOf = <T extends { updated_at: string }>(rows: T[]) => rows.reduce<string | undefined>((a, row) => latest(a, row.updated_at), undefined);
  const [homes, stories, entities] = await Promise.all([
    Promise.all(LANGUAGES.map(async (language) => [language, newestOf(await publicBriefs(db).select('briefs.updated_at')
      .where('briefs.language', '=', language).orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc').limit(FIRST_PAGE).execute())] as const)),
    db.selectFrom('stories').select(['stories.id', 'stories.slug', 'stories.updated_at', (eb) => eb
      .selectFrom(publicBriefs(db).select('briefs.updated_at').where('briefs.story_id', '=', eb.ref('stories.id'))
        .orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc').limit(FIRST_PAGE).as('shown'))
      .select(sql<string | null>`max(shown.updated_at)`.as('lastmod')).as('lastmod')])
      .orderBy('stories.created_at').orderBy('stories.id').execute(),
    db.selectFrom('entities').select(['entities.id', 'entities.slug', 'entities.updated_at', (eb) => eb
      .selectFrom(db.selectFrom('brief_entities').innerJoin('briefs', 'briefs.id', 'brief_entities.brief_id').select('briefs.updated_at')
        .where('brief_entities.entity_id', '=', eb.ref('entities.id')).where('brief_entities.published_at', 'is not', null)
        .where('briefs.status', 'in', [...PUBLIC_STATUSES])
        .orderBy('brief_entities.published_at', 'desc').orderBy('brief_entities.brief_id', 'desc').limit(FIRST_PAGE).as('shown'))
      .select(sql<string | null>`max(shown.updated_at)`.as('lastmod')).as('lastmod')])
      .orderBy('entities.created_at').orderBy('entities.id').execute(),
  ]);
  const homeLastmod = new Map(homes);
  const inEveryLanguage = (pathIn: (language: Language) => string, lastmodIn: (language: Language) => string | undefined): SitePage[] => {
    const paths = Object.fromEntries(LANGUAGES.map((language) => [language, pathIn(language)])) as Record<Language, string>;
    return LANGUAGES.map((language) => ({ path: paths[language], paths, lastmod: lastmodIn(language) }));
  };
  return [
    // A home lists only its language's briefs, so each has its own lastmod.
    ...inEveryLanguage(homePath, (language) => homeLastmod.get(language)),
    ...stories.flatMap((story) => inEveryLanguage((language) => storyPath(story, language), () => latest(story.updated_at, story.lastmod))),
    ...entities.flatMap((entity) => inEveryLanguage((language) => entityPath(entity, language), () => latest(entity.updated_at, entity.lastmod))),
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
