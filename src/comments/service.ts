import Type from 'typebox';
import { notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import type { Executor } from '../storage/database.js';
import { inTransaction, type TransactionDeps } from '../storage/events.js';
import type { Comment } from '../content/types.js';

// Minimal on purpose: accounts, threads and the moderation pipeline arrive with the comments issue.

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

/** Published comments of a brief, oldest first (the order they were written in). */
export async function listComments(db: Executor, briefId: string): Promise<Comment[]> {
  const rows = await db.selectFrom('comments').selectAll().where('brief_id', '=', briefId).where('status', '=', 'published').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, briefId: r.brief_id, authorName: r.author_name, body: r.body, status: r.status as Comment['status'], createdAt: r.created_at }));
}

export async function countComments(db: Executor, briefIds: readonly string[]): Promise<Map<string, number>> {
  if (briefIds.length === 0) return new Map();
  const rows = await db.selectFrom('comments').select(['brief_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('brief_id', 'in', [...briefIds]).where('status', '=', 'published').groupBy('brief_id').execute();
  return new Map(rows.map((r) => [r.brief_id, Number(r.n)]));
}
