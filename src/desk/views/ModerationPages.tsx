import type { ComponentChildren } from 'preact';
import { can } from '../../accounts/policy.js';
import { QUEUES, type AuditEntry, type Commenter, type QueueItem, type Queue } from '../../comments/moderation.js';
import type { Page } from '../../common/cursor.js';
import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';
import { CsrfField, ErrorSummary, type FormErrors } from './fields.js';
import { BULK_FORM_ID, MeasuresForm, ModerationItem, When, commenterPath, standingWords } from './ModerationItem.js';

const mm = m.mod;

export const queuePath = (queue: Queue, cursor?: string | null) => `/desk/moderation/${queue}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;

/** Where the moderation pages sit among themselves: a queue, the log or the settings. */
export type ModerationSection = Queue | 'log' | 'settings' | null;

/** The queue tabs with their counts, and the log and settings beside them. */
function ModerationTabs(props: { ctx: DeskContext; counts: Record<Queue, number> | null; current: ModerationSection }) {
  const here = (key: ModerationSection) => (props.current === key ? 'page' as const : undefined);
  return (
    <nav class="mod-tabs" aria-label={mm.sections}>
      <ul>
        {QUEUES.map((queue) => (
          <li>
            <a href={queuePath(queue)} aria-current={here(queue)}>
              {mm.queues[queue]}
              {props.counts ? <> <span class="count" data-queue-count={queue}>{props.counts[queue]}</span></> : null}
            </a>
          </li>
        ))}
        <li><a href="/desk/moderation/log" aria-current={here('log')}>{mm.log}</a></li>
        {can(props.ctx.user, 'comment.configure') ? <li><a href="/desk/moderation/settings" aria-current={here('settings')}>{mm.settings}</a></li> : null}
      </ul>
    </nav>
  );
}

/** The page frame every moderation page shares: tabs, the notice after an action, errors. */
export function ModerationPage(props: {
  ctx: DeskContext; title: string; section: ModerationSection; counts?: Record<Queue, number> | null; done?: string | null;
  errors?: FormErrors; head?: ComponentChildren; children: ComponentChildren;
}) {
  return (
    <DeskPage ctx={props.ctx} title={props.title} current="moderation" head={props.head}>
      <ModerationTabs ctx={props.ctx} counts={props.counts ?? null} current={props.section} />
      {props.done ? <p class="notice" role="status">{props.done}</p> : null}
      {props.errors ? <ErrorSummary errors={props.errors} /> : null}
      {props.children}
    </DeskPage>
  );
}

function Pager(props: { next: string | null; newest: string | null; olderHref: (cursor: string) => string }) {
  if (!props.next && !props.newest) return null;
  return (
    <nav class="pager" aria-label={mm.pages}>
      {props.newest ? <a href={props.newest}>{mm.newest}</a> : null}
      {props.next ? <a href={props.olderHref(props.next)} rel="next">{mm.older}</a> : null}
    </nav>
  );
}

const ISLANDS = (
  <>
    <script type="module" src="/assets/moderation-keys.js"></script>
    <script type="module" src="/assets/moderation-live.js"></script>
  </>
);

/**
 * One queue: the bulk form, then the comments newest first. Checkboxes inside each item belong
 * to the bulk form through their `form` attribute, so forms never nest and every item keeps
 * its own small decision forms.
 */
export function QueuePage(props: {
  ctx: DeskContext; queue: Queue; counts: Record<Queue, number>; page: Page<QueueItem>; cursor: string | null;
  done: string | null; errors?: FormErrors;
}) {
  const { ctx, queue, page } = props;
  const back = queuePath(queue, props.cursor);
  return (
    <ModerationPage ctx={ctx} title={mm.queueTitle(mm.queues[queue])} section={queue} counts={props.counts} done={props.done} errors={props.errors} head={ISLANDS}>
      <p class="hint">{mm.queueHint[queue]}</p>
      <p id="mod-keys-help" class="mod-keys-help" hidden>{mm.keysHelp}</p>
      <div id="mod-live" role="status" data-queue={queue} data-counts={JSON.stringify(props.counts)}>
        <p class="mod-live-notice" hidden>{mm.liveNew} <a href={queuePath(queue)}>{mm.liveShow}</a></p>
      </div>
      {page.items.length === 0 ? <p>{mm.empty}</p> : (
        <>
          <form id={BULK_FORM_ID} method="post" action="/desk/moderation/bulk" class="mod-bulk">
            {/* Enter in the reason box rejects, which is what a reason is for. */}
            {queue !== 'rejected' ? <button type="submit" name="decision" value="reject" class="default-action" tabIndex={-1} aria-hidden="true">{mm.rejectSelected}</button> : null}
            <fieldset>
              <legend>{mm.bulkLegend}</legend>
              <p class="hint">{mm.bulkHint}</p>
              <CsrfField token={ctx.csrfToken} />
              <input type="hidden" name="back" value={back} />
              {queue !== 'rejected' ? (
                <div class="field">
                  <label for="bulk-reason">{mm.bulkReason}</label>
                  <input type="text" id="bulk-reason" name="reason" maxLength={500} autocomplete="off" />
                </div>
              ) : null}
              <div class="actions">
                {queue !== 'approved' ? <button type="submit" name="decision" value="approve" class="primary">{mm.approveSelected}</button> : null}
                {queue !== 'rejected' ? <button type="submit" name="decision" value="reject" class="danger">{mm.rejectSelected}</button> : null}
              </div>
            </fieldset>
          </form>
          <ol class="mod-list">
            {page.items.map((item) => <li><ModerationItem ctx={ctx} item={item} back={back} isSelectable showMeasures /></li>)}
          </ol>
        </>
      )}
      <Pager next={page.next} newest={props.cursor ? queuePath(queue) : null} olderHref={(c) => queuePath(queue, c)} />
    </ModerationPage>
  );
}

/** One account: its standing and record, the measures, and everything it wrote. */
export function CommenterPage(props: {
  ctx: DeskContext; commenter: Commenter; page: Page<QueueItem>; cursor: string | null; done: string | null; errors?: FormErrors;
}) {
  const { ctx, commenter, page } = props;
  const mc = mm.commenter;
  const base = commenterPath(commenter.id);
  const back = props.cursor ? `${base}?cursor=${encodeURIComponent(props.cursor)}` : base;
  const standing = standingWords(commenter.history, ctx);
  const isReader = commenter.role === 'reader';
  return (
    <ModerationPage ctx={ctx} title={mc.title(commenter.displayName)} section={null} done={props.done} errors={props.errors}>
      <dl class="mod-facts">
        <dt>{mc.role}</dt><dd>{commenter.isDeleted ? mc.deleted : (m.role as Record<string, string>)[commenter.role] ?? commenter.role}</dd>
        <dt>{mc.joined}</dt><dd><When iso={commenter.createdAt} ctx={ctx} /></dd>
        <dt>{mm.history}</dt><dd>{mm.historyCounts(commenter.history)}</dd>
        <dt>{mc.standing}</dt><dd>{standing.length ? standing.join(' · ') : mc.inGoodStanding}</dd>
      </dl>
      <section aria-labelledby="measures-title">
        <h2 id="measures-title">{mc.measures}</h2>
        {isReader
          ? <MeasuresForm ctx={ctx} userId={commenter.id} history={commenter.history} back={back} idSuffix="page" />
          : <p>{mm.staffNotHere}</p>}
      </section>
      <section aria-labelledby="comments-title">
        <h2 id="comments-title">{mc.comments}</h2>
        {page.items.length === 0 ? <p>{mc.none}</p> : (
          <ol class="mod-list">
            {page.items.map((item) => <li><ModerationItem ctx={ctx} item={item} back={back} isSelectable={false} showMeasures={false} headingLevel={3} /></li>)}
          </ol>
        )}
        <Pager next={page.next} newest={props.cursor ? base : null} olderHref={(c) => `${base}?cursor=${encodeURIComponent(c)}`} />
      </section>
    </ModerationPage>
  );
}

/** An audit row's action in words: "Approved a comment", "Suspended a commenter for 24 h". */
export function actionWords(action: string): string {
  const suspended = /^user\.suspend (\d+)h$/.exec(action);
  if (suspended) return mm.logPage.suspended(suspended[1]!);
  return mm.logPage.action[action] ?? action;
}

/** The audit log: who did what, when, to which comment or commenter, and why. */
export function AuditLogPage(props: { ctx: DeskContext; page: Page<AuditEntry>; cursor: string | null }) {
  const { ctx, page } = props;
  const ml = mm.logPage;
  const base = '/desk/moderation/log';
  return (
    <ModerationPage ctx={ctx} title={ml.title} section="log">
      {page.items.length === 0 ? <p>{ml.none}</p> : (
        <table class="mod-log">
          <caption class="visually-hidden">{ml.title}</caption>
          <thead>
            <tr><th scope="col">{ml.when}</th><th scope="col">{ml.who}</th><th scope="col">{ml.what}</th><th scope="col">{ml.subject}</th><th scope="col">{ml.why}</th></tr>
          </thead>
          <tbody>
            {page.items.map((entry) => (
              <tr id={`log-${entry.id}`}>
                <td><When iso={entry.createdAt} ctx={ctx} /></td>
                <td>{entry.actorName ?? ml.system}</td>
                <td>{actionWords(entry.action)}</td>
                <td>
                  {entry.commentExcerpt !== null ? <q class="mod-excerpt">{entry.commentExcerpt}</q> : null}
                  {entry.commentExcerpt !== null && entry.userId ? ' — ' : null}
                  {entry.userId ? (
                    <a href={commenterPath(entry.userId)}>{entry.commentId ? ml.commentBy(entry.userName ?? '?') : entry.userName ?? entry.userId}</a>
                  ) : null}
                </td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager next={page.next} newest={props.cursor ? base : null} olderHref={(c) => `${base}?cursor=${encodeURIComponent(c)}`} />
    </ModerationPage>
  );
}
