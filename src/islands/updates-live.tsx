import { render } from 'preact';
import { isLanguage, newUpdatesText } from '../web/live-messages.js';

// Live updates on a home or story page. The server's event stream names the briefs published,
// corrected or retracted since the page was served; this counts them (each brief once) and turns
// the page's "Check for new updates" link into an "N new updates" button in the same spot, a
// polite live region. The button loads the list's first page afresh, where the new briefs are:
// nothing is inserted under the reader, so nothing they are reading moves until they ask.
// Without JavaScript the link does the same.

interface BriefUpdate {
  briefId?: unknown;
  kind?: unknown;
}

const KINDS = new Set(['published', 'corrected', 'retracted']);

function UpdatesButton(props: { text: string; isLeaving: boolean; onShow: () => void }) {
  return (
    <button type="button" class="live-updates-button" onClick={props.onShow} disabled={props.isLeaving}>
      {props.text}
    </button>
  );
}

function start(): void {
  const spot = document.querySelector<HTMLElement>('.live-updates[data-live]');
  const streamUrl = spot?.dataset.live;
  const href = spot?.dataset.href;
  const language = spot?.closest<HTMLElement>('[lang]')?.lang ?? '';
  if (!spot || !streamUrl || !href || !isLanguage(language) || typeof EventSource === 'undefined') return;
  const changed = new Set<string>();
  let isLeaving = false;

  const draw = () => {
    if (changed.size === 0) return;
    // The first draw takes the link's place; the spot's reserved height keeps the page still.
    if (!spot.classList.contains('has-updates')) {
      spot.replaceChildren();
      spot.classList.add('has-updates');
    }
    render(<UpdatesButton text={newUpdatesText(language, changed.size)} isLeaving={isLeaving} onShow={show} />, spot);
  };

  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource(streamUrl);
    source.addEventListener('brief', (event) => {
      try {
        const update = JSON.parse((event as MessageEvent<string>).data) as BriefUpdate;
        if (typeof update.briefId !== 'string' || !KINDS.has(String(update.kind))) return;
        changed.add(update.briefId);
        draw();
      } catch {
        // an unreadable message is skipped; the link and the next load show everything anyway
      }
    });
  };
  const disconnect = () => {
    source?.close();
    source = null;
  };

  const show = () => {
    isLeaving = true;
    draw();
    disconnect();
    window.location.assign(href);
  };

  connect();
  window.addEventListener('pagehide', disconnect);
  // Back from a brief, the browser may restore this page as it was, stream closed: listen again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted || source) return;
    isLeaving = false;
    draw();
    connect();
  });
}

start();
