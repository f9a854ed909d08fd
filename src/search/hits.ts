import type { Brief, Entity } from '../content/types.js';
import { briefPassages } from './documents.js';
import { highlight, snippet } from './highlight.js';
import type { BriefHit, EntityHit, SearchableStatus } from './types.js';

/** A found brief as results show it, highlighted with the query's terms. Engine-neutral. */
export function toBriefHit(brief: Brief, terms: ReadonlySet<string>): BriefHit {
  const passages = briefPassages(brief);
  // A brief found through its tags alone has no matched passage: it opens with its first one.
  const excerpt = snippet(passages, terms) ?? snippet(passages.slice(0, 1), new Set());
  return {
    id: brief.id,
    slug: brief.slug,
    language: brief.language,
    status: brief.status as SearchableStatus,
    storyId: brief.storyId,
    publishedAt: brief.publishedAt!,
    datelinePrecision: brief.datelinePrecision,
    headline: highlight(brief.headline, terms),
    snippet: excerpt,
  };
}

export function toEntityHit(entity: Entity): EntityHit {
  return { id: entity.id, slug: entity.slug, kind: entity.kind, names: entity.names };
}
