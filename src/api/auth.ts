import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorForToken } from '../accounts/service.js';
import type { Actor } from '../accounts/policy.js';
import { AppError, unauthorized } from '../common/errors.js';

// Bearer tokens only: the API never reads the desk's session cookie, so a page on another
// site cannot make a logged-in editor's browser write through it (no CSRF surface here).

declare module 'fastify' {
  interface FastifyRequest {
    /** The token's actor on API routes that read one; null for anonymous reads. */
    apiActor: Actor | null;
  }
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

/** The actor `requireToken` resolved; services check the role. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.apiActor) throw unauthorized(MISSING);
  return request.apiActor;
}
