import type { Actor } from '../accounts/policy.js';
import { newId } from '../common/ids.js';
import type { Executor, Trx } from '../storage/database.js';
import type { BackgroundItemChangesTable, BackgroundItemRow } from '../storage/schema.js';
import type { BackgroundChangeKind, BackgroundEntry, BackgroundItemChange, ClaimStatus } from './types.js';

// The background ledger's history: one row per state an item has been in, written in the same
// transaction as the change itself, so the history can never disagree with the item.

function toChange(row: BackgroundItemChangesTable): BackgroundItemChange {
  return {
    id: row.id, itemId: row.item_id, storyId: row.story_id, kind: row.kind as BackgroundChangeKind, text: row.text,
    status: row.status as ClaimStatus, attributionEntityId: row.attribution_entity_id, attributionSource: row.attribution_source,
    source: row.source, actorId: row.actor_id, actorLabel: row.actor_label, changedAt: row.changed_at,
  };
}

/** The fields whose change is news to a reader; occurred_at and position are not part of a state. */
export function isSameState(a: Pick<BackgroundItemRow, 'text' | 'status' | 'attribution_entity_id' | 'attribution_source'>, b: typeof a): boolean {
  return a.text === b.text && a.status === b.status && a.attribution_entity_id === b.attribution_entity_id && a.attribution_source === b.attribution_source;
}

/**
 * How the history names whoever acted. A staff member's display name rather than the session's
 * label (their e-mail), since readers see the history; tokens and the CLI keep their own label.
 */
async function actorLabelOf(trx: Executor, actor: Actor): Promise<string> {
  if (!actor.userId) return actor.label;
  const user = await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirst();
  return user?.display_name || actor.label;
}

/** Appends the item's state as it now stands to its history. */
export async function recordItemChange(trx: Trx, opts: {
  actor: Actor;
  item: BackgroundItemRow;
  kind: Exclude<BackgroundChangeKind, 'baseline'>;
  source?: string | null;
  at: string;
}): Promise<void> {
  const { item } = opts;
  await trx.insertInto('background_item_changes').values({
    id: newId(), item_id: item.id, story_id: item.story_id, kind: opts.kind, text: item.text, status: item.status,
    attribution_entity_id: item.attribution_entity_id, attribution_source: item.attribution_source,
    source: opts.source?.trim() || null, actor_id: opts.actor.userId, actor_label: await actorLabelOf(trx, opts.actor),
    changed_at: opts.at,
  }).execute();
}

/** Every state of one item, oldest first. */
export async function itemHistory(db: Executor, itemId: string): Promise<BackgroundItemChange[]> {
  const rows = await db.selectFrom('background_item_changes').selectAll().where('item_id', '=', itemId)
    // Ids are time-ordered ULIDs: they break ties between changes within one millisecond.
    .orderBy('changed_at').orderBy('id').execute();
  return rows.map(toChange);
}

/** What became of a claim a published brief showed: its status now and since when. */
export interface LaterStatus {
  itemId: string;
  status: ClaimStatus;
  /** When the item took its current status. */
  changedAt: string;
}

/**
 * For the entries of a published brief's snapshot, the items whose status is no longer what the
 * brief said, keyed by item id. Only status counts: a reworded claim is still the same news, and
 * its history shows the new wording to anyone who follows the link. Without `publishedAt` (a
 * draft) nothing was told to readers yet, so nothing is "later".
 */
export async function laterChanges(db: Executor, entries: readonly BackgroundEntry[], publishedAt: string | null): Promise<Map<string, LaterStatus>> {
  const result = new Map<string, LaterStatus>();
  const shown = new Map(entries.flatMap((e) => (e.itemId ? [[e.itemId, e.status] as const] : [])));
  if (!publishedAt || shown.size === 0) return result;
  const ids = [...shown.keys()];
  const [items, rows] = await Promise.all([
    db.selectFrom('background_items').select(['id', 'status']).where('id', 'in', ids).execute(),
    db.selectFrom('background_item_changes').select(['item_id', 'status', 'changed_at']).where('item_id', 'in', ids)
      .orderBy('changed_at').orderBy('id').execute(),
  ]);
  // The start of the last unbroken run of the current status: an edit that only rewords keeps it.
  const since = new Map<string, { status: string; at: string }>();
  for (const row of rows) {
    const run = since.get(row.item_id);
    if (!run || run.status !== row.status) since.set(row.item_id, { status: row.status, at: row.changed_at });
  }
  for (const item of items) {
    const status = item.status as ClaimStatus;
    if (status === shown.get(item.id)) continue;
    const run = since.get(item.id);
    // Every write records its state, so a missing run means rows written around the services
    // (a hand edit of the database); publication is then the earliest the change can have been.
    const changedAt = run && run.status === status ? run.at : publishedAt;
    result.set(item.id, { itemId: item.id, status, changedAt });
  }
  return result;
}
