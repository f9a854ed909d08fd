import Type, { type Static } from 'typebox';
import { ENTITY_KINDS, LANGUAGES } from '../content/types.js';
import { briefPath, entityPath } from '../web/paths.js';
import type { SearchAnswer } from './service.js';
import { SEARCHABLE_STATUSES, type BriefHit, type EntityHit } from './types.js';
import type { HighlightedText } from './highlight.js';

// Search results as API clients see them. Highlights are the plain text plus the ranges to mark,
// never markup: a client renders them however it renders text, and a brief's "<b>" stays text.

const closed = { additionalProperties: false } as const;

export const HighlightJsonSchema = Type.Object(
  {
    text: Type.String(),
    ranges: Type.Array(
      Type.Object({ start: Type.Integer({ minimum: 0 }), end: Type.Integer({ minimum: 0 }) }, closed),
      { description: 'Matched words as [start, end) offsets into `text`, in UTF-16 code units (JavaScript string indices); ordered, never overlapping' },
    ),
  },
  { ...closed, description: 'Plain text with the spans that matched the query' },
);

export const SearchHitJsonSchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    url: Type.String({ format: 'uri' }),
    language: Type.Enum([...LANGUAGES]),
    status: Type.Enum([...SEARCHABLE_STATUSES]),
    storyId: Type.Union([Type.String(), Type.Null()]),
    publishedAt: Type.String({ format: 'date-time' }),
    headline: HighlightJsonSchema,
    snippet: Type.Union([HighlightJsonSchema, Type.Null()], { description: 'The passage that matched best; the brief\'s opening when only its tags matched' }),
  },
  { ...closed, description: 'A brief found by a search' },
);

export const SearchEntityJsonSchema = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    url: Type.String({ format: 'uri' }),
    kind: Type.Enum([...ENTITY_KINDS]),
    names: Type.Object({ en: Type.String(), uk: Type.String(), ru: Type.String() }, closed),
  },
  { ...closed, description: 'A person, organisation or place the query names or matches' },
);

export const SearchPageJsonSchema = Type.Object(
  {
    items: Type.Array(SearchHitJsonSchema),
    next: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last' }),
    total: Type.Integer({ minimum: 0, description: 'Briefs matching, over all pages' }),
    entities: Type.Array(SearchEntityJsonSchema, { description: 'On the first page only (no cursor); empty on later pages' }),
  },
  { ...closed, description: 'A page of briefs, best match first (newest first without `q`)' },
);
export type SearchPageJson = Static<typeof SearchPageJsonSchema>;

const plain = (h: HighlightedText) => ({ text: h.text, ranges: h.ranges.map((r) => ({ start: r.start, end: r.end })) });

export function presentHit(hit: BriefHit, origin: string) {
  return {
    id: hit.id, slug: hit.slug, url: origin + briefPath(hit), language: hit.language, status: hit.status, storyId: hit.storyId,
    publishedAt: hit.publishedAt, headline: plain(hit.headline), snippet: hit.snippet ? plain(hit.snippet) : null,
  };
}

export function presentEntityHit(entity: EntityHit, origin: string) {
  return { id: entity.id, slug: entity.slug, url: origin + entityPath(entity, 'en'), kind: entity.kind, names: { ...entity.names } };
}

export function presentSearch(answer: SearchAnswer, origin: string): SearchPageJson {
  return {
    items: answer.briefs.map((h) => presentHit(h, origin)),
    next: answer.next,
    total: answer.total,
    entities: answer.entities.map((e) => presentEntityHit(e, origin)),
  };
}
