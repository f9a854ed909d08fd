import type { ClaimSuggestion } from '../../content/claims.js';
import { entityName } from '../../content/entities.js';
import { OPEN_CLAIM_STATUSES, type DashboardBrief, type StoryDashboard } from '../../content/story-dashboard.js';
import { CLAIM_STATUSES, LANGUAGES, STORY_STATUSES, type BackgroundItem, type Entity, type Story } from '../../content/types.js';
import { formatShortDateTime } from '../../web/format.js';
import { backgroundItemPath, briefPath, deskBriefPath, storyPath } from '../../web/paths.js';
import { fieldId, itemValuesFromItem, type ItemFormValues, type StoryFormValues } from '../forms.js';
import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';
import { CommentPolicyForm, type CommentPolicyView } from './ModerationPolicy.js';
import { CsrfField, ErrorSummary, NO_ERRORS, SelectField, TextAreaField, TextField, type FormErrors, type PathDescriber } from './fields.js';

const ms = m.storiesPage;

export const STORY_DONE = {
  created: 'Story created.',
  saved: 'Story saved.',
  'item-added': 'Background item added.',
  'item-saved': 'Background item saved.',
  'comments-saved': m.mod.commentPolicy.saved,
  'suggestion-accepted': m.claims.accepted,
} as const;
export type StoryDoneKey = keyof typeof STORY_DONE;

export const describeStoryPath: PathDescriber = (path) => {
  const labels: Record<string, string> = { title: ms.titleField, summary: ms.summary, language: m.language, status: m.status };
  return labels[path] ? { id: fieldId(path), label: labels[path] } : null;
};

/** Ids for one item's inputs; `new` for the add-item form, so every id on the page is unique. */
export const itemFieldId = (itemKey: string, field: string) => `f-item-${itemKey}-${field}`;

/** Error paths of an item form, placed at that item's inputs. */
export const describeItemPath = (itemKey: string): PathDescriber => (path) => {
  const labels: Record<string, string> = {
    text: ms.itemText, status: ms.itemStatus, attributionSource: ms.itemAttribution, attributionEntityId: ms.itemEntity, changeSource: ms.changeSource,
  };
  return labels[path] ? { id: itemFieldId(itemKey, path), label: labels[path] } : null;
};

function StoryFields({ values, errors }: { values: StoryFormValues; errors: FormErrors }) {
  return (
    <>
      <TextField id={fieldId('title')} name="title" label={ms.titleField} value={values.title} errors={errors} />
      <TextAreaField id={fieldId('summary')} name="summary" label={ms.summary} value={values.summary} rows={3} errors={errors} />
      <SelectField id={fieldId('language')} name="language" label={m.language} value={values.language} options={LANGUAGES.map((l) => [l, m.languageName[l]] as const)} errors={errors} />
      <SelectField id={fieldId('status')} name="status" label={m.status} value={values.status} options={STORY_STATUSES.map((s) => [s, m.storyStatus[s]] as const)} errors={errors} />
    </>
  );
}

/** All stories, newest change first, and the form to start one. */
export function StoriesPage(props: { ctx: DeskContext; stories: Story[]; values: StoryFormValues; errors: FormErrors }) {
  return (
    <DeskPage ctx={props.ctx} title={ms.title} current="stories">
      <ErrorSummary errors={props.errors} />
      {props.stories.length === 0 ? <p>{ms.none}</p> : (
        <table aria-label={ms.title}>
          <thead><tr><th scope="col">{ms.titleField}</th><th scope="col">{m.language}</th><th scope="col">{m.status}</th><th scope="col">{m.updated}</th></tr></thead>
          <tbody>
            {props.stories.map((story) => (
              <tr>
                <td><a href={`/desk/stories/${encodeURIComponent(story.id)}`} lang={story.language}>{story.title}</a></td>
                <td>{m.languageName[story.language]}</td>
                <td>{m.storyStatus[story.status]}</td>
                <td>{formatShortDateTime(story.updatedAt, { language: 'en', timeZone: props.ctx.timeZone })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="new-story">
        <h2 id="new-story">{ms.newStory}</h2>
        <form method="post" action="/desk/stories" class="stack">
          <CsrfField token={props.ctx.csrfToken} />
          <StoryFields values={props.values} errors={props.errors} />
          <div class="actions"><button type="submit" class="primary">{ms.create}</button></div>
        </form>
      </section>
    </DeskPage>
  );
}

/** An item form as typed, with where news of the change came from (not stored on the item itself). */
export interface ItemDraftValues extends ItemFormValues { changeSource: string }

export const itemDraftFromItem = (item: BackgroundItem): ItemDraftValues => ({ ...itemValuesFromItem(item), changeSource: '' });

function ItemFields(props: { itemKey: string; values: ItemDraftValues; entities: Entity[]; errors: FormErrors }) {
  const id = (f: string) => itemFieldId(props.itemKey, f);
  const entityOptions: [string, string][] = [['', ms.noEntity], ...props.entities.map((e): [string, string] => [e.id, entityName(e, 'en')])];
  return (
    <>
      <TextAreaField id={id('text')} name="text" label={ms.itemText} value={props.values.text} rows={2} errors={props.errors} />
      <SelectField id={id('status')} name="status" label={ms.itemStatus} value={props.values.status} options={CLAIM_STATUSES.map((s) => [s, m.claimStatus[s]] as const)} errors={props.errors} />
      <TextField id={id('attributionSource')} name="attributionSource" label={ms.itemAttribution} value={props.values.attributionSource} errors={props.errors} />
      <SelectField id={id('attributionEntityId')} name="attributionEntityId" label={ms.itemEntity} value={props.values.attributionEntityId} options={entityOptions} errors={props.errors} />
      <TextField id={id('changeSource')} name="changeSource" label={ms.changeSource} hint={ms.changeSourceHint} value={props.values.changeSource} errors={props.errors} />
    </>
  );
}

/** "Suggested: Claimed — attributed to Prigozhin (from ‘claimed’)". */
export const describeSuggestion = (s: ClaimSuggestion) => m.claims.suggested(m.claimStatus[s.status], s.attribution, s.cue);

/** Which form on the story page failed, with what it sent, so only that form shows errors. */
export type StoryPageFailure =
  | { form: 'story'; values: StoryFormValues; errors: FormErrors }
  | { form: 'item'; itemKey: string; values: ItemDraftValues; errors: FormErrors };

/**
 * An item form redrawn after "Suggest status from wording" or "Accept suggestion": the values as
 * typed (with the suggestion put in when accepted), and the suggestion to show. Nothing is saved.
 */
export interface ItemDraft {
  itemKey: string;
  values: ItemDraftValues;
  suggestion: ClaimSuggestion | null;
  isApplied: boolean;
}

/** The suggestion box inside an item form: its Accept button redraws the form with it filled in. */
function DraftSuggestion(props: { draft: ItemDraft; action: string; label: string }) {
  const { draft } = props;
  if (draft.isApplied) return <p class="claim-suggestion" role="status">{m.claims.applied}</p>;
  if (!draft.suggestion) return <p class="claim-suggestion" role="status">{m.claims.none}</p>;
  return (
    <div class="claim-suggestion" role="status">
      <p>{describeSuggestion(draft.suggestion)}</p>
      <input type="hidden" name="suggestedStatus" value={draft.suggestion.status} />
      <input type="hidden" name="suggestedAttribution" value={draft.suggestion.attribution ?? ''} />
      <button type="submit" name="op" value="accept" formAction={props.action} class="secondary">
        {m.claims.accept}<span class="visually-hidden"> {props.label}</span>
      </button>
    </div>
  );
}

/** A stored item whose wording suggests another status: accepting saves it at once. */
function StoredSuggestion(props: { ctx: DeskContext; action: string; suggestion: ClaimSuggestion; label: string }) {
  return (
    <form method="post" action={props.action} class="claim-suggestion">
      <CsrfField token={props.ctx.csrfToken} />
      <p>{m.claims.storedDiffers} {describeSuggestion(props.suggestion)}</p>
      <input type="hidden" name="status" value={props.suggestion.status} />
      <input type="hidden" name="attribution" value={props.suggestion.attribution ?? ''} />
      <button type="submit" class="secondary">{m.claims.accept}<span class="visually-hidden"> {props.label}</span></button>
    </form>
  );
}

/** One item's form: its fields, Save, and the no-JS suggestion round trip; the island adds live suggestions. */
function ItemForm(props: {
  ctx: DeskContext; base: string; itemKey: string; legend: string; saveLabel: string; saveHidden?: string; isPrimary?: boolean;
  values: ItemDraftValues; errors: FormErrors; entities: Entity[]; draft: ItemDraft | null; liveUrl: string;
}) {
  const action = props.itemKey === 'new' ? `${props.base}/items` : `${props.base}/items/${encodeURIComponent(props.itemKey)}`;
  const suggestAction = `${props.base}/items/${encodeURIComponent(props.itemKey)}/suggest`;
  return (
    <form method="post" action={action} class="stack" data-claim-suggest={props.liveUrl} data-accept-label={m.claims.accept}>
      <fieldset class="row">
        <legend>{props.legend}</legend>
        <CsrfField token={props.ctx.csrfToken} />
        <ItemFields itemKey={props.itemKey} values={props.values} entities={props.entities} errors={props.errors} />
        {/* Save comes first, so Enter in a text field saves rather than asking for a suggestion. */}
        <div class="actions">
          <button type="submit" class={props.isPrimary ? 'primary' : undefined}>
            {props.saveLabel}{props.saveHidden ? <span class="visually-hidden"> {props.saveHidden}</span> : null}
          </button>
          <button type="submit" name="op" value="suggest" formAction={suggestAction} class="secondary">
            {m.claims.suggest}<span class="visually-hidden"> ({props.legend})</span>
          </button>
        </div>
        {props.draft ? <DraftSuggestion draft={props.draft} action={suggestAction} label={`(${props.legend})`} /> : null}
        <div class="claim-live" data-claim-live="" aria-live="polite"></div>
      </fieldset>
    </form>
  );
}

function BriefLinks({ briefs }: { briefs: DashboardBrief[] }) {
  if (briefs.length === 0) return <p>{m.storyDashboard.none}</p>;
  return (
    <ul>
      {briefs.map((b) => (
        <li><a href={deskBriefPath(b)} lang={b.language}>{b.headline}</a> <span class="meta">({m.languageName[b.language]})</span></li>
      ))}
    </ul>
  );
}

/** Where the story stands: briefs by stage, open claims by status, what readers are saying. */
function Dashboard(props: { ctx: DeskContext; story: Story; dashboard: StoryDashboard }) {
  const { dashboard, story } = props;
  const md = m.storyDashboard;
  const stages = [['draft', md.draft], ['inReview', md.inReview], ['published', md.published]] as const;
  return (
    <section aria-labelledby="dashboard-title" class="story-dashboard">
      <h2 id="dashboard-title">{md.title}</h2>
      <section aria-labelledby="dash-briefs">
        <h3 id="dash-briefs">{md.briefs}</h3>
        {stages.map(([key, label]) => (
          <>
            <h4>{label} (<span data-count={key}>{dashboard.briefs[key].length}</span>)</h4>
            <BriefLinks briefs={dashboard.briefs[key]} />
          </>
        ))}
      </section>
      <section aria-labelledby="dash-items">
        <h3 id="dash-items">{md.openItems}</h3>
        {OPEN_CLAIM_STATUSES.map((status) => (
          <>
            <h4>{m.claimStatus[status]} (<span data-count={status}>{dashboard.openItems[status].length}</span>)</h4>
            {dashboard.openItems[status].length === 0 ? <p>{md.none}</p> : (
              <ul>{dashboard.openItems[status].map((item) => <li><a href={`#item-${item.id}`} lang={story.language}>{item.text}</a></li>)}</ul>
            )}
          </>
        ))}
      </section>
      <section aria-labelledby="dash-comments">
        <h3 id="dash-comments">{md.comments}</h3>
        <p data-count="comments" data-value={String(dashboard.commentCount)}>{md.commentCount(dashboard.commentCount)}</p>
        {dashboard.latestComments.length > 0 ? (
          <>
            <h4>{md.latestComments}</h4>
            <ul class="latest-comments">
              {dashboard.latestComments.map((c) => (
                <li>
                  <a href={`${briefPath({ slug: c.briefSlug })}?sort=newest#comment-${c.id}`}>{c.authorName}</a>
                  {' '}<span class="meta">({formatShortDateTime(c.createdAt, { language: 'en', timeZone: props.ctx.timeZone })})</span>
                  {' '}{md.on} <span lang={c.briefLanguage}>{c.briefHeadline}</span>: <q lang={c.briefLanguage}>{c.body.length > 140 ? `${c.body.slice(0, 140)}…` : c.body}</q>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </section>
  );
}

/** A story's dashboard, its fields and its background ledger, each item its own small form. */
export function StoryEditPage(props: {
  ctx: DeskContext; story: Story; items: BackgroundItem[]; entities: Entity[]; storyValues: StoryFormValues;
  dashboard: StoryDashboard;
  /** For stored items whose wording suggests another status than the stored one. */
  storedSuggestions: ReadonlyMap<string, ClaimSuggestion>;
  draft?: ItemDraft | null;
  failure?: StoryPageFailure; done?: StoryDoneKey | null;
  /** The story's comment setting; null when the viewer may not change it. */
  commentPolicy?: CommentPolicyView | null;
}) {
  const { ctx, story, failure, draft } = props;
  const base = `/desk/stories/${encodeURIComponent(story.id)}`;
  const liveUrl = `${base}/claim-suggestion`;
  const storyErrors = failure?.form === 'story' ? failure.errors : NO_ERRORS;
  const itemState = (key: string, fallback: ItemDraftValues) => {
    if (failure?.form === 'item' && failure.itemKey === key) return { values: failure.values, errors: failure.errors, draft: null };
    if (draft?.itemKey === key) return { values: draft.values, errors: NO_ERRORS, draft };
    return { values: fallback, errors: NO_ERRORS, draft: null };
  };
  const newItem = itemState('new', { text: '', status: 'unverified', attributionSource: '', attributionEntityId: '', changeSource: '' });
  return (
    <DeskPage ctx={ctx} title={ms.editTitle} current="stories" head={<script type="module" src="/assets/claim-suggest.js"></script>}>
      {props.done ? <p class="notice" role="status">{STORY_DONE[props.done]}</p> : null}
      <ErrorSummary errors={failure?.errors ?? NO_ERRORS} />
      <p>
        <a href={storyPath(story, story.language)}>{m.brief.viewOnSite}</a>
        {' · '}<a href={`/desk/briefs/new?storyId=${encodeURIComponent(story.id)}`}>{ms.newBriefInStory}</a>
      </p>
      <Dashboard ctx={ctx} story={story} dashboard={props.dashboard} />

      <form method="post" action={base} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <StoryFields values={failure?.form === 'story' ? failure.values : props.storyValues} errors={storyErrors} />
        <div class="actions"><button type="submit" class="primary">{ms.save}</button></div>
      </form>

      <section aria-labelledby="items-title">
        <h2 id="items-title">{ms.background}</h2>
        {props.items.length === 0 ? <p>{ms.noItems}</p> : null}
        {props.items.map((item, i) => {
          const state = itemState(item.id, itemDraftFromItem(item));
          const stored = state.draft || state.errors !== NO_ERRORS ? undefined : props.storedSuggestions.get(item.id);
          return (
            <div class="ledger-item" id={`item-${item.id}`}>
              <ItemForm
                ctx={ctx} base={base} itemKey={item.id} legend={ms.item(i + 1)} saveLabel={ms.saveItem} saveHidden={String(i + 1)}
                values={state.values} errors={state.errors} entities={props.entities} draft={state.draft} liveUrl={liveUrl}
              />
              {stored ? (
                <StoredSuggestion ctx={ctx} action={`${base}/items/${encodeURIComponent(item.id)}/accept`} suggestion={stored} label={`(${ms.item(i + 1)})`} />
              ) : null}
              <p><a href={backgroundItemPath(story, item.id, story.language)}>{ms.itemHistory(i + 1)}</a></p>
            </div>
          );
        })}
        <ItemForm
          ctx={ctx} base={base} itemKey="new" legend={ms.addItemTitle} saveLabel={ms.addItem} isPrimary
          values={newItem.values} errors={newItem.errors} entities={props.entities} draft={newItem.draft} liveUrl={liveUrl}
        />
      </section>

      {props.commentPolicy ? <CommentPolicyForm ctx={ctx} action={`${base}/comments`} scope="story" policy={props.commentPolicy} /> : null}
    </DeskPage>
  );
}
