import { entityName } from '../../content/entities.js';
import { CLAIM_STATUSES, LANGUAGES, STORY_STATUSES, type BackgroundItem, type Entity, type Story } from '../../content/types.js';
import { formatShortDateTime } from '../../web/format.js';
import { storyPath } from '../../web/paths.js';
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
  const labels: Record<string, string> = { text: ms.itemText, status: ms.itemStatus, attributionSource: ms.itemAttribution, attributionEntityId: ms.itemEntity };
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

function ItemFields(props: { itemKey: string; values: ItemFormValues; entities: Entity[]; errors: FormErrors }) {
  const id = (f: string) => itemFieldId(props.itemKey, f);
  const entityOptions: [string, string][] = [['', ms.noEntity], ...props.entities.map((e): [string, string] => [e.id, entityName(e, 'en')])];
  return (
    <>
      <TextAreaField id={id('text')} name="text" label={ms.itemText} value={props.values.text} rows={2} errors={props.errors} />
      <SelectField id={id('status')} name="status" label={ms.itemStatus} value={props.values.status} options={CLAIM_STATUSES.map((s) => [s, m.claimStatus[s]] as const)} errors={props.errors} />
      <TextField id={id('attributionSource')} name="attributionSource" label={ms.itemAttribution} value={props.values.attributionSource} errors={props.errors} />
      <SelectField id={id('attributionEntityId')} name="attributionEntityId" label={ms.itemEntity} value={props.values.attributionEntityId} options={entityOptions} errors={props.errors} />
    </>
  );
}

/** Which form on the story page failed, with what it sent, so only that form shows errors. */
export type StoryPageFailure =
  | { form: 'story'; values: StoryFormValues; errors: FormErrors }
  | { form: 'item'; itemKey: string; values: ItemFormValues; errors: FormErrors };

/** A story's fields and its background ledger, each item its own small form. */
export function StoryEditPage(props: {
  ctx: DeskContext; story: Story; items: BackgroundItem[]; entities: Entity[]; storyValues: StoryFormValues;
  failure?: StoryPageFailure; done?: StoryDoneKey | null;
  /** The story's comment setting; null when the viewer may not change it. */
  commentPolicy?: CommentPolicyView | null;
}) {
  const { ctx, story, failure } = props;
  const base = `/desk/stories/${encodeURIComponent(story.id)}`;
  const storyErrors = failure?.form === 'story' ? failure.errors : NO_ERRORS;
  const itemState = (key: string, fallback: ItemFormValues) =>
    failure?.form === 'item' && failure.itemKey === key ? { values: failure.values, errors: failure.errors } : { values: fallback, errors: NO_ERRORS };
  const newItem = itemState('new', { text: '', status: 'unverified', attributionSource: '', attributionEntityId: '' });
  return (
    <DeskPage ctx={ctx} title={ms.editTitle} current="stories">
      {props.done ? <p class="notice" role="status">{STORY_DONE[props.done]}</p> : null}
      <ErrorSummary errors={failure?.errors ?? NO_ERRORS} />
      <p><a href={storyPath(story)}>{m.brief.viewOnSite}</a></p>
      <form method="post" action={base} class="stack">
        <CsrfField token={ctx.csrfToken} />
        <StoryFields values={failure?.form === 'story' ? failure.values : props.storyValues} errors={storyErrors} />
        <div class="actions"><button type="submit" class="primary">{ms.save}</button></div>
      </form>

      <section aria-labelledby="items-title">
        <h2 id="items-title">{ms.background}</h2>
        {props.items.length === 0 ? <p>{ms.noItems}</p> : null}
        {props.items.map((item, i) => {
          const state = itemState(item.id, itemValuesFromItem(item));
          return (
            <form method="post" action={`${base}/items/${encodeURIComponent(item.id)}`} class="stack">
              <fieldset class="row">
                <legend>{ms.item(i + 1)}</legend>
                <CsrfField token={ctx.csrfToken} />
                <ItemFields itemKey={item.id} values={state.values} entities={props.entities} errors={state.errors} />
                <div class="actions"><button type="submit">{ms.saveItem}<span class="visually-hidden"> {i + 1}</span></button></div>
              </fieldset>
            </form>
          );
        })}
        <form method="post" action={`${base}/items`} class="stack">
          <fieldset class="row">
            <legend>{ms.addItemTitle}</legend>
            <CsrfField token={ctx.csrfToken} />
            <ItemFields itemKey="new" values={newItem.values} entities={props.entities} errors={newItem.errors} />
            <div class="actions"><button type="submit" class="primary">{ms.addItem}</button></div>
          </fieldset>
        </form>
      </section>

      {props.commentPolicy ? <CommentPolicyForm ctx={ctx} action={`${base}/comments`} scope="story" policy={props.commentPolicy} /> : null}
    </DeskPage>
  );
}
