import type { Language } from '../content/types.js';

// Public URL paths, in one place: pages, feeds, the API and the desk all link with these.
// A brief's address carries no language: the brief has exactly one. Pages that exist in every
// language (home, story, entity, search, an item's history) take it as their first segment, so
// each language version is its own URL that caches, search engines and hreflang can name.

export const briefPath = (brief: { slug: string }) => `/news/${encodeURIComponent(brief.slug)}`;
/** The home page in one language: its briefs, its labels. */
export const homePath = (language: Language) => `/${language}/`;
export const storyPath = (story: { slug: string }, language: Language) => `/${language}/stories/${encodeURIComponent(story.slug)}`;
export const entityPath = (entity: { slug: string }, language: Language) => `/${language}/entities/${encodeURIComponent(entity.slug)}`;
/** The three formats every feed comes in. */
export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
export const FEED_EXTENSIONS: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'feed.atom', json: 'feed.json' };
/** Whose briefs a feed carries: the whole site, one language, one story or one entity (labelled in a language). */
export type FeedPathScope =
  | { kind: 'site' }
  | { kind: 'language'; language: Language }
  | { kind: 'story'; story: { slug: string }; language: Language }
  | { kind: 'entity'; entity: { slug: string }; language: Language };
/** A feed's address: beside the page it follows (`/feed.xml`, `/uk/feed.atom`, `/uk/stories/x/feed.json`). */
export function feedPath(scope: FeedPathScope, format: FeedFormat): string {
  const file = FEED_EXTENSIONS[format];
  if (scope.kind === 'site') return `/${file}`;
  if (scope.kind === 'language') return `${homePath(scope.language)}${file}`;
  if (scope.kind === 'story') return `${storyPath(scope.story, scope.language)}/${file}`;
  return `${entityPath(scope.entity, scope.language)}/${file}`;
}
/** The feed that follows a page, by the page's path: home, a language's home, a story, an entity; null for others. */
export function feedScopeOfPath(path: string): FeedPathScope | null {
  const bare = path.split('?')[0]!;
  if (bare === '/') return { kind: 'site' };
  const match = /^\/(uk|en|ru)\/(?:(stories|entities)\/([^/]+))?$/.exec(bare);
  if (!match) return null;
  const language = match[1] as Language;
  if (!match[2]) return { kind: 'language', language };
  const slug = decodeURIComponent(match[3]!);
  return match[2] === 'stories' ? { kind: 'story', story: { slug }, language } : { kind: 'entity', entity: { slug }, language };
}
/** What each feed format is called in discovery links and its media type there. */
export const FEED_LINK_TYPES: Record<FeedFormat, { type: string; name: string }> = {
  rss: { type: 'application/rss+xml', name: 'RSS' },
  atom: { type: 'application/atom+xml', name: 'Atom' },
  json: { type: 'application/feed+json', name: 'JSON Feed' },
};
export const deskBriefPath = (brief: { id: string }) => `/desk/briefs/${encodeURIComponent(brief.id)}`;
/** The history of one background item of a story: every state it was in, who changed it and when. */
export const backgroundItemPath = (story: { slug: string }, itemId: string, language: Language) =>
  `/${language}/stories/${encodeURIComponent(story.slug)}/background/${encodeURIComponent(itemId)}`;
export const searchPath = (language: Language) => `/${language}/search`;
/** The sitemap index, which crawlers find through robots.txt. */
export const sitemapIndexPath = '/sitemap.xml';
/** The Google News sitemap: briefs of the last 48 hours. */
export const newsSitemapPath = '/sitemap-news.xml';
/** One page of the briefs sitemap, named by the keyset cursor of its first brief. */
export const briefsSitemapPath = (start: string) => `/sitemaps/briefs-${start}.xml`;
/** One page of the sitemap of homes, stories and entities, numbered from 1. */
export const pagesSitemapPath = (page: number) => `/sitemaps/pages-${page}.xml`;
/** The event stream of one language's home page, or of the all-languages home. */
export const liveBriefsPath = (language: Language | null) => (language ? `/live/briefs?lang=${language}` : '/live/briefs');
/** The event stream of a story page; by id, which unlike the slug never changes. */
export const liveStoryPath = (story: { id: string }) => `/live/stories/${encodeURIComponent(story.id)}`;

/**
 * The same page in another language, for the language switcher: `/uk/stories/x?cursor=…` →
 * `/ru/stories/x?cursor=…`, `/` → `/ru/`. Null for paths that do not exist per language
 * (a brief, the account pages), whose other-language versions are found some other way.
 */
export function pathInLanguage(path: string, language: Language): string | null {
  const match = /^\/(?:uk|en|ru)(\/.*)?$/.exec(path.split('?')[0]!);
  if (path === '/' || path.startsWith('/?')) return homePath(language);
  if (!match) return null;
  const rest = path.slice(3);
  return `/${language}${rest === '' ? '/' : rest}`;
}
