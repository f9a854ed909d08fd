import type { FastifyPluginAsync } from 'fastify';

export const apiRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/briefs', async () => ({ items: [], next: null }));
};
