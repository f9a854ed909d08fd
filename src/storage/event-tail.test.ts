import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { createBrief, publishBrief } from '../content/briefs.js';
import { testDataEnv, TEST_ENGINE } from '../test/database.js';
import { briefInput } from '../test/factories.js';
import { migrateToLatest, openDatabase, type Db } from './database.js';
import { tailEvents, type EventTail } from './event-tail.js';
import { createEventBus, inTransaction, type DomainEvent, type EventBus } from './events.js';

/** One process's view: its own connection and bus, what it committed and what the tail relayed. */
interface Side {
  db: Db;
  bus: EventBus;
  tail: EventTail;
  /** Events this side committed (its bus's own emits). */
  committed: DomainEvent[];
  /** Events handed to `emitRemote`, i.e. relayed from the other side. */
  relayed: DomainEvent[];
  /** What a remote subscriber heard; a local-only subscriber's list is `committed`. */
  heardRemote: DomainEvent[];
  errors: unknown[];
}

let dataDir: string;
/** On PostgreSQL, the schema every side of a test shares (null on SQLite: the file in dataDir). */
let databaseUrl: string | null;
let dropDatabase: () => Promise<void>;
const sides: Side[] = [];

async function openSide(opts: { batch?: number } = {}): Promise<Side> {
  const db = openDatabase({ dataDir, databaseUrl });
  await migrateToLatest(db);
  const bus = createEventBus();
  const side: Side = { db, bus, tail: undefined as unknown as EventTail, committed: [], relayed: [], heardRemote: [], errors: [] };
  const emitRemote = bus.emitRemote;
  bus.emitRemote = async (events) => {
    side.relayed.push(...events);
    await emitRemote(events);
  };
  bus.subscribe((e) => void side.committed.push(e));
  bus.subscribe((e) => void side.heardRemote.push(e), { remote: true });
  // Like the search indexer, a subscriber ahead of the tail's that reads the database before the
  // bus moves on: the tail's own read, queued first for the connection, then finishes first.
  bus.subscribe(async () => void (await db.selectFrom('briefs').select('id').limit(1).execute()));
  // A long interval: the tests drive reads with poll(), so nothing depends on timing.
  side.tail = tailEvents({ db, bus, intervalMs: 60_000, batch: opts.batch, onError: (err) => side.errors.push(err) });
  sides.push(side);
  // The tail starts from the newest event when its first query answers; a write the test makes
  // before that could land on either side of the start. Opened means started.
  await side.tail.poll();
  return side;
}

async function publishOn(side: Side, headline: string) {
  const deps = { db: side.db, bus: side.bus };
  const brief = await createBrief(deps, CLI_ACTOR, briefInput({ headline }));
  return publishBrief(deps, CLI_ACTOR, brief.id);
}

const summary = (events: DomainEvent[]) => events.map((e) => `${e.type} ${e.subjectId}`);

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-tail-'));
  const { env, drop } = await testDataEnv(dataDir);
  databaseUrl = env.DATABASE_URL ?? null;
  dropDatabase = drop;
});

afterEach(async () => {
  for (const side of sides.splice(0)) {
    await side.tail.stop();
    await side.db.destroy();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase();
});

describe('tailEvents across two processes on one database', () => {
  it("relays a brief published by one to the other's remote subscribers exactly once, in order, and not back to the publisher", async () => {
    const a = await openSide();
    const b = await openSide();
    const brief = await publishOn(a, 'Ferry service resumes on the lower river');
    expect(summary(a.committed)).toEqual([`brief.created ${brief.id}`, `brief.published ${brief.id}`]);

    await Promise.all([a.tail.poll(), b.tail.poll()]);
    await b.tail.poll();

    expect(b.relayed).toEqual(a.committed);
    expect(b.heardRemote).toEqual(a.committed);
    // Local-only subscribers (search indexing, webhooks) leave the other's work to it.
    expect(b.committed).toEqual([]);
    expect(a.relayed).toEqual([]);
    expect(a.errors.concat(b.errors)).toEqual([]);
  });

  it("keeps commit order when both write, and each hears only the other's events", async () => {
    const a = await openSide();
    const b = await openSide();
    await publishOn(a, 'First from the first process');
    await publishOn(b, 'Then one from the second');
    await publishOn(a, 'And the first again');
    await Promise.all([a.tail.poll(), b.tail.poll()]);

    expect(summary(b.relayed)).toEqual(summary(a.committed));
    expect(summary(a.relayed)).toEqual(summary(b.committed));
    expect(a.relayed).toHaveLength(2);
    expect(b.relayed).toHaveLength(4);
  });

  it('does not relay its own events when a read races its own commit', async () => {
    const a = await openSide();
    const b = await openSide();
    // A read queued behind the open transaction runs as soon as it commits, a few promise turns
    // before the bus emits the transaction's events.
    let reads: Promise<void>[] = [];
    await inTransaction({ db: a.db, bus: a.bus }, null, async (_trx, events) => {
      events.record('story.created', 'story-racing-the-tail');
      reads = [a.tail.poll(), a.tail.poll()];
    });
    await Promise.all(reads);
    await publishOn(a, 'Published while the tail reads');
    await a.tail.poll();
    await b.tail.poll();

    expect(a.relayed).toEqual([]);
    expect(b.relayed).toEqual(a.committed);
  });

  it('starts at the newest event: history from before the start is not replayed', async () => {
    const a = await openSide();
    const before = await publishOn(a, 'Published before the second process started');
    const b = await openSide();
    const after = await publishOn(a, 'Published after it started');
    await b.tail.poll();

    expect(b.relayed.map((e) => e.subjectId)).not.toContain(before.id);
    expect(summary(b.relayed)).toEqual([`brief.created ${after.id}`, `brief.published ${after.id}`]);
  });

  it('reads a backlog longer than one batch in order in one poll', async () => {
    const a = await openSide();
    const b = await openSide({ batch: 3 });
    for (let i = 0; i < 4; i++) await publishOn(a, `Backlog brief number ${i}`);
    await b.tail.poll();

    expect(b.relayed).toHaveLength(8);
    expect(b.relayed).toEqual(a.committed);
  });

  it('reports a failed read instead of throwing, and stops reading when stopped', async () => {
    const a = await openSide();
    const b = await openSide();
    await b.tail.stop();
    await publishOn(a, 'Nobody is reading now');
    await b.tail.poll();
    expect(b.relayed).toEqual([]);

    const c = await openSide();
    // Its first read done: a pool closed under a query that is still connecting never answers it.
    await c.tail.poll();
    await c.db.destroy();
    await publishOn(a, 'The reader has lost its database');
    await expect(c.tail.poll()).resolves.toBeUndefined();
    expect(c.errors.length).toBeGreaterThan(0);
    // The side is closed already; the shared clean-up must not destroy it twice.
    sides.splice(sides.indexOf(c), 1);
    await c.tail.stop();
  });
});

/** Resolves once `probe` holds, checking often; fails naming `what` after `ms`. */
async function until(what: string, ms: number, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.runIf(TEST_ENGINE === 'postgres')('tailEvents on PostgreSQL, woken by LISTEN/NOTIFY', () => {
  // Every side polls once a minute (openSide), so anything relayed within seconds was woken by a
  // notification, not by the timer.
  it('relays events committed through other connections in commit order without waiting for the tick', async () => {
    const a = await openSide();
    const c = await openSide();
    const b = await openSide();
    // The first relay proves b's LISTEN is up: only its connection or a notification starts a read.
    await publishOn(a, 'Water supply restored on the left bank');
    await until('the first brief to be relayed', 10_000, () => b.relayed.length === 2);

    // Two writers at once, on separate pools: their commits interleave in an order only the
    // database knows, which `seq` records.
    await Promise.all([
      (async () => { for (let i = 0; i < 3; i++) await publishOn(a, `Bulletin ${i} from the first writer`); })(),
      (async () => { for (let i = 0; i < 3; i++) await publishOn(c, `Bulletin ${i} from the second writer`); })(),
    ]);
    await until('both writers\' briefs to be relayed', 10_000, () => b.relayed.length === 2 + 12);

    const inCommitOrder = await b.db.selectFrom('events').select('id').orderBy(sql`seq`).execute();
    expect(b.relayed.map((e) => e.id)).toEqual(inCommitOrder.map((row) => row.id));
    expect(summary(b.relayed).sort()).toEqual(summary([...a.committed, ...c.committed]).sort());
    expect(b.committed).toEqual([]);
    expect([a, b, c].flatMap((side) => side.errors)).toEqual([]);
  });
});
