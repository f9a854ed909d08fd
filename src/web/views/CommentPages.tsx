import type { Language } from '../../content/types.js';
import { messagesFor } from '../messages.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/**
 * A comment form that could not be handled at all (its CSRF token expired, say): what happened,
 * in the brief's language, and the way back to the brief's comments.
 */
export function CommentNoticePage(props: { site: SiteInfo; language: Language; path: string; title: string; text: string; backHref: string | null }) {
  const m = messagesFor(props.language);
  return (
    <SitePage
      site={props.site} title={props.title} description={props.text} path={props.path} language={props.language}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p><a href={props.backHref ?? '/'}>{props.backHref ? m.comment.backToBrief : m.backHome}</a></p>
    </SitePage>
  );
}
