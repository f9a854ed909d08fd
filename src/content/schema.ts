import Type, { type Static } from 'typebox';
import { CLAIM_STATUSES, ENTITY_KINDS, LANGUAGES, SOURCE_KINDS, STORY_STATUSES } from './types.js';

// Input shapes, declared once: Fastify validates API requests with them, the OpenAPI document
// is generated from them, and services re-check desk, CLI and importer input against them.

const text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$' });

export const LanguageSchema = Type.Enum([...LANGUAGES], { description: 'uk, en or ru' });

export const SourceSchema = Type.Object(
  {
    name: text(300, 'Who or what the information comes from'),
    // http(s) only: a javascript: or data: URL would become a link on the reader page.
    url: Type.Optional(nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }))),
    kind: Type.Enum([...SOURCE_KINDS]),
  },
  { additionalProperties: false },
);

export const QuoteSchema = Type.Object(
  {
    text: text(5000, 'Verbatim, as written'),
    speaker: Type.Optional(nullable(Type.String({ maxLength: 300 }))),
    sourceIndex: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 19 }))),
  },
  { additionalProperties: false },
);

export const BackgroundEntrySchema = Type.Object(
  {
    text: text(2000),
    status: Type.Optional(Type.Enum([...CLAIM_STATUSES])),
    attribution: Type.Optional(nullable(Type.String({ maxLength: 300 }))),
    itemId: Type.Optional(nullable(id)),
  },
  { additionalProperties: false },
);

const briefFields = {
  language: LanguageSchema,
  headline: text(300, 'One sentence'),
  storyId: Type.Optional(nullable(id)),
  publishedAt: Type.Optional(nullable(Type.String({ format: 'date-time', description: 'Dateline; set on publishing when absent' }))),
  datelinePrecision: Type.Optional(Type.Enum(['day', 'minute'])),
  sources: Type.Optional(Type.Array(SourceSchema, { maxItems: 20 })),
  quotes: Type.Optional(Type.Array(QuoteSchema, { maxItems: 20 })),
  details: Type.Optional(Type.Array(text(10000), { maxItems: 100, description: 'Paragraphs; **bold**, *italic* and [links](https://…)' })),
  previously: Type.Optional(Type.Array(text(5000), { maxItems: 50 })),
  previouslyLinks: Type.Optional(Type.Array(id, { maxItems: 50, description: 'Ids of earlier briefs' })),
  background: Type.Optional(Type.Array(BackgroundEntrySchema, { maxItems: 100 })),
  entityIds: Type.Optional(Type.Array(id, { maxItems: 100 })),
};

export const BriefInputSchema = Type.Object(briefFields, { additionalProperties: false });
export type BriefInput = Static<typeof BriefInputSchema>;

export const BriefPatchSchema = Type.Object(
  { ...Object.fromEntries(Object.entries(briefFields).map(([k, v]) => [k, Type.Optional(v)])) } as {
    [K in keyof typeof briefFields]: ReturnType<typeof Type.Optional<(typeof briefFields)[K]>>;
  },
  { additionalProperties: false },
);
export type BriefPatch = Partial<BriefInput>;

export const ReasonSchema = Type.Object({ reason: text(1000) }, { additionalProperties: false });

export const StoryInputSchema = Type.Object(
  {
    title: text(300),
    summary: Type.Optional(Type.String({ maxLength: 5000 })),
    language: LanguageSchema,
    status: Type.Optional(Type.Enum([...STORY_STATUSES])),
  },
  { additionalProperties: false },
);
export type StoryInput = Static<typeof StoryInputSchema>;

export const BackgroundItemInputSchema = Type.Object(
  {
    text: text(2000),
    status: Type.Enum([...CLAIM_STATUSES]),
    attributionEntityId: Type.Optional(nullable(id)),
    attributionSource: Type.Optional(nullable(Type.String({ maxLength: 300 }))),
    occurredAt: Type.Optional(nullable(Type.String({ format: 'date-time' }))),
    changeSource: Type.Optional(nullable(Type.String({ maxLength: 300, description: 'Where news of this change came from ("Reuters, 24 June"); kept in the item\'s history' }))),
  },
  { additionalProperties: false },
);
export type BackgroundItemInput = Static<typeof BackgroundItemInputSchema>;

export const EntityInputSchema = Type.Object(
  {
    kind: Type.Enum([...ENTITY_KINDS]),
    names: Type.Object(
      { en: Type.String({ maxLength: 200 }), uk: Type.String({ maxLength: 200 }), ru: Type.String({ maxLength: 200 }) },
      { additionalProperties: false },
    ),
    aliases: Type.Optional(Type.Array(text(200), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type EntityInput = Static<typeof EntityInputSchema>;
