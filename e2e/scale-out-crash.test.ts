import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startSite, type RunningSite } from './support.js';

// Two built instances on one database (one data folder: on PostgreSQL one DATABASE_URL, on SQLite
// one file), written to from both at once; instance A is killed with SIGKILL in the middle. Every
// write either instance acknowledged must be in the database afterwards, and B must go on serving.
// Requests go to each instance directly, not through nginx, so that each answer is known to come
// from the instance it was sent to and a failure on A cannot be hidden by a retry on B.

let a: RunningSite;
let b: RunningSite;

const LOAD_MS = 4_000;
const KILL_AFTER_MS = 1_500;
const BRIEF_LOOPS_PER_INSTANCE = 4;
const COMMENT_LOOPS_PER_INSTANCE = 2;

beforeAll(async () => {
  const env = { NEWSDESK_EXPOSE_WORKER: '1', NEWSDESK_TRUST_PROXY: '127.0.0.1' };
  a = await startSite({ env });
  b = await startSite({ dataDir: a.dataDir, env });
}, 180_000);

afterAll(async () => {
  // A is normally dead by now; support's stop() waits for an exit that a crashed process has
  // already made, so A is only stopped here if the test failed before killing it. B's stop then
  // removes the data folder and the database the two share.
  if (a && a.process.exitCode === null && a.process.signalCode === null) {
    a.process.kill('SIGTERM');
    await new Promise((r) => a.process.once('exit', r));
  }
  if (b) await b.stop();
  else await a?.stop();
});

interface Answer { status: number; worker: number; body: string }

/** A JSON call to /api/v1 over `agent` (a loop keeps its connection, as a client would). */
function call(site: RunningSite, agent: http.Agent, method: string, route: string, opts: { token?: string; body?: unknown; client?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    // The instances trust 127.0.0.1, so this names the reader's address (sign-ups are limited per address).
    if (opts.client) headers['x-forwarded-for'] = opts.client;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const req = http.request(`${site.url}/api/v1${route}`, { method, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, worker: Number(res.headers['x-newsdesk-worker']), body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}

/** What a request to a killed process may meet: a refused connection, or one cut mid-request. */
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

interface Write { kind: 'brief' | 'comment'; id: string; text: string; site: 'A' | 'B'; at: number }
interface Failure { site: 'A' | 'B'; sentAt: number; at: number; what: string; isConnectionError: boolean }

describe('two instances on one database, one killed with SIGKILL under load', () => {
  it('keeps every acknowledged write, and the other instance keeps serving', async () => {
    const editor = cli(a, ['token', 'create', '--role', 'editor']).trim();
    const admin = cli(a, ['token', 'create', '--role', 'admin']).trim();
    const setup = new http.Agent();
    // This test is about writes surviving a crash, not about the comment limits: lift them, so
    // that every comment refused would be a failure worth seeing.
    const lifted = await call(b, setup, 'PATCH', '/moderation/settings', { token: admin, body: { commentsPerMinutePerAccount: 1000, commentsPerMinutePerAddress: 10000 } });
    expect(lifted.status, lifted.body).toBe(200);
    const created = await call(b, setup, 'POST', '/briefs', {
      token: editor, body: { language: 'en', headline: 'Reservoir levels after the dry summer', sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] },
    });
    expect(created.status, created.body).toBe(201);
    const briefId = (JSON.parse(created.body) as { id: string }).id;
    expect((await call(b, setup, 'POST', `/briefs/${briefId}/publish`, { token: editor })).status).toBe(200);
    const readers: string[] = [];
    for (let i = 0; i < COMMENT_LOOPS_PER_INSTANCE * 2; i++) {
      const signUp = await call(b, setup, 'POST', '/auth/signup', {
        client: `198.51.100.${40 + i}`, body: { displayName: `Reader ${i}`, email: `crash-reader-${i}@readers.test`, password: 'a long enough password' },
      });
      expect(signUp.status, signUp.body).toBe(201);
      readers.push((JSON.parse(signUp.body) as { token: string }).token);
    }
    setup.destroy();

    const acknowledged: Write[] = [];
    const failures: Failure[] = [];
    const instances = { A: a, B: b };
    let killedAt = Infinity;
    let goneAt = Infinity;
    const startedAt = Date.now();
    const endAt = startedAt + LOAD_MS;

    /** Writes one after another to one instance until the end of the load, recording each outcome. */
    async function loop(name: 'A' | 'B', kind: Write['kind'], n: number, token: string): Promise<void> {
      const agent = new http.Agent({ keepAlive: true });
      try {
        for (let i = 0; Date.now() < endAt; i++) {
          const text = `${kind === 'brief' ? 'Water rationing' : 'Our well ran dry'} in district ${name}${n} day ${i}`;
          const sentAt = Date.now();
          try {
            const answer = kind === 'brief'
              ? await call(instances[name], agent, 'POST', '/briefs', { token, body: { language: 'en', headline: text, sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] } })
              : await call(instances[name], agent, 'POST', `/briefs/${briefId}/comments`, { token, body: { body: text } });
            const { id, status } = answer.status === 201 ? JSON.parse(answer.body) as { id: string; status?: string } : { id: '', status: '' };
            // A comment that is stored but held or rejected is acknowledged too, yet readers would
            // not see it; unique plain texts are published at once, so anything else is a failure.
            if (answer.status === 201 && (kind === 'brief' || status === 'published')) {
              acknowledged.push({ kind, id, text, site: name, at: Date.now() });
            } else {
              failures.push({ site: name, sentAt, at: Date.now(), what: `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`, isConnectionError: false });
            }
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code ?? '';
            failures.push({ site: name, sentAt, at: Date.now(), what: `${code} ${(err as Error).message}`, isConnectionError: CONNECTION_ERRORS.has(code) });
            // A dead instance refuses at once; no need to spin on it.
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      } finally {
        agent.destroy();
      }
    }

    const loops: Promise<void>[] = [];
    for (const name of ['A', 'B'] as const) {
      for (let n = 0; n < BRIEF_LOOPS_PER_INSTANCE; n++) loops.push(loop(name, 'brief', n, editor));
      for (let n = 0; n < COMMENT_LOOPS_PER_INSTANCE; n++) loops.push(loop(name, 'comment', n, readers.pop()!));
    }
    const kill = (async () => {
      await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
      killedAt = Date.now();
      await a.crash();
      goneAt = Date.now();
    })();
    await Promise.all([...loops, kill]);

    expect(a.process.signalCode).toBe('SIGKILL');
    const onA = acknowledged.filter((w) => w.site === 'A');
    const onB = acknowledged.filter((w) => w.site === 'B');
    // The load was a load on both sides of the kill: A acknowledged writes before it, B after it.
    expect(onA.length, 'writes A acknowledged before the kill').toBeGreaterThan(0);
    expect(onB.filter((w) => w.at > goneAt).length, 'writes B acknowledged after A was gone').toBeGreaterThan(0);
    // Nothing is acknowledged by a dead process.
    expect(onA.filter((w) => w.at > goneAt)).toEqual([]);
    // B never failed, during the kill or after it.
    expect(failures.filter((f) => f.site === 'B')).toEqual([]);
    // A failed only because it was killed: a connection refused or cut, never an error answered,
    // and never before the kill.
    const onAFailures = failures.filter((f) => f.site === 'A');
    expect(onAFailures.filter((f) => !f.isConnectionError || f.at < killedAt)).toEqual([]);
    expect(onAFailures.length, 'requests A could not answer after the kill').toBeGreaterThan(0);

    // Every acknowledged write is there, read back through B.
    const reader = new http.Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const briefs = acknowledged.filter((w) => w.kind === 'brief');
      const missing: string[] = [];
      await Promise.all(briefs.map(async (write) => {
        const answer = await call(b, reader, 'GET', `/briefs/${write.id}`, { token: editor });
        if (answer.status !== 200 || (JSON.parse(answer.body) as { headline: string }).headline !== write.text) {
          missing.push(`brief ${write.id} acknowledged by ${write.site}: HTTP ${answer.status}`);
        }
      }));
      const stored = new Map<string, string>();
      for (let cursor: string | null = null, pages = 0; pages === 0 || cursor !== null; pages++) {
        expect(pages, 'pages of comments').toBeLessThan(100);
        const answer = await call(b, reader, 'GET', `/briefs/${briefId}/comments?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(answer.status, answer.body).toBe(200);
        const page = JSON.parse(answer.body) as { items: { id: string; body: string }[]; next: string | null };
        for (const item of page.items) stored.set(item.id, item.body);
        cursor = page.next;
      }
      for (const write of acknowledged.filter((w) => w.kind === 'comment')) {
        if (stored.get(write.id) !== write.text) missing.push(`comment ${write.id} acknowledged by ${write.site}`);
      }
      expect(missing, `of ${briefs.length} briefs and ${acknowledged.length - briefs.length} comments acknowledged`).toEqual([]);
    } finally {
      reader.destroy();
    }
    const ready = await fetch(`${b.url}/readyz`);
    expect(ready.status).toBe(200);
  }, 90_000);
});
