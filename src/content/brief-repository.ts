import { decodeCursor, encodeCursor, type Page } from '../common/cursor.js';
import type { Executor } from '../storage/database.js';
import type { BriefRow } from '../storage/schema.js';
import { PUBLIC_STATUSES, type Brief, type BriefContent, type BriefStatus, type DatelinePrecision, type Language } from './types.js';

export function contentOf(brief: BriefContent): BriefContent {
  return {
    sources: brief.sources,
    quotes: brief.quotes,
    details: brief.details,
    previously: brief.previously,
    previouslyLinks: brief.previouslyLinks,
    background: brief.background,
  };
}

function toBrief(row: BriefRow, entityIds: string[], authorIds: string[]): Brief {
  const content = JSON.parse(row.content) as BriefContent;
  return {
    ...contentOf(content),
    id: row.id,
    slug: row.slug,
    language: row.language as Language,
    headline: row.headline,
    status: row.status as BriefStatus,
    storyId: row.story_id,
    publishedAt: row.published_at,
    datelinePrecision: row.dateline_precision as DatelinePrecision,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    correctedAt: row.corrected_at,
    correctionReason: row.correction_reason,
    retractedAt: row.retracted_at,
    retractionReason: row.retraction_reason,
    entityIds,
    authorIds,
  };
}

async function hydrate(db: Executor, rows: BriefRow[]): Promise<Brief[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [entities, authors] = await Promise.all([
    db.selectFrom('brief_entities').select(['brief_id', 'entity_id']).where('brief_id', 'in', ids).execute(),
    db.selectFrom('brief_authors').select(['brief_id', 'user_id']).where('brief_id', 'in', ids).execute(),
  ]);
  const group = (pairs: { brief_id: string; value: string }[]) => {
    const map = new Map<string, string[]>();
    for (const p of pairs) map.set(p.brief_id, [...(map.get(p.brief_id) ?? []), p.value]);
    return map;
  };
  const entityMap = group(entities.map((e) => ({ brief_id: e.brief_id, value: e.entity_id })));
  const authorMap = group(authors.map((a) => ({ brief_id: a.brief_id, value: a.user_id })));
  return rows.map((r) => toBrief(r, entityMap.get(r.id) ?? [], authorMap.get(r.id) ?? []));
}

export async function findBrief(db: Executor, id: string): Promise<Brief | null> {
  const row = await db.selectFrom('briefs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await hydrate(db, [row]))[0]! : null;
}

export async function findBriefBySlug(db: Executor, slug: string): Promise<Brief | null> {
  const row = await db.selectFrom('briefs').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? (await hydrate(db, [row]))[0]! : null;
}

export async function findBriefsByIds(db: Executor, ids: string[]): Promise<Brief[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('briefs').selectAll().where('id', 'in', ids).execute();
  return hydrate(db, rows);
}

export interface BriefFilter {
  storyId?: string;
  entityId?: string;
  language?: Language;
  /** Defaults to what readers may see. */
  statuses?: readonly BriefStatus[];
  cursor?: string | null;
  limit?: number;
}

/**
 * Newest first by publication time, keyset-paginated. Each filter has an index in this order
 * (migration 202611301000), so a page costs the same at any depth and archive size.
 */
export async function listBriefs(db: Executor, filter: BriefFilter): Promise<Page<Brief>> {
  const limit = Math.min(Math.max(filter.limit ?? 20, 1), 100);
  const cursor = decodeCursor(filter.cursor);
  const statuses = [...(filter.statuses ?? PUBLIC_STATUSES)];
  let rows: BriefRow[];
  if (filter.entityId) {
    // Led by the entity's tags, which carry their brief's publication time: one index range.
    let query = db
      .selectFrom('brief_entities')
      .innerJoin('briefs', 'briefs.id', 'brief_entities.brief_id')
      .selectAll('briefs')
      .where('brief_entities.entity_id', '=', filter.entityId)
      .where('brief_entities.published_at', 'is not', null)
      .where('briefs.status', 'in', statuses);
    if (filter.storyId) query = query.where('briefs.story_id', '=', filter.storyId);
    if (filter.language) query = query.where('briefs.language', '=', filter.language);
    if (cursor) {
      query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('brief_entities.published_at', 'brief_entities.brief_id'), '<', tuple(cursor.at, cursor.id)));
    }
    rows = await query.orderBy('brief_entities.published_at', 'desc').orderBy('brief_entities.brief_id', 'desc').limit(limit + 1).execute();
  } else {
    let query = db
      .selectFrom('briefs')
      .selectAll('briefs')
      .where('briefs.status', 'in', statuses)
      .where('briefs.published_at', 'is not', null);
    if (filter.storyId) query = query.where('briefs.story_id', '=', filter.storyId);
    if (filter.language) query = query.where('briefs.language', '=', filter.language);
    if (cursor) {
      // A row value rather than `at < x OR (at = x AND id < y)`: SQLite reads the OR as two index
      // ranges whose union it must sort, the row value as one range already in order.
      query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('briefs.published_at', 'briefs.id'), '<', tuple(cursor.at, cursor.id)));
    }
    rows = await query.orderBy('briefs.published_at', 'desc').orderBy('briefs.id', 'desc').limit(limit + 1).execute();
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await hydrate(db, page),
    next: rows.length > limit && last ? encodeCursor({ at: last.published_at!, id: last.id }) : null,
  };
}

/** Briefs for the desk's worklist: every status but deleted, most recently touched first. */
export async function listBriefsForDesk(db: Executor, opts: { statuses?: BriefStatus[]; limit?: number }): Promise<Brief[]> {
  let query = db.selectFrom('briefs').selectAll().where('status', '!=', 'deleted');
  if (opts.statuses?.length) query = query.where('status', 'in', opts.statuses);
  const rows = await query.orderBy('updated_at', 'desc').limit(opts.limit ?? 100).execute();
  return hydrate(db, rows);
}

export interface Revision {
  id: string;
  number: number;
  kind: string;
  reason: string | null;
  userId: string | null;
  createdAt: string;
  snapshot: Brief;
}

export async function listRevisions(db: Executor, briefId: string): Promise<Revision[]> {
  const rows = await db.selectFrom('brief_revisions').selectAll().where('brief_id', '=', briefId).orderBy('number', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    kind: r.kind,
    reason: r.reason,
    userId: r.user_id,
    createdAt: r.created_at,
    snapshot: JSON.parse(r.snapshot) as Brief,
  }));
}

/** Whether readers ever saw the brief: decides 410 Gone over 404 once it is deleted. */
export async function wasEverPublished(db: Executor, briefId: string): Promise<boolean> {
  const row = await db.selectFrom('brief_revisions').select('id').where('brief_id', '=', briefId).where('kind', '=', 'publish').executeTakeFirst();
  return row !== undefined;
}
