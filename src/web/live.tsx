import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { notFound } from '../common/errors.js';
import { LanguageSchema } from '../content/schema.js';
import { findStory } from '../content/stories.js';
import { briefsTopic, feedBriefUpdates, storyTopic, type LiveHub } from '../live/hub.js';
import { streamTopic } from '../live/sse.js';

// Server-Sent Events for the home and story pages' updates-live island: which briefs were
// published, corrected or retracted since the page was served (ids, kinds and dates only; the
// island reloads the page to show them). GET /live/briefs[?lang=uk] and GET /live/stories/:id.

const BriefsQuery = Type.Object({ lang: Type.Optional(LanguageSchema) });
const StoryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$' }) });

// The feed subscribes once per hub, however many times the plugin is registered (per language prefix, say).
const fedHubs = new WeakSet<LiveHub>();

export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  if (!fedHubs.has(app.live)) {
    fedHubs.add(app.live);
    const stop = feedBriefUpdates(app.deps, app.live);
    app.addHook('onClose', async () => stop());
  }

  app.get('/live/briefs', { schema: { querystring: BriefsQuery } }, async (request, reply) => {
    streamTopic(request, reply, app.live, briefsTopic(request.query.lang ?? 'all'));
    return reply;
  });

  app.get('/live/stories/:id', { schema: { params: StoryParams } }, async (request, reply) => {
    const story = await findStory(app.deps.db, request.params.id);
    if (!story) throw notFound('Story');
    streamTopic(request, reply, app.live, storyTopic(story.id));
    return reply;
  });
};
