import pg from 'pg';
import { TEST_ENGINE, TEST_PG_URL } from './database.js';

// Once per `vitest run`, before any test and after the last: on PostgreSQL, drops the schemas
// whose process is gone (test schemas are named nd_t_<pid>_…; a schema whose process no longer
// exists on this machine belongs to nobody). Schemas of live processes, such as another run in
// progress, stay.

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops the test schemas whose process has exited (nd_t_<pid>_…). */
async function dropOrphanSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'nd\\_t\\_%'");
    for (const { name } of rows) {
      const pid = Number(/^nd_t_(\d+)_/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Before the run: what killed runs left. After it: this run's own, once its workers have exited,
 * including the emptied schemas each worker kept for reuse (src/test/database.ts), so a run leaves
 * nothing behind in the shared database.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (TEST_ENGINE !== 'postgres') return async () => {};
  await dropOrphanSchemas();
  return dropOrphanSchemas;
}
