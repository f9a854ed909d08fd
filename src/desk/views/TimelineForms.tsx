import type { Language } from '../../content/types.js';
import { deskBriefPath } from '../../web/paths.js';
import type { DeskContext } from './DeskPage.js';
import { CsrfField, ErrorSummary, SelectField, type FormErrors, type PathDescriber } from './fields.js';

// The brief's place on its story's timeline, on the brief editor: its translations (link one
// more, unlink) and whether it is pinned as a key event. Editors only (story.manage); the
// desk is in English like the rest of it.

/** A brief the editor can link as a translation, or one already linked. */
export interface TranslationOption {
  id: string;
  language: Language;
  headline: string;
  status: string;
}

export interface TimelinePanelView {
  isInStory: boolean;
  pinnedAt: string | null;
  translations: TranslationOption[];
  /** Briefs of the same story in languages the group does not have yet. */
  candidates: TranslationOption[];
}

export const TIMELINE_FIELD_ID = 'f-otherBriefId';

/** Where the translation and pin services' errors are shown. */
export const describeTimelinePath: PathDescriber = (path) =>
  path === 'otherBriefId' || path === 'pinned' || path === 'briefId' ? { id: TIMELINE_FIELD_ID, label: 'Translation' } : null;

const LANGUAGE_NAMES: Record<Language, string> = { uk: 'Ukrainian', en: 'English', ru: 'Russian' };
const describe = (b: TranslationOption) => `${LANGUAGE_NAMES[b.language]}: ${b.headline} (${b.status.replace('_', ' ')})`;

export function TimelineForms(props: { ctx: DeskContext; briefId: string; view: TimelinePanelView; errors: FormErrors }) {
  const { view, ctx } = props;
  const base = deskBriefPath({ id: props.briefId });
  return (
    <section class="timeline-forms" aria-labelledby="timeline-forms-title">
      <h2 id="timeline-forms-title">Story timeline</h2>
      <ErrorSummary errors={props.errors} />
      <h3>Translations</h3>
      {view.translations.length > 0 ? (
        <ul class="translations">
          {view.translations.map((t) => <li><a href={deskBriefPath(t)} lang={t.language}>{describe(t)}</a></li>)}
        </ul>
      ) : <p>Not linked to any translation.</p>}
      {view.candidates.length > 0 ? (
        <form method="post" action={`${base}/translations`}>
          <CsrfField token={ctx.csrfToken} />
          <SelectField
            id={TIMELINE_FIELD_ID} name="otherBriefId" label="Translations: a brief of the same story in another language"
            value="" errors={props.errors} options={view.candidates.map((c) => [c.id, describe(c)] as const)}
          />
          <div class="actions"><button type="submit" name="op" value="link">Link</button></div>
        </form>
      ) : null}
      {view.translations.length > 0 ? (
        <form method="post" action={`${base}/translations`}>
          <CsrfField token={ctx.csrfToken} />
          <div class="actions"><button type="submit" name="op" value="unlink">Unlink from its translations</button></div>
        </form>
      ) : null}
      {view.isInStory ? (
        <>
          <h3>Key event</h3>
          <form method="post" action={`${base}/pin`}>
            <CsrfField token={ctx.csrfToken} />
            <p>{view.pinnedAt ? 'Pinned at the top of the story page as a key event.' : 'Not pinned.'}</p>
            <div class="actions">
              <button type="submit" name="pinned" value={view.pinnedAt ? 'no' : 'yes'}>{view.pinnedAt ? 'Unpin' : 'Pin as key event'}</button>
            </div>
          </form>
        </>
      ) : null}
    </section>
  );
}
