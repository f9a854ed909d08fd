import Type, { type Static } from 'typebox';
import { FieldErrors, validationError } from '../common/errors.js';
import { assertMatches } from '../common/validation.js';
import { LanguageSchema } from '../content/schema.js';
import { localInputToUtc } from '../common/zoned-time.js';
import type { Executor } from '../storage/database.js';
import { SEARCHABLE_STATUSES, type SearchFilters, type SearchIndex, type SearchResults } from './types.js';

// Search as one service call for every transport: the reader page, the API (and later the CLI)
// hand it the query parameters as given; it checks them, turns dates into instants and pages
// into offsets, and asks the index.

const id = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$', description });
const DATE_OR_INSTANT = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
// Results are ranked, so pages are offsets (a keyset needs a stable sort key; a relevance score is
// not one). Deep offsets cost a scan of every better match, and nobody reads result 1,000:
// past it a query needs narrowing, not paging.
export const MAX_OFFSET = 1000;

export const SearchQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Words to find, in any inflected form; a name of an entity also finds the briefs tagged with it, in every language' })),
    story: Type.Optional(id('Only briefs of this story (id)')),
    entity: Type.Optional(id('Only briefs tagged with this entity (id)')),
    language: Type.Optional(LanguageSchema),
    from: Type.Optional(Type.String({ pattern: DATE_OR_INSTANT, description: 'Published at or after: a date (YYYY-MM-DD, the day starting in the site\'s time zone) or an ISO 8601 instant' })),
    to: Type.Optional(Type.String({ pattern: DATE_OR_INSTANT, description: 'Published before: a date (YYYY-MM-DD, that whole day included) or an ISO 8601 instant (excluded)' })),
    status: Type.Optional(Type.Enum([...SEARCHABLE_STATUSES], { description: 'Only briefs in this status; by default all three' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The `next` value of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuerySchema>;

export interface SearchAnswer extends SearchResults {
  /** Cursor of the next page, or null on the last. */
  next: string | null;
  /** The filters as the index used them (instants in UTC). */
  filters: SearchFilters;
  /** Whether the query asked for anything: no words and no filters is the empty search form. */
  isEmpty: boolean;
}

export function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodeOffset(raw: string | undefined): number {
  if (!raw) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { offset?: unknown };
    if (Number.isInteger(parsed.offset) && (parsed.offset as number) >= 0 && (parsed.offset as number) <= MAX_OFFSET) return parsed.offset as number;
  } catch {
    // reported below
  }
  throw validationError([{ path: 'cursor', reason: 'is not a cursor this server gave out' }]);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** Start of a calendar day in the site's zone; a zone whose clocks skip midnight starts it at 01:00. */
function startOfDay(date: string, timeZone: string): string | null {
  return localInputToUtc(`${date}T00:00`, timeZone) ?? localInputToUtc(`${date}T01:00`, timeZone);
}

function instant(value: string, path: 'from' | 'to', timeZone: string, errors: FieldErrors): string | undefined {
  if (DATE_ONLY.test(value)) {
    // Date.parse accepts 2026-02-30 and rejects 2026-13-45 (an Invalid Date, whose
    // toISOString throws); a round trip through getTime catches both.
    const day = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
      errors.add(path, 'is not a real date');
      return undefined;
    }
    // "to" names the last day wanted, so the range runs to the start of the day after it.
    const at = startOfDay(path === 'to' ? nextDay(value) : value, timeZone);
    if (!at) errors.add(path, 'is not a real date');
    return at ?? undefined;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    errors.add(path, 'is not a real date and time');
    return undefined;
  }
  // Years beyond ±275,760 parse in some forms yet cannot be written back as ISO text.
  const parsed = new Date(time);
  if (Math.abs(parsed.getUTCFullYear()) > 9999) {
    errors.add(path, 'is not a real date and time');
    return undefined;
  }
  return parsed.toISOString();
}

/**
 * Runs a search from query parameters. Bad parameters are a 400 naming each field: a schema
 * failure, a date that does not exist, a range that ends before it starts, a story or entity
 * that does not exist, a forged cursor.
 */
export async function searchBriefs(deps: { db: Executor; search: SearchIndex; timeZone: string }, query: SearchQuery): Promise<SearchAnswer> {
  assertMatches(SearchQuerySchema, query);
  const errors = new FieldErrors();
  const from = query.from ? instant(query.from, 'from', deps.timeZone, errors) : undefined;
  const until = query.to ? instant(query.to, 'to', deps.timeZone, errors) : undefined;
  if (from && until && until <= from) errors.add('to', 'must be after from');
  if (query.story && !(await deps.db.selectFrom('stories').select('id').where('id', '=', query.story).executeTakeFirst())) errors.add('story', 'no story with this id');
  if (query.entity && !(await deps.db.selectFrom('entities').select('id').where('id', '=', query.entity).executeTakeFirst())) errors.add('entity', 'no entity with this id');
  let offset = 0;
  try {
    offset = decodeOffset(query.cursor);
  } catch {
    errors.add('cursor', 'is not a cursor this server gave out');
  }
  errors.throwIfAny();

  const filters: SearchFilters = {
    storyId: query.story, entityId: query.entity, language: query.language, from, until,
    statuses: query.status ? [query.status] : undefined,
  };
  const text = (query.q ?? '').trim();
  const hasFilter = Object.values(filters).some((v) => v !== undefined);
  if (!text && !hasFilter) return { briefs: [], total: 0, nextOffset: null, entities: [], next: null, filters, isEmpty: true };
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const results = await deps.search.search(text, filters, { offset, limit });
  const nextOffset = results.nextOffset !== null && results.nextOffset <= MAX_OFFSET ? results.nextOffset : null;
  return { ...results, nextOffset, next: nextOffset === null ? null : encodeOffset(nextOffset), filters, isEmpty: false };
}
