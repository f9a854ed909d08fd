import type { AuthorHistory, CommentRevision, QueueItem } from '../../comments/moderation.js';
import { formatShortDateTime } from '../../web/format.js';
import { briefPath } from '../../web/paths.js';
import { deskMessages as m } from '../messages.js';
import type { DeskContext } from './DeskPage.js';
import { CsrfField } from './fields.js';

const mm = m.mod;

/** The form that ticks comments for a bulk decision; item checkboxes join it with `form=`. */
export const BULK_FORM_ID = 'bulk';

/**
 * A comment as the desk lists it. The loader adds an edited comment's earlier texts, oldest
 * first, so a moderator judges what readers saw before the edit too, not only the new text.
 */
export type ModerationEntry = QueueItem & { earlierVersions?: readonly CommentRevision[] };

export const commenterPath = (userId: string) => `/desk/moderation/users/${encodeURIComponent(userId)}`;
export const decisionPath = (commentId: string, decision: string) => `/desk/moderation/comments/${encodeURIComponent(commentId)}/${decision}`;

/** "25 Nov 2026, 09:00" in the site's zone, inside a <time>. */
export function When({ iso, ctx }: { iso: string; ctx: DeskContext }) {
  return <time dateTime={iso}>{formatShortDateTime(iso, { language: 'en', timeZone: ctx.timeZone })}</time>;
}

/** Why a comment is in front of a moderator, in words: the pipeline's reasons and the reports. */
export function reasonWords(item: Pick<QueueItem, 'reasons' | 'reportCount' | 'reports'>): string[] {
  const words: string[] = item.reasons.filter((r) => r !== 'reported').map((r) => mm.reason[r]);
  // Reviewed comments keep their report rows but not their count, so the rows are the better number.
  const reports = Math.max(item.reports.length, item.reportCount);
  if (reports > 0 || item.reasons.includes('reported')) words.push(mm.reported(reports));
  return words;
}

/** The account's standing in words: banned, suspended, pre-moderated. */
export function standingWords(history: AuthorHistory, ctx: DeskContext): string[] {
  const words: string[] = [];
  if (history.isBanned) words.push(mm.banned);
  if (history.suspendedUntil) words.push(mm.suspendedUntil(formatShortDateTime(history.suspendedUntil, { language: 'en', timeZone: ctx.timeZone })));
  if (history.isPremoderated) words.push(mm.premoderated);
  return words;
}

/**
 * Suspend, ban and pre-moderate buttons for a reader's account, in one form whose buttons name
 * the measure; `idSuffix` keeps the reason input's id unique when a page shows several.
 */
export function MeasuresForm(props: { ctx: DeskContext; userId: string; history: AuthorHistory; back: string; idSuffix: string }) {
  const { history } = props;
  const reasonId = `measure-reason-${props.idSuffix}`;
  const button = (action: string, label: string, cls?: string) => (
    <button type="submit" name="action" value={action} class={cls ? `secondary ${cls}` : 'secondary'}>{label}</button>
  );
  return (
    <form method="post" action={commenterPath(props.userId)} class="mod-measures" data-action="measure">
      <CsrfField token={props.ctx.csrfToken} />
      <input type="hidden" name="back" value={props.back} />
      <div class="field">
        <label for={reasonId}>{mm.measureReason}</label>
        <input type="text" id={reasonId} name="reason" maxLength={500} autocomplete="off" />
      </div>
      <div class="actions">
        {button('suspend-24h', mm.suspend24h)}
        {button('suspend-7d', mm.suspend7d)}
        {history.suspendedUntil ? button('unsuspend', mm.unsuspend) : null}
        {history.isBanned ? button('unban', mm.unban) : button('ban', mm.ban, 'danger')}
        {history.isPremoderated ? button('unpremoderate', mm.unpremoderate) : button('premoderate', mm.premoderate)}
      </div>
    </form>
  );
}

/** An edited comment's earlier texts, each with the time an edit replaced it, folded away. */
function EarlierVersions(props: { ctx: DeskContext; versions: readonly CommentRevision[]; language: string }) {
  return (
    <details class="mod-revisions">
      <summary>{mm.earlierVersions(props.versions.length)}</summary>
      <ol>
        {props.versions.map((v) => (
          <li>
            <p class="mod-revision-meta">{mm.replaced} <When iso={v.replacedAt} ctx={props.ctx} /></p>
            <p class="mod-text" lang={props.language}>{v.body}</p>
          </li>
        ))}
      </ol>
    </details>
  );
}

function DecisionForm(props: { ctx: DeskContext; item: QueueItem; decision: string; label: string; back: string; cls?: string; withReason?: boolean }) {
  const reasonId = `reason-${props.item.id}`;
  return (
    <form method="post" action={decisionPath(props.item.id, props.decision)} class="mod-decision" data-action={props.decision}>
      <CsrfField token={props.ctx.csrfToken} />
      <input type="hidden" name="back" value={props.back} />
      {props.withReason ? (
        <span class="mod-reason-field">
          <label for={reasonId}>{mm.rejectReason}</label>
          <input type="text" id={reasonId} name="reason" maxLength={500} autocomplete="off" />
        </span>
      ) : null}
      <button type="submit" class={props.cls}>{props.label}</button>
    </form>
  );
}

/**
 * One comment as a moderator sees it: who, when, under which brief, why it is here, the
 * reports, the author's record, and a small POST form per decision (no JavaScript needed).
 * `isSelectable` adds the checkbox of the bulk form.
 */
export function ModerationItem(props: {
  ctx: DeskContext; item: ModerationEntry; back: string; isSelectable: boolean; showMeasures: boolean; headingLevel?: 2 | 3;
}) {
  const { ctx, item, back } = props;
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  const titleId = `comment-${item.id}-title`;
  const reasons = reasonWords(item);
  const needsReview = item.status !== 'published' || item.isFlagged || item.reportCount > 0;
  const history = item.authorHistory;
  const canMeasure = props.showMeasures && item.userId !== null && history !== null && !item.isStaff;
  return (
    <article id={`comment-${item.id}`} class="mod-item" tabIndex={-1} aria-labelledby={titleId} data-comment-id={item.id} data-status={item.status}>
      <header class="mod-item-head">
        {props.isSelectable ? (
          <span class="mod-select">
            <input type="checkbox" id={`select-${item.id}`} name="ids" value={item.id} form={BULK_FORM_ID} />
            <label for={`select-${item.id}`}>{mm.select}<span class="visually-hidden"> {mm.selectWhose(item.authorName)}</span></label>
          </span>
        ) : null}
        <Heading id={titleId} class="mod-author">
          {item.userId ? <a href={commenterPath(item.userId)}>{item.authorName}</a> : item.authorName}
          {item.isStaff ? <> <span class="badge badge-staff">{mm.staff}</span></> : null}
        </Heading>
        <p class="mod-meta">
          <When iso={item.createdAt} ctx={ctx} /> {mm.on} <a href={briefPath(item.brief)} lang={item.brief.language}>{item.brief.headline}</a>
          {' · '}<span class={`status status-${item.status}`}>{mm.status[item.status]}</span>
          {item.isFlagged ? <>{' · '}<span class="badge badge-flagged">{mm.flagged}</span></> : null}
          {item.isFeatured ? <>{' · '}<span class="badge">{mm.featured}</span></> : null}
          {item.editedAt ? <>{' · '}<span class="badge">{mm.edited}</span> <When iso={item.editedAt} ctx={ctx} /></> : null}
        </p>
      </header>
      {reasons.length ? (
        <ul class="mod-reasons" aria-label={mm.reasonsLabel}>
          {reasons.map((r) => <li>{r}</li>)}
        </ul>
      ) : null}
      <p class="mod-text" lang={item.brief.language}>{item.body}</p>
      {item.editedAt && item.earlierVersions?.length ? <EarlierVersions ctx={ctx} versions={item.earlierVersions} language={item.brief.language} /> : null}
      {item.reports.length ? (
        <div class="mod-reports">
          <p class="mod-reports-title">{mm.reports}</p>
          <ul>
            {item.reports.map((r) => (
              <li><strong>{mm.reportReason[r.reason] ?? r.reason}</strong>{r.text ? <>: <span class="mod-report-text">{r.text}</span></> : null}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p class="mod-history">
        {history ? (
          <>
            {mm.history} {mm.historyCounts(history)}
            {standingWords(history, ctx).map((w) => <>{' · '}<strong>{w}</strong></>)}
          </>
        ) : mm.noAccount}
      </p>
      <div class="mod-actions">
        {needsReview ? <DecisionForm ctx={ctx} item={item} decision="approve" label={mm.approve} back={back} cls="primary" /> : null}
        {item.status !== 'rejected' ? <DecisionForm ctx={ctx} item={item} decision="reject" label={mm.reject} back={back} cls="danger" withReason /> : null}
        {item.isFeatured
          ? <DecisionForm ctx={ctx} item={item} decision="unfeature" label={mm.unfeature} back={back} />
          : <DecisionForm ctx={ctx} item={item} decision="feature" label={mm.feature} back={back} />}
      </div>
      {canMeasure ? (
        <details class="mod-commenter">
          <summary>{mm.commenterActions}</summary>
          <MeasuresForm ctx={ctx} userId={item.userId!} history={history!} back={back} idSuffix={item.id} />
        </details>
      ) : null}
      <p class="mod-gone" hidden>{mm.decidedElsewhere}</p>
    </article>
  );
}
