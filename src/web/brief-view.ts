import { snapshotBackground } from '../content/briefs.js';
import type { Config } from '../config/index.js';
import { getModerationSettings } from '../comments/policy-settings.js';
import { findComment, listPublishedComments, type CommentThread, type StoredComment } from '../comments/repository.js';
import { countComments } from '../comments/service.js';
import { commentingState, policiesFor, type CommentingState } from '../comments/subject-policy.js';
import { findBriefsByIds } from '../content/brief-repository.js';
import { findEntitiesByIds } from '../content/entities.js';
import { guessLanguage } from '../content/language-guess.js';
import { renderInlineMarkdown } from '../content/markdown.js';
import { laterChanges } from '../content/ledger.js';
import { findStory } from '../content/stories.js';
import { PUBLIC_STATUSES, type Brief, type Entity, type Language, type Story } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import { backgroundItemPath } from './paths.js';
import type { BackgroundListItem } from './views/BackgroundList.js';

/** An earlier brief the Previously section links to. */
export interface PreviousBriefLink {
  id: string;
  slug: string;
  headline: string;
  language: Language;
}

export const COMMENT_SORTS = ['oldest', 'newest'] as const;
export type CommentSort = (typeof COMMENT_SORTS)[number];
/** Top-level comments per page; each comes with all its replies. */
export const COMMENT_PAGE_SIZE = 20;

/** Which page of the comments a reader is on; forms carry it so the answer brings them back. */
export interface CommentPageState {
  sort: CommentSort;
  /** The cursor of this page; null on the first. */
  cursor: string | null;
}

/** The comment section's data, the same for every reader (what is theirs comes with CommentViewer). */
export interface CommentSection extends CommentPageState {
  /** Published top-level comments of this page, each with its published replies. */
  threads: CommentThread[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
  commenting: CommentingState;
  /** How long after posting authors may edit, from the site's moderation settings. */
  editWindowMinutes: number;
}

/** The sort a query asks for; anything unknown is the default, so an odd shared link still opens. */
export function commentSortOf(value: unknown): CommentSort {
  return value === 'newest' ? 'newest' : 'oldest';
}

/** A brief as shown: its background entries carry a mark where the claim's status moved on since. */
export type ShownBrief = Omit<Brief, 'background'> & { background: Array<Brief['background'][number] & BackgroundListItem> };

/** Everything BriefArticle renders, as plain data: the reader page and the desk preview share it. */
export interface BriefView {
  brief: ShownBrief;
  story: Story | null;
  /** The entities the brief names, in the order the brief lists them. */
  entities: Entity[];
  /** Only targets a reader can open, in the order the brief lists them. */
  previouslyLinks: PreviousBriefLink[];
  /** brief.details rendered from the inline Markdown subset; one HTML string per paragraph. */
  detailsHtml: string[];
  comments: CommentSection;
  /** Published comments and replies, all pages together. */
  commentCount: number;
  /** IANA zone every time on the page is shown in. */
  timeZone: string;
}

/**
 * Assembles the data for one brief article; works for any status, so the desk can preview drafts.
 * `page` picks the comments' order and page (the first, oldest first, by default).
 */
export async function loadBriefView(
  db: Executor,
  shown: Brief,
  config: Pick<Config, 'timeZone'>,
  page: Partial<CommentPageState> = {},
): Promise<BriefView> {
  const isUnpublished = shown.status === 'draft' || shown.status === 'in_review';
  const brief = isUnpublished ? { ...shown, background: await snapshotBackground(db, shown.background) } : shown;
  const sort = page.sort ?? 'oldest';
  const cursor = page.cursor ?? null;
  const [story, later, entities, linked, threads, counts, settings, policies] = await Promise.all([
    brief.storyId ? findStory(db, brief.storyId) : Promise.resolve(null),
    // A draft's preview already shows the items as they stand; nothing there is "later" yet.
    laterChanges(db, brief.background, isUnpublished ? null : brief.publishedAt),
    findEntitiesByIds(db, brief.entityIds),
    findBriefsByIds(db, brief.previouslyLinks),
    listPublishedComments(db, brief.id, { sort, limit: COMMENT_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    countComments(db, [brief.id]),
    getModerationSettings(db),
    policiesFor(db, brief.id, brief.storyId),
  ]);
  const entityById = new Map(entities.map((e) => [e.id, e]));
  // A link to a draft or a deleted brief would send readers to a 404 or 410, so it is left out.
  const linkById = new Map(linked.filter((b) => PUBLIC_STATUSES.includes(b.status)).map((b) => [b.id, b]));
  return {
    brief: {
      ...brief,
      background: brief.background.map((item) => {
        const entry = { ...item, textLanguage: guessLanguage(item.text, brief.language) };
        const change = item.itemId ? later.get(item.itemId) : undefined;
        if (!change || !story) return entry;
        const historyHref = backgroundItemPath(story, change.itemId, brief.language);
        return { ...entry, later: { status: change.status, changedAt: change.changedAt, timeZone: config.timeZone, historyHref } };
      }),
    },
    story,
    entities: brief.entityIds.flatMap((id) => entityById.get(id) ?? []),
    previouslyLinks: brief.previouslyLinks.flatMap((id) => {
      const target = linkById.get(id);
      return target ? [{ id: target.id, slug: target.slug, headline: target.headline, language: target.language }] : [];
    }),
    detailsHtml: brief.details.map(renderInlineMarkdown),
    comments: {
      sort, cursor, threads: threads.items, next: threads.next,
      // A draft's preview shows the section as readers will find it once it is published.
      commenting: commentingState(isUnpublished ? { status: 'published', publishedAt: null } : brief, policies, settings),
      editWindowMinutes: settings.editWindowMinutes,
    },
    commentCount: counts.get(brief.id) ?? 0,
    timeZone: config.timeZone,
  };
}

/** One published comment on its own, for the live script to insert, with what its forms need. */
export interface CommentFragmentView {
  brief: Brief;
  comment: StoredComment;
  /** 0 for a top-level comment, 1 or 2 for a reply. */
  depth: number;
  commenting: CommentingState;
  editWindowMinutes: number;
}

/**
 * A comment readers may see on this brief's page, or null: published, on this brief, and with
 * every comment above it published too (a hidden comment hides its replies).
 */
export async function loadCommentFragment(db: Executor, brief: Brief, commentId: string): Promise<CommentFragmentView | null> {
  const comment = await findComment(db, commentId);
  if (!comment || comment.briefId !== brief.id || comment.status !== 'published') return null;
  let depth = 0;
  for (let parentId = comment.parentId; parentId !== null; depth++) {
    const parent = await findComment(db, parentId);
    if (!parent || parent.status !== 'published' || depth >= 2) return null;
    parentId = parent.parentId;
  }
  const [settings, policies] = await Promise.all([getModerationSettings(db), policiesFor(db, brief.id, brief.storyId)]);
  return {
    brief, comment, depth,
    commenting: commentingState({ status: brief.status, publishedAt: brief.publishedAt }, policies, settings),
    editWindowMinutes: settings.editWindowMinutes,
  };
}
