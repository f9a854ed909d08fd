import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { userForSession } from '../accounts/service.js';
import { CommentThreadJsonSchema, OwnCommentJsonSchema, presentOwnComment, presentThread } from '../comments/presenter.js';
import { listPublishedComments } from '../comments/repository.js';
import { PostCommentSchema, postComment } from '../comments/service.js';
import { notFound, unauthorized } from '../common/errors.js';
import { findBrief } from '../content/brief-repository.js';
import { PUBLIC_STATUSES } from '../content/types.js';
import { SESSION_COOKIE } from '../desk/auth.js';
import { requireSessionUser } from './auth.js';
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

/** Comments under /v1/briefs/{id}/comments: anyone reads published ones, signed-in people write. */
export const commentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, bus, cookieSecret } = app.deps;
  // Addresses are kept only as a keyed hash: enough to count comments per address, useless to read.
  const ipHashOf = (ip: string) => createHmac('sha256', cookieSecret).update(`comment-ip:${ip}`).digest('hex').slice(0, 32);

  app.get('/v1/briefs/:id/comments', {
    schema: {
      summary: 'List the published comments of a brief',
      description: 'Top-level comments a page at a time, each with its published replies. Paginate by passing `next` back as `cursor`.',
      tags, params: IdParamsSchema, querystring: CommentListQuerySchema,
      response: { 200: pageOf(CommentThreadJsonSchema, 'A page of comment threads'), ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const brief = await findBrief(db, request.params.id);
    if (!brief || !PUBLIC_STATUSES.includes(brief.status)) throw notFound('Brief', 'id');
    const page = await listPublishedComments(db, brief.id, request.query);
    return { items: page.items.map(presentThread), next: page.next };
  });

  app.post('/v1/briefs/:id/comments', {
    onRequest: requireCommenter,
    preHandler: (request, reply, done) => (signedInByCookie.has(request) ? app.csrfProtection(request, reply, done) : done()),
    schema: {
      summary: 'Comment on a brief, or reply to a comment',
      description: 'Needs a signed-in reader or staff member: `Authorization: Bearer nds_…` from logging in, or the session cookie '
        + 'with an `X-CSRF-Token` header. The comment goes through moderation: the answer says whether it was `published`, is '
        + '`pending` a moderator, or was `rejected`, with `reasons` and a `message` for the author. 409 `comments_closed` once '
        + 'comments are closed; 429 `rate_limited` with `Retry-After` when writing too fast.',
      tags, security: BEARER, params: IdParamsSchema, body: PostCommentSchema,
      response: { 201: OwnCommentJsonSchema, ...errorResponses(400, 401, 403, 404, 409, 413) },
    },
  }, async (request, reply) => {
    const user = request.apiUser;
    if (!user) throw unauthorized();
    const comment = await postComment({ db, bus }, {
      actor: { id: user.id, displayName: user.displayName, role: user.role },
      briefId: request.params.id,
      body: request.body.body,
      ...(request.body.parentId === undefined ? {} : { parentId: request.body.parentId }),
      ipHash: ipHashOf(request.ip),
    });
    return reply.code(201).send(presentOwnComment(comment));
  });
};
