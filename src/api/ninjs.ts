import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { listBriefs } from '../content/brief-repository.js';
import { BriefJsonSchema, presentBrief } from '../content/presenter.js';
import type { Brief } from '../content/types.js';
import { NINJS_SCHEMA_ID, briefToNinjs, importNinjs, loadNinjsContext, type NinjsContext } from '../distribution/ninjs.js';
import { actorOf, requireToken } from './auth.js';
import { keysOfBriefs, markPublic, surrogateKey } from '../distribution/cache-headers.js';
import { BEARER, BriefListQuerySchema, WRITE_ERRORS, errorResponses } from './schemas.js';

const tags = ['ninjs'];

const NinjsItemSchema = Type.Object({}, {
  additionalProperties: true,
  description: `An IPTC ninjs 3.1 news item, valid against ${NINJS_SCHEMA_ID}`,
});

// Same body as every other error, with the JSON pointers of the document in `fields[].path`.
const UnprocessableSchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: '"unprocessable_ninjs"' }),
        message: Type.String(),
        fields: Type.Array(Type.Object(
          { path: Type.String({ description: 'JSON pointer (RFC 6901) into the document, e.g. /headlines/0/value' }), reason: Type.String() },
          { additionalProperties: false },
        )),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: 'The document is not valid ninjs 3.1, or has parts a brief cannot hold; each field is one problem' },
);

const ImportedSchema = Type.Object(
  {
    brief: BriefJsonSchema,
    unmatched: Type.Array(
      Type.Object({ pointer: Type.String(), name: Type.String() }, { additionalProperties: false }),
      { description: 'People, places, organisations and subjects that match no entity; kept as the last details paragraph for the editor' },
    ),
  },
  { additionalProperties: false, description: 'The draft made from the document' },
);

/**
 * Answers a ninjs item as application/json. Sent pre-serialised: the route's JSON schema is the
 * brief's, and serialising through it would drop every ninjs property.
 */
export function sendNinjs(reply: FastifyReply, brief: Brief, ctx: NinjsContext): FastifyReply {
  return reply.type('application/json; charset=utf-8').header('etag', `"ninjs-${brief.revision}"`).send(JSON.stringify(briefToNinjs(brief, ctx)));
}

/** The ninjs feed of recent public briefs and the ninjs import. */
export const ninjsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, db, bus } = app.deps;

  app.get('/v1/ninjs/recent', {
    schema: {
      summary: 'Recent public briefs as IPTC ninjs 3.1, newest first',
      description: 'The same filters and paging as GET /v1/briefs; each item is a ninjs 3.1 news item. A retracted brief stays with pubStatus "canceled".',
      tags, querystring: BriefListQuerySchema,
      response: {
        200: {
          description: 'A page of ninjs items',
          content: { 'application/json': { schema: Type.Object({ items: Type.Array(NinjsItemSchema), next: Type.Union([Type.String(), Type.Null()]) }) } },
        },
        ...errorResponses(400),
      },
    },
  }, async (request, reply) => {
    const { story, entity, language, cursor, limit } = request.query;
    const page = await listBriefs(db, { storyId: story, entityId: entity, language, cursor, limit });
    const items = [];
    for (const brief of page.items) items.push(briefToNinjs(brief, await loadNinjsContext(db, brief, config.publicUrl)));
    // A feed for machines: every publication, correction or retraction purges `feeds`.
    markPublic(reply, [surrogateKey.feeds, ...keysOfBriefs(page.items)]);
    // Serialised through NinjsItemSchema, which lets every property through.
    return reply.type('application/json; charset=utf-8').send({ items, next: page.next });
  });

  app.post('/v1/import/ninjs', {
    onRequest: requireToken,
    schema: {
      summary: 'Import an IPTC ninjs news item as a draft brief',
      description: 'Takes ninjs 3.1 (and simple 2.x with lower-case names: headline, body_text, body_html, infosources…). The headline, the body (HTML becomes paragraphs; no markup is kept but bold, italic and links), bodies with role "quote", infoSources and, matched by name, people, places, organisations and subjects. Anything that cannot be mapped answers 422 with the JSON pointer of each problem.',
      tags, security: BEARER,
      body: Type.Unknown({ description: `A ninjs news item (${NINJS_SCHEMA_ID})` }),
      response: { 201: ImportedSchema, 422: UnprocessableSchema, ...errorResponses(...WRITE_ERRORS) },
    },
  }, async (request, reply) => {
    const { brief, unmatched } = await importNinjs({ db, bus }, actorOf(request), request.body);
    reply.header('location', `${app.prefix}/v1/briefs/${brief.id}`);
    return reply.code(201).send({ brief: presentBrief(brief, config.publicUrl), unmatched });
  });
};
