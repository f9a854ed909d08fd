import type { FieldError } from '../common/errors.js';
import { localInputToUtc, utcToLocalInput } from '../common/zoned-time.js';
import type { BriefInput, EntityInput, StoryInput, BackgroundItemInput } from '../content/schema.js';
import type { Brief, Entity, Story, BackgroundItem } from '../content/types.js';
import { deskMessages as m } from './messages.js';

// Desk forms arrive as qs-parsed bodies (`sources[0][name]`), where any field may be missing,
// repeated or shaped oddly by a hand-made request. These functions turn them into typed form
// values (strings, exactly as typed, for re-rendering) and from there into service input. The
// services do the real validation; nothing here decides what is valid beyond parsing.

export type FormBody = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const rows = (value: unknown): FormBody[] => {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  return list.filter((row): row is FormBody => !!row && typeof row === 'object');
};
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);
const lines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const orNull = (text: string): string | null => (text.trim() ? text : null);

/** The HTML id of the input for a field path: `sources.0.name` → `f-sources-0-name`. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** The `op` a form was submitted with; `save` when absent (Enter in a text field). */
export function opOf(body: FormBody): string {
  return str(body.op) || 'save';
}

// ---------------------------------------------------------------------------------------------
// Briefs

export interface SourceValues { name: string; url: string; kind: string }
export interface QuoteValues { text: string; speaker: string; source: string }
export interface BackgroundValues { text: string; status: string; attribution: string; itemId: string }

/** A brief form as typed: strings throughout, so a failed save shows exactly what was sent. */
export interface BriefFormValues {
  language: string;
  headline: string;
  storyId: string;
  dateline: string;
  sources: SourceValues[];
  quotes: QuoteValues[];
  details: string;
  previously: string;
  /** Ids of the earlier briefs the Previously section links to. */
  previouslyLinks: string[];
  background: BackgroundValues[];
  entityIds: string[];
  revision: string;
  reason: string;
}

const emptySource = (): SourceValues => ({ name: '', url: '', kind: 'official_statement' });
const emptyQuote = (): QuoteValues => ({ text: '', speaker: '', source: '' });
const emptyBackground = (): BackgroundValues => ({ text: '', status: 'unverified', attribution: '', itemId: '' });

/**
 * A new brief's form: one empty row for the source, the quote and a background item, since a
 * sourced brief usually has all three (blank rows are dropped on save) and without JavaScript
 * each "Add" is a round trip.
 */
export function emptyBriefValues(): BriefFormValues {
  return {
    language: 'uk', headline: '', storyId: '', dateline: '', sources: [emptySource()], quotes: [emptyQuote()], details: '', previously: '', previouslyLinks: [],
    background: [emptyBackground()], entityIds: [], revision: '', reason: '',
  };
}

/** A saved brief as form values, its dateline shown in the site's zone. */
export function briefValuesFromBrief(brief: Brief, timeZone: string): BriefFormValues {
  return {
    language: brief.language,
    headline: brief.headline,
    storyId: brief.storyId ?? '',
    dateline: brief.publishedAt ? utcToLocalInput(brief.publishedAt, timeZone) : '',
    sources: brief.sources.map((s) => ({ name: s.name, url: s.url ?? '', kind: s.kind })),
    quotes: brief.quotes.map((q) => ({ text: q.text, speaker: q.speaker ?? '', source: q.sourceIndex === null ? '' : String(q.sourceIndex) })),
    details: brief.details.join('\n'),
    previously: brief.previously.join('\n'),
    previouslyLinks: [...brief.previouslyLinks],
    background: brief.background.map((b) => ({ text: b.text, status: b.status, attribution: b.attribution ?? '', itemId: b.itemId ?? '' })),
    entityIds: [...brief.entityIds],
    revision: String(brief.revision),
    reason: '',
  };
}

/** Reads a submitted brief form, tolerating missing and malformed fields. */
export function briefValuesFromBody(body: FormBody): BriefFormValues {
  return {
    language: str(body.language),
    headline: str(body.headline),
    storyId: str(body.storyId),
    dateline: str(body.dateline),
    sources: rows(body.sources).map((r) => ({ name: str(r.name), url: str(r.url), kind: str(r.kind) })),
    quotes: rows(body.quotes).map((r) => ({ text: str(r.text), speaker: str(r.speaker), source: str(r.source) })),
    details: str(body.details),
    previously: str(body.previously),
    previouslyLinks: strings(body.previouslyLinks),
    background: rows(body.background).map((r) => ({ text: str(r.text), status: str(r.status), attribution: str(r.attribution), itemId: str(r.itemId) })),
    entityIds: strings(body.entityIds),
    revision: str(body.revision),
    reason: str(body.reason),
  };
}

/** Moves quote source references after source row `removed` goes away. */
function shiftQuoteSources(quotes: QuoteValues[], removed: number): QuoteValues[] {
  return quotes.map((q) => {
    if (q.source === '') return q;
    const index = Number(q.source);
    if (index === removed) return { ...q, source: '' };
    return index > removed ? { ...q, source: String(index - 1) } : q;
  });
}

/**
 * Applies an add/remove row button (`add-source`, `remove-quote:1`, …) to the values, or
 * answers null when `op` is not one. Without JavaScript these buttons submit the form, so the
 * server redraws it with a row more or less and saves nothing.
 */
export function applyRowOp(values: BriefFormValues, op: string): BriefFormValues | null {
  const removal = /^remove-(source|quote|background):(\d+)$/.exec(op);
  if (removal) {
    const index = Number(removal[2]);
    const without = <T>(list: T[]) => list.filter((_, i) => i !== index);
    if (removal[1] === 'source') return { ...values, sources: without(values.sources), quotes: shiftQuoteSources(values.quotes, index) };
    if (removal[1] === 'quote') return { ...values, quotes: without(values.quotes) };
    return { ...values, background: without(values.background) };
  }
  switch (op) {
    case 'add-source': return { ...values, sources: [...values.sources, emptySource()] };
    case 'add-quote': return { ...values, quotes: [...values.quotes, emptyQuote()] };
    case 'add-background': return { ...values, background: [...values.background, emptyBackground()] };
    default: return null;
  }
}

/**
 * Drops rows left entirely blank (an "Add source" clicked but never filled in), so they are not
 * reported as errors. Error paths then index the remaining rows, so a failed save re-renders
 * these compacted values to keep each message beside its input.
 */
export function compactBriefValues(values: BriefFormValues): BriefFormValues {
  const newIndex = new Map<number, number>();
  const sources: SourceValues[] = [];
  values.sources.forEach((s, i) => {
    if (!s.name.trim() && !s.url.trim()) return;
    newIndex.set(i, sources.length);
    sources.push(s);
  });
  const quotes = values.quotes
    .filter((q) => q.text.trim() || q.speaker.trim())
    .map((q) => {
      if (!/^\d+$/.test(q.source)) return q;
      const index = newIndex.get(Number(q.source));
      return { ...q, source: index === undefined ? '' : String(index) };
    });
  return { ...values, sources, quotes, background: values.background.filter((b) => b.text.trim() || b.attribution.trim()) };
}

/** Form values as service input; a dateline that is not a time comes back as a field error. */
export function briefInputFromValues(values: BriefFormValues, timeZone: string): { input: BriefInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let publishedAt: string | null = null;
  if (values.dateline.trim()) {
    publishedAt = localInputToUtc(values.dateline, timeZone);
    if (!publishedAt) errors.push({ path: 'publishedAt', reason: m.errors.datelineInvalid });
  }
  const input = {
    language: values.language,
    headline: values.headline,
    storyId: values.storyId || null,
    publishedAt,
    sources: values.sources.map((s) => ({ name: s.name, url: orNull(s.url), kind: s.kind })),
    quotes: values.quotes.map((q) => ({ text: q.text, speaker: orNull(q.speaker), sourceIndex: /^\d+$/.test(q.source) ? Number(q.source) : null })),
    details: lines(values.details),
    previously: lines(values.previously),
    previouslyLinks: values.previouslyLinks,
    background: values.background.map((b) => ({ text: b.text, status: b.status, attribution: orNull(b.attribution), itemId: b.itemId || null })),
    entityIds: values.entityIds,
  };
  // Enum fields hold whatever was posted; the service's schema check names any that are wrong.
  return { input: input as BriefInput, errors };
}

// ---------------------------------------------------------------------------------------------
// Stories, background items, entities, users

export interface StoryFormValues { title: string; summary: string; language: string; status: string }

export function storyValuesFromStory(story: Story): StoryFormValues {
  return { title: story.title, summary: story.summary, language: story.language, status: story.status };
}

export function storyValuesFromBody(body: FormBody): StoryFormValues {
  return { title: str(body.title), summary: str(body.summary), language: str(body.language), status: str(body.status) };
}

export function storyInputFromValues(values: StoryFormValues): StoryInput {
  const { status, ...rest } = values;
  return (status ? { ...rest, status } : rest) as StoryInput;
}

export interface ItemFormValues { text: string; status: string; attributionSource: string; attributionEntityId: string }

export function itemValuesFromItem(item: BackgroundItem): ItemFormValues {
  return { text: item.text, status: item.status, attributionSource: item.attributionSource ?? '', attributionEntityId: item.attributionEntityId ?? '' };
}

export function itemValuesFromBody(body: FormBody): ItemFormValues {
  return { text: str(body.text), status: str(body.status), attributionSource: str(body.attributionSource), attributionEntityId: str(body.attributionEntityId) };
}

export function itemInputFromValues(values: ItemFormValues): BackgroundItemInput {
  return {
    text: values.text, status: values.status, attributionSource: orNull(values.attributionSource), attributionEntityId: values.attributionEntityId || null,
  } as BackgroundItemInput;
}

export interface EntityFormValues { kind: string; names: { en: string; uk: string; ru: string }; aliases: string }

export function entityValuesFromEntity(entity: Entity): EntityFormValues {
  return { kind: entity.kind, names: { ...entity.names }, aliases: entity.aliases.join(', ') };
}

export function entityValuesFromBody(body: FormBody): EntityFormValues {
  const names = body.names && typeof body.names === 'object' ? (body.names as FormBody) : {};
  return { kind: str(body.kind), names: { en: str(names.en), uk: str(names.uk), ru: str(names.ru) }, aliases: str(body.aliases) };
}

export function entityInputFromValues(values: EntityFormValues): EntityInput {
  const aliases = values.aliases.split(',').map((a) => a.trim()).filter(Boolean);
  return { kind: values.kind, names: values.names, aliases } as EntityInput;
}

export interface UserFormValues { email: string; displayName: string; role: string }

export function userValuesFromBody(body: FormBody): UserFormValues {
  return { email: str(body.email), displayName: str(body.displayName), role: str(body.role) };
}
