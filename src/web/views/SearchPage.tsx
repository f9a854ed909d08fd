import type { ComponentChild } from 'preact';
import type { FieldError } from '../../common/errors.js';
import { entityName } from '../../content/entities.js';
import { LANGUAGES, type Entity, type Language, type Story } from '../../content/types.js';
import type { HighlightedText } from '../../search/highlight.js';
import type { SearchAnswer } from '../../search/service.js';
import { SEARCHABLE_STATUSES, type BriefHit, type EntityHit } from '../../search/types.js';
import { briefPath, entityPath, storyPath } from '../paths.js';
import { languageLabel, resultCount, searchMessagesFor, type SearchField, type SearchMessages } from '../search-messages.js';
import { DateTime } from './DateTime.js';
import { Pager } from './Pager.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/** What the reader asked, as typed, to fill the form back in. */
export type SearchFormValues = Partial<Record<Exclude<SearchField, 'cursor'>, string>>;

export interface SearchPageProps {
  site: SiteInfo;
  language: Language;
  /** Path and query of this page. */
  path: string;
  /** The form's own address. */
  action: string;
  values: SearchFormValues;
  stories: Story[];
  entities: Entity[];
  answer: SearchAnswer | null;
  /** Fields the search refused (a 400). */
  errors: FieldError[];
  moreHref: string | null;
}

/**
 * A highlighted text as Preact nodes: the text's own characters are always text nodes (Preact
 * escapes them) and only the ranges become <mark>, so nothing in a brief can turn into markup.
 */
export function Highlighted(props: { value: HighlightedText }) {
  const { text, ranges } = props.value;
  const parts: ComponentChild[] = [];
  let at = 0;
  for (const range of ranges) {
    if (range.start < at || range.end > text.length) continue;
    if (range.start > at) parts.push(text.slice(at, range.start));
    parts.push(<mark>{text.slice(range.start, range.end)}</mark>);
    at = range.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

// A date input holds only YYYY-MM-DD; anything else (refused with a message) leaves it empty.
const dateValue = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');

function Form(props: SearchPageProps & { m: SearchMessages }) {
  const { m, values, language } = props;
  const option = (value: string, label: string, current: string | undefined, lang?: string) => (
    <option value={value} selected={value === (current ?? '')} lang={lang}>{label}</option>
  );
  return (
    <form class="search-form" method="get" action={props.action} role="search">
      <p>
        <label for="search-q">{m.query}</label>{' '}
        <input type="search" id="search-q" name="q" value={values.q ?? ''} maxLength={200} />{' '}
        <button type="submit">{m.submit}</button>
      </p>
      <fieldset>
        <legend>{m.filters}</legend>
        <p>
          <label for="search-story">{m.fields.story}</label>{' '}
          <select id="search-story" name="story">
            {option('', m.anyStory, values.story)}
            {props.stories.map((s) => option(s.id, s.title, values.story, s.language))}
          </select>
        </p>
        <p>
          <label for="search-entity">{m.fields.entity}</label>{' '}
          <select id="search-entity" name="entity">
            {option('', m.anyEntity, values.entity)}
            {props.entities.map((e) => option(e.id, entityName(e, language), values.entity))}
          </select>
        </p>
        <p>
          <label for="search-language">{m.fields.language}</label>{' '}
          <select id="search-language" name="language">
            {option('', m.anyLanguage, values.language)}
            {LANGUAGES.map((l) => option(l, languageLabel(l, language), values.language))}
          </select>
        </p>
        <p>
          <label for="search-from">{m.fields.from}</label>{' '}
          <input type="date" id="search-from" name="from" value={dateValue(values.from)} />{' '}
          <label for="search-to">{m.fields.to}</label>{' '}
          <input type="date" id="search-to" name="to" value={dateValue(values.to)} />
        </p>
        <p>
          <label for="search-status">{m.fields.status}</label>{' '}
          <select id="search-status" name="status">
            {option('', m.anyStatus, values.status)}
            {SEARCHABLE_STATUSES.map((s) => option(s, m.statuses[s], values.status))}
          </select>
        </p>
      </fieldset>
    </form>
  );
}

function EntityResults(props: { entities: EntityHit[]; language: Language; m: SearchMessages }) {
  if (props.entities.length === 0) return null;
  return (
    <section class="search-entities" aria-labelledby="search-entities-title">
      <h2 id="search-entities-title">{props.m.entities}</h2>
      <ul>
        {props.entities.map((e) => (
          <li>
            <a href={entityPath(e, props.language)}>{e.names[props.language] || e.names.en || e.names.uk || e.names.ru}</a>{' '}
            <span class="entity-kind">({props.m.entityKinds[e.kind]})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function BriefResult(props: { hit: BriefHit; story: Story | undefined; language: Language; timeZone: string; m: SearchMessages }) {
  const { hit, story, m } = props;
  return (
    <li class={`search-hit brief-${hit.status}`}>
      <h3 lang={hit.language}><a href={briefPath(hit)}><Highlighted value={hit.headline} /></a></h3>
      <p class="search-hit-meta">
        <DateTime iso={hit.publishedAt} language={props.language} timeZone={props.timeZone} precision={hit.datelinePrecision} isShort />
        {' · '}{languageLabel(hit.language, props.language)}
        {story ? <>{' · '}<a href={storyPath(story, props.language)} lang={story.language}>{story.title}</a></> : null}
        {hit.status !== 'published' ? <>{' · '}<span class={`tag tag-${hit.status}`}>{m.statuses[hit.status]}</span></> : null}
      </p>
      {hit.snippet ? <p class="search-snippet" lang={hit.language}><Highlighted value={hit.snippet} /></p> : null}
    </li>
  );
}

/** The reader's search: a GET form that works without JavaScript, then the entities and briefs found. */
export function SearchPage(props: SearchPageProps) {
  const m = searchMessagesFor(props.language);
  const { answer, errors, language } = props;
  const storyById = new Map(props.stories.map((s) => [s.id, s]));
  const title = props.values.q ? `${props.values.q} — ${m.title}` : m.title;
  return (
    <SitePage site={props.site} title={title} description={m.description} path={props.path} language={language}
      head={props.path.includes('?') ? <meta name="robots" content="noindex" /> : undefined}>
      <h1>{m.title}</h1>
      <Form {...props} m={m} />
      {errors.length > 0 ? (
        <section class="notice notice-error" role="alert" aria-labelledby="search-error-title">
          <h2 id="search-error-title">{m.errorTitle}</h2>
          <p>{m.errorIntro}</p>
          <ul>
            {errors.map((e) => {
              const field = e.path.replace(/^querystring\./, '') as SearchField;
              const label = m.fields[field] ?? field;
              const reason = field === 'to' && e.reason === 'must be after from' ? m.rangeBackwards : m.invalidValue;
              return <li data-field={field}><strong>{label}</strong>: {reason}</li>;
            })}
          </ul>
        </section>
      ) : null}
      {answer && !answer.isEmpty ? (
        <>
          <EntityResults entities={answer.entities} language={language} m={m} />
          <section class="search-briefs" aria-labelledby="search-briefs-title">
            <h2 id="search-briefs-title">{m.briefs}</h2>
            <p class="search-count" role="status">{resultCount(language, answer.total)}</p>
            {answer.briefs.length === 0 ? <p class="empty">{m.nothingFound}</p> : (
              <ol class="search-results">
                {answer.briefs.map((hit) => (
                  <BriefResult hit={hit} story={hit.storyId ? storyById.get(hit.storyId) : undefined} language={language} timeZone={props.site.timeZone} m={m} />
                ))}
              </ol>
            )}
            <Pager href={props.moreHref} label={m.moreResults} />
          </section>
        </>
      ) : null}
      {errors.length === 0 && (!answer || answer.isEmpty) ? <p class="search-prompt">{m.prompt}</p> : null}
    </SitePage>
  );
}
