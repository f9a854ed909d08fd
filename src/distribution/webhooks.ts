import { createHmac, randomBytes } from 'node:crypto';
import { assertCan, type Actor } from '../accounts/policy.js';
import { FieldErrors, notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import type { Executor } from '../storage/database.js';
import { inTransaction, type DomainEvent, type TransactionDeps } from '../storage/events.js';

/** What an endpoint can subscribe to; the names receivers see in `Newsdesk-Event`. */
export const WEBHOOK_EVENTS = [
  'brief.published',
  'brief.corrected',
  'brief.retracted',
  'story.changed',
  'comment.published',
  'comment.flagged',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  isActive: boolean;
  createdBy: string | null;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  webhookUrl: string;
  eventId: string;
  eventType: WebhookEvent;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface WebhookInput {
  url: string;
  events: string[];
  isActive?: boolean;
}

type WebhookRow = { id: string; url: string; events: string; active: number; created_by: string | null; created_at: string };

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id, url: row.url, events: JSON.parse(row.events) as WebhookEvent[], isActive: row.active === 1,
    createdBy: row.created_by, createdAt: row.created_at,
  };
}

const isWebhookEvent = (value: string): value is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(value);

/** Checks an endpoint's address and events; throws a 400 naming `url` or `events`. */
function validate(input: WebhookInput): { url: string; events: WebhookEvent[] } {
  const errors = new FieldErrors();
  const url = typeof input.url === 'string' ? input.url.trim() : '';
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!url) errors.add('url', 'is required');
  else if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) errors.add('url', 'must be an http:// or https:// address');
  else if (url.length > 2000) errors.add('url', 'must be at most 2000 characters');
  const events = Array.isArray(input.events) ? [...new Set(input.events)] : [];
  if (events.length === 0) errors.add('events', 'must name at least one event');
  const unknown = events.filter((e) => !isWebhookEvent(e));
  if (unknown.length > 0) errors.add('events', `must be among ${WEBHOOK_EVENTS.join(', ')}; unknown: ${unknown.join(', ')}`);
  errors.throwIfAny();
  return { url, events: WEBHOOK_EVENTS.filter((e) => events.includes(e)) };
}

/** A new signing secret; 32 random bytes, so it cannot be guessed from anything else. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

/**
 * Registers an endpoint; answers it with its secret, which is never shown again (the desk
 * prints it once), so the receiver's owner must store it now.
 */
export async function createWebhook(deps: TransactionDeps, actor: Actor, input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
  assertCan(actor, 'webhook.manage');
  const { url, events } = validate(input);
  const secret = newSecret();
  return inTransaction(deps, actor.userId, async (trx, recorder) => {
    const row: WebhookRow = {
      id: newId(), url, events: JSON.stringify(events), active: input.isActive === false ? 0 : 1, created_by: actor.userId, created_at: new Date().toISOString(),
    };
    await trx.insertInto('webhooks').values({ ...row, secret }).execute();
    recorder.record('webhook.changed', row.id, { change: 'created' });
    return { webhook: toWebhook(row), secret };
  });
}

/** Changes an endpoint's address, events or whether it is active; the secret stays. */
export async function updateWebhook(deps: TransactionDeps, actor: Actor, id: string, input: WebhookInput): Promise<Webhook> {
  assertCan(actor, 'webhook.manage');
  const { url, events } = validate(input);
  return inTransaction(deps, actor.userId, async (trx, recorder) => {
    const existing = await trx.selectFrom('webhooks').select(['id', 'active']).where('id', '=', id).executeTakeFirst();
    if (!existing) throw notFound('Webhook', 'id');
    const active = input.isActive === undefined ? existing.active : input.isActive ? 1 : 0;
    await trx.updateTable('webhooks').set({ url, events: JSON.stringify(events), active }).where('id', '=', id).execute();
    recorder.record('webhook.changed', id, { change: 'updated' });
    const row = await trx.selectFrom('webhooks').select(['id', 'url', 'events', 'active', 'created_by', 'created_at']).where('id', '=', id).executeTakeFirstOrThrow();
    return toWebhook(row);
  });
}

/** Removes an endpoint and its delivery log; pending deliveries to it are dropped. */
export async function deleteWebhook(deps: TransactionDeps, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'webhook.manage');
  await inTransaction(deps, actor.userId, async (trx, recorder) => {
    await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    const result = await trx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('Webhook', 'id');
    recorder.record('webhook.changed', id, { change: 'deleted' });
  });
}

/** Every endpoint, oldest first. */
export async function listWebhooks(db: Executor, actor: Actor): Promise<Webhook[]> {
  assertCan(actor, 'webhook.manage');
  const rows = await db.selectFrom('webhooks').select(['id', 'url', 'events', 'active', 'created_by', 'created_at']).orderBy('created_at').orderBy('id').execute();
  return rows.map(toWebhook);
}

/** The delivery log, newest first; of one endpoint when `webhookId` is given. */
export async function listDeliveries(db: Executor, actor: Actor, opts: { webhookId?: string; limit?: number } = {}): Promise<WebhookDelivery[]> {
  assertCan(actor, 'webhook.manage');
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select([
      'd.id', 'd.webhook_id', 'w.url', 'd.event_id', 'd.event_type', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status_code', 'd.last_error',
      'd.created_at', 'd.delivered_at',
    ]);
  if (opts.webhookId) query = query.where('d.webhook_id', '=', opts.webhookId);
  const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(opts.limit ?? 100).execute();
  return rows.map((r) => ({
    id: r.id, webhookId: r.webhook_id, webhookUrl: r.url, eventId: r.event_id, eventType: r.event_type as WebhookEvent, status: r.status as DeliveryStatus,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastStatusCode: r.last_status_code, lastError: r.last_error, createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  }));
}

/**
 * Queues a delivery to be sent again now, whatever its state: one more attempt, with further
 * retries only while the delivery is younger than the retry window.
 */
export async function resendDelivery(deps: TransactionDeps, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'webhook.manage');
  await inTransaction(deps, actor.userId, async (trx, recorder) => {
    const delivery = await trx.selectFrom('webhook_deliveries').select(['id', 'webhook_id']).where('id', '=', id).executeTakeFirst();
    if (!delivery) throw notFound('Delivery', 'id');
    await trx.updateTable('webhook_deliveries').set({ status: 'pending', next_attempt_at: new Date().toISOString() }).where('id', '=', id).execute();
    // The worker hears this event and sends at once instead of at its next poll.
    recorder.record('webhook.changed', delivery.webhook_id, { change: 'resend', deliveryId: id });
  });
}

/**
 * The `Newsdesk-Signature` value: HMAC-SHA256 with the endpoint's secret over
 * `${timestamp}.${body}`. The timestamp is inside the signed text so a captured request cannot
 * be replayed later with a fresh time.
 */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/** Which webhook events a committed domain event is; most domain events are none. */
export function webhookEventsFor(event: DomainEvent): WebhookEvent[] {
  const status = event.payload.status;
  switch (event.type) {
    case 'brief.published':
    case 'brief.corrected':
    case 'brief.retracted':
      return [event.type];
    // The background ledger is part of the story a partner shows, so its changes are the story's.
    case 'story.changed':
    case 'background.changed':
      return ['story.changed'];
    // Imported comments carry no status: they were public already.
    case 'comment.added':
      return status === undefined || status === 'published' ? ['comment.published'] : [];
    case 'comment.moderated':
      return status === 'published' && event.payload.previousStatus !== 'published' ? ['comment.published'] : [];
    case 'comment.flagged':
      return ['comment.flagged'];
    default:
      return [];
  }
}
