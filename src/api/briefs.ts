import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listComments } from '../comments/service.js';
import { gone, notFound } from '../common/errors.js';
import { findBrief, listBriefs, wasEverPublished } from '../content/brief-repository.js';
import { correctBrief, createBrief, publishBrief, retractBrief, submitBrief, updateBrief } from '../content/briefs.js';
import { BriefJsonSchema, presentBrief } from '../content/presenter.js';
import { BriefInputSchema, BriefPatchSchema, ReasonSchema } from '../content/schema.js';
import { PUBLIC_STATUSES, type Brief } from '../content/types.js';
import { formatWireText } from '../content/wiretext.js';
import { actorOf, optionalToken, requireToken } from './auth.js';
import {
  BEARER, BriefListQuerySchema, BriefReadQuerySchema, CorrectionSchema, IdParamsSchema, IfMatchHeadersSchema, WRITE_ERRORS, errorResponses, pageOf,
} from './schemas.js';

const tags = ['briefs'];

/** `"3"` or `W/"3"` → 3; the header schema has already checked the shape. */
function revisionFrom(ifMatch: string | undefined): number | undefined {
  return ifMatch === undefined ? undefined : Number(/"(\d+)"/.exec(ifMatch)![1]);
}


/** Briefs routes under /v1: public reads, token-guarded writes, each a single service call. */
export const briefRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, db, bus } = app.deps;
  const deps = { db, bus };
  const present = (brief: Brief) => presentBrief(brief, config.publicUrl);
  const sendBrief = (reply: FastifyReply, brief: Brief, status = 200) =>
    reply.code(status).header('etag', `"${brief.revision}"`).send(present(brief));
  const wroteOne = { 200: BriefJsonSchema, ...errorResponses(...WRITE_ERRORS, 404, 409) };

  app.get('/v1/briefs', {
    schema: {
      summary: 'List public briefs, newest first',
      description: 'Published, corrected and retracted briefs only. Paginate by passing `next` back as `cursor`.',
      tags, querystring: BriefListQuerySchema,
      response: { 200: pageOf(BriefJsonSchema, 'A page of briefs'), ...errorResponses(400) },
    },
  }, async (request) => {
    const { story, entity, language, cursor, limit } = request.query;
    const page = await listBriefs(db, { storyId: story, entityId: entity, language, cursor, limit });
    return { items: page.items.map(present), next: page.next };
  });

  app.get('/v1/briefs/:id', {
    onRequest: optionalToken,
    schema: {
      summary: 'Get one brief',
      description: 'Public briefs for anyone; drafts and briefs in review only with a bearer token. A removed brief that readers once saw answers 410.',
      tags, params: IdParamsSchema, querystring: BriefReadQuerySchema, security: [{}, ...BEARER],
      response: {
        200: {
          description: 'The brief as JSON, or as wire text with ?format=text',
          content: { 'application/json': { schema: BriefJsonSchema }, 'text/plain': { schema: { type: 'string' } } },
        },
        ...errorResponses(400, 401, 404, 410),
      },
    },
  }, async (request, reply) => {
    const brief = await findBrief(db, request.params.id);
    if (!brief) throw notFound('Brief', 'id');
    if (brief.status === 'deleted') {
      // As on the reader site: a removed draft never existed for readers, a removed article is Gone.
      const wasPublished = await wasEverPublished(db, brief.id);
      throw wasPublished ? gone() : notFound('Brief', 'id');
    }
    if (!PUBLIC_STATUSES.includes(brief.status) && !request.apiActor) throw notFound('Brief', 'id');
    if (request.query.format === 'text') {
      return reply.type('text/plain; charset=utf-8').send(formatWireText(brief, await listComments(db, brief.id), { timeZone: config.timeZone }));
    }
    return sendBrief(reply, brief);
  });

  app.post('/v1/briefs', {
    onRequest: requireToken,
    schema: {
      summary: 'Create a draft brief', tags, security: BEARER, body: BriefInputSchema,
      response: { 201: BriefJsonSchema, ...errorResponses(...WRITE_ERRORS) },
    },
  }, async (request, reply) => {
    const brief = await createBrief(deps, actorOf(request), request.body);
    reply.header('location', `${app.prefix}/v1/briefs/${brief.id}`);
    return sendBrief(reply, brief, 201);
  });

  app.patch('/v1/briefs/:id', {
    onRequest: requireToken,
    schema: {
      summary: 'Edit a draft or a brief in review',
      description: 'Only the fields sent change. With `If-Match: "<revision>"` the edit fails with 409 if someone saved the brief since you read it. Published briefs change through /correct.',
      tags, security: BEARER, params: IdParamsSchema, headers: IfMatchHeadersSchema, body: BriefPatchSchema, response: wroteOne,
    },
  }, async (request, reply) => {
    const brief = await updateBrief(deps, actorOf(request), request.params.id, request.body, revisionFrom(request.headers['if-match']));
    return sendBrief(reply, brief);
  });

  app.post('/v1/briefs/:id/submit', {
    onRequest: requireToken,
    schema: { summary: 'Hand a draft to the editors', tags, security: BEARER, params: IdParamsSchema, response: wroteOne },
  }, async (request, reply) => sendBrief(reply, await submitBrief(deps, actorOf(request), request.params.id)));

  app.post('/v1/briefs/:id/publish', {
    onRequest: requireToken,
    schema: {
      summary: 'Publish a draft or a brief in review',
      description: 'Needs at least one source. The background is frozen as the story ledger stands now.',
      tags, security: BEARER, params: IdParamsSchema, response: wroteOne,
    },
  }, async (request, reply) => sendBrief(reply, await publishBrief(deps, actorOf(request), request.params.id)));

  app.post('/v1/briefs/:id/correct', {
    onRequest: requireToken,
    schema: {
      summary: 'Correct a published brief',
      description: 'The patch fields change; `reason` is shown to readers in an "Updated" note. Accepts If-Match like PATCH.',
      tags, security: BEARER, params: IdParamsSchema, headers: IfMatchHeadersSchema, body: CorrectionSchema, response: wroteOne,
    },
  }, async (request, reply) => {
    const { reason, ...patch } = request.body;
    const brief = await correctBrief(deps, actorOf(request), request.params.id, patch, reason, revisionFrom(request.headers['if-match']));
    return sendBrief(reply, brief);
  });

  app.post('/v1/briefs/:id/retract', {
    onRequest: requireToken,
    schema: {
      summary: 'Retract a published brief', description: 'Its URL stays and shows the retraction notice with `reason`.',
      tags, security: BEARER, params: IdParamsSchema, body: ReasonSchema, response: wroteOne,
    },
  }, async (request, reply) => sendBrief(reply, await retractBrief(deps, actorOf(request), request.params.id, request.body.reason)));
};
