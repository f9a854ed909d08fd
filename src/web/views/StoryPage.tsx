import { breadcrumbList, JsonLdScript, liveBlogPosting, metaElements, socialMetaTags } from '../../distribution/structured-data.js';
import { LANGUAGES } from '../../content/types.js';
import type { StoryPageData } from '../loaders.js';
import { messagesFor } from '../messages.js';
import { homePath, liveStoryPath, storyPath } from '../paths.js';
import { BackgroundList } from './BackgroundList.js';
import { BriefList, EntityLink, langIfOther } from './BriefList.js';
import { LiveUpdates } from './LiveUpdates.js';
import { Pager } from './Pager.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/**
 * A story as a timeline, in the page's language: whether it is still developing, its key events,
 * its briefs newest first (a translation group as one entry, linking the others), the background
 * as it stands now and the people, organisations and places involved. The title and summary
 * exist in the story's language only, so they carry its lang.
 */
export function StoryPage(props: { site: SiteInfo; data: StoryPageData; path: string; olderHref: string | null }) {
  const { story, items, background, language, keyEvents, entities } = props.data;
  const m = messagesFor(language);
  const storyLang = langIfOther(story.language, language);
  const description = (story.language === language && story.summary) || m.storyDescription;
  const head = <>
    {metaElements(socialMetaTags({ site: props.site, title: story.title, description, path: storyPath(story, language), language, alternateLanguages: [...LANGUAGES] }))}
    {/* The live blog is the story's first page: later pages hold its older briefs, not its latest updates. */}
    {story.status === 'developing' && props.path === storyPath(story, language)
      ? <JsonLdScript data={liveBlogPosting({ site: props.site, story, language, briefs: items.map((item) => item.brief) })} />
      : null}
    <JsonLdScript data={breadcrumbList(props.site, [
      { name: props.site.siteName, path: homePath(language) },
      { name: story.title, path: storyPath(story, language) },
    ])} />
  </>;
  return (
    <SitePage feed={{ kind: 'story', story, language }} site={props.site} title={story.title} titleLanguage={story.language} description={description} path={props.path} language={language} head={head}>
      <article class="story">
        <h1 lang={storyLang}>{story.title}</h1>
        <p class="story-status">
          {m.status}: <span class={`tag tag-${story.status}`}>{m.storyStatus[story.status]}</span>
        </p>
        {story.summary ? <p class="story-summary" lang={storyLang}>{story.summary}</p> : null}
        {keyEvents.length > 0 ? (
          <section id="key-events">
            <h2>{m.keyEvents}</h2>
            <BriefList items={keyEvents} timeZone={props.site.timeZone} emptyText={m.noBriefs} language={language} />
          </section>
        ) : null}
        <section id="timeline">
          <h2>{m.timeline}</h2>
          <LiveUpdates language={language} stream={liveStoryPath(story)} path={props.path} />
          <BriefList items={items} timeZone={props.site.timeZone} emptyText={m.noBriefs} language={language} />
          <Pager href={props.olderHref} label={m.olderBriefs} />
        </section>
        {background.length > 0 ? (
          <section id="background">
            <h2>{m.background}</h2>
            <BackgroundList items={background} language={language} />
          </section>
        ) : null}
        {entities.length > 0 ? (
          <section id="entities">
            <h2>{m.entitiesInvolved}</h2>
            <ul class="entity-list">
              {entities.map((entity) => (
                <li><EntityLink entity={entity} language={language} /></li>
              ))}
            </ul>
          </section>
        ) : null}
      </article>
    </SitePage>
  );
}
