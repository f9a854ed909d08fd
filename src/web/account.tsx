import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { isStaffRole } from '../accounts/policy.js';
import { deleteReaderAccount, signUpReader } from '../accounts/readers.js';
import { logIn, logOut, userForSession, type User } from '../accounts/service.js';
import { findBriefBySlug } from '../content/brief-repository.js';
import { LANGUAGES, PUBLIC_STATUSES, type Language } from '../content/types.js';
import { AppError, unauthorized, validationError } from '../common/errors.js';
import { describeError } from '../common/http-errors.js';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../desk/auth.js';
import { NO_ERRORS, type FormErrors } from '../desk/views/fields.js';
import { accountMessagesFor, languageFromAcceptLanguage, type AccountMessages } from './messages.js';
import { sendPage } from './render.js';
import type { SiteInfo } from './views/SitePage.js';
import {
  accountFormErrors, AccountDeletedPage, AccountErrorPage, AccountPage, LogInPage, SignUpPage, type AccountContext,
} from './views/AccountPages.js';

// Sign-up, log-in and account pages for readers (staff may use them too: one login for both).
// Forms post with a CSRF token, answer 303 after success and re-render with field errors.

const ATTEMPTS_PER_MINUTE = 10;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

// A brief (`/news/…`), the old unprefixed story and entity addresses, and the pages each language
// has: its home `/uk/`, stories, entities and search. The rest is printable ASCII without a
// backslash, so neither `/\evil` nor a header-breaking character can reach the Location header.
const READER_NEXT = /^\/(?:news\/|stories\/|entities\/|(?:uk|en|ru)\/(?:stories\/|entities\/|search(?=$|[/?#])|(?=$|[?#])))[\x21-\x5b\x5d-\x7e]*$/;

/**
 * Where to go after logging in or signing up, when a reader page sent them (the comment
 * section's "Log in to comment"): only the site's own reader pages, so the forms can never be
 * turned into an open redirect (`//evil.example`, `/\evil`, `https://…` all fall back to /account).
 */
export function safeReaderNext(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 500) return null;
  return READER_NEXT.test(next) ? next : null;
}

const languageNamed = (value: unknown): Language | null => LANGUAGES.find((language) => language === value) ?? null;

/**
 * The language of the page a reader came from: a prefixed page names it (`/uk/stories/…`), a
 * brief has its own. Unpublished briefs count as unknown so the page's language cannot tell
 * anyone that a draft with that address exists.
 */
async function languageOfNext(request: FastifyRequest, next: string | null): Promise<Language | null> {
  if (!next) return null;
  const prefixed = languageNamed(/^\/([a-z]{2})\//.exec(next)?.[1]);
  if (prefixed) return prefixed;
  const slug = /^\/news\/([^/?#]+)/.exec(next)?.[1];
  if (!slug) return null;
  let decoded: string;
  try { decoded = decodeURIComponent(slug); } catch { return null; }
  const brief = await findBriefBySlug(request.server.deps.db, decoded);
  return brief && PUBLIC_STATUSES.includes(brief.status) ? brief.language : null;
}

/**
 * The account pages have no language in their address, so they speak, in order: the one the
 * reader asked for (`?lang=`, kept by the forms), the language of the page they will go back to,
 * or their Accept-Language. The answer varies by that header, and says so.
 */
async function accountLanguage(request: FastifyRequest, reply: FastifyReply, next: string | null): Promise<Language> {
  reply.header('vary', 'accept-language');
  const asked = languageNamed((request.query as Record<string, unknown> | undefined)?.lang) ?? languageNamed(bodyOf(request).lang);
  return asked ?? (await languageOfNext(request, next)) ?? languageFromAcceptLanguage(request.headers['accept-language']);
}

/** Pages with CSRF tokens or a person's own data: no cache may keep them. */
function sendPrivatePage(reply: FastifyReply, node: VNode, status = 200): FastifyReply {
  return sendPage(reply.header('cache-control', 'no-store'), node, status);
}

async function signedInUser(request: FastifyRequest): Promise<User | null> {
  const sessionId = request.cookies[SESSION_COOKIE];
  return sessionId ? userForSession(request.server.deps.db, sessionId) : null;
}

/** Signs the browser in, ending the session it had (another account, say) on the server too. */
async function startSession(request: FastifyRequest, reply: FastifyReply, sessionId: string): Promise<void> {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await logOut(request.server.deps.db, previous);
  setSessionCookie(reply, sessionId);
}

/** Field errors from a service's 400/401/409, or null for anything the error handler should take. */
function formErrorsOf(err: unknown, language: Language): { status: number; errors: FormErrors } | null {
  if (!(err instanceof AppError) || ![400, 401, 409].includes(err.status)) return null;
  return { status: err.status, errors: accountFormErrors(err, language) };
}

function errorTextFor(err: unknown, status: number, m: AccountMessages): { title: string; text: string } {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('FST_CSRF_')) return m.errors.csrf;
  if (status === 429) return m.errors.tooMany;
  if (status === 401) return m.errors.notLoggedIn;
  if (status >= 500) return m.errors.internal;
  return err instanceof AppError ? { title: m.errors.other.title, text: err.message } : m.errors.other;
}

/** The account pages, registered at /account. */
export const accountRoutes: FastifyPluginAsync<{ site: SiteInfo }> = async (app, { site }) => {
  const { db } = app.deps;
  const ctx = (request: FastifyRequest, reply: FastifyReply, language: Language): AccountContext =>
    ({ site, path: request.url, csrfToken: reply.generateCsrf(), language });
  const rateLimit = { max: ATTEMPTS_PER_MINUTE, timeWindow: '1 minute' };

  const nextOf = (source: unknown) => safeReaderNext((source as Record<string, unknown> | undefined)?.next);

  app.setErrorHandler(async (err, request, reply) => {
    const { status, isUnexpected } = describeError(err);
    if (isUnexpected) request.log.error({ err }, 'unexpected error');
    // The page about a failure must not fail itself: without the database, the browser's language.
    const language = await accountLanguage(request, reply, nextOf(request.query) ?? nextOf(request.body))
      .catch(() => languageFromAcceptLanguage(request.headers['accept-language']));
    const { title, text } = errorTextFor(err, status, accountMessagesFor(language));
    return sendPrivatePage(reply, <AccountErrorPage ctx={{ site, path: request.url, language }} title={title} text={text} />, status);
  });

  app.get('/signup', async (request, reply) => {
    const next = nextOf(request.query);
    if (await signedInUser(request)) return reply.redirect(next ?? '/account', 303);
    const language = await accountLanguage(request, reply, next);
    return sendPrivatePage(reply, <SignUpPage ctx={ctx(request, reply, language)} values={{ displayName: '', email: '' }} next={next} errors={NO_ERRORS} />);
  });

  app.post('/signup', { config: { rateLimit }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = bodyOf(request);
    const values = { displayName: str(body.displayName), email: str(body.email) };
    const next = nextOf(body);
    try {
      const { sessionId } = await signUpReader({ db, input: { ...values, password: str(body.password) } });
      await startSession(request, reply, sessionId);
      return reply.redirect(next ?? '/account', 303);
    } catch (err) {
      const language = await accountLanguage(request, reply, next);
      const failed = formErrorsOf(err, language);
      if (!failed) throw err;
      return sendPrivatePage(reply, <SignUpPage ctx={ctx(request, reply, language)} values={values} next={next} errors={failed.errors} />, failed.status);
    }
  });

  app.get('/login', async (request, reply) => {
    const next = nextOf(request.query);
    if (await signedInUser(request)) return reply.redirect(next ?? '/account', 303);
    const language = await accountLanguage(request, reply, next);
    return sendPrivatePage(reply, <LogInPage ctx={ctx(request, reply, language)} email="" next={next} errors={NO_ERRORS} />);
  });

  app.post('/login', { config: { rateLimit }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = bodyOf(request);
    const email = str(body.email);
    const next = nextOf(body);
    try {
      const { sessionId } = await logIn({ db, email, password: str(body.password) });
      await startSession(request, reply, sessionId);
      return reply.redirect(next ?? '/account', 303);
    } catch (err) {
      const language = await accountLanguage(request, reply, next);
      const failed = formErrorsOf(err, language);
      if (!failed) throw err;
      return sendPrivatePage(reply, <LogInPage ctx={ctx(request, reply, language)} email={email} next={next} errors={failed.errors} />, failed.status);
    }
  });

  app.post('/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) await logOut(db, sessionId);
    clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  app.get('/', async (request, reply) => {
    const user = await signedInUser(request);
    if (!user) return reply.redirect('/account/login', 302);
    const language = await accountLanguage(request, reply, null);
    return sendPrivatePage(reply, <AccountPage ctx={ctx(request, reply, language)} user={user} isStaff={isStaffRole(user.role)} errors={NO_ERRORS} />);
  });

  app.post('/delete', { preHandler: app.csrfProtection }, async (request, reply) => {
    const user = await signedInUser(request);
    if (!user) throw unauthorized();
    if (str(bodyOf(request).confirm) !== 'yes') {
      const language = await accountLanguage(request, reply, null);
      const reason = accountMessagesFor(language).confirmRequired;
      const errors = accountFormErrors(validationError([{ path: 'confirm', reason }]), language);
      return sendPrivatePage(reply, <AccountPage ctx={ctx(request, reply, language)} user={user} isStaff={isStaffRole(user.role)} errors={errors} />, 400);
    }
    await deleteReaderAccount({ db, userId: user.id });
    clearSessionCookie(reply);
    return reply.redirect('/account/deleted', 303);
  });

  app.get('/deleted', async (request, reply) => {
    const language = await accountLanguage(request, reply, null);
    return sendPrivatePage(reply, <AccountDeletedPage ctx={{ site, path: request.url, language }} />);
  });
};
