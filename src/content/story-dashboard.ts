import { DELETED_DISPLAY_NAME } from '../accounts/readers.js';
import type { Executor } from '../storage/database.js';
import { countComments } from '../comments/service.js';
import { listBackground } from './stories.js';
import type { BackgroundItem, BriefStatus, ClaimStatus, Language } from './types.js';

// What the desk's story dashboard shows at a glance: where the story's briefs stand, which
// background items are still open, and how much readers are saying. One loader, so the route
// stays thin and the counts are tested apart from the page.

/** A brief as the dashboard lists it. */
export interface DashboardBrief {
  id: string;
  headline: string;
  language: Language;
  status: BriefStatus;
  slug: string;
  publishedAt: string | null;
  updatedAt: string;
}

export interface DashboardComment {
  id: string;
  briefId: string;
  briefHeadline: string;
  briefSlug: string;
  briefLanguage: Language;
  authorName: string;
  body: string;
  createdAt: string;
}

/** Claims that still wait for news: the ones an editor should keep an eye on. */
export const OPEN_CLAIM_STATUSES = ['claimed', 'unverified'] as const satisfies readonly ClaimStatus[];
export type OpenClaimStatus = (typeof OPEN_CLAIM_STATUSES)[number];

export interface StoryDashboard {
  briefs: { draft: DashboardBrief[]; inReview: DashboardBrief[]; published: DashboardBrief[] };
  /** Items still claimed or unverified, in ledger order. */
  openItems: Record<OpenClaimStatus, BackgroundItem[]>;
  /** Published comments readers can see on all the story's briefs. */
  commentCount: number;
  latestComments: DashboardComment[];
}

const LATEST_COMMENTS = 5;

/** Published comments that readers can see, as countComments counts them: no reply under a hidden one. */
function visibleComments(db: Executor, briefIds: string[]) {
  return db.selectFrom('comments as c')
    .innerJoin('briefs as b', 'b.id', 'c.brief_id')
    .leftJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('comments as p', 'p.id', 'c.parent_id')
    .leftJoin('comments as g', 'g.id', 'p.parent_id')
    .where('c.brief_id', 'in', briefIds).where('c.status', '=', 'published').where('c.deleted_at', 'is', null)
    .where((eb) => eb.or([
      eb('c.parent_id', 'is', null),
      eb.and([
        eb('p.status', '=', 'published'), eb('p.deleted_at', 'is', null),
        eb.or([eb('p.parent_id', 'is', null), eb.and([eb('g.status', '=', 'published'), eb('g.deleted_at', 'is', null)])]),
      ]),
    ]));
}

/** The story's briefs by stage, its open background items by status, and its comments. */
export async function loadStoryDashboard(db: Executor, storyId: string): Promise<StoryDashboard> {
  const [rows, items] = await Promise.all([
    db.selectFrom('briefs')
      .select(['id', 'headline', 'language', 'status', 'slug', 'published_at', 'updated_at'])
      .where('story_id', '=', storyId).where('status', 'in', ['draft', 'in_review', 'published', 'corrected'])
      .orderBy('updated_at', 'desc').orderBy('id', 'desc').execute(),
    listBackground(db, storyId),
  ]);
  const briefs = rows.map((r): DashboardBrief => ({
    id: r.id, headline: r.headline, language: r.language as Language, status: r.status as BriefStatus, slug: r.slug,
    publishedAt: r.published_at, updatedAt: r.updated_at,
  }));
  const publicIds = briefs.filter((b) => b.status === 'published' || b.status === 'corrected').map((b) => b.id);
  const [counts, latest] = await Promise.all([
    countComments(db, publicIds),
    publicIds.length === 0 ? Promise.resolve([]) : visibleComments(db, publicIds)
      .select(['c.id', 'c.brief_id', 'c.author_name', 'c.body', 'c.created_at', 'c.user_id', 'b.headline', 'b.slug', 'b.language', 'u.display_name', 'u.deleted_at as user_deleted_at'])
      .orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(LATEST_COMMENTS).execute(),
  ]);
  return {
    briefs: {
      draft: briefs.filter((b) => b.status === 'draft'),
      inReview: briefs.filter((b) => b.status === 'in_review'),
      // Newest publication first; a correction is still the published brief.
      published: briefs.filter((b) => b.status === 'published' || b.status === 'corrected')
        .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || b.id.localeCompare(a.id)),
    },
    openItems: {
      claimed: items.filter((i) => i.status === 'claimed'),
      unverified: items.filter((i) => i.status === 'unverified'),
    },
    commentCount: [...counts.values()].reduce((sum, n) => sum + n, 0),
    latestComments: latest.map((r): DashboardComment => ({
      id: r.id, briefId: r.brief_id, briefHeadline: r.headline, briefSlug: r.slug, briefLanguage: r.language as Language,
      // Named as readers see them: an imported comment keeps the name it came with.
      authorName: r.user_id === null ? r.author_name : r.user_deleted_at !== null ? DELETED_DISPLAY_NAME : r.display_name ?? r.author_name,
      body: r.body, createdAt: r.created_at,
    })),
  };
}
