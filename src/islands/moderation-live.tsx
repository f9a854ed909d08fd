// Live queue counts for the moderation desk. The server's event stream says that a comment
// entered or left a queue; this island then fetches the counts, updates the tabs, and offers a
// link to reload when the open queue grew. Nothing is inserted into the list, so the page never
// jumps under the moderator's cursor. Without JavaScript the page is simply as it was served.

type Counts = Record<string, number>;

interface QueueMessage {
  type?: string;
  commentId?: string;
  status?: string;
  decision?: string;
}

const STREAM_URL = '/desk/moderation/live';
const COUNTS_URL = '/desk/moderation/counts';
// Several comments often arrive together (a bulk decision, a wave of replies): one fetch for them.
const DEBOUNCE_MS = 400;

function parseCounts(raw: string | undefined): Counts {
  try {
    const value: unknown = JSON.parse(raw ?? '{}');
    return value && typeof value === 'object' ? (value as Counts) : {};
  } catch {
    return {};
  }
}

function start(): void {
  const root = document.getElementById('mod-live');
  if (!root || typeof EventSource === 'undefined') return;
  const queue = root.dataset.queue ?? '';
  const shown = parseCounts(root.dataset.counts);
  const notice = root.querySelector<HTMLElement>('.mod-live-notice');
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refresh = async () => {
    let counts: Counts;
    try {
      const response = await fetch(COUNTS_URL, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) return;
      counts = (await response.json()) as Counts;
    } catch {
      return;
    }
    for (const el of document.querySelectorAll<HTMLElement>('[data-queue-count]')) {
      const n = counts[el.dataset.queueCount ?? ''];
      if (typeof n === 'number') el.textContent = String(n);
    }
    const now = counts[queue];
    if (notice && typeof now === 'number' && now > (shown[queue] ?? 0)) notice.hidden = false;
  };

  // A comment on this page that someone else decided on (or its author deleted) is marked, not
  // removed: the moderator may be reading it.
  const markGone = (message: QueueMessage) => {
    if (!message.commentId || !['comment.moderated', 'comment.deleted'].includes(message.type ?? '')) return;
    const item = document.getElementById(`comment-${message.commentId}`);
    if (!item || item.classList.contains('is-gone')) return;
    item.classList.add('is-gone');
    const note = item.querySelector<HTMLElement>('.mod-gone');
    if (note) note.hidden = false;
  };

  const source = new EventSource(STREAM_URL);
  source.addEventListener('queue', (event) => {
    let message: QueueMessage = {};
    try {
      message = JSON.parse((event as MessageEvent<string>).data) as QueueMessage;
    } catch {
      // an unreadable message still means the queues changed
    }
    markGone(message);
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), DEBOUNCE_MS);
  });
  // Leaving the page (a decision's form submission) should not log a failed connection.
  window.addEventListener('pagehide', () => source.close());
}

start();
