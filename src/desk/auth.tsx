import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { logIn, logOut, SESSION_DAYS, userForSession, type User } from '../accounts/service.js';
import { isStaffRole } from '../accounts/policy.js';
import { AppError, forbidden, unauthorized } from '../common/errors.js';
import { deskContext, sendDeskPage, seeOther } from './context.js';
import { fieldId, type FormBody } from './forms.js';
import { deskMessages as m } from './messages.js';
import { formErrorsFromAppError, NO_ERRORS } from './views/fields.js';
import { LoginPage } from './views/LoginPage.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The staff member whose session cookie came with a desk request; null until read. */
    deskUser: User | null;
  }
}

export const SESSION_COOKIE = 'nd_session';

/** Sets the session cookie the desk and the reader site share (the API sets it too on login). */
export function setSessionCookie(reply: FastifyReply, sessionId: string): FastifyReply {
  return reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true, sameSite: 'lax', path: '/', secure: reply.server.deps.config.secureCookies, maxAge: SESSION_DAYS * 86400,
  });
}

export function clearSessionCookie(reply: FastifyReply): FastifyReply {
  return reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: reply.server.deps.config.secureCookies });
}
// Enough for a person who mistypes; far too few for guessing passwords.
const LOGIN_ATTEMPTS_PER_MINUTE = 10;

/**
 * The `next` target after logging in, only when it is a desk path: anything else (another
 * site, `//evil.example`, `/\evil`) would turn the login form into an open redirect.
 */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string') return null;
  if (!/^\/desk(?:[/?#]|$)/.test(next) || next.startsWith('/desk/login')) return null;
  return /[\\\s]/.test(next) ? null : next;
}

/**
 * preHandler for every desk page but the login form: loads the user from the session cookie.
 * Anonymous GETs are sent to the login form and come back afterwards; anonymous POSTs get a 401
 * page, since replaying their body after a login is not possible without JavaScript.
 */
export async function requireDeskUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const sessionId = request.cookies[SESSION_COOKIE];
  const user = sessionId ? await userForSession(request.server.deps.db, sessionId) : null;
  // The site and the desk share the session cookie, so a reader signed in on the site arrives
  // here with a valid session: refuse it outright rather than send them round the login form.
  if (user && !isStaffRole(user.role)) throw forbidden(m.errors.notStaff);
  request.deskUser = user;
  if (request.deskUser) return;
  if (request.method === 'GET' || request.method === 'HEAD') {
    await reply.redirect(`/desk/login?next=${encodeURIComponent(request.url)}`, 302);
    return;
  }
  throw unauthorized(m.errors.notLoggedIn);
}

const describeLoginPath = (path: string) =>
  path === 'email' ? { id: fieldId('email'), label: m.email } : path === 'password' ? { id: fieldId('password'), label: m.password } : null;

/** The login form, logging in (rate-limited) and logging out. */
export const authRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps;

  app.get('/login', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const sessionId = request.cookies[SESSION_COOKIE];
    const current = sessionId ? await userForSession(db, sessionId) : null;
    if (current && isStaffRole(current.role)) return seeOther(reply, safeNext(query.next) ?? '/desk');
    const page = <LoginPage ctx={deskContext(request, reply)} email="" next={safeNext(query.next) ?? ''} errors={NO_ERRORS} />;
    return sendDeskPage(reply, page);
  });

  app.post('/login', {
    config: { rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: '1 minute' } },
    preHandler: app.csrfProtection,
  }, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    try {
      const { sessionId } = await logIn({ db, email, password, isStaffOnly: true });
      // Logging in over an existing session (another account, say) ends that one rather than
      // leaving it valid in the database with no cookie pointing at it.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await logOut(db, previous);
      setSessionCookie(reply, sessionId);
      return seeOther(reply, next ?? '/desk');
    } catch (err) {
      // 401: wrong email or password; 403: a reader's account, which the desk does not admit.
      if (!(err instanceof AppError) || (err.status !== 401 && err.status !== 403)) throw err;
      const errors = formErrorsFromAppError(err, describeLoginPath);
      return sendDeskPage(reply, <LoginPage ctx={deskContext(request, reply)} email={email} next={next ?? ''} errors={errors} />, err.status);
    }
  });

  app.post('/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) await logOut(db, sessionId);
    clearSessionCookie(reply);
    return seeOther(reply, '/desk/login');
  });
};
