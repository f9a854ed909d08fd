import type { StoredComment } from '../../comments/repository.js';
import { messagesFor } from '../messages.js';
import { CommentText } from './CommentText.js';
import type { CommentContext } from './Comments.js';
import { DeleteForm, EditForm, ReplyForm, ReportForm } from './CommentForms.js';
import { DateTime } from './DateTime.js';

const MINUTE_MS = 60_000;

/** The id of a comment's element, which its time links to and the live script looks for. */
export const commentAnchor = (id: string) => `comment-${id}`;

/** A message for the reader about this comment (after posting, editing or reporting it). */
export function CommentFlashNote(props: { ctx: CommentContext; commentId: string | null }) {
  const flash = props.ctx.viewer?.flash;
  if (!flash || flash.commentId !== props.commentId) return null;
  return <p class={`comment-flash comment-flash-${flash.tone}`} role={flash.tone === 'error' ? 'alert' : 'status'}>{flash.text}</p>;
}

/** Which of the comment's forms the reader gets: reply while open, edit their own in the window, delete their own, report others'. */
export function commentActionsFor(ctx: CommentContext, comment: StoredComment): Record<'reply' | 'edit' | 'delete' | 'report', boolean> {
  const viewer = ctx.viewer;
  if (!viewer?.user) return { reply: false, edit: false, delete: false, report: false };
  const isOwn = comment.userId === viewer.user.id;
  const isInEditWindow = viewer.now - Date.parse(comment.createdAt) < ctx.editWindowMinutes * MINUTE_MS;
  return { reply: ctx.isOpen, edit: isOwn && isInEditWindow, delete: isOwn, report: !isOwn };
}

function CommentActions(props: { ctx: CommentContext; comment: StoredComment }) {
  const { ctx, comment } = props;
  const can = commentActionsFor(ctx, comment);
  if (!can.reply && !can.edit && !can.delete && !can.report) return null;
  return (
    <div class="comment-actions">
      {can.reply ? <ReplyForm ctx={ctx} commentId={comment.id} /> : null}
      {can.edit ? <EditForm ctx={ctx} commentId={comment.id} body={comment.body} /> : null}
      {can.delete ? <DeleteForm ctx={ctx} commentId={comment.id} /> : null}
      {can.report ? <ReportForm ctx={ctx} commentId={comment.id} /> : null}
    </div>
  );
}

/**
 * One published comment. `depth` is 0 for a top-level comment, 1 and 2 for replies; the live
 * script places a comment fetched on its own by its data-parent.
 */
export function CommentArticle(props: { ctx: CommentContext; comment: StoredComment; depth: number }) {
  const { ctx, comment } = props;
  const { m } = ctx;
  const classes = ['comment', `comment-depth-${props.depth}`, comment.isFeatured ? 'comment-featured' : null, comment.isStaff ? 'comment-staff' : null];
  return (
    <article id={commentAnchor(comment.id)} class={classes.filter(Boolean).join(' ')} data-parent={comment.parentId ?? undefined}>
      <p class="comment-meta">
        <span class="comment-author">{comment.authorName || messagesFor(ctx.language).anonymous}</span>
        {comment.isStaff ? <> <span class="tag tag-staff">{m.staff}</span></> : null}
        {comment.isFeatured ? <> <span class="tag tag-featured">{m.featured}</span></> : null}{' '}
        <a class="comment-time" href={`#${commentAnchor(comment.id)}`}>
          <DateTime iso={comment.createdAt} language={ctx.language} timeZone={ctx.timeZone} isShort />
        </a>
        {comment.editedAt ? <> <span class="comment-edited">({m.edited})</span></> : null}
      </p>
      <CommentFlashNote ctx={ctx} commentId={comment.id} />
      <p class="comment-body"><CommentText text={comment.body} /></p>
      <CommentActions ctx={ctx} comment={comment} />
    </article>
  );
}
