import type { Config } from '../config/index.js';
import { countComments } from '../comments/service.js';
import { gone, notFound } from '../common/errors.js';
import { findBriefBySlug, findBriefsByIds, listBriefs, wasEverPublished } from '../content/brief-repository.js';
import { entityName, findEntitiesByIds, findEntityBySlug } from '../content/entities.js';
import { guessLanguage } from '../content/language-guess.js';
import { findStory, findStoryBySlug, listBackground } from '../content/stories.js';
import { listBackgroundNaming, type BackgroundMention } from '../content/tagging.js';
import { groupEntry, listPinnedBriefIds, listStoryEntityIds, listTimelineMembers, listTranslations, type TimelineMember } from '../content/timeline.js';
import { LANGUAGES, PUBLIC_STATUSES, type BackgroundItem, type Brief, type Entity, type Language, type Story } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import { loadBriefView, type BriefView, type CommentPageState } from './brief-view.js';
import { backgroundItemPath } from './paths.js';
import type { BriefListItem, TranslationLink } from './views/BriefList.js';
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
async function withCommentCounts(db: Executor, items: Omit<BriefListItem, 'commentCount'>[]): Promise<BriefListItem[]> {
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

/** A brief's page: the article and its public translations ("Also in"). */
export interface BriefPageView extends BriefView {
  translations: TranslationLink[];
  /** Every translation, shown or not yet public: publishing or deleting one changes the links. */
  translationIds: string[];
  /** Display names of the brief's authors, in the brief's order, for its structured data. */
  authorNames: string[];
}

async function authorNamesOf(db: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r.display_name]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One brief for readers, with the page of comments `page` asks for and links to its translations. */
export async function loadBriefPage(db: Executor, slug: string, config: Pick<Config, 'timeZone'>, page: Partial<CommentPageState> = {}): Promise<BriefPageView> {
  return loadBriefPageOf(db, await findReadableBrief(db, slug), config, page);
}

/** The page of a brief already found: readers' briefs, and the desk's preview of any brief, alike. */
export async function loadBriefPageOf(db: Executor, brief: Brief, config: Pick<Config, 'timeZone'>, page: Partial<CommentPageState> = {}): Promise<BriefPageView> {
  const [view, translations, authorNames] = await Promise.all([loadBriefView(db, brief, config, page), listTranslations(db, brief.id), authorNamesOf(db, brief.authorIds)]);
  return {
    ...view,
    authorNames,
    translations: translations.filter((t) => PUBLIC_STATUSES.includes(t.status)).map((t) => ({ slug: t.slug, language: t.language, headline: t.headline })),
    translationIds: translations.map((t) => t.id),
  };
}

export interface StoryPageData {
  story: Story;
  /** The page's language: labels, times, entity names and which translation stands for a group. */
  language: Language;
  /** Briefs pinned as key events, in the order they were published; on the first page only. */
  keyEvents: BriefListItem[];
  /** The timeline, newest first: one entry per translation group. */
  items: BriefListItem[];
  next: string | null;
  background: BackgroundListItem[];
  /** People, organisations and places the story's briefs are tagged with, by name. */
  entities: Entity[];
}

function attributionOf(item: BackgroundItem, entities: Map<string, Entity>, language: Language): string | null {
  const entity = item.attributionEntityId ? entities.get(item.attributionEntityId) : undefined;
  return [entity ? entityName(entity, language) : null, item.attributionSource].filter(Boolean).join(', ') || null;
}

/**
 * How a set of a story's briefs fall into translation groups: which brief stands for each group
 * on a page in `language`, and the other briefs of a brief's group.
 */
function groupingOf(members: TimelineMember[], story: Story, language: Language) {
  // A brief moved to another story keeps its group; it stands for nothing on this story's page.
  const here = members.filter((m) => m.storyId === story.id);
  const byId = new Map(here.map((m) => [m.id, m]));
  const byGroup = new Map<string, TimelineMember[]>();
  for (const m of here) if (m.translationGroup) byGroup.set(m.translationGroup, [...(byGroup.get(m.translationGroup) ?? []), m]);
  const groupOf = (id: string): TimelineMember[] => {
    const group = byId.get(id)?.translationGroup;
    return group ? byGroup.get(group) ?? [] : [];
  };
  return {
    /** The brief standing for `id`'s group (itself when it has no translations). */
    entryOf: (id: string): string => {
      const group = groupOf(id);
      return group.length > 0 ? groupEntry(group, language, story.language).id : id;
    },
    translationsOf: (id: string): TranslationLink[] => groupOf(id).filter((m) => m.id !== id)
      .sort((a, b) => LANGUAGES.indexOf(a.language) - LANGUAGES.indexOf(b.language))
      .map((m) => ({ slug: m.slug, language: m.language, headline: m.headline })),
  };
}

/**
 * A story as a timeline in `language`: key events pinned at the top, then its public briefs newest
 * first with each translation group as one entry (in the page's language when the group has it),
 * the background ledger as it stands now, and the entities its briefs name.
 */
export async function loadStoryPage(db: Executor, slug: string, language: Language, query: { cursor?: string }): Promise<StoryPageData> {
  const story = await findStoryBySlug(db, slug);
  if (!story) throw notFound('Story');
  const [page, items, pinnedIds, entityIds] = await Promise.all([
    listBriefs(db, { storyId: story.id, cursor: query.cursor, limit: PAGE_SIZE }),
    listBackground(db, story.id),
    query.cursor ? Promise.resolve([]) : listPinnedBriefIds(db, story.id),
    listStoryEntityIds(db, story.id),
  ]);
  const grouping = groupingOf(await listTimelineMembers(db, [...new Set([...page.items.map((b) => b.id), ...pinnedIds])]), story, language);
  const keyIds = [...new Set(pinnedIds.map((id) => grouping.entryOf(id)))];
  const keyBriefs = new Map((await findBriefsByIds(db, keyIds)).map((b) => [b.id, b]));
  const entities = await findEntitiesByIds(db, [...new Set([...items.flatMap((i) => i.attributionEntityId ?? []), ...entityIds])]);
  const entityMap = new Map(entities.map((e) => [e.id, e]));
  const collator = new Intl.Collator(language);
  const entry = (brief: Brief) => ({ brief, translations: grouping.translationsOf(brief.id) });
  return {
    story,
    language,
    keyEvents: await withCommentCounts(db, keyIds.flatMap((id) => keyBriefs.get(id) ?? []).map(entry)),
    items: await withCommentCounts(db, page.items.filter((b) => grouping.entryOf(b.id) === b.id).map(entry)),
    next: page.next,
    background: items.map((item) => ({
      text: item.text, status: item.status, attribution: attributionOf(item, entityMap, language),
      historyHref: backgroundItemPath(story, item.id, language), textLanguage: guessLanguage(item.text, story.language),
    })),
    entities: entityIds.flatMap((id) => entityMap.get(id) ?? [])
      .sort((a, b) => collator.compare(entityName(a, language), entityName(b, language))),
  };
}

export interface EntityPageData {
  entity: Entity;
  items: BriefListItem[];
  next: string | null;
  /** Background items naming the entity, by story; only on the first page of briefs. */
  background: { story: Story; items: (BackgroundMention & { textLanguage: Language })[] }[];
}

/** How many of the most recently changed stories an entity page reads the ledgers of. */
const ENTITY_BACKGROUND_STORIES = 20;

/** An entity with the public briefs that name it, newest first. */
export async function loadEntityPage(db: Executor, slug: string, query: { cursor?: string }): Promise<EntityPageData> {
  const entity = await findEntityBySlug(db, slug);
  if (!entity) throw notFound('Entity');
  const page = await listBriefs(db, { entityId: entity.id, cursor: query.cursor, limit: PAGE_SIZE });
  // Background from the stories of the briefs on the first page and the most recently changed
  // stories: bounded, however many stories the archive holds (every item is read with the
  // gazetteer's matcher, so reading every ledger grew with the archive).
  const recent = query.cursor ? [] : await db.selectFrom('stories').select('id').orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(ENTITY_BACKGROUND_STORIES).execute();
  const backgroundStoryIds = query.cursor ? [] : [...new Set([
    ...page.items.flatMap((brief) => (brief.storyId ? [brief.storyId] : [])), ...recent.map((row) => row.id),
  ])];
  const mentions = await listBackgroundNaming(db, entity, backgroundStoryIds);
  const stories = await storiesById(db, [...page.items.map((b) => b.storyId), ...mentions.map((m) => m.storyId)]);
  const background = [...new Set(mentions.map((m) => m.storyId))].flatMap((storyId) => {
    const story = stories.get(storyId);
    if (!story) return [];
    const items = mentions.filter((m) => m.storyId === storyId).map((m) => ({ ...m, textLanguage: guessLanguage(m.text, story.language) }));
    return [{ story, items }];
  });
  return {
    entity,
    items: await withCommentCounts(db, page.items.map((brief) => ({ brief, story: brief.storyId ? stories.get(brief.storyId) ?? null : null }))),
    next: page.next,
    background,
  };
}
