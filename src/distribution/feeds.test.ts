import { execFile } from 'node:child_process';
import Parser from 'rss-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { correctBrief, createBrief, retractBrief } from '../content/briefs.js';
import { findBrief } from '../content/brief-repository.js';
import type { Brief } from '../content/types.js';
import { briefInput, buildTestApp, makeBareBrief, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { briefPath } from '../web/paths.js';
import { briefContentHtml, briefFeedId, briefUpdatedAt, buildFeed, FEED_SIZE } from './feeds.js';

const config = { publicUrl: 'https://news.example', timeZone: 'Europe/Kyiv', siteName: 'Newsdesk & Co' };
let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

/** xmllint's verdict, which unlike the feed parsers also refuses undeclared namespace prefixes. */
function xmllintErrors(xml: string): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile('xmllint', ['--noout', '-'], (_err, _stdout, stderr) => resolve(stderr));
    child.stdin!.end(xml);
  });
}

const sectionIds = (html: string) => [...html.matchAll(/<section id="([a-z]+)"/g)].map((m) => m[1]);

describe('buildFeed', () => {
  it('writes well-formed, namespace-correct XML even from headlines XML cannot hold', async () => {
    await makePublishedBrief(t.deps, { headline: 'Bell \u0007 rings ]]> <b>twice</b> & more' });
    for (const format of ['rss', 'atom'] as const) {
      const { body } = await buildFeed(t.db, config, { kind: 'site' }, format);
      expect(await xmllintErrors(body), format).toBe('');
      expect(body).not.toContain('\u0007');
    }
    const items = (await new Parser().parseString((await buildFeed(t.db, config, { kind: 'site' }, 'rss')).body)).items;
    expect(items[0]!.title).toBe('Bell \ufffd rings ]]> <b>twice</b> & more');
  });

  it('carries at most FEED_SIZE briefs, newest first', async () => {
    const made: Brief[] = [];
    for (let i = 0; i <= FEED_SIZE; i++) {
      made.push(await makeBareBrief(t.deps, { headline: `Brief number ${i}`, publishedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() }));
    }
    const json = JSON.parse((await buildFeed(t.db, config, { kind: 'language', language: 'en' }, 'json')).body) as { items: { title: string }[] };
    expect(json.items.map((item) => item.title)).toEqual(made.slice(1).reverse().map((b) => b.headline));
  });

  it('gives an empty scope a stable body and no Last-Modified', async () => {
    const story = await makeStory(t.deps);
    const first = await buildFeed(t.db, config, { kind: 'story', story, language: 'uk' }, 'atom');
    const second = await buildFeed(t.db, config, { kind: 'story', story, language: 'uk' }, 'atom');
    expect(first.body).toBe(second.body);
    expect(first.lastModified).toBeNull();
    expect((await new Parser().parseString(first.body)).items).toEqual([]);
  });
});

describe('briefUpdatedAt', () => {
  it('is the dateline until a correction or a retraction tells readers something new', async () => {
    const brief = await makePublishedBrief(t.deps, { publishedAt: '2026-11-01T10:00:00.000Z' });
    expect(briefUpdatedAt(brief)).toBe('2026-11-01T10:00:00.000Z');
    const corrected = await correctBrief(t.deps, CLI_ACTOR, brief.id, { details: ['Fixed.'] }, 'A typo.');
    expect(briefUpdatedAt(corrected)).toBe(corrected.updatedAt);
    expect(Date.parse(corrected.updatedAt)).toBeGreaterThanOrEqual(Date.parse(corrected.correctedAt!));
    const retracted = await retractBrief(t.deps, CLI_ACTOR, brief.id, 'Withdrawn.');
    expect(briefUpdatedAt(retracted)).toBe(retracted.updatedAt);
    expect(Date.parse(retracted.updatedAt)).toBeGreaterThanOrEqual(Date.parse(retracted.retractedAt!));
    // Whatever the stamps say, an update never goes before the dateline (an archive brief dated ahead).
    expect(briefUpdatedAt({ ...corrected, publishedAt: '2030-01-01T00:00:00.000Z' })).toBe('2030-01-01T00:00:00.000Z');
  });

  it('keeps the item id through a correction, in every format', async () => {
    const brief = await makePublishedBrief(t.deps);
    const id = briefFeedId(brief, config.publicUrl);
    expect(id).toMatch(/^tag:news\.example,\d{4}-\d{2}-\d{2}:brief:[0-9a-z]+$/);
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'A new headline' }, 'Clearer.');
    for (const format of ['rss', 'atom', 'json'] as const) {
      expect((await buildFeed(t.db, config, { kind: 'site' }, format)).body).toContain(id);
    }
  });
});

describe('briefContentHtml', () => {
  it('renders the sections in the page order, the retraction notice first, and escapes every text', async () => {
    const story = await makeStory(t.deps);
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'Never published' }));
    const earlier = await makePublishedBrief(t.deps, { headline: 'The earlier brief' });
    const brief = await makePublishedBrief(t.deps, {
      storyId: story.id,
      headline: '<script>alert(1)</script>',
      details: ['See [the statement](https://example.org/s) and <img src=x onerror=alert(1)>', '[bad](javascript:alert(1))'],
      previouslyLinks: [earlier.id, draft.id],
    });
    await retractBrief(t.deps, CLI_ACTOR, brief.id, 'The source withdrew it.');
    const stored = (await findBrief(t.db, brief.id))!;
    const html = briefContentHtml(stored, { story, entities: [], previously: [earlier, draft] }, config);
    expect(sectionIds(html)).toEqual(['dateline', 'headline', 'sources', 'quotes', 'details', 'previously', 'background']);
    expect(html.indexOf('The source withdrew it.')).toBeLessThan(html.indexOf('id="dateline"'));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<a href="https://example.org/s" rel="nofollow noopener">the statement</a>');
    // Links are absolute, and only to briefs readers can open.
    expect(html).toContain(`href="${config.publicUrl}${briefPath(earlier)}"`);
    expect(html).not.toContain('Never published');
    expect(html).toContain(`<time datetime="${stored.publishedAt}"`);
  });
});
