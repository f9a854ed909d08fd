import type { HomePageData } from '../loaders.js';
import { messagesFor } from '../messages.js';
import { BriefList } from './BriefList.js';
import { Pager } from './Pager.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/** The front page: latest public briefs, optionally in one language. */
export function HomePage(props: { site: SiteInfo; data: HomePageData; path: string; olderHref: string | null }) {
  const m = messagesFor('en');
  const { data } = props;
  return (
    <SitePage site={props.site} title={m.latestBriefs} description={m.homeDescription} path={props.path} language="en" currentFilter={data.language}>
      <h1>{m.latestBriefs}</h1>
      {data.language ? <p class="filter-note">{m.showing} <span lang={data.language}>{messagesFor(data.language).languageName}</span></p> : null}
      <BriefList items={data.items} timeZone={props.site.timeZone} emptyText={m.noBriefs} />
      <Pager href={props.olderHref} label={m.olderBriefs} />
    </SitePage>
  );
}
