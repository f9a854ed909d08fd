import type { ClaimStatus, Language } from '../../content/types.js';
import { messagesFor } from '../messages.js';

export interface BackgroundListItem {
  text: string;
  status: ClaimStatus;
  attribution: string | null;
}

/**
 * The background ledger. Each status is spelled out in words so it survives without colour
 * (colour-blind readers, printouts, screen readers); the colour only repeats it.
 */
export function BackgroundList(props: { items: BackgroundListItem[]; language: Language; textLanguage?: Language }) {
  const m = messagesFor(props.language);
  return (
    <ul class="background">
      {props.items.map((item) => (
        <li class={`claim claim-${item.status}`}>
          <span class="claim-status">{m.claimStatus[item.status]}</span>{' '}
          <span class="claim-text" lang={props.textLanguage}>{item.text}</span>
          {item.attribution ? <span class="claim-attribution"> — {item.attribution}</span> : null}
        </li>
      ))}
    </ul>
  );
}
