import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { assertCan, type Actor } from '../accounts/policy.js';
import { actorForToken, userForSession } from '../accounts/service.js';
import {
  BulkDecisionSchema, CommenterMeasureSchema, DECISIONS, DecisionInputSchema, QUEUES, decideComment, decideComments, listAuditLog,
  listQueue, moderateCommenter, queueCounts,
} from '../comments/moderation.js';
import { ModerationSettingsPatchSchema, ModerationSettingsSchema, getModerationSettings, updateModerationSettings } from '../comments/policy-settings.js';
import {
  AuditEntryJsonSchema, AuthorHistoryJsonSchema, ModeratedCommentJsonSchema, QueueItemJsonSchema, presentAuditEntry, presentAuthorHistory,
  presentModeratedComment, presentQueueItem,
} from '../comments/presenter.js';
import { COMMENT_MODES, CommentPolicyInputSchema, setCommentPolicy } from '../comments/subject-policy.js';
import { AppError, unauthorized } from '../common/errors.js';
import { bearerToken, sessionIdFromToken } from './auth.js';
import { BEARER, IdParamsSchema, errorResponses, pageOf } from './schemas.js';

const tags = ['moderation'];

const idOf = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$', description });
const page = {
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'The `next` value of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
};

const QueueQuerySchema = Type.Object(
  { queue: Type.Optional(Type.Enum([...QUEUES], { default: 'pending', description: 'Which queue; newest comments first' })), ...page },
  { additionalProperties: false },
);
const AuditQuerySchema = Type.Object(
  { comment: Type.Optional(idOf('Only decisions on this comment')), ...page },
  { additionalProperties: false },
);
const PolicyParamsSchema = Type.Object(
  { scope: Type.Enum(['story', 'brief'], { description: 'What the policy is for' }), id: idOf('The story\'s or brief\'s id') },
  { additionalProperties: false },
);
const PolicyJsonSchema = Type.Object(
  { scope: Type.Enum(['story', 'brief']), id: Type.String(), mode: Type.Union([Type.Enum([...COMMENT_MODES]), Type.Null()]) },
  { additionalProperties: false, description: 'The policy now in force for the story or brief; null follows the site' },
);
const CountsJsonSchema = Type.Object(
  Object.fromEntries(QUEUES.map((q) => [q, Type.Integer({ minimum: 0 })])) as Record<(typeof QUEUES)[number], ReturnType<typeof Type.Integer>>,
  { additionalProperties: false, description: 'How many comments each queue holds' },
);

const NO_CREDENTIALS = 'This needs Authorization: Bearer <token>: an API token (newsdesk token create --role moderator) or a staff member\'s nds_ session token.';

/**
 * onRequest hook: the actor behind `Authorization: Bearer …`, either an API token (`nd_`, for
 * integrations) or a person's session token (`nds_`, so decisions name who made them). A
 * reader's session resolves too, as the role `reader`; the services then answer 403. Never the
 * cookie: without it there is no CSRF surface on these writes.
 */
export async function requireActor(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  try {
    const token = bearerToken(request.headers.authorization);
    if (token === null) throw unauthorized(NO_CREDENTIALS);
    const sessionId = sessionIdFromToken(token);
    if (sessionId === null) {
      request.apiActor = await actorForToken(request.server.deps.db, token);
      return;
    }
    const user = await userForSession(request.server.deps.db, sessionId);
    if (!user) throw unauthorized('The session token is unknown or has ended.');
    request.apiActor = { userId: user.id, role: user.role, label: user.email };
  } catch (err) {
    if (err instanceof AppError && err.status === 401) reply.header('www-authenticate', 'Bearer realm="newsdesk"');
    throw err;
  }
}

function actorOf(request: FastifyRequest): Actor {
  if (!request.apiActor) throw unauthorized(NO_CREDENTIALS);
  return request.apiActor;
}

/**
 * The moderation desk for integrations under /v1/moderation: queues, decisions, measures against
 * commenters, the audit log, and (for admins) the site's comment policy. Every route needs a
 * bearer token; the services check the role, and the reads that have no service check it here.
 */
export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, bus } = app.deps;
  const deps = { db, bus };
  const guarded = { onRequest: requireActor };
  const security = BEARER;

  app.get('/v1/moderation/comments', {
    ...guarded,
    schema: {
      summary: 'List a moderation queue',
      description: '`pending` (held by the pipeline, a policy or reports), `flagged` (published but suspect), `reported` (with '
        + 'unreviewed reports), `rejected`, `approved` (published after a decision). Newest first; each comment with its brief, '
        + 'its author\'s history and the reports. Moderators, editors and admins.',
      tags, security, querystring: QueueQuerySchema,
      response: { 200: pageOf(QueueItemJsonSchema, 'A page of the queue'), ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    assertCan(actorOf(request), 'comment.moderate');
    const { queue = 'pending', cursor, limit } = request.query;
    const result = await listQueue(db, queue, { ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit }) });
    return { items: result.items.map(presentQueueItem), next: result.next };
  });

  app.get('/v1/moderation/counts', {
    ...guarded,
    schema: {
      summary: 'Count the comments in each queue',
      tags, security, response: { 200: CountsJsonSchema, ...errorResponses(401, 403) },
    },
  }, async (request) => {
    assertCan(actorOf(request), 'comment.moderate');
    return queueCounts(db);
  });

  // One path per decision, as the issue names them, so each is its own operation in the document.
  for (const decision of DECISIONS) {
    app.post(`/v1/moderation/comments/:id/${decision}`, {
      ...guarded,
      // The body is optional (a reason, if any); an empty POST validates as {}.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: `${decision[0]!.toUpperCase()}${decision.slice(1)} a comment`,
        description: {
          approve: 'Publishes the comment and clears its flags and reports.',
          reject: 'Takes the comment down: readers no longer see it.',
          feature: 'Publishes the comment and marks it featured for readers.',
          unfeature: 'Removes the featured mark; the comment stays as it is.',
        }[decision] + ' Recorded in the audit log with who and when, and the optional `reason`; the body may be left out. '
          + 'Moderators, editors and admins.',
        tags, security, params: IdParamsSchema, body: DecisionInputSchema,
        response: { 200: ModeratedCommentJsonSchema, ...errorResponses(400, 401, 403, 404, 413) },
      },
    }, async (request) => {
      const comment = await decideComment(deps, actorOf(request), request.params.id, decision, request.body ?? {});
      return presentModeratedComment(comment);
    });
  }

  app.post('/v1/moderation/comments/bulk', {
    ...guarded,
    schema: {
      summary: 'Decide on many comments at once',
      description: 'All or none: if one id is unknown (404), no comment changes.',
      tags, security, body: BulkDecisionSchema,
      response: {
        200: Type.Object({ items: Type.Array(ModeratedCommentJsonSchema) }, { additionalProperties: false, description: 'The comments as they now stand, in the order given' }),
        ...errorResponses(400, 401, 403, 404, 413),
      },
    },
  }, async (request) => {
    const comments = await decideComments(deps, actorOf(request), request.body);
    return { items: comments.map(presentModeratedComment) };
  });

  app.post('/v1/moderation/users/:id', {
    ...guarded,
    schema: {
      summary: 'Suspend, ban or pre-moderate a commenter, or lift it',
      description: '`suspend` for `hours`, `unsuspend`, `ban`, `unban`, `premoderate` (every comment waits for a moderator), '
        + '`unpremoderate`. Readers only: a staff account answers 409. Recorded in the audit log.',
      tags, security, params: IdParamsSchema, body: CommenterMeasureSchema,
      response: { 200: AuthorHistoryJsonSchema, ...errorResponses(400, 401, 403, 404, 409, 413) },
    },
  }, async (request) => presentAuthorHistory(await moderateCommenter(deps, actorOf(request), request.params.id, request.body)));

  app.get('/v1/moderation/audit', {
    ...guarded,
    schema: {
      summary: 'Read the moderation audit log',
      description: 'Every decision, measure and settings change: who, what, when and why. Newest first.',
      tags, security, querystring: AuditQuerySchema,
      response: { 200: pageOf(AuditEntryJsonSchema, 'A page of the audit log'), ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    assertCan(actorOf(request), 'comment.moderate');
    const { comment, cursor, limit } = request.query;
    const result = await listAuditLog(db, {
      ...(comment === undefined ? {} : { commentId: comment }), ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit }),
    });
    return { items: result.items.map(presentAuditEntry), next: result.next };
  });

  app.get('/v1/moderation/settings', {
    ...guarded,
    schema: {
      summary: 'Read the site\'s comment policy and word lists',
      description: 'Admins only, like changing them.',
      tags, security, response: { 200: ModerationSettingsSchema, ...errorResponses(401, 403) },
    },
  }, async (request) => {
    // The word lists are the admins' tool; there is no service behind a plain read to check this.
    assertCan(actorOf(request), 'comment.configure');
    return getModerationSettings(db);
  });

  app.patch('/v1/moderation/settings', {
    ...guarded,
    schema: {
      summary: 'Change the comment policy or word lists',
      description: 'Admins only. Send only the settings to change; a list replaces the stored list. Each change is recorded in the '
        + 'audit log. Answers the settings now in force.',
      tags, security, body: ModerationSettingsPatchSchema,
      response: { 200: ModerationSettingsSchema, ...errorResponses(400, 401, 403, 413) },
    },
  }, async (request) => updateModerationSettings(deps, actorOf(request), request.body));

  app.put('/v1/moderation/policies/:scope/:id', {
    ...guarded,
    schema: {
      summary: 'Set the comment policy of a story or a brief',
      description: '`post`, `pre` or `closed`; null follows the level above (brief → story → site). `closed` anywhere closes. '
        + 'Moderators, editors and admins; recorded in the audit log.',
      tags, security, params: PolicyParamsSchema, body: CommentPolicyInputSchema,
      response: { 200: PolicyJsonSchema, ...errorResponses(400, 401, 403, 404, 413) },
    },
  }, async (request) => {
    const { scope, id: subjectId } = request.params;
    await setCommentPolicy(deps, actorOf(request), { scope, id: subjectId }, request.body);
    return { scope, id: subjectId, mode: request.body.mode };
  });
};
