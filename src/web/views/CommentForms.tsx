import type { ComponentChildren } from 'preact';
import { REPORT_REASONS } from '../../comments/service.js';
import { CsrfField } from '../../desk/views/fields.js';
import type { CommentContext, FailedCommentForm } from './Comments.js';

// The comment section's forms. Each is a plain POST with the CSRF token and the page the reader
// is on (sort, cursor), so the answer brings them back to the same place; reply, edit, delete
// and report sit in <details>, which open without JavaScript. A submission that failed comes
// back open, with what was typed and the reason beside the field.

const BODY_MAX_LENGTH = 5000;

/** Where each form posts; the fragment is where a failed submission's page scrolls to. */
export const commentActions = {
  post: (base: string, anchor: string) => `${base}/comments#${anchor}`,
  edit: (base: string, id: string) => `${base}/comments/${encodeURIComponent(id)}/edit#edit-${id}`,
  delete: (base: string, id: string) => `${base}/comments/${encodeURIComponent(id)}/delete#delete-${id}`,
  report: (base: string, id: string) => `${base}/comments/${encodeURIComponent(id)}/report#report-${id}`,
};

/** The failed submission of this form, if the page is its answer. */
export function failedFor(ctx: CommentContext, form: FailedCommentForm['form'], commentId: string | null): FailedCommentForm | null {
  const failed = ctx.viewer?.failed;
  return failed && failed.form === form && failed.commentId === commentId ? failed : null;
}

/** The hidden fields every comment form carries. */
function FormState(props: { ctx: CommentContext }) {
  const { ctx } = props;
  return (
    <>
      <CsrfField token={ctx.viewer?.csrfToken ?? ''} />
      <input type="hidden" name="sort" value={ctx.page.sort} />
      {ctx.page.cursor ? <input type="hidden" name="cursor" value={ctx.page.cursor} /> : null}
    </>
  );
}

/** A field's error, read out before the field by screen readers through aria-describedby. */
function FieldError(props: { id: string; prefix: string; message: string | null }) {
  if (!props.message) return null;
  return <p class="field-error" id={props.id}><span class="visually-hidden">{props.prefix} </span>{props.message}</p>;
}

/** A labelled comment textarea with its hint and, after a failed submission, the reason. */
function BodyField(props: { ctx: CommentContext; id: string; label: string; value: string; error: string | null; hasHint?: boolean }) {
  const { m } = props.ctx;
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  const describedBy = [props.hasHint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div class={props.error ? 'field field-has-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hasHint ? <p class="hint" id={hintId}>{m.bodyHint}</p> : null}
      <FieldError id={errorId} prefix={m.errorPrefix} message={props.error} />
      <textarea
        id={props.id} name="body" rows={4} required maxLength={BODY_MAX_LENGTH}
        {...(describedBy ? { 'aria-describedby': describedBy } : {})}
        {...(props.error ? { 'aria-invalid': 'true' as const } : {})}
      >
        {props.value}
      </textarea>
    </div>
  );
}

function Submit(props: { children: ComponentChildren; isDanger?: boolean }) {
  return <div class="actions"><button type="submit" class={props.isDanger ? 'danger' : 'primary'}>{props.children}</button></div>;
}

/** The form at the top of the section for a signed-in reader. */
export function NewCommentForm(props: { ctx: CommentContext }) {
  const { ctx } = props;
  const failed = failedFor(ctx, 'new', null);
  return (
    <form id="comment-form" class="comment-form" method="post" action={commentActions.post(ctx.base, 'comment-form')}>
      <FormState ctx={ctx} />
      <p class="comment-as">{ctx.m.commentingAs} <strong>{ctx.viewer?.user?.displayName}</strong></p>
      <BodyField ctx={ctx} id="comment-body" label={ctx.m.yourComment} value={failed?.body ?? ''} error={failed?.message ?? null} hasHint />
      <Submit>{ctx.m.postComment}</Submit>
    </form>
  );
}

/** A <details> disclosure holding one comment action. */
function Action(props: { id: string; kind: string; summary: string; isOpen: boolean; children: ComponentChildren }) {
  return (
    <details id={props.id} class={`comment-action comment-action-${props.kind}`} open={props.isOpen}>
      <summary>{props.summary}</summary>
      {props.children}
    </details>
  );
}

export function ReplyForm(props: { ctx: CommentContext; commentId: string }) {
  const { ctx, commentId } = props;
  const failed = failedFor(ctx, 'reply', commentId);
  return (
    <Action id={`reply-${commentId}`} kind="reply" summary={ctx.m.reply} isOpen={failed !== null}>
      <form method="post" action={commentActions.post(ctx.base, `reply-${commentId}`)}>
        <FormState ctx={ctx} />
        <input type="hidden" name="parentId" value={commentId} />
        <BodyField ctx={ctx} id={`reply-body-${commentId}`} label={ctx.m.yourReply} value={failed?.body ?? ''} error={failed?.message ?? null} />
        <Submit>{ctx.m.reply}</Submit>
      </form>
    </Action>
  );
}

export function EditForm(props: { ctx: CommentContext; commentId: string; body: string }) {
  const { ctx, commentId } = props;
  const failed = failedFor(ctx, 'edit', commentId);
  return (
    <Action id={`edit-${commentId}`} kind="edit" summary={ctx.m.edit} isOpen={failed !== null}>
      <form method="post" action={commentActions.edit(ctx.base, commentId)}>
        <FormState ctx={ctx} />
        <p class="hint">{ctx.m.editHint}</p>
        <BodyField ctx={ctx} id={`edit-body-${commentId}`} label={ctx.m.yourComment} value={failed?.body ?? props.body} error={failed?.message ?? null} />
        <Submit>{ctx.m.save}</Submit>
      </form>
    </Action>
  );
}

/** Deleting asks once more inside the disclosure: the button that deletes is a second click. */
export function DeleteForm(props: { ctx: CommentContext; commentId: string }) {
  const { ctx, commentId } = props;
  const failed = failedFor(ctx, 'delete', commentId);
  return (
    <Action id={`delete-${commentId}`} kind="delete" summary={ctx.m.delete} isOpen={failed !== null}>
      <form method="post" action={commentActions.delete(ctx.base, commentId)}>
        <FormState ctx={ctx} />
        {failed ? <p class="field-error" role="alert">{failed.message}</p> : null}
        <p>{ctx.m.deleteConfirm}</p>
        <Submit isDanger>{ctx.m.delete}</Submit>
      </form>
    </Action>
  );
}

export function ReportForm(props: { ctx: CommentContext; commentId: string }) {
  const { ctx, commentId } = props;
  const { m } = ctx;
  const failed = failedFor(ctx, 'report', commentId);
  const textId = `report-text-${commentId}`;
  const errorId = `report-error-${commentId}`;
  const chosen = failed?.reportReason ?? null;
  return (
    <Action id={`report-${commentId}`} kind="report" summary={m.report} isOpen={failed !== null}>
      <form method="post" action={commentActions.report(ctx.base, commentId)}>
        <FormState ctx={ctx} />
        <FieldError id={errorId} prefix={m.errorPrefix} message={failed?.message ?? null} />
        <fieldset {...(failed ? { 'aria-describedby': errorId } : {})}>
          <legend>{m.reportLegend}</legend>
          {REPORT_REASONS.map((reason) => (
            <div class="choice">
              <input type="radio" id={`report-${commentId}-${reason}`} name="reason" value={reason} required checked={chosen === reason} />
              <label for={`report-${commentId}-${reason}`}>{m.reportReasons[reason]}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for={textId}>{m.reportText}</label>
          <textarea id={textId} name="text" rows={2} maxLength={1000}>{failed?.body ?? ''}</textarea>
        </div>
        <Submit>{m.report}</Submit>
      </form>
    </Action>
  );
}
