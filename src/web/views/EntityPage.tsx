import { entityName } from '../../content/entities.js';
import { LANGUAGES, type Language } from '../../content/types.js';
import type { EntityPageData } from '../loaders.js';
import { messagesFor } from '../messages.js';
import { entityMessagesFor } from '../entity-messages.js';
import { backgroundItemPath, storyPath } from '../paths.js';
import { BackgroundList } from './BackgroundList.js';
import { BriefList, langIfOther } from './BriefList.js';
import { Pager } from './Pager.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/** A person, organisation or place: its names, and the briefs naming it, in the page's language. */
export function EntityPage(props: { site: SiteInfo; data: EntityPageData; path: string; olderHref: string | null; language: Language }) {
  const { language } = props;
  const m = messagesFor(language);
  const { entity, items } = props.data;
  const em = entityMessagesFor(language);
  const name = entityName(entity, language);
  // A name missing in the page's language is borrowed from another one, and marked as such.
  const nameLanguage = entity.names[language] ? language : LANGUAGES.find((l) => entity.names[l] === name) ?? language;
  const nameLang = nameLanguage === language ? undefined : nameLanguage;
  return (
    <SitePage feed={{ kind: 'entity', entity, language }} site={props.site} title={name} titleLanguage={nameLanguage} description={`${m.entityDescription} ${name}.`} path={props.path} language={language}>
      <article class="entity">
        <h1 lang={nameLang}>{name}</h1>
        <dl class="facts">
          <dt>{m.kind}</dt>
          <dd>{m.entityKind[entity.kind]}</dd>
          <dt>{m.names}</dt>
          {LANGUAGES.filter((language) => entity.names[language]).map((language) => (
            <dd>
              <span class="name-language" lang={language}>{messagesFor(language).languageName}:</span>{' '}
              <span lang={language}>{entity.names[language]}</span>
            </dd>
          ))}
          {entity.aliases.length > 0 ? (
            <>
              <dt>{m.aliases}</dt>
              {entity.aliases.map((alias) => <dd>{alias}</dd>)}
            </>
          ) : null}
        </dl>
        <section id="briefs">
          <h2>{m.briefsNaming} <span lang={nameLang}>{name}</span></h2>
          <BriefList items={items} timeZone={props.site.timeZone} emptyText={m.noBriefs} language={language} />
          <Pager href={props.olderHref} label={m.olderBriefs} />
        </section>
        {props.data.background.length > 0 ? (
          <section id="background">
            <h2>{em.backgroundNaming} <span lang={nameLang}>{name}</span></h2>
            {props.data.background.map(({ story, items: mentions }) => (
              <section class="entity-story">
                <h3>{em.inStory} <a href={storyPath(story, language)} lang={langIfOther(story.language, language)}>{story.title}</a></h3>
                <BackgroundList
                  language={language}
                  items={mentions.map((item) => ({
                    text: item.text, status: item.status, attribution: item.attributionSource, textLanguage: item.textLanguage,
                    historyHref: backgroundItemPath(story, item.id, language),
                  }))}
                />
              </section>
            ))}
          </section>
        ) : null}
      </article>
    </SitePage>
  );
}
