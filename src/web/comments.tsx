import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { render } from 'preact-render-to-string';
import Type from 'typebox';
import { userForSession, type User } from '../accounts/service.js';
import { commentIpHash } from '../comments/ip.js';
import { findComment } from '../comments/repository.js';
import { countComments, deleteComment, editComment, postComment, reportComment, type CommentAuthor, type ReportInput } from '../comments/service.js';
import { decodeCursor } from '../common/cursor.js';
import { AppError, notFound, type FieldError } from '../common/errors.js';
import { findBriefBySlug } from '../content/brief-repository.js';
import type { Brief } from '../content/types.js';
import { SESSION_COOKIE } from '../desk/auth.js';
import { briefCommentsTopic, type LiveMessage } from '../live/hub.js';
import { streamTopic } from '../live/sse.js';
import { commentSortOf, COMMENT_PAGE_SIZE, loadCommentFragment, type CommentPageState } from './brief-view.js';
import { findReadableBrief, loadBriefPage } from './loaders.js';
import { messagesFor, type CommentMessages } from './messages.js';
import { briefPath } from './paths.js';
import { sendPage } from './render.js';
import { BriefPage } from './views/BriefPage.js';
import { CommentArticle } from './views/CommentArticle.js';
import { CommentNoticePage } from './views/CommentPages.js';
import { commentPageHref, type CommentContext, type CommentFlash, type CommentViewer, type FailedCommentForm } from './views/Comments.js';
import type { SiteInfo } from './views/SitePage.js';

// The comment section's forms and its live updates, under /news/:slug/comments. Forms post with
// a CSRF token and answer 303 back to the brief (POST-redirect-GET) with a one-time message in
// a signed cookie; a refused one (rate limit, closed, invalid) re-renders the brief with the
// form open, what was typed and why, with the refusal's status. Each route calls one service.

const FLASH_COOKIE = 'nd_flash';
const FLASH_PATH = '/news/';
const FLASH_SECONDS = 60;

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 300 }) });
const CommentParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 300 }),
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$' }),
});
/** The page a fragment's forms return to, as the live script found it on the page. */
const PageQuery = Type.Object({ sort: Type.Optional(Type.String({ maxLength: 20 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) });

type FormBody = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const bodyOf = (request: FastifyRequest): FormBody => (request.body ?? {}) as FormBody;
const anchorOf = (id: string) => `comment-${id}`;
const authorOf = (user: User): CommentAuthor => ({ id: user.id, displayName: user.displayName, role: user.role });

async function signedInUser(request: FastifyRequest): Promise<User | null> {
  const sessionId = request.cookies[SESSION_COOKIE];
  return sessionId ? userForSession(request.server.deps.db, sessionId) : null;
}

/** The page a form was sent from; a cursor that is not one of ours is dropped rather than refused. */
function pageStateOf(query: { sort?: unknown; cursor?: unknown }): CommentPageState {
  const cursor = str(query.cursor);
  let isCursor = false;
  try {
    isCursor = cursor !== '' && decodeCursor(cursor) !== null;
  } catch {
    isCursor = false;
  }
  return { sort: commentSortOf(query.sort), cursor: isCursor ? cursor : null };
}

function setFlash(reply: FastifyReply, flash: CommentFlash): void {
  reply.setCookie(FLASH_COOKIE, JSON.stringify(flash), {
    signed: true, httpOnly: true, sameSite: 'lax', path: FLASH_PATH, maxAge: FLASH_SECONDS, secure: reply.server.deps.config.secureCookies,
  });
}

/** The message a form left for this reader, read once: the cookie is cleared as it is read. */
function takeFlash(request: FastifyRequest, reply: FastifyReply): CommentFlash | null {
  const raw = request.cookies[FLASH_COOKIE];
  if (!raw) return null;
  reply.clearCookie(FLASH_COOKIE, { path: FLASH_PATH, httpOnly: true, sameSite: 'lax', secure: reply.server.deps.config.secureCookies });
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const value = JSON.parse(unsigned.value) as Partial<CommentFlash>;
    if (typeof value.text !== 'string' || !['success', 'info', 'error'].includes(value.tone ?? '')) return null;
    return { text: value.text, tone: value.tone!, commentId: typeof value.commentId === 'string' ? value.commentId : null };
  } catch {
    return null;
  }
}

/**
 * Who reads the brief page: their name, a CSRF token for their forms, a message left for them
 * (read once, so a fragment, which has nowhere to show it, leaves it alone).
 */
export async function commentViewerFor(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { failed?: FailedCommentForm; isFlashTaken?: boolean } = {},
): Promise<CommentViewer> {
  const user = await signedInUser(request);
  return {
    user: user ? { id: user.id, displayName: user.displayName } : null,
    csrfToken: user ? reply.generateCsrf() : null,
    now: Date.now(),
    flash: opts.isFlashTaken === false ? null : takeFlash(request, reply),
    failed: opts.failed ?? null,
  };
}

/** A page that carries the reader's own forms or a message for them; no cache may keep or share it. */
export function isPersonalView(viewer: CommentViewer): boolean {
  return viewer.user !== null || viewer.flash !== null || viewer.failed !== null;
}

/**
 * What a brief's comment stream tells readers: that a comment became visible (added) or stopped
 * being visible (removed), and nothing about held or rejected ones — only ids, never text.
 */
export function readerCommentEvent(message: LiveMessage): LiveMessage | null {
  const data = message.data;
  if (typeof data.commentId !== 'string') return null;
  const commentId = data.commentId;
  const added = (parentId: unknown): LiveMessage => ({ event: 'comment', data: { type: 'added', commentId, parentId: typeof parentId === 'string' ? parentId : null } });
  const removed: LiveMessage = { event: 'comment', data: { type: 'removed', commentId } };
  const wasPublished = data.previousStatus === 'published';
  switch (data.type) {
    case 'comment.added':
      return data.status === 'published' ? added(data.parentId) : null;
    case 'comment.moderated':
      if (data.status === 'published' && !wasPublished) return added(null);
      return wasPublished && data.status !== 'published' ? removed : null;
    case 'comment.edited':
      return wasPublished && data.status !== 'published' ? removed : null;
    case 'comment.reported':
      return data.status === 'pending' ? removed : null;
    case 'comment.deleted':
      return removed;
    default:
      return null;
  }
}

/** A refusal in the reader's words: the service's own message, or one per field of the form. */
function refusalText(err: AppError, m: CommentMessages): string {
  if (err.status === 404) return m.gone;
  if (err.fields.length === 0) return err.message;
  const tooLong = (field: FieldError) => field.reason.startsWith('must be at most');
  const texts = err.fields.map((field) => {
    if (field.path === 'body') return tooLong(field) ? m.tooLong : m.blank;
    if (field.path === 'reason') return m.reasonMissing;
    if (field.path === 'text') return tooLong(field) ? m.tooLong : m.reportTextMissing;
    if (field.path === 'parentId') return m.gone;
    return `${err.message} (${field.path} ${field.reason})`;
  });
  return [...new Set(texts)].join(' ');
}

/** What a form did: the message for the reader and where on the brief they land. */
interface FormOutcome {
  flash: CommentFlash;
  location: string;
}

interface CommentForm {
  /** The brief's slug, from the path. */
  slug: string;
  form: FailedCommentForm['form'];
  /** The comment the form is about; null for a new comment. */
  commentId: string | null;
  /** What the reader typed, given back if the form is refused. */
  kept: { body: string; reportReason?: string };
  act: (user: User, brief: Brief, page: CommentPageState) => Promise<FormOutcome>;
}

/** The comment routes, registered inside the reader site. */
export const commentRoutes: FastifyPluginAsyncTypebox<{ site: SiteInfo }> = async (app, { site }) => {
  const { db, bus, config, cookieSecret } = app.deps;
  const deps = { db, bus };

  // An expired or missing CSRF token: say so in the brief's language and lead back to it. Other
  // errors go on to the reader site's handler (404 and 410 pages).
  app.setErrorHandler(async (err, request, reply) => {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('FST_CSRF_')) throw err;
    const slug = (request.params as { slug?: unknown } | undefined)?.slug;
    const brief = typeof slug === 'string' ? await findBriefBySlug(db, slug) : null;
    const language = brief?.language ?? 'en';
    const { formExpired } = messagesFor(language).comment;
    const page = (
      <CommentNoticePage
        site={site} language={language} path={request.url} title={formExpired.title} text={formExpired.text}
        backHref={brief ? `${briefPath(brief)}#comments` : null}
      />
    );
    return sendPage(reply.header('cache-control', 'no-store'), page, 403);
  });

  /** Runs a form: sign-in check, the service call, then 303 with a message, or the page again with the refusal. */
  async function handle(request: FastifyRequest, reply: FastifyReply, form: CommentForm) {
    const brief = await findReadableBrief(db, form.slug);
    const page = pageStateOf(bodyOf(request));
    const m = messagesFor(brief.language).comment;
    const refuse = async (status: number, message: string, retryAfter?: number) => {
      // The brief page's own loader, so the page again has everything it had (its translations too).
      const view = await loadBriefPage(db, brief.slug, config, page);
      const viewer = await commentViewerFor(request, reply, { failed: { form: form.form, commentId: form.commentId, ...form.kept, message } });
      if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
      return sendPage(reply.header('cache-control', 'no-store'), <BriefPage site={site} view={view} viewer={viewer} />, status);
    };
    const user = await signedInUser(request);
    if (!user) return refuse(401, m.notLoggedIn);
    try {
      const outcome = await form.act(user, brief, page);
      setFlash(reply, outcome.flash);
      return reply.redirect(outcome.location, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return refuse(err.status, refusalText(err, m), err.retryAfter);
    }
  }

  /** The comment a form names, if it is on this brief; another brief's comment is "not here". */
  async function commentOn(brief: Brief, id: string) {
    const comment = await findComment(db, id);
    if (!comment || comment.briefId !== brief.id) throw notFound('Comment', 'id');
    return comment;
  }

  /**
   * Where a new top-level comment is seen: first when newest first; oldest first it is last, so
   * the first page oldest first only while everything fits on it (a count of all comments,
   * replies included, errs towards newest first).
   */
  async function pageShowingNew(brief: Brief, page: CommentPageState): Promise<CommentPageState> {
    if (page.sort === 'newest') return { sort: 'newest', cursor: null };
    const total = (await countComments(db, [brief.id])).get(brief.id) ?? 0;
    return { sort: total <= COMMENT_PAGE_SIZE ? 'oldest' : 'newest', cursor: null };
  }

  app.post('/news/:slug/comments', { schema: { params: SlugParams }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = bodyOf(request);
    const text = str(body.body);
    const parentId = str(body.parentId);
    return handle(request, reply, {
      slug: request.params.slug,
      form: parentId ? 'reply' : 'new',
      commentId: parentId || null,
      kept: { body: text },
      act: async (user, brief, page) => {
        const m = messagesFor(brief.language).comment;
        const posted = await postComment(deps, {
          actor: authorOf(user), briefId: brief.id, body: text, ...(parentId ? { parentId } : {}), ipHash: commentIpHash(cookieSecret, request.ip),
        });
        const base = briefPath(brief);
        if (posted.status === 'published') {
          const shownOn = parentId ? page : await pageShowingNew(brief, page);
          return { flash: { text: m.published, tone: 'success', commentId: posted.id }, location: commentPageHref(base, shownOn, anchorOf(posted.id)) };
        }
        // Held or rejected: nothing to show but the message, by the comment replied to if any.
        const at = parentId || null;
        return {
          flash: { text: posted.message ?? '', tone: posted.status === 'rejected' ? 'error' : 'info', commentId: at },
          location: commentPageHref(base, page, at ? anchorOf(at) : 'comments'),
        };
      },
    });
  });

  app.post('/news/:slug/comments/:id/edit', { schema: { params: CommentParams }, preHandler: app.csrfProtection }, async (request, reply) => {
    const text = str(bodyOf(request).body);
    const { slug, id } = request.params;
    return handle(request, reply, {
      slug, form: 'edit', commentId: id, kept: { body: text },
      act: async (user, brief, page) => {
        await commentOn(brief, id);
        const edited = await editComment(deps, { actor: authorOf(user), commentId: id, body: text });
        const base = briefPath(brief);
        if (edited.status === 'published') {
          return { flash: { text: messagesFor(brief.language).comment.saved, tone: 'success', commentId: id }, location: commentPageHref(base, page, anchorOf(id)) };
        }
        return {
          flash: { text: edited.message ?? '', tone: edited.status === 'rejected' ? 'error' : 'info', commentId: null },
          location: commentPageHref(base, page, 'comments'),
        };
      },
    });
  });

  app.post('/news/:slug/comments/:id/delete', { schema: { params: CommentParams }, preHandler: app.csrfProtection }, async (request, reply) => {
    const { slug, id } = request.params;
    return handle(request, reply, {
      slug, form: 'delete', commentId: id, kept: { body: '' },
      act: async (user, brief, page) => {
        await commentOn(brief, id);
        await deleteComment(deps, { actor: { userId: user.id, role: user.role, label: user.email }, commentId: id });
        return {
          flash: { text: messagesFor(brief.language).comment.deleted, tone: 'success', commentId: null },
          location: commentPageHref(briefPath(brief), page, 'comments'),
        };
      },
    });
  });

  app.post('/news/:slug/comments/:id/report', { schema: { params: CommentParams }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = bodyOf(request);
    const reason = str(body.reason);
    const text = str(body.text);
    const { slug, id } = request.params;
    return handle(request, reply, {
      slug, form: 'report', commentId: id, kept: { body: text, reportReason: reason },
      act: async (user, brief, page) => {
        await commentOn(brief, id);
        // The service checks the reason against REPORT_REASONS; a forged one is refused there.
        const report = { reason: reason as ReportInput['reason'], ...(text.trim() ? { text } : {}) };
        const answer = await reportComment(deps, { reporter: authorOf(user), commentId: id, report });
        const at = answer.isHidden ? null : id;
        return {
          flash: { text: answer.message, tone: 'success', commentId: at },
          location: commentPageHref(briefPath(brief), page, at ? anchorOf(at) : 'comments'),
        };
      },
    });
  });

  // Server-Sent Events for the brief page's live script: ids of comments that appeared or went.
  app.get('/news/:slug/comments/live', { schema: { params: SlugParams } }, async (request, reply) => {
    const brief = await findReadableBrief(db, request.params.slug);
    streamTopic(request, reply, app.live, briefCommentsTopic(brief.id), readerCommentEvent);
    return reply;
  });

  // One published comment as the page renders it, for the live script to insert; 404 for any
  // comment readers may not see, so the stream's ids reveal nothing through this door either.
  app.get('/news/:slug/comments/:id/fragment', { schema: { params: CommentParams, querystring: PageQuery } }, async (request, reply) => {
    const brief = await findReadableBrief(db, request.params.slug);
    const fragment = await loadCommentFragment(db, brief, request.params.id);
    if (!fragment) throw notFound('Comment');
    const viewer = await commentViewerFor(request, reply, { isFlashTaken: false });
    const ctx: CommentContext = {
      language: brief.language, m: messagesFor(brief.language).comment, base: briefPath(brief), page: pageStateOf(request.query),
      timeZone: config.timeZone, viewer, isOpen: fragment.commenting.isOpen, editWindowMinutes: fragment.editWindowMinutes,
    };
    const html = render(<CommentArticle ctx={ctx} comment={fragment.comment} depth={fragment.depth} />);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });
};
