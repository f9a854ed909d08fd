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
export const deskBriefPath = (brief: { id: string }) => `/desk/briefs/${encodeURIComponent(brief.id)}`;
/** The history of one background item of a story: every state it was in, who changed it and when. */
export const backgroundItemPath = (story: { slug: string }, itemId: string, language: Language) =>
  `/${language}/stories/${encodeURIComponent(story.slug)}/background/${encodeURIComponent(itemId)}`;
export const searchPath = (language: Language) => `/${language}/search`;
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
