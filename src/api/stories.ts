import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import { notFound } from '../common/errors.js';
import { itemHistory } from '../content/ledger.js';
import { BackgroundItemJsonSchema, StoryJsonSchema, StoryWithBackgroundJsonSchema, presentBackgroundItem, presentStory, presentStoryWithBackground } from '../content/presenter.js';
import { BackgroundItemInputSchema, StoryInputSchema } from '../content/schema.js';
import { addBackgroundItem, createStory, findStory, listBackground, listStories, updateBackgroundItem } from '../content/stories.js';
import { BACKGROUND_CHANGE_KINDS, CLAIM_STATUSES, type BackgroundItemChange } from '../content/types.js';
import { actorOf, requireToken } from './auth.js';
import { markPublic, surrogateKey } from '../distribution/cache-headers.js';
import { BEARER, IdParamsSchema, WRITE_ERRORS, errorResponses, pageOf } from './schemas.js';

const tags = ['stories'];

const ItemParamsSchema = Type.Object({ id: IdParamsSchema.properties.id, itemId: IdParamsSchema.properties.id }, { additionalProperties: false });
const nullableString = Type.Union([Type.String(), Type.Null()]);

// Who changed an item goes out as the name the history shows readers; account ids stay inside.
const BackgroundItemChangeJsonSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Enum([...BACKGROUND_CHANGE_KINDS], { description: '\'baseline\': the state the item was in when its history began' }),
    text: Type.String(),
    status: Type.Enum([...CLAIM_STATUSES]),
    attributionEntityId: nullableString,
    attributionSource: nullableString,
    source: Type.Union([Type.String(), Type.Null()], { description: 'Where news of the change came from, as the editor wrote it' }),
    changedBy: Type.Union([Type.String(), Type.Null()], { description: 'The editor\'s display name, or the token\'s or command line\'s label' }),
    changedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'One state of a background item' },
);

const BackgroundItemHistoryJsonSchema = Type.Object(
  { item: BackgroundItemJsonSchema, changes: Type.Array(BackgroundItemChangeJsonSchema, { description: 'Oldest first' }) },
  { additionalProperties: false, description: 'A background item as it stands now and every state it was in' },
);

function presentChange(change: BackgroundItemChange): Static<typeof BackgroundItemChangeJsonSchema> {
  return {
    id: change.id, kind: change.kind, text: change.text, status: change.status, attributionEntityId: change.attributionEntityId,
    attributionSource: change.attributionSource, source: change.source, changedBy: change.actorLabel, changedAt: change.changedAt,
  };
}

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
  }, async (_request, reply) => {
    const stories = await listStories(db);
    // One key, not one per story: every story change also purges `stories`, and thousands of
    // per-story keys would make headers larger than proxies accept.
    markPublic(reply, [surrogateKey.stories]);
    return { items: stories.map((s) => presentStory(s, config.publicUrl)), next: null };
  });

  app.get('/v1/stories/:id', {
    schema: {
      summary: 'Get one story with its background ledger', tags, params: IdParamsSchema,
      response: { 200: StoryWithBackgroundJsonSchema, ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const story = await findStory(db, request.params.id);
    if (!story) throw notFound('Story', 'id');
    markPublic(reply, [surrogateKey.story(story.id), surrogateKey.storyBackground(story.id)]);
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

  app.put('/v1/stories/:id/background/:itemId', {
    onRequest: requireToken,
    schema: {
      summary: 'Change a background item\'s text, status or attribution',
      description: 'Every change is kept in the item\'s history; `changeSource` says where its news came from. Briefs already published keep the item as it was.',
      tags, security: BEARER, params: ItemParamsSchema, body: BackgroundItemInputSchema,
      response: { 200: BackgroundItemJsonSchema, ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request) => {
    const item = await updateBackgroundItem(deps, actorOf(request), request.params.itemId, request.body, { storyId: request.params.id });
    return presentBackgroundItem(item);
  });

  app.get('/v1/stories/:id/background/:itemId/history', {
    schema: {
      summary: 'Get a background item with every state it was in, oldest first', tags, params: ItemParamsSchema,
      response: { 200: BackgroundItemHistoryJsonSchema, ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const item = (await listBackground(db, request.params.id)).find((i) => i.id === request.params.itemId);
    if (!item) throw notFound('Background item', 'itemId');
    markPublic(reply, [surrogateKey.story(request.params.id), surrogateKey.backgroundItem(request.params.itemId)]);
    return { item: presentBackgroundItem(item), changes: (await itemHistory(db, item.id)).map(presentChange) };
  });
};
