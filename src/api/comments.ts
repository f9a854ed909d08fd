import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { userForSession, type User } from '../accounts/service.js';
import { commentIpHash } from '../comments/ip.js';
import { CommentThreadJsonSchema, OwnCommentJsonSchema, presentOwnComment, presentThread } from '../comments/presenter.js';
import { listPublishedComments } from '../comments/repository.js';
import { PostCommentSchema, ReportInputSchema, deleteComment, editComment, postComment, reportComment, type CommentAuthor } from '../comments/service.js';
import { notFound, unauthorized } from '../common/errors.js';
import { findBrief } from '../content/brief-repository.js';
import { PUBLIC_STATUSES } from '../content/types.js';
import { SESSION_COOKIE } from '../desk/auth.js';
import { requireSessionUser } from './auth.js';
import { markPublic, surrogateKey } from '../distribution/cache-headers.js';
import { BEARER, IdParamsSchema, errorResponses, pageOf } from './schemas.js';

const tags = ['comments'];

const CommentListQuerySchema = Type.Object(
  {
    sort: Type.Optional(Type.Enum(['oldest', 'newest'], { default: 'oldest', description: 'Order of the top-level comments' })),
    cursor: Type.Optional(Type.String({ maxLength: 500, description: 'The `next` value of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

// Requests signed in by the site's cookie rather than a bearer token: only these need the CSRF
// token, since a browser attaches cookies to requests other sites make, never Authorization.
const signedInByCookie = new WeakSet<FastifyRequest>();

/**
 * onRequest hook: the commenter from `Authorization: Bearer nds_…`, or else from the site's
 * session cookie (the reader site's own script), or 401.
 */
async function requireCommenter(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.headers.authorization !== undefined) return requireSessionUser(request, reply);
  const sessionId = request.cookies[SESSION_COOKIE];
  const user = sessionId ? await userForSession(request.server.deps.db, sessionId) : null;
  if (!user) {
    reply.header('www-authenticate', 'Bearer realm="newsdesk"');
    throw unauthorized('Sign in to comment: send Authorization: Bearer nds_… or the session cookie.');
  }
  request.apiUser = user;
  signedInByCookie.add(request);
}

/** The signed-in user `requireCommenter` resolved. */
function commenterOf(request: FastifyRequest): User {
  if (!request.apiUser) throw unauthorized();
  return request.apiUser;
}

const authorFrom = (user: User): CommentAuthor => ({ id: user.id, displayName: user.displayName, role: user.role });

const EditCommentSchema = Type.Pick(PostCommentSchema, ['body'], { additionalProperties: false });

const ReportAnswerSchema = Type.Object(
  {
    message: Type.String({ description: 'What to tell the reporter, in the brief\'s language' }),
    hidden: Type.Boolean({ description: 'This report hid the comment until a moderator decides' }),
  },
  { additionalProperties: false },
);

const SIGNED_IN = 'Needs a signed-in reader or staff member: `Authorization: Bearer nds_…` from logging in, or the session cookie '
  + 'with an `X-CSRF-Token` header.';

/** Comments under /v1/briefs/{id}/comments: anyone reads published ones, signed-in people write. */
export const commentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, bus, cookieSecret } = app.deps;

  app.get('/v1/briefs/:id/comments', {
    schema: {
      summary: 'List the published comments of a brief',
      description: 'Top-level comments a page at a time, each with its published replies. Paginate by passing `next` back as `cursor`.',
      tags, params: IdParamsSchema, querystring: CommentListQuerySchema,
      response: { 200: pageOf(CommentThreadJsonSchema, 'A page of comment threads'), ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const brief = await findBrief(db, request.params.id);
    if (!brief || !PUBLIC_STATUSES.includes(brief.status)) throw notFound('Brief', 'id');
    const page = await listPublishedComments(db, brief.id, request.query);
    markPublic(reply, [surrogateKey.brief(brief.id)]);
    return { items: page.items.map(presentThread), next: page.next };
  });

  // Every write signs in the same way; a cookie-borne one must also carry the CSRF token.
  const signedIn = {
    onRequest: requireCommenter,
    preHandler: (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) =>
      (signedInByCookie.has(request) ? app.csrfProtection(request, reply, done) : done()),
  };

  app.post('/v1/briefs/:id/comments', {
    ...signedIn,
    schema: {
      summary: 'Comment on a brief, or reply to a comment',
      description: `${SIGNED_IN} The comment goes through moderation: the answer says whether it was \`published\`, is `
        + '`pending` a moderator, or was `rejected`, with `reasons` and a `message` for the author. 403 for a banned or suspended '
        + 'account; 409 `comments_closed` once comments are closed; 429 `rate_limited` with `Retry-After` when writing too fast.',
      tags, security: BEARER, params: IdParamsSchema, body: PostCommentSchema,
      response: { 201: OwnCommentJsonSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 429) },
    },
  }, async (request, reply) => {
    const user = commenterOf(request);
    const comment = await postComment({ db, bus }, {
      actor: authorFrom(user),
      briefId: request.params.id,
      body: request.body.body,
      ...(request.body.parentId === undefined ? {} : { parentId: request.body.parentId }),
      ipHash: commentIpHash(cookieSecret, request.ip),
    });
    return reply.code(201).send(presentOwnComment(comment));
  });

  app.patch('/v1/comments/:id', {
    ...signedIn,
    schema: {
      summary: 'Edit your own comment',
      description: `${SIGNED_IN} Only the author, and only within the site's edit window (5 minutes by default): later, or for `
        + 'a rejected comment, 409 `edit_window_closed`; someone else\'s comment 403. The earlier text is kept for moderators and '
        + 'the new one goes through moderation again, so the answer carries the status as after posting; an edit never '
        + 'publishes a held comment.',
      tags, security: BEARER, params: IdParamsSchema, body: EditCommentSchema,
      response: { 200: OwnCommentJsonSchema, ...errorResponses(400, 401, 403, 404, 409, 413) },
    },
  }, async (request) => {
    const comment = await editComment({ db, bus }, { actor: authorFrom(commenterOf(request)), commentId: request.params.id, body: request.body.body });
    return presentOwnComment(comment);
  });

  app.delete('/v1/comments/:id', {
    ...signedIn,
    schema: {
      summary: 'Delete a comment',
      description: `${SIGNED_IN} The author deletes their own; moderators, editors and admins may delete anyone's (kept in the `
        + 'moderation audit log). Others 403.',
      tags, security: BEARER, params: IdParamsSchema,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(401, 403, 404) },
    },
  }, async (request, reply) => {
    const user = commenterOf(request);
    await deleteComment({ db, bus }, { actor: { userId: user.id, role: user.role, label: user.email }, commentId: request.params.id });
    return reply.code(204).send(null);
  });

  app.post('/v1/comments/:id/reports', {
    ...signedIn,
    schema: {
      summary: 'Report a comment to the moderators',
      description: `${SIGNED_IN} One report per person and comment (reporting again changes nothing); \`other\` needs a \`text\`. `
        + 'When enough readers have reported it (3 by default) the comment is hidden until a moderator decides, and `hidden` says '
        + 'so. Your own comment 400; a comment readers cannot see 404.',
      tags, security: BEARER, params: IdParamsSchema, body: ReportInputSchema,
      response: { 201: ReportAnswerSchema, ...errorResponses(400, 401, 403, 404, 413) },
    },
  }, async (request, reply) => {
    const answer = await reportComment({ db, bus }, { reporter: authorFrom(commenterOf(request)), commentId: request.params.id, report: request.body });
    return reply.code(201).send({ message: answer.message, hidden: answer.isHidden });
  });
};
