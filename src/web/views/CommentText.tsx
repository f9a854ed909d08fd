import { LinkifyIt } from 'linkify-it';
import { printable } from './Lines.js';

// A comment is plain text. Its line breaks are kept and its web addresses become links; nothing
// else of it is ever markup. The text goes into Preact nodes (escaped), never through innerHTML.

/** What readers' links carry: no ranking credit, marked as user content, no window.opener. */
export const COMMENT_LINK_REL = 'nofollow ugc noopener';

// Only addresses written out with http:// or https://; fuzzy ones ("example.org") are left as
// text, so a sentence is never turned into a link the writer did not mean.
const linkify = new LinkifyIt().set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });

// The characters a URL may carry as they are (the WHATWG "URL code points" that are ASCII).
const URL_SAFE = /[A-Za-z0-9!$&'()*+,\-./:;=?@_~]/;

/**
 * The href for an address a reader wrote, or null when it must stay text: only http(s), no
 * user:password@ (a classic disguise), and every character the HTML checker would reject in a
 * URL (`|`, `^`, `{`, a second `#`) percent-encoded, so the page stays valid whatever was typed.
 */
export function safeCommentHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') return null;
  const rest = `${url.pathname}${url.search}${url.hash}`;
  let out = '';
  let hasHash = false;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(rest.slice(i + 1, i + 3))) out += ch;
    else if (ch === '#' && !hasHash) {
      hasHash = true;
      out += ch;
    } else if (URL_SAFE.test(ch)) out += ch;
    else out += encodeURIComponent(ch);
  }
  return `${url.protocol}//${url.host}${out}`;
}

/** A run of comment text: plain, or a link with its href. */
export interface TextSegment {
  text: string;
  href: string | null;
}

/** One line of a comment cut into text and http(s) links. */
export function linkSegments(line: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  for (const match of linkify.match(line) ?? []) {
    const href = match.schema.toLowerCase() === 'http:' || match.schema.toLowerCase() === 'https:' ? safeCommentHref(match.url) : null;
    if (!href) continue;
    if (match.index > at) segments.push({ text: line.slice(at, match.index), href: null });
    segments.push({ text: match.text, href });
    at = match.lastIndex;
  }
  if (at < line.length) segments.push({ text: line.slice(at), href: null });
  return segments;
}

/** A comment's text: line breaks as <br>, http(s) addresses as links, everything else as text. */
export function CommentText(props: { text: string }) {
  const lines = printable(props.text).split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => [
        i > 0 ? <br /> : null,
        linkSegments(line).map((s) => (s.href ? <a href={s.href} rel={COMMENT_LINK_REL}>{s.text}</a> : s.text)),
      ])}
    </>
  );
}
