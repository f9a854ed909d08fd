import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../common/errors.js';
import { BackgroundItemJsonSchema, StoryJsonSchema, StoryWithBackgroundJsonSchema, presentBackgroundItem, presentStory, presentStoryWithBackground } from '../content/presenter.js';
import { BackgroundItemInputSchema, StoryInputSchema } from '../content/schema.js';
import { addBackgroundItem, createStory, findStory, listBackground, listStories } from '../content/stories.js';
import { actorOf, requireToken } from './auth.js';
import { BEARER, IdParamsSchema, WRITE_ERRORS, errorResponses, pageOf } from './schemas.js';

const tags = ['stories'];

/** Stories and their background ledgers under /v1. */
export const storyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, db, bus } = app.deps;
  const deps = { db, bus };

  app.get('/v1/stories', {
    schema: {
      summary: 'List stories, most recently changed first',
      description: 'Not paginated: a newsroom follows tens of stories, not thousands; `next` is always null.',
      tags, response: { 200: pageOf(StoryJsonSchema, 'Every story') },
    },
  }, async () => ({ items: (await listStories(db)).map((s) => presentStory(s, config.publicUrl)), next: null }));

  app.get('/v1/stories/:id', {
    schema: {
      summary: 'Get one story with its background ledger', tags, params: IdParamsSchema,
      response: { 200: StoryWithBackgroundJsonSchema, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const story = await findStory(db, request.params.id);
    if (!story) throw notFound('Story', 'id');
    return presentStoryWithBackground(story, await listBackground(db, story.id), config.publicUrl);
  });

  app.post('/v1/stories', {
    onRequest: requireToken,
    schema: {
      summary: 'Create a story', tags, security: BEARER, body: StoryInputSchema,
      response: { 201: StoryJsonSchema, ...errorResponses(...WRITE_ERRORS) },
    },
  }, async (request, reply) => {
    const story = await createStory(deps, actorOf(request), request.body);
    return reply.code(201).header('location', `${app.prefix}/v1/stories/${story.id}`).send(presentStory(story, config.publicUrl));
  });

  app.post('/v1/stories/:id/background', {
    onRequest: requireToken,
    schema: {
      summary: 'Add an item to the end of a story\'s background ledger', tags, security: BEARER, params: IdParamsSchema, body: BackgroundItemInputSchema,
      response: { 201: BackgroundItemJsonSchema, ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request, reply) => {
    const item = await addBackgroundItem(deps, actorOf(request), request.params.id, request.body);
    return reply.code(201).send(presentBackgroundItem(item));
  });
};
