import type { BriefStatus, DatelinePrecision, EntityKind, Language } from '../content/types.js';
import type { HighlightedText } from './highlight.js';

// The one search interface. The SQLite FTS5 implementation (sqlite.ts) is the embedded default;
// a PostgreSQL one (issue 7) implements the same methods and reuses the analyser, documents and
// highlighting, which know nothing of the engine.

/** Statuses search can find: what readers may see. Drafts, briefs in review and deleted ones never enter the index. */
export const SEARCHABLE_STATUSES = ['published', 'corrected', 'retracted'] as const satisfies readonly BriefStatus[];
export type SearchableStatus = (typeof SEARCHABLE_STATUSES)[number];

export interface SearchFilters {
  storyId?: string;
  entityId?: string;
  language?: Language;
  /** Publication time from this instant on (ISO UTC, inclusive). */
  from?: string;
  /** Publication time before this instant (ISO UTC, exclusive). */
  until?: string;
  /** Defaults to every searchable status. */
  statuses?: readonly SearchableStatus[];
}

export interface SearchPageRequest {
  /** Results to skip; the cursor is this, made opaque. */
  offset: number;
  limit: number;
}

export interface BriefHit {
  id: string;
  slug: string;
  language: Language;
  status: SearchableStatus;
  storyId: string | null;
  publishedAt: string;
  datelinePrecision: DatelinePrecision;
  headline: HighlightedText;
  /** The passage that matched best, or the brief's opening when only its tags matched. */
  snippet: HighlightedText | null;
}

export interface EntityHit {
  id: string;
  slug: string;
  kind: EntityKind;
  names: Record<Language, string>;
}

export interface SearchResults {
  briefs: BriefHit[];
  /** Every brief matching the query and filters, over all pages. */
  total: number;
  /** Offset of the next page, or null on the last. */
  nextOffset: number | null;
  /** People, organisations and places the query names or matches; filled on the first page only. */
  entities: EntityHit[];
}

export interface SearchIndex {
  /** Brings one brief's document up to date: indexed while public, removed otherwise. */
  indexBrief(briefId: string): Promise<void>;
  removeBrief(briefId: string): Promise<void>;
  /** Re-indexes an entity and every brief tagged with it (their documents carry its names). */
  indexEntity(entityId: string): Promise<void>;
  /**
   * Briefs matching `query` (every word, in any inflected form; or the entity it names) and the
   * filters, best first. An empty query lists the filtered briefs newest first.
   */
  search(query: string, filters: SearchFilters, page: SearchPageRequest): Promise<SearchResults>;
  /** Drops and rebuilds every document from the content tables. */
  rebuild(): Promise<{ briefs: number; entities: number }>;
  /** Rebuilds when the index was built by another analyser version (or never); true if it did. */
  ensureCurrent(): Promise<boolean>;
}
