import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { listComments } from '../comments/service.js';
import { gone, notFound } from '../common/errors.js';
import { findBrief, listBriefs, wasEverPublished } from '../content/brief-repository.js';
import { correctBrief, createBrief, publishBrief, retractBrief, submitBrief, updateBrief } from '../content/briefs.js';
import { BriefJsonSchema, presentBrief } from '../content/presenter.js';
import { BriefInputSchema, BriefPatchSchema, LanguageSchema, ReasonSchema } from '../content/schema.js';
import { linkTranslation, listTranslations, pinBrief, unlinkTranslation } from '../content/timeline.js';
import { PUBLIC_STATUSES, type Brief } from '../content/types.js';
import { formatWireText } from '../content/wiretext.js';
import { briefPath } from '../web/paths.js';
import { keysOfBriefs, markPrivate, markPublic, surrogateKey } from '../distribution/cache-headers.js';
import { loadNinjsContext } from '../distribution/ninjs.js';
import { actorOf, optionalToken, requireToken } from './auth.js';
import { sendNinjs } from './ninjs.js';
import {
  BEARER, BriefListQuerySchema, BriefReadQuerySchema, CorrectionSchema, IdParamsSchema, IfMatchHeadersSchema, WRITE_ERRORS, errorResponses, pageOf,
} from './schemas.js';

const tags = ['briefs'];

/** `"3"` or `W/"3"` → 3; the header schema has already checked the shape. */
function revisionFrom(ifMatch: string | undefined): number | undefined {
  return ifMatch === undefined ? undefined : Number(/"(\d+)"/.exec(ifMatch)![1]);
}


const TranslationJsonSchema = Type.Object({
  id: Type.String(), slug: Type.String(), url: Type.String({ description: 'The brief\'s page' }), language: LanguageSchema,
  headline: Type.String(), status: Type.String(),
}, { additionalProperties: false });
const TranslationListSchema = Type.Object(
  { items: Type.Array(TranslationJsonSchema) },
  { additionalProperties: false, description: 'The other briefs of its translation group, one per language' },
);
const LinkTranslationSchema = Type.Object(
  { otherBriefId: Type.String({ minLength: 1, maxLength: 64, description: 'A brief of the same story in another language' }) },
  { additionalProperties: false },
);
const PinSchema = Type.Object({ pinned: Type.Boolean({ description: 'true to pin as a key event of its story, false to unpin' }) }, { additionalProperties: false });
const PinJsonSchema = Type.Object(
  { pinned: Type.Boolean(), pinnedAt: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false, description: 'Whether the brief is a key event of its story, and since when' },
);

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
  }, async (request, reply) => {
    const { story, entity, language, cursor, limit } = request.query;
    const page = await listBriefs(db, { storyId: story, entityId: entity, language, cursor, limit });
    // A new brief joins a list through its story, entity or language key, or `home` when unfiltered.
    const listKeys = [
      ...(story ? [surrogateKey.storyBriefs(story)] : []), ...(entity ? [surrogateKey.entityBriefs(entity)] : []),
      ...(language ? [surrogateKey.language(language)] : []),
    ];
    markPublic(reply, [...(listKeys.length ? listKeys : [surrogateKey.home]), ...keysOfBriefs(page.items)]);
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
          description: 'The brief as JSON, as wire text with ?format=text, or as an IPTC ninjs 3.1 news item (also application/json) with ?format=ninjs',
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
    // A draft read with a token is the newsroom's alone; a public brief is the same for everyone.
    if (PUBLIC_STATUSES.includes(brief.status)) markPublic(reply, keysOfBriefs([brief]));
    else markPrivate(reply);
    if (request.query.format === 'text') {
      return reply.type('text/plain; charset=utf-8').send(formatWireText(brief, await listComments(db, brief.id), { timeZone: config.timeZone }));
    }
    if (request.query.format === 'ninjs') return sendNinjs(reply, brief, await loadNinjsContext(db, brief, config.publicUrl));
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

  const presentTranslations = (briefs: Brief[]) => ({
    items: briefs.map((b) => ({ id: b.id, slug: b.slug, url: config.publicUrl + briefPath(b), language: b.language, headline: b.headline, status: b.status })),
  });

  app.get('/v1/briefs/:id/translations', {
    onRequest: optionalToken,
    schema: {
      summary: 'List a brief\'s translations',
      description: 'Public translations of a public brief for anyone; with a bearer token, drafts too.',
      tags, params: IdParamsSchema, security: [{}, ...BEARER],
      response: { 200: TranslationListSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const brief = await findBrief(db, request.params.id);
    const isVisible = (b: Brief) => PUBLIC_STATUSES.includes(b.status) || (!!request.apiActor && b.status !== 'deleted');
    if (!brief || !isVisible(brief)) throw notFound('Brief', 'id');
    return presentTranslations((await listTranslations(db, brief.id)).filter(isVisible));
  });

  app.post('/v1/briefs/:id/translations', {
    onRequest: requireToken,
    schema: {
      summary: 'Link a translation',
      description: 'Makes `otherBriefId` and this brief translations of each other (their groups merge). A group holds one brief per language, all of one story.',
      tags, security: BEARER, params: IdParamsSchema, body: LinkTranslationSchema,
      response: { 200: TranslationListSchema, ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request) => presentTranslations(await linkTranslation(deps, actorOf(request), request.params.id, request.body.otherBriefId)));

  app.delete('/v1/briefs/:id/translations', {
    onRequest: requireToken,
    schema: {
      summary: 'Unlink a brief from its translations', tags, security: BEARER, params: IdParamsSchema,
      response: { 204: Type.Null({ description: 'Unlinked' }), ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request, reply) => {
    await unlinkTranslation(deps, actorOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  app.put('/v1/briefs/:id/pin', {
    onRequest: requireToken,
    schema: {
      summary: 'Pin or unpin a brief as a key event of its story',
      description: 'Key events are listed at the top of the story page. Only a brief in a story can be pinned.',
      tags, security: BEARER, params: IdParamsSchema, body: PinSchema,
      response: { 200: PinJsonSchema, ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request) => {
    const state = await pinBrief(deps, actorOf(request), request.params.id, request.body.pinned);
    return { pinned: state.pinnedAt !== null, pinnedAt: state.pinnedAt };
  });
};
