import swagger from '@fastify/swagger';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../common/errors.js';
import { authRoutes } from './auth-routes.js';
import { briefRoutes } from './briefs.js';
import { commentRoutes } from './comments.js';
import { entityRoutes } from './entities.js';
import { moderationRoutes } from './moderation.js';
import { ninjsRoutes } from './ninjs.js';
import { openApiOptions } from './openapi.js';
import { searchRoutes } from './search.js';
import { storyRoutes } from './stories.js';
import { webhookRoutes } from './webhooks.js';

/**
 * The JSON API (registered at /api): v1 routes and the OpenAPI document generated from the
 * same TypeBox schemas that validate them. Errors go to the root handler's error body.
 */
export const apiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('apiActor', null);
  app.decorateRequest('apiUser', null);
  // Before the routes: swagger collects them through an onRoute hook.
  await app.register(swagger, openApiOptions);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Without this, an unknown /api URL would get the reader site's HTML 404 page.
  app.setNotFoundHandler(async () => {
    throw notFound('API route');
  });

  await app.register(briefRoutes);
  await app.register(storyRoutes);
  await app.register(entityRoutes);
  await app.register(authRoutes);
  await app.register(commentRoutes);
  await app.register(moderationRoutes);
  await app.register(searchRoutes);
  await app.register(ninjsRoutes);
  await app.register(webhookRoutes);
};
