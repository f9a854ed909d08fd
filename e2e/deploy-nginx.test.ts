import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, type SseReader } from '../src/test/sse.js';
import { startWebhookReceiver } from '../src/test/webhook-receiver.js';
import { cli, startSite, type RunningSite } from './support.js';

// deploy/nginx.conf, as docs/DEPLOY.md tells an operator to install it, in front of two built
// instances sharing one database (on PostgreSQL one DATABASE_URL; on SQLite one file, which two
// processes share as the cluster's workers do). Only the addresses are replaced: the instances'
// free ports and a port for nginx from the range this machine's tests may use.
// Then what the instances must share to act as one site: live events, rate-limit counters and
// the webhook queue.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const NGINX = '/usr/sbin/nginx';
const NGINX_PORTS = { first: 43000, last: 43999 };

let a: RunningSite;
let b: RunningSite;
let nginx: ChildProcess | undefined;
let proxyUrl: string;
let editor: string;
let admin: string;
/** Event streams the tests opened, closed before the instances stop. */
const streams: http.IncomingMessage[] = [];
const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-nginx-'));

/** A port in the given range that nobody listens on now. */
async function freePortIn(range: { first: number; last: number }): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = range.first + Math.floor(Math.random() * (range.last - range.first + 1));
    const isFree = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (isFree) return port;
  }
  throw new Error(`no free port in ${range.first}-${range.last}`);
}

/** The repository's config with `from` replaced by `to`, each exactly once (else the file changed under the test). */
function render(config: string, replacements: [from: string, to: string][]): string {
  let out = config;
  for (const [from, to] of replacements) {
    expect(out.split(from).length - 1, `deploy/nginx.conf should contain "${from}" once`).toBe(1);
    out = out.replace(from, to);
  }
  return out;
}

/** Starts nginx in the foreground with everything it writes kept under `prefix`. */
async function startNginx(site: string, port: number): Promise<string> {
  fs.writeFileSync(path.join(prefix, 'newsdesk.conf'), site);
  const main = [
    'worker_processes 1;',
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${path.join(prefix, kind)};`),
    `  include ${path.join(prefix, 'newsdesk.conf')};`,
    '}',
  ].join('\n');
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), main);
  const errorLog = path.join(prefix, 'error.log');
  let stderr = '';
  nginx = spawn(NGINX, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', errorLog, '-g', `daemon off; pid ${path.join(prefix, 'nginx.pid')};`], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with ${nginx.exitCode}: ${stderr}${fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : ''}`);
    if (await fetch(`${url}/healthz`).then((res) => res.ok, () => false)) return url;
    if (Date.now() > deadline) throw new Error(`nginx did not answer: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One request on a fresh connection: the answer and the instance (process id) that gave it. */
async function through(url: string): Promise<{ status: number; worker: number; body: string }> {
  const res = await fetch(url, { headers: { connection: 'close' } });
  return { status: res.status, worker: Number(res.headers.get('x-newsdesk-worker')), body: await res.text() };
}

interface ApiAnswer { status: number; worker: number; headers: Headers; body: string; json<T>(): T }

/**
 * One /api/v1 call on a fresh connection to `base` (an instance, or nginx). `client` is sent as
 * X-Forwarded-For: the instances trust 127.0.0.1, where this test connects from, to name the reader.
 */
async function api(base: string, method: string, route: string, opts: { token?: string; body?: unknown; client?: string } = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = { connection: 'close' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.client) headers['x-forwarded-for'] = opts.client;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}/api/v1${route}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const body = await res.text();
  return { status: res.status, worker: Number(res.headers.get('x-newsdesk-worker')), headers: res.headers, body, json: <T>() => JSON.parse(body) as T };
}

/** Creates and publishes an English brief through one instance; answers its id and slug. */
async function publishBrief(site: RunningSite, headline: string): Promise<{ id: string; slug: string }> {
  const created = await api(site.url, 'POST', '/briefs', {
    token: editor, body: { language: 'en', headline, sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] },
  });
  expect(created.status, created.body).toBe(201);
  const { id } = created.json<{ id: string }>();
  const published = await api(site.url, 'POST', `/briefs/${id}/publish`, { token: editor });
  expect(published.status, published.body).toBe(200);
  expect(published.worker).toBe(site.process.pid);
  return { id, slug: published.json<{ slug: string }>().slug };
}

/** An event stream held by exactly the server at `url`'s origin, with the process that holds it. */
function openStream(url: string): Promise<{ status: number; worker: number; events: SseReader }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      streams.push(res);
      resolve({ status: res.statusCode!, worker: Number(res.headers['x-newsdesk-worker']), events: readSse(Readable.toWeb(res) as unknown as NonNullable<Response['body']>, url) });
    }).on('error', reject);
  });
}

/** `promise`, or a failure naming what did not happen within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Which of `pids` holds the client end of a loopback TCP connection from port `from` to port `to`:
 * the kernel's socket table (/proc/net/tcp*) names the socket's inode, and a process's
 * /proc/PID/fd links name the inodes it holds. This is how the test knows which instance sent a webhook.
 */
function ownerOfConnection(from: number, to: number, pids: number[]): number | null {
  const portOf = (address: string) => Number.parseInt(address.split(':')[1]!, 16);
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && portOf(fields[1]!) === from && portOf(fields[2]!) === to) inodes.add(fields[9]!);
    }
  }
  for (const pid of pids) {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      let target = '';
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue; // closed since the directory was read
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return pid;
    }
  }
  return null;
}

beforeAll(async () => {
  const env = { NEWSDESK_EXPOSE_WORKER: '1', NEWSDESK_TRUST_PROXY: '127.0.0.1' };
  a = await startSite({ env });
  // The same data folder: the same database (its URL is kept there on PostgreSQL) and the same
  // cookie secret, which every instance of one site must share.
  b = await startSite({ dataDir: a.dataDir, env });
  const port = await freePortIn(NGINX_PORTS);
  const config = fs.readFileSync(path.join(root, 'deploy', 'nginx.conf'), 'utf8');
  proxyUrl = await startNginx(render(config, [
    ['127.0.0.1:3001', new URL(a.url).host],
    ['127.0.0.1:3002', new URL(b.url).host],
    ['listen 80;', `listen 127.0.0.1:${port};`],
  ]), port);
  editor = cli(a, ['token', 'create', '--role', 'editor']).trim();
  admin = cli(a, ['token', 'create', '--role', 'admin']).trim();
}, 180_000);

afterAll(async () => {
  for (const stream of streams) stream.destroy();
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGTERM');
    await new Promise((r) => nginx!.once('exit', r));
  }
  // B first and without cleaning up: A's stop removes the data folder and database they share.
  if (b && b.process.exitCode === null) {
    b.process.kill('SIGTERM');
    await new Promise((r) => b.process.once('exit', r));
  }
  await a?.stop();
  await b?.stop();
  fs.rmSync(prefix, { recursive: true, force: true });
});

describe('two instances behind nginx with deploy/nginx.conf', () => {
  it('sends requests to both instances', async () => {
    const workers = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const answer = await through(`${proxyUrl}/readyz`);
      expect(answer.status, answer.body).toBe(200);
      workers.add(answer.worker);
    }
    expect(workers).toEqual(new Set([a.process.pid, b.process.pid]));
  });

  it('shows a brief published through A on B\'s home page within a second, and streams it through nginx', async () => {
    const auth = { authorization: `Bearer ${editor}` };
    const headline = `Night trains resume on the northern line ${Date.now()}`;
    // B has rendered (and cached) its home page before the brief exists: it must learn of it.
    expect((await through(`${b.url}/en/`)).body).not.toContain(headline);
    const stream = await new Promise<ReturnType<typeof readSse>>((resolve, reject) => {
      http.get(`${proxyUrl}/live/briefs?lang=en`, { agent: false }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        resolve(readSse(Readable.toWeb(res) as unknown as NonNullable<Response['body']>, 'the stream through nginx'));
      }).on('error', reject);
    });

    const created = await fetch(`${a.url}/api/v1/briefs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'en', headline, sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const published = await fetch(`${a.url}/api/v1/briefs/${id}/publish`, { method: 'POST', headers: auth });
    expect(published.status).toBe(200);
    const publishedAt = Date.now();

    let shownAfter: number | null = null;
    while (Date.now() - publishedAt < 1_000) {
      if ((await through(`${b.url}/en/`)).body.includes(headline)) {
        shownAfter = Date.now() - publishedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(shownAfter, 'B should show the brief published through A within 1 s').not.toBeNull();

    // Whichever instance holds the reader's stream, the event passes nginx as it happens.
    const event = await Promise.race([
      stream.next('brief'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no brief event through nginx within 5 s')), 5_000)),
    ]);
    expect(event).toMatchObject({ briefId: id, kind: 'published' });
  }, 60_000);

  it('tells a reader whose comment stream B holds of a comment posted through A', async () => {
    const { id: briefId, slug } = await publishBrief(a, `Harbour cranes return to work ${Date.now()}`);
    const signUp = await api(a.url, 'POST', '/auth/signup', {
      client: '198.51.100.11', body: { displayName: 'Olena from the port', email: `olena-${Date.now()}@readers.test`, password: 'a long enough password' },
    });
    expect(signUp.status, signUp.body).toBe(201);
    const reader = signUp.json<{ token: string }>().token;

    // Opened on B itself, not through nginx, so the stream is certainly B's.
    const stream = await openStream(`${b.url}/news/${encodeURIComponent(slug)}/comments/live`);
    expect(stream.status).toBe(200);
    expect(stream.worker).toBe(b.process.pid);

    const body = `The night shift saw the first crane move at four ${Date.now()}`;
    const posted = await api(a.url, 'POST', `/briefs/${briefId}/comments`, { token: reader, body: { body } });
    expect(posted.status, posted.body).toBe(201);
    expect(posted.worker).toBe(a.process.pid);
    const comment = posted.json<{ id: string; status: string }>();
    // Post-moderation (the default) publishes a plain comment at once; a held one would never be streamed.
    expect(comment.status).toBe('published');

    const event = await within(stream.events.next('comment'), 5_000, 'comment event on B\'s stream');
    expect(event).toEqual({ type: 'added', commentId: comment.id, parentId: null });
    // The page's script then fetches the comment from the instance that told it: B has it.
    const fragment = await through(`${b.url}/news/${encodeURIComponent(slug)}/comments/${comment.id}/fragment`);
    expect(fragment.status).toBe(200);
    expect(fragment.worker).toBe(b.process.pid);
    expect(fragment.body).toContain(body);
  }, 30_000);

  it('holds a login limit that a client reached on A on B and through nginx, for that client only', async () => {
    const attempt = (base: string, client: string) =>
      api(base, 'POST', '/auth/login', { client, body: { email: 'nobody@newsroom.test', password: 'not the password' } });
    const guesser = '198.51.100.23';
    const onA: number[] = [];
    while (onA.at(-1) !== 429 && onA.length < 30) onA.push((await attempt(a.url, guesser)).status);
    expect(onA.at(-1), `A's answers: ${onA.join(' ')}`).toBe(429);
    // Wrong passwords until the limit, then the limit: it was this client's attempts that counted.
    expect(onA.length).toBeGreaterThan(1);
    expect(new Set(onA.slice(0, -1))).toEqual(new Set([401]));

    const onB = await attempt(b.url, guesser);
    expect(onB.worker).toBe(b.process.pid);
    expect(onB.status, `B let the client that A limited try again: ${onB.body}`).toBe(429);
    expect(onB.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

    // Through nginx, which appends its own address: the instances still see the same client,
    // whichever of them answers.
    const answeredBy = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const proxied = await attempt(proxyUrl, guesser);
      expect(proxied.status).toBe(429);
      answeredBy.add(proxied.worker);
    }
    expect(answeredBy).toEqual(new Set([a.process.pid, b.process.pid]));

    // Another reader's address is not limited: the count is per client, not per instance.
    expect((await attempt(b.url, '198.51.100.24')).status).toBe(401);
  }, 30_000);

  // Both instances run the webhook worker. On PostgreSQL the job queue (pg-boss) and row locks
  // make each attempt happen once; on SQLite, where one runner per machine is the design, each
  // delivery is claimed in the shared file before it is sent, so a second `serve` on the same
  // file (a restart overlapping the old process) does not send it again.
  it('delivers each webhook once although both instances run the webhook worker', async () => {
    const pids = [a.process.pid!, b.process.pid!];
    /** The instance that sent each delivery, by the Newsdesk-Delivery header. */
    const senders = new Map<string, number | null>();
    const receiver = await startWebhookReceiver((hit, res) => {
      senders.set(String(hit.headers['newsdesk-delivery']), ownerOfConnection(res.socket!.remotePort!, res.socket!.localPort!, pids));
      res.writeHead(200).end();
    });
    try {
      const hook = await api(a.url, 'POST', '/webhooks', { token: admin, body: { url: receiver.url, events: ['brief.published'] } });
      expect(hook.status, hook.body).toBe(201);
      const hookId = hook.json<{ id: string }>().id;
      const briefIdOf = (body: string) => (JSON.parse(body) as { data: { brief: { id: string } } }).data.brief.id;

      // Publish through A and B in turn until each instance has sent at least one delivery,
      // which shows that both run the worker: the queue hands a job to whichever asks first.
      const published: string[] = [];
      for (let round = 0; round < 10 && new Set(senders.values()).size < 2; round++) {
        for (const site of [a, b]) published.push((await publishBrief(site, `Tram line ${round} reopens after repairs ${site === a ? 'A' : 'B'} ${Date.now()}`)).id);
        await until(`deliveries of the briefs of round ${round}`, 15_000, async () => {
          const delivered = new Set(receiver.hits.map((hit) => briefIdOf(hit.body)));
          return published.every((id) => delivered.has(id)) ? true : undefined;
        });
      }
      expect(new Set(senders.values()), 'the instances that sent deliveries').toEqual(new Set(pids));

      const listDeliveries = async () => {
        const listed = await api(b.url, 'GET', `/webhooks/${hookId}/deliveries`, { token: admin });
        expect(listed.status, listed.body).toBe(200);
        return listed.json<{ items: { id: string; status: string; attempts: number; event: string }[] }>().items;
      };
      await until('every delivery to be recorded as delivered', 15_000, async () => {
        const items = await listDeliveries();
        return items.length >= published.length && items.every((d) => d.status === 'delivered') ? true : undefined;
      });
      // A second attempt would come within the workers' next polls (250 ms): give it several.
      await new Promise((r) => setTimeout(r, 1_500));
      const deliveries = await listDeliveries();

      const hitsPerBrief = new Map<string, number>();
      for (const hit of receiver.hits) hitsPerBrief.set(briefIdOf(hit.body), (hitsPerBrief.get(briefIdOf(hit.body)) ?? 0) + 1);
      expect(Object.fromEntries(hitsPerBrief)).toEqual(Object.fromEntries(published.map((id) => [id, 1])));
      expect(receiver.hits).toHaveLength(published.length);
      expect(deliveries).toHaveLength(published.length);
      for (const delivery of deliveries) expect(delivery).toMatchObject({ event: 'brief.published', status: 'delivered', attempts: 1 });
      expect(new Set(deliveries.map((d) => d.id))).toEqual(new Set(receiver.hits.map((hit) => String(hit.headers['newsdesk-delivery']))));
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
