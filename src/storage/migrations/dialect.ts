import { PostgresAdapter, type Kysely } from 'kysely';

// Migrations must not import domain or storage code that changes; this one question about the
// engine is all a migration with a dialect-specific branch needs (Kysely's adapter answers it,
// also inside the migrator's transaction).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
