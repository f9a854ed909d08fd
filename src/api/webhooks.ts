import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type, { type Static } from 'typebox';
import {
  createWebhook, deleteWebhook, DELIVERY_STATUSES, listDeliveries, listWebhooks, resendDelivery, updateWebhook, WEBHOOK_EVENTS, type Webhook, type WebhookDelivery,
} from '../distribution/webhooks.js';
import { notFound } from '../common/errors.js';
import { actorOf, requireToken } from './auth.js';
import { BEARER, IdParamsSchema, WRITE_ERRORS, errorResponses, pageOf } from './schemas.js';

const tags = ['webhooks'];
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

// Loose on purpose: the service checks the address and event names and names the failing field.
const WebhookInputSchema = Type.Object(
  {
    url: Type.String({ maxLength: 2000, description: 'An http:// or https:// address that accepts POST' }),
    events: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20, description: `Any of ${WEBHOOK_EVENTS.join(', ')}` }),
    isActive: Type.Optional(Type.Boolean({ description: 'A paused endpoint gets no new deliveries; pending ones wait. Default true' })),
  },
  { additionalProperties: false },
);

const WebhookJsonSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    events: Type.Array(Type.Enum([...WEBHOOK_EVENTS])),
    isActive: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'A webhook endpoint (its secret is shown only when it is created)' },
);

const CreatedWebhookJsonSchema = Type.Object(
  { ...WebhookJsonSchema.properties, secret: Type.String({ description: 'The signing secret; shown this once' }) },
  { additionalProperties: false, description: 'The new endpoint and its signing secret' },
);

const DeliveryJsonSchema = Type.Object(
  {
    id: Type.String({ description: 'The Newsdesk-Delivery header' }),
    webhookId: Type.String(),
    eventId: Type.String(),
    event: Type.Enum([...WEBHOOK_EVENTS]),
    status: Type.Enum([...DELIVERY_STATUSES]),
    attempts: Type.Integer(),
    nextAttemptAt: nullable(Type.String({ format: 'date-time' })),
    lastStatusCode: nullable(Type.Integer({ description: 'The receiver\'s last HTTP status; null when it did not answer' })),
    lastError: nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    deliveredAt: nullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false, description: 'One event owed to one endpoint' },
);

function presentWebhook(w: Webhook): Static<typeof WebhookJsonSchema> {
  return { id: w.id, url: w.url, events: w.events, isActive: w.isActive, createdAt: w.createdAt };
}

function presentDelivery(d: WebhookDelivery): Static<typeof DeliveryJsonSchema> {
  return {
    id: d.id, webhookId: d.webhookId, eventId: d.eventId, event: d.eventType, status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt,
    lastStatusCode: d.lastStatusCode, lastError: d.lastError, createdAt: d.createdAt, deliveredAt: d.deliveredAt,
  };
}

/** Webhook endpoints and their deliveries under /v1; admin tokens only (the services check). */
export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, bus } = app.deps;
  const deps = { db, bus };
  const readErrors = errorResponses(401, 403);

  app.get('/v1/webhooks', {
    onRequest: requireToken,
    schema: { summary: 'List webhook endpoints', tags, security: BEARER, response: { 200: pageOf(WebhookJsonSchema, 'Every endpoint, oldest first'), ...readErrors } },
  }, async (request) => ({ items: (await listWebhooks(db, actorOf(request))).map(presentWebhook), next: null }));

  app.post('/v1/webhooks', {
    onRequest: requireToken,
    schema: {
      summary: 'Register a webhook endpoint', description: 'Answers the signing secret once; see "Webhooks" in docs/API.md for the headers and how to verify them.',
      tags, security: BEARER, body: WebhookInputSchema, response: { 201: CreatedWebhookJsonSchema, ...errorResponses(...WRITE_ERRORS) },
    },
  }, async (request, reply) => {
    const { webhook, secret } = await createWebhook(deps, actorOf(request), request.body);
    return reply.code(201).send({ ...presentWebhook(webhook), secret });
  });

  app.put('/v1/webhooks/:id', {
    onRequest: requireToken,
    schema: {
      summary: 'Change a webhook endpoint\'s address, events or state', tags, security: BEARER, params: IdParamsSchema, body: WebhookInputSchema,
      response: { 200: WebhookJsonSchema, ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request) => presentWebhook(await updateWebhook(deps, actorOf(request), request.params.id, request.body)));

  app.delete('/v1/webhooks/:id', {
    onRequest: requireToken,
    schema: {
      summary: 'Delete a webhook endpoint and its deliveries', tags, security: BEARER, params: IdParamsSchema,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request, reply) => {
    await deleteWebhook(deps, actorOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/v1/webhooks/:id/deliveries', {
    onRequest: requireToken,
    schema: {
      summary: 'An endpoint\'s recent deliveries, newest first', tags, security: BEARER, params: IdParamsSchema,
      response: { 200: pageOf(DeliveryJsonSchema, 'The last 100 deliveries'), ...readErrors, ...errorResponses(404) },
    },
  }, async (request) => {
    const actor = actorOf(request);
    if (!(await listWebhooks(db, actor)).some((w) => w.id === request.params.id)) throw notFound('Webhook', 'id');
    return { items: (await listDeliveries(db, actor, { webhookId: request.params.id, limit: 100 })).map(presentDelivery), next: null };
  });

  app.post('/v1/webhook-deliveries/:id/resend', {
    onRequest: requireToken,
    schema: {
      summary: 'Send a delivery again now', description: 'Same delivery id and body; one more attempt (retries continue only within 24 hours of the event).',
      tags, security: BEARER, params: IdParamsSchema, response: { 204: Type.Null({ description: 'Queued' }), ...errorResponses(...WRITE_ERRORS, 404) },
    },
  }, async (request, reply) => {
    await resendDelivery(deps, actorOf(request), request.params.id);
    return reply.code(204).send(null);
  });
};
