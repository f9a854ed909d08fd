import type { ComponentChildren } from 'preact';
import { LANGUAGES, type Language } from '../../content/types.js';
import { messagesFor } from '../messages.js';
import { Layout } from './Layout.js';

/** What every reader page needs to know about the site itself. */
export interface SiteInfo {
  siteName: string;
  publicUrl: string;
  timeZone: string;
}

export interface SitePageProps {
  site: SiteInfo;
  title: string;
  description: string;
  /** Path and query of this page; the canonical URL is the public origin plus this. */
  path: string;
  /** Language of the page chrome and of <html lang>. */
  language: Language;
  /** The language filter the home page is showing, to mark the current nav link. */
  currentFilter?: Language | null;
  /** Extra <head> elements, passed to Layout. */
  head?: ComponentChildren;
  children: ComponentChildren;
}

/** A reader page: site header with a labelled nav, the content, a footer. */
export function SitePage(props: SitePageProps) {
  const m = messagesFor(props.language);
  const isHome = props.path === '/' || props.path.startsWith('/?');
  const current = (filter: Language | null) => (isHome && (props.currentFilter ?? null) === filter ? 'page' : undefined);
  const header = (
    <header class="site-header">
      <a class="site-name" href="/">{props.site.siteName}</a>
      <nav aria-label={m.siteNav}>
        <ul>
          <li><a href="/" aria-current={current(null)}>{m.allLanguages}</a></li>
          {LANGUAGES.map((language) => (
            <li>
              <a href={`/?lang=${language}`} lang={language} hrefLang={language} aria-current={current(language)}>
                {messagesFor(language).languageName}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {/* The same link for everyone, so reader pages stay cacheable; /account sends strangers to the login form. */}
      <a class="account-link" href="/account">{m.account}</a>
    </header>
  );
  const footer = (
    <footer class="site-footer">
      <p>{props.site.siteName} — {m.tagline}</p>
    </footer>
  );
  return (
    <Layout
      title={props.title}
      description={props.description}
      canonical={props.site.publicUrl + props.path}
      lang={props.language}
      siteName={props.site.siteName}
      surface="site"
      head={props.head}
      header={header}
      footer={footer}
      skipLinkLabel={m.skipToContent}
    >
      {props.children}
    </Layout>
  );
}
