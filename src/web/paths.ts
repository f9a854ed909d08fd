import type { Language } from '../content/types.js';

// Public URL paths, in one place: pages, feeds, the API and the desk all link with these.
// A brief's address carries no language: the brief has exactly one. Pages that exist in every
// language (home, story, entity, search, an item's history) take it as their first segment.

export const briefPath = (brief: { slug: string }) => `/news/${encodeURIComponent(brief.slug)}`;
export const storyPath = (story: { slug: string }) => `/stories/${encodeURIComponent(story.slug)}`;
export const entityPath = (entity: { slug: string }) => `/entities/${encodeURIComponent(entity.slug)}`;
export const deskBriefPath = (brief: { id: string }) => `/desk/briefs/${encodeURIComponent(brief.id)}`;
/** The history of one background item of a story: every state it was in, who changed it and when. */
export const backgroundItemPath = (story: { slug: string }, itemId: string, language: Language) =>
  `/${language}/stories/${encodeURIComponent(story.slug)}/background/${encodeURIComponent(itemId)}`;
export const searchPath = (language: Language) => `/${language}/search`;
