import Type, { type Static } from 'typebox';
import { briefPath, entityPath, storyPath } from '../web/paths.js';
import {
  BRIEF_STATUSES, CLAIM_STATUSES, ENTITY_KINDS, LANGUAGES, PUBLIC_STATUSES, SOURCE_KINDS, STORY_STATUSES,
  type BackgroundItem, type Brief, type Entity, type Story,
} from './types.js';

// What leaves the server, declared once as TypeBox schemas: the presenters below are typed by
// them, Fastify serialises API responses through them (dropping anything not listed), and the
// OpenAPI document shows them. Author ids, created-by and raw revision snapshots stay inside.

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const time = Type.String({ format: 'date-time' });
const closed = { additionalProperties: false } as const;

export const BriefJsonSchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    url: nullable(Type.String({ format: 'uri', description: 'Public page; null until readers can see the brief' })),
    language: Type.Enum([...LANGUAGES]),
    status: Type.Enum([...BRIEF_STATUSES]),
    headline: Type.String(),
    storyId: nullable(Type.String()),
    publishedAt: nullable(time),
    datelinePrecision: Type.Enum(['day', 'minute']),
    revision: Type.Integer({ description: 'Send as If-Match: "<revision>" to guard an edit against concurrent saves' }),
    updatedAt: time,
    correctedAt: nullable(time),
    correctionReason: nullable(Type.String()),
    retractedAt: nullable(time),
    retractionReason: nullable(Type.String()),
    sources: Type.Array(Type.Object({ name: Type.String(), url: nullable(Type.String()), kind: Type.Enum([...SOURCE_KINDS]) }, closed)),
    quotes: Type.Array(Type.Object({ text: Type.String(), speaker: nullable(Type.String()), sourceIndex: nullable(Type.Integer()) }, closed)),
    details: Type.Array(Type.String(), { description: 'Paragraphs in the inline Markdown subset' }),
    previously: Type.Array(Type.String()),
    previouslyLinks: Type.Array(Type.String()),
    background: Type.Array(
      Type.Object({ text: Type.String(), status: Type.Enum([...CLAIM_STATUSES]), attribution: nullable(Type.String()), itemId: nullable(Type.String()) }, closed),
    ),
    entityIds: Type.Array(Type.String()),
  },
  { ...closed, description: 'A brief' },
);
export type BriefJson = Static<typeof BriefJsonSchema>;

export const StoryJsonSchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    url: Type.String({ format: 'uri' }),
    language: Type.Enum([...LANGUAGES]),
    title: Type.String(),
    summary: Type.String(),
    status: Type.Enum([...STORY_STATUSES]),
    createdAt: time,
    updatedAt: time,
  },
  { ...closed, description: 'A developing or concluded story' },
);
export type StoryJson = Static<typeof StoryJsonSchema>;

export const BackgroundItemJsonSchema = Type.Object(
  {
    id: Type.String(),
    storyId: Type.String(),
    position: Type.Integer(),
    text: Type.String(),
    status: Type.Enum([...CLAIM_STATUSES]),
    attributionEntityId: nullable(Type.String()),
    attributionSource: nullable(Type.String()),
    occurredAt: nullable(time),
    updatedAt: time,
  },
  { ...closed, description: 'One entry of a story\'s background ledger' },
);
export type BackgroundItemJson = Static<typeof BackgroundItemJsonSchema>;

export const StoryWithBackgroundJsonSchema = Type.Object(
  { ...StoryJsonSchema.properties, background: Type.Array(BackgroundItemJsonSchema) },
  { ...closed, description: 'A story with its background ledger as it stands now' },
);
export type StoryWithBackgroundJson = Static<typeof StoryWithBackgroundJsonSchema>;

export const EntityJsonSchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    url: Type.String({ format: 'uri' }),
    kind: Type.Enum([...ENTITY_KINDS]),
    names: Type.Object({ en: Type.String(), uk: Type.String(), ru: Type.String() }, closed),
    aliases: Type.Array(Type.String()),
  },
  { ...closed, description: 'A person, organisation or place' },
);
export type EntityJson = Static<typeof EntityJsonSchema>;

/** A brief as API clients see it; `origin` is config.publicUrl, so links work outside the server. */
export function presentBrief(brief: Brief, origin: string): BriefJson {
  return {
    id: brief.id,
    slug: brief.slug,
    // A draft's page answers 404 to readers; handing out its URL would only mislead.
    url: PUBLIC_STATUSES.includes(brief.status) ? origin + briefPath(brief) : null,
    language: brief.language,
    status: brief.status,
    headline: brief.headline,
    storyId: brief.storyId,
    publishedAt: brief.publishedAt,
    datelinePrecision: brief.datelinePrecision,
    revision: brief.revision,
    updatedAt: brief.updatedAt,
    correctedAt: brief.correctedAt,
    correctionReason: brief.correctionReason,
    retractedAt: brief.retractedAt,
    retractionReason: brief.retractionReason,
    sources: brief.sources.map((s) => ({ name: s.name, url: s.url, kind: s.kind })),
    quotes: brief.quotes.map((q) => ({ text: q.text, speaker: q.speaker, sourceIndex: q.sourceIndex })),
    details: [...brief.details],
    previously: [...brief.previously],
    previouslyLinks: [...brief.previouslyLinks],
    background: brief.background.map((b) => ({ text: b.text, status: b.status, attribution: b.attribution, itemId: b.itemId })),
    entityIds: [...brief.entityIds],
  };
}

/** A story without its ledger, as lists show it. */
export function presentStory(story: Story, origin: string): StoryJson {
  return {
    id: story.id,
    slug: story.slug,
    url: origin + storyPath(story, story.language),
    language: story.language,
    title: story.title,
    summary: story.summary,
    status: story.status,
    createdAt: story.createdAt,
    updatedAt: story.updatedAt,
  };
}

/** One background ledger entry. */
export function presentBackgroundItem(item: BackgroundItem): BackgroundItemJson {
  return {
    id: item.id,
    storyId: item.storyId,
    position: item.position,
    text: item.text,
    status: item.status,
    attributionEntityId: item.attributionEntityId,
    attributionSource: item.attributionSource,
    occurredAt: item.occurredAt,
    updatedAt: item.updatedAt,
  };
}

/** A story with its background ledger in ledger order. */
export function presentStoryWithBackground(story: Story, background: readonly BackgroundItem[], origin: string): StoryWithBackgroundJson {
  return { ...presentStory(story, origin), background: background.map(presentBackgroundItem) };
}

/** An entity with its names in every language. */
export function presentEntity(entity: Entity, origin: string): EntityJson {
  return {
    id: entity.id,
    slug: entity.slug,
    url: origin + entityPath(entity, 'en'),
    kind: entity.kind,
    names: { en: entity.names.en, uk: entity.names.uk, ru: entity.names.ru },
    aliases: [...entity.aliases],
  };
}
