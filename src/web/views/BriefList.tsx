import { entityName } from '../../content/entities.js';
import { LANGUAGES, type Brief, type Entity, type Language, type Story } from '../../content/types.js';
import { messagesFor, plural } from '../messages.js';
import { briefPath, entityPath, storyPath } from '../paths.js';
import { DateTime } from './DateTime.js';

/** A link to the same brief in another language. */
export interface TranslationLink {
  slug: string;
  language: Language;
  headline: string;
}

export interface BriefListItem {
  brief: Brief;
  story?: Story | null;
  /** Every link to a brief says how many comments it has. */
  commentCount: number;
  /** The brief's public translations, linked after it ("Also in: Українська"). */
  translations?: TranslationLink[];
}

/** `lang` for a fragment in `language` on a page in `page`: only when they differ. */
export const langIfOther = (language: Language, page: Language) => (language === page ? undefined : language);

/** "Also in: Українська · Русский": links to the same brief in other languages. */
export function AlsoIn(props: { links: TranslationLink[]; language: Language }) {
  if (props.links.length === 0) return null;
  const m = messagesFor(props.language);
  return (
    <span class="also-in">
      {m.alsoIn}:{' '}
      {props.links.map((link, i) => (
        <>
          {i > 0 ? ' · ' : null}
          <a href={briefPath(link)} hrefLang={link.language} lang={link.language} title={link.headline}>{messagesFor(link.language).languageName}</a>
        </>
      ))}
    </span>
  );
}

/**
 * Briefs as a list of time and headline. With `language` (the page's) the times and small labels
 * ("3 comments") are in the page's language and each headline in another language is marked with
 * its own; without it each item speaks its brief's language throughout.
 */
export function BriefList(props: { items: BriefListItem[]; timeZone: string; emptyText: string; language?: Language }) {
  if (props.items.length === 0) return <p class="empty">{props.emptyText}</p>;
  return (
    <ol class="brief-list">
      {props.items.map(({ brief, story, commentCount, translations }) => {
        const language: Language = props.language ?? brief.language;
        const m = messagesFor(language);
        return (
          <li lang={props.language ? undefined : language} class={`brief-item brief-${brief.status}`}>
            {brief.publishedAt ? <DateTime iso={brief.publishedAt} language={language} timeZone={props.timeZone} isShort /> : null}{' '}
            <a class="brief-item-headline" href={briefPath(brief)} lang={langIfOther(brief.language, language)}>{brief.headline}</a>
            {brief.status === 'retracted' ? <span class="tag tag-retracted">{m.retracted}</span> : null}
            <p class="brief-item-meta">
              {story ? <><a href={storyPath(story, language)} lang={langIfOther(story.language, language)}>{story.title}</a>{' · '}</> : null}
              <a class="brief-item-comments" href={`${briefPath(brief)}#comments`}>{plural(language, m.comments, commentCount)}</a>
              {translations && translations.length > 0 ? <>{' · '}<AlsoIn links={translations} language={language} /></> : null}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

/** An entity's name in the page's language, linking to its page; a name borrowed from another language says so. */
export function EntityLink(props: { entity: Entity; language: Language }) {
  const { entity, language } = props;
  const nameLanguage = entity.names[language] ? language : LANGUAGES.find((l) => entity.names[l] === entityName(entity, language)) ?? language;
  return <a href={entityPath(entity, language)} lang={langIfOther(nameLanguage, language)}>{entityName(entity, language)}</a>;
}
