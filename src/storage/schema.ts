import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

// Row types for Kysely. Times are ISO-8601 UTC strings and JSON is text in both engines,
// so every query stays portable between SQLite and PostgreSQL.

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: string;
  created_at: string;
  disabled_at: string | null;
  /** Set when a reader deleted their account; the row stays so their comments keep an author. */
  deleted_at: string | null;
  /** 1: this reader's comments wait for a moderator before they appear. */
  premoderate: number;
  suspended_until: string | null;
  banned_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  role: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export interface StoriesTable {
  id: string;
  slug: string;
  language: string;
  title: string;
  summary: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface EntitiesTable {
  id: string;
  slug: string;
  kind: string;
  name_en: string;
  name_uk: string;
  name_ru: string;
  aliases: string;
  created_at: string;
  updated_at: string;
}

export interface BackgroundItemsTable {
  id: string;
  story_id: string;
  position: number;
  text: string;
  status: string;
  attribution_entity_id: string | null;
  attribution_source: string | null;
  occurred_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One state of a background item, written on its creation and on every change (the ledger's history). */
export interface BackgroundItemChangesTable {
  id: string;
  item_id: string;
  story_id: string;
  kind: string;
  text: string;
  status: string;
  attribution_entity_id: string | null;
  attribution_source: string | null;
  source: string | null;
  actor_id: string | null;
  actor_label: string | null;
  changed_at: string;
}

export interface BriefsTable {
  id: string;
  slug: string;
  language: string;
  headline: string;
  status: string;
  story_id: string | null;
  published_at: string | null;
  dateline_precision: string;
  content: string;
  revision: number;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  corrected_at: string | null;
  correction_reason: string | null;
  retracted_at: string | null;
  retraction_reason: string | null;
  /** Briefs sharing it are translations of each other, one per language. */
  translation_group: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set while the brief is pinned as a key event of its story. */
  pinned_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BriefEntitiesTable {
  brief_id: string;
  entity_id: string;
  /** 'editor' (chosen or confirmed by a person) or 'auto' (found in the text, a suggestion). */
  origin: ColumnType<string, string | undefined, string>;
  /** The brief's published_at, copied by triggers (migration 202611301000) so an entity's page is one index range. */
  published_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Entities an editor took off a brief, so that saving it again does not suggest them anew. */
export interface BriefEntityRemovalsTable {
  brief_id: string;
  entity_id: string;
  removed_at: string;
}

export interface BriefAuthorsTable {
  brief_id: string;
  user_id: string;
}

export interface BriefRevisionsTable {
  id: string;
  brief_id: string;
  number: number;
  kind: string;
  reason: string | null;
  user_id: string | null;
  created_at: string;
  snapshot: string;
}

export interface CommentsTable {
  id: string;
  brief_id: string;
  author_name: string;
  body: string;
  /** 'published', 'pending' (held for a moderator) or 'rejected'. */
  status: string;
  created_at: string;
  /** Null for comments imported with wire text, which have a name but no account. */
  user_id: string | null;
  parent_id: string | null;
  /** JSON array of the moderation pipeline's reason codes. */
  reasons: ColumnType<string, string | undefined, string>;
  /** 1: published but waiting for a moderator's look. */
  is_flagged: ColumnType<number, number | undefined, number>;
  edited_at: string | null;
  deleted_at: string | null;
  ip_hash: string | null;
  report_count: ColumnType<number, number | undefined, number>;
  featured: ColumnType<number, number | undefined, number>;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

export interface CommentRevisionsTable {
  id: string;
  comment_id: string;
  body: string;
  replaced_at: string;
}

export interface CommentPoliciesTable {
  /** A story's or a brief's id. */
  subject_id: string;
  scope: string;
  /** 'post', 'pre' or 'closed'. */
  mode: string;
  updated_at: string;
}

export interface CommentReportsTable {
  id: string;
  comment_id: string;
  user_id: string;
  reason: string;
  text: string | null;
  created_at: string;
}

export interface ModerationSettingsTable {
  key: string;
  /** JSON. */
  value: string;
}

export interface ModerationActionsTable {
  id: string;
  comment_id: string | null;
  user_id: string | null;
  actor_id: string | null;
  action: string;
  reason: string | null;
  created_at: string;
}

export interface EventsTable {
  id: string;
  type: string;
  subject_id: string;
  actor_id: string | null;
  payload: string;
  created_at: string;
}

/** An endpoint an admin registered; `events` is a JSON array of webhook event names. */
export interface WebhooksTable {
  id: string;
  url: string;
  secret: string;
  events: string;
  active: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: string;
}

/** One event owed to one endpoint: 'pending' (to send at next_attempt_at), 'delivered' or 'failed'. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookCursorTable {
  id: string;
  last_event_id: string;
}

/** Hits of one client on one rate-limited route in its current window (accounts/rate-limit-store.ts). */
export interface RateLimitsTable {
  key: string;
  count: number;
  reset_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  stories: StoriesTable;
  entities: EntitiesTable;
  background_items: BackgroundItemsTable;
  background_item_changes: BackgroundItemChangesTable;
  briefs: BriefsTable;
  brief_entities: BriefEntitiesTable;
  brief_entity_removals: BriefEntityRemovalsTable;
  brief_authors: BriefAuthorsTable;
  brief_revisions: BriefRevisionsTable;
  comments: CommentsTable;
  comment_reports: CommentReportsTable;
  comment_revisions: CommentRevisionsTable;
  comment_policies: CommentPoliciesTable;
  moderation_settings: ModerationSettingsTable;
  moderation_actions: ModerationActionsTable;
  events: EventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_cursor: WebhookCursorTable;
  rate_limits: RateLimitsTable;
}

export type BriefRow = Selectable<BriefsTable>;
export type StoryRow = Selectable<StoriesTable>;
export type EntityRow = Selectable<EntitiesTable>;
export type BackgroundItemRow = Selectable<BackgroundItemsTable>;
export type UserRow = Selectable<UsersTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewBrief = Insertable<BriefsTable>;
export type BriefUpdate = Updateable<BriefsTable>;
