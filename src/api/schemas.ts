import Type, { type TSchema } from 'typebox';
import { BriefPatchSchema, LanguageSchema, ReasonSchema } from '../content/schema.js';

// Shapes only the HTTP surface has: path and query parameters, headers, pages and the error
// body. Input bodies come from content/schema.ts and response bodies from content/presenter.ts.

const id = (description?: string) =>
  Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$', ...(description ? { description } : {}) });

export const IdParamsSchema = Type.Object({ id: id() }, { additionalProperties: false });

export const BriefListQuerySchema = Type.Object(
  {
    story: Type.Optional(id('Only briefs of this story (id)')),
    entity: Type.Optional(id('Only briefs naming this entity (id)')),
    language: Type.Optional(LanguageSchema),
    cursor: Type.Optional(Type.String({ maxLength: 500, description: 'The `next` value of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

export const BriefReadQuerySchema = Type.Object(
  { format: Type.Optional(Type.Enum(['json', 'text', 'ninjs'], { description: '`text` answers the wire-text format as text/plain; `ninjs` an IPTC ninjs 3.1 news item' })) },
  { additionalProperties: false },
);

export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ pattern: '^(W/)?"[0-9]+"$', description: 'The brief\'s `revision` in quotes, e.g. "3"; a stale value answers 409' }),
  ),
});

/** A correction is a patch plus the reason readers are shown. */
export const CorrectionSchema = Type.Object(
  { ...BriefPatchSchema.properties, ...ReasonSchema.properties },
  { additionalProperties: false },
);

/** Every list answers this shape, paginated or not, so clients need one loop. */
export function pageOf<T extends TSchema>(item: T, description: string) {
  return Type.Object(
    { items: Type.Array(item), next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last' }) },
    { additionalProperties: false, description },
  );
}

function errorBody(description: string, headers?: Record<string, TSchema>) {
  return Type.Object(
    {
      error: Type.Object(
        {
          code: Type.String({ description: 'Stable, machine-readable' }),
          message: Type.String({ description: 'For people' }),
          fields: Type.Array(
            Type.Object(
              { path: Type.String({ description: 'Dotted, e.g. sources.0.kind' }), reason: Type.String() },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    },
    // @fastify/swagger documents `headers` as the response's headers; serialisation ignores it.
    { additionalProperties: false, description, ...(headers ? { headers } : {}) },
  );
}

const ERROR_DESCRIPTIONS = {
  400: 'The input is not valid; `fields` names each failing field',
  401: 'No bearer token, or an unknown or revoked one',
  403: 'The token\'s role does not allow this',
  404: 'Not found',
  409: 'The brief\'s status does not allow this, or someone saved it meanwhile',
  410: 'The brief was removed',
  413: 'The request body is larger than 1 MiB',
  429: 'Too many requests: wait the seconds the Retry-After header gives, then try again',
} as const;

const ERROR_HEADERS: Partial<Record<keyof typeof ERROR_DESCRIPTIONS, Record<string, TSchema>>> = {
  429: { 'retry-after': Type.Integer({ minimum: 1, description: 'Seconds to wait before trying again' }) },
};

/** Error responses for the route's schema, so they are serialised and documented alike. */
export function errorResponses<S extends keyof typeof ERROR_DESCRIPTIONS>(...statuses: S[]): Record<S, ReturnType<typeof errorBody>> {
  return Object.fromEntries(statuses.map((s) => [s, errorBody(ERROR_DESCRIPTIONS[s], ERROR_HEADERS[s])])) as Record<S, ReturnType<typeof errorBody>>;
}

/** Errors any write may answer besides its own. */
export const WRITE_ERRORS = [400, 401, 403, 413] as const;

/** How OpenAPI says a route needs `Authorization: Bearer <token>`. */
export const BEARER = [{ bearerAuth: [] }];
