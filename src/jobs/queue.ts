import PgBoss from 'pg-boss';
import { sql } from 'kysely';
import { postgresUrlOf, type Db } from '../storage/database.js';

// Background work shared by several instances on one PostgreSQL database goes through pg-boss.
// Why pg-boss 10 rather than graphile-worker: both are maintained and both take a schema option,
// but a graphile-worker job whose instance dies stays locked for four hours (0.16 has no shorter
// lease), while pg-boss expires an active job after the job's own `expireInSeconds`; pg-boss 10
// runs on Node 20 (11+ and graphile-worker 0.18 need Node 22); its `short` queue policy keeps at
// most one waiting job per key in a unique index, so feeding a queue twice is harmless; and it
// adds one small dependency instead of graphile-worker's config stack. SQLite has one job runner
// per machine and needs no queue.
//
// The queue's tables live in the connection's current schema (the first of its search_path), the
// schema the app's own tables are in: a test's schema holds its queue too and is dropped with it.

export type JobQueue = PgBoss;

export interface QueueDefinition {
  name: string;
  /** `short`: at most one job waits per singleton key; sending another is a no-op. */
  policy: 'standard' | 'short';
  /** After this an active job counts as abandoned (its instance died) and is failed by the maintenance. */
  expireInSeconds: number;
}

/** Connects to the queue tables next to the app's, creating or upgrading them and the given queues. */
export async function startJobQueue(opts: { db: Db; queues: QueueDefinition[]; onError: (err: unknown) => void }): Promise<JobQueue> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(opts.db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('startJobQueue: the connection has no current schema');
  const boss = new PgBoss({
    connectionString: postgresUrlOf(opts.db),
    schema,
    // Its own few connections, so fetching jobs never waits behind the web server's queries.
    max: 3,
    application_name: 'newsdesk-jobs',
    // Cron schedules are not used; the maintenance (expiring abandoned jobs, pruning) is.
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: 30,
  });
  boss.on('error', opts.onError);
  try {
    await boss.start();
    for (const queue of opts.queues) {
      // create_queue is a no-op for a queue another instance made first; two instances creating
      // it at the same moment can deadlock on its partition's DDL, and PostgreSQL aborts one of
      // them, which then finds the queue made.
      await retryOnDeadlock(() => boss.createQueue(queue.name, { name: queue.name, policy: queue.policy, expireInSeconds: queue.expireInSeconds, retryLimit: 0 }));
    }
  } catch (err) {
    // A half-started queue would keep its pool and timers; the caller tries again from scratch.
    await boss.stop({ graceful: false }).catch(() => {});
    throw err;
  }
  return boss;
}

async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt === attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
    }
  }
}

/** Disconnects without waiting for jobs: callers run their own handlers and settle them first. */
export async function stopJobQueue(queue: JobQueue): Promise<void> {
  await queue.stop({ graceful: false, wait: true });
}
