import { render } from 'preact';
import { plural, type PluralForms } from '../common/plural.js';

// Live comments on a brief page. The server's event stream (GET /news/:slug/comments/live) says
// that a comment became visible or went away, by id only. New ones are counted in a polite live
// region as a "N new comments" button; a click fetches each comment's server-rendered HTML and
// puts it in its place (newest first: on top; oldest first or a reply: at the end of its list),
// keeping whatever the reader is looking at where it was. Removed ones leave the page at once.
// Without JavaScript the page is complete as served; this only adds to it.

interface Labels {
  comments: PluralForms;
  newComments: PluralForms;
  newShown: PluralForms;
}

interface CommentChange {
  type?: string;
  commentId?: string;
  parentId?: string | null;
}

function parseLabels(raw: string | undefined): Labels | null {
  try {
    const value = JSON.parse(raw ?? '') as Partial<Labels>;
    return value.comments?.other && value.newComments?.other && value.newShown?.other ? (value as Labels) : null;
  } catch {
    return null;
  }
}

const commentElement = (id: string) => document.getElementById(`comment-${id}`);

/** The top-most element on screen among those that can move, with its position now. */
function currentAnchor(): { element: Element; top: number } | null {
  const candidates = document.querySelectorAll('article.brief > section:not(#comments), #comments > h2, #comment-form, article.comment, .site-footer');
  for (const element of candidates) {
    const box = element.getBoundingClientRect();
    if (box.bottom > 0) return { element, top: box.top };
  }
  return null;
}

/** Changes the page so that what the reader is looking at stays where it is on screen. */
function keepInPlace(change: () => void): void {
  const anchor = currentAnchor();
  change();
  if (!anchor || !anchor.element.isConnected) return;
  const delta = anchor.element.getBoundingClientRect().top - anchor.top;
  if (delta !== 0) window.scrollBy({ top: delta, behavior: 'instant' });
}

function LiveBar(props: { language: string; labels: Labels; waiting: number; shown: number; isBusy: boolean; onReveal: () => void }) {
  const { language, labels } = props;
  return (
    <div class="comments-live-region" aria-live="polite">
      {props.waiting > 0 ? (
        <button type="button" class="comments-live-button" onClick={props.onReveal} disabled={props.isBusy}>
          {plural(language, labels.newComments, props.waiting)}
        </button>
      ) : null}
      {props.waiting === 0 && props.shown > 0 ? <p class="visually-hidden">{plural(language, labels.newShown, props.shown)}</p> : null}
    </div>
  );
}

function start(): void {
  const section = document.getElementById('comments');
  const streamUrl = section?.dataset.live;
  const labels = parseLabels(section?.dataset.labels);
  if (!section || !streamUrl || !labels || typeof EventSource === 'undefined') return;
  const language = document.documentElement.lang || 'en';
  const fragmentBase = section.dataset.fragments ?? '';
  const isNewestFirst = section.dataset.sort === 'newest';
  const pageQuery = new URLSearchParams({ sort: section.dataset.sort ?? 'oldest', ...(section.dataset.cursor ? { cursor: section.dataset.cursor } : {}) });
  let total = Number(section.dataset.count) || 0;
  const waiting: string[] = [];
  let shown = 0;
  let isBusy = false;

  const bar = document.createElement('div');
  bar.className = 'comments-live';
  section.querySelector(':scope > h2')?.after(bar);

  const heading = section.querySelector<HTMLElement>(':scope > h2');
  const setTotal = (n: number) => {
    total = Math.max(0, n);
    if (heading) heading.textContent = plural(language, labels.comments, total);
  };

  /** The list a new top-level comment goes into, made when the section had none. */
  const threadList = (): HTMLElement => {
    const existing = section.querySelector<HTMLElement>(':scope > ol.comment-threads');
    if (existing) return existing;
    const list = document.createElement('ol');
    list.className = 'comment-threads';
    const empty = section.querySelector(':scope > .comments-empty');
    if (empty) empty.replaceWith(list);
    else section.append(list);
    return list;
  };

  /** Puts a fetched comment where the server would have rendered it; false if its thread is not on this page. */
  const place = (article: HTMLElement): boolean => {
    const item = document.createElement('li');
    const parentId = article.dataset.parent;
    if (parentId) {
      const holder = commentElement(parentId)?.parentElement;
      if (!holder) return false;
      let replies = holder.querySelector<HTMLElement>(':scope > ol.comment-replies');
      if (!replies) {
        replies = document.createElement('ol');
        replies.className = 'comment-replies';
        holder.append(replies);
      }
      item.append(article);
      replies.append(item);
      return true;
    }
    item.className = 'comment-thread';
    item.append(article);
    const list = threadList();
    if (isNewestFirst) list.prepend(item);
    else list.append(item);
    return true;
  };

  const fetchComment = async (id: string): Promise<HTMLElement | null> => {
    try {
      const response = await fetch(`${fragmentBase}${encodeURIComponent(id)}/fragment?${pageQuery.toString()}`, {
        credentials: 'same-origin', headers: { accept: 'text/html' },
      });
      if (!response.ok) return null;
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const article = doc.body.firstElementChild;
      return article instanceof HTMLElement && article.matches('article.comment') ? document.adoptNode(article) : null;
    } catch {
      return null;
    }
  };

  const draw = () => render(
    <LiveBar language={language} labels={labels} waiting={waiting.length} shown={shown} isBusy={isBusy} onReveal={() => void reveal()} />,
    bar,
  );

  const reveal = async () => {
    if (isBusy) return;
    const hadFocus = bar.contains(document.activeElement);
    isBusy = true;
    draw();
    const ids = waiting.splice(0);
    const articles = await Promise.all(ids.map(fetchComment));
    const placed: HTMLElement[] = [];
    keepInPlace(() => {
      for (const article of articles) {
        // Removed while it was fetched, or already on the page (the reader's own, say).
        if (!article || document.getElementById(article.id)) continue;
        if (place(article)) placed.push(article);
      }
    });
    setTotal(total + placed.length);
    shown = placed.length;
    isBusy = false;
    draw();
    // The button is gone; a keyboard user carries on from the first new comment, without a scroll.
    const first = placed[0];
    if (hadFocus && first) {
      first.tabIndex = -1;
      first.focus({ preventScroll: true });
    }
  };

  const onChange = (change: CommentChange) => {
    const id = change.commentId;
    if (typeof id !== 'string') return;
    if (change.type === 'added') {
      if (commentElement(id) || waiting.includes(id)) return;
      // A reply in a thread that is on another page of the comments is not this page's news.
      if (change.parentId && !commentElement(change.parentId)) return;
      waiting.push(id);
      shown = 0;
    } else if (change.type === 'removed') {
      const at = waiting.indexOf(id);
      if (at >= 0) waiting.splice(at, 1);
      const element = commentElement(id);
      if (element) {
        // Its replies go with it, as on the server's page.
        const item = element.parentElement?.tagName === 'LI' ? element.parentElement : element;
        // Not from under a reader who is writing in it (a reply, a report, an edit they changed):
        // the text would be lost. An edit form is prefilled, so only a change counts.
        const active = document.activeElement;
        const isTypingHere = (active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement) && item.contains(active);
        const isInUse = isTypingHere || [...item.querySelectorAll('textarea')].some((t) => t.value !== t.defaultValue);
        if (isInUse) {
          item.classList.add('is-removed');
          draw();
          return;
        }
        const removed = item.querySelectorAll('article.comment').length || 1;
        keepInPlace(() => item.remove());
        setTotal(total - removed);
      }
    } else {
      return;
    }
    draw();
  };

  const source = new EventSource(streamUrl);
  source.addEventListener('comment', (event) => {
    try {
      onChange(JSON.parse((event as MessageEvent<string>).data) as CommentChange);
    } catch {
      // an unreadable message is skipped; the next page load shows everything anyway
    }
  });
  window.addEventListener('pagehide', () => source.close());
  draw();
}

start();
