// `feed` (jpmonette/feed) writes RSS 2.0, Atom 1.0 and JSON Feed from one item list. It is
// maintained, typed, and builds the XML with xml-js, so escaping and CDATA are not ours to get
// wrong; the issue asks for a library rather than hand-built XML. Its JSON output is JSON Feed
// 1.0 (one `author`, no `language`); jsonFeed() below lifts it to 1.1.
import { Feed, type Author, type Category, type Extension, type Item } from 'feed';
import { h, type ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { Config } from '../config/index.js';
import { findBriefsByIds, listBriefs } from '../content/brief-repository.js';
import { entityName, findEntitiesByIds } from '../content/entities.js';
import { renderInlineMarkdown } from '../content/markdown.js';
import { findStory } from '../content/stories.js';
import { PUBLIC_STATUSES, type Brief, type Entity, type Language, type Story } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import { formatDateTime } from '../web/format.js';
import { messagesFor } from '../web/messages.js';
import { briefPath, entityPath, feedPath, homePath, storyPath, type FeedFormat } from '../web/paths.js';
import { printable } from '../web/views/Lines.js';

/** Items per feed: enough for a reader polling every few hours, small enough to build per request. */
export const FEED_SIZE = 50;

/** Whose briefs a feed carries. Story and entity feeds carry every language; `language` labels them. */
export type FeedScope =
  | { kind: 'site' }
  | { kind: 'language'; language: Language }
  | { kind: 'story'; story: Story; language: Language }
  | { kind: 'entity'; entity: Entity; language: Language };

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** A feed ready to send: the body and the newest change among its items (null when empty). */
export interface FeedDocument {
  body: string;
  contentType: string;
  lastModified: Date | null;
  /** The briefs it carries, for the surrogate keys a change purges it by. */
  briefs: Pick<Brief, 'id' | 'storyId'>[];
}

// XML 1.0 cannot carry these at all, escaped or not; one in a headline would make the whole
// feed unreadable, so they become U+FFFD (as on the pages, see Lines.tsx).
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const xmlSafe = (text: string) => printable(text).replace(NOT_IN_XML, '\ufffd');

/** The text as HTML source, for fields that formats read as HTML (Atom's type="html" title). */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * When readers were last told something new about the brief. A published brief has not changed
 * since its dateline; a correction or a retraction is news about it, so feed readers must see the
 * item as updated (Atom `updated`, JSON Feed `date_modified`, RSS `atom:updated`). A published
 * brief changes only by correction, retraction or deletion, so its updatedAt is that moment
 * (stamped as the row is written, a moment after correctedAt/retractedAt); the latest of all
 * of them is taken so no stamp can make the item look older than what it shows.
 */
export function briefUpdatedAt(brief: Brief): string {
  const published = brief.publishedAt ?? brief.updatedAt;
  if (brief.status === 'published') return published;
  return [published, brief.updatedAt, brief.correctedAt, brief.retractedAt]
    .filter((t): t is string => t !== null)
    .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

/**
 * A stable, never-reused id (RFC 4151 tag URI) from the brief's id and the day it was created:
 * unlike its URL it survives a move of the site, and it is the same in all three formats.
 */
export function briefFeedId(brief: Pick<Brief, 'id' | 'createdAt'>, publicUrl: string): string {
  return `tag:${new URL(publicUrl).hostname},${brief.createdAt.slice(0, 10)}:brief:${brief.id}`;
}

interface BriefContext {
  story: Story | null;
  entities: Entity[];
  previously: Brief[];
}

const section = (id: string, heading: string, ...children: ComponentChildren[]) =>
  h('section', { id }, h('h2', null, heading), ...children);

/**
 * The full brief as HTML, its sections in the page's order (dateline, headline, Source, Quote,
 * Details, Previously, Background), rendered by Preact so every text is escaped; only the
 * details come pre-rendered, from the Markdown subset that never lets raw HTML through. Links
 * are absolute: a feed reader has no page to resolve them against.
 */
export function briefContentHtml(brief: Brief, context: BriefContext, config: Pick<Config, 'publicUrl' | 'timeZone'>): string {
  const m = messagesFor(brief.language);
  const time = (iso: string) => formatDateTime(iso, { language: brief.language, timeZone: config.timeZone });
  const text = (value: string) => xmlSafe(value);
  const links = context.previously.filter((b) => PUBLIC_STATUSES.includes(b.status));
  const nodes = [
    brief.status === 'retracted' && brief.retractedAt
      ? h('div', { class: 'notice-retracted' },
        h('p', null, h('strong', null, m.retracted), ' ', time(brief.retractedAt)),
        brief.retractionReason ? h('p', null, text(brief.retractionReason)) : null,
        h('p', null, m.retractionKept))
      : null,
    brief.publishedAt
      ? h('section', { id: 'dateline' },
        h('p', null, h('time', { dateTime: brief.publishedAt }, formatDateTime(brief.publishedAt, { language: brief.language, timeZone: config.timeZone, precision: brief.datelinePrecision }))),
        brief.correctedAt
          ? h('p', null, h('strong', null, m.updated), ' ', time(brief.correctedAt), brief.correctionReason ? `: ${text(brief.correctionReason)}` : null)
          : null)
      : null,
    h('section', { id: 'headline' },
      h('h1', null, text(brief.headline)),
      context.story ? h('p', null, `${m.story}: `, h('a', { href: config.publicUrl + storyPath(context.story, brief.language) }, text(context.story.title))) : null,
      context.entities.length > 0 ? h('p', null, `${m.mentioned}: `, context.entities.map((e) => text(entityName(e, brief.language))).join(', ')) : null),
    brief.sources.length > 0
      ? section('sources', m.source, h('ul', null, brief.sources.map((source) => h('li', null,
        source.url ? h('a', { href: source.url, rel: 'nofollow noopener' }, text(source.name)) : text(source.name),
        ` (${m.sourceKind[source.kind]})`))))
      : null,
    brief.quotes.length > 0
      ? section('quotes', m.quote, brief.quotes.map((quote) => {
        const attribution = [quote.speaker, quote.sourceIndex === null ? null : brief.sources[quote.sourceIndex]?.name].filter(Boolean).join(', ');
        return h('figure', null, h('blockquote', null, h('p', null, text(quote.text))), attribution ? h('figcaption', null, `— ${text(attribution)}`) : null);
      }))
      : null,
    brief.details.length > 0
      ? section('details', m.details, brief.details.map((paragraph) => h('p', { dangerouslySetInnerHTML: { __html: xmlSafe(renderInlineMarkdown(paragraph)) } })))
      : null,
    brief.previously.length > 0 || links.length > 0
      ? section('previously', m.previously,
        brief.previously.map((paragraph) => h('p', null, text(paragraph))),
        links.length > 0 ? h('ul', null, links.map((link) => h('li', null, h('a', { href: config.publicUrl + briefPath(link) }, text(link.headline))))) : null)
      : null,
    brief.background.length > 0
      ? section('background', m.background, h('ul', null, brief.background.map((item) => h('li', null,
        h('strong', null, m.claimStatus[item.status]), ' ', text(item.text), item.attribution ? ` — ${text(item.attribution)}` : null))))
      : null,
  ];
  return render(h('article', { lang: brief.language }, ...nodes));
}

async function authorNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

async function briefsOf(db: Executor, scope: FeedScope): Promise<Brief[]> {
  const filter = scope.kind === 'language' ? { language: scope.language }
    : scope.kind === 'story' ? { storyId: scope.story.id }
      : scope.kind === 'entity' ? { entityId: scope.entity.id }
        : {};
  // Retracted briefs stay in: a reader who already has the item must learn it was withdrawn,
  // and the item carries the notice (and a new `updated`) just as the page does.
  return (await listBriefs(db, { ...filter, statuses: PUBLIC_STATUSES, limit: FEED_SIZE })).items;
}

function feedTitle(scope: FeedScope, siteName: string): string {
  if (scope.kind === 'site') return siteName;
  const m = messagesFor(scope.language);
  if (scope.kind === 'language') return `${siteName} — ${m.latestBriefs}`;
  if (scope.kind === 'story') return `${scope.story.title} — ${siteName}`;
  return `${m.briefsNaming} ${entityName(scope.entity, scope.language)} — ${siteName}`;
}

function scopePagePath(scope: FeedScope): string {
  if (scope.kind === 'site') return '/';
  if (scope.kind === 'language') return homePath(scope.language);
  if (scope.kind === 'story') return storyPath(scope.story, scope.language);
  return entityPath(scope.entity, scope.language);
}

/** The extra per-format elements the library has no field for. */
function rssExtensions(brief: Brief, updated: string, authors: string[]): Extension[] {
  // RSS 2.0's own <author> must be an e-mail address, and pubDate keeps whole seconds only:
  // names go in dc:creator, and the exact instants in dc:date and atom:updated.
  const extensions: Extension[] = [
    { name: 'dc:date', objects: { _text: brief.publishedAt } },
    { name: 'atom:updated', objects: { _text: updated } },
  ];
  if (authors.length > 0) extensions.push({ name: 'dc:creator', objects: authors.map((name) => ({ _text: name })) as unknown as Record<string, unknown> });
  return extensions;
}

/**
 * The feed of a scope in one format: its public briefs newest first (at most FEED_SIZE), each
 * with the full brief as HTML, its authors, its story and entities as categories, and dates
 * that move when the brief is corrected or retracted.
 */
export async function buildFeed(
  db: Executor,
  config: Pick<Config, 'publicUrl' | 'timeZone' | 'siteName'>,
  scope: FeedScope,
  format: FeedFormat,
): Promise<FeedDocument> {
  const briefs = await briefsOf(db, scope);
  const [stories, entities, previously, users] = await Promise.all([
    Promise.all([...new Set(briefs.flatMap((b) => b.storyId ?? []))].map((id) => findStory(db, id))),
    findEntitiesByIds(db, [...new Set(briefs.flatMap((b) => b.entityIds))]),
    findBriefsByIds(db, [...new Set(briefs.flatMap((b) => b.previouslyLinks))]),
    authorNames(db, [...new Set(briefs.flatMap((b) => b.authorIds))]),
  ]);
  const storyById = new Map(stories.flatMap((s) => (s ? [[s.id, s] as const] : [])));
  const entityById = new Map(entities.map((e) => [e.id, e]));
  const previousById = new Map(previously.map((b) => [b.id, b]));
  const origin = config.publicUrl;
  const updates = briefs.map(briefUpdatedAt);
  const newest = updates.reduce<string | null>((a, b) => (a === null || Date.parse(b) > Date.parse(a) ? b : a), null);
  // Only a language's feed is written in one language; a story or entity feed mixes them (each
  // item says its own), so claiming the label language for the channel would mislead readers.
  const language = scope.kind === 'language' ? scope.language : undefined;
  const feedLinks = { rss: origin + feedPath(scope, 'rss'), atom: origin + feedPath(scope, 'atom'), json: origin + feedPath(scope, 'json') };

  const feed = new Feed({
    id: feedLinks.atom,
    title: xmlSafe(feedTitle(scope, config.siteName)),
    link: origin + scopePagePath(scope),
    language,
    // An empty feed has no item to date it; the epoch keeps the body (and so its ETag) stable.
    updated: new Date(newest ?? 0),
    description: xmlSafe(feedTitle(scope, config.siteName)),
    // Atom requires an author on every entry or on the feed; a brief imported or published from
    // the command line has none of its own, so the site answers for it.
    author: { name: xmlSafe(config.siteName), link: origin + '/' },
    generator: 'Newsdesk',
    feedLinks,
    feed: feedLinks[format],
  });

  briefs.forEach((brief, index) => {
    const story = brief.storyId ? storyById.get(brief.storyId) ?? null : null;
    const briefEntities = brief.entityIds.flatMap((id) => entityById.get(id) ?? []);
    const authors = brief.authorIds.flatMap((id) => users.get(id) ?? []).map(xmlSafe);
    const updated = updates[index]!;
    const link = origin + briefPath(brief);
    const categories: Category[] = [
      ...(story ? [xmlSafe(story.title)] : []),
      ...briefEntities.map((entity) => xmlSafe(entityName(entity, brief.language))),
    ].map((name) => ({ name, term: name }));
    const item: Item = {
      // Atom reads its title as HTML (the library marks it type="html"); the others as text.
      title: format === 'atom' ? escapeHtml(xmlSafe(brief.headline)) : xmlSafe(brief.headline),
      id: briefFeedId(brief, origin),
      link,
      date: new Date(updated),
      published: new Date(brief.publishedAt ?? brief.updatedAt),
      content: briefContentHtml(brief, {
        story, entities: briefEntities,
        previously: brief.previouslyLinks.flatMap((id) => previousById.get(id) ?? []),
      }, config),
      category: categories,
      ...(format === 'rss'
        ? { extensions: rssExtensions(brief, updated, authors) }
        // The library reads author[0] unchecked in JSON, so an empty list must be no list.
        : authors.length > 0 ? { author: authors.map((name): Author => ({ name })) } : {}),
    };
    // The library copies an extension's value onto the JSON item under its name: JSON Feed 1.1's item `language`.
    if (format === 'json') item.extensions = [{ name: 'language', objects: brief.language as unknown as Record<string, unknown> }];
    feed.addItem(item);
  });

  const body = format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : jsonFeed(feed.json1(), briefs, users, language);
  return { body, contentType: FEED_CONTENT_TYPES[format], lastModified: newest ? new Date(newest) : null, briefs };
}

/**
 * The library's JSON Feed 1.0 as 1.1: the version URL, `authors` as a list (1.1 keeps the old
 * single `author` for 1.0 readers, so it stays) and `language` on the feed.
 */
function jsonFeed(json: string, briefs: Brief[], users: Map<string, string>, language: Language | undefined): string {
  const document = JSON.parse(json) as Record<string, unknown> & { items: Record<string, unknown>[] };
  document.version = 'https://jsonfeed.org/version/1.1';
  if (language) document.language = language;
  if (document.author) document.authors = [document.author];
  document.items = document.items.map((item, index) => {
    const brief = briefs[index]!;
    const authors = brief.authorIds.flatMap((id) => users.get(id) ?? []).map((name) => ({ name: xmlSafe(name) }));
    const { author: _author, ...rest } = item;
    return authors.length > 0 ? { ...rest, author: authors[0], authors } : rest;
  });
  return JSON.stringify(document, null, 2);
}
