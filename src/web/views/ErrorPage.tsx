import type { Language } from '../../content/types.js';
import { messagesFor } from '../messages.js';
import { homePath } from '../paths.js';
import { SitePage, type SiteInfo } from './SitePage.js';

export type ErrorKind = 'badRequest' | 'notFound' | 'gone' | 'other' | 'internal';

/**
 * The page for 4xx and 5xx answers: a plain explanation and a way back, never the cause. It
 * speaks the language of the address asked for (/uk/… in Ukrainian), English elsewhere.
 */
export function ErrorPage(props: { site: SiteInfo; kind: ErrorKind; path: string; language?: Language }) {
  const language = props.language ?? 'en';
  const m = messagesFor(language);
  const { title, text } = m.errors[props.kind];
  return (
    <SitePage site={props.site} title={title} description={text} path={props.path} language={language} head={<meta name="robots" content="noindex" />}>
      <h1>{title}</h1>
      <p>{text}</p>
      <p><a href={homePath(language)}>{m.backHome}</a></p>
    </SitePage>
  );
}
