import { isStaffRole } from '../accounts/policy.js';
import { DELETED_DISPLAY_NAME } from '../accounts/readers.js';
import { decodeCursor, encodeCursor, type Page } from '../common/cursor.js';
import type { Executor } from '../storage/database.js';
import type { CommentStatus, ModerationReason } from './pipeline.js';

// Comment queries, written once for both engines. Times are ISO-8601 UTC strings of one fixed
// width, so comparing them as text orders them in time.

/** A comment as the service and presenters see it, author resolved. */
export interface StoredComment {
  id: string;
  briefId: string;
  parentId: string | null;
  userId: string | null;
  /** The account's current name, "deleted account" once it is deleted, or the imported name. */
  authorName: string;
  isStaff: boolean;
  body: string;
  status: CommentStatus;
  reasons: ModerationReason[];
  isFlagged: boolean;
  isFeatured: boolean;
  /** Reports not yet reviewed by a moderator. */
  reportCount: number;
  createdAt: string;
  editedAt: string | null;
  reviewedAt: string | null;
}

/** A top-level comment with its published replies, oldest first; each reply names its parent. */
export interface CommentThread extends StoredComment {
  replies: StoredComment[];
}

function parseReasons(raw: string): ModerationReason[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((r): r is ModerationReason => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

export function selectComments(db: Executor) {
  return db
    .selectFrom('comments')
    .leftJoin('users', 'users.id', 'comments.user_id')
    .select([
      'comments.id', 'comments.brief_id', 'comments.parent_id', 'comments.user_id', 'comments.author_name', 'comments.body',
      'comments.status', 'comments.reasons', 'comments.is_flagged', 'comments.created_at', 'comments.edited_at',
      'comments.featured', 'comments.report_count', 'comments.reviewed_at',
      'users.display_name', 'users.role', 'users.deleted_at as user_deleted_at',
    ]);
}

export type CommentSelectRow = Awaited<ReturnType<ReturnType<typeof selectComments>['execute']>>[number];

export function toComment(row: CommentSelectRow): StoredComment {
  let authorName = row.author_name;
  if (row.user_id !== null) authorName = row.user_deleted_at !== null ? DELETED_DISPLAY_NAME : row.display_name ?? row.author_name;
  return {
    id: row.id,
    briefId: row.brief_id,
    parentId: row.parent_id,
    userId: row.user_id,
    authorName,
    isStaff: row.user_id !== null && row.user_deleted_at === null && isStaffRole(row.role),
    body: row.body,
    status: row.status as CommentStatus,
    reasons: parseReasons(row.reasons),
    isFlagged: row.is_flagged === 1,
    isFeatured: row.featured === 1,
    reportCount: row.report_count,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    reviewedAt: row.reviewed_at,
  };
}

export async function findComment(db: Executor, id: string): Promise<StoredComment | null> {
  const row = await selectComments(db).where('comments.id', '=', id).where('comments.deleted_at', 'is', null).executeTakeFirst();
  return row ? toComment(row) : null;
}

/** How many comments a column value (an author, an address) wrote since `since`, and the oldest one's time. */
export async function countCommentsSince(db: Executor, by: { userId: string } | { ipHash: string }, since: string): Promise<{ count: number; oldest: string | null }> {
  let query = db.selectFrom('comments')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('created_at', '>', since);
  query = 'userId' in by ? query.where('user_id', '=', by.userId) : query.where('ip_hash', '=', by.ipHash);
  const row = await query.executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
}

/** Bodies of an author's comments since `since`, whatever became of them. */
export async function recentBodiesOf(db: Executor, userId: string, since: string): Promise<string[]> {
  const rows = await db.selectFrom('comments').select('body').where('user_id', '=', userId).where('created_at', '>', since).execute();
  return rows.map((r) => r.body);
}

const PUBLISHED = 'published';

/**
 * Published top-level comments of a brief, a page at a time, each with its published replies.
 * A reply whose parent is not published is not shown: its thread is hidden with it.
 */
export async function listPublishedComments(
  db: Executor,
  briefId: string,
  opts: { sort?: 'oldest' | 'newest'; cursor?: string; limit?: number } = {},
): Promise<Page<CommentThread>> {
  const isNewest = opts.sort === 'newest';
  const limit = opts.limit ?? 20;
  const cursor = decodeCursor(opts.cursor);
  const direction = isNewest ? 'desc' : 'asc';
  let query = selectComments(db)
    .where('comments.brief_id', '=', briefId)
    .where('comments.parent_id', 'is', null)
    .where('comments.status', '=', PUBLISHED)
    .where('comments.deleted_at', 'is', null);
  if (cursor) {
    // A row value is one range of comments_brief_page, already in order; the equivalent OR is two.
    const op = isNewest ? '<' : '>';
    query = query.where((eb) => eb(eb.refTuple('comments.created_at', 'comments.id'), op, eb.tuple(cursor.at, cursor.id)));
  }
  const rows = await query.orderBy('comments.created_at', direction).orderBy('comments.id', direction).limit(limit + 1).execute();
  const top = rows.slice(0, limit).map(toComment);
  const last = top.at(-1);
  const next = rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null;

  // Two levels of replies at most (the service flattens deeper ones), so two queries fetch them all.
  // The brief's id too: it leads comments_brief_page (brief_id, status, parent_id), one small range.
  // Without it SQLite, having no statistics, preferred comments_status_created (status=?) and read
  // every published comment of the archive: seconds per brief page at a million comments.
  const repliesTo = async (parentIds: string[]) => parentIds.length === 0 ? [] : (await selectComments(db)
    .where('comments.brief_id', '=', briefId)
    .where('comments.parent_id', 'in', parentIds)
    .where('comments.status', '=', PUBLISHED)
    .where('comments.deleted_at', 'is', null)
    .execute()).map(toComment);
  const firstLevel = await repliesTo(top.map((c) => c.id));
  const secondLevel = await repliesTo(firstLevel.map((c) => c.id));
  const rootOf = new Map<string, string>();
  for (const reply of firstLevel) rootOf.set(reply.id, reply.parentId!);
  for (const reply of secondLevel) rootOf.set(reply.id, rootOf.get(reply.parentId!)!);
  const byRoot = new Map<string, StoredComment[]>();
  for (const reply of [...firstLevel, ...secondLevel].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))) {
    const root = rootOf.get(reply.id)!;
    byRoot.set(root, [...(byRoot.get(root) ?? []), reply]);
  }
  return { items: top.map((c) => ({ ...c, replies: byRoot.get(c.id) ?? [] })), next };
}
