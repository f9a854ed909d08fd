import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, startSite, type RunningSite } from './support.js';

// SIGTERM is how an orchestrator or `systemctl stop` asks an instance to leave: the built server
// must let a request it already started finish, end event streams so readers reconnect
// elsewhere, and exit 0, without taking new connections meanwhile.

const sites: RunningSite[] = [];
afterAll(async () => {
  // Newest first: a restart shares the first site's data, which the first one's stop removes.
  for (const site of sites.reverse()) await site.stop();
});

interface OpenStream {
  /** Everything the server sent on the stream so far. */
  text: () => string;
  /** Resolves with how the stream finished: `end` when the server ended it cleanly. */
  finished: Promise<'end' | 'error'>;
}

/** An event stream on its own connection, resolved once its first bytes arrived. */
function openStream(url: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      const finished = new Promise<'end' | 'error'>((done) => {
        res.on('end', () => done('end'));
        res.on('error', () => done('error'));
        res.on('aborted', () => done('error'));
      });
      res.once('data', () => resolve({ text: () => text, finished }));
      res.on('data', (chunk: string) => (text += chunk));
    });
    req.on('error', reject);
  });
}

/**
 * A POST whose body arrives in two halves, so the request is in flight between them: answers
 * `sendRest` (which writes the second half) and the response it will get.
 */
function slowPost(url: string, headers: Record<string, string>, body: string) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = http.request(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(bytes.length) } });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
  });
  // Awaited by the test; when the test fails first, its rejection is expected and not reported.
  response.catch(() => {});
  req.write(bytes.subarray(0, half));
  return { sendRest: () => req.end(bytes.subarray(half)), response };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, isDone: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!isDone()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

describe('graceful shutdown', () => {
  it('finishes a request in flight, ends event streams and exits 0 on SIGTERM', async () => {
    // At info level the server logs each request as it starts, before its body is read.
    const site = await startSite({ env: { LOG_LEVEL: 'info' } });
    sites.push(site);
    const token = cli(site, ['token', 'create', '--role', 'editor']).trim();
    const stream = await openStream(`${site.url}/live/briefs?lang=en`);
    const headline = `Bridge reopens after the night's inspection ${Date.now()}`;
    const post = slowPost(`${site.url}/api/v1/briefs`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({
      language: 'en', headline, sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }],
    }));
    // Once the server has read the headers, the request is its business to finish.
    await until('the server to have begun the POST', () => site.output().includes('"method":"POST","url":"/api/v1/briefs"'));
    const exited = new Promise<number | null>((resolve) => site.process.once('exit', (code) => resolve(code)));
    site.process.kill('SIGTERM');

    // The stream is ended by the server, cleanly, with a hint to come back soon (elsewhere).
    expect(await Promise.race([stream.finished, pause(5_000).then(() => 'still open')])).toBe('end');
    expect(stream.text()).toMatch(/retry: \d+\n\n$/);
    // No new connections meanwhile: a load balancer sends them to another instance.
    await expect(fetch(`${site.url}/healthz`)).rejects.toThrow();

    post.sendRest();
    const created = await post.response;
    expect(created.status, created.body).toBe(201);
    const { id } = JSON.parse(created.body) as { id: string };
    expect(await Promise.race([exited, pause(15_000).then(() => 'still running')])).toBe(0);

    // What the client was told was created is there after a restart on the same data.
    const again = await startSite({ dataDir: site.dataDir });
    sites.push(again);
    const res = await fetch(`${again.url}/api/v1/briefs/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { headline: string }).headline).toBe(headline);
  }, 180_000);
});
