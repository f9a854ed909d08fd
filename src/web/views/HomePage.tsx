import type { Language } from '../../content/types.js';
import type { HomePageData } from '../loaders.js';
import { messagesFor } from '../messages.js';
import { feedScopeOfPath, liveBriefsPath } from '../paths.js';
import { BriefList } from './BriefList.js';
import { LiveUpdates } from './LiveUpdates.js';
import { Pager } from './Pager.js';
import { SitePage, type SiteInfo } from './SitePage.js';

/**
 * The front page: the latest public briefs. At /uk/, /en/, /ru/ the briefs in that language with
 * labels in it; at / the briefs in every language, labelled in `language` (the reader's choice).
 */
export function HomePage(props: { site: SiteInfo; data: HomePageData; path: string; olderHref: string | null; language: Language }) {
  const { data } = props;
  const language = data.language ?? props.language;
  const m = messagesFor(language);
  const title = data.language ? m.latestBriefs : `${m.latestBriefs} — ${m.allLanguages}`;
  return (
    <SitePage site={props.site} title={title} description={m.homeDescription} path={props.path} language={language} isAllLanguages={!data.language} feed={feedScopeOfPath(props.path)}>
      <h1>{title}</h1>
      <LiveUpdates language={language} stream={liveBriefsPath(data.language)} path={props.path} />
      <BriefList items={data.items} timeZone={props.site.timeZone} emptyText={m.noBriefs} language={language} />
      <Pager href={props.olderHref} label={m.olderBriefs} />
    </SitePage>
  );
}
