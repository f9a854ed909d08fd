import { render } from 'preact';

// Live claim suggestions on the desk's story page. As the editor types an item's text, this asks
// the server (GET …/claim-suggestion?text=…) what the wording suggests and shows it below the
// form with an Accept button that puts the status and attribution into the form's fields. It
// never saves and never changes a field by itself: the editor accepts, then presses Save.
// Without JavaScript the form's "Suggest status from wording" button does the same round trip.

interface Suggestion {
  status: string;
  attribution: string | null;
  cue: string;
}

interface Answer {
  suggestion: Suggestion | null;
  label: string | null;
}

// Enough to skip a request per keystroke, short enough to feel immediate.
const DEBOUNCE_MS = 350;

function Box(props: { answer: Answer; acceptLabel: string; onAccept: (s: Suggestion) => void }) {
  const { suggestion, label } = props.answer;
  if (!suggestion || !label) return null;
  return (
    <div class="claim-suggestion">
      <p>{label}</p>
      <button type="button" class="secondary" onClick={() => props.onAccept(suggestion)}>{props.acceptLabel}</button>
    </div>
  );
}

function attach(form: HTMLFormElement): void {
  const url = form.dataset.claimSuggest;
  const text = form.querySelector<HTMLTextAreaElement>('textarea[name="text"]');
  const status = form.querySelector<HTMLSelectElement>('select[name="status"]');
  const attribution = form.querySelector<HTMLInputElement>('input[name="attributionSource"]');
  const live = form.querySelector<HTMLElement>('[data-claim-live]');
  if (!url || !text || !status || !attribution || !live) return;
  const acceptLabel = form.dataset.acceptLabel ?? 'Accept';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = '';

  const accept = (s: Suggestion) => {
    status.value = s.status;
    if (s.attribution) attribution.value = s.attribution;
    render(null, live);
    status.focus();
  };

  const ask = async () => {
    const wording = text.value.trim();
    if (wording === asked) return;
    asked = wording;
    if (!wording) {
      render(null, live);
      return;
    }
    let answer: Answer;
    try {
      const response = await fetch(`${url}?text=${encodeURIComponent(wording)}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) return;
      answer = (await response.json()) as Answer;
    } catch {
      return;
    }
    // A slower answer to an older text must not replace the newer one.
    if (asked !== wording) return;
    // The server-drawn box describes the text as it was posted; once the text changes, it is stale.
    for (const old of form.querySelectorAll('.claim-suggestion')) if (!live.contains(old)) old.remove();
    render(<Box answer={answer} acceptLabel={acceptLabel} onAccept={accept} />, live);
  };

  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void ask(), DEBOUNCE_MS);
  });
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-claim-suggest]')) attach(form);
