import { entityName } from '../../content/entities.js';
import { LANGUAGES } from '../../content/types.js';
import type { EntityPageData } from '../loaders.js';
import { messagesFor } from '../messages.js';
import { BriefList } from './BriefList.js';
import { Pager } from './Pager.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/** A person, organisation or place: its names, and the briefs naming it. */
export function EntityPage(props: { site: SiteInfo; data: EntityPageData; path: string; olderHref: string | null }) {
  const m = messagesFor('en');
  const { entity, items } = props.data;
  const name = entityName(entity, 'en');
  return (
    <SitePage site={props.site} title={name} description={`${m.entityDescription} ${name}.`} path={props.path} language="en">
      <article class="entity">
        <h1>{name}</h1>
        <dl class="facts">
          <dt>{m.kind}</dt>
          <dd>{m.entityKind[entity.kind]}</dd>
          <dt>{m.names}</dt>
          {LANGUAGES.filter((language) => entity.names[language]).map((language) => (
            <dd>
              <span class="name-language">{messagesFor(language).languageName}:</span>{' '}
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
          <h2>{m.briefsNaming} {name}</h2>
          <BriefList items={items} timeZone={props.site.timeZone} emptyText={m.noBriefs} />
          <Pager href={props.olderHref} label={m.olderBriefs} />
        </section>
      </article>
    </SitePage>
  );
}
