import type { ComponentChildren } from 'preact';

export interface LayoutProps {
  /** The page's own title; the site name is appended. */
  title: string;
  /** The title's language, when it is not the page's. */
  titleLang?: string;
  description: string;
  /** Absolute canonical URL of this page. */
  canonical: string;
  lang: string;
  siteName: string;
  /** 'site' for reader pages, 'desk' for staff pages (different header and stylesheet). */
  surface?: 'site' | 'desk';
  /** Extra elements for <head> (feeds, robots, JSON-LD later). */
  head?: ComponentChildren;
  header?: ComponentChildren;
  footer?: ComponentChildren;
  /** Text of the skip link, in the page's language; English when absent. */
  skipLinkLabel?: string;
  children: ComponentChildren;
}

/** The HTML shell every page shares: one stylesheet, no inline script or style (strict CSP). */
export function Layout(props: LayoutProps) {
  const surface = props.surface ?? 'site';
  return (
    <html lang={props.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title lang={props.titleLang}>{`${props.title} — ${props.siteName}`}</title>
        <meta name="description" content={props.description} />
        <link rel="canonical" href={props.canonical} />
        <link rel="stylesheet" href={`/assets/${surface}.css`} />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        {surface === 'desk' ? <meta name="robots" content="noindex, nofollow" /> : null}
        {props.head}
      </head>
      <body class={surface}>
        <a class="skip-link" href="#main">{props.skipLinkLabel ?? 'Skip to content'}</a>
        {props.header}
        <main id="main">{props.children}</main>
        {props.footer}
      </body>
    </html>
  );
}
