import { snapshotBackground } from '../content/briefs.js';
import type { Config } from '../config/index.js';
import { listComments } from '../comments/service.js';
import { findBriefsByIds } from '../content/brief-repository.js';
import { findEntitiesByIds } from '../content/entities.js';
import { renderInlineMarkdown } from '../content/markdown.js';
import { findStory } from '../content/stories.js';
import { PUBLIC_STATUSES, type Brief, type Comment, type Entity, type Language, type Story } from '../content/types.js';
import type { Executor } from '../storage/database.js';

/** An earlier brief the Previously section links to. */
export interface PreviousBriefLink {
  id: string;
  slug: string;
  headline: string;
  language: Language;
}

/** Everything BriefArticle renders, as plain data: the reader page and the desk preview share it. */
export interface BriefView {
  brief: Brief;
  story: Story | null;
  /** The entities the brief names, in the order the brief lists them. */
  entities: Entity[];
  /** Only targets a reader can open, in the order the brief lists them. */
  previouslyLinks: PreviousBriefLink[];
  /** brief.details rendered from the inline Markdown subset; one HTML string per paragraph. */
  detailsHtml: string[];
  /** Published comments, oldest first. */
  comments: Comment[];
  commentCount: number;
  /** IANA zone every time on the page is shown in. */
  timeZone: string;
}

/** Assembles the data for one brief article; works for any status, so the desk can preview drafts. */
export async function loadBriefView(db: Executor, shown: Brief, config: Pick<Config, 'timeZone'>): Promise<BriefView> {
  const isUnpublished = shown.status === 'draft' || shown.status === 'in_review';
  const brief = isUnpublished ? { ...shown, background: await snapshotBackground(db, shown.background) } : shown;
  const [story, entities, linked, comments] = await Promise.all([
    brief.storyId ? findStory(db, brief.storyId) : Promise.resolve(null),
    findEntitiesByIds(db, brief.entityIds),
    findBriefsByIds(db, brief.previouslyLinks),
    listComments(db, brief.id),
  ]);
  const entityById = new Map(entities.map((e) => [e.id, e]));
  // A link to a draft or a deleted brief would send readers to a 404 or 410, so it is left out.
  const linkById = new Map(linked.filter((b) => PUBLIC_STATUSES.includes(b.status)).map((b) => [b.id, b]));
  return {
    brief,
    story,
    entities: brief.entityIds.flatMap((id) => entityById.get(id) ?? []),
    previouslyLinks: brief.previouslyLinks.flatMap((id) => {
      const target = linkById.get(id);
      return target ? [{ id: target.id, slug: target.slug, headline: target.headline, language: target.language }] : [];
    }),
    detailsHtml: brief.details.map(renderInlineMarkdown),
    comments,
    commentCount: comments.length,
    timeZone: config.timeZone,
  };
}
