import type { ClaimStatus, Language } from '../../content/types.js';
import { formatDateTime } from '../format.js';
import { ledgerMessagesFor } from '../ledger-messages.js';
import { messagesFor } from '../messages.js';

/** A status change since the page's snapshot was taken: what the item says now, since when. */
export interface LaterMark {
  status: ClaimStatus;
  changedAt: string;
  /** The site's zone, which the time is shown in. */
  timeZone: string;
  historyHref: string;
}

export interface BackgroundListItem {
  text: string;
  status: ClaimStatus;
  attribution: string | null;
  /** Set on a published brief's entry whose item's status has changed since publication. */
  later?: LaterMark | null;
  /** The item's history, for lists of the ledger as it stands now (a story's page). */
  historyHref?: string | null;
  /** The language the text is written in; items have none of their own, so the loader guesses it. */
  textLanguage?: Language;
}

/**
 * The background ledger. Each status is spelled out in words so it survives without colour
 * (colour-blind readers, printouts, screen readers); the colour only repeats it. A "later" mark
 * sits beside the entry and never replaces it: the page keeps what readers were told then.
 */
export function BackgroundList(props: { items: BackgroundListItem[]; language: Language }) {
  const m = messagesFor(props.language);
  const lm = ledgerMessagesFor(props.language);
  return (
    <ul class="background">
      {props.items.map((item) => (
        <li class={`claim claim-${item.status}`}>
          <span class="claim-status">{m.claimStatus[item.status]}</span>{' '}
          <span class="claim-text" lang={item.textLanguage === props.language ? undefined : item.textLanguage}>{item.text}</span>
          {item.attribution ? <span class="claim-attribution"> — {item.attribution}</span> : null}
          {item.historyHref ? <> <a class="claim-history" href={item.historyHref}>{lm.historyLink}</a></> : null}
          {item.later ? <LaterNote mark={item.later} language={props.language} /> : null}
        </li>
      ))}
    </ul>
  );
}

function LaterNote(props: { mark: LaterMark; language: Language }) {
  const { mark } = props;
  return (
    <span class={`claim-later claim-later-${mark.status}`}>
      <a href={mark.historyHref}>
        {ledgerMessagesFor(props.language).later[mark.status]},{' '}
        <time dateTime={new Date(mark.changedAt).toISOString()}>{formatDateTime(mark.changedAt, { language: props.language, timeZone: mark.timeZone })}</time>
      </a>
    </span>
  );
}
