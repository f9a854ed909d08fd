import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { startWebhookWorker, type WebhookWorker } from '../distribution/webhook-worker.js';
import { createWebhook } from '../distribution/webhooks.js';
import { migrateToLatest, openDatabase, openPostgres, postgresUrlOf, type Db } from '../storage/database.js';
import { createEventBus, type EventBus } from '../storage/events.js';
import { openTestDatabase, TEST_ENGINE } from '../test/database.js';
import { makePublishedBrief } from '../test/factories.js';
import { waitFor } from '../test/wait.js';
import { startWebhookReceiver } from '../test/webhook-receiver.js';

// Webhooks are sent exactly once although several instances run the worker (PostgreSQL), and
// none is lost or repeated when a worker stops or dies mid-way. The receiver counts by brief, so
// each brief's `brief.published` event is one delivery. SQLite runs one worker at a time by
// design (the cluster's first process): there, the second worker takes over from the first.

const isShared = TEST_ENGINE === 'postgres';
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'webhook-worker-process.ts');

/** An endpoint that answers 200 after `delayMs`, or holds every request unanswered while `isHolding`. */
async function startReceiver(delayMs = 0) {
  const received: string[] = [];
  const acknowledged: string[] = [];
  const held: http.ServerResponse[] = [];
  const state = { isHolding: false };
  const receiver = await startWebhookReceiver((hit, res) => {
    const briefId = (JSON.parse(hit.body) as { data: { brief: { id: string } } }).data.brief.id;
    received.push(briefId);
    if (state.isHolding) {
      held.push(res);
      return;
    }
    setTimeout(() => {
      acknowledged.push(briefId);
      res.writeHead(200).end('ok');
    }, delayMs);
  });
  return { url: receiver.url, received, acknowledged, held, state, close: receiver.close };
}

/** Deliveries go through a queue and, on SQLite after a crash, a lapsed claim: slower than one request. */
const WAIT_MS = 20_000;

const countBy = (ids: string[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A migrated database, a second handle on it (PostgreSQL) and what a child process needs to open it. */
async function sharedDatabase(): Promise<{ db: Db; bus: EventBus; second: Db; env: Record<string, string> }> {
  const bus = createEventBus();
  if (isShared) {
    const test = await openTestDatabase();
    const second = openPostgres(postgresUrlOf(test.db));
    cleanups.push(() => test.close(), () => second.destroy());
    return { db: test.db, bus, second, env: { DATABASE_URL: test.databaseUrl! } };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-jobs-'));
  const db = openDatabase({ dataDir });
  await migrateToLatest(db);
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }), () => db.destroy());
  return { db, bus, second: db, env: { NEWSDESK_TEST_DATA_DIR: dataDir } };
}

function startWorker(db: Db, bus: EventBus, opts: { stopGraceMs?: number } = {}): WebhookWorker {
  const worker = startWebhookWorker({ db, bus, origin: 'http://newsdesk.test', backoffMs: 20, pollMs: 20, stopGraceMs: opts.stopGraceMs, onError: (err) => {
    throw err;
  } });
  cleanups.push(() => worker.stop());
  return worker;
}

/** A worker in a process of its own (src/test/webhook-worker-process.ts), killed at clean-up. */
function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<unknown> } {
  const child: ChildProcess = spawn(path.resolve('node_modules/.bin/vite-node'), [fixture], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  return { child, output: () => output, exited };
}

/** Registers the endpoint and waits until a worker has placed the cursor, so later events count. */
async function subscribe(db: Db, bus: EventBus, url: string): Promise<string> {
  const { webhook } = await createWebhook({ db, bus }, CLI_ACTOR, { url, events: ['brief.published'] });
  await waitFor(async () => (await db.selectFrom('webhook_cursor').select('last_event_id').executeTakeFirst()) ?? null, 'the cursor', WAIT_MS);
  return webhook.id;
}

async function publish(db: Db, bus: EventBus, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await makePublishedBrief({ db, bus })).id);
  return ids;
}

async function expectEachDeliveredOnce(db: Db, webhookId: string, briefIds: string[], acknowledged: string[]) {
  const rows = await waitFor(async () => {
    const list = await db.selectFrom('webhook_deliveries').select(['status', 'attempts']).where('webhook_id', '=', webhookId).execute();
    return list.length === briefIds.length && list.every((r) => r.status === 'delivered') ? list : null;
  }, 'every delivery marked delivered', WAIT_MS);
  // A duplicate would arrive after the row says delivered; give one a chance to show up.
  await new Promise((r) => setTimeout(r, 300));
  expect(countBy(acknowledged)).toEqual(new Map(briefIds.map((id) => [id, 1])));
  // The log shows one attempt each: a second sender would have counted a second.
  expect(rows.map((r) => r.attempts)).toEqual(briefIds.map(() => 1));
}

describe('webhook jobs across workers', () => {
  it('delivers each of 30 events exactly once with two workers on one database', async () => {
    // On SQLite one runner per machine is the design, but two (a restart overlapping the old
    // process) must still not send a delivery twice; the second is its own process there, since
    // two connections in one process would wait on each other's locks synchronously.
    const { db, bus, second, env } = await sharedDatabase();
    const receiver = await startReceiver(10);
    cleanups.push(() => receiver.close());
    startWorker(db, bus);
    if (isShared) startWorker(second, createEventBus());
    else {
      const { output } = startWorkerProcess(env);
      await waitFor(() => output().includes('ready'), `the second worker's process (output: ${output()})`, 40_000);
    }
    const webhookId = await subscribe(db, bus, receiver.url);

    const briefIds = await publish(db, bus, 30);

    await expectEachDeliveredOnce(db, webhookId, briefIds, receiver.acknowledged);
    expect(receiver.received).toHaveLength(30);
  }, 60_000);

  it('loses and repeats nothing when one worker stops mid-way and the other carries on', async () => {
    const { db, bus, second } = await sharedDatabase();
    const receiver = await startReceiver(30);
    cleanups.push(() => receiver.close());
    const first = startWorker(db, bus, { stopGraceMs: 5_000 });
    const webhookId = await subscribe(db, bus, receiver.url);
    const briefIds = await publish(db, bus, 30);
    await waitFor(() => receiver.received.length >= 5, 'the first deliveries', WAIT_MS);

    // Stopping lets the attempts in flight finish, so none is sent again by the other worker.
    await first.stop();
    const sentByFirst = receiver.acknowledged.length;
    expect(sentByFirst).toBeLessThan(30);
    startWorker(second, isShared ? createEventBus() : bus);

    await expectEachDeliveredOnce(db, webhookId, briefIds, receiver.acknowledged);
    expect(receiver.received).toHaveLength(30);
  }, 60_000);

  it('hands the deliveries of a worker killed mid-send to another, each acknowledged once', async () => {
    const { db, bus, second, env } = await sharedDatabase();
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    receiver.state.isHolding = true;
    const { child, output, exited } = startWorkerProcess(env);
    const webhookId = await subscribe(db, bus, receiver.url);
    const briefIds = await publish(db, bus, 12);
    // The child has sent some and waits for answers that never come.
    await waitFor(() => receiver.held.length >= 3, `the child's first requests (output: ${output()})`, 40_000);

    child.kill('SIGKILL');
    await exited;
    const heldIds = [...new Set(receiver.received)];
    for (const res of receiver.held.splice(0)) res.destroy();
    // The killed attempts were never committed: the log shows none of them.
    const logged = await db.selectFrom('webhook_deliveries').select(['status', 'attempts']).where('webhook_id', '=', webhookId).execute();
    expect(logged.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
    receiver.state.isHolding = false;
    startWorker(second, isShared ? createEventBus() : bus);

    await expectEachDeliveredOnce(db, webhookId, briefIds, receiver.acknowledged);
    // What the child sent reached the endpoint but was never acknowledged, so it came again, once.
    const received = countBy(receiver.received);
    for (const id of briefIds) expect(received.get(id)).toBe(heldIds.includes(id) ? 2 : 1);
  }, 90_000);
});
