import { h, type ComponentChild } from 'preact';
import { entityName } from '../content/entities.js';
import type { Brief, Entity, EntityKind, Language, Story } from '../content/types.js';
import { briefPath, entityPath, homePath, storyPath } from '../web/paths.js';

// schema.org structured data and social-card tags for reader pages. Everything here is pure: the
// loaders hand in plain data and the views render what comes out, so tests need no database.

/** The site as structured data names it. */
export interface SiteIdentity {
  siteName: string;
  /** Public origin without a trailing slash. */
  publicUrl: string;
}

export type JsonLd = Record<string, unknown>;

/** The publisher's logo: a raster image, since Google does not accept SVG logos. */
export const LOGO_PATH = '/assets/logo.png';
const LOGO_SIZE = 192;

/** og:locale wants a territory; these are the ones each language is mostly read in. */
const OG_LOCALES: Record<Language, string> = { uk: 'uk_UA', en: 'en_GB', ru: 'ru_RU' };

const ENTITY_TYPES: Record<EntityKind, string> = { person: 'Person', organisation: 'Organization', place: 'Place' };

/** How many of a live story's newest briefs its LiveBlogPosting lists. */
const LIVE_UPDATES = 10;

// Escaped as \uXXXX, which JSON.parse reads back as the same character. `<` and `>` keep `</script>`
// and `<!--` from changing the HTML parser's state inside the script element; `&` keeps a parser that
// decodes entities from seeing one; U+2028/U+2029 are line terminators to pre-2019 JavaScript.
const UNSAFE_IN_SCRIPT: Record<string, string> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

/** JSON that no string inside can end its <script> element with: parses back to `value` unchanged. */
export function safeJsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => UNSAFE_IN_SCRIPT[ch]!);
}

/**
 * One `application/ld+json` script. The only dangerouslySetInnerHTML in the views, and inert:
 * Preact would entity-escape the text, which a script element does not decode, so the JSON is set
 * raw and made safe by safeJsonLd instead. CSP does not apply, since a data block is never executed.
 */
export function JsonLdScript(props: { data: JsonLd }): ComponentChild {
  return h('script', { type: 'application/ld+json', dangerouslySetInnerHTML: { __html: safeJsonLd(props.data) } });
}

function latest(...times: (string | null | undefined)[]): string | undefined {
  const known = times.filter((t): t is string => Boolean(t)).map((t) => new Date(t).toISOString());
  return known.length > 0 ? known.sort().at(-1) : undefined;
}

/** When readers last saw the brief change: publication, a correction or a retraction. */
export function briefModifiedAt(brief: Brief): string | undefined {
  return latest(brief.publishedAt, brief.updatedAt, brief.correctedAt, brief.retractedAt);
}

function publisher(site: SiteIdentity): JsonLd {
  return {
    '@type': 'NewsMediaOrganization',
    name: site.siteName,
    url: `${site.publicUrl}/`,
    logo: { '@type': 'ImageObject', url: site.publicUrl + LOGO_PATH, width: LOGO_SIZE, height: LOGO_SIZE },
  };
}

function entityThing(site: SiteIdentity, entity: Entity, language: Language): JsonLd {
  return { '@type': ENTITY_TYPES[entity.kind], name: entityName(entity, language), url: site.publicUrl + entityPath(entity, language) };
}

export interface NewsArticleInput {
  site: SiteIdentity;
  brief: Brief;
  /** The meta description, reused so the two never disagree. */
  description: string;
  /** The entities the brief names. */
  entities: Entity[];
  /** Display names of the staff who wrote the brief; the newsroom is the author when empty. */
  authorNames: string[];
}

/** The brief as a schema.org NewsArticle, corrections and retraction as CorrectionComments. */
export function newsArticle(input: NewsArticleInput): JsonLd {
  const { site, brief } = input;
  const url = site.publicUrl + briefPath(brief);
  const author = input.authorNames.length > 0
    ? input.authorNames.map((name) => ({ '@type': 'Person', name }))
    : [{ '@type': 'Organization', name: site.siteName, url: `${site.publicUrl}/` }];
  const corrections = [
    brief.correctedAt && brief.correctionReason ? { text: brief.correctionReason, datePublished: brief.correctedAt } : null,
    brief.retractedAt && brief.retractionReason ? { text: brief.retractionReason, datePublished: brief.retractedAt } : null,
  ].flatMap((c) => (c ? [{ '@type': 'CorrectionComment', ...c }] : []));
  const article: JsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: brief.headline,
    description: input.description,
    url,
    mainEntityOfPage: url,
    inLanguage: brief.language,
    datePublished: brief.publishedAt ?? undefined,
    dateModified: briefModifiedAt(brief),
    author,
    publisher: publisher(site),
    isAccessibleForFree: true,
  };
  if (input.entities.length > 0) article.about = input.entities.map((e) => entityThing(site, e, brief.language));
  if (corrections.length > 0) article.correction = corrections;
  return article;
}

/** A trail of pages, outermost first: each step's name and its path on the site. */
export function breadcrumbList(site: SiteIdentity, steps: { name: string; path: string }[]): JsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: steps.map((step, i) => ({ '@type': 'ListItem', position: i + 1, name: step.name, item: site.publicUrl + step.path })),
  };
}

/** Home → story → brief, in the brief's language; home → brief for a brief outside any story. */
export function briefBreadcrumbs(site: SiteIdentity, brief: Brief, story: Story | null): JsonLd {
  return breadcrumbList(site, [
    { name: site.siteName, path: homePath(brief.language) },
    ...(story ? [{ name: story.title, path: storyPath(story, brief.language) }] : []),
    { name: brief.headline, path: briefPath(brief) },
  ]);
}

export interface LiveBlogInput {
  site: SiteIdentity;
  story: Story;
  /** The language of the page it sits on, which picks the addresses. */
  language: Language;
  /** The story's briefs, newest first. */
  briefs: Brief[];
}

/** A developing story as a LiveBlogPosting whose updates are its newest briefs. */
export function liveBlogPosting(input: LiveBlogInput): JsonLd {
  const { site, story, language } = input;
  const url = site.publicUrl + storyPath(story, language);
  const updates = input.briefs.slice(0, LIVE_UPDATES);
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    headline: story.title,
    ...(story.summary ? { description: story.summary } : {}),
    url,
    mainEntityOfPage: url,
    inLanguage: story.language,
    coverageStartTime: story.createdAt,
    datePublished: story.createdAt,
    dateModified: latest(story.updatedAt, ...updates.map(briefModifiedAt)),
    publisher: publisher(site),
    isAccessibleForFree: true,
    liveBlogUpdate: updates.map((brief) => ({
      '@type': 'BlogPosting',
      headline: brief.headline,
      url: site.publicUrl + briefPath(brief),
      inLanguage: brief.language,
      datePublished: brief.publishedAt ?? undefined,
      dateModified: briefModifiedAt(brief),
    })),
  };
}

/** One <meta>: Open Graph uses `property`, Twitter's cards `name`. */
export type MetaTag = { property: string; content: string } | { name: string; content: string };

export interface SocialTagsInput {
  site: SiteIdentity;
  title: string;
  description: string;
  /** Path of the page; the tags carry the absolute URL. */
  path: string;
  language: Language;
  /** Languages the same content is also published in. */
  alternateLanguages?: Language[];
  /** A brief's dates make the page an `article`; without them it is a `website`. */
  article?: { publishedAt: string | null; modifiedAt: string | undefined };
}

/** Open Graph and Twitter card tags (a text-only "summary" card: briefs have no images yet). */
export function socialMetaTags(input: SocialTagsInput): MetaTag[] {
  const tags: MetaTag[] = [
    { property: 'og:title', content: input.title },
    { property: 'og:type', content: input.article ? 'article' : 'website' },
    { property: 'og:url', content: input.site.publicUrl + input.path },
    { property: 'og:description', content: input.description },
    { property: 'og:site_name', content: input.site.siteName },
    { property: 'og:locale', content: OG_LOCALES[input.language] },
    ...(input.alternateLanguages ?? []).filter((l) => l !== input.language).map((l) => ({ property: 'og:locale:alternate', content: OG_LOCALES[l] })),
  ];
  if (input.article?.publishedAt) tags.push({ property: 'article:published_time', content: input.article.publishedAt });
  if (input.article?.modifiedAt) tags.push({ property: 'article:modified_time', content: input.article.modifiedAt });
  tags.push(
    { name: 'twitter:card', content: 'summary' },
    { name: 'twitter:title', content: input.title },
    { name: 'twitter:description', content: input.description },
  );
  return tags;
}

/** The tags as <meta> elements for a page's head; Preact escapes their attributes. */
export function metaElements(tags: MetaTag[]): ComponentChild[] {
  return tags.map((tag) => h('meta', { ...tag }));
}
