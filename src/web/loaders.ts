import type { Config } from '../config/index.js';
import { countComments } from '../comments/service.js';
import { gone, notFound } from '../common/errors.js';
import { findBriefBySlug, listBriefs, wasEverPublished } from '../content/brief-repository.js';
import { entityName, findEntitiesByIds, findEntityBySlug } from '../content/entities.js';
import { findStory, findStoryBySlug, listBackground } from '../content/stories.js';
import { PUBLIC_STATUSES, type BackgroundItem, type Brief, type Entity, type Language, type Story } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import { loadBriefView, type BriefView, type CommentPageState } from './brief-view.js';
import type { BriefListItem } from './views/BriefList.js';
import type { BackgroundListItem } from './views/BackgroundList.js';

// Loaders assemble everything a page shows, so routes stay thin and views never touch the database.
// "Not there" is thrown as an AppError; the web plugin's error handler turns it into an HTML page.

const PAGE_SIZE = 20;


async function storiesById(db: Executor, ids: (string | null)[]): Promise<Map<string, Story>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  const stories = await Promise.all(unique.map((id) => findStory(db, id)));
  return new Map(stories.flatMap((s) => (s ? [[s.id, s] as const] : [])));
}

/** Brief list items with their comment counts, which every link to a brief shows. */
async function withCommentCounts(db: Executor, items: { brief: Brief; story?: Story | null }[]): Promise<BriefListItem[]> {
  const counts = await countComments(db, items.map((item) => item.brief.id));
  return items.map((item) => ({ ...item, commentCount: counts.get(item.brief.id) ?? 0 }));
}

export interface HomePageData {
  items: BriefListItem[];
  next: string | null;
  language: Language | null;
}

/** The latest public briefs, newest first, with their story and comment count. */
export async function loadHomePage(db: Executor, query: { lang?: Language; cursor?: string }): Promise<HomePageData> {
  const page = await listBriefs(db, { language: query.lang, cursor: query.cursor, limit: PAGE_SIZE });
  const stories = await storiesById(db, page.items.map((b) => b.storyId));
  return {
    items: await withCommentCounts(db, page.items.map((brief) => ({ brief, story: brief.storyId ? stories.get(brief.storyId) ?? null : null }))),
    next: page.next,
    language: query.lang ?? null,
  };
}

/**
 * A brief readers may open, by slug. Drafts and briefs in review do not exist as far as readers
 * know (404); a deleted brief that readers once saw answers 410 so search engines drop it.
 */
export async function findReadableBrief(db: Executor, slug: string): Promise<Brief> {
  const brief = await findBriefBySlug(db, slug);
  if (!brief) throw notFound('Brief');
  if (brief.status === 'deleted') {
    // publishedAt alone is not proof: a draft may carry a dateline before it is ever published.
    const wasPublished = await wasEverPublished(db, brief.id);
    throw wasPublished ? gone() : notFound('Brief');
  }
  if (!PUBLIC_STATUSES.includes(brief.status)) throw notFound('Brief');
  return brief;
}

/** One brief for readers, with the page of comments `page` asks for. */
export async function loadBriefPage(db: Executor, slug: string, config: Pick<Config, 'timeZone'>, page: Partial<CommentPageState> = {}): Promise<BriefView> {
  return loadBriefView(db, await findReadableBrief(db, slug), config, page);
}

export interface StoryPageData {
  story: Story;
  items: BriefListItem[];
  next: string | null;
  background: BackgroundListItem[];
}

function attributionOf(item: BackgroundItem, entities: Map<string, Entity>, language: Language): string | null {
  const entity = item.attributionEntityId ? entities.get(item.attributionEntityId) : undefined;
  return [entity ? entityName(entity, language) : null, item.attributionSource].filter(Boolean).join(', ') || null;
}

/** A story with its public briefs (newest first) and its background ledger as it stands now. */
export async function loadStoryPage(db: Executor, slug: string, query: { cursor?: string }): Promise<StoryPageData> {
  const story = await findStoryBySlug(db, slug);
  if (!story) throw notFound('Story');
  const [page, items] = await Promise.all([
    listBriefs(db, { storyId: story.id, cursor: query.cursor, limit: PAGE_SIZE }),
    listBackground(db, story.id),
  ]);
  const entities = await findEntitiesByIds(db, items.flatMap((i) => i.attributionEntityId ?? []));
  const entityMap = new Map(entities.map((e) => [e.id, e]));
  return {
    story,
    items: await withCommentCounts(db, page.items.map((brief) => ({ brief }))),
    next: page.next,
    background: items.map((item) => ({ text: item.text, status: item.status, attribution: attributionOf(item, entityMap, story.language) })),
  };
}

export interface EntityPageData {
  entity: Entity;
  items: BriefListItem[];
  next: string | null;
}

/** An entity with the public briefs that name it, newest first. */
export async function loadEntityPage(db: Executor, slug: string, query: { cursor?: string }): Promise<EntityPageData> {
  const entity = await findEntityBySlug(db, slug);
  if (!entity) throw notFound('Entity');
  const page = await listBriefs(db, { entityId: entity.id, cursor: query.cursor, limit: PAGE_SIZE });
  const stories = await storiesById(db, page.items.map((b) => b.storyId));
  return {
    entity,
    items: await withCommentCounts(db, page.items.map((brief) => ({ brief, story: brief.storyId ? stories.get(brief.storyId) ?? null : null }))),
    next: page.next,
  };
}
