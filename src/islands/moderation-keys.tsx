// Keyboard shortcuts for the moderation queues: j / k move between comments, a approves,
// r rejects, f features (or unfeatures), x ticks the comment for the bulk form. Each key
// submits the comment's own form, so the server sees exactly what a click would send.

const ITEM = 'article.mod-item';
const SELECTED = 'is-selected';

const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset']);

/** Whether a key goes into a field: then it is the person's text, not a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type);
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

function items(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(ITEM)].filter((el) => !el.classList.contains('is-gone'));
}

function select(item: HTMLElement | undefined): void {
  if (!item) return;
  for (const el of document.querySelectorAll(`${ITEM}.${SELECTED}`)) el.classList.remove(SELECTED);
  item.classList.add(SELECTED);
  // Focus carries the screen reader along; preventScroll plus "nearest" avoids jumping the page.
  item.focus({ preventScroll: true });
  item.scrollIntoView({ block: 'nearest' });
}

function current(): HTMLElement | undefined {
  return document.querySelector<HTMLElement>(`${ITEM}.${SELECTED}`) ?? undefined;
}

function submit(item: HTMLElement, actions: string[]): void {
  for (const action of actions) {
    const form = item.querySelector<HTMLFormElement>(`form[data-action="${action}"]`);
    if (form) {
      form.requestSubmit();
      return;
    }
  }
}

function onKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
  const list = items();
  if (list.length === 0) return;
  const item = current();
  const index = item ? list.indexOf(item) : -1;
  switch (event.key) {
    case 'j':
      select(list[Math.min(index + 1, list.length - 1)]);
      break;
    case 'k':
      select(list[Math.max(index - 1, 0)]);
      break;
    case 'a':
      if (item) submit(item, ['approve']);
      break;
    case 'r':
      if (item) submit(item, ['reject']);
      break;
    case 'f':
      if (item) submit(item, ['feature', 'unfeature']);
      break;
    case 'x': {
      const box = item?.querySelector<HTMLInputElement>('input[type="checkbox"][name="ids"]');
      if (box) box.checked = !box.checked;
      break;
    }
    default:
      return;
  }
  event.preventDefault();
}

function start(): void {
  if (!document.querySelector(ITEM)) return;
  const help = document.getElementById('mod-keys-help');
  if (help) help.hidden = false;
  // A click inside a comment makes it the selected one, so keys and mouse agree.
  document.addEventListener('click', (event) => {
    const item = (event.target as Element | null)?.closest?.<HTMLElement>(ITEM);
    if (item) {
      for (const el of document.querySelectorAll(`${ITEM}.${SELECTED}`)) el.classList.remove(SELECTED);
      item.classList.add(SELECTED);
    }
  });
  document.addEventListener('keydown', onKey);
}

start();
