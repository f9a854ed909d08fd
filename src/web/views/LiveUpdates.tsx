import type { Language } from '../../content/types.js';
import { liveMessagesFor } from '../live-messages.js';

// The live updates' place on a list page (home, story). Served as a plain link that reloads the
// list, which is all a reader without JavaScript needs; the updates-live island, loaded as a
// module (same origin, as the CSP asks), listens to the page's event stream and turns the same
// spot into an "N new updates" button. The spot keeps its height either way, so nothing the
// reader is looking at moves when the button appears.

/** The first page of a list: new briefs land there, not on the older page a cursor points at. */
export function firstPageOf(path: string): string {
  const url = new URL(path, 'http://site.invalid');
  url.searchParams.delete('cursor');
  return url.pathname + url.search;
}

export function LiveUpdates(props: { language: Language; stream: string; path: string }) {
  const href = firstPageOf(props.path);
  return (
    <>
      <div class="live-updates" lang={props.language} aria-live="polite" data-live={props.stream} data-href={href}>
        <p class="live-updates-check"><a href={href}>{liveMessagesFor(props.language).checkForUpdates}</a></p>
      </div>
      <script type="module" src="/assets/updates-live.js"></script>
    </>
  );
}
