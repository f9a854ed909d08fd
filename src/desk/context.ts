import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Actor } from '../accounts/policy.js';
import { unauthorized } from '../common/errors.js';
import { sendPage } from '../web/render.js';
import type { DeskContext } from './views/DeskPage.js';

/** Everything a desk view needs from the request: site settings, the user, a fresh CSRF token. */
export function deskContext(request: FastifyRequest, reply: FastifyReply): DeskContext {
  const { config } = request.server.deps;
  return {
    siteName: config.siteName,
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
    path: request.url,
    user: request.deskUser ?? null,
    csrfToken: reply.generateCsrf(),
    moderationWaiting: request.moderationWaiting ?? null,
  };
}

/** The acting staff member, as services expect it; only valid behind requireDeskUser. */
export function deskActor(request: FastifyRequest): Actor {
  const user = request.deskUser;
  if (!user) throw unauthorized();
  return { userId: user.id, role: user.role, label: user.email };
}

/**
 * Sends a desk page. Desk pages show unpublished work and carry CSRF tokens, so no shared cache
 * may keep them.
 */
export function sendDeskPage(reply: FastifyReply, node: VNode, status = 200): FastifyReply {
  return sendPage(reply.header('cache-control', 'no-store'), node, status);
}

/** POST-redirect-GET: 303 makes the browser follow with a GET, so a reload never re-posts. */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.redirect(location, 303);
}
