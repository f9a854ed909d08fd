import type { ComponentChildren } from 'preact';
import { LANGUAGES, type Language } from '../../content/types.js';
import { messagesFor } from '../messages.js';
import type { FeedPathScope } from '../paths.js';
import { FEED_FORMATS, FEED_LINK_TYPES, feedPath, homePath, pathInLanguage, searchPath } from '../paths.js';
import { Layout } from './Layout.js';

/** What every reader page needs to know about the site itself. */
export interface SiteInfo {
  siteName: string;
  publicUrl: string;
  timeZone: string;
}

/** The same page in other languages: language → path. */
export type Alternates = Partial<Record<Language, string>>;

export interface SitePageProps {
  site: SiteInfo;
  title: string;
  /** The title's language when it differs from the page's (a story's title exists in one language). */
  titleLanguage?: Language;
  description: string;
  /** Path and query of this page; the canonical URL is the public origin plus this. */
  path: string;
  /** Language of the page chrome and of <html lang>. */
  language: Language;
  /**
   * This page in the other languages, for the language switcher and hreflang links. By default
   * the path with its language segment swapped (`/uk/stories/x` → `/ru/stories/x`); a brief
   * passes its translations, since its other-language versions are other briefs.
   */
  alternates?: Alternates;
  /** Set on the all-languages home page (`/`), whose nav marks "All languages" as current. */
  isAllLanguages?: boolean;
  /** The feed that follows this page (home, a language, a story, an entity), for discovery links in every format. */
  feed?: FeedPathScope | null;
  /** Extra <head> elements, passed to Layout. */
  head?: ComponentChildren;
  children: ComponentChildren;
}

function defaultAlternates(path: string): Alternates {
  return Object.fromEntries(LANGUAGES.flatMap((language) => {
    const other = pathInLanguage(path, language);
    return other ? [[language, other]] : [];
  }));
}

/**
 * A reader page: site header with a labelled nav (home in this language, all languages,
 * search, the language switcher), the content, a footer.
 */
export function SitePage(props: SitePageProps) {
  const m = messagesFor(props.language);
  const alternates = props.alternates ?? defaultAlternates(props.path);
  const home = homePath(props.language);
  const isHome = !props.isAllLanguages && props.path.split('?')[0] === home;
  const switcher = LANGUAGES.filter((language) => alternates[language] !== undefined);
  const header = (
    <header class="site-header">
      <a class="site-name" href={home}>{props.site.siteName}</a>
      <nav aria-label={m.siteNav}>
        <ul>
          <li><a href={home} aria-current={isHome ? 'page' : undefined}>{m.latestBriefs}</a></li>
          <li><a href="/" aria-current={props.isAllLanguages ? 'page' : undefined}>{m.allLanguages}</a></li>
          <li><a href={searchPath(props.language)}>{m.search}</a></li>
        </ul>
      </nav>
      {switcher.some((language) => language !== props.language) ? (
        <nav aria-label={m.otherLanguages} class="language-switcher">
          <ul>
            {switcher.map((language) => (
              <li>
                {/* On the all-languages home every language is another page; elsewhere this page's own language is current. */}
                <a
                  href={alternates[language]} lang={language} hrefLang={language}
                  aria-current={!props.isAllLanguages && language === props.language ? 'page' : undefined}
                >
                  {messagesFor(language).languageName}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {/* The same link for everyone, so reader pages stay cacheable; /account sends strangers to the login form. */}
      <a class="account-link" href="/account">{m.account}</a>
    </header>
  );
  const footer = (
    <footer class="site-footer">
      <p>{props.site.siteName} — {m.tagline}</p>
    </footer>
  );
  const feedScope = props.feed;
  const head = (
    <>
      {switcher.map((language) => (
        <link rel="alternate" hrefLang={language} href={props.site.publicUrl + alternates[language]} />
      ))}
      {feedScope ? FEED_FORMATS.map((format) => (
        <link rel="alternate" type={FEED_LINK_TYPES[format].type} href={props.site.publicUrl + feedPath(feedScope, format)} title={`${props.title} (${FEED_LINK_TYPES[format].name})`} />
      )) : null}
      {props.head}
    </>
  );
  return (
    <Layout
      title={props.title}
      titleLang={props.titleLanguage && props.titleLanguage !== props.language ? props.titleLanguage : undefined}
      description={props.description}
      canonical={props.site.publicUrl + props.path}
      lang={props.language}
      siteName={props.site.siteName}
      surface="site"
      head={head}
      header={header}
      footer={footer}
      skipLinkLabel={m.skipToContent}
    >
      {props.children}
    </Layout>
  );
}
