import type { Brief, Source } from '../../content/types.js';
import type { BriefView } from '../brief-view.js';
import { messagesFor } from '../messages.js';
import { briefPath, storyPath } from '../paths.js';
import { BackgroundList } from './BackgroundList.js';
import { AlsoIn, EntityLink, type TranslationLink } from './BriefList.js';
import { DateTime } from './DateTime.js';
import { CommentsSection, type CommentViewer } from './Comments.js';
import { Lines } from './Lines.js';

// Section ids, in the order readers meet them. The order is part of the format (every brief reads
// the same way), so tests check it through these ids.
export const BRIEF_SECTION_IDS = ['dateline', 'headline', 'sources', 'quotes', 'details', 'previously', 'background', 'comments'] as const;

const EXTERNAL_REL = 'nofollow noopener';

function SourceName(props: { source: Source }) {
  return props.source.url ? <a href={props.source.url} rel={EXTERNAL_REL}>{props.source.name}</a> : <>{props.source.name}</>;
}

function quoteAttribution(brief: Brief, quote: Brief['quotes'][number]): string {
  const source = quote.sourceIndex === null ? undefined : brief.sources[quote.sourceIndex];
  return [quote.speaker, source?.name].filter(Boolean).join(', ');
}

/**
 * The whole brief as readers see it, from plain data (see loadBriefView). The desk preview
 * renders this same page, so what staff approve is what gets published. `viewer` is who reads
 * the comments (their forms); without one the threads are shown alone.
 */
export function BriefArticle(props: { view: BriefView; viewer?: CommentViewer | null; translations?: TranslationLink[] }) {
  const { view } = props;
  const { brief, timeZone } = view;
  const language = brief.language;
  const m = messagesFor(language);
  const time = (iso: string) => <DateTime iso={iso} language={language} timeZone={timeZone} />;
  const hasPreviously = brief.previously.length > 0 || view.previouslyLinks.length > 0;

  return (
    <article class={`brief brief-${brief.status}`} lang={language}>
      {brief.status === 'retracted' && brief.retractedAt ? (
        <div class="notice notice-retracted">
          <p class="notice-title"><strong>{m.retracted}</strong> {time(brief.retractedAt)}</p>
          {brief.retractionReason ? <p>{brief.retractionReason}</p> : null}
          <p>{m.retractionKept}</p>
        </div>
      ) : null}

      {brief.publishedAt ? (
        <section id="dateline" class="dateline">
          <h2 class="visually-hidden">{m.dateline}</h2>
          <p><DateTime iso={brief.publishedAt} language={language} timeZone={timeZone} precision={brief.datelinePrecision} /></p>
          {brief.correctedAt ? (
            <p class="notice notice-updated">
              <strong>{m.updated}</strong> {time(brief.correctedAt)}
              {brief.correctionReason ? <>: {brief.correctionReason}</> : null}
            </p>
          ) : null}
        </section>
      ) : null}

      <section id="headline" class="headline">
        <h1>{brief.headline}</h1>
        {view.story ? (
          <p class="brief-story">{m.story}: <a href={storyPath(view.story, language)} lang={view.story.language === language ? undefined : view.story.language}>{view.story.title}</a></p>
        ) : null}
        {view.entities.length > 0 ? (
          <p class="brief-entities">
            {m.mentioned}:{' '}
            {view.entities.map((entity, i) => <>{i > 0 ? ', ' : null}<EntityLink entity={entity} language={language} /></>)}
          </p>
        ) : null}
        {props.translations && props.translations.length > 0 ? (
          <p class="brief-translations"><AlsoIn links={props.translations} language={language} /></p>
        ) : null}
      </section>

      {brief.sources.length > 0 ? (
        <section id="sources">
          <h2>{m.source}</h2>
          <ul class="sources">
            {brief.sources.map((source) => (
              <li><SourceName source={source} /> <span class="source-kind">({m.sourceKind[source.kind]})</span></li>
            ))}
          </ul>
        </section>
      ) : null}

      {brief.quotes.length > 0 ? (
        <section id="quotes">
          <h2>{m.quote}</h2>
          {brief.quotes.map((quote) => {
            const attribution = quoteAttribution(brief, quote);
            return (
              <figure class="quote">
                <blockquote><p><Lines text={quote.text} /></p></blockquote>
                {attribution ? <figcaption>— {attribution}</figcaption> : null}
              </figure>
            );
          })}
        </section>
      ) : null}

      {view.detailsHtml.length > 0 ? (
        <section id="details">
          <h2>{m.details}</h2>
          {/* Safe: renderInlineMarkdown runs with html disabled, so only its own tags come out. */}
          {view.detailsHtml.map((html) => <p dangerouslySetInnerHTML={{ __html: html }} />)}
        </section>
      ) : null}

      {hasPreviously ? (
        <section id="previously">
          <h2>{m.previously}</h2>
          {brief.previously.map((paragraph) => <p>{paragraph}</p>)}
          {view.previouslyLinks.length > 0 ? (
            <ul class="previously-links">
              {view.previouslyLinks.map((link) => (
                <li><a href={briefPath(link)} lang={link.language === language ? undefined : link.language}>{link.headline}</a></li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      {brief.background.length > 0 ? (
        <section id="background">
          <h2>{m.background}</h2>
          <BackgroundList items={brief.background} language={language} />
        </section>
      ) : null}

      <CommentsSection
        language={language} base={briefPath(brief)} section={view.comments} count={view.commentCount} timeZone={timeZone}
        viewer={props.viewer ?? null}
      />
    </article>
  );
}
