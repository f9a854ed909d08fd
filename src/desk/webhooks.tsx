import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assertCan } from '../accounts/policy.js';
import { AppError, notFound } from '../common/errors.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, resendDelivery, updateWebhook } from '../distribution/webhooks.js';
import { deskActor, deskContext, sendDeskPage, seeOther } from './context.js';
import type { FormBody } from './forms.js';
import { formErrorsFromAppError, NO_ERRORS, type FormErrors } from './views/fields.js';
import { describeWebhookPath, WebhooksPage, type WebhookFormValues } from './views/WebhookPages.js';

const EMPTY: WebhookFormValues = { url: '', events: [] };

function valuesFromBody(body: FormBody | undefined): WebhookFormValues {
  const events = body?.events;
  return {
    url: typeof body?.url === 'string' ? body.url : '',
    events: Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : typeof events === 'string' ? [events] : [],
  };
}

/** Webhook endpoints and their delivery log; admins only (the services check). */
export const webhookRoutes: FastifyPluginAsync = async (app) => {
  const { db, bus } = app.deps;
  const deps = { db, bus };

  const page = async (
    request: FastifyRequest, reply: FastifyReply,
    opts: { values?: WebhookFormValues; errors?: FormErrors; created?: { url: string; secret: string }; status?: number } = {},
  ) => {
    const actor = deskActor(request);
    const [webhooks, deliveries] = await Promise.all([listWebhooks(db, actor), listDeliveries(db, actor, { limit: 100 })]);
    const node = (
      <WebhooksPage ctx={deskContext(request, reply)} webhooks={webhooks} deliveries={deliveries} values={opts.values ?? EMPTY} errors={opts.errors ?? NO_ERRORS} created={opts.created ?? null} />
    );
    return sendDeskPage(reply, node, opts.status);
  };

  app.get('/', async (request, reply) => {
    assertCan(deskActor(request), 'webhook.manage');
    return page(request, reply);
  });

  // A page rather than a redirect: the secret is shown this once and never again.
  app.post('/', { preHandler: app.csrfProtection }, async (request, reply) => {
    const values = valuesFromBody(request.body as FormBody);
    try {
      const { webhook, secret } = await createWebhook(deps, deskActor(request), values);
      return page(request, reply, { created: { url: webhook.url, secret }, status: 201 });
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      return page(request, reply, { values, errors: formErrorsFromAppError(err, describeWebhookPath), status: 400 });
    }
  });

  app.post<{ Params: { id: string } }>('/:id/active', { preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = deskActor(request);
    const current = (await listWebhooks(db, actor)).find((w) => w.id === request.params.id);
    if (!current) throw notFound('Webhook', 'id');
    const isActive = (request.body as FormBody | undefined)?.isActive === '1';
    await updateWebhook(deps, actor, request.params.id, { url: current.url, events: current.events, isActive });
    return seeOther(reply, '/desk/webhooks');
  });

  app.post<{ Params: { id: string } }>('/:id/delete', { preHandler: app.csrfProtection }, async (request, reply) => {
    await deleteWebhook(deps, deskActor(request), request.params.id);
    return seeOther(reply, '/desk/webhooks');
  });

  app.post<{ Params: { id: string } }>('/deliveries/:id/resend', { preHandler: app.csrfProtection }, async (request, reply) => {
    await resendDelivery(deps, deskActor(request), request.params.id);
    return seeOther(reply, '/desk/webhooks#deliveries');
  });
};
