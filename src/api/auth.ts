import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorForToken, userForSession, type User } from '../accounts/service.js';
import type { Actor } from '../accounts/policy.js';
import { AppError, unauthorized } from '../common/errors.js';

// Bearer tokens only: the API never reads the desk's session cookie, so a page on another
// site cannot make a logged-in editor's browser write through it (no CSRF surface here).

declare module 'fastify' {
  interface FastifyRequest {
    /** The token's actor on API routes that read one; null for anonymous reads. */
    apiActor: Actor | null;
    /** The signed-in user behind an `nds_` session token, on routes that read one. */
    apiUser: User | null;
  }
}

// Session tokens are the session id with a prefix of their own, so a log line or a support
// request tells them apart from API tokens (`nd_`), and neither is ever tried as the other.
export const SESSION_TOKEN_PREFIX = 'nds_';

/** The bearer form of a session id, as the login and sign-up routes answer it. */
export function sessionTokenFor(sessionId: string): string {
  return SESSION_TOKEN_PREFIX + sessionId;
}

/** The session id inside a session token, or null when the token is not one. */
export function sessionIdFromToken(token: string): string | null {
  return token.startsWith(SESSION_TOKEN_PREFIX) && token.length > SESSION_TOKEN_PREFIX.length ? token.slice(SESSION_TOKEN_PREFIX.length) : null;
}

const MISSING = 'This needs an Authorization: Bearer <token> header.';
const MALFORMED = 'The Authorization header must be "Bearer <token>".';

/** The token in an Authorization header, null when there is no header, or a 401 when it is not Bearer. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match) throw unauthorized(MALFORMED);
  return match[1]!;
}

async function resolve(request: FastifyRequest, reply: FastifyReply, isRequired: boolean): Promise<void> {
  try {
    const token = bearerToken(request.headers.authorization);
    if (token === null) {
      if (isRequired) throw unauthorized(MISSING);
      request.apiActor = null;
      return;
    }
    request.apiActor = await actorForToken(request.server.deps.db, token);
  } catch (err) {
    // RFC 6750: a 401 tells the client which scheme to use.
    if (err instanceof AppError && err.status === 401) reply.header('www-authenticate', 'Bearer realm="newsdesk"');
    throw err;
  }
}

/**
 * onRequest hook for writes: a missing, unknown or revoked token answers 401 before the body
 * is even parsed, so anonymous callers learn nothing from validation errors.
 */
export async function requireToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await resolve(request, reply, true);
}

/**
 * onRequest hook for reads that show more to staff (drafts). No header reads anonymously;
 * a bad token still answers 401 rather than silently showing less.
 */
export async function optionalToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await resolve(request, reply, false);
}

const NOT_SIGNED_IN = 'This needs an Authorization: Bearer nds_… header with the token from logging in.';

/**
 * onRequest hook for routes that act as a signed-in person (readers and staff alike): resolves
 * `Authorization: Bearer nds_…` to the user, or answers 401 for no header, an API token, or an
 * ended or unknown session. Like the API tokens it never reads the cookie, so there is no CSRF.
 */
export async function requireSessionUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  try {
    const token = bearerToken(request.headers.authorization);
    const sessionId = token === null ? null : sessionIdFromToken(token);
    const user = sessionId === null ? null : await userForSession(request.server.deps.db, sessionId);
    if (!user) throw unauthorized(token === null ? NOT_SIGNED_IN : 'The session token is unknown or has ended.');
    request.apiUser = user;
  } catch (err) {
    if (err instanceof AppError && err.status === 401) reply.header('www-authenticate', 'Bearer realm="newsdesk"');
    throw err;
  }
}

/** The user `requireSessionUser` resolved, with the session id their token carries. */
export function sessionUserOf(request: FastifyRequest): { user: User; sessionId: string } {
  const token = bearerToken(request.headers.authorization);
  const sessionId = token === null ? null : sessionIdFromToken(token);
  if (!request.apiUser || sessionId === null) throw unauthorized(NOT_SIGNED_IN);
  return { user: request.apiUser, sessionId };
}

/** The actor `requireToken` resolved; services check the role. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.apiActor) throw unauthorized(MISSING);
  return request.apiActor;
}
