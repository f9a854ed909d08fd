import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import geoJsonSchema from 'geojson-schema/GeoJSON.json' with { type: 'json' };
import { Value } from 'typebox/value';
import { assertCan, can, type Actor } from '../accounts/policy.js';
import { AppError, type FieldError } from '../common/errors.js';
import { fieldErrorsFrom, type SchemaIssue } from '../common/validation.js';
import { createBrief, type ContentDeps } from '../content/briefs.js';
import { createEntity, findEntitiesByIds, listEntities } from '../content/entities.js';
import { detectLanguage } from '../content/import.js';
import { renderInlineMarkdown, inlineMarkdownToText } from '../content/markdown.js';
import { BriefInputSchema, type BriefInput } from '../content/schema.js';
import { findStory } from '../content/stories.js';
import { LANGUAGES, PUBLIC_STATUSES, SOURCE_KINDS, type Brief, type Entity, type EntityKind, type Language, type SourceKind, type Story } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import { messagesFor } from '../web/messages.js';
import { briefPath, entityPath, storyPath } from '../web/paths.js';
import ninjsSchema from './ninjs/ninjs-schema_3.1.json' with { type: 'json' };

// IPTC ninjs 3.1 (News in JSON) out and in. The schema is vendored unmodified (see
// ninjs/SOURCE.md); it refers to GeoJSON by URL, which is registered locally so that
// validation never fetches anything.

export const NINJS_SCHEMA_ID = 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#';
const GEOJSON_ID = 'https://geojson.org/schema/GeoJSON.json';

/** A ninjs 3.1 news item as this module writes it (a subset of what the schema allows). */
export interface NinjsItem {
  uri: string;
  type: 'text';
  representationType: 'full';
  version: string;
  firstCreated: string;
  versionCreated: string;
  contentCreated?: string;
  pubStatus: 'usable' | 'withheld' | 'canceled';
  language: Language;
  headlines: { role: string; contentType: string; value: string }[];
  bodies: { role: string; contentType: string; value: string; wordCount?: number; charCount?: number }[];
  descriptions?: { role: string; contentType: string; value: string }[];
  infoSources?: { name: string; role: string; uri?: string }[];
  by?: string;
  subjects?: NinjsConcept[];
  people?: NinjsConcept[];
  places?: NinjsConcept[];
  organisations?: NinjsConcept[];
  altIds: { role: string; value: string }[];
  standard: { name: 'ninjs'; version: '3.1'; schema: string };
}
interface NinjsConcept { name: string; rel: string; uri: string; literal: string }

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

let validator: ReturnType<Ajv2020['compile']> | undefined;
/** The compiled 3.1 validator, built once on first use. */
export function ninjsValidator(): ReturnType<Ajv2020['compile']> {
  if (validator) return validator;
  // strict: false because the upstream schema has a few constructs Ajv's strict mode flags
  // (e.g. "type": "array" beside a $ref); the file must stay as IPTC published it.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  // The GeoJSON schema declares draft-07, which an Ajv2020 instance refuses; its keywords are
  // the same in 2020-12, so only the tag goes.
  const { $schema: _draft07, ...geoJson } = geoJsonSchema as Record<string, unknown>;
  ajv.addSchema({ ...geoJson, $id: GEOJSON_ID });
  validator = ajv.compile(ninjsSchema as object);
  return validator;
}

// ------------------------------------------------------------------------------------------
// Out: a brief as ninjs

export interface NinjsContext {
  /** config.publicUrl: every URI in the item is absolute. */
  origin: string;
  story: Story | null;
  entities: Entity[];
  /** Display names of the brief's authors, in the order they worked on it. */
  authorNames: string[];
}

/** What `briefToNinjs` needs from the database besides the brief. */
export async function loadNinjsContext(db: Executor, brief: Brief, origin: string): Promise<NinjsContext> {
  const [story, entities, authors] = await Promise.all([
    brief.storyId ? findStory(db, brief.storyId) : Promise.resolve(null),
    findEntitiesByIds(db, brief.entityIds),
    brief.authorIds.length
      ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', brief.authorIds).execute()
      : Promise.resolve([]),
  ]);
  const nameOf = new Map(authors.map((a) => [a.id, a.display_name]));
  return { origin, story, entities, authorNames: brief.authorIds.map((id) => nameOf.get(id)).filter((n): n is string => !!n) };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const htmlLines = (text: string) => escapeHtml(text).replace(/\n/g, '<br>');

/**
 * A tag URI (RFC 4151) from the site's host and the brief's id: it identifies the item for
 * good, whereas the page URL only exists once readers may see the brief and carries a slug.
 */
function briefUri(brief: Brief, origin: string): string {
  return `tag:${new URL(origin).hostname},${brief.createdAt.slice(0, 10)}:brief:${brief.id}`;
}

function quoteAttribution(brief: Brief, quote: Brief['quotes'][number]): string {
  const source = quote.sourceIndex === null ? undefined : brief.sources[quote.sourceIndex];
  return [quote.speaker, source?.name].filter(Boolean).join(', ');
}

/** The whole brief, its sections in the reader page's order, as HTML and as plain text. */
function bodiesOf(brief: Brief): { html: string; text: string } {
  const m = messagesFor(brief.language);
  const html: string[] = [];
  const text: string[] = [];
  const section = (id: string, heading: string, htmlParts: string[], textParts: string[]) => {
    html.push(`<section id="${id}"><h2>${escapeHtml(heading)}</h2>${htmlParts.join('')}</section>`);
    text.push(`${heading}\n\n${textParts.join('\n\n')}`);
  };
  if (brief.sources.length) {
    section('sources', m.source,
      [`<ul>${brief.sources.map((s) => `<li>${s.url ? `<a href="${escapeHtml(s.url)}">${escapeHtml(s.name)}</a>` : escapeHtml(s.name)} (${escapeHtml(m.sourceKind[s.kind])})</li>`).join('')}</ul>`],
      brief.sources.map((s) => `${s.name} (${m.sourceKind[s.kind]})${s.url ? ` ${s.url}` : ''}`));
  }
  if (brief.quotes.length) {
    section('quotes', m.quote,
      brief.quotes.map((q) => {
        const by = quoteAttribution(brief, q);
        return `<figure><blockquote><p>${htmlLines(q.text)}</p></blockquote>${by ? `<figcaption>${escapeHtml(by)}</figcaption>` : ''}</figure>`;
      }),
      brief.quotes.map((q) => {
        const by = quoteAttribution(brief, q);
        return by ? `${q.text}\n— ${by}` : q.text;
      }));
  }
  if (brief.details.length) {
    section('details', m.details, brief.details.map((p) => `<p>${renderInlineMarkdown(p)}</p>`), brief.details.map(inlineMarkdownToText));
  }
  if (brief.previously.length) {
    section('previously', m.previously, brief.previously.map((p) => `<p>${escapeHtml(p)}</p>`), brief.previously);
  }
  if (brief.background.length) {
    const line = (b: Brief['background'][number]) => [b.text, m.claimStatus[b.status], b.attribution].filter(Boolean).join(' — ');
    section('background', m.background, [`<ul>${brief.background.map((b) => `<li>${escapeHtml(line(b))}</li>`).join('')}</ul>`], brief.background.map(line));
  }
  return { html: html.join('\n'), text: text.join('\n\n') };
}

const wordCount = (text: string) => text.split(/\s+/u).filter(Boolean).length;

function pubStatusOf(brief: Brief): NinjsItem['pubStatus'] {
  if (brief.status === 'retracted' || brief.status === 'deleted') return 'canceled';
  return PUBLIC_STATUSES.includes(brief.status) ? 'usable' : 'withheld';
}

/** A brief as an IPTC ninjs 3.1 news item: every section, its sources, story, entities and dates. */
export function briefToNinjs(brief: Brief, ctx: NinjsContext): NinjsItem {
  const { origin } = ctx;
  const { html, text } = bodiesOf(brief);
  const concept = (e: Entity): NinjsConcept => ({
    name: e.names[brief.language] || e.names.en || e.names.uk || e.names.ru,
    rel: 'mentions',
    uri: origin + entityPath(e, brief.language),
    literal: e.id,
  });
  const ofKind = (kind: EntityKind) => ctx.entities.filter((e) => e.kind === kind).map(concept);
  const descriptions: NonNullable<NinjsItem['descriptions']> = [];
  if (brief.correctionReason) descriptions.push({ role: 'correction', contentType: 'text/plain', value: brief.correctionReason });
  if (brief.retractionReason) descriptions.push({ role: 'retraction', contentType: 'text/plain', value: brief.retractionReason });
  const altIds = [{ role: 'newsdesk-id', value: brief.id }];
  if (PUBLIC_STATUSES.includes(brief.status)) altIds.push({ role: 'url', value: origin + briefPath(brief) });
  const item: NinjsItem = {
    uri: briefUri(brief, origin),
    type: 'text',
    representationType: 'full',
    version: String(brief.revision),
    firstCreated: brief.createdAt,
    // A correction or retraction saves the brief, so updatedAt is the time of the latest one.
    versionCreated: brief.updatedAt,
    ...(brief.publishedAt ? { contentCreated: brief.publishedAt } : {}),
    pubStatus: pubStatusOf(brief),
    language: brief.language,
    headlines: [{ role: 'main', contentType: 'text/plain', value: brief.headline }],
    bodies: [
      { role: 'main', contentType: 'text/html', value: html, wordCount: wordCount(text), charCount: text.length },
      { role: 'main', contentType: 'text/plain', value: text, wordCount: wordCount(text), charCount: text.length },
      // Each quote again on its own, verbatim: ninjs has no quote property, and a body with a
      // role is where a receiver looks for a part of the content rather than metadata about it.
      ...brief.quotes.map((q) => {
        const by = quoteAttribution(brief, q);
        return { role: 'quote', contentType: 'text/plain', value: by ? `${q.text}\n— ${by}` : q.text };
      }),
    ],
    ...(descriptions.length ? { descriptions } : {}),
    altIds,
    standard: { name: 'ninjs', version: '3.1', schema: NINJS_SCHEMA_ID },
  };
  if (brief.sources.length) {
    item.infoSources = brief.sources.map((s) => ({ name: s.name, role: s.kind, ...(s.url ? { uri: s.url } : {}) }));
  }
  if (ctx.authorNames.length) item.by = ctx.authorNames.join(', ');
  if (ctx.story) {
    item.subjects = [{ name: ctx.story.title, rel: 'story', uri: origin + storyPath(ctx.story, brief.language), literal: ctx.story.id }];
  }
  const people = ofKind('person');
  const places = ofKind('place');
  const organisations = ofKind('organisation');
  if (people.length) item.people = people;
  if (places.length) item.places = places;
  if (organisations.length) item.organisations = organisations;
  return item;
}

// ------------------------------------------------------------------------------------------
// In: ninjs as a draft brief

/** One thing in a ninjs document that cannot be taken: `path` is its JSON pointer (RFC 6901). */
export type NinjsProblem = FieldError;

export interface NinjsImport {
  input: BriefInput;
  /** Names the document gave that match no entity: kept as a details paragraph, listed here. */
  unmatched: { pointer: string; name: string }[];
}

const pointerSegment = (s: string | number) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (...parts: (string | number)[]) => parts.map((p) => `/${pointerSegment(p)}`).join('');

/** Ajv's errors as JSON pointers, one problem per pointer; a missing or extra property is named in it. */
function schemaProblems(errors: readonly ErrorObject[]): NinjsProblem[] {
  const byPointer = new Map<string, string>();
  for (const e of errors) {
    let at = e.instancePath;
    let reason = e.message ?? 'is not valid';
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'required') { at += pointer(String(p.missingProperty)); reason = 'is required'; }
    else if (e.keyword === 'additionalProperties') { at += pointer(String(p.additionalProperty)); reason = 'is not a ninjs 3.1 property'; }
    else if (e.keyword === 'unevaluatedProperties') { at += pointer(String(p.unevaluatedProperty)); reason = 'is not a ninjs 3.1 property'; }
    else reason = fieldErrorsFrom([e as SchemaIssue])[0]?.reason ?? reason;
    // A bad value inside "anyOf"/"oneOf" also fails the combinator; the specific error says more.
    if (!byPointer.has(at) || /anyOf|oneOf/.test(byPointer.get(at)!)) byPointer.set(at, reason);
  }
  return [...byPointer.entries()].map(([path, reason]) => ({ path: path || '/', reason }));
}

function problemError(problems: NinjsProblem[]): AppError {
  // The schema and the mapping may both object to one value; the first (the schema's) is kept.
  const seen = new Set<string>();
  const unique = problems.filter((p) => !seen.has(p.path) && !!seen.add(p.path));
  return new AppError({ status: 422, code: 'unprocessable_ninjs', message: 'The ninjs document cannot be imported; each field names the JSON pointer of a problem.', fields: unique });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', laquo: '«', raquo: '»', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”' };
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// Markdown's own characters in partner text would otherwise turn into emphasis or links.
const escapeMarkdown = (text: string) => text.replace(/([\\*_[\]])/g, '\\$1');

/** Index of the ">" ending a tag whose attributes start at `from`, skipping quoted values; -1 if none. */
function tagEnd(html: string, from: number): number {
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (c === '>') return i;
    if (c === '"' || c === "'") {
      const close = html.indexOf(c, i + 1);
      if (close < 0) return -1;
      i = close;
    }
  }
  return -1;
}

/**
 * HTML to paragraphs of the details' Markdown subset. Nothing of the markup survives but
 * paragraph breaks, bold, italic and http(s) links: script and style content is dropped whole,
 * every other tag is removed, and entities are decoded only after the tags are gone, so an
 * escaped `&lt;script&gt;` comes out as the text it always was, never as markup.
 */
export function htmlToParagraphs(html: string): string[] {
  // A hand-rolled scanner rather than one regular expression: partner HTML with thousands of
  // unclosed tags made the expression rescan to the end for each "<", quadratic in the body, and
  // one import could hold the event loop for minutes. Every step here moves past what it read.
  const lower = html.toLowerCase();
  let out = '';
  let last = 0;
  let link: string | null = null;
  let at = html.indexOf('<');
  while (at >= 0) {
    let end: number;
    let tag: { closing: boolean; name: string; attrs: string } | null = null;
    if (lower.startsWith('<!--', at)) {
      const close = lower.indexOf('-->', at + 4);
      end = close < 0 ? html.length : close + 3;
    } else {
      const opening = /^<(\/?)([a-z][a-z0-9-]*)/i.exec(html.slice(at, at + 64));
      if (!opening) {
        at = html.indexOf('<', at + 1);
        continue;
      }
      const close = tagEnd(html, at + opening[0].length);
      if (close < 0) break; // an unclosed tag: the rest is text
      const name = opening[2]!.toLowerCase();
      end = close + 1;
      if (!opening[1] && (name === 'script' || name === 'style')) {
        // Content dropped whole, up to its closing tag or the end.
        const closing = lower.indexOf(`</${name}`, end);
        const closingEnd = closing < 0 ? -1 : lower.indexOf('>', closing);
        end = closingEnd < 0 ? html.length : closingEnd + 1;
      } else {
        tag = { closing: opening[1] === '/', name, attrs: html.slice(at + opening[0].length, close) };
      }
    }
    out += escapeMarkdown(decodeEntities(html.slice(last, at)));
    last = end;
    if (tag) {
      const { closing, name, attrs } = tag;
      if (/^(p|div|br|li|h[1-6]|blockquote|section|article|tr|ul|ol|figure|figcaption|hr)$/.test(name)) out += '\n\n';
      else if (name === 'b' || name === 'strong') out += '**';
      else if (name === 'i' || name === 'em') out += '*';
      else if (name === 'a' && !closing) {
        const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attrs);
        const url = href ? decodeEntities(href[1] ?? href[2] ?? '').trim() : '';
        link = /^https?:\/\/[^\s()<>]+$/i.test(url) ? url : null;
        if (link) out += '[';
      } else if (name === 'a' && closing && link) {
        out += `](${link})`;
        link = null;
      }
    }
    at = html.indexOf('<', end);
  }
  out += escapeMarkdown(decodeEntities(html.slice(last)));
  return out.split(/\n{2,}/).map((p) => p.replace(/\s+/g, ' ').replace(/(?<!\\)\*\*\*\*/g, '').trim()).filter((p) => p && !/^[*\s]*$/.test(p));
}

function textToParagraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => escapeMarkdown(p.replace(/\s+/g, ' ').trim())).filter(Boolean);
}

const isHtml = (contentType: unknown) => typeof contentType === 'string' && /^(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
const isPlain = (contentType: unknown) => contentType === undefined || (typeof contentType === 'string' && /^text\/plain\b/i.test(contentType));

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

// The simple part of ninjs 2.x (lower-case names) this importer takes; anything else in a 2.x
// document is a problem rather than silently lost.
const V2_SIMPLE = new Set<string>(['headline', 'body_text', 'body_html', 'body_xhtml', 'versioncreated', 'firstcreated', 'pubstatus', 'byline', 'subject', 'place', 'person', 'organisation', 'infosources', 'description_text', 'description_html', 'urgency', 'copyrightholder', 'copyrightnotice', 'usageterms', 'ednote', 'located', 'slugline', 'headlines', 'bodies', 'descriptions', 'uri', 'type', 'version', 'language', 'profile', 'mimetype', 'representationtype', 'genre', 'altids', 'trustindicator', 'standard']);
/** Properties only 2.x has: their presence marks a 2.x document. */
const V2_MARKERS = ['headline', 'body_text', 'body_html', 'body_xhtml', 'versioncreated', 'firstcreated', 'pubstatus', 'byline', 'subject', 'place', 'person', 'organisation', 'infosources'];

/** Whether the document is ninjs 2.x (lower-case property names) rather than 3.x. */
export function isNinjs2(doc: Doc): boolean {
  const standard = doc.standard;
  if (isObject(standard) && typeof standard.version === 'string') return standard.version.startsWith('2') || standard.version.startsWith('1');
  return V2_MARKERS.some((k) => k in doc);
}

// Everything else ninjs 3.1 allows is metadata a draft can do without (dates, copyright, ids,
// slugline…). These would be lost in a way an editor must hear about, so they are refused.
const UNMAPPABLE: Record<string, string> = {
  renditions: 'media renditions cannot be imported: briefs carry no media yet',
  associations: 'associated items cannot be imported: import each as its own document',
  embargoedUntil: 'embargoes are not supported: a draft could be published before the embargo ends',
  eventDetails: 'events and planning items cannot be imported, only news items of type text',
  plannedCoverage: 'planning items cannot be imported, only news items of type text',
};

interface Normalised {
  language?: unknown;
  languagePointer: string;
  headlines: { value: unknown; role?: unknown; contentType?: unknown; pointer: string }[];
  bodies: { value: unknown; role?: unknown; contentType?: unknown; pointer: string }[];
  infoSources: { name?: unknown; role?: unknown; uri?: unknown; pointer: string }[];
  concepts: { name?: unknown; kind: EntityKind | null; pointer: string }[];
}

const arrayAt = (doc: Doc, key: string): unknown[] => (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : []);

function normalise3(doc: Doc, problems: NinjsProblem[]): Normalised {
  const validate = ninjsValidator();
  if (!validate(doc)) problems.push(...schemaProblems(validate.errors ?? []));
  for (const [key, reason] of Object.entries(UNMAPPABLE)) if (key in doc) problems.push({ path: pointer(key), reason });
  if (doc.type !== undefined && doc.type !== 'text') problems.push({ path: '/type', reason: 'only news items of type "text" can become a brief' });
  if (doc.pubStatus === 'canceled') problems.push({ path: '/pubStatus', reason: 'a canceled item cannot become a new brief' });
  const items = (key: string): (Doc & { pointer: string })[] => arrayAt(doc, key).map((v, i) => ({ ...(isObject(v) ? v : {}), pointer: pointer(key, i) }));
  const concepts = (key: string, kind: EntityKind | null) => items(key).map((c) => ({ name: c.name, kind, pointer: c.pointer }));
  return {
    language: doc.language,
    languagePointer: '/language',
    headlines: items('headlines') as Normalised['headlines'],
    bodies: items('bodies') as Normalised['bodies'],
    infoSources: items('infoSources'),
    concepts: [...concepts('people', 'person'), ...concepts('organisations', 'organisation'), ...concepts('places', 'place'), ...concepts('subjects', null), ...concepts('events', null), ...concepts('objects', null)],
  };
}

function normalise2(doc: Doc, problems: NinjsProblem[]): Normalised {
  for (const key of Object.keys(doc)) {
    if (!V2_SIMPLE.has(key)) problems.push({ path: pointer(key), reason: 'is not part of the simple ninjs 2.x this importer takes; send ninjs 3.1' });
  }
  if (typeof doc.uri !== 'string' || !doc.uri) problems.push({ path: '/uri', reason: 'is required' });
  if (doc.type !== undefined && doc.type !== 'text') problems.push({ path: '/type', reason: 'only news items of type "text" can become a brief' });
  if (doc.pubstatus === 'canceled') problems.push({ path: '/pubstatus', reason: 'a canceled item cannot become a new brief' });
  const headlines: Normalised['headlines'] = [];
  if (doc.headline !== undefined) headlines.push({ value: doc.headline, role: 'main', pointer: '/headline' });
  arrayAt(doc, 'headlines').forEach((h, i) => headlines.push({ ...(isObject(h) ? h : {}), value: isObject(h) ? h.value : undefined, pointer: pointer('headlines', i) }));
  const bodies: Normalised['bodies'] = [];
  if (doc.body_html !== undefined) bodies.push({ value: doc.body_html, contentType: 'text/html', role: 'main', pointer: '/body_html' });
  if (doc.body_xhtml !== undefined) bodies.push({ value: doc.body_xhtml, contentType: 'application/xhtml+xml', role: 'main', pointer: '/body_xhtml' });
  if (doc.body_text !== undefined) bodies.push({ value: doc.body_text, contentType: 'text/plain', role: 'main', pointer: '/body_text' });
  arrayAt(doc, 'bodies').forEach((b, i) => bodies.push({ ...(isObject(b) ? b : {}), value: isObject(b) ? b.value : undefined, pointer: pointer('bodies', i) }));
  const items = (key: string): (Doc & { pointer: string })[] => arrayAt(doc, key).map((v, i) => ({ ...(isObject(v) ? v : {}), pointer: pointer(key, i) }));
  const concepts = (key: string, kind: EntityKind | null) => items(key).map((c) => ({ name: c.name, kind, pointer: c.pointer }));
  return {
    language: doc.language,
    languagePointer: '/language',
    headlines,
    bodies,
    infoSources: items('infosources'),
    concepts: [...concepts('person', 'person'), ...concepts('organisation', 'organisation'), ...concepts('place', 'place'), ...concepts('subject', null)],
  };
}

const SUBJECTS_LABEL: Record<Language, string> = { uk: 'Теми (з ninjs партнера, немає в довіднику)', en: 'Subjects (from the partner\'s ninjs, not in the gazetteer)', ru: 'Темы (из ninjs партнёра, нет в справочнике)' };

/** Paragraphs of the body a brief should be made from: HTML when given (it keeps paragraphs), else plain text. */
function detailsFrom(bodies: Normalised['bodies'], problems: NinjsProblem[]): { paragraphs: string[]; pointers: string[]; quotes: { text: string; pointer: string }[] } {
  const quotes: { text: string; pointer: string }[] = [];
  const main: Normalised['bodies'] = [];
  for (const body of bodies) {
    if (typeof body.value !== 'string') {
      problems.push({ path: `${body.pointer}/value`, reason: 'must be a string' });
      continue;
    }
    if (!isHtml(body.contentType) && !isPlain(body.contentType)) {
      problems.push({ path: `${body.pointer}/contentType`, reason: `"${String(body.contentType)}" cannot be imported: only text/plain, text/html and application/xhtml+xml` });
      continue;
    }
    if (body.role === 'quote') quotes.push({ text: isHtml(body.contentType) ? htmlToParagraphs(body.value).join('\n') : body.value.trim(), pointer: `${body.pointer}/value` });
    else main.push(body);
  }
  // Providers send the same text several ways (plain and rich); one of them is the brief.
  const chosen = main.find((b) => isHtml(b.contentType)) ?? main.find((b) => isPlain(b.contentType));
  if (!chosen) return { paragraphs: [], pointers: [], quotes };
  const value = chosen.value as string;
  const paragraphs = isHtml(chosen.contentType) ? htmlToParagraphs(value) : textToParagraphs(value);
  return { paragraphs, pointers: paragraphs.map(() => `${chosen.pointer}/value`), quotes };
}

function languageFrom(value: unknown, at: string, fallbackText: string, problems: NinjsProblem[]): Language {
  if (value === undefined) return detectLanguage(fallbackText);
  const primary = typeof value === 'string' ? value.toLowerCase().split(/[-_]/)[0] : undefined;
  if (primary && (LANGUAGES as readonly string[]).includes(primary)) return primary as Language;
  problems.push({ path: at, reason: `must be a language Newsdesk publishes in: ${LANGUAGES.join(', ')}` });
  return 'en';
}

const normaliseName = (name: string) => name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Maps a ninjs 3.1 (or simple 2.x) document to the input of a draft brief. Throws a 422 AppError
 * whose fields are JSON pointers, one per problem, when anything cannot be mapped: schema
 * violations, unsupported parts, and values the brief's own schema would refuse.
 */
export function ninjsToBriefInput(doc: unknown, entities: readonly Entity[] = []): NinjsImport {
  if (!isObject(doc)) throw problemError([{ path: '/', reason: 'must be a JSON object (one ninjs news item)' }]);
  const problems: NinjsProblem[] = [];
  const n = isNinjs2(doc) ? normalise2(doc, problems) : normalise3(doc, problems);

  const headline = n.headlines.find((h) => h.role === 'main') ?? n.headlines[0];
  let headlineText = '';
  if (!headline) problems.push({ path: isNinjs2(doc) ? '/headline' : '/headlines', reason: 'a brief needs a headline' });
  else if (typeof headline.value !== 'string') problems.push({ path: headline.pointer === '/headline' ? '/headline' : `${headline.pointer}/value`, reason: 'must be a string' });
  else headlineText = (isHtml(headline.contentType) ? htmlToParagraphs(headline.value).join(' ').replace(/\\([\\*_[\]])/g, '$1') : headline.value).replace(/\s+/g, ' ').trim();
  const headlinePointer = headline ? (headline.pointer === '/headline' ? '/headline' : `${headline.pointer}/value`) : '/headlines';

  const { paragraphs, pointers, quotes } = detailsFrom(n.bodies, problems);

  const sources: NonNullable<BriefInput['sources']> = [];
  const sourcePointers: string[] = [];
  for (const s of n.infoSources) {
    if (typeof s.name !== 'string' || !s.name.trim()) {
      problems.push({ path: `${s.pointer}/name`, reason: 'a source needs a name' });
      continue;
    }
    const url = typeof s.uri === 'string' && /^https?:\/\//i.test(s.uri) ? s.uri : null;
    const kind: SourceKind = typeof s.role === 'string' && (SOURCE_KINDS as readonly string[]).includes(s.role) ? (s.role as SourceKind) : 'news_agency';
    sources.push({ name: s.name.trim(), url, kind });
    sourcePointers.push(s.pointer);
  }

  const byName = new Map<string, Entity>();
  for (const e of entities) {
    for (const name of [e.names.en, e.names.uk, e.names.ru, ...e.aliases]) if (name.trim()) byName.set(normaliseName(name), e);
  }
  const entityIds: string[] = [];
  const unmatched: NinjsImport['unmatched'] = [];
  for (const c of n.concepts) {
    if (typeof c.name !== 'string' || !c.name.trim()) continue;
    const match = byName.get(normaliseName(c.name));
    if (match && (c.kind === null || match.kind === c.kind)) entityIds.push(match.id);
    else unmatched.push({ pointer: `${c.pointer}/name`, name: c.name.trim() });
  }

  const language = languageFrom(n.language, n.languagePointer, [headlineText, ...paragraphs].join('\n'), problems);
  const details = [...paragraphs];
  const detailPointers = [...pointers];
  if (unmatched.length) {
    // Kept rather than dropped: the editor decides whether they become entities or go.
    details.push(`${SUBJECTS_LABEL[language]}: ${unmatched.map((u) => escapeMarkdown(u.name)).join('; ')}`);
    detailPointers.push(unmatched[0]!.pointer);
  }
  const input: BriefInput = {
    language, headline: headlineText, sources,
    quotes: quotes.map((q) => ({ text: q.text })),
    details,
    entityIds: [...new Set(entityIds)],
  };

  // The brief's own limits (lengths, counts), reported at the ninjs property they came from.
  const pointerOf = (path: string): string => {
    const [field, index] = path.split('.');
    const i = index === undefined ? -1 : Number(index);
    if (field === 'headline') return headlinePointer;
    if (field === 'details') return (i >= 0 ? detailPointers[i] : detailPointers[0]) ?? '/bodies';
    if (field === 'sources') return (i >= 0 ? sourcePointers[i] : undefined) ?? (isNinjs2(doc) ? '/infosources' : '/infoSources');
    if (field === 'quotes') return (i >= 0 ? quotes[i]?.pointer : undefined) ?? '/bodies';
    if (field === 'language') return n.languagePointer;
    return '/';
  };
  // Checked even when the document already has problems, so one answer lists them all; a value
  // reported above keeps its first reason.
  for (const e of fieldErrorsFrom([...Value.Errors(BriefInputSchema, input)] as SchemaIssue[])) {
    problems.push({ path: pointerOf(e.path), reason: `${e.path === 'headline' ? 'the headline' : e.path} ${e.reason}` });
  }
  if (problems.length) throw problemError(problems);
  return { input, unmatched };
}

/** The entity kind a partner's concept names by the array it sits in (3.x and 2.x spell them alike). */
function kindOfPointer(pointer: string): EntityKind | null {
  if (pointer.startsWith('/people/')) return 'person';
  if (pointer.startsWith('/places/')) return 'place';
  if (pointer.startsWith('/organisations/')) return 'organisation';
  return null;
}

/**
 * Imports one ninjs item as a draft brief through `createBrief`, as any other new brief: the
 * role is checked first, entities are matched by name (any language, aliases too). People,
 * places and organisations the gazetteer lacks become entities when the importer may create
 * them (editors), named in the item's language, so the partner's subjects stay subjects; for
 * others they are listed in `unmatched` and kept as a paragraph for an editor to sort out.
 */
export async function importNinjs(deps: ContentDeps, actor: Actor, doc: unknown): Promise<{ brief: Brief; unmatched: NinjsImport['unmatched'] }> {
  assertCan(actor, 'brief.write');
  let mapped = ninjsToBriefInput(doc, await listEntities(deps.db));
  const creatable = can(actor, 'entity.manage') ? mapped.unmatched.filter((u) => kindOfPointer(u.pointer)) : [];
  if (creatable.length) {
    const language = mapped.input.language;
    const seen = new Set<string>();
    for (const u of creatable) {
      const key = `${kindOfPointer(u.pointer)}:${normaliseName(u.name)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await createEntity(deps, actor, { kind: kindOfPointer(u.pointer)!, names: { en: '', uk: '', ru: '', [language]: u.name }, aliases: [] });
    }
    mapped = ninjsToBriefInput(doc, await listEntities(deps.db));
  }
  const brief = await createBrief(deps, actor, mapped.input);
  return { brief, unmatched: mapped.unmatched };
}
