import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

/**
 * Options for @fastify/swagger. It is registered inside the API plugin, so its onRoute hook sees
 * only /api routes; `hideUntagged` keeps out anything without a tag (the document route itself).
 */
export const openApiOptions: FastifyDynamicSwaggerOptions = {
  hideUntagged: true,
  openapi: {
    // 3.1, because the schemas say "may be null" as JSON Schema does (type: null in anyOf).
    openapi: '3.1.0',
    info: {
      title: 'Newsdesk API',
      version: '1',
      description: [
        'Reads are public; writes need `Authorization: Bearer <token>` (tokens come from `newsdesk token create --role ROLE`).',
        'Every error answers `{"error": {"code", "message", "fields": [{"path", "reason"}]}}`.',
        'Every list answers `{"items", "next"}`; pass `next` back as `cursor` until it is null.',
      ].join('\n\n'),
    },
    tags: [
      { name: 'briefs', description: 'Short sourced reports and their lifecycle' },
      { name: 'stories', description: 'Developing stories and their background ledgers' },
      { name: 'entities', description: 'People, organisations and places briefs name' },
      { name: 'auth', description: 'Reader accounts and sessions: sign up, log in, log out, delete the account' },
      { name: 'comments', description: 'Readers\' comments under briefs: read, post, edit, delete, report' },
      { name: 'moderation', description: 'Queues, decisions, measures against commenters, the audit log and the comment policy' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http', scheme: 'bearer',
          description: 'An API token (`nd_…`, from `newsdesk token create`), or on the comment and moderation routes a signed-in '
            + 'person\'s session token (`nds_…`, from logging in); its role decides what it may do',
        },
      },
    },
  },
};
