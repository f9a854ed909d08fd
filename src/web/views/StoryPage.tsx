import type { StoryPageData } from '../loaders.js';
import { messagesFor } from '../messages.js';
import { BackgroundList } from './BackgroundList.js';
import { BriefList } from './BriefList.js';
import { Pager } from './Pager.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/** A story: what it is, whether it is still developing, its briefs and its background. */
export function StoryPage(props: { site: SiteInfo; data: StoryPageData; path: string; olderHref: string | null }) {
  const m = messagesFor('en');
  const { story, items, background } = props.data;
  return (
    <SitePage site={props.site} title={story.title} description={story.summary || m.storyDescription} path={props.path} language="en">
      <article class="story">
        <h1 lang={story.language}>{story.title}</h1>
        <p class="story-status">
          {m.status}: <span class={`tag tag-${story.status}`}>{m.storyStatus[story.status]}</span>
        </p>
        {story.summary ? <p class="story-summary" lang={story.language}>{story.summary}</p> : null}
        <section id="timeline">
          <h2>{m.timeline}</h2>
          <BriefList items={items} timeZone={props.site.timeZone} emptyText={m.noBriefs} />
          <Pager href={props.olderHref} label={m.olderBriefs} />
        </section>
        {background.length > 0 ? (
          <section id="background">
            <h2>{m.background}</h2>
            <BackgroundList items={background} language="en" textLanguage={story.language} />
          </section>
        ) : null}
      </article>
    </SitePage>
  );
}
