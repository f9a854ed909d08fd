import slugify from '@sindresorhus/slugify';
import { serializeOn, type Trx } from '../storage/database.js';

// slugify transliterates Cyrillic (uk and ru) to Latin, so every URL stays ASCII and readable.
export function slugBase(text: string): string {
  const base = slugify(text, { decamelize: false }).slice(0, 80).replace(/-+$/, '');
  return base || 'item';
}

/**
 * A slug not yet used in `table`, suffixing -2, -3… on collision. Called in the transaction that
 * inserts the row: on PostgreSQL two transactions creating the same headline at once would both
 * see the base free and the second insert would break the unique index, so they take turns on
 * the base until the first commits (SQLite's one writer already does that).
 */
export async function uniqueSlug(trx: Trx, table: 'briefs' | 'stories' | 'entities', text: string): Promise<string> {
  const base = slugBase(text);
  await serializeOn(trx, `slug:${table}:${base}`);
  const taken = new Set(
    (await trx.selectFrom(table).select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
