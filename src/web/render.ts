import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

/** Renders a page component to a complete HTML document. Preact escapes every text node. */
export function renderDocument(node: VNode): string {
  return `<!DOCTYPE html>${render(node)}`;
}

export function sendPage(reply: FastifyReply, node: VNode, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(renderDocument(node));
}
