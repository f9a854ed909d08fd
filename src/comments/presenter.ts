import Type, { type Static } from 'typebox';
import type { PostedComment } from './service.js';
import type { CommentThread, StoredComment } from './repository.js';

// What leaves the server about a comment. Everyone sees the author's name, whether they are
// staff, the text and the thread; only the author is told the status and the pipeline's
// reasons. Account ids, address hashes, flags and report counts stay inside.

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
    isStaff: comment.isStaff, body: comment.body, createdAt: comment.createdAt,
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
