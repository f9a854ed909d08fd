import type { Brief, Language, Story } from '../../content/types.js';
import { messagesFor, plural } from '../messages.js';
import { briefPath, storyPath } from '../paths.js';
import { DateTime } from './DateTime.js';

export interface BriefListItem {
  brief: Brief;
  story?: Story | null;
  /** Every link to a brief says how many comments it has. */
  commentCount: number;
}

/**
 * Briefs as a list of time and headline. Each item carries its brief's language, and its small
 * labels ("3 comments") are in that language too so a lang attribute never mislabels them.
 */
export function BriefList(props: { items: BriefListItem[]; timeZone: string; emptyText: string }) {
  if (props.items.length === 0) return <p class="empty">{props.emptyText}</p>;
  return (
    <ol class="brief-list">
      {props.items.map(({ brief, story, commentCount }) => {
        const language: Language = brief.language;
        const m = messagesFor(language);
        return (
          <li lang={language} class={`brief-item brief-${brief.status}`}>
            {brief.publishedAt ? <DateTime iso={brief.publishedAt} language={language} timeZone={props.timeZone} isShort /> : null}{' '}
            <a class="brief-item-headline" href={briefPath(brief)}>{brief.headline}</a>
            {brief.status === 'retracted' ? <span class="tag tag-retracted">{m.retracted}</span> : null}
            <p class="brief-item-meta">
              {story ? <><a href={storyPath(story)} lang={story.language}>{story.title}</a>{' · '}</> : null}
              <a class="brief-item-comments" href={`${briefPath(brief)}#comments`}>{plural(language, m.comments, commentCount)}</a>
            </p>
          </li>
        );
      })}
    </ol>
  );
}
