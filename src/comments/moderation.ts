import Type, { type Static } from 'typebox';
import { assertCan, type Actor } from '../accounts/policy.js';
import { conflict, notFound, validationError } from '../common/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../common/cursor.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import type { Executor, Trx } from '../storage/database.js';
import { inTransaction, type EventRecorder, type TransactionDeps } from '../storage/events.js';
import { findComment, selectComments, toComment, type StoredComment } from './repository.js';

// The moderator's side: queues, decisions on comments, measures against commenters, and the
// audit log every one of them writes to. Each decision is one transaction with its audit row
// and its event, so the log never claims what did not happen and live views hear of each.

export const QUEUES = ['pending', 'flagged', 'reported', 'rejected', 'approved'] as const;
export type Queue = (typeof QUEUES)[number];

export interface AuthorHistory {
  published: number;
  pending: number;
  rejected: number;
  /** The account's standing: moderators decide faster knowing it. */
  isBanned: boolean;
  suspendedUntil: string | null;
  isPremoderated: boolean;
}

export interface QueueItem extends StoredComment {
  brief: { id: string; slug: string; headline: string; language: string };
  /** Null for imported comments, which have no account. */
  authorHistory: AuthorHistory | null;
  reports: { reason: string; text: string | null; createdAt: string }[];
}

function inQueue(query: ReturnType<typeof selectComments>, queue: Queue) {
  const live = query.where('comments.deleted_at', 'is', null);
  switch (queue) {
    case 'pending':
      return live.where('comments.status', '=', 'pending');
    case 'flagged':
      return live.where('comments.status', '=', 'published').where('comments.is_flagged', '=', 1);
    case 'reported':
      return live.where('comments.report_count', '>', 0).where('comments.status', 'in', ['published', 'pending']);
    case 'rejected':
      return live.where('comments.status', '=', 'rejected');
    case 'approved':
      return live.where('comments.status', '=', 'published').where('comments.reviewed_at', 'is not', null);
  }
}

/** How many comments wait in each queue, for the desk's tabs. */
export async function queueCounts(db: Executor): Promise<Record<Queue, number>> {
  const counts = {} as Record<Queue, number>;
  for (const queue of QUEUES) {
    const row = await inQueue(selectComments(db), queue).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[queue] = Number(row.n);
  }
  return counts;
}

async function historiesOf(db: Executor, userIds: string[]): Promise<Map<string, AuthorHistory>> {
  const histories = new Map<string, AuthorHistory>();
  if (userIds.length === 0) return histories;
  const users = await db.selectFrom('users').select(['id', 'banned_at', 'suspended_until', 'premoderate']).where('id', 'in', userIds).execute();
  const now = new Date().toISOString();
  for (const u of users) {
    histories.set(u.id, {
      published: 0, pending: 0, rejected: 0, isBanned: u.banned_at !== null,
      suspendedUntil: u.suspended_until !== null && u.suspended_until > now ? u.suspended_until : null, isPremoderated: u.premoderate === 1,
    });
  }
  const counts = await db.selectFrom('comments').select(['user_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', 'in', userIds).where('deleted_at', 'is', null).groupBy(['user_id', 'status']).execute();
  for (const row of counts) {
    const history = histories.get(row.user_id!);
    if (history && (row.status === 'published' || row.status === 'pending' || row.status === 'rejected')) history[row.status] = Number(row.n);
  }
  return histories;
}

/** One queue, newest first, a page at a time, each comment with its brief, author history and reports. */
export async function listQueue(db: Executor, queue: Queue, opts: { cursor?: string; limit?: number } = {}): Promise<Page<QueueItem>> {
  const limit = opts.limit ?? 50;
  const cursor = decodeCursor(opts.cursor);
  let query = inQueue(selectComments(db), queue);
  if (cursor) query = olderThan(query, cursor);
  return pageOfItems(db, query, limit);
}

function olderThan(query: ReturnType<typeof selectComments>, cursor: { at: string; id: string }) {
  return query.where((eb) => eb.or([
    eb('comments.created_at', '<', cursor.at),
    eb.and([eb('comments.created_at', '=', cursor.at), eb('comments.id', '<', cursor.id)]),
  ]));
}

/** Runs a newest-first comment query a page at a time and gives each comment its context. */
async function pageOfItems(db: Executor, query: ReturnType<typeof selectComments>, limit: number): Promise<Page<QueueItem>> {
  const rows = await query.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(limit + 1).execute();
  const comments = rows.slice(0, limit).map(toComment);
  const last = comments.at(-1);
  const next = rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null;
  if (comments.length === 0) return { items: [], next };

  const briefs = await db.selectFrom('briefs').select(['id', 'slug', 'headline', 'language'])
    .where('id', 'in', [...new Set(comments.map((c) => c.briefId))]).execute();
  const histories = await historiesOf(db, [...new Set(comments.flatMap((c) => (c.userId ? [c.userId] : [])))]);
  const reports = await db.selectFrom('comment_reports').select(['comment_id', 'reason', 'text', 'created_at'])
    .where('comment_id', 'in', comments.map((c) => c.id)).orderBy('created_at').execute();
  const items = comments.map((c): QueueItem => ({
    ...c,
    brief: briefs.find((b) => b.id === c.briefId)!,
    authorHistory: c.userId ? histories.get(c.userId) ?? null : null,
    reports: reports.filter((r) => r.comment_id === c.id).map((r) => ({ reason: r.reason, text: r.text, createdAt: r.created_at })),
  }));
  return { items, next };
}

/** Comments that wait for a moderator (pending, flagged or reported), each counted once, for the desk's menu. */
export async function countAwaitingReview(db: Executor): Promise<number> {
  const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is', null)
    // The union of the three working queues of inQueue; a hidden reported comment is in two of them.
    .where((eb) => eb.or([
      eb('status', '=', 'pending'),
      eb.and([eb('status', '=', 'published'), eb('is_flagged', '=', 1)]),
      eb.and([eb('report_count', '>', 0), eb('status', 'in', ['published', 'pending'])]),
    ]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface Commenter {
  id: string;
  displayName: string;
  role: string;
  createdAt: string;
  isDeleted: boolean;
  history: AuthorHistory;
}

/** An account as the moderator sees it: name, role and standing; null when there is none. */
export async function findCommenter(db: Executor, userId: string): Promise<Commenter | null> {
  const user = await db.selectFrom('users').select(['id', 'display_name', 'role', 'created_at', 'deleted_at']).where('id', '=', userId).executeTakeFirst();
  if (!user) return null;
  const history = (await historiesOf(db, [user.id])).get(user.id)!;
  return { id: user.id, displayName: user.display_name, role: user.role, createdAt: user.created_at, isDeleted: user.deleted_at !== null, history };
}

/** What one account wrote and is still there (published, held or rejected), newest first, with context. */
export async function listCommenterComments(db: Executor, userId: string, opts: { cursor?: string; limit?: number } = {}): Promise<Page<QueueItem>> {
  const cursor = decodeCursor(opts.cursor);
  let query = selectComments(db).where('comments.user_id', '=', userId).where('comments.deleted_at', 'is', null);
  if (cursor) query = olderThan(query, cursor);
  return pageOfItems(db, query, opts.limit ?? 50);
}

export const DECISIONS = ['approve', 'reject', 'feature', 'unfeature'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DecisionInputSchema = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why; kept in the audit log' })) },
  { additionalProperties: false },
);
export type DecisionInput = Static<typeof DecisionInputSchema>;

async function audit(trx: Trx, row: { actor: Actor; action: string; commentId?: string | null; userId?: string | null; reason?: string | null }): Promise<void> {
  await trx.insertInto('moderation_actions').values({
    id: newId(), comment_id: row.commentId ?? null, user_id: row.userId ?? null, actor_id: row.actor.userId,
    action: row.action, reason: row.reason?.trim() || null, created_at: new Date().toISOString(),
  }).execute();
}

async function decideOne(trx: Trx, events: EventRecorder, actor: Actor, commentId: string, decision: Decision, reason: string | undefined): Promise<StoredComment> {
  const comment = await findComment(trx, commentId);
  if (!comment) throw notFound('Comment', 'id');
  const now = new Date().toISOString();
  const reviewed = { reviewed_at: now, reviewed_by: actor.userId, is_flagged: 0, report_count: 0 };
  // Approving (or featuring, which approves) answers the flags and reports; so does rejecting.
  if (decision === 'approve') await trx.updateTable('comments').set({ ...reviewed, status: 'published' }).where('id', '=', comment.id).execute();
  else if (decision === 'reject') await trx.updateTable('comments').set({ ...reviewed, status: 'rejected', featured: 0 }).where('id', '=', comment.id).execute();
  else if (decision === 'feature') await trx.updateTable('comments').set({ ...reviewed, status: 'published', featured: 1 }).where('id', '=', comment.id).execute();
  else await trx.updateTable('comments').set({ featured: 0 }).where('id', '=', comment.id).execute();
  await audit(trx, { actor, action: `comment.${decision}`, commentId: comment.id, userId: comment.userId, reason: reason ?? null });
  const updated = (await findComment(trx, comment.id))!;
  events.record('comment.moderated', comment.briefId, { commentId: comment.id, decision, status: updated.status, previousStatus: comment.status });
  return updated;
}

/** A moderator's decision on one comment; answers the comment as it now stands. */
export async function decideComment(deps: TransactionDeps, actor: Actor, commentId: string, decision: Decision, input: DecisionInput = {}): Promise<StoredComment> {
  assertCan(actor, 'comment.moderate');
  assertMatches(DecisionInputSchema, input);
  return inTransaction(deps, actor.userId, (trx, events) => decideOne(trx, events, actor, commentId, decision, input.reason));
}

export const BulkDecisionSchema = Type.Object(
  {
    ids: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$' }), { minItems: 1, maxItems: 200, uniqueItems: true }),
    decision: Type.Enum([...DECISIONS]),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type BulkDecision = Static<typeof BulkDecisionSchema>;

/** One decision on many comments, all or none: a bulk reject that half-ran would be worse than none. */
export async function decideComments(deps: TransactionDeps, actor: Actor, input: BulkDecision): Promise<StoredComment[]> {
  assertCan(actor, 'comment.moderate');
  assertMatches(BulkDecisionSchema, input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const done: StoredComment[] = [];
    for (const id of input.ids) done.push(await decideOne(trx, events, actor, id, input.decision, input.reason));
    return done;
  });
}

export const CommenterMeasureSchema = Type.Union([
  Type.Object({
    action: Type.Literal('suspend'),
    hours: Type.Integer({ minimum: 1, maximum: 24 * 365, description: 'How long the account may not comment' }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }, { additionalProperties: false }),
  Type.Object({
    action: Type.Enum(['ban', 'unban', 'unsuspend', 'premoderate', 'unpremoderate']),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }, { additionalProperties: false }),
]);
export type CommenterMeasure = Static<typeof CommenterMeasureSchema>;

/**
 * Suspends, bans or pre-moderates a reader (or lifts it). Staff accounts are managed by
 * admins under Users, so a moderator cannot silence an editor from the queue.
 */
export async function moderateCommenter(deps: TransactionDeps, actor: Actor, userId: string, measure: CommenterMeasure): Promise<AuthorHistory> {
  assertCan(actor, 'comment.moderate');
  assertMatches(CommenterMeasureSchema, measure);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const user = await trx.selectFrom('users').select(['id', 'role', 'deleted_at']).where('id', '=', userId).executeTakeFirst();
    if (!user || user.deleted_at) throw notFound('User', 'id');
    if (user.role !== 'reader') throw conflict('Staff accounts are managed under Users, not from the moderation queue.', [{ path: 'id', reason: 'is a staff account' }]);
    const now = Date.now();
    let action: string = measure.action;
    switch (measure.action) {
      case 'suspend': {
        const until = new Date(now + measure.hours * 3_600_000).toISOString();
        await trx.updateTable('users').set({ suspended_until: until }).where('id', '=', userId).execute();
        action = `suspend ${measure.hours}h`;
        break;
      }
      case 'unsuspend':
        await trx.updateTable('users').set({ suspended_until: null }).where('id', '=', userId).execute();
        break;
      case 'ban':
        await trx.updateTable('users').set({ banned_at: new Date(now).toISOString() }).where('id', '=', userId).execute();
        break;
      case 'unban':
        await trx.updateTable('users').set({ banned_at: null }).where('id', '=', userId).execute();
        break;
      case 'premoderate':
      case 'unpremoderate':
        await trx.updateTable('users').set({ premoderate: measure.action === 'premoderate' ? 1 : 0 }).where('id', '=', userId).execute();
        break;
    }
    await audit(trx, { actor, action: `user.${action}`, userId, reason: measure.reason ?? null });
    events.record('commenter.moderated', userId, { action: measure.action });
    return (await historiesOf(trx, [userId])).get(userId)!;
  });
}

export interface AuditEntry {
  id: string;
  action: string;
  reason: string | null;
  createdAt: string;
  /** Who acted: a staff member's name, or "API token / command line" when no person signed in. */
  actorName: string | null;
  commentId: string | null;
  commentExcerpt: string | null;
  userId: string | null;
  userName: string | null;
}

/** The audit log, newest first, a page at a time. */
export async function listAuditLog(db: Executor, opts: { cursor?: string; limit?: number; commentId?: string } = {}): Promise<Page<AuditEntry>> {
  const limit = opts.limit ?? 50;
  const cursor = decodeCursor(opts.cursor);
  let query = db.selectFrom('moderation_actions as a')
    .leftJoin('users as actor', 'actor.id', 'a.actor_id')
    .leftJoin('users as subject', 'subject.id', 'a.user_id')
    .leftJoin('comments as c', 'c.id', 'a.comment_id')
    .select(['a.id', 'a.action', 'a.reason', 'a.created_at', 'a.comment_id', 'a.user_id', 'actor.display_name as actor_name', 'subject.display_name as user_name', 'c.body']);
  if (opts.commentId) query = query.where('a.comment_id', '=', opts.commentId);
  if (cursor) {
    query = query.where((eb) => eb.or([eb('a.created_at', '<', cursor.at), eb.and([eb('a.created_at', '=', cursor.at), eb('a.id', '<', cursor.id)])]));
  }
  const rows = await query.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map((r): AuditEntry => ({
    id: r.id, action: r.action, reason: r.reason, createdAt: r.created_at, actorName: r.actor_name,
    commentId: r.comment_id, commentExcerpt: r.body === null ? null : r.body.length > 120 ? `${r.body.slice(0, 119)}…` : r.body,
    userId: r.user_id, userName: r.user_name,
  }));
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
}

/** A text a comment had before an edit, and when the edit replaced it. */
export interface CommentRevision {
  body: string;
  replacedAt: string;
}

/** Earlier texts of an edited comment, oldest first. */
export async function commentRevisions(db: Executor, commentId: string): Promise<CommentRevision[]> {
  const rows = await db.selectFrom('comment_revisions').select(['body', 'replaced_at']).where('comment_id', '=', commentId).orderBy('replaced_at').execute();
  return rows.map((r) => ({ body: r.body, replacedAt: r.replaced_at }));
}

/** Earlier texts of many comments, oldest first, by comment id: one query for a page of the queue. */
export async function revisionsOf(db: Executor, commentIds: readonly string[]): Promise<Map<string, CommentRevision[]>> {
  const revisions = new Map<string, CommentRevision[]>();
  if (commentIds.length === 0) return revisions;
  const rows = await db.selectFrom('comment_revisions').select(['comment_id', 'body', 'replaced_at'])
    .where('comment_id', 'in', [...commentIds]).orderBy('replaced_at').orderBy('id').execute();
  for (const r of rows) {
    const list = revisions.get(r.comment_id) ?? [];
    list.push({ body: r.body, replacedAt: r.replaced_at });
    revisions.set(r.comment_id, list);
  }
  return revisions;
}

/** Parses a queue name from a URL, or a 400 naming the field. */
export function parseQueue(value: string | undefined, path = 'queue'): Queue {
  if (value === undefined) return 'pending';
  if ((QUEUES as readonly string[]).includes(value)) return value as Queue;
  throw validationError([{ path, reason: `must be one of ${QUEUES.join(', ')}` }]);
}
