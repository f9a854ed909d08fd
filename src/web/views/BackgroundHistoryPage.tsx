import { guessLanguage } from '../../content/language-guess.js';
import type { BackgroundChangeKind, ClaimStatus, Language, Story } from '../../content/types.js';
import { ledgerMessagesFor } from '../ledger-messages.js';
import { messagesFor } from '../messages.js';
import { storyPath } from '../paths.js';
import { DateTime } from './DateTime.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/** One state of the item, with its attribution already named in the page's language. */
export interface HistoryEntry {
  kind: BackgroundChangeKind;
  text: string;
  status: ClaimStatus;
  attribution: string | null;
  source: string | null;
  actorLabel: string | null;
  changedAt: string;
}

export interface BackgroundHistoryData {
  story: Story;
  current: { text: string; status: ClaimStatus; attribution: string | null };
  /** Oldest first. */
  changes: HistoryEntry[];
}

function Claim(props: { status: ClaimStatus; text: string; attribution: string | null; language: Language; storyLanguage: Language }) {
  const m = messagesFor(props.language);
  const lm = ledgerMessagesFor(props.language);
  // Each state's wording may be in its own language; the story's stands when the text gives no sign.
  const textLanguage = guessLanguage(props.text, props.storyLanguage);
  return (
    <p class="history-claim">
      <span class="claim-status">{m.claimStatus[props.status]}</span>{' '}
      <span class="claim-text" lang={textLanguage === props.language ? undefined : textLanguage}>{props.text}</span>
      {props.attribution ? <span class="claim-attribution"> — {lm.attribution} {props.attribution}</span> : null}
    </p>
  );
}

/**
 * Every state a background item has been in, oldest first, with who changed it, when and on
 * what news: where a brief's "later confirmed" mark leads. The chrome speaks the path's
 * language; the item's own text carries the language it is written in.
 */
export function BackgroundHistoryPage(props: { site: SiteInfo; data: BackgroundHistoryData; language: Language; path: string }) {
  const { story, current, changes } = props.data;
  const { language } = props;
  const lm = ledgerMessagesFor(language);
  return (
    <SitePage site={props.site} title={lm.historyTitle} description={lm.historyDescription(story.title)} path={props.path} language={language}>
      <article class="item-history">
        <h1>{lm.historyTitle}</h1>
        <p class="item-history-story">
          {lm.story}: <a href={storyPath(story, language)} lang={story.language === language ? undefined : story.language}>{story.title}</a>
        </p>
        <section aria-labelledby="history-current" class={`claim claim-${current.status}`}>
          <h2 id="history-current">{lm.currentState}</h2>
          <Claim {...current} language={language} storyLanguage={story.language} />
        </section>
        <section aria-labelledby="history-changes">
          <h2 id="history-changes">{lm.changes}</h2>
          <ol class="history-changes">
            {changes.map((change) => (
              <li class={`claim claim-${change.status}`}>
                <p class="history-when">
                  <strong>{lm.kind[change.kind]}</strong>, <DateTime iso={change.changedAt} language={language} timeZone={props.site.timeZone} />
                </p>
                <Claim {...change} language={language} storyLanguage={story.language} />
                {change.actorLabel || change.source ? (
                  <dl class="history-details">
                    {change.actorLabel ? <><dt>{lm.by}</dt><dd>{change.actorLabel}</dd></> : null}
                    {change.source ? <><dt>{lm.changeSource}</dt><dd>{change.source}</dd></> : null}
                  </dl>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      </article>
    </SitePage>
  );
}
