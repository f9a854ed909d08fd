// Public URL paths, in one place: pages, feeds, the API and the desk all link with these.

export const briefPath = (brief: { slug: string }) => `/news/${encodeURIComponent(brief.slug)}`;
export const storyPath = (story: { slug: string }) => `/stories/${encodeURIComponent(story.slug)}`;
export const entityPath = (entity: { slug: string }) => `/entities/${encodeURIComponent(entity.slug)}`;
export const deskBriefPath = (brief: { id: string }) => `/desk/briefs/${encodeURIComponent(brief.id)}`;
