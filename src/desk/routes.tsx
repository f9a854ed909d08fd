import type { FastifyPluginAsync } from 'fastify';
import { can } from '../accounts/policy.js';
import { countAwaitingReview } from '../comments/moderation.js';
import { AppError } from '../common/errors.js';
import { describeError } from '../common/http-errors.js';
import { listBriefsForDesk } from '../content/brief-repository.js';
import { authRoutes, requireDeskUser } from './auth.js';
import { briefRoutes } from './briefs.js';
import { deskContext, sendDeskPage } from './context.js';
import { entityRoutes } from './entities.js';
import { deskMessages as m } from './messages.js';
import { moderationRoutes } from './moderation.js';
import { storyRoutes } from './stories.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';
import { Dashboard } from './views/Dashboard.js';
import { DeskErrorPage } from './views/DeskErrorPage.js';

function messageFor(err: unknown, status: number, fallback: string): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('FST_CSRF_')) return m.errors.csrf;
  if (status === 429) return m.errors.tooMany;
  if (status >= 500) return m.errors.internal;
  return err instanceof AppError ? err.message : fallback;
}

/**
 * The staff desk: server-rendered pages and plain HTML forms (POST-redirect-GET), usable
 * without JavaScript. Every page but the login form needs a session; services check roles.
 */
export const deskRoutes: FastifyPluginAsync = async (app) => {
  app.decorateRequest('deskUser', null);
  app.decorateRequest('moderationWaiting', null);

  // Errors become pages here rather than the API's JSON: a browser posting a form must land
  // on something a person can read and act on.
  app.setErrorHandler((err, request, reply) => {
    const { status, body, isUnexpected } = describeError(err);
    if (isUnexpected) request.log.error({ err }, 'unexpected error');
    const page = <DeskErrorPage ctx={deskContext(request, reply)} status={status} message={messageFor(err, status, body.error.message)} />;
    return sendDeskPage(reply, page, status);
  });

  app.setNotFoundHandler((request, reply) => {
    const page = <DeskErrorPage ctx={deskContext(request, reply)} status={404} message={m.errors.noSuchPage} />;
    return sendDeskPage(reply, page, 404);
  });

  await app.register(authRoutes);

  await app.register(async (staff) => {
    staff.addHook('preHandler', requireDeskUser);
    // The menu shows moderators how many comments wait for them; one indexed count per page.
    staff.addHook('preHandler', async (request) => {
      if (request.method === 'GET' && can(request.deskUser, 'comment.moderate')) request.moderationWaiting = await countAwaitingReview(app.deps.db);
    });

    staff.get('/', async (request, reply) => {
      const briefs = await listBriefsForDesk(app.deps.db, { limit: 200 });
      return sendDeskPage(reply, <Dashboard ctx={deskContext(request, reply)} briefs={briefs} />);
    });

    await staff.register(briefRoutes, { prefix: '/briefs' });
    await staff.register(storyRoutes, { prefix: '/stories' });
    await staff.register(entityRoutes, { prefix: '/entities' });
    await staff.register(userRoutes, { prefix: '/users' });
    await staff.register(webhookRoutes, { prefix: '/webhooks' });
    await staff.register(moderationRoutes, { prefix: '/moderation' });
  });
};
