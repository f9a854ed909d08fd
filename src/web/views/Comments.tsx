import type { VNode } from 'preact';
import type { CommentThread, StoredComment } from '../../comments/repository.js';
import type { Language } from '../../content/types.js';
import type { CommentPageState, CommentSection, CommentSort } from '../brief-view.js';
import { messagesFor, plural, type CommentMessages } from '../messages.js';
import { CommentArticle, CommentFlashNote, commentActionsFor } from './CommentArticle.js';
import { NewCommentForm } from './CommentForms.js';

// The comment section under a brief: the count, the form (or why there is none), the threads in
// the order the reader chose, a page at a time. Everything works as plain HTML; the live script
// (/assets/comments-live.js) only adds "N new comments" on top, reading the data-* attributes.

/** A short message for the reader after a form they sent, shown once. */
export interface CommentFlash {
  text: string;
  tone: 'success' | 'info' | 'error';
  /** The comment it is about, to show it there; null shows it at the top of the section. */
  commentId: string | null;
}

/** A submission that failed, shown again in its form with what was typed and why. */
export interface FailedCommentForm {
  form: 'new' | 'reply' | 'edit' | 'delete' | 'report';
  /** The comment the form belongs to (the one replied to, edited, reported); null for a new comment. */
  commentId: string | null;
  body: string;
  reportReason?: string;
  message: string;
}

/** Who is reading, for the parts of the section that are theirs alone (never cached). */
export interface CommentViewer {
  user: { id: string; displayName: string } | null;
  csrfToken: string | null;
  /** The time the page is rendered at, for the edit window. */
  now: number;
  flash: CommentFlash | null;
  failed: FailedCommentForm | null;
}

/** A reader without a session: the page every such reader shares. */
export function signedOutViewer(): CommentViewer {
  return { user: null, csrfToken: null, now: Date.now(), flash: null, failed: null };
}

/** What every part of the section needs, passed down whole. */
export interface CommentContext {
  language: Language;
  m: CommentMessages;
  /** The brief's path, which the section's links and forms hang off. */
  base: string;
  page: CommentPageState;
  timeZone: string;
  /** Null for the threads alone, without forms, links or live updates. */
  viewer: CommentViewer | null;
  isOpen: boolean;
  editWindowMinutes: number;
}

/**
 * A link to a page of the comments (a sort order, a cursor) and a place on it. The first page
 * oldest first is the brief's own address, so the usual link stays the canonical one.
 */
export function commentPageHref(base: string, page: { sort: CommentSort; cursor?: string | null }, anchor = 'comments'): string {
  const params = new URLSearchParams();
  if (page.sort !== 'oldest' || page.cursor) params.set('sort', page.sort);
  if (page.cursor) params.set('cursor', page.cursor);
  const search = params.toString();
  return `${base}${search ? `?${search}` : ''}#${anchor}`;
}

/** Replies of a thread as a tree: first-level replies, each with the replies to it. */
function replyTree(thread: CommentThread): { reply: StoredComment; replies: StoredComment[] }[] {
  const firstLevel = thread.replies.filter((r) => r.parentId === thread.id);
  const firstIds = new Set(firstLevel.map((r) => r.id));
  const deeper = thread.replies.filter((r) => r.parentId !== thread.id);
  // The repository keeps replies two levels deep; one whose parent is not at the first level
  // (not expected) is shown there itself rather than lost.
  const orphans = deeper.filter((r) => !firstIds.has(r.parentId ?? ''));
  return [...firstLevel, ...orphans]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((reply) => ({ reply, replies: firstIds.has(reply.id) ? deeper.filter((r) => r.parentId === reply.id) : [] }));
}

function Thread(props: { ctx: CommentContext; thread: CommentThread }) {
  const { ctx, thread } = props;
  const tree = replyTree(thread);
  return (
    <li class="comment-thread">
      <CommentArticle ctx={ctx} comment={thread} depth={0} />
      {tree.length > 0 ? (
        <ol class="comment-replies">
          {tree.map(({ reply, replies }) => (
            <li>
              <CommentArticle ctx={ctx} comment={reply} depth={1} />
              {replies.length > 0 ? (
                <ol class="comment-replies">
                  {replies.map((deeper) => <li><CommentArticle ctx={ctx} comment={deeper} depth={2} /></li>)}
                </ol>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** "Log in or sign up to comment.", the links coming back to this brief's comments afterwards. */
function SignInPrompt(props: { ctx: CommentContext }) {
  const { m, base } = props.ctx;
  const next = encodeURIComponent(`${base}#comments`);
  const links: Record<string, VNode> = {
    login: <a href={`/account/login?next=${next}`}>{m.logIn}</a>,
    signup: <a href={`/account/signup?next=${next}`}>{m.signUp}</a>,
  };
  const parts = m.signInPrompt.split(/(\{login\}|\{signup\})/).map((part) => links[part.slice(1, -1)] ?? part);
  return <p class="comment-signin">{parts}</p>;
}

function ClosedNote(props: { ctx: CommentContext; because: 'retracted' | 'policy' | 'age' }) {
  const { m } = props.ctx;
  return (
    <div class="comments-closed">
      <p><strong>{m.closedTitle}</strong></p>
      <p>{m.closedBecause[props.because]}</p>
    </div>
  );
}

function SortLinks(props: { ctx: CommentContext }) {
  const { ctx } = props;
  const link = (sort: CommentSort, label: string) => (
    <a href={commentPageHref(ctx.base, { sort })} aria-current={ctx.page.sort === sort ? 'true' : undefined}>{label}</a>
  );
  return (
    <p class="comment-sort">
      <span class="comment-sort-label">{ctx.m.sortLabel}:</span> {link('oldest', ctx.m.sortOldest)} {link('newest', ctx.m.sortNewest)}
    </p>
  );
}

/** The strings the live script shows, in the brief's language, handed over in a data attribute. */
function liveLabels(language: Language): string {
  const all = messagesFor(language);
  return JSON.stringify({ comments: all.comments, newComments: all.comment.newComments, newShown: all.comment.newShown });
}

/** The comment section; stays the last section of the brief. */
export function CommentsSection(props: {
  language: Language;
  base: string;
  section: CommentSection;
  count: number;
  timeZone: string;
  viewer: CommentViewer | null;
}) {
  const { section, viewer, language } = props;
  const all = messagesFor(language);
  const m = all.comment;
  const ctx: CommentContext = {
    language, m, base: props.base, page: { sort: section.sort, cursor: section.cursor }, timeZone: props.timeZone, viewer,
    isOpen: section.commenting.isOpen, editWindowMinutes: section.editWindowMinutes,
  };
  const onPage = new Map(section.threads.flatMap((t) => [t, ...t.replies]).map((c) => [c.id, c]));
  // A message about a comment that is not on this page is shown at the top instead of being lost.
  const isFlashOnComment = viewer?.flash?.commentId != null && onPage.has(viewer.flash.commentId);
  const sectionFlash = viewer?.flash && !isFlashOnComment ? { ...viewer, flash: { ...viewer.flash, commentId: null } } : null;
  // Likewise a failed form that is not on the page any more (the comment was removed meanwhile).
  const failed = viewer?.failed ?? null;
  const failedOn = failed?.commentId ? onPage.get(failed.commentId) : undefined;
  const isFailedShown = failed !== null && (failed.form === 'new'
    ? Boolean(viewer?.user) && ctx.isOpen
    : failedOn !== undefined && commentActionsFor(ctx, failedOn)[failed.form]);
  const live = viewer ? {
    'data-live': `${props.base}/comments/live`,
    'data-fragments': `${props.base}/comments/`,
    'data-sort': section.sort,
    'data-cursor': section.cursor ?? '',
    'data-count': String(props.count),
    'data-labels': liveLabels(language),
  } : {};

  return (
    <section id="comments" class="comments-section" {...live}>
      <h2>{plural(language, all.comments, props.count)}</h2>
      {sectionFlash ? <CommentFlashNote ctx={{ ...ctx, viewer: sectionFlash }} commentId={null} /> : null}
      {failed && !isFailedShown ? <p class="comment-flash comment-flash-error" role="alert">{failed.message}</p> : null}
      {viewer ? (
        section.commenting.isOpen
          ? (viewer.user ? <NewCommentForm ctx={ctx} /> : <SignInPrompt ctx={ctx} />)
          : <ClosedNote ctx={ctx} because={section.commenting.closedBecause ?? 'policy'} />
      ) : null}
      {viewer && section.threads.length > 0 ? <SortLinks ctx={ctx} /> : null}
      {section.threads.length > 0 ? (
        <ol class="comment-threads">
          {section.threads.map((thread) => <Thread ctx={ctx} thread={thread} />)}
        </ol>
      ) : <p class="empty comments-empty">{m.noComments}</p>}
      {viewer && (section.next || section.cursor) ? (
        <p class="pager comment-pager">
          {section.cursor ? <a href={commentPageHref(props.base, { sort: section.sort })}>{m.firstComments}</a> : null}
          {section.cursor && section.next ? ' · ' : null}
          {section.next ? <a rel="next" href={commentPageHref(props.base, { sort: section.sort, cursor: section.next })}>{m.moreComments} →</a> : null}
        </p>
      ) : null}
    </section>
  );
}
