import { inlineMarkdownToText } from '../../content/markdown.js';
import { briefBreadcrumbs, briefModifiedAt, JsonLdScript, metaElements, newsArticle, socialMetaTags } from '../../distribution/structured-data.js';
import type { BriefView } from '../brief-view.js';
import { briefPath } from '../paths.js';
import { BriefArticle } from './BriefArticle.js';
import type { TranslationLink } from './BriefList.js';
import { signedOutViewer, type CommentViewer } from './Comments.js';
import { SitePage, type SiteInfo } from './SitePage.js';

const DESCRIPTION_LENGTH = 160;

function describe(view: BriefView): string {
  const text = view.brief.details[0] ? inlineMarkdownToText(view.brief.details[0]) : view.brief.headline;
  return text.length > DESCRIPTION_LENGTH ? `${text.slice(0, DESCRIPTION_LENGTH - 1).trimEnd()}…` : text;
}

/**
 * A brief's public page; the whole page speaks the brief's language. The comments' live script
 * is a module (deferred, same-origin as the CSP asks) that only adds to a page complete without
 * it. Without a viewer (the desk's preview) it is the page a signed-out reader gets.
 */
export function BriefPage(props: { site: SiteInfo; view: BriefView & { translations?: TranslationLink[]; authorNames?: string[] }; viewer?: CommentViewer }) {
  const { brief } = props.view;
  const translations = props.view.translations ?? [];
  const description = describe(props.view);
  const article = newsArticle({ site: props.site, brief, description, entities: props.view.entities, authorNames: props.view.authorNames ?? [] });
  const social = socialMetaTags({
    site: props.site, title: brief.headline, description, path: briefPath(brief), language: brief.language,
    alternateLanguages: translations.map((t) => t.language), article: { publishedAt: brief.publishedAt, modifiedAt: briefModifiedAt(brief) },
  });
  // The language switcher offers the brief's translations: its other-language versions are other briefs.
  const alternates = Object.fromEntries([[brief.language, briefPath(brief)], ...translations.map((t) => [t.language, briefPath(t)])]);
  return (
    <SitePage
      site={props.site} title={brief.headline} description={description} path={briefPath(brief)} language={brief.language} alternates={alternates}
      head={<>
        <script type="module" src="/assets/comments-live.js"></script>
        {metaElements(social)}
        <JsonLdScript data={article} />
        <JsonLdScript data={briefBreadcrumbs(props.site, brief, props.view.story)} />
      </>}
    >
      <BriefArticle view={props.view} viewer={props.viewer ?? signedOutViewer()} translations={translations} />
    </SitePage>
  );
}
