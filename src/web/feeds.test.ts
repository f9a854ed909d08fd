import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { parseJsonFeed } from 'feedsmith';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { correctBrief, createBrief, deleteBrief, publishBrief, retractBrief } from '../content/briefs.js';
import { findBrief } from '../content/brief-repository.js';
import { renderInlineMarkdown } from '../content/markdown.js';
import type { Brief, Entity, Story } from '../content/types.js';
import { briefInput, buildTestApp, makeEntity, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { vnuErrors } from '../test/vnu.js';
import { messagesFor } from './messages.js';
import { briefPath, entityPath, FEED_FORMATS, feedPath, homePath, storyPath, type FeedFormat, type FeedPathScope } from './paths.js';

// Every feed is read back by two parsers written by different people (RSS and Atom: rss-parser on
// xml2js and feed-extractor on fast-xml-parser; JSON Feed, which rss-parser cannot read:
// feed-extractor and feedsmith) and what each reads is compared with the briefs as the
// database holds them: a feed one reader gets right and another misreads is a broken feed.

const ORIGIN = 'http://newsdesk.test';
let t: TestContext;
let story: Story;
let entity: Entity;
let briefs: { corrected: Brief; uk: Brief; retracted: Brief; plain: Brief };
let draftHeadline: string;
let deletedHeadline: string;
const names = { editor: 'Test editor', admin: 'Test admin' };

beforeAll(async () => {
  t = await buildTestApp();
  const editor = await makeUser(t.db, 'editor');
  const admin = await makeUser(t.db, 'admin');
  story = await makeStory(t.deps, 'Dam breach & the lower town');
  entity = await makeEntity(t.deps, 'Olena Kovalenko');
  const publish = async (actor: typeof editor.actor, overrides: Parameters<typeof briefInput>[0]) => {
    const draft = await createBrief(t.deps, actor, briefInput(overrides));
    return publishBrief(t.deps, actor, draft.id);
  };
  // Headlines carry what XML and HTML treat specially, so every escaping layer is exercised.
  const corrected = await publish(editor.actor, {
    headline: 'Officials confirm “A & B” <now> ]]> at the dam', storyId: story.id, entityIds: [entity.id], publishedAt: '2026-11-20T08:00:00.123Z',
  });
  await correctBrief(t.deps, admin.actor, corrected.id, { details: ['Rescuers moved **300 people** overnight.', 'The bridge is closed.'] }, 'The number was wrong.');
  const uk = await publish(editor.actor, {
    language: 'uk', headline: 'Рятувальники евакуювали село', storyId: story.id, publishedAt: '2026-11-21T09:30:00.456Z',
    background: [{ text: 'Греблю збудували 1961 року.', status: 'claimed' }],
  });
  const retracted = await publish(editor.actor, { headline: 'Kovalenko resigns, says a source', entityIds: [entity.id], publishedAt: '2026-11-22T10:00:00.789Z' });
  await retractBrief(t.deps, admin.actor, retracted.id, 'The source withdrew the claim.');
  const plain = await publish(admin.actor, { language: 'ru', headline: 'Мост закрыт', publishedAt: '2026-11-19T07:00:00.000Z', previously: [], previouslyLinks: [] });
  draftHeadline = 'A secret draft about the dam';
  await createBrief(t.deps, editor.actor, briefInput({ headline: draftHeadline, storyId: story.id, entityIds: [entity.id] }));
  deletedHeadline = 'A brief deleted after publication';
  const deleted = await publish(editor.actor, { headline: deletedHeadline, storyId: story.id, entityIds: [entity.id] });
  await deleteBrief(t.deps, admin.actor, deleted.id);
  const fresh = async (id: string) => (await findBrief(t.db, id))!;
  briefs = { corrected: await fresh(corrected.id), uk: await fresh(uk.id), retracted: await fresh(retracted.id), plain: await fresh(plain.id) };
});
afterAll(async () => { await t.close(); });

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

/** What a feed reader needs to know about one item, however the format spells it. */
interface ReadItem {
  title: string;
  link: string;
  id: string;
  published: string;
  updated: string;
  content: string;
  categories: string[];
  authors: string[];
}

const iso = (value: unknown) => new Date(String(value)).toISOString();
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
/** Atom titles are type="html"; rss-parser hands over the markup as written. */
const decodeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const rssParser = new Parser<Record<string, unknown>, Record<string, unknown>>({
  customFields: {
    item: [
      ['dc:creator', 'creators', { keepArray: true }], 'atom:updated', 'updated', 'published',
      ['author', 'atomAuthors', { keepArray: true }], ['category', 'atomCategories', { keepArray: true }],
    ],
  },
});

async function readWithRssParser(body: string, format: 'rss' | 'atom'): Promise<ReadItem[]> {
  const feed = await rssParser.parseString(body);
  return feed.items.map((item) => {
    const raw = item as Record<string, unknown>;
    if (format === 'rss') {
      // pubDate is RFC 822, whole seconds; the exact instant travels in dc:date.
      expect(iso(raw.pubDate)).toBe(new Date(Math.floor(Date.parse(iso(raw['dc:date'])) / 1000) * 1000).toISOString());
      return {
        title: String(raw.title), link: String(raw.link), id: String(raw.guid), published: iso(raw['dc:date']), updated: iso(raw['atom:updated']),
        content: String(raw['content:encoded']), categories: list(raw.categories as string[]).map(String), authors: list(raw.creators as string[]).map(String),
      };
    }
    return {
      title: decodeHtml(String(raw.title)), link: String(raw.link), id: String(raw.id), published: iso(raw.published), updated: iso(raw.updated),
      content: String(raw.content),
      categories: list(raw.atomCategories as { $: { term: string } }[]).map((c) => c.$.term),
      authors: list(raw.atomAuthors as { name: string[] }[]).map((a) => a.name[0]!),
    };
  });
}

/** JSON Feed through feedsmith, which keeps the format's own field names. */
function readWithFeedsmith(body: string): ReadItem[] {
  const feed = parseJsonFeed(body) as { items?: Record<string, unknown>[] };
  return (feed.items ?? []).map((item) => ({
    title: String(item.title), link: String(item.url), id: String(item.id), published: iso(item.date_published), updated: iso(item.date_modified),
    content: String(item.content_html), categories: list(item.tags as string[]).map(String),
    authors: list(item.authors as { name: string }[]).map((a) => String(a.name)),
  }));
}

function readWithFeedExtractor(body: string, format: FeedFormat): ReadItem[] {
  const options = { descriptionMaxLen: 0, getExtraEntryFields: (raw: Record<string, unknown>) => ({ raw }) };
  const feed = format === 'json' ? extractFromJson(body, options) : extractFromXml(body, options);
  return (feed.entries ?? []).map((entry) => {
    const raw = entry.raw as Record<string, unknown>;
    const text = (value: unknown) => String(typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['#text'] : value);
    if (format === 'json') {
      return {
        title: String(entry.title), link: String(entry.link), id: entry.id, published: iso(entry.published), updated: iso(raw.date_modified),
        content: String(raw.content_html), categories: list(raw.tags as string[]), authors: list(raw.authors as { name: string }[]).map((a) => a.name),
      };
    }
    if (format === 'rss') {
      return {
        title: String(entry.title), link: String(entry.link), id: entry.id, published: iso(raw['dc:date']), updated: iso(raw['atom:updated']),
        content: String(raw['content:encoded']), categories: list(raw.category as unknown[]).map(text), authors: list(raw['dc:creator'] as unknown[]).map(text),
      };
    }
    return {
      title: String(entry.title), link: String(entry.link), id: entry.id, published: iso(raw.published), updated: iso(raw.updated),
      content: text(raw.content),
      categories: list(raw.category as Record<string, string>[]).map((c) => c['@_term']!),
      authors: list(raw.author as { name: string }[]).map((a) => String(a.name)),
    };
  });
}

/**
 * The instant readers last learnt something about the brief, worked out here from its own fields:
 * its dateline until it is corrected or retracted, then the row's last write, which is that
 * correction or retraction (stamped a moment after correctedAt or retractedAt, never before).
 */
function expectedUpdated(brief: Brief): string {
  if (brief.status === 'published') return brief.publishedAt!;
  const marked = brief.status === 'corrected' ? brief.correctedAt! : brief.retractedAt!;
  expect(Date.parse(brief.updatedAt) - Date.parse(marked)).toBeGreaterThanOrEqual(0);
  expect(Date.parse(brief.updatedAt) - Date.parse(marked)).toBeLessThan(1000);
  return brief.updatedAt;
}

/** Each section's heading and its text, in the brief's order, as the item's HTML must show them once decoded. */
function sectionFragments(brief: Brief): string[] {
  const m = messagesFor(brief.language);
  const fragments = [`<h1>${brief.headline}</h1>`];
  if (brief.sources.length) fragments.push(`<h2>${m.source}</h2>`, ...brief.sources.map((s) => s.name));
  if (brief.quotes.length) fragments.push(`<h2>${m.quote}</h2>`, ...brief.quotes.map((q) => q.text));
  if (brief.details.length) fragments.push(`<h2>${m.details}</h2>`, ...brief.details.map((d) => decodeHtml(renderInlineMarkdown(d))));
  if (brief.previously.length) fragments.push(`<h2>${m.previously}</h2>`, ...brief.previously);
  if (brief.background.length) fragments.push(`<h2>${m.background}</h2>`, ...brief.background.flatMap((b) => [m.claimStatus[b.status], b.text]));
  return fragments;
}

function expectSectionsInOrder(html: string, brief: Brief, label: string): void {
  // Decoded, so the check does not depend on which characters the renderer chose to escape.
  const content = decodeHtml(html);
  // Markup in a headline is text: it must arrive escaped, never as tags.
  if (/[<&]/.test(brief.headline)) expect(html, label).not.toContain(brief.headline);
  let from = 0;
  for (const fragment of sectionFragments(brief)) {
    const at = content.indexOf(fragment, from);
    expect(at, `${label}: "${fragment}" after position ${from}`).toBeGreaterThanOrEqual(from);
    from = at + fragment.length;
  }
  const m = messagesFor(brief.language);
  if (brief.correctedAt) expect(content, label).toContain(`${m.updated}`);
  if (brief.correctedAt) expect(content, label).toContain(brief.correctionReason!);
  if (brief.status === 'retracted') {
    expect(content, label).toContain(m.retracted);
    expect(content.indexOf(brief.retractionReason!), label).toBeLessThan(content.indexOf(brief.headline));
  }
}

function expectMatchesDatabase(read: ReadItem[], expected: Brief[], label: string): void {
  expect(read.map((item) => item.title), label).toEqual(expected.map((b) => b.headline));
  expected.forEach((brief, index) => {
    const item = read[index]!;
    const itemLabel = `${label} ${brief.headline}`;
    expect(item.link, itemLabel).toBe(ORIGIN + briefPath(brief));
    expect(item.id, itemLabel).toContain(brief.id);
    expect(item.published, itemLabel).toBe(brief.publishedAt);
    expect(item.updated, itemLabel).toBe(expectedUpdated(brief));
    expect(item.categories, itemLabel).toEqual([
      ...(brief.storyId === story.id ? [story.title] : []),
      ...(brief.entityIds.includes(entity.id) ? [entity.names[brief.language]] : []),
    ]);
    expectSectionsInOrder(item.content, brief, itemLabel);
  });
  const authorsOf = (brief: Brief) => brief.authorIds.length;
  expect(read.map((item) => item.authors.length), label).toEqual(expected.map(authorsOf));
}

const byNewest = (items: Brief[]) => [...items].sort((a, b) => b.publishedAt!.localeCompare(a.publishedAt!));

function scopes(): { scope: FeedPathScope; page: string; expected: Brief[] }[] {
  const all = byNewest(Object.values(briefs));
  return [
    { scope: { kind: 'site' }, page: '/', expected: all },
    { scope: { kind: 'language', language: 'en' }, page: homePath('en'), expected: all.filter((b) => b.language === 'en') },
    { scope: { kind: 'language', language: 'uk' }, page: homePath('uk'), expected: all.filter((b) => b.language === 'uk') },
    { scope: { kind: 'story', story, language: 'uk' }, page: storyPath(story, 'uk'), expected: all.filter((b) => b.storyId === story.id) },
    { scope: { kind: 'entity', entity, language: 'ru' }, page: entityPath(entity, 'ru'), expected: all.filter((b) => b.entityIds.includes(entity.id)) },
  ];
}

const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8', atom: 'application/atom+xml; charset=utf-8', json: 'application/feed+json; charset=utf-8',
};

describe('feeds read back by two parsers', () => {
  it('has the briefs chosen for the test in each scope, drafts and deleted briefs left out', () => {
    const counts = scopes().map((s) => s.expected.length);
    // Guards the test itself: a scope without briefs would compare nothing.
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(briefs.corrected.authorIds).toHaveLength(2);
  });

  for (const format of FEED_FORMATS) {
    it(`serves every scope as ${format}, and both parsers read the database's briefs`, async () => {
      for (const { scope, expected } of scopes()) {
        const url = feedPath(scope, format);
        const res = await get(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toBe(CONTENT_TYPES[format]);
        expect(res.body, url).not.toContain(draftHeadline);
        expect(res.body, url).not.toContain(deletedHeadline);
        const fromExtractor = readWithFeedExtractor(res.body, format);
        expectMatchesDatabase(fromExtractor, expected, `${url} feed-extractor`);
        if (format === 'json') {
          expectMatchesDatabase(readWithFeedsmith(res.body), expected, `${url} feedsmith`);
          // And the JSON Feed 1.1 fields neither parser reports.
          const document = JSON.parse(res.body) as Record<string, unknown> & { items: Record<string, unknown>[] };
          expect(document.version).toBe('https://jsonfeed.org/version/1.1');
          expect(typeof document.title).toBe('string');
          expect(document.feed_url).toBe(ORIGIN + url);
          expect(document.language).toBe(scope.kind === 'language' ? scope.language : undefined);
          expected.forEach((brief, index) => {
            const item = document.items[index]!;
            expect(typeof item.id).toBe('string');
            expect(item.url).toBe(ORIGIN + briefPath(brief));
            expect(item.language).toBe(brief.language);
            expect(item.authors).toEqual(expect.arrayContaining([{ name: expect.stringMatching(/^Test (editor|admin)$/) }]));
          });
        } else {
          expectMatchesDatabase(await readWithRssParser(res.body, format), expected, `${url} rss-parser`);
        }
      }
    });
  }

  it('names each author by display name, the corrector after the writer', async () => {
    for (const format of ['rss', 'atom'] as const) {
      const body = (await get(feedPath({ kind: 'site' }, format))).body;
      const index = scopes()[0]!.expected.indexOf(briefs.corrected);
      expect((await readWithRssParser(body, format))[index]!.authors).toEqual([names.editor, names.admin]);
      expect(readWithFeedExtractor(body, format)[index]!.authors).toEqual([names.editor, names.admin]);
    }
    const json = readWithFeedExtractor((await get('/feed.json')).body, 'json');
    expect(json.find((item) => item.title === briefs.plain.headline)!.authors).toEqual([names.admin]);
  });

  it('answers 404 for an unknown story or entity', async () => {
    for (const format of FEED_FORMATS) {
      expect((await get(feedPath({ kind: 'story', story: { slug: 'no-such-story' }, language: 'en' }, format))).statusCode).toBe(404);
      expect((await get(feedPath({ kind: 'entity', entity: { slug: 'no-such-entity' }, language: 'uk' }, format))).statusCode).toBe(404);
    }
    expect((await get('/xx/feed.xml')).statusCode).toBe(404);
  });
});

describe('conditional GET', () => {
  it('answers 304 to a matching ETag or an unchanged Last-Modified, and 200 once the feed changed', async () => {
    const url = feedPath({ kind: 'language', language: 'en' }, 'atom');
    const first = await get(url);
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    // A CDN may keep the feed, and a change to any brief in it, or a new brief in English, purges it.
    expect(first.headers['cache-control']).toMatch(/^public, .*s-maxage=/);
    const keys = String(first.headers['surrogate-key']).split(' ');
    expect(keys).toEqual(expect.arrayContaining(['lang-en', `brief-${briefs.corrected.id}`, `brief-${briefs.retracted.id}`]));
    expect(keys).not.toContain(`brief-${briefs.uk.id}`);
    expect(String((await get(feedPath({ kind: 'story', story, language: 'en' }, 'rss'))).headers['surrogate-key']).split(' ')).toContain(`story-${story.id}`);
    // The newest change among the items is the retraction.
    expect(lastModified).toBe(new Date(briefs.retracted.updatedAt).toUTCString());

    const byTag = await get(url, { 'if-none-match': etag });
    expect(byTag.statusCode).toBe(304);
    expect(byTag.body).toBe('');
    expect((await get(url, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
    expect((await get(url, { 'if-modified-since': lastModified })).statusCode).toBe(304);
    const secondBefore = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get(url, { 'if-modified-since': secondBefore })).statusCode).toBe(200);
    // An ETag that no longer matches wins over a date that would still do.
    expect((await get(url, { 'if-none-match': '"stale"', 'if-modified-since': lastModified })).statusCode).toBe(200);

    await correctBrief(t.deps, CLI_ACTOR, briefs.corrected.id, { previously: ['Earlier, the service reported cracks.'] }, 'Added context.');
    const changed = await get(url, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    briefs.corrected = (await findBrief(t.db, briefs.corrected.id))!;
    // Last-Modified has whole seconds: the correction's own second, which may be the one before.
    const wholeSecond = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;
    expect(Date.parse(String(changed.headers['last-modified']))).toBe(wholeSecond(briefs.corrected.updatedAt));
    const read = readWithFeedExtractor(changed.body, 'atom').find((item) => item.title === briefs.corrected.headline)!;
    expect(read.updated).toBe(briefs.corrected.updatedAt);
    expect(Date.parse(read.updated)).toBeGreaterThanOrEqual(Date.parse(briefs.corrected.correctedAt!));
  });
});

describe('feed discovery', () => {
  it('links each matching page to its feeds in every format, and the links lead to them', async () => {
    const pages: Record<string, string> = {};
    for (const { scope, page } of scopes()) {
      const html = (await get(page)).body;
      pages[page] = html;
      const links = [...html.matchAll(/<link rel="alternate" type="(application\/[a-z+]+)" href="([^"]+)" title="([^"]+)"\/?>/g)];
      expect(links.map((l) => l[2]), page).toEqual(FEED_FORMATS.map((format) => ORIGIN + feedPath(scope, format)));
      for (const [, type, href, title] of links) {
        expect(title, page).not.toBe('');
        const res = await get(href!.slice(ORIGIN.length));
        expect(res.statusCode, href).toBe(200);
        expect(res.headers['content-type'], href).toBe(`${type}; charset=utf-8`);
      }
    }
    // A page without a feed of its own does not pretend to have one.
    expect((await get(briefPath(briefs.plain))).body).not.toMatch(/type="application\/(rss|atom|feed)\+/);
    expect((await get('/en/stories/no-such-story')).body).not.toMatch(/type="application\/(rss|atom|feed)\+/);
    const errors = await vnuErrors({ story: pages[storyPath(story, 'uk')]!, home: pages['/']! });
    expect(errors).toEqual([]);
  }, 60_000);
});
