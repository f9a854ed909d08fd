import { listBackground } from '../content/stories.js';
import type { BackgroundItem } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import type { BackgroundValues, BriefFormValues, FormBody } from './forms.js';

// The brief editor shows a story brief's background as ticks against the story's ledger rather
// than as text to retype: items are edited once, on the story's page, and each brief picks.

/** Present when the form carried the list of ticks, so "nothing ticked" is told from "no list". */
export const PICKER_FIELD = 'backgroundPicker';
export const PICKED_FIELD = 'backgroundItemIds';

function pickedIds(body: FormBody): string[] {
  const value = body[PICKED_FIELD];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * The form's background after the ticks: rows of ticked items the brief already showed stay as
 * they were (a published brief keeps its wording until it is corrected), newly ticked items come
 * in as the ledger has them now, unticked ones go, all in the ledger's order; rows typed for new
 * items follow and become story items when saved.
 */
export function applyPicks(values: BriefFormValues, picked: readonly string[], storyItems: readonly BackgroundItem[]): BriefFormValues {
  const ticked = new Set(picked);
  const existing = new Map(values.background.filter((row) => row.itemId).map((row) => [row.itemId, row]));
  const fromLedger = storyItems.filter((item) => ticked.has(item.id)).map((item): BackgroundValues => existing.get(item.id) ?? {
    itemId: item.id, text: item.text, status: item.status, attribution: item.attributionSource ?? '',
  });
  return { ...values, background: [...fromLedger, ...values.background.filter((row) => !row.itemId)] };
}

/** Applies the posted ticks to the posted values; a form without the list is left alone. */
export async function withPickedBackground(db: Executor, values: BriefFormValues, body: FormBody): Promise<BriefFormValues> {
  if (body[PICKER_FIELD] === undefined) return values;
  const storyItems = values.storyId ? await listBackground(db, values.storyId) : [];
  return applyPicks(values, pickedIds(body), storyItems);
}
