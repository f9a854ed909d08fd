import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Parser from 'rss-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { correctBrief } from '../content/briefs.js';
import { buildTestApp, makeEntity, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { briefPath, feedPath } from '../web/paths.js';
import { startWebhookWorker, type WebhookWorker } from './webhook-worker.js';
import { createWebhook } from './webhooks.js';

// Acceptance, issue 5: "A correction reaches every surface: after `correct`, the feed item, sitemap
// `lastmod`, JSON-LD `dateModified`, ninjs `versionCreated` and a webhook all show it."

let t: TestContext;
let worker: WebhookWorker | undefined;
let receiver: { url: string; bodies: { event: string; body: string }[]; close(): Promise<void> } | undefined;

beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => {
  await worker?.stop();
  await receiver?.close();
  worker = undefined;
  receiver = undefined;
  await t.close();
});

async function startReceiver(): Promise<NonNullable<typeof receiver>> {
  const bodies: { event: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      bodies.push({ event: String(req.headers['newsdesk-event']), body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const get = (url: string) => t.app.inject({ method: 'GET', url });
const ms = (time: string | undefined | null) => (time ? Date.parse(time) : NaN);
/** RSS dates (RFC 822) carry whole seconds only. */
const seconds = (time: string | undefined | null) => Math.floor(ms(time) / 1000);

/** Every JSON-LD object on a page, graphs flattened. */
function jsonLdOf(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].flatMap((m) => {
    const data = JSON.parse(m[1]!) as Record<string, unknown> | Record<string, unknown>[];
    const list = Array.isArray(data) ? data : [data];
    return list.flatMap((d) => (Array.isArray(d['@graph']) ? (d['@graph'] as Record<string, unknown>[]) : [d]));
  });
}

/** The `<lastmod>` of one URL in a sitemap, read from its own `<url>` element. */
function lastmodOf(xml: string, loc: string): string | undefined {
  for (const [, entry] of xml.matchAll(/<url>(.*?)<\/url>/gs)) {
    if (entry!.includes(`<loc>${loc}</loc>`)) return /<lastmod>([^<]+)<\/lastmod>/.exec(entry!)?.[1];
  }
  return undefined;
}

describe('a correction reaches every surface', () => {
  it('feeds, the sitemap, JSON-LD, ninjs and a webhook all carry the correction time', async () => {
    receiver = await startReceiver();
    await createWebhook(t.deps, CLI_ACTOR, { url: receiver.url, events: ['brief.corrected'] });
    worker = startWebhookWorker({ db: t.db, bus: t.bus, origin: 'http://newsdesk.test', backoffMs: 20, pollMs: 20 });

    const story = await makeStory(t.deps);
    const entity = await makeEntity(t.deps);
    const published = await makePublishedBrief(t.deps, { headline: 'Water reaches the lower town', storyId: story.id, entityIds: [entity.id] });
    // A second apart, so even the whole-second dates of RSS tell the correction from the publication.
    await new Promise((r) => setTimeout(r, 1100));
    const corrected = await correctBrief(t.deps, CLI_ACTOR, published.id, { headline: 'Water reaches the upper town' }, 'The town was misnamed.');
    const correctedAt = corrected.correctedAt!;
    expect(corrected.status).toBe('corrected');
    expect(seconds(correctedAt)).toBeGreaterThan(seconds(published.publishedAt));
    const url = `http://newsdesk.test${briefPath(corrected)}`;

    // Feeds: JSON Feed `date_modified`, Atom `updated`, RSS `atom:updated`, in the site's and the language's feeds.
    for (const scope of [{ kind: 'site' } as const, { kind: 'language', language: 'en' } as const]) {
      const json = JSON.parse((await get(feedPath(scope, 'json'))).body) as { items: { url: string; title: string; date_modified?: string }[] };
      const item = json.items.find((i) => i.url === url);
      expect(item?.title, feedPath(scope, 'json')).toBe('Water reaches the upper town');
      expect(ms(item?.date_modified), feedPath(scope, 'json')).toBe(ms(correctedAt));

      const parser = new Parser<Record<string, unknown>, { updated?: string; 'atom:updated'?: string }>({ customFields: { item: ['updated', 'atom:updated'] } });
      const atom = await parser.parseString((await get(feedPath(scope, 'atom'))).body);
      const entry = atom.items.find((i) => i.link === url);
      expect(ms(entry?.updated), feedPath(scope, 'atom')).toBe(ms(correctedAt));
      const rss = await parser.parseString((await get(feedPath(scope, 'rss'))).body);
      const rssItem = rss.items.find((i) => i.link === url);
      expect(seconds(rssItem?.['atom:updated']), feedPath(scope, 'rss')).toBe(seconds(correctedAt));
    }

    // Sitemap: the index names the briefs' sitemap, whose entry for the brief has moved its lastmod.
    const index = (await get('/sitemap.xml')).body;
    const sitemapUrls = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!).filter((loc) => loc.includes('/sitemaps/briefs-'));
    expect(sitemapUrls.length).toBeGreaterThan(0);
    const lastmods = [];
    for (const sitemapUrl of sitemapUrls) {
      const lastmod = lastmodOf((await get(new URL(sitemapUrl).pathname)).body, url);
      if (lastmod) lastmods.push(lastmod);
    }
    expect(lastmods.map(ms)).toEqual([ms(correctedAt)]);

    // JSON-LD on the brief's page.
    const article = jsonLdOf((await get(briefPath(corrected))).body).find((d) => d['@type'] === 'NewsArticle');
    expect(article?.headline).toBe('Water reaches the upper town');
    expect(ms(article?.dateModified as string | undefined)).toBe(ms(correctedAt));

    // ninjs 3.1.
    const ninjs = JSON.parse((await get(`/api/v1/briefs/${corrected.id}?format=ninjs`)).body) as { versionCreated?: string };
    expect(ms(ninjs.versionCreated)).toBe(ms(correctedAt));

    // The webhook: one brief.corrected delivery, carrying the corrected brief and its time.
    const delivery = await waitFor(() => receiver!.bodies.find((b) => b.event === 'brief.corrected'), 'the brief.corrected delivery');
    const body = JSON.parse(delivery.body) as { event: string; occurredAt: string; data: { brief: { id: string; headline: string; correctedAt: string } } };
    expect(body.event).toBe('brief.corrected');
    expect(body.data.brief).toMatchObject({ id: corrected.id, headline: 'Water reaches the upper town' });
    expect(ms(body.data.brief.correctedAt)).toBe(ms(correctedAt));
    expect(Math.abs(ms(body.occurredAt) - ms(correctedAt))).toBeLessThan(1000);
  });
});
