import { messagesFor } from '../messages.js';
import { SitePage, type SiteInfo } from './SitePage.js';

export type ErrorKind = 'badRequest' | 'notFound' | 'gone' | 'other' | 'internal';

/** The page for 4xx and 5xx answers: a plain explanation and a way back, never the cause. */
export function ErrorPage(props: { site: SiteInfo; kind: ErrorKind; path: string }) {
  const m = messagesFor('en');
  const { title, text } = m.errors[props.kind];
  return (
    <SitePage site={props.site} title={title} description={text} path={props.path} language="en" head={<meta name="robots" content="noindex" />}>
      <h1>{title}</h1>
      <p>{text}</p>
      <p><a href="/">{m.backHome}</a></p>
    </SitePage>
  );
}
