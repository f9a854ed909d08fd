import Type, { type Static } from 'typebox';
import { can, isStaffRole, type Actor, type Role } from '../accounts/policy.js';
import { AppError, forbidden, notFound, unauthorized, validationError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import { serializeOn, type Executor, type Trx } from '../storage/database.js';
import { inTransaction, type TransactionDeps } from '../storage/events.js';
import type { Comment } from '../content/types.js';
import { commentMessage } from './messages.js';
import { DUPLICATE_WINDOW_MS, moderateComment, type CommentStatus, type ModerationVerdict } from './pipeline.js';
import { getModerationSettings, type ModerationSettings } from './policy-settings.js';
import { commentingState, policiesFor } from './subject-policy.js';
import { countCommentsSince, findComment, recentBodiesOf, selectComments, toComment, type StoredComment } from './repository.js';

// Two ways in: addComment for comments imported with wire text (already public elsewhere, no
// account), postComment for readers and staff writing on the site, through the moderation pipeline.

export const CommentInputSchema = Type.Object(
  { authorName: Type.String({ maxLength: 100 }), body: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S' }) },
  { additionalProperties: false },
);

/** Adds a published comment (imported wire text carries comments that were already public). */
export async function addComment(deps: TransactionDeps, input: { briefId: string; authorName: string; body: string; createdAt?: string }): Promise<Comment> {
  assertMatches(CommentInputSchema, { authorName: input.authorName, body: input.body });
  return inTransaction(deps, null, async (trx, events) => {
    const brief = await trx.selectFrom('briefs').select('id').where('id', '=', input.briefId).executeTakeFirst();
    if (!brief) throw notFound('Brief', 'briefId');
    const comment: Comment = {
      id: newId(), briefId: input.briefId, authorName: input.authorName.trim(), body: input.body.trim(), status: 'published',
      createdAt: input.createdAt ?? new Date().toISOString(),
    };
    await trx.insertInto('comments').values({
      id: comment.id, brief_id: comment.briefId, author_name: comment.authorName, body: comment.body, status: comment.status, created_at: comment.createdAt,
    }).execute();
    events.record('comment.added', comment.briefId, { commentId: comment.id });
    return comment;
  });
}

/** Published comments of a brief, oldest first (the order they were written in), replies among them: for wire-text export. */
export async function listComments(db: Executor, briefId: string): Promise<Comment[]> {
  const rows = await selectComments(db)
    .where('comments.brief_id', '=', briefId).where('comments.status', '=', 'published').where('comments.deleted_at', 'is', null)
    .orderBy('comments.created_at').orderBy('comments.id').execute();
  return rows.map(toComment).map((c) => ({ id: c.id, briefId: c.briefId, authorName: c.authorName, body: c.body, status: 'published', createdAt: c.createdAt }));
}

/**
 * How many comments readers can see under each brief: published ones whose thread is visible
 * too (a reply under a held, rejected or deleted comment is not shown, so it is not counted).
 */
export async function countComments(db: Executor, briefIds: readonly string[]): Promise<Map<string, number>> {
  if (briefIds.length === 0) return new Map();
  const rows = await db.selectFrom('comments as c')
    .leftJoin('comments as p', 'p.id', 'c.parent_id')
    .leftJoin('comments as g', 'g.id', 'p.parent_id')
    .select(['c.brief_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('c.brief_id', 'in', [...briefIds]).where('c.status', '=', 'published').where('c.deleted_at', 'is', null)
    // Replies nest two levels at most, so the parent and the grandparent are the whole ancestry.
    .where((eb) => eb.or([
      eb('c.parent_id', 'is', null),
      eb.and([
        eb('p.status', '=', 'published'), eb('p.deleted_at', 'is', null),
        eb.or([eb('p.parent_id', 'is', null), eb.and([eb('g.status', '=', 'published'), eb('g.deleted_at', 'is', null)])]),
      ]),
    ]))
    .groupBy('c.brief_id').execute();
  return new Map(rows.map((r) => [r.brief_id, Number(r.n)]));
}

/** Who writes a comment on the site: a signed-in reader or staff member. */
export interface CommentAuthor {
  id: string;
  displayName: string;
  role: Role;
}

export const PostCommentSchema = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S', description: 'Plain text; line breaks are kept' }),
    parentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$', description: 'The comment this replies to' })),
  },
  { additionalProperties: false },
);

export interface PostedComment extends StoredComment {
  /** For the author when the comment was not published: why, in the brief's language. */
  message: string | null;
}

const MINUTE_MS = 60_000;
/** Replies nest two levels under a top-level comment; deeper ones join the second level. */
const MAX_REPLY_DEPTH = 2;

function commentsClosed(language: string): AppError {
  return new AppError({ status: 409, code: 'comments_closed', message: commentMessage(language, 'closed') });
}

/** Throws 429 when `by` already wrote `limit` comments in the last minute, saying when to retry. */
async function assertUnderRateLimit(trx: Trx, by: { userId: string } | { ipHash: string }, limit: number, now: number, language: string): Promise<void> {
  const { count, oldest } = await countCommentsSince(trx, by, new Date(now - MINUTE_MS).toISOString());
  if (count < limit) return;
  // The window frees a place when its oldest comment turns a minute old.
  const retryAfter = Math.max(1, Math.ceil((Date.parse(oldest ?? new Date(now).toISOString()) + MINUTE_MS - now) / 1000));
  throw new AppError({ status: 429, code: 'rate_limited', message: commentMessage(language, 'rateLimited'), retryAfter });
}

/**
 * The parent a reply is stored under: the comment it answers, or for an answer to a comment
 * already two levels deep, that comment's own parent (A ← B ← C: a reply to C goes under B),
 * so threads stay readable on a phone.
 */
async function parentFor(trx: Trx, briefId: string, parentId: string): Promise<string> {
  const parent = await findComment(trx, parentId);
  if (!parent || parent.briefId !== briefId || parent.status !== 'published') {
    throw validationError([{ path: 'parentId', reason: 'is not a published comment on this brief' }]);
  }
  // Ancestors from the parent up to the top-level comment: [parent, its parent, …].
  const ancestry: { id: string; parentId: string | null }[] = [parent];
  while (ancestry.at(-1)!.parentId !== null && ancestry.length <= MAX_REPLY_DEPTH) {
    const up = await trx.selectFrom('comments').select(['id', 'parent_id']).where('id', '=', ancestry.at(-1)!.parentId).executeTakeFirst();
    if (!up) break;
    ancestry.push({ id: up.id, parentId: up.parent_id });
  }
  const depth = ancestry.length - 1;
  // A reply to a comment at the deepest level goes beside it, under that comment's parent.
  return depth >= MAX_REPLY_DEPTH ? parent.parentId! : parent.id;
}

/** What the author is told about a comment that was not published, in the brief's language. */
function messageFor(language: string, status: CommentStatus, reasons: readonly string[]): string | null {
  if (status === 'rejected') return commentMessage(language, reasons[0] === 'duplicate' ? 'duplicate' : 'banned_term');
  if (status === 'pending') return commentMessage(language, 'pending');
  return null;
}

/**
 * A public brief open for comments, with the moderation settings in force on it (site settings
 * with the story's or brief's mode); 404 for a brief readers cannot see, 409 when closed.
 */
async function openBriefFor(trx: Trx, briefId: string, now: number): Promise<{ brief: { id: string; language: string }; settings: ModerationSettings }> {
  const brief = await trx.selectFrom('briefs').select(['id', 'status', 'language', 'published_at', 'story_id']).where('id', '=', briefId).executeTakeFirst();
  if (!brief || !['published', 'corrected', 'retracted'].includes(brief.status)) throw notFound('Brief', 'briefId');
  const site = await getModerationSettings(trx);
  const state = commentingState({ status: brief.status, publishedAt: brief.published_at }, await policiesFor(trx, brief.id, brief.story_id), site, now);
  if (!state.isOpen) throw commentsClosed(brief.language);
  return { brief, settings: { ...site, moderation: state.moderation } };
}

/** The account, if it may write: not closed, banned or suspended (401/403 otherwise). */
async function commenterInGoodStanding(trx: Trx, userId: string, language: string, nowIso: string) {
  const user = await trx.selectFrom('users').select(['id', 'display_name', 'role', 'premoderate', 'banned_at', 'suspended_until', 'disabled_at', 'deleted_at', 'created_at'])
    .where('id', '=', userId).executeTakeFirst();
  if (!user || user.disabled_at || user.deleted_at) throw unauthorized('The account is closed.');
  if (user.banned_at) throw forbidden(commentMessage(language, 'banned'));
  if (user.suspended_until && user.suspended_until > nowIso) throw forbidden(commentMessage(language, 'suspended', { until: user.suspended_until }));
  return user;
}

/**
 * A reader or staff member comments on a public brief. The comment is stored whatever the
 * moderation pipeline decides (published, pending or rejected) and answered with that status
 * and the reasons; readers see only published ones. Rate limits count stored comments, so they
 * hold across restarts and instances, and a comment that was accepted is never lost to them.
 */
export async function postComment(
  deps: TransactionDeps,
  input: { actor: CommentAuthor; briefId: string; body: string; parentId?: string; ipHash?: string },
): Promise<PostedComment> {
  // Stored as written (no trimming: a reader's text is theirs); only HTML forms' CRLF becomes LF.
  const body = input.body.replace(/\r\n?/g, '\n');
  assertMatches(PostCommentSchema, { body, ...(input.parentId === undefined ? {} : { parentId: input.parentId }) });
  const { actor } = input;
  return inTransaction(deps, actor.id, async (trx, events) => {
    const now = Date.now();
    const nowIso = new Date(now).toISOString();
    const { brief, settings } = await openBriefFor(trx, input.briefId, now);
    const user = await commenterInGoodStanding(trx, actor.id, brief.language, nowIso);

    // Counting then inserting must not interleave with the same commenter's or address's other
    // posts (PostgreSQL runs them side by side); always the account first, then the address.
    await serializeOn(trx, `comment-limit:user:${actor.id}`);
    if (input.ipHash) await serializeOn(trx, `comment-limit:address:${input.ipHash}`);
    await assertUnderRateLimit(trx, { userId: actor.id }, settings.commentsPerMinutePerAccount, now, brief.language);
    if (input.ipHash) await assertUnderRateLimit(trx, { ipHash: input.ipHash }, settings.commentsPerMinutePerAddress, now, brief.language);

    const parentId = input.parentId === undefined ? null : await parentFor(trx, brief.id, input.parentId);
    // Staff answer for what they write to their editors; the pipeline is for the public.
    const verdict: ModerationVerdict = isStaffRole(user.role)
      ? { status: 'published', isFlagged: false, reasons: [], evidence: { bannedTerms: [], profanity: [], links: [] } }
      : moderateComment({
        body, settings, isPremoderatedAuthor: user.premoderate === 1,
        isNewReader: settings.newReaderMinutes > 0 && now - Date.parse(user.created_at) < settings.newReaderMinutes * MINUTE_MS,
        recentBodies: await recentBodiesOf(trx, actor.id, new Date(now - DUPLICATE_WINDOW_MS).toISOString()),
      });

    const id = newId();
    await trx.insertInto('comments').values({
      id, brief_id: brief.id, author_name: user.display_name, body, status: verdict.status, created_at: nowIso,
      user_id: actor.id, parent_id: parentId, reasons: JSON.stringify(verdict.reasons), is_flagged: verdict.isFlagged ? 1 : 0,
      ip_hash: input.ipHash ?? null,
    }).execute();
    events.record('comment.added', brief.id, { commentId: id, status: verdict.status, parentId });
    if (verdict.isFlagged) events.record('comment.flagged', brief.id, { commentId: id, reasons: verdict.reasons });

    const stored = await findComment(trx, id);
    return { ...stored!, message: messageFor(brief.language, verdict.status, verdict.reasons) };
  });
}

const STRICTNESS: Record<CommentStatus, number> = { published: 0, pending: 1, rejected: 2 };

/**
 * The author edits their comment within the site's edit window. The earlier text is kept in
 * comment_revisions, and the new text goes through the pipeline again (a clean comment must
 * not turn into abuse by an edit); an edit never makes a held comment public.
 */
export async function editComment(deps: TransactionDeps, input: { actor: CommentAuthor; commentId: string; body: string }): Promise<PostedComment> {
  const body = input.body.replace(/\r\n?/g, '\n');
  assertMatches(PostCommentSchema, { body });
  return inTransaction(deps, input.actor.id, async (trx, events) => {
    const now = Date.now();
    const comment = await findComment(trx, input.commentId);
    if (!comment) throw notFound('Comment', 'id');
    if (comment.userId !== input.actor.id) throw forbidden('Only the author may edit a comment.');
    // Banned, suspended or closed comments: no editing either, or an edit would be a way round it.
    const { brief, settings } = await openBriefFor(trx, comment.briefId, now);
    const user = await commenterInGoodStanding(trx, input.actor.id, brief.language, new Date(now).toISOString());
    if (comment.status === 'rejected' || now - Date.parse(comment.createdAt) > settings.editWindowMinutes * MINUTE_MS) {
      throw new AppError({ status: 409, code: 'edit_window_closed', message: commentMessage(brief.language, 'editClosed', { minutes: String(settings.editWindowMinutes) }) });
    }
    if (body === comment.body) return { ...comment, message: null };
    const verdict = isStaffRole(user.role) ? null : moderateComment({ body, settings, isPremoderatedAuthor: user.premoderate === 1, recentBodies: [] });
    const status = verdict && STRICTNESS[verdict.status] > STRICTNESS[comment.status] ? verdict.status : comment.status;
    const reasons = [...new Set([...comment.reasons, ...(verdict?.reasons ?? [])])];
    const nowIso = new Date(now).toISOString();
    await trx.insertInto('comment_revisions').values({ id: newId(), comment_id: comment.id, body: comment.body, replaced_at: nowIso }).execute();
    const isSuspect = status !== comment.status || (verdict?.isFlagged ?? false);
    await trx.updateTable('comments').set({
      body, edited_at: nowIso, status, reasons: JSON.stringify(reasons), is_flagged: comment.isFlagged || (verdict?.isFlagged ?? false) ? 1 : 0,
      // A moderator approved the old text, not this one: it goes back out of the approved queue.
      ...(isSuspect ? { reviewed_at: null, reviewed_by: null } : {}),
    }).where('id', '=', comment.id).execute();
    events.record('comment.edited', comment.briefId, { commentId: comment.id, status, previousStatus: comment.status });
    return { ...(await findComment(trx, comment.id))!, message: messageFor(brief.language, status, verdict?.reasons ?? comment.reasons) };
  });
}

/** The author deletes their comment, or a moderator removes one (recorded in the audit log). */
export async function deleteComment(deps: TransactionDeps, input: { actor: Actor; commentId: string }): Promise<void> {
  const { actor } = input;
  await inTransaction(deps, actor.userId, async (trx, events) => {
    const comment = await findComment(trx, input.commentId);
    if (!comment) throw notFound('Comment', 'id');
    const isAuthor = actor.userId !== null && comment.userId === actor.userId;
    if (!isAuthor && !can(actor, 'comment.moderate')) throw forbidden('Only the author or a moderator may delete a comment.');
    const now = new Date().toISOString();
    await trx.updateTable('comments').set({ deleted_at: now }).where('id', '=', comment.id).execute();
    if (!isAuthor) {
      await trx.insertInto('moderation_actions').values({
        id: newId(), comment_id: comment.id, user_id: comment.userId, actor_id: actor.userId, action: 'comment.delete', reason: null, created_at: now,
      }).execute();
    }
    events.record('comment.deleted', comment.briefId, { commentId: comment.id, byAuthor: isAuthor });
  });
}

export const REPORT_REASONS = ['abusive', 'spam', 'off_topic', 'other'] as const;
export const ReportInputSchema = Type.Object(
  {
    reason: Type.Enum([...REPORT_REASONS], { description: 'abusive, spam, off_topic, or other (then say what in `text`)' }),
    text: Type.Optional(Type.String({ maxLength: 1000, description: 'What is wrong; required when the reason is `other`' })),
  },
  { additionalProperties: false },
);
export type ReportInput = Static<typeof ReportInputSchema>;

/**
 * A signed-in reader reports a published comment. One report per reader and comment (asking
 * twice changes nothing); when the site's reportsToHide readers have reported it, the comment
 * is hidden (pending) until a moderator decides. Answers the comment as it now stands.
 */
export async function reportComment(
  deps: TransactionDeps,
  input: { reporter: CommentAuthor; commentId: string; report: ReportInput },
): Promise<{ message: string; isHidden: boolean }> {
  assertMatches(ReportInputSchema, input.report);
  const text = input.report.text?.trim() ?? '';
  if (input.report.reason === 'other' && text === '') throw validationError([{ path: 'text', reason: 'must say what is wrong when the reason is other' }]);
  return inTransaction(deps, input.reporter.id, async (trx, events) => {
    // Reports of one comment take turns: the count is read and written back, and two read side
    // by side (PostgreSQL) would both write the same number.
    await serializeOn(trx, `comment-report:${input.commentId}`);
    const comment = await findComment(trx, input.commentId);
    if (!comment || comment.status !== 'published') throw notFound('Comment', 'id');
    const brief = await trx.selectFrom('briefs').select('language').where('id', '=', comment.briefId).executeTakeFirstOrThrow();
    // A banned account must not be able to hide others' comments by reporting them.
    await commenterInGoodStanding(trx, input.reporter.id, brief.language, new Date().toISOString());
    const message = commentMessage(brief.language, 'reported');
    if (comment.userId === input.reporter.id) throw validationError([{ path: 'id', reason: 'is your own comment; delete it instead' }]);
    const earlier = await trx.selectFrom('comment_reports').select('id')
      .where('comment_id', '=', comment.id).where('user_id', '=', input.reporter.id).executeTakeFirst();
    if (earlier) return { message, isHidden: false };
    const now = new Date().toISOString();
    await trx.insertInto('comment_reports').values({
      id: newId(), comment_id: comment.id, user_id: input.reporter.id, reason: input.report.reason, text: text === '' ? null : text, created_at: now,
    }).execute();
    const reportCount = comment.reportCount + 1;
    const { reportsToHide } = await getModerationSettings(trx);
    const isHidden = reportCount >= reportsToHide;
    await trx.updateTable('comments').set({
      report_count: reportCount,
      ...(isHidden ? { status: 'pending', reasons: JSON.stringify([...new Set([...comment.reasons, 'reported'])]) } : {}),
    }).where('id', '=', comment.id).execute();
    events.record('comment.reported', comment.briefId, { commentId: comment.id, reason: input.report.reason, reportCount, ...(isHidden ? { status: 'pending' } : {}) });
    return { message, isHidden };
  });
}
