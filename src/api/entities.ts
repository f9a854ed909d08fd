import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../common/errors.js';
import { createEntity, findEntity, listEntities } from '../content/entities.js';
import { EntityJsonSchema, presentEntity } from '../content/presenter.js';
import { EntityInputSchema } from '../content/schema.js';
import { actorOf, requireToken } from './auth.js';
import { markPublic, surrogateKey } from '../distribution/cache-headers.js';
import { BEARER, IdParamsSchema, WRITE_ERRORS, errorResponses, pageOf } from './schemas.js';

const tags = ['entities'];

/** People, organisations and places under /v1. */
export const entityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, db, bus } = app.deps;

  app.get('/v1/entities', {
    schema: {
      summary: 'List entities by English name',
      description: 'Not paginated yet; `next` is always null.',
      tags, response: { 200: pageOf(EntityJsonSchema, 'Every entity') },
    },
  }, async (_request, reply) => {
    const entities = await listEntities(db);
    // One key, not one per entity: every entity change also purges `entities` (see api/stories.ts).
    markPublic(reply, [surrogateKey.entities]);
    return { items: entities.map((e) => presentEntity(e, config.publicUrl)), next: null };
  });

  app.get('/v1/entities/:id', {
    schema: { summary: 'Get one entity', tags, params: IdParamsSchema, response: { 200: EntityJsonSchema, ...errorResponses(400, 404) } },
  }, async (request, reply) => {
    const entity = await findEntity(db, request.params.id);
    if (!entity) throw notFound('Entity', 'id');
    markPublic(reply, [surrogateKey.entity(entity.id)]);
    return presentEntity(entity, config.publicUrl);
  });

  app.post('/v1/entities', {
    onRequest: requireToken,
    schema: {
      summary: 'Create an entity', tags, security: BEARER, body: EntityInputSchema,
      response: { 201: EntityJsonSchema, ...errorResponses(...WRITE_ERRORS) },
    },
  }, async (request, reply) => {
    const entity = await createEntity({ db, bus }, actorOf(request), request.body);
    return reply.code(201).header('location', `${app.prefix}/v1/entities/${entity.id}`).send(presentEntity(entity, config.publicUrl));
  });
};
