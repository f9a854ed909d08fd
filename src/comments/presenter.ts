import Type, { type Static } from 'typebox';
import type { AuditEntry, AuthorHistory, QueueItem } from './moderation.js';
import type { PostedComment } from './service.js';
import type { CommentThread, StoredComment } from './repository.js';

// What leaves the server about a comment. Everyone sees the author's name, whether they are
// staff, the text and the thread, and whether it was edited or featured; only the author is
// told the status and the pipeline's reasons. Account ids, flags and report counts go to
// moderators alone, and address hashes never leave.

const time = Type.String({ format: 'date-time' });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const commentProperties = {
  id: Type.String(),
  briefId: Type.String(),
  parentId: nullable(Type.String({ description: 'The comment this replies to; null for a top-level comment' })),
  authorName: Type.String({ description: 'The account\'s display name, or "deleted account"' }),
  isStaff: Type.Boolean({ description: 'Written by a member of the newsroom' }),
  body: Type.String({ description: 'Plain text' }),
  createdAt: time,
  editedAt: nullable(Type.String({ format: 'date-time', description: 'When the author last edited it; null if never' })),
  isFeatured: Type.Boolean({ description: 'Picked by a moderator' }),
};

export const CommentJsonSchema = Type.Object(commentProperties, { additionalProperties: false, description: 'A published comment' });
export type CommentJson = Static<typeof CommentJsonSchema>;

export const CommentThreadJsonSchema = Type.Object(
  { ...commentProperties, replies: Type.Array(CommentJsonSchema, { description: 'Published replies, oldest first; nest them by parentId' }) },
  { additionalProperties: false, description: 'A top-level comment with its replies' },
);
export type CommentThreadJson = Static<typeof CommentThreadJsonSchema>;

export const OwnCommentJsonSchema = Type.Object(
  {
    ...commentProperties,
    status: Type.Enum(['published', 'pending', 'rejected'], { description: '`pending` waits for a moderator; `rejected` will not appear' }),
    reasons: Type.Optional(Type.Array(Type.String(), { description: 'Why it is not published: banned_term, duplicate, profanity, links, premod_user' })),
    message: Type.Optional(Type.String({ description: 'What to tell the author, in the brief\'s language' })),
  },
  { additionalProperties: false, description: 'A comment as its author sees it' },
);
export type OwnCommentJson = Static<typeof OwnCommentJsonSchema>;

export function presentComment(comment: StoredComment): CommentJson {
  return {
    id: comment.id, briefId: comment.briefId, parentId: comment.parentId, authorName: comment.authorName,
    isStaff: comment.isStaff, body: comment.body, createdAt: comment.createdAt, editedAt: comment.editedAt, isFeatured: comment.isFeatured,
  };
}

export function presentThread(thread: CommentThread): CommentThreadJson {
  return { ...presentComment(thread), replies: thread.replies.map(presentComment) };
}

/** The author's view: the status always; reasons and a message only when it was not published. */
export function presentOwnComment(comment: PostedComment): OwnCommentJson {
  const own: OwnCommentJson = { ...presentComment(comment), status: comment.status };
  if (comment.status !== 'published') {
    own.reasons = comment.reasons;
    if (comment.message) own.message = comment.message;
  }
  return own;
}

// The moderator's view: everything the pipeline and readers said about a comment.

const STATUS = Type.Enum(['published', 'pending', 'rejected']);

const moderatedProperties = {
  ...commentProperties,
  userId: nullable(Type.String({ description: 'The author\'s account, for measures against it; null for imported comments' })),
  status: STATUS,
  reasons: Type.Array(Type.String(), { description: 'What the pipeline and readers found: banned_term, duplicate, profanity, links, premod_user, new_reader, reported' }),
  isFlagged: Type.Boolean({ description: 'Published but marked for a moderator\'s look' }),
  reportCount: Type.Integer({ minimum: 0, description: 'Reports since the last decision' }),
  reviewedAt: nullable(Type.String({ format: 'date-time', description: 'When a moderator last decided on it' })),
};

export const ModeratedCommentJsonSchema = Type.Object(moderatedProperties, { additionalProperties: false, description: 'A comment as a moderator sees it' });
export type ModeratedCommentJson = Static<typeof ModeratedCommentJsonSchema>;

export const AuthorHistoryJsonSchema = Type.Object(
  {
    published: Type.Integer({ minimum: 0 }),
    pending: Type.Integer({ minimum: 0 }),
    rejected: Type.Integer({ minimum: 0 }),
    isBanned: Type.Boolean(),
    suspendedUntil: nullable(Type.String({ format: 'date-time' })),
    isPremoderated: Type.Boolean({ description: 'Every comment of the account waits for a moderator' }),
  },
  { additionalProperties: false, description: 'The author\'s comments by status, and the account\'s standing' },
);

export const QueueItemJsonSchema = Type.Object(
  {
    ...moderatedProperties,
    brief: Type.Object(
      { id: Type.String(), slug: Type.String(), headline: Type.String(), language: Type.String() },
      { additionalProperties: false, description: 'The brief it is under' },
    ),
    authorHistory: nullable(AuthorHistoryJsonSchema),
    reports: Type.Array(
      Type.Object({ reason: Type.String(), text: nullable(Type.String()), createdAt: time }, { additionalProperties: false }),
      { description: 'Readers\' reports, oldest first; reporters are not named' },
    ),
  },
  { additionalProperties: false, description: 'A comment in a moderation queue' },
);
export type QueueItemJson = Static<typeof QueueItemJsonSchema>;

export const AuditEntryJsonSchema = Type.Object(
  {
    id: Type.String(),
    action: Type.String({ description: 'e.g. comment.approve, comment.reject, user.ban, user.suspend 24h, settings.updated, story.comments' }),
    reason: nullable(Type.String({ description: 'The moderator\'s reason, or what changed' })),
    createdAt: time,
    actorName: nullable(Type.String({ description: 'Who decided; null for an API token or the command line' })),
    commentId: nullable(Type.String()),
    commentExcerpt: nullable(Type.String()),
    userId: nullable(Type.String()),
    userName: nullable(Type.String()),
  },
  { additionalProperties: false, description: 'One decision in the moderation audit log' },
);

export function presentModeratedComment(comment: StoredComment): ModeratedCommentJson {
  return {
    ...presentComment(comment), userId: comment.userId, status: comment.status, reasons: comment.reasons,
    isFlagged: comment.isFlagged, reportCount: comment.reportCount, reviewedAt: comment.reviewedAt,
  };
}

export function presentQueueItem(item: QueueItem): QueueItemJson {
  return {
    ...presentModeratedComment(item),
    brief: { id: item.brief.id, slug: item.brief.slug, headline: item.brief.headline, language: item.brief.language },
    authorHistory: item.authorHistory ? presentAuthorHistory(item.authorHistory) : null,
    reports: item.reports.map((r) => ({ reason: r.reason, text: r.text, createdAt: r.createdAt })),
  };
}

export function presentAuthorHistory(history: AuthorHistory): Static<typeof AuthorHistoryJsonSchema> {
  return {
    published: history.published, pending: history.pending, rejected: history.rejected,
    isBanned: history.isBanned, suspendedUntil: history.suspendedUntil, isPremoderated: history.isPremoderated,
  };
}

export function presentAuditEntry(entry: AuditEntry): Static<typeof AuditEntryJsonSchema> {
  return {
    id: entry.id, action: entry.action, reason: entry.reason, createdAt: entry.createdAt, actorName: entry.actorName,
    commentId: entry.commentId, commentExcerpt: entry.commentExcerpt, userId: entry.userId, userName: entry.userName,
  };
}
