import type { FastifyPluginAsync } from 'fastify';

export const deskRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async () => 'desk');
};
