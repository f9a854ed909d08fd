import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { assertCan } from '../accounts/policy.js';
import {
  QUEUES, decideComment, decideComments, findCommenter, listAuditLog, listCommenterComments, listQueue, moderateCommenter, queueCounts, revisionsOf,
  type BulkDecision, type CommenterMeasure, type Decision, type Queue, type QueueItem, DECISIONS,
} from '../comments/moderation.js';
import {
  getModerationSettings, ModerationSettingsPatchSchema, updateModerationSettings, type ModerationSettings, type ModerationSettingsPatch,
} from '../comments/policy-settings.js';
import { COMMENT_MODES, type CommentMode } from '../comments/subject-policy.js';
import type { Page } from '../common/cursor.js';
import { AppError, notFound, validationError, type FieldError } from '../common/errors.js';
import { assertMatches } from '../common/validation.js';
import { MODERATION_TOPIC } from '../live/hub.js';
import { streamTopic } from '../live/sse.js';
import { deskActor, deskContext, sendDeskPage, seeOther } from './context.js';
import type { FormBody } from './forms.js';
import { deskMessages as m } from './messages.js';
import { formErrorsFrom, formErrorsFromAppError, NO_ERRORS, type FormErrors } from './views/fields.js';
import { commenterPath, type ModerationEntry } from './views/ModerationItem.js';
import { AuditLogPage, CommenterPage, QueuePage, queuePath } from './views/ModerationPages.js';
import {
  NUMBER_FIELDS, SettingsPage, describeSettingsPath, settingsValuesFrom, type SettingsFormValues,
} from './views/ModerationSettings.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Comments waiting for a moderator, counted for the desk's menu; null for roles that do not moderate. */
    moderationWaiting: number | null;
  }
}

const mm = m.mod;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
/** A textarea's entries: one per line, trimmed, blank lines and repeats dropped. */
const entries = (text: string): string[] => [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];

// Failures the moderator can fix on the page they came from (bad input, a staff account);
// a 403 or 404 becomes an error page instead.
const isFixable = (err: unknown): err is AppError => err instanceof AppError && (err.status === 400 || err.status === 409);

/** The page an action returns to: a queue (at a cursor) or a commenter's page. */
type Target = { kind: 'queue'; queue: Queue; cursor: string | null } | { kind: 'commenter'; userId: string; cursor: string | null };

const BACK = /^\/desk\/moderation\/(?:(pending|flagged|reported|rejected|approved)|users\/([0-9a-z]+))(?:\?cursor=([A-Za-z0-9_-]+))?$/;

/**
 * Reads the `back` field every moderation form carries. Only the desk's own moderation paths
 * are accepted, so the field cannot turn a form into an open redirect.
 */
function targetOf(back: unknown, fallback: Target = { kind: 'queue', queue: 'pending', cursor: null }): Target {
  const match = BACK.exec(str(back));
  if (!match) return fallback;
  const cursor = match[3] ?? null;
  return match[1] ? { kind: 'queue', queue: match[1] as Queue, cursor } : { kind: 'commenter', userId: match[2]!, cursor };
}

function pathOf(target: Target): string {
  if (target.kind === 'queue') return queuePath(target.queue, target.cursor);
  return target.cursor ? `${commenterPath(target.userId)}?cursor=${encodeURIComponent(target.cursor)}` : commenterPath(target.userId);
}

type DoneKey = keyof typeof mm.done;

/** POST-redirect-GET back to where the moderator was, with what happened for the notice. */
function redirectDone(reply: FastifyReply, target: Target, done: DoneKey, count = 1): FastifyReply {
  const path = pathOf(target);
  return seeOther(reply, `${path}${path.includes('?') ? '&' : '?'}done=${done}${count > 1 ? `&n=${count}` : ''}`);
}

/** The notice for `?done=approve&n=3`, or null. */
function doneMessage(query: unknown): string | null {
  const q = query as Record<string, unknown>;
  const done = str(q.done);
  if (!Object.hasOwn(mm.done, done)) return null;
  const n = /^\d{1,4}$/.test(str(q.n)) ? Number(str(q.n)) : 1;
  return mm.done[done as DoneKey](n);
}

const cursorOf = (query: unknown): string | null => str((query as Record<string, unknown>).cursor) || null;

/** A failed action's errors as a summary on the page it came from ("Reason must be at most 500 characters"). */
function actionErrors(err: AppError): FormErrors {
  const labels: Record<string, string> = { reason: mm.reasonField, ids: mm.selection, decision: mm.action, action: mm.action, id: mm.account, hours: mm.action };
  const texts = err.fields.map((field) => {
    const label = labels[field.path.split('.')[0]!];
    return label ? `${label} ${field.reason}` : err.message;
  });
  // The inputs belong to many small forms on the page, so the summary names them instead of linking.
  const summary = [...new Set(texts.length ? texts : [err.message])].map((text) => ({ href: null, text }));
  return { summary, byId: new Map() };
}

const MEASURES = ['ban', 'unban', 'unsuspend', 'premoderate', 'unpremoderate'] as const;

/** A measure button's value (`suspend-24h`, `ban`, …) as service input. */
function measureFrom(action: string, reason: string): CommenterMeasure {
  const why = reason.trim() ? { reason } : {};
  if (action === 'suspend-24h') return { action: 'suspend', hours: 24, ...why };
  if (action === 'suspend-7d') return { action: 'suspend', hours: 7 * 24, ...why };
  const measure = MEASURES.find((a) => a === action);
  if (measure) return { action: measure, ...why };
  throw validationError([{ path: 'action', reason: `must be one of suspend-24h, suspend-7d, ${MEASURES.join(', ')}` }]);
}

function parseDecision(value: string): Decision {
  if ((DECISIONS as readonly string[]).includes(value)) return value as Decision;
  throw validationError([{ path: 'decision', reason: `must be one of ${DECISIONS.join(', ')}` }]);
}

/** Reads the posted settings form, tolerating missing and malformed fields. */
function settingsValuesFromBody(body: FormBody): SettingsFormValues {
  const profanity = body.profanity && typeof body.profanity === 'object' ? (body.profanity as FormBody) : {};
  return {
    moderation: str(body.moderation),
    closeAfterDays: str(body.closeAfterDays),
    editWindowMinutes: str(body.editWindowMinutes),
    reportsToHide: str(body.reportsToHide),
    newReaderMinutes: str(body.newReaderMinutes),
    maxLinks: str(body.maxLinks),
    allowedDomains: str(body.allowedDomains),
    commentsPerMinutePerAccount: str(body.commentsPerMinutePerAccount),
    commentsPerMinutePerAddress: str(body.commentsPerMinutePerAddress),
    bannedTerms: str(body.bannedTerms),
    profanity: { en: str(profanity.en), uk: str(profanity.uk), ru: str(profanity.ru) },
  };
}

/**
 * The settings that differ from the ones in force, as a patch, with every field error at once
 * (numbers that are not numbers, then the schema's limits), so nothing is half-saved. Saving
 * only changes keeps the audit log to what someone actually changed.
 */
function settingsPatchFrom(values: SettingsFormValues, current: ModerationSettings): { patch: ModerationSettingsPatch; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const draft: Record<string, unknown> = {
    moderation: values.moderation,
    allowedDomains: entries(values.allowedDomains).map((d) => d.toLowerCase()),
    bannedTerms: entries(values.bannedTerms),
    profanity: { en: entries(values.profanity.en), uk: entries(values.profanity.uk), ru: entries(values.profanity.ru) },
  };
  for (const name of NUMBER_FIELDS) {
    const text = values[name].trim();
    if (/^\d{1,9}$/.test(text)) draft[name] = Number(text);
    else errors.push({ path: name, reason: mm.settingsPage.wholeNumber });
  }
  try {
    assertMatches(ModerationSettingsPatchSchema, draft);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    errors.push(...err.fields);
  }
  const changed = Object.entries(draft).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key as keyof ModerationSettings]));
  return { patch: Object.fromEntries(changed) as ModerationSettingsPatch, errors };
}

/** A story's or brief's "Comments" select as service input: null follows the level above. */
export function commentModeFrom(body: FormBody): CommentMode | null {
  const mode = str(body.commentMode);
  if (mode === 'inherit') return null;
  if ((COMMENT_MODES as readonly string[]).includes(mode)) return mode as CommentMode;
  throw validationError([{ path: 'commentMode', reason: 'must be one of inherit, post, pre, closed' }], mm.commentPolicy.invalid);
}

/**
 * The moderation desk: queues, decisions (one or many), measures against commenters, the audit
 * log, settings for admins and a live stream of queue changes. Plain forms with
 * POST-redirect-GET; the islands only add keyboard shortcuts and live counts.
 */
export const moderationRoutes: FastifyPluginAsync = async (app) => {
  const deps = { db: app.deps.db, bus: app.deps.bus };
  const { db } = app.deps;

  // Every page here shows readers' held comments and accounts: refused up front to anyone who
  // may not moderate, before any form is parsed or a page re-rendered. Services check again.
  app.addHook('preHandler', async (request) => {
    assertCan(deskActor(request), 'comment.moderate');
  });

  /** A page of comments with the earlier texts of the edited ones, in one query for the page. */
  async function withEarlierVersions(page: Page<QueueItem>): Promise<Page<ModerationEntry>> {
    const revisions = await revisionsOf(db, page.items.filter((item) => item.editedAt !== null).map((item) => item.id));
    return { ...page, items: page.items.map((item) => ({ ...item, earlierVersions: revisions.get(item.id) ?? [] })) };
  }

  async function renderTarget(request: FastifyRequest, reply: FastifyReply, target: Target, opts: { done?: string | null; errors?: FormErrors; status?: number } = {}) {
    const ctx = deskContext(request, reply);
    if (target.kind === 'queue') {
      const [counts, page] = await Promise.all([queueCounts(db), listQueue(db, target.queue, { cursor: target.cursor ?? undefined }).then(withEarlierVersions)]);
      const node = <QueuePage ctx={ctx} queue={target.queue} counts={counts} page={page} cursor={target.cursor} done={opts.done ?? null} errors={opts.errors} />;
      return sendDeskPage(reply, node, opts.status);
    }
    const commenter = await findCommenter(db, target.userId);
    if (!commenter) throw notFound('User', 'id');
    const page = await withEarlierVersions(await listCommenterComments(db, commenter.id, { cursor: target.cursor ?? undefined }));
    const node = <CommenterPage ctx={ctx} commenter={commenter} page={page} cursor={target.cursor} done={opts.done ?? null} errors={opts.errors} />;
    return sendDeskPage(reply, node, opts.status);
  }

  app.get('/', async (_request, reply) => seeOther(reply, queuePath('pending')));

  app.get('/counts', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return queueCounts(db);
  });

  // Server-Sent Events for the queue pages' island: it hears that a comment entered or left a
  // queue and fetches /counts; the stream itself carries no comment text.
  app.get('/live', async (request, reply) => {
    streamTopic(request, reply, app.live, MODERATION_TOPIC);
    return reply;
  });

  app.get('/log', async (request, reply) => {
    const cursor = cursorOf(request.query);
    const page = await listAuditLog(db, { cursor: cursor ?? undefined });
    return sendDeskPage(reply, <AuditLogPage ctx={deskContext(request, reply)} page={page} cursor={cursor} />);
  });

  app.get('/settings', async (request, reply) => {
    assertCan(deskActor(request), 'comment.configure');
    const values = settingsValuesFrom(await getModerationSettings(db));
    return sendDeskPage(reply, <SettingsPage ctx={deskContext(request, reply)} values={values} errors={NO_ERRORS} done={doneMessage(request.query)} />);
  });

  app.post('/settings', { preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = deskActor(request);
    assertCan(actor, 'comment.configure');
    const values = settingsValuesFromBody(request.body as FormBody);
    const { patch, errors } = settingsPatchFrom(values, await getModerationSettings(db));
    if (errors.length) {
      const formErrors = formErrorsFrom({ fields: errors, message: 'The input is not valid.', describe: describeSettingsPath });
      return sendDeskPage(reply, <SettingsPage ctx={deskContext(request, reply)} values={values} errors={formErrors} done={null} />, 400);
    }
    if (Object.keys(patch).length === 0) return seeOther(reply, '/desk/moderation/settings?done=unchanged');
    try {
      await updateModerationSettings(deps, actor, patch);
    } catch (err) {
      if (!isFixable(err)) throw err;
      const formErrors = formErrorsFromAppError(err, describeSettingsPath);
      return sendDeskPage(reply, <SettingsPage ctx={deskContext(request, reply)} values={values} errors={formErrors} done={null} />, err.status);
    }
    return seeOther(reply, '/desk/moderation/settings?done=settings');
  });

  app.post('/bulk', { preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as FormBody;
    const target = targetOf(body.back);
    const decision = str(body.decision);
    const reason = decision === 'reject' ? str(body.reason).trim() : '';
    try {
      const ids = strings(body.ids);
      if (ids.length === 0) throw validationError([{ path: 'ids', reason: mm.nothingSelected }]);
      const done = await decideComments(deps, deskActor(request), { ids, decision, ...(reason ? { reason } : {}) } as BulkDecision);
      return redirectDone(reply, target, decision as Decision, done.length);
    } catch (err) {
      if (!isFixable(err)) throw err;
      return renderTarget(request, reply, target, { errors: actionErrors(err), status: err.status });
    }
  });

  app.post<{ Params: { id: string; decision: string } }>('/comments/:id/:decision', { preHandler: app.csrfProtection }, async (request, reply) => {
    const decision = parseDecision(request.params.decision);
    const body = request.body as FormBody;
    const target = targetOf(body.back);
    const reason = str(body.reason).trim();
    try {
      await decideComment(deps, deskActor(request), request.params.id, decision, reason ? { reason } : {});
      return redirectDone(reply, target, decision);
    } catch (err) {
      if (!isFixable(err)) throw err;
      return renderTarget(request, reply, target, { errors: actionErrors(err), status: err.status });
    }
  });

  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) =>
    renderTarget(request, reply, { kind: 'commenter', userId: request.params.id, cursor: cursorOf(request.query) }, { done: doneMessage(request.query) }));

  app.post<{ Params: { id: string } }>('/users/:id', { preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as FormBody;
    const target = targetOf(body.back, { kind: 'commenter', userId: request.params.id, cursor: null });
    try {
      const measure = measureFrom(str(body.action), str(body.reason));
      await moderateCommenter(deps, deskActor(request), request.params.id, measure);
      return redirectDone(reply, target, measure.action);
    } catch (err) {
      if (!isFixable(err)) throw err;
      return renderTarget(request, reply, target, { errors: actionErrors(err), status: err.status });
    }
  });

  // Last, so the fixed paths above win; anything that is not a queue is the desk's 404.
  app.get<{ Params: { queue: string } }>('/:queue', async (request, reply) => {
    const { queue } = request.params;
    if (!(QUEUES as readonly string[]).includes(queue)) return reply.callNotFound();
    return renderTarget(request, reply, { kind: 'queue', queue: queue as Queue, cursor: cursorOf(request.query) }, { done: doneMessage(request.query) });
  });
};
