import Type, { type Static } from 'typebox';
import { assertCan, type Actor } from '../accounts/policy.js';
import { notFound } from '../common/errors.js';
import { assertMatches } from '../common/validation.js';
import { newId } from '../common/ids.js';
import type { Executor } from '../storage/database.js';
import { inTransaction, type TransactionDeps } from '../storage/events.js';
import type { ModerationSettings } from './policy-settings.js';

// Comment policy of one story or one brief, over the site's. The most specific level that says
// something wins (brief, then story, then site), except that "closed" anywhere closes: a story
// closed after a death in the family is not reopened by a brief's setting.

export const COMMENT_MODES = ['post', 'pre', 'closed'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export interface SubjectPolicies {
  brief: CommentMode | null;
  story: CommentMode | null;
}

export async function policiesFor(db: Executor, briefId: string, storyId: string | null): Promise<SubjectPolicies> {
  const ids = storyId ? [briefId, storyId] : [briefId];
  const rows = await db.selectFrom('comment_policies').select(['subject_id', 'mode']).where('subject_id', 'in', ids).execute();
  const modeOf = (id: string | null) => (rows.find((r) => r.subject_id === id)?.mode as CommentMode | undefined) ?? null;
  return { brief: modeOf(briefId), story: modeOf(storyId) };
}

export interface CommentingState {
  isOpen: boolean;
  /** Why comments are closed, for the page: the brief was retracted, a policy closed it, or time ran out. */
  closedBecause: 'retracted' | 'policy' | 'age' | null;
  moderation: 'post' | 'pre';
  /** When comments close by age, if they are still open. */
  closesAt: string | null;
}

/** Whether readers may comment on a brief now, and under which moderation. */
export function commentingState(
  brief: { status: string; publishedAt: string | null },
  policies: SubjectPolicies,
  settings: Pick<ModerationSettings, 'moderation' | 'closeAfterDays'>,
  now: number = Date.now(),
): CommentingState {
  const moderation = [policies.brief, policies.story].find((m) => m === 'post' || m === 'pre') ?? settings.moderation;
  const closed = (closedBecause: CommentingState['closedBecause']): CommentingState => ({ isOpen: false, closedBecause, moderation, closesAt: null });
  if (brief.status !== 'published' && brief.status !== 'corrected') return closed('retracted');
  if (policies.brief === 'closed' || policies.story === 'closed') return closed('policy');
  if (settings.closeAfterDays === 0 || brief.publishedAt === null) return { isOpen: true, closedBecause: null, moderation, closesAt: null };
  const closesAt = Date.parse(brief.publishedAt) + settings.closeAfterDays * 86_400_000;
  if (now >= closesAt) return closed('age');
  return { isOpen: true, closedBecause: null, moderation, closesAt: new Date(closesAt).toISOString() };
}

export const CommentPolicyInputSchema = Type.Object(
  {
    mode: Type.Union([Type.Enum([...COMMENT_MODES]), Type.Null()], {
      description: '`post`, `pre` or `closed` for this story or brief; null follows the level above',
    }),
  },
  { additionalProperties: false },
);
export type CommentPolicyInput = Static<typeof CommentPolicyInputSchema>;

/** Sets (or with null clears) the comment policy of a story or a brief; recorded in the audit log. */
export async function setCommentPolicy(
  deps: TransactionDeps,
  actor: Actor,
  subject: { scope: 'story' | 'brief'; id: string },
  input: CommentPolicyInput,
): Promise<void> {
  assertCan(actor, 'comment.moderate');
  assertMatches(CommentPolicyInputSchema, input);
  await inTransaction(deps, actor.userId, async (trx, events) => {
    const table = subject.scope === 'story' ? 'stories' : 'briefs';
    const found = await trx.selectFrom(table).select('id').where('id', '=', subject.id).executeTakeFirst();
    if (!found) throw notFound(subject.scope === 'story' ? 'Story' : 'Brief', 'id');
    const now = new Date().toISOString();
    if (input.mode === null) {
      await trx.deleteFrom('comment_policies').where('subject_id', '=', subject.id).execute();
    } else {
      const mode = input.mode;
      await trx.insertInto('comment_policies').values({ subject_id: subject.id, scope: subject.scope, mode, updated_at: now })
        .onConflict((oc) => oc.column('subject_id').doUpdateSet({ mode, updated_at: now })).execute();
    }
    await trx.insertInto('moderation_actions').values({
      id: newId(), comment_id: null, user_id: null, actor_id: actor.userId, action: `${subject.scope}.comments`,
      reason: `${subject.id}: ${input.mode ?? 'inherit'}`, created_at: now,
    }).execute();
    events.record('comment.policy_changed', subject.id, { scope: subject.scope, mode: input.mode });
  });
}
