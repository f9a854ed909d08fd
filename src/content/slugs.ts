import slugify from '@sindresorhus/slugify';
import type { Executor } from '../storage/database.js';

// slugify transliterates Cyrillic (uk and ru) to Latin, so every URL stays ASCII and readable.
export function slugBase(text: string): string {
  const base = slugify(text, { decamelize: false }).slice(0, 80).replace(/-+$/, '');
  return base || 'item';
}

/** A slug not yet used in `table`, suffixing -2, -3… on collision. */
export async function uniqueSlug(db: Executor, table: 'briefs' | 'stories' | 'entities', text: string): Promise<string> {
  const base = slugBase(text);
  const taken = new Set(
    (await db.selectFrom(table).select('slug').where('slug', 'like', `${base}%`).execute()).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
