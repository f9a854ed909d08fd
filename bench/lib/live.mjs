// The flash-crowd moment: many readers hold the live stream open while the desk publishes.
// Readers are plain HTTP clients parsing `event:`/`data:` lines; each notes when the new
// brief's event reached it. The publish, and then polling the pages until they show the brief,
// measure how soon it is everywhere.
import http from 'node:http';
import { httpGet, httpRequest } from './newsdesk.mjs';

/** Opens `count` streams on `path`; resolves when every one has its first bytes. */
export async function openReaders(base, path, count) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const readers = [];
  const openOne = () => new Promise((resolve, reject) => {
    const reader = { arrivals: new Map(), closed: false, req: null };
    let opened = false;
    const req = http.get(`${base}${path}`, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`SSE ${path}: status ${res.statusCode}`)); res.resume(); return; }
      let buffer = '';
      res.setEncoding('utf8');
      res.once('data', () => { opened = true; resolve(reader); });
      res.on('data', (chunk) => {
        const now = performance.now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block);
          if (/^event: brief$/m.test(block) && data) {
            const { briefId } = JSON.parse(data[1]);
            if (!reader.arrivals.has(briefId)) reader.arrivals.set(briefId, now);
          }
        }
      });
      res.on('close', () => { reader.closed = true; });
    });
    req.on('error', (err) => { if (opened) reader.closed = true; else reject(err); });
    req.setTimeout(0);
    reader.req = req;
  });
  // In batches, so the server's accept backlog is never the thing measured.
  for (let i = 0; i < count; i += 100) {
    readers.push(...await Promise.all(Array.from({ length: Math.min(100, count - i) }, openOne)));
  }
  return { readers, close: () => { for (const r of readers) r.req.destroy(); agent.destroy(); } };
}

/** Creates a draft in `storyId` (English, one source) whose headline carries `marker`. */
export async function createDraft(base, token, storyId, marker) {
  const res = await httpRequest('POST', `${base}/api/v1/briefs`, {
    headers: { authorization: `Bearer ${token}` },
    body: {
      language: 'en',
      headline: `Bench ${marker}: water level at the dam falls again`,
      ...(storyId ? { storyId } : {}),
      sources: [{ name: 'Bench wire service', kind: 'news_agency' }],
      details: ['Engineers said the level had fallen by ten centimetres since the morning.'],
    },
  });
  if (res.status !== 201) throw new Error(`create brief: ${res.status} ${res.body.toString().slice(0, 500)}`);
  return JSON.parse(res.body.toString());
}

export async function publish(base, token, briefId) {
  const sent = performance.now();
  const res = await httpRequest('POST', `${base}/api/v1/briefs/${briefId}/publish`, { headers: { authorization: `Bearer ${token}` } });
  const answered = performance.now();
  if (res.status !== 200) throw new Error(`publish: ${res.status} ${res.body.toString().slice(0, 500)}`);
  return { sent, answered, brief: JSON.parse(res.body.toString()) };
}

/** Polls `url` until its body contains `marker`; answers ms from `since`, or null after `timeoutMs`. */
export async function pollUntilVisible(url, marker, since, timeoutMs = 10_000) {
  while (performance.now() - since < timeoutMs) {
    const res = await httpGet(url);
    if (res.status === 200 && res.body.includes(marker)) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
