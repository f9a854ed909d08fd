import type { CommentMode } from '../../comments/subject-policy.js';
import { deskMessages as m } from '../messages.js';
import type { DeskContext } from './DeskPage.js';
import { CsrfField, NO_ERRORS, SelectField } from './fields.js';

const mp = m.mod.commentPolicy;

/** A story's or brief's own comment setting and the one it would otherwise follow. */
export interface CommentPolicyView {
  own: CommentMode | null;
  inherited: { from: 'story' | 'site'; mode: CommentMode };
}

const MODE_LABELS: Record<CommentMode, string> = { post: mp.post, pre: mp.pre, closed: mp.closed };

/** The small "Comments: follow / post / pre / closed" form on the story and brief pages. */
export function CommentPolicyForm(props: { ctx: DeskContext; action: string; scope: 'story' | 'brief'; policy: CommentPolicyView }) {
  const { policy } = props;
  const inherited = mp.current(policy.inherited.from === 'story' ? mp.story : mp.site, MODE_LABELS[policy.inherited.mode]);
  return (
    <section class="comment-policy" aria-labelledby="comment-policy-title">
      <h2 id="comment-policy-title">{mp.title}</h2>
      <form method="post" action={props.action}>
        <CsrfField token={props.ctx.csrfToken} />
        <SelectField
          id="f-commentMode" name="commentMode" label={mp.label} value={policy.own ?? 'inherit'} hint={inherited} errors={NO_ERRORS}
          options={[['inherit', props.scope === 'brief' ? mp.inheritStory : mp.inheritSite], ['post', mp.post], ['pre', mp.pre], ['closed', mp.closed]]}
        />
        <div class="actions"><button type="submit">{mp.save}</button></div>
      </form>
    </section>
  );
}
