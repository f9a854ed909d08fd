import { inlineMarkdownToText } from '../../content/markdown.js';
import type { BriefView } from '../brief-view.js';
import { briefPath } from '../paths.js';
import { BriefArticle } from './BriefArticle.js';
import { SitePage, type SiteInfo } from './SitePage.js';

const DESCRIPTION_LENGTH = 160;

function describe(view: BriefView): string {
  const text = view.brief.details[0] ? inlineMarkdownToText(view.brief.details[0]) : view.brief.headline;
  return text.length > DESCRIPTION_LENGTH ? `${text.slice(0, DESCRIPTION_LENGTH - 1).trimEnd()}…` : text;
}

/** A brief's public page; the whole page speaks the brief's language. */
export function BriefPage(props: { site: SiteInfo; view: BriefView }) {
  const { brief } = props.view;
  return (
    <SitePage site={props.site} title={brief.headline} description={describe(props.view)} path={briefPath(brief)} language={brief.language}>
      <BriefArticle view={props.view} />
    </SitePage>
  );
}
