import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../src/test/sse.js';
import { cli, startSite, type RunningSite } from './support.js';

// deploy/nginx.conf, as docs/DEPLOY.md tells an operator to install it, in front of two built
// instances sharing one database (on PostgreSQL one DATABASE_URL; on SQLite one file, which two
// processes share as the cluster's workers do). Only the addresses are replaced: the instances'
// free ports and a port for nginx from the range this machine's tests may use.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const NGINX = '/usr/sbin/nginx';
const NGINX_PORTS = { first: 43000, last: 43999 };

let a: RunningSite;
let b: RunningSite;
let nginx: ChildProcess | undefined;
let proxyUrl: string;
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
}, 180_000);

afterAll(async () => {
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
    const token = cli(a, ['token', 'create', '--role', 'editor']).trim();
    const auth = { authorization: `Bearer ${token}` };
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
});
