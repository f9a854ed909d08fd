import { can } from '../../accounts/policy.js';
import { entityName } from '../../content/entities.js';
import { CLAIM_STATUSES, LANGUAGES, PUBLIC_STATUSES, SOURCE_KINDS, type Brief, type Entity, type Story } from '../../content/types.js';
import { formatShortDateTime } from '../../web/format.js';
import { briefPath, deskBriefPath } from '../../web/paths.js';
import { fieldId, type BriefFormValues } from '../forms.js';
import type { BackgroundItem } from '../../content/types.js';
import { PICKED_FIELD, PICKER_FIELD } from '../background-picker.js';
import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';
import { CommentPolicyForm, type CommentPolicyView } from './ModerationPolicy.js';
import { TimelineForms, type TimelinePanelView } from './TimelineForms.js';
import { CsrfField, ErrorSummary, NO_ERRORS, SelectField, TextAreaField, TextField, type FormErrors, type PathDescriber } from './fields.js';

const mb = m.brief;

/** A revision as the history table shows it. */
export interface RevisionLine {
  number: number;
  kind: string;
  who: string;
  createdAt: string;
  reason: string | null;
}

/** Notices shown after a redirect (`?done=saved`), so the person sees their action landed. */
export const DONE_MESSAGES = { ...mb.done, 'comments-saved': m.mod.commentPolicy.saved } as const;
const SUGGESTIONS = mb.suggestions;
export type DoneKey = keyof typeof DONE_MESSAGES;

const ROW_FIELDS: Record<string, Record<string, string>> = {
  sources: { name: mb.sourceName, url: mb.sourceUrl, kind: mb.sourceKind },
  quotes: { text: mb.quoteText, speaker: mb.quoteSpeaker, sourceIndex: mb.quoteSource },
  background: { text: mb.backgroundText, status: mb.backgroundStatus, attribution: mb.backgroundAttribution, itemId: mb.backgroundText },
};
const ROW_TITLES: Record<string, (n: number) => string> = { sources: mb.source, quotes: mb.quote, background: mb.backgroundItem };
// The form's input names differ from the service's paths in two places.
const ROW_INPUT: Record<string, string> = { sourceIndex: 'source', itemId: 'text' };

/**
 * Where an error path from the brief services is shown in the editor: `sources.0.name` at the
 * first source's name, `details.3` at the details box, `entityIds.1` at the entity list.
 */
export const describeBriefPath: PathDescriber = (path) => {
  const [head, index, field] = path.split('.');
  switch (head) {
    case 'language': return { id: fieldId('language'), label: m.language };
    case 'headline': return { id: fieldId('headline'), label: m.headline };
    case 'storyId': return { id: fieldId('storyId'), label: mb.story };
    case 'publishedAt': return { id: fieldId('dateline'), label: mb.dateline };
    case 'details': return { id: fieldId('details'), label: index ? `${mb.details} (line ${Number(index) + 1})` : mb.details };
    case 'previously': return { id: fieldId('previously'), label: index ? `${mb.previously} (line ${Number(index) + 1})` : mb.previously };
    case 'previouslyLinks': return { id: fieldId('previouslyLinks'), label: mb.previouslyLinks };
    case 'entityIds': return { id: fieldId('entities'), label: mb.entities };
    case 'reason': return { id: fieldId('reason'), label: mb.correctReason };
    case 'sources':
    case 'quotes':
    case 'background': {
      if (index === undefined || !/^\d+$/.test(index)) return { id: fieldId(head), label: { sources: mb.sources, quotes: mb.quotes, background: mb.backgroundItems }[head] };
      const row = ROW_TITLES[head]!(Number(index) + 1);
      const label = field ? ROW_FIELDS[head]![field] : undefined;
      if (!field || !label) return { id: fieldId(`${head}.${index}`), label: row };
      return { id: fieldId(`${head}.${index}.${ROW_INPUT[field] ?? field}`), label: `${row}: ${label.replace(/ \(optional\)$/, '')}` };
    }
    default: return null;
  }
};

/** Where the retraction form's errors go. */
export const describeRetractPath: PathDescriber = (path) => (path === 'reason' ? { id: 'f-retract-reason', label: mb.retractReason } : null);

function RemoveButton(props: { op: string; what: string }) {
  return (
    <button type="submit" name="op" value={props.op} class="secondary">
      {mb.remove}<span class="visually-hidden"> {props.what.toLowerCase()}</span>
    </button>
  );
}

function FieldsetError({ id, errors }: { id: string; errors: FormErrors }) {
  const text = errors.byId.get(id);
  return text ? <p class="field-error" id={`${id}-error`}><span class="visually-hidden">{m.errorPrefix} </span>{text}</p> : null;
}

function SourceRows({ values, errors }: { values: BriefFormValues; errors: FormErrors }) {
  const kinds = SOURCE_KINDS.map((k) => [k, m.sourceKind[k]] as const);
  return (
    <fieldset class="group" id={fieldId('sources')}>
      <legend>{mb.sources}</legend>
      <FieldsetError id={fieldId('sources')} errors={errors} />
      {values.sources.map((source, i) => {
        const id = (f: string) => fieldId(`sources.${i}.${f}`);
        return (
          <fieldset class="row" id={fieldId(`sources.${i}`)}>
            <legend>{mb.source(i + 1)}</legend>
            <FieldsetError id={fieldId(`sources.${i}`)} errors={errors} />
            <TextField id={id('name')} name={`sources[${i}][name]`} label={mb.sourceName} value={source.name} errors={errors} />
            <TextField id={id('url')} name={`sources[${i}][url]`} type="url" label={mb.sourceUrl} value={source.url} errors={errors} />
            <SelectField id={id('kind')} name={`sources[${i}][kind]`} label={mb.sourceKind} value={source.kind} options={kinds} errors={errors} />
            <RemoveButton op={`remove-source:${i}`} what={mb.source(i + 1)} />
          </fieldset>
        );
      })}
      <button type="submit" name="op" value="add-source" class="secondary">{mb.addSource}</button>
    </fieldset>
  );
}

function QuoteRows({ values, errors }: { values: BriefFormValues; errors: FormErrors }) {
  const sourceOptions: [string, string][] = [
    ['', mb.quoteNoSource],
    ...values.sources.map((s, i): [string, string] => [String(i), s.name.trim() ? `${mb.source(i + 1)}: ${s.name}` : mb.source(i + 1)]),
  ];
  return (
    <fieldset class="group" id={fieldId('quotes')}>
      <legend>{mb.quotes}</legend>
      <FieldsetError id={fieldId('quotes')} errors={errors} />
      {values.quotes.map((quote, i) => {
        const id = (f: string) => fieldId(`quotes.${i}.${f}`);
        return (
          <fieldset class="row" id={fieldId(`quotes.${i}`)}>
            <legend>{mb.quote(i + 1)}</legend>
            <FieldsetError id={fieldId(`quotes.${i}`)} errors={errors} />
            <TextAreaField id={id('text')} name={`quotes[${i}][text]`} label={mb.quoteText} value={quote.text} rows={3} errors={errors} />
            <TextField id={id('speaker')} name={`quotes[${i}][speaker]`} label={mb.quoteSpeaker} value={quote.speaker} errors={errors} />
            <SelectField id={id('source')} name={`quotes[${i}][source]`} label={mb.quoteSource} value={quote.source} options={sourceOptions} errors={errors} />
            <RemoveButton op={`remove-quote:${i}`} what={mb.quote(i + 1)} />
          </fieldset>
        );
      })}
      <button type="submit" name="op" value="add-quote" class="secondary">{mb.addQuote}</button>
    </fieldset>
  );
}

const PICKER = mb.picker;

/** The story's items as ticks; each ticked row travels hidden, so its wording stays as the brief has it. */
function StoryItemPicker({ values, storyItems }: { values: BriefFormValues; storyItems: BackgroundItem[] }) {
  const ticked = new Set(values.background.map((row) => row.itemId).filter(Boolean));
  return (
    <fieldset class="group" id={fieldId('backgroundItemIds')}>
      <legend>{PICKER.legend}</legend>
      <p class="hint">{PICKER.hint}</p>
      <input type="hidden" name={PICKER_FIELD} value="1" />
      {storyItems.length === 0 ? <p>{PICKER.none}</p> : (
        <ul class="checkboxes background-picks">
          {storyItems.map((item, i) => (
            <li>
              <input type="checkbox" id={`f-pick-${i}`} name={PICKED_FIELD} value={item.id} checked={ticked.has(item.id)} />
              <label for={`f-pick-${i}`}>
                <strong>{m.claimStatus[item.status]}</strong> {item.text}{item.attributionSource ? ` — ${item.attributionSource}` : ''}
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

function BackgroundRows({ values, errors, storyItems }: { values: BriefFormValues; errors: FormErrors; storyItems?: BackgroundItem[] | null }) {
  const statuses = CLAIM_STATUSES.map((s) => [s, m.claimStatus[s]] as const);
  return (
    <>
      {storyItems ? <StoryItemPicker values={values} storyItems={storyItems} /> : null}
      <fieldset class="group" id={fieldId('background')}>
        <legend>{storyItems ? PICKER.newItems : mb.backgroundItems}</legend>
        <FieldsetError id={fieldId('background')} errors={errors} />
        {values.background.map((item, i) => {
          const id = (f: string) => fieldId(`background.${i}.${f}`);
          // A ticked item's words travel hidden: the brief keeps them, the story's page edits them.
          if (storyItems && item.itemId) {
            return (
              <>
                <input type="hidden" name={`background[${i}][itemId]`} value={item.itemId} />
                <input type="hidden" name={`background[${i}][text]`} value={item.text} />
                <input type="hidden" name={`background[${i}][status]`} value={item.status} />
                <input type="hidden" name={`background[${i}][attribution]`} value={item.attribution} />
              </>
            );
          }
          return (
            <fieldset class="row" id={fieldId(`background.${i}`)}>
              <legend>{mb.backgroundItem(i + 1)}</legend>
              <FieldsetError id={fieldId(`background.${i}`)} errors={errors} />
              {/* Keeps the link to the story's ledger item, so an edit updates it instead of adding another. */}
              {item.itemId ? <input type="hidden" name={`background[${i}][itemId]`} value={item.itemId} /> : null}
              <TextAreaField id={id('text')} name={`background[${i}][text]`} label={mb.backgroundText} value={item.text} rows={2} errors={errors} />
              <SelectField id={id('status')} name={`background[${i}][status]`} label={mb.backgroundStatus} value={item.status} options={statuses} errors={errors} />
              <TextField id={id('attribution')} name={`background[${i}][attribution]`} label={mb.backgroundAttribution} value={item.attribution} errors={errors} />
              <RemoveButton op={`remove-background:${i}`} what={mb.backgroundItem(i + 1)} />
            </fieldset>
          );
        })}
        <button type="submit" name="op" value="add-background" class="secondary">{mb.addBackground}</button>
      </fieldset>
    </>
  );
}

function EntityChoices({ values, entities, errors }: { values: BriefFormValues; entities: Entity[]; errors: FormErrors }) {
  const chosen = new Set(values.entityIds);
  return (
    <fieldset class="group" id={fieldId('entities')}>
      <legend>{mb.entities}</legend>
      <FieldsetError id={fieldId('entities')} errors={errors} />
      {entities.length === 0 ? <p>{mb.noEntities}</p> : (
        <ul class="checkboxes">
          {entities.map((entity, i) => (
            <li>
              <input type="checkbox" id={`f-entity-${i}`} name="entityIds" value={entity.id} checked={chosen.has(entity.id)} />
              <label for={`f-entity-${i}`}>{entityName(entity, 'en')} ({m.entityKind[entity.kind]})</label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** An earlier brief the Previously section links to, as its tick box names it. */
export interface LinkedBrief { id: string; headline: string; language: Brief['language'] }

/**
 * Previously's links as ticks (unticking drops one) and "Propose from the story", which redraws
 * the form with the story's latest published briefs put into Previously for the editor to edit.
 */
function PreviouslyLinks(props: { values: BriefFormValues; briefs: LinkedBrief[]; errors: FormErrors }) {
  const byId = new Map(props.briefs.map((b) => [b.id, b]));
  return (
    <fieldset class="group" id={fieldId('previouslyLinks')}>
      <legend>{mb.previouslyLinks}</legend>
      <FieldsetError id={fieldId('previouslyLinks')} errors={props.errors} />
      {props.values.previouslyLinks.length > 0 ? (
        <>
          <p class="hint">{mb.previouslyLinksHint}</p>
          <ul class="checkboxes">
            {props.values.previouslyLinks.map((id, i) => {
              const linked = byId.get(id);
              return (
                <li>
                  <input type="checkbox" id={`f-previously-link-${i}`} name="previouslyLinks" value={id} checked />
                  <label for={`f-previously-link-${i}`}>{linked ? <span lang={linked.language}>{linked.headline}</span> : id}</label>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      <button type="submit" name="op" value="propose-previously" class="secondary">{mb.proposePreviously}</button>
    </fieldset>
  );
}

type Mode = 'new' | 'edit' | 'correct' | 'read-only';

function modeOf(brief: Brief | null, ctx: DeskContext): Mode {
  if (!brief) return 'new';
  if (brief.status === 'draft' || brief.status === 'in_review') return can(ctx.user, 'brief.write') ? 'edit' : 'read-only';
  if (brief.status === 'published' || brief.status === 'corrected') return can(ctx.user, 'brief.correct') ? 'correct' : 'read-only';
  return 'read-only';
}

function BriefFields(props: { ctx: DeskContext; values: BriefFormValues; errors: FormErrors; stories: Story[]; entities: Entity[]; mode: Mode; storyItems?: BackgroundItem[] | null; previouslyBriefs?: LinkedBrief[] }) {
  const { values, errors } = props;
  const languages = LANGUAGES.map((l) => [l, m.languageName[l]] as const);
  const stories: [string, string][] = [['', mb.noStory], ...props.stories.map((s): [string, string] => [s.id, s.title])];
  return (
    <>
      <fieldset class="group">
        <legend>{mb.basics}</legend>
        <SelectField id={fieldId('language')} name="language" label={m.language} value={values.language} options={languages} errors={errors} />
        <TextField id={fieldId('headline')} name="headline" label={m.headline} value={values.headline} errors={errors} />
        <SelectField id={fieldId('storyId')} name="storyId" label={mb.story} value={values.storyId} options={stories} errors={errors} />
        {props.mode === 'correct' ? (
          <p><strong>{mb.datelineFixed}:</strong> {values.dateline.replace('T', ' ')} ({props.ctx.timeZone})</p>
        ) : (
          <TextField
            id={fieldId('dateline')} name="dateline" type="datetime-local" label={mb.dateline} value={values.dateline}
            hint={mb.datelineHint(props.ctx.timeZone)} errors={errors}
          />
        )}
      </fieldset>
      <SourceRows values={values} errors={errors} />
      <QuoteRows values={values} errors={errors} />
      <TextAreaField id={fieldId('details')} name="details" label={mb.details} hint={mb.detailsHint} value={values.details} rows={8} errors={errors} />
      <TextAreaField id={fieldId('previously')} name="previously" label={mb.previously} hint={mb.previouslyHint} value={values.previously} rows={3} errors={errors} />
      <PreviouslyLinks values={values} briefs={props.previouslyBriefs ?? []} errors={errors} />
      <BackgroundRows values={values} errors={errors} storyItems={props.storyItems} />
      <EntityChoices values={values} entities={props.entities} errors={errors} />
    </>
  );
}

function ActionButtons(props: { ctx: DeskContext; brief: Brief | null; mode: Mode }) {
  const { brief, ctx } = props;
  if (props.mode === 'correct') {
    return <div class="actions"><button type="submit" name="op" value="save" class="primary">{mb.correct}</button></div>;
  }
  const base = brief ? deskBriefPath(brief) : null;
  return (
    <div class="actions">
      <button type="submit" name="op" value="save" class="primary">{brief?.status === 'in_review' ? mb.save : mb.saveDraft}</button>
      {base && brief?.status === 'draft' && can(ctx.user, 'brief.submit') ? (
        <button type="submit" name="op" value="submit" formAction={`${base}/submit`}>{mb.submitForReview}</button>
      ) : null}
      {base && can(ctx.user, 'brief.publish') ? (
        <button type="submit" name="op" value="publish" formAction={`${base}/publish`}>{mb.publish}</button>
      ) : null}
      <button type="submit" name="op" value="preview">{mb.preview}</button>
    </div>
  );
}

function History({ revisions, timeZone }: { revisions: RevisionLine[]; timeZone: string }) {
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{mb.history}</h2>
      <table aria-labelledby="history-title">
        <thead>
          <tr>
            <th scope="col">{mb.revisionNumber}</th><th scope="col">{mb.revisionKind}</th><th scope="col">{mb.revisionWho}</th>
            <th scope="col">{mb.revisionWhen}</th><th scope="col">{mb.revisionReason}</th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <tr>
              <td>{r.number}</td><td>{r.kind}</td><td>{r.who}</td>
              <td><time dateTime={r.createdAt}>{formatShortDateTime(r.createdAt, { language: 'en', timeZone })}</time></td>
              <td>{r.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface BriefEditorProps {
  ctx: DeskContext;
  brief: Brief | null;
  values: BriefFormValues;
  errors: FormErrors;
  stories: Story[];
  entities: Entity[];
  revisions: RevisionLine[];
  done?: DoneKey | null;
  retractReason?: string;
  retractErrors?: FormErrors;
  /** The brief's comment setting; null when the viewer may not change it. */
  commentPolicy?: CommentPolicyView | null;
  /** The current items of the story the form names, to tick; null or absent without a story. */
  storyItems?: BackgroundItem[] | null;
  /** Translations and key-event pin; null when the viewer may not change them. */
  timeline?: TimelinePanelView | null;
  timelineErrors?: FormErrors;
  /** Entities found in the text on save that no editor has confirmed yet. */
  suggestedEntityIds?: string[];
  /** The briefs `values.previouslyLinks` names, for their headlines. */
  previouslyBriefs?: LinkedBrief[];
}

/** "Suggested: X [Confirm] [Remove]", one small form per suggestion (forms cannot nest). */
function SuggestedEntities(props: { ctx: DeskContext; brief: Brief; entities: Entity[]; ids: string[] }) {
  const byId = new Map(props.entities.map((e) => [e.id, e]));
  const suggested = props.ids.flatMap((id) => byId.get(id) ?? []);
  if (suggested.length === 0) return null;
  return (
    <section class="suggested-entities" aria-labelledby="suggested-entities-title">
      <h2 id="suggested-entities-title">{SUGGESTIONS.title}</h2>
      <p class="hint">{SUGGESTIONS.hint}</p>
      <ul>
        {suggested.map((entity) => (
          <li>
            <form method="post" action={`${deskBriefPath(props.brief)}/entities/${encodeURIComponent(entity.id)}`} class="inline-form">
              <CsrfField token={props.ctx.csrfToken} />
              {SUGGESTIONS.suggested} <strong>{entityName(entity, 'en')}</strong> ({m.entityKind[entity.kind]}){' '}
              <button type="submit" name="op" value="confirm" class="secondary" aria-label={`${SUGGESTIONS.confirm} ${entityName(entity, 'en')}`}>{SUGGESTIONS.confirm}</button>{' '}
              <button type="submit" name="op" value="remove" class="secondary" aria-label={`${SUGGESTIONS.remove} ${entityName(entity, 'en')}`}>{SUGGESTIONS.remove}</button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The brief editor: one plain form whose buttons carry the action (`op`). Row buttons redraw
 * the form; a published brief gets a correction form (same fields plus a reason) and a
 * retraction form instead.
 */
export function BriefEditor(props: BriefEditorProps) {
  const { brief, ctx, values, errors } = props;
  const mode = modeOf(brief, ctx);
  const retractErrors = props.retractErrors ?? NO_ERRORS;
  const action = !brief ? '/desk/briefs' : mode === 'correct' ? `${deskBriefPath(brief)}/correct` : deskBriefPath(brief);
  const isPublic = !!brief && PUBLIC_STATUSES.includes(brief.status);
  return (
    <DeskPage ctx={ctx} title={brief ? mb.editTitle : mb.newTitle} current={brief ? undefined : 'new-brief'}>
      {props.done ? <p class="notice" role="status">{DONE_MESSAGES[props.done]}</p> : null}
      {brief ? (
        <p class="brief-status">
          {mb.statusLine} <strong>{m.briefStatus[brief.status]}</strong>
          {' · '}<a href={`${deskBriefPath(brief)}/preview`}>{mb.preview}</a>
          {isPublic ? <>{' · '}<a href={briefPath(brief)}>{mb.viewOnSite}</a></> : null}
        </p>
      ) : null}
      <ErrorSummary errors={errors.summary.length ? errors : retractErrors} />

      {mode === 'read-only' ? (
        <p>{brief?.status === 'retracted' ? mb.retractedNotice : m.errors.title[403]}</p>
      ) : (
        <form method="post" action={action} class="brief-form" noValidate>
          {/* Enter in a text field clicks the form's first submit button; this keeps that a save rather than "Remove source 1". */}
          <button type="submit" name="op" value="save" class="default-action" tabIndex={-1} aria-hidden="true">{mb.saveDraft}</button>
          <CsrfField token={ctx.csrfToken} />
          {brief ? <input type="hidden" name="revision" value={values.revision} /> : null}
          {mode === 'correct' ? <h2>{mb.correctTitle}</h2> : null}
          <BriefFields ctx={ctx} values={values} errors={errors} stories={props.stories} entities={props.entities} mode={mode} storyItems={props.storyItems} previouslyBriefs={props.previouslyBriefs} />
          {mode === 'correct' ? (
            <TextAreaField id={fieldId('reason')} name="reason" label={mb.correctReason} value={values.reason} rows={2} errors={errors} />
          ) : null}
          <ActionButtons ctx={ctx} brief={brief} mode={mode} />
        </form>
      )}

      {brief && mode !== 'read-only' && props.suggestedEntityIds?.length ? (
        <SuggestedEntities ctx={ctx} brief={brief} entities={props.entities} ids={props.suggestedEntityIds} />
      ) : null}

      {brief && mode === 'correct' && can(ctx.user, 'brief.retract') ? (
        <form method="post" action={`${deskBriefPath(brief)}/retract`} class="retract-form">
          <h2>{mb.retractTitle}</h2>
          <CsrfField token={ctx.csrfToken} />
          <TextAreaField id="f-retract-reason" name="reason" label={mb.retractReason} value={props.retractReason ?? ''} rows={2} errors={retractErrors} />
          <div class="actions"><button type="submit" class="danger">{mb.retract}</button></div>
        </form>
      ) : null}

      {brief && props.commentPolicy ? (
        <CommentPolicyForm ctx={ctx} action={`${deskBriefPath(brief)}/comments`} scope="brief" policy={props.commentPolicy} />
      ) : null}

      {brief && props.timeline ? <TimelineForms ctx={ctx} briefId={brief.id} view={props.timeline} errors={props.timelineErrors ?? NO_ERRORS} /> : null}

      {brief ? <History revisions={props.revisions} timeZone={ctx.timeZone} /> : null}
    </DeskPage>
  );
}
