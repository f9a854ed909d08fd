export const LANGUAGES = ['uk', 'en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

export const SOURCE_KINDS = ['official_statement', 'news_agency', 'media', 'social_media', 'own_correspondent'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const BRIEF_STATUSES = ['draft', 'in_review', 'published', 'corrected', 'retracted', 'deleted'] as const;
export type BriefStatus = (typeof BRIEF_STATUSES)[number];
/** Statuses a reader may see; a deleted brief answers 410 and a draft 404. */
export const PUBLIC_STATUSES: readonly BriefStatus[] = ['published', 'corrected', 'retracted'];

// 'retracted': whoever made the claim withdrew it, which is news of its own, unlike a denial by others.
export const CLAIM_STATUSES = ['claimed', 'confirmed', 'denied', 'unverified', 'retracted'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const STORY_STATUSES = ['developing', 'concluded'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

export const ENTITY_KINDS = ['person', 'organisation', 'place'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** 'day' when the dateline carries only a date (wire text often does), 'minute' otherwise. */
export type DatelinePrecision = 'day' | 'minute';

export interface Source {
  name: string;
  url: string | null;
  kind: SourceKind;
}

export interface Quote {
  /** Verbatim, typographic quotes and line breaks kept as written. */
  text: string;
  speaker: string | null;
  /** Index into the brief's sources, when the quote came through one of them. */
  sourceIndex: number | null;
}

export interface BackgroundEntry {
  text: string;
  status: ClaimStatus;
  attribution: string | null;
  /** The story-level item this entry shows, when the brief belongs to a story. */
  itemId: string | null;
}

/** Everything a revision keeps besides the row's own columns. */
export interface BriefContent {
  sources: Source[];
  quotes: Quote[];
  details: string[];
  previously: string[];
  /** Ids of earlier briefs the Previously section links to. */
  previouslyLinks: string[];
  background: BackgroundEntry[];
  /** Comments carried in with imported wire text are kept in the comments table, not here. */
}

export interface Brief extends BriefContent {
  id: string;
  slug: string;
  language: Language;
  headline: string;
  status: BriefStatus;
  storyId: string | null;
  publishedAt: string | null;
  datelinePrecision: DatelinePrecision;
  revision: number;
  createdAt: string;
  updatedAt: string;
  correctedAt: string | null;
  correctionReason: string | null;
  retractedAt: string | null;
  retractionReason: string | null;
  entityIds: string[];
  authorIds: string[];
}

export interface Story {
  id: string;
  slug: string;
  language: Language;
  title: string;
  summary: string;
  status: StoryStatus;
  createdAt: string;
  updatedAt: string;
}

export interface BackgroundItem {
  id: string;
  storyId: string;
  position: number;
  text: string;
  status: ClaimStatus;
  attributionEntityId: string | null;
  attributionSource: string | null;
  occurredAt: string | null;
  updatedAt: string;
}

export const BACKGROUND_CHANGE_KINDS = ['created', 'edited', 'baseline'] as const;
/** 'baseline': the state an item was in when the ledger began keeping history (its past is unknown). */
export type BackgroundChangeKind = (typeof BACKGROUND_CHANGE_KINDS)[number];

/** One state of a background item in its history: what it said, its status, who and when. */
export interface BackgroundItemChange {
  id: string;
  itemId: string;
  storyId: string;
  kind: BackgroundChangeKind;
  text: string;
  status: ClaimStatus;
  attributionEntityId: string | null;
  attributionSource: string | null;
  /** Where news of the change came from ("Reuters, 24 June"), when the editor said. */
  source: string | null;
  actorId: string | null;
  /** Who made the change: the user's display name at the time, or the token's or CLI's label. */
  actorLabel: string | null;
  changedAt: string;
}

export interface Entity {
  id: string;
  slug: string;
  kind: EntityKind;
  names: Record<Language, string>;
  aliases: string[];
}

export interface Comment {
  id: string;
  briefId: string;
  authorName: string;
  body: string;
  status: 'published' | 'hidden';
  createdAt: string;
}
