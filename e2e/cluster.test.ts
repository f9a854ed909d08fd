import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { testDataEnv } from '../src/test/database.js';
import { readSse, type SseReader } from '../src/test/sse.js';
import { freePort } from './support.js';

// `newsdesk serve` with NEWSDESK_WORKERS=2, built (npm run build) and started as an operator
// would. NEWSDESK_EXPOSE_WORKER=1 makes each answer name the worker process that gave it, and a
// fresh connection per request lets the primary's round-robin spread them over both workers.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin', 'newsdesk.js');
const dataDirs: string[] = [];
/** Each data folder's database environment (on PostgreSQL, a schema of its own); see dataEnv. */
const databases = new Map<string, Awaited<ReturnType<typeof testDataEnv>>>();
const servers: ChildProcess[] = [];
const streams: http.IncomingMessage[] = [];

afterAll(async () => {
  for (const stream of streams) stream.destroy();
  for (const server of servers) {
    if (server.exitCode !== null || server.signalCode !== null) continue;
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  for (const database of databases.values()) await database.drop();
});

const newDataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-cluster-'));
  dataDirs.push(dir);
  return dir;
};

/** NEWSDESK_DATA, and on PostgreSQL the DATABASE_URL of the schema that stands for the folder. */
async function dataEnv(dataDir: string): Promise<Record<string, string>> {
  if (!databases.has(dataDir)) databases.set(dataDir, await testDataEnv(dataDir));
  return databases.get(dataDir)!.env;
}

interface Answer { status: number; worker: number; body: string }

/** One request on its own connection (no keep-alive), so the cluster may give it to any worker. */
function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, worker: Number(res.headers['x-newsdesk-worker']), body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** An event stream on its own connection, with the worker that holds it. */
function openStream(url: string): Promise<{ worker: number; events: SseReader }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      streams.push(res);
      resolve({ worker: Number(res.headers['x-newsdesk-worker']), events: readSse(Readable.toWeb(res) as unknown as NonNullable<Response['body']>, url) });
    });
    req.on('error', reject);
  });
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `promise`, or a failure naming what did not happen within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Served { child: ChildProcess; url: string; dataDir: string; out(): string; err(): string }

/** `newsdesk serve` on a free port and a new data folder; resolves once it printed the desk address. */
async function serve(env: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const dataDir = newDataDir();
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...(await dataEnv(dataDir)), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  await until('the server to print the desk address', 60_000, async () => {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}`);
    return out.includes('/desk/login') ? true : undefined;
  });
  return { child, url: `http://127.0.0.1:${port}`, dataDir, out: () => out, err: () => err };
}

/** Runs a `newsdesk` command in its own process against a data folder; answers its stdout. */
function cli(dataDir: string, args: string[]): string {
  const database = databases.get(dataDir);
  if (!database) throw new Error(`no server was started on ${dataDir}`);
  const result = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...database.env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`newsdesk ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describe('newsdesk serve with NEWSDESK_WORKERS', () => {
  it('refuses a worker count that is not a number or auto, naming the variable', async () => {
    const result = spawnSync(process.execPath, [bin, 'serve'], { env: { ...process.env, ...(await dataEnv(newDataDir())), NEWSDESK_WORKERS: 'two' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('NEWSDESK_WORKERS');
  });

  it('serves from two workers that all see new briefs (from either worker or a shell command) in pages and event streams, and replaces a killed worker', async () => {
    const site = await serve({ NEWSDESK_WORKERS: '2', NEWSDESK_EXPOSE_WORKER: '1', LOG_LEVEL: 'debug' });
    const { url, child: primary, out, err } = site;
    const dataDir = site.dataDir;
    // The same lines as a single server prints: the seeded newsroom's one-time login among them.
    expect(out()).toContain(`Newsdesk is running at ${url}/`);
    expect(out()).toMatch(/Log in as \S+ with the one-time password: \S+/);

    const answered = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const health = await request(`${url}/healthz`);
      expect(health.status).toBe(200);
      answered.add(health.worker);
    }
    const workers = [...answered];
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(primary.pid);

    // Readers hold streams on both workers before anything is published.
    const open = await Promise.all(Array.from({ length: 6 }, () => openStream(`${url}/live/briefs?lang=en`)));
    expect(new Set(open.map((s) => s.worker))).toEqual(new Set(workers));

    const auth = { authorization: `Bearer ${cli(dataDir, ['token', 'create', '--role', 'editor']).trim()}` };

    // Publish through each worker in turn, so each one's writes must reach the other.
    const published: { id: string; headline: string; worker: number }[] = [];
    for (let i = 0; published.length < 2 || new Set(published.map((p) => p.worker)).size < 2; i++) {
      expect(i, 'both workers should have published one').toBeLessThan(10);
      const headline = `Ferry crossing reopens at pier ${i} after the flood`;
      const created = await request(`${url}/api/v1/briefs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ language: 'en', headline, sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] }),
      });
      expect(created.status, created.body).toBe(201);
      const id = (JSON.parse(created.body) as { id: string }).id;
      const publish = await request(`${url}/api/v1/briefs/${id}/publish`, { method: 'POST', headers: auth });
      expect(publish.status, publish.body).toBe(200);
      published.push({ id, headline, worker: publish.worker });
      // Round-robin alternates connections, so a create and a publish per brief would always
      // land the same way round; one more request shifts the next publish to the other worker.
      await request(`${url}/healthz`);
    }

    // Every stream, whichever worker holds it, hears of every brief, in the order published.
    for (const stream of open) {
      for (const brief of published) {
        const event = await within(stream.events.next('brief'), 10_000, `brief ${brief.id} on a stream held by worker ${stream.worker}`);
        expect(event).toMatchObject({ briefId: brief.id, kind: 'published' });
      }
    }

    // A command run from a shell is one more process on the database: its brief reaches every
    // worker's readers too (a single server runs the same tail).
    const fixture = path.join(root, 'src', 'content', 'fixtures', 'full-brief.en.txt');
    const [imported] = cli(dataDir, ['import', fixture, '--publish']).split('\t');
    for (const stream of open) {
      const event = await within(stream.events.next('brief'), 10_000, `the imported brief on a stream held by worker ${stream.worker}`);
      expect(event).toMatchObject({ briefId: imported, kind: 'published' });
    }

    // The home page of every worker shows the newest headline (the bench measures how fast).
    const last = published[published.length - 1]!;
    const showing = new Set<number>();
    await until('both workers to show the new headline on /en/', 10_000, async () => {
      const home = await request(`${url}/en/`);
      expect(home.status).toBe(200);
      if (home.body.includes(last.headline)) showing.add(home.worker);
      return showing.size === 2 ? true : undefined;
    });

    // The CDN is purged once per published brief, by the one worker that purges, whichever published.
    const purgesOf = (id: string) => out().split('\n').filter((line) => line.includes('"msg":"cache purge"') && line.includes('"event":"brief.published"') && line.includes(id));
    await until('the purges to be logged', 10_000, async () => (published.every((b) => purgesOf(b.id).length > 0) ? true : undefined));
    for (const brief of published) expect(purgesOf(brief.id), `purges for the brief published by worker ${brief.worker}`).toHaveLength(1);

    // A worker dies: the other keeps answering, and the primary starts a replacement.
    const [victim, survivor] = workers as [number, number];
    process.kill(victim, 'SIGKILL');
    await until('the killed worker to be gone', 10_000, async () => (isAlive(victim) ? undefined : true));
    for (let i = 0; i < 4; i++) {
      const home = await request(`${url}/en/`);
      expect(home.status).toBe(200);
      expect(home.worker).not.toBe(victim);
    }
    const replacement = await until('a replacement worker to answer', 30_000, async () => {
      const health = await request(`${url}/healthz`);
      return health.status === 200 && health.worker !== survivor && health.worker !== victim ? health.worker : undefined;
    });
    expect(err()).toContain(`Worker ${victim} stopped (SIGKILL)`);
    expect((await request(`${url}/en/`)).status).toBe(200);

    // SIGTERM to the primary stops every worker and exits cleanly.
    for (const stream of streams) stream.destroy();
    primary.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => primary.once('exit', (exitCode) => r(exitCode)));
    expect(code).toBe(0);
    expect([survivor, replacement].filter(isAlive)).toEqual([]);
  }, 120_000);
});
